/**
 * Reward design, the parts without training: behaviour metrics on hand-built gaits, code extraction,
 * prompts (fields, contract, metrics, reflection), the surrogate designer's code (valid in the real
 * sandbox; planted bugs rejected with the right kind; weights that respond to the reflected metrics),
 * and the fitness order.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { Sandbox, type TransitionStep } from "../../src/sandbox/index.js";
import { describeBipedalWalker } from "../../src/envs/box2d/index.js";
import {
  BEHAVIOUR_METRICS,
  adjustWeights,
  compareFitness,
  composeRewardCode,
  episodeMetrics,
  extractRewardCode,
  fillPrompt,
  fixPrompt,
  initialPrompt,
  iterationPrompt,
  NoCodeError,
  parseWeights,
  RUNTIME_BUGS,
  REWARD_TERMS,
  reflectionText,
  taskText,
  validateAnswer,
  validationSample,
  type EpisodeTrace,
  type StepRecord,
  type TrainingResult,
} from "../../src/experiments/reward-design/index.js";
import { createLlm } from "../../src/llm/index.js";

const facts = { totalTimesteps: 4096, nEnvs: 4, gamma: 0.999, evalEpisodes: 2 };

/** A scripted walker: contacts follow `pattern` ("1" leg1 down, "2" leg2, "b" both, "-" none), hull moves `dx` per step. */
function trace(pattern: string, dx: number, opts: { fell?: boolean; tilt?: number } = {}): EpisodeTrace {
  const steps: StepRecord[] = [];
  let x = 5;
  for (const ch of pattern) {
    x += dx;
    steps.push({
      hullX: x, hullY: 5, hullAngle: opts.tilt ?? 0.1, hullAngularVelocity: 0, hullVx: dx * 50, hullVy: 0,
      jointAngles: [0.5, -1, -0.5, -1], jointSpeeds: [1, 0, -1, 0], jointTorques: [10, 0, 10, 0],
      legContactCounts: [ch === "1" || ch === "b" ? 1 : 0, ch === "2" || ch === "b" ? 1 : 0],
      action: [0.5, 0, -0.5, 0], reward: dx,
    });
  }
  return { startX: 5, steps, nativeReturn: 42, fell: opts.fell ?? false, reachedEnd: false, truncated: !opts.fell };
}

describe("behaviour metrics", () => {
  it("documents at least 15 metrics and computes every one", () => {
    assert.ok(BEHAVIOUR_METRICS.length >= 15);
    const m = episodeMetrics(trace("1b2b1b2b", 0.01));
    for (const doc of BEHAVIOUR_METRICS) {
      assert.ok(doc.description.length > 20, doc.name);
      assert.ok(Number.isFinite(m[doc.name]), `${doc.name} = ${m[doc.name]}`);
    }
  });

  it("reads a clean alternating gait", () => {
    // leg1 down 10 steps, both 2, leg2 10, both 2, ... starting with leg1 already down
    const cycle = "1".repeat(10) + "bb" + "2".repeat(10) + "bb";
    const m = episodeMetrics(trace(cycle.repeat(5), 0.02));
    assert.equal(m.distance!.toFixed(6), (0.02 * cycle.length * 5).toFixed(6));
    assert.ok(Math.abs(m.forward_speed! - 1) < 1e-9, "0.02 m per step at 50 Hz is 1 m/s");
    assert.equal(m.fall_rate, 0);
    assert.ok(Math.abs(m.double_support! - 4 / 24) < 1e-9);
    assert.ok(Math.abs(m.single_support! - 20 / 24) < 1e-9);
    assert.equal(m.flight, 0);
    assert.equal(m.gait_symmetry, 1);
    assert.equal(m.alternation, 1, "every touchdown is by the other leg");
    assert.ok(Math.abs(m.step_length! - 0.48) < 1e-9, "a stride is one 24-step cycle of 0.02 m");
    assert.equal(m.step_length_symmetry, 1);
    // energy: |10 * 1| + |10 * -1| = 20 W for 0.02 s per step
    assert.ok(Math.abs(m.energy! - 20 * 0.02 * 120) < 1e-9);
    assert.ok(Math.abs(m.hull_tilt! - 0.1) < 1e-9);
  });

  it("tells a one-legged hop and a fall apart from walking", () => {
    const hop = episodeMetrics(trace(("1".repeat(5) + "-".repeat(5)).repeat(6), 0.01, { fell: true, tilt: -0.6 }));
    assert.equal(hop.fall_rate, 1);
    assert.equal(hop.gait_symmetry, 0);
    assert.equal(hop.alternation, 0);
    assert.ok(Math.abs(hop.flight! - 0.5) < 1e-9);
    assert.ok(Math.abs(hop.hull_tilt! - 0.6) < 1e-9);
  });
});

