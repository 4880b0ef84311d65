import { test } from "node:test";
import assert from "node:assert/strict";
import { PongEnv } from "../../src/envs/toy/pong.js";
import { PPO } from "../../src/algos/ppo.js";
import type { Guide, SeamContext, TransitionBatch } from "../../src/algos/seams.js";
import { CriticalStateTable, UltraGuide, type ActionSpec, type CriticalState } from "../../src/guides/ultra/index.js";

const spec: ActionSpec = { kind: "discrete", n: 3, meanings: ["stay", "up", "down"] };
// One critical state and a radius that covers every Pong state: every step is "critical".
const everywhere: CriticalState = { episode: 0, step: 0, obs: new Float32Array(6), takenAction: 0, rationale: "test", suggestedAction: 1, implicitReward: -1 };
const table = new CriticalStateTable([everywhere], { mean: new Float32Array(6), scale: new Float32Array(6).fill(1) }, 100);

/** Records what PPO hands to the seams and what comes back. */
class Recorder implements Guide {
  readonly name = "recorder";
  overridden = 0;
  calls = 0;
  batches: { batch: TransitionBatch; out: Float32Array | undefined }[] = [];
  constructor(private readonly inner: UltraGuide) {}
  overrideActions(obs: Float32Array, actions: Float32Array, numEnvs: number, ctx: SeamContext): number[] {
    this.calls++;
    const changed = this.inner.overrideActions(obs, actions, numEnvs, ctx);
    this.overridden += changed.length;
    return changed;
  }
  transformRewards(batch: TransitionBatch, ctx: SeamContext): Float32Array | undefined {
    const out = this.inner.transformRewards(batch);
    this.batches.push({ batch, out });
    void ctx;
    return out;
  }
}

function ppo(guide: Guide): PPO {
  return new PPO([new PongEnv({ pointsToWin: 3 }), new PongEnv({ pointsToWin: 3 })], { nSteps: 64, batchSize: 64, nEpochs: 1, seed: 0, guide });
}

test("PPO's action seam: ULTRA-A overrides reach the environment and the rollout buffer", async () => {
  const rec = new Recorder(new UltraGuide({ table, mode: "A", actionSpec: spec, overrideProbability: 1 }));
  const model = ppo(rec);
  await model.learn({ totalTimesteps: 128 });
  assert.equal(rec.calls, 64);
  assert.equal(rec.overridden, 128, "every step of both envs was overridden");
  const buf = model.rolloutBuffer;
  for (let i = 0; i < 128; i++) assert.equal(buf.actions[i], 1, `buffer row ${i} holds the suggested action`);
  // the transitions the reward seam saw are the applied (overridden) actions
  assert.equal(rec.batches.length, 1);
  assert.ok(rec.batches[0]!.batch.actions.every((a) => a === 1));
  assert.equal(rec.batches[0]!.out, undefined, "ULTRA-A keeps the environment's rewards");
  model.close();
});

test("PPO's reward seam: ULTRA-R implicit rewards are what PPO learns from", async () => {
  const guide = new UltraGuide({ table, mode: "R", actionSpec: spec, rewardScale: 0.5 });
  const rec = new Recorder(guide);
  const model = ppo(rec);
  await model.learn({ totalTimesteps: 128 });
  assert.equal(rec.overridden, 0, "ULTRA-R does not override actions");
  const { batch, out } = rec.batches[0]!;
  assert.ok(out !== undefined);
  let penalised = 0;
  for (let i = 0; i < batch.n; i++) {
    const expected = batch.rewards[i]! + (batch.actions[i] === 0 ? -0.5 : 0);
    assert.ok(Math.abs(out[i]! - expected) < 1e-6, `row ${i}: ${out[i]} vs ${expected}`);
    if (batch.actions[i] === 0) penalised++;
  }
  assert.ok(penalised > 0, "some steps repeated the judged action");
  // No normalisation and no time-limit bootstrap here: the buffer holds exactly the transformed rewards.
  const buf = model.rolloutBuffer;
  for (let i = 0; i < batch.n; i++) assert.ok(Math.abs(buf.rewards[i]! - out[i]!) < 1e-6);
  assert.equal(guide.metrics()["ultra/rewarded_rate"], penalised / batch.n);
  model.close();
});
