import { test } from "node:test";
import assert from "node:assert/strict";
import { defaultGuideSettings, lmgtCheckpoints, planLmgtTrials } from "../../src/experiments/lmgt/protocol.js";
import { LMGT_ENV_NAMES } from "../../src/experiments/lmgt/presets.js";
import { runLmgtTrial, type LmgtTrialSpec } from "../../src/experiments/lmgt/trial.js";
import { parseReproduceLmgtArgs } from "../../src/cli/reproduce-lmgt.js";
import { ScriptedLlm } from "./fixtures.js";

/** Answers "+1" for every `Pair k:` line and counts the pairs asked. */
function countingLlm(): ScriptedLlm & { pairs: () => number } {
  const llm = new ScriptedLlm((req) => {
    const text = req.messages.map((m) => m.content).join("\n");
    const ks = [...text.matchAll(/^Pair (\d+):/gm)].map((m) => m[1]);
    return ks.map((k) => `${k}: +1`).join("\n");
  });
  const pairs = () => llm.requests.reduce((a, r) => a + [...r.messages.map((m) => m.content).join("\n").matchAll(/^Pair \d+:/gm)].length, 0);
  return Object.assign(llm, { pairs });
}

test("the paper preset: every pair asked (batched, no cache), lambda = 1 on every env; efficient keeps the bucket cache", () => {
  for (const env of LMGT_ENV_NAMES) {
    const paper = defaultGuideSettings(env, "paper");
    assert.equal(paper.cache, false, env);
    assert.equal(paper.shiftScale, 1, env);
    assert.deepEqual(paper.schedule, { kind: "every" });
    const efficient = defaultGuideSettings(env, "efficient");
    assert.notEqual(efficient.cache, false, env);
    assert.equal(efficient.shiftScale, 1, `${env}: no silent lambda != 1`);
  }
  const both = planLmgtTrials({ envs: ["cartpole"], budget: "smoke", experiments: ["main"], methods: ["paper", "efficient"] });
  assert.deepEqual([...new Set(both.map((t) => t.variant))], ["baseline", "lmgt", "lmgt-efficient"]);
  assert.ok(both.filter((t) => t.variant === "lmgt").every((t) => t.guide!.cache === false));
  // the default is the efficient arm alone, never labelled with the paper's bare name
  const def = planLmgtTrials({ envs: ["blackjack"], budget: "smoke", experiments: ["main"] });
  assert.deepEqual([...new Set(def.map((t) => t.variant))], ["baseline", "lmgt-efficient"]);
  // lambda != 1 is a named option with a reason, and labels the rows
  assert.throws(() => planLmgtTrials({ envs: ["blackjack"], budget: "smoke", experiments: ["main"], shift: { scale: 0.5, reason: "" } }), /needs a reason/);
  const half = planLmgtTrials({ envs: ["blackjack"], budget: "smoke", experiments: ["main"], methods: ["paper"], shift: { scale: 0.5, reason: "test" } });
  assert.ok(half.filter((t) => t.guide).every((t) => t.guide!.shiftScale === 0.5 && t.variant === "lmgt, lambda=0.5"));
});

test("the paper's step counts are evaluated: CartPole and Pendulum at 1000 steps", () => {
  assert.equal(lmgtCheckpoints("cartpole", "smoke")[0], 1000);
  assert.deepEqual(lmgtCheckpoints("cartpole", "full"), [1000, 2048, 5120, 10_240, 20_480]);
  assert.ok(lmgtCheckpoints("pendulum", "full").includes(1000));
  assert.deepEqual(lmgtCheckpoints("pendulum", "smoke"), [400, 800], "a run shorter than the paper's step count does not invent it");
});

for (const algo of ["ppo", "dqn"] as const) {
  test(`paper preset on CartPole ${algo.toUpperCase()}: every transition's pair is asked exactly once (pairs asked = env steps)`, async () => {
    const spec = (guide: LmgtTrialSpec["guide"]): LmgtTrialSpec => ({ env: "cartpole", algo, seed: 0, experiment: "t", variant: "t", guide, totalTimesteps: 512, checkpoints: [512], evalEpisodes: 1 });
    const llm = countingLlm();
    const r = await runLmgtTrial(spec(defaultGuideSettings("cartpole", "paper")), { llm });
    const steps = r.stats!.transitions;
    assert.ok(steps >= 512, `${steps} env steps`);
    assert.equal(llm.pairs(), steps, "pairs in the requests = env steps");
    assert.equal(r.stats!.pairsScored, steps);
    assert.equal(r.stats!.cacheHits, 0);
    assert.equal(r.stats!.calls, llm.requests.length);
    assert.ok(llm.requests.length >= Math.ceil(steps / 64), "at most 64 pairs per request");
    assert.equal(r.stats!.shiftHistogram["+1"], steps, "every transition got its own score");
    // the efficient preset asks fewer pairs than steps (so the count above can fail)
    const cheap = countingLlm();
    const e = await runLmgtTrial(spec(defaultGuideSettings("cartpole", "efficient")), { llm: cheap });
    assert.ok(cheap.pairs() < e.stats!.transitions && e.stats!.cacheHits > 0, `${cheap.pairs()} pairs for ${e.stats!.transitions} steps`);
  });
}

test("CLI: --preset and --shift-scale with its reason", () => {
  assert.deepEqual(parseReproduceLmgtArgs([]).methods, ["efficient"]);
  assert.deepEqual(parseReproduceLmgtArgs(["--preset", "paper"]).methods, ["paper"]);
  assert.deepEqual(parseReproduceLmgtArgs(["--preset", "both"]).methods, ["paper", "efficient"]);
  assert.throws(() => parseReproduceLmgtArgs(["--preset", "cheap"]), /unknown --preset "cheap"/);
  assert.throws(() => parseReproduceLmgtArgs(["--shift-scale", "0.5"]), /needs --shift-reason/);
  assert.deepEqual(parseReproduceLmgtArgs(["--shift-scale", "0.5", "--shift-reason", "why"]).shift, { scale: 0.5, reason: "why" });
  assert.equal(parseReproduceLmgtArgs(["--shift-scale", "1"]).shift, undefined);
});
