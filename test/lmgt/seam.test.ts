/**
 * The shift reaches each algorithm's update through the reward seam: a scripted scorer that approves one
 * action (+1) and disapproves the other (-1), with a large shift scale, must pull the trained greedy policy
 * toward the approved action — and flipping the scorer flips the policy.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { make } from "../../src/envs/index.js";
import type { Env } from "../../src/core/env.js";
import { LmgtGuide } from "../../src/guides/lmgt/guide.js";
import { readLmgtRequest } from "../../src/guides/lmgt/surrogate/handler.js";
import { createLmgtModel } from "../../src/experiments/lmgt/algos.js";
import type { LmgtAlgoName } from "../../src/experiments/lmgt/presets.js";
import { npRandom } from "../../src/core/rng.js";
import { ScriptedLlm } from "./fixtures.js";

/** Uniform draws in [0, 1) from the core PCG64 generator. */
const seededUniform = (seed: number): (() => number) => {
  const g = npRandom(seed)[0];
  return () => g.random();
};

/** +1 when the action is on the approved side (Discrete index 1 / positive torque), -1 otherwise; flipped if `approveSecond` is false. */
function sideScorer(approveSecond: boolean): ScriptedLlm {
  return new ScriptedLlm((req) =>
    readLmgtRequest(req)
      .pairs.map((p) => {
        const second = p.action.index !== undefined ? p.action.index === 1 : p.action.values[0]! > 0;
        return `${p.k}: ${second === approveSecond ? "+1" : "-1"}`;
      })
      .join("\n"),
  );
}

interface Case {
  algo: LmgtAlgoName;
  envId: string;
  numEnvs: number;
  steps: number;
  hyper: Record<string, unknown>;
}

const cases: Case[] = [
  { algo: "dqn", envId: "CartPole-v1", numEnvs: 1, steps: 1200, hyper: { learningStarts: 200, trainFreq: 64, gradientSteps: 32, learningRate: 3e-3, targetUpdateInterval: 64, explorationFraction: 0.3, netArch: [32, 32] } },
  { algo: "ppo", envId: "CartPole-v1", numEnvs: 4, steps: 1024, hyper: { nSteps: 64, batchSize: 64, nEpochs: 4, learningRate: 3e-3 } },
  { algo: "a2c", envId: "CartPole-v1", numEnvs: 4, steps: 1000, hyper: { learningRate: 3e-3 } },
  { algo: "sac", envId: "Pendulum-v1", numEnvs: 1, steps: 500, hyper: { learningStarts: 100, batchSize: 64, netArch: [32, 32], learningRate: 3e-3 } },
];

/** Fraction of random states where the trained greedy policy picks the second action / a positive torque. */
async function trainedPreference(c: Case, approveSecond: boolean): Promise<{ share: number; pairs: number }> {
  const envs: Env[] = Array.from({ length: c.numEnvs }, () => make(c.envId) as Env);
  const guide = new LmgtGuide({
    llm: sideScorer(approveSecond),
    description: envs[0]!.spec!.describe(),
    observationSpace: envs[0]!.observationSpace,
    pairsPerCall: 256,
    shiftScale: 5,
  });
  const model = await createLmgtModel(c.algo, envs, { ...c.hyper, seed: 3, guide });
  try {
    await model.learn({ totalTimesteps: c.steps });
    const u = seededUniform(11);
    const probe = make(c.envId) as Env;
    let second = 0;
    const n = 64;
    for (let i = 0; i < n; i++) {
      const obs = probe.reset({ seed: 100 + i }).obs as Float32Array;
      // Perturb the start state a little so the probe covers more than the reset distribution's centre.
      const row = Float32Array.from(obs, (v) => v + (u() - 0.5) * 0.05);
      const a = model.predict(row, true);
      if (c.algo === "sac" ? a[0]! > 0 : a[0] === 1) second++;
    }
    return { share: second / n, pairs: guide.stats.pairsScored };
  } finally {
    model.dispose?.();
    model.close?.();
  }
}

for (const c of cases) {
  test(`${c.algo.toUpperCase()} on ${c.envId}: the LMGT shift reaches the update through the reward seam`, async () => {
    const toSecond = await trainedPreference(c, true);
    const toFirst = await trainedPreference(c, false);
    assert.ok(toSecond.pairs >= c.steps * 0.9, `the guide scored the transitions (${toSecond.pairs})`);
    assert.ok(toSecond.share >= 0.9, `approving action 1 / positive torque: greedy share ${toSecond.share}`);
    assert.ok(toFirst.share <= 0.1, `approving action 0 / negative torque: greedy share ${toFirst.share}`);
  });
}