describe("answers and prompts", () => {
  it("extracts the block that defines computeReward", () => {
    const code = "function computeReward(obs, action, nextObs, info) { return 1; }";
    assert.equal(extractRewardCode("Draft:\n```js\nconst x = 1;\n```\nFinal:\n```javascript\n" + code + "\n```"), code);
    assert.equal(extractRewardCode(code), code);
    assert.throws(() => extractRewardCode("I cannot help with that."), NoCodeError);
    assert.throws(() => extractRewardCode("```js\na\n```\n```js\nb\n```"), /none defines computeReward/);
  });

  it("puts the task, every documented field, the contract and the metrics into the first prompt", () => {
    const p = initialPrompt(taskText(facts), 2, 3);
    const d = describeBipedalWalker(false);
    for (const f of [...d.observation, ...d.action]) assert.ok(p.includes(f.name), f.name);
    for (const k of Object.keys(d.info!)) assert.ok(p.includes(`info.${k}`), k);
    for (const m of BEHAVIOUR_METRICS) assert.ok(p.includes(`- ${m.name}`), m.name);
    assert.match(p, /computeReward\(obs, action, nextObs, info\)/);
    assert.match(p, /\{reward: number, components:/);
    assert.match(p, /candidate 2 of 3/);
    assert.match(p, /4096 environment steps/);
    assert.doesNotMatch(p, /\{\{\w+\}\}/, "no placeholder left");
  });

  it("refuses to leave a placeholder empty", () => {
    assert.throws(() => fillPrompt("a {{b}} c", {}), /no value for \{\{b\}\}/);
  });

  it("shows the best code and its reflection from iteration 2", () => {
    const p = iterationPrompt({ task: "TASK", iteration: 2, bestIteration: 1, bestCandidate: 3, bestReturn: "-80", bestCode: "function computeReward(){return 1;}", reflection: "REFLECTION", others: "- candidate 1: x", candidate: 1, candidates: 2 });
    assert.match(p, /iteration 1, candidate 3, native evaluation return -80/);
    assert.match(p, /```javascript\nfunction computeReward\(\)\{return 1;\}\n```/);
    assert.match(p, /REFLECTION/);
    assert.match(fixPrompt("runtime error (line 3): boom"), /runtime error \(line 3\): boom/);
  });

  it("reflects components per checkpoint, metrics and failure kinds", () => {
    const result: TrainingResult = {
      id: "iter-01/cand-1", ok: true, nativeReturn: -100, distance: 2, numTimesteps: 2048, wallSeconds: 1, stepsPerSecond: 1, evalSeconds: 0,
      metrics: episodeMetrics(trace("1b2b".repeat(10), 0.01, { fell: true })),
      rollouts: [{ type: "rollout", step: 1024, epRewMean: -120, episodes: 3 }],
      checkpoints: [
        { type: "checkpoint", step: 1024, nativeReturn: -110, distance: 1, components: { total: { mean: 0.1, min: -1, max: 2 }, progress: { mean: 0.05, min: -0.1, max: 0.3 } } },
        { type: "checkpoint", step: 2048, nativeReturn: -100, distance: 2, components: { total: { mean: 0.2, min: -1, max: 2 }, progress: { mean: 0.07, min: -0.1, max: 0.3 } } },
      ],
    };
    const text = reflectionText(result, 2);
    assert.match(text, /1024: -110 \| 2048: -100/);
    assert.match(text, /- progress: 0\.05 \[-0\.1, 0\.3\] -> 0\.07 \[-0\.1, 0\.3\]/);
    assert.match(text, /- fall_rate: 1/);
    assert.match(text, /falls: 100% of evaluation episodes/);
  });
});

describe("fitness order", () => {
  it("ranks by native return, then distance; NaN last", () => {
    const runs = [
      { id: "a", nativeReturn: -50, distance: 3 },
      { id: "b", nativeReturn: 10, distance: 1 },
      { id: "c", nativeReturn: 10, distance: 5 },
      { id: "d", nativeReturn: NaN, distance: NaN },
    ];
    assert.deepEqual([...runs].sort(compareFitness).map((r) => r.id), ["c", "b", "a", "d"]);
  });
});

describe("surrogate designer", () => {
  let sandbox: Sandbox;
  let sample: TransitionStep[];
  before(async () => {
    sandbox = await Sandbox.start({ timeoutMs: 10_000 });
    sample = await validationSample();
  });
  after(async () => sandbox.close());

  it("writes code that the sandbox accepts for every term of its library", async () => {
    const weights = Object.fromEntries(REWARD_TERMS.map((t) => [t.name, t.initialWeight]));
    const code = composeRewardCode(weights);
    const v = await validateAnswer("```javascript\n" + code + "\n```", sandbox, sample);
    assert.equal(v.ok, true, JSON.stringify(v.error));
    assert.deepEqual(v.components!.sort(), REWARD_TERMS.map((t) => t.name).sort());
    assert.deepEqual(parseWeights(code), weights);
    assert.ok(sample.some((s) => s.info?.fell === true), "the validation sample contains a fall");
  });

  it("plants bugs that validation rejects with the matching error kind", async () => {
    const expected: Record<string, string> = { "unknown-field": "invalid-output", "missing-component": "invalid-output", syntax: "syntax", forbidden: "forbidden" };
    for (const bug of RUNTIME_BUGS) {
      const v = await validateAnswer("```javascript\n" + composeRewardCode({ progress: 1, upright: 1 }, bug) + "\n```", sandbox, sample);
      assert.equal(v.ok, false, bug);
      assert.equal(v.error!.kind, expected[bug], `${bug}: ${v.error!.message}`);
    }
  });

  it("reweights in response to the reflected metrics", () => {
    const base = { progress: 1, upright: 1, fall: 100 };
    const falling = adjustWeights(base, { fall_rate: 1, distance: 2, hull_tilt: 0.5, gait_symmetry: 0.9, alternation: 0.9 }, {}, 1);
    assert.ok(falling.weights.fall! > 100 && falling.weights.upright! > 1);
    assert.equal(falling.weights.progress, 1, "stability first while it falls");
    assert.ok(adjustWeights(base, { fall_rate: 1, distance: 2 }, {}, 2).weights.progress! > 1, "slot 2 explores more progress anyway");
    const standing = adjustWeights(base, { fall_rate: 0, distance: 0.1, hull_tilt: 0.05, gait_symmetry: 0.9, alternation: 0.9 }, {}, 1);
    assert.ok(standing.weights.progress! > 1 && standing.weights.speed! > 0, "a walker that stands still is pushed forward");
    const oneLegged = adjustWeights(base, { fall_rate: 0, distance: 30, hull_tilt: 0.05, gait_symmetry: 0.1, alternation: 0.2 }, {}, 1);
    assert.ok(oneLegged.weights.alternation! > 0, "adds a gait term");
    assert.equal(oneLegged.weights.fall, 100);
    assert.ok(oneLegged.notes.some((n) => /one-legged/.test(n)));
  });

  it("answers through the LLM layer, labelled surrogate, different per candidate slot", async () => {
    const llm = createLlm({ provider: "surrogate", transcript: false });
    const ask = async (k: number) =>
      (await llm.complete({ messages: [{ role: "user", content: initialPrompt(taskText(facts), k, 4) }], purpose: { guide: "reward-design", task: "write-reward" } })).text;
    const [a, b] = [await ask(1), await ask(2)];
    assert.match(a, /surrogate/i);
    assert.doesNotMatch(a, /\bI am an LLM\b/);
    assert.notEqual(extractRewardCode(a), extractRewardCode(b));
    assert.equal((await validateAnswer(a, sandbox, sample)).ok, true);
    assert.equal(llm.model.startsWith("surrogate/"), true);
  });
});

describe("reproduce reward-design command", () => {
  it("parses its options and rejects bad ones with the usage", async () => {
    const { parseReproduceRewardDesignArgs } = await import("../../src/cli/reproduce-reward-design.js");
    const a = parseReproduceRewardDesignArgs(["--llm", "openai", "--budget=smoke", "--iterations", "3", "--candidates", "4", "--steps", "8192", "--out", "x", "--no-png", "--base-url", "http://127.0.0.1:1"]);
    assert.deepEqual(
      { provider: a.provider, budget: a.budget, iterations: a.iterations, candidates: a.candidates, steps: a.steps, out: a.out, png: a.png, baseURL: a.baseURL },
      { provider: "openai-compatible", budget: "smoke", iterations: 3, candidates: 4, steps: 8192, out: "x", png: false, baseURL: "http://127.0.0.1:1" },
    );
    assert.throws(() => parseReproduceRewardDesignArgs(["--llm", "gpt"]), /unknown --llm "gpt"[\s\S]*usage:/);
    assert.throws(() => parseReproduceRewardDesignArgs(["--budget", "huge"]), /--budget must be smoke or full/);
    assert.throws(() => parseReproduceRewardDesignArgs(["--candidates", "0"]), /--candidates must be a whole number >= 1/);
    assert.throws(() => parseReproduceRewardDesignArgs(["--steps", "1e3"]), /--steps must be a whole number >= 1 written in decimal digits.*"1e3"/);
    assert.throws(() => parseReproduceRewardDesignArgs(["--frobnicate"]), /unknown option/);
    assert.equal(parseReproduceRewardDesignArgs(["--preset", "seed", "--no-precheck", "--max-failed-calls", "2"]).preset, "seed");
    assert.equal(parseReproduceRewardDesignArgs([]).preset, "eureka");
    assert.throws(() => parseReproduceRewardDesignArgs(["--preset", "card"]), /--preset must be one of eureka, seed/);
  });

  it("documents its budgets: full mirrors rl-zoo's PPO settings, smoke is toy-sized", async () => {
    const { rewardDesignPreset, resolvePreset } = await import("../../src/experiments/reward-design/index.js");
    const full = rewardDesignPreset("full");
    assert.deepEqual([full.iterations, full.candidates, full.protocol.totalTimesteps, full.protocol.nEnvs], [5, 4, 1_000_000, 32]);
    assert.equal(full.protocol.ppo.nSteps, 2048);
    assert.equal(full.protocol.ppo.clipRange, 0.18);
    assert.equal(full.protocol.evalMaxSteps, undefined, "full evaluations run whole episodes");
    const smoke = resolvePreset({ budget: "smoke", totalTimesteps: 2048 });
    assert.ok(smoke.name === "eureka");
    assert.equal(smoke.protocol.totalTimesteps, 2048);
    assert.equal(smoke.iterations, 2);
    assert.match(full.mirrors, /Eureka/);
    assert.ok(full.deviations.some((d) => /K = 4/.test(d)));
  });

  it("documents the seed preset: the repository's SAC, 22 x 500k steps, its course and episode length, and its deviations", async () => {
    const { rewardDesignPreset, resolvePreset } = await import("../../src/experiments/reward-design/index.js");
    const seed = rewardDesignPreset("full", "seed");
    const p = seed.protocol;
    assert.deepEqual([p.iterations, p.stepsPerIteration, p.nEnvs, p.evalEpisodes, p.maxEpisodeSteps], [22, 500_000, 4, 15, 5000]);
    assert.deepEqual(p.sac, { learningRate: 3e-4, bufferSize: 1_000_000, batchSize: 256, entCoef: "auto", gamma: 0.99, tau: 0.005, trainFreq: 1, gradientSteps: 1 });
    assert.match(seed.mirrors, /abhaydwived\/LLM-Guided-Reinforcement-Learning-for-BipedalWalker-v3/);
    assert.ok(seed.deviations.some((d) => /fitness is the native BipedalWalker-v3 return/.test(d)));
    assert.deepEqual(seed.finalSeeds, [0, 1, 2]);
    const smoke = resolvePreset({ budget: "smoke", preset: "seed", totalTimesteps: 600, iterations: 2 });
    assert.ok(smoke.name === "seed" && smoke.protocol.stepsPerIteration === 600 && smoke.protocol.iterations === 2);
    assert.throws(() => resolvePreset({ budget: "smoke", preset: "seed", candidates: 4 }), /one candidate per iteration/);
  });
});

describe("sandboxed reward seam", () => {
  it("evaluates each rollout in one sandbox round trip and keeps per-component statistics", async () => {
    const { makeAsync } = await import("../../src/envs/index.js");
    const { PPO } = await import("../../src/algos/ppo.js");
    const { SandboxRewardGuide } = await import("../../src/experiments/reward-design/index.js");
    const sandbox = await Sandbox.start({ timeoutMs: 10_000 });
    try {
      const source = "function computeReward(obs, action, nextObs, info) { const speed = info.hullVx; const level = -Math.abs(info.hullAngle); return {reward: speed + level, components: {speed, level}}; }";
      const guide = new SandboxRewardGuide({ source, sandbox });
      const seen: number[] = [];
      const wrapped = { ...guide, name: guide.name, needsInfos: true, transformRewards: async (b: Parameters<typeof guide.transformRewards>[0], c: Parameters<typeof guide.transformRewards>[1]) => {
        const r = await guide.transformRewards(b, c);
        // the learned rewards are the candidate's, step by step
        for (let i = 0; i < b.n; i += 97) assert.ok(Math.abs(r[i]! - ((b.infos![i]!.hullVx as number) - Math.abs(b.infos![i]!.hullAngle as number))) < 1e-4);
        seen.push(b.n);
        return r;
      } };
      const envs = [await makeAsync("BipedalWalker-v3"), await makeAsync("BipedalWalker-v3")];
      const model = new PPO(envs, { nSteps: 64, batchSize: 64, nEpochs: 1, guide: wrapped });
      await model.learn({ totalTimesteps: 256 });
      model.close();
      assert.deepEqual(seen, [128, 128]);
      assert.equal(guide.metrics()["reward_design/sandbox_batches"], 2, "one round trip per rollout");
      const snap = guide.snapshot(256);
      assert.deepEqual(Object.keys(snap.components).sort(), ["level", "speed", "total"]);
      for (const s of Object.values(snap.components)) assert.ok(s.min <= s.mean && s.mean <= s.max);
      assert.ok(snap.components.level!.max <= 0);
    } finally {
      await sandbox.close();
    }
  });
});
