import { test } from "node:test";
import assert from "node:assert/strict";
import { PongEnv } from "../../src/envs/toy/pong.js";
import { PPO } from "../../src/algos/ppo.js";
import { A2C } from "../../src/algos/a2c.js";
import type { ActionTargets, Guide, SeamContext, TransitionBatch } from "../../src/algos/seams.js";
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
  const rec = new Recorder(new UltraGuide({ table, mode: "A", actionSpec: spec, actionModulation: "override", overrideProbability: 1 }));
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
  const guide = new UltraGuide({ table, mode: "R", actionSpec: spec, rewardScale: 0.5, implicitReward: "judged-action" });
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

/** Mean probability the policy gives `action` over the first `n` observations of `obsRows`. */
function meanProbability(model: PPO, obsRows: Float32Array, n: number, action: number): number {
  const lp = new Float32Array(n);
  model.policy.logProbOf(obsRows.subarray(0, n * 6), new Float32Array(n).fill(action), n, lp);
  return lp.reduce((s, v) => s + Math.exp(v), 0) / n;
}

test("PPO's action-target seam: ULTRA-A imitation reaches the update and moves the policy toward the suggested action at critical states", async () => {
  const pong = () => [new PongEnv({ pointsToWin: 3 }), new PongEnv({ pointsToWin: 3 })];
  const opts = { nSteps: 64, batchSize: 64, nEpochs: 10, learningRate: 3e-3, seed: 0 };
  const guide = new UltraGuide({ table, mode: "A", actionSpec: spec, actionModulation: "imitation", imitationCoef: 1 });
  const guided = new PPO(pong(), { ...opts, guide });
  const plain = new PPO(pong(), opts);
  const before = new PPO(pong(), opts); // same seed, same initial weights
  let lastMetrics: Record<string, number> = {};
  await guided.learn({ totalTimesteps: 256, callback: (p) => { lastMetrics = p.metrics; } });
  await plain.learn({ totalTimesteps: 256 });
  // The executed actions are the policy's own (nothing overridden), the targets went to the update.
  const acts = guided.rolloutBuffer.actions.subarray(0, 128);
  assert.ok(acts.some((a) => a !== 1), "actions were not overridden");
  assert.ok(lastMetrics["train/action_target_loss"]! > 0, "the update saw the action-target term");
  assert.equal(guide.metrics()["ultra/imitation_rate"], 1, "every state matched the all-covering critical state");
  // Probe on the states the unguided run visited (every Pong state is critical for this table).
  const probe = plain.rolloutBuffer.obs;
  const p0 = meanProbability(before, probe, 128, 1);
  const pGuided = meanProbability(guided, probe, 128, 1);
  const pPlain = meanProbability(plain, probe, 128, 1);
  assert.ok(pGuided > p0 + 0.1, `pi(suggested) ${p0.toFixed(3)} -> ${pGuided.toFixed(3)}: not moved toward the suggestion`);
  assert.ok(pGuided > pPlain + 0.1, `guided ${pGuided.toFixed(3)} vs unguided ${pPlain.toFixed(3)}`);
  for (const m of [guided, plain, before]) m.close();
});

/** Targets on even rows only, a fixed action and weight. */
class EvenRows implements Guide {
  readonly name = "even-rows";
  constructor(private readonly target: number, private readonly coef: number) {}
  actionTargets(batch: TransitionBatch): ActionTargets {
    const rows = Int32Array.from({ length: Math.ceil(batch.n / 2) }, (_, k) => 2 * k);
    return { rows, actions: new Float32Array(rows.length).fill(this.target), coef: this.coef };
  }
}

