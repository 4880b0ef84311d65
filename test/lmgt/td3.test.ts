import { test } from "node:test";
import assert from "node:assert/strict";
import { make } from "../../src/envs/index.js";
import type { Env } from "../../src/core/env.js";
import { createLmgtModel } from "../../src/experiments/lmgt/algos.js";
import { LmgtGuide } from "../../src/guides/lmgt/guide.js";
import { LMGT_PRESETS } from "../../src/experiments/lmgt/presets.js";
import { planLmgtTrials, defaultGuideSettings } from "../../src/experiments/lmgt/protocol.js";
import type { TD3 } from "../../src/algos/td3.js";
import { ScriptedLlm } from "./fixtures.js";

/** Scores every pair +1 (as "k: +1" lines). */
const allGood = () =>
  new ScriptedLlm((req) => [...req.messages.map((m) => m.content).join("\n").matchAll(/^Pair (\d+):/gm)].map((m) => `${m[1]}: +1`).join("\n"));

test("TD3 receives LMGT's shift: the rewards it stores are the env's plus lambda * score, for every transition", async () => {
  const steps = 96;
  const train = async (withGuide: boolean) => {
    const env = make("Pendulum-v1") as Env;
    const llm = allGood();
    const guide = withGuide
      ? new LmgtGuide({ llm, description: env.spec!.describe(), pairsPerCall: 64, cache: false, shiftScale: 1 })
      : undefined;
    // learningStarts past the run: the same seeded warm-up actions with and without the guide
    const model = (await createLmgtModel("td3", [env], { ...LMGT_PRESETS.pendulum.hyperparams.td3, learningStarts: 1000, seed: 5, ...(guide ? { guide } : {}) })) as unknown as TD3;
    await model.learn({ totalTimesteps: steps });
    const state = model.replayBuffer.getState();
    const rewards = Array.from(state.rewards.subarray(0, steps));
    model.close?.();
    return { rewards, guide, llm };
  };
  const plain = await train(false);
  const guided = await train(true);
  assert.equal(plain.rewards.length, steps);
  assert.ok(plain.rewards.every((r) => r <= 0), "Pendulum's own reward is never positive");
  guided.rewards.forEach((r, i) => assert.ok(Math.abs(r - (plain.rewards[i]! + 1)) < 1e-5, `step ${i}: ${r} vs ${plain.rewards[i]} + 1`));
  assert.equal(guided.guide!.snapshot().pairsScored, steps);
});

test("Pendulum runs SAC and TD3 at the full budget (the paper's pairing); TD3 gets the same guide settings as SAC", () => {
  const trials = planLmgtTrials({ envs: ["pendulum"], budget: "full", experiments: ["main"], methods: ["paper"] });
  assert.deepEqual([...new Set(trials.map((t) => t.algo))], ["sac", "td3"]);
  const td3 = trials.find((t) => t.algo === "td3" && t.variant === "lmgt")!;
  assert.deepEqual(td3.guide, defaultGuideSettings("pendulum", "paper"));
  assert.deepEqual([...new Set(planLmgtTrials({ envs: ["pendulum"], budget: "smoke", experiments: ["main"] }).map((t) => t.algo))], ["sac"]);
});