test("PPO's action-target term is coef * mean over the minibatch of -log pi(target | s) on the chosen rows only", async () => {
  const pong = () => [new PongEnv({ pointsToWin: 3 }), new PongEnv({ pointsToWin: 3 })];
  const opts = { nSteps: 64, batchSize: 128, nEpochs: 1, seed: 4 };
  const model = new PPO(pong(), { ...opts, guide: new EvenRows(2, 0.7) });
  const before = new PPO(pong(), opts);
  let metrics: Record<string, number> = {};
  await model.learn({ totalTimesteps: 128, callback: (p) => { metrics = p.metrics; } }); // one phase, one minibatch
  const lp = new Float32Array(128);
  before.policy.logProbOf(model.rolloutBuffer.obs.subarray(0, 128 * 6), new Float32Array(128).fill(2), 128, lp);
  let expected = 0;
  for (let row = 0; row < 128; row += 2) expected += -0.7 * lp[row]! / 128;
  assert.ok(Math.abs(metrics["train/action_target_loss"]! - expected) < 1e-5, `${metrics["train/action_target_loss"]} vs ${expected}`);
  model.close();
  before.close();
});

test("action targets: algorithms that cannot train on them refuse the guide; malformed targets are clear errors", async () => {
  assert.throws(() => new A2C([new PongEnv({ pointsToWin: 3 })], { guide: new EvenRows(1, 1) }), /action targets/);
  const bad: Guide = { name: "bad", actionTargets: () => ({ rows: Int32Array.from([999]), actions: Float32Array.from([1]), coef: 1 }) };
  const model = new PPO([new PongEnv({ pointsToWin: 3 })], { nSteps: 16, batchSize: 16, guide: bad });
  await assert.rejects(model.learn({ totalTimesteps: 16 }), /row 999 is outside the batch/);
  model.close();
  const wide: Guide = { name: "wide", actionTargets: () => ({ rows: Int32Array.from([0]), actions: Float32Array.from([1, 2]), coef: 1 }) };
  const m2 = new PPO([new PongEnv({ pointsToWin: 3 })], { nSteps: 16, batchSize: 16, guide: wide });
  await assert.rejects(m2.learn({ totalTimesteps: 16 }), /1 rows but 2 action values/);
  m2.close();
});

test("the paper's ULTRA-A through PPO: at every matched state the suggested action is executed (probability 1) and stored with its log-probability under the current policy; elsewhere the agent's own", async () => {
  // One critical state in the middle of the court, a radius that covers part of the visited states.
  const mid: CriticalState = { episode: 0, step: 0, obs: new Float32Array(6), takenAction: 0, rationale: "test", suggestedAction: 2, implicitReward: -1 };
  const partial = new CriticalStateTable([mid], { mean: new Float32Array(6), scale: new Float32Array(6).fill(1) }, 0.35);
  const guide = new UltraGuide({ table: partial, mode: "A", actionSpec: spec }); // defaults: the paper's form
  const pong = () => [new PongEnv({ pointsToWin: 3 }), new PongEnv({ pointsToWin: 3 })];
  const opts = { nSteps: 128, batchSize: 64, nEpochs: 2, seed: 5 };
  const model = new PPO(pong(), { ...opts, guide });
  const before = new PPO(pong(), opts); // same seed: the weights the rollout was collected with
  await model.learn({ totalTimesteps: 256 });
  const buf = model.rolloutBuffer;
  const n = 256;
  const lp = new Float32Array(n);
  before.policy.logProbOf(buf.obs.subarray(0, n * 6), buf.actions.subarray(0, n), n, lp);
  let matched = 0, ownDown = 0, unmatched = 0;
  for (let row = 0; row < n; row++) {
    const hit = partial.nearest(buf.obs, row * 6) !== undefined;
    if (hit) {
      matched++;
      assert.equal(buf.actions[row], 2, `row ${row}: matched but not overridden`);
    } else {
      unmatched++;
      if (buf.actions[row] === 2) ownDown++;
    }
    assert.ok(Math.abs(buf.logProbs[row]! - lp[row]!) < 1e-5, `row ${row}: stored log-prob ${buf.logProbs[row]} vs log pi(executed) ${lp[row]}`);
  }
  assert.ok(matched > 10 && unmatched > 10, `${matched} matched, ${unmatched} unmatched rows: the test needs both`);
  assert.ok(ownDown < unmatched, "unmatched rows keep the agent's own (varied) actions");
  assert.equal(guide.metrics()["ultra/override_rate"], matched / n);
  model.close();
  before.close();
});
