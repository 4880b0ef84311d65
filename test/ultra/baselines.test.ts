import { test } from "node:test";
import assert from "node:assert/strict";
import type { Env, ResetOptions, ResetResult, StepResult } from "../../src/core/env.js";
import { Box, Discrete } from "../../src/core/spaces.js";
import { npRandom } from "../../src/core/rng.js";
import { make } from "../../src/envs/index.js";
import "../../src/envs/index.js";
import { PongEnv } from "../../src/envs/toy/pong.js";
import { keepProbabilities, maskCriticalStates, trainMaskNetwork } from "../../src/experiments/ultra/statemask.js";
import { RestartWrapper } from "../../src/experiments/ultra/restart.js";
import { RndBonus } from "../../src/experiments/ultra/rnd.js";
import { recordSteps } from "../../src/experiments/ultra/protocol.js";
import { pongCriticalFrames, restoredCriticalFrames } from "../../src/experiments/ultra/report.js";
import type { TransitionBatch } from "../../src/algos/seams.js";

const LENGTH = 8;
const CRITICAL = 5;

/**
 * A corridor of LENGTH steps (observation: one-hot of the step). Only at step CRITICAL does the action
 * matter: action 1 goes on, action 0 ends the episode with nothing. Surviving to the end pays 1.
 */
class Corridor implements Env<Float32Array, number> {
  readonly observationSpace = new Box(0, 1, [LENGTH]);
  readonly actionSpace = new Discrete(2);
  private t = 0;
  private obs(): Float32Array {
    const o = new Float32Array(LENGTH);
    o[this.t] = 1;
    return o;
  }
  reset(_opts?: ResetOptions): ResetResult<Float32Array> {
    this.t = 0;
    return { obs: this.obs(), info: {} };
  }
  step(action: number): StepResult<Float32Array> {
    if (this.t === CRITICAL && action === 0) return { obs: this.obs(), reward: 0, terminated: true, truncated: false, info: {} };
    this.t++;
    const end = this.t === LENGTH - 1;
    return { obs: this.obs(), reward: end ? 1 : 0, terminated: end, truncated: false, info: {} };
  }
  close(): void {}
}

test("StateMask-style mask network: it keeps the agent's action at the planted critical step and blinds elsewhere", async () => {
  // The agent always takes action 1: right at the critical step, irrelevant elsewhere.
  const mask = await trainMaskNetwork({
    makeEnv: () => new Corridor(), agent: { predict: () => Float32Array.of(1) }, steps: 8192, numEnvs: 4, blindBonus: 0.05, seed: 0,
    options: { nSteps: 64, batchSize: 64, nEpochs: 4, learningRate: 3e-3, gamma: 0.99, gaeLambda: 0.95, entCoef: 0.01 },
  });
  assert.equal(mask.numTimesteps, 8192, "the mask network trains for exactly the steps it is charged");
  const states = Array.from({ length: LENGTH - 1 }, (_, t) => { const o = new Float32Array(LENGTH); o[t] = 1; return o; });
  const keep = keepProbabilities(mask, states);
  const ranked = Array.from(keep.keys()).sort((a, b) => keep[b]! - keep[a]!);
  assert.equal(ranked[0], CRITICAL, `P(keep) per step: ${Array.from(keep, (p) => p.toFixed(2)).join(" ")}`);
  assert.ok(keep[CRITICAL]! > 0.8, `P(keep) at the critical step ${keep[CRITICAL]}`);
  for (let t = 0; t < LENGTH - 1; t++) if (t !== CRITICAL) assert.ok(keep[t]! < 0.5, `step ${t}: P(keep) ${keep[t]} (should blind)`);
  // Over a recorded episode, the top-1 mask critical state is the planted step.
  const ep = { obs: states, actions: states.map(() => 1), rewards: states.map(() => 0), return: 1, terminated: true, truncated: false };
  const top = maskCriticalStates([ep], mask, 1);
  assert.equal(top[0]!.step, CRITICAL);
  mask.close();
});

test("Pong getState/setState: a restored game continues exactly as the saved one (random serves included)", () => {
  const a = new PongEnv({ pointsToWin: 3 });
  a.reset({ seed: 3 });
  const rng = npRandom(1)[0];
  for (let t = 0; t < 150; t++) a.step(Math.floor(rng.random() * 3));
  const saved = a.getState();
  const b = new PongEnv({ pointsToWin: 3 });
  b.reset({ seed: 99 });
  const obs = b.setState(structuredClone(saved));
  assert.deepEqual(b.getState(), saved);
  assert.deepEqual(Array.from(obs), Array.from(a.setState(a.getState())));
  for (let t = 0; t < 400; t++) {
    const action = Math.floor(rng.random() * 3);
    const ra = a.step(action), rb = b.step(action);
    assert.deepEqual(Array.from(rb.obs), Array.from(ra.obs), `step ${t}`);
    assert.equal(rb.reward, ra.reward);
    assert.equal(rb.terminated, ra.terminated);
    if (ra.terminated) break;
  }
});

test("RICE restarts land exactly in the restored recorded state, and the mix follows the restart probability", () => {
  const env = make("Pong-v0", { pointsToWin: 5 }) as Env<Float32Array, unknown>;
  const rng = npRandom(2)[0];
  const episodes = recordSteps(env, { predict: () => Float32Array.of(Math.floor(rng.random() * 3)) }, { steps: 600, maxEpisodeSteps: 400, seed: 10 });
  assert.equal(episodes.reduce((s, e) => s + e.obs.length, 0), 600, "exactly the recorded steps");
  assert.equal(episodes.length, 2);
  const ep = episodes[1]!;
  assert.equal(ep.states!.length, ep.obs.length);
  const step = 77;
  const start = { state: ep.states![step], obs: ep.obs[step]! };
  const w = new RestartWrapper(make("Pong-v0", { pointsToWin: 5 }) as Env<Float32Array, unknown>, { states: [start], probability: 1, seed: 4 });
  const { obs, info } = w.reset({ seed: 123 });
  assert.equal(info.restarted, true);
  assert.deepEqual(Array.from(obs), Array.from(ep.obs[step]!), "the observation of the recorded step");
  assert.deepEqual((w.unwrapped as PongEnv).getState(), ep.states![step], "the env's whole state, the generator included");
  // Replaying the recorded actions from there reproduces the recorded episode.
  for (let t = step; t < ep.obs.length - 1; t++) {
    const r = w.step(ep.actions[t]);
    assert.deepEqual(Array.from(r.obs), Array.from(ep.obs[t + 1]!), `step ${t}`);
    assert.equal(r.reward, ep.rewards[t]);
  }
  const mixed = new RestartWrapper(make("Pong-v0") as Env<Float32Array, unknown>, { states: [start], probability: 0.25, seed: 1 });
  for (let i = 0; i < 400; i++) mixed.reset();
  assert.ok(mixed.restarts > 70 && mixed.restarts < 130, `${mixed.restarts} of 400 resets restored a state at p = 0.25`);
  assert.throws(() => new RestartWrapper(new Corridor() as unknown as Env<Float32Array, unknown>, { states: [start], probability: 1 }), /cannot save and restore its state/);
});

test("RND bonus: larger on a state never seen than on states it trained on; the batch's rewards are left alone", () => {
  const rnd = new RndBonus({ obsDim: 2, coef: 1, seed: 0, epochs: 20, learningRate: 3e-3 });
  const n = 512;
  const rng = npRandom(0)[0];
  const seen = Float32Array.from({ length: 2 * n }, () => rng.random() * 0.2);
  const batch = (next: Float32Array, rows: number): TransitionBatch => ({
    n: rows, obsDim: 2, actDim: 1, obs: new Float32Array(2 * rows), actions: new Float32Array(rows), rewards: new Float32Array(rows).fill(1),
    nextObs: next, terminated: new Uint8Array(rows), truncated: new Uint8Array(rows),
  });
  const b = batch(seen, n);
  for (let k = 0; k < 5; k++) rnd.transformRewards(b);
  assert.ok(b.rewards.every((r) => r === 1), "the batch is not modified");
  const probe = new Float32Array(2 * n);
  probe.set(seen.subarray(0, 2 * (n - 1)));
  probe[2 * (n - 1)] = 3; probe[2 * (n - 1) + 1] = -3;
  const out = rnd.transformRewards(batch(probe, n));
  const familiar = out.subarray(0, n - 1).reduce((s, v) => s + v, 0) / (n - 1);
  assert.ok(out[n - 1]! - 1 > 10 * (familiar - 1), `bonus on the novel state ${out[n - 1]! - 1} vs on familiar ones ${familiar - 1}`);
  assert.ok(out.every((r) => r >= 1), "the bonus is never negative");
});

test("critical-state frames are drawn by the env from the restored recorded state, captioned with the rationale", () => {
  const env = make("Pong-v0", { pointsToWin: 5 }) as Env<Float32Array, unknown>;
  const rng = npRandom(5)[0];
  // render the live game at steps 40 and 90 while recording
  const live: string[] = [];
  const recorder = make("Pong-v0", { pointsToWin: 5 }) as Env<Float32Array, unknown>;
  let t = 0;
  const policy = { predict: () => Float32Array.of(Math.floor(rng.random() * 3)) };
  const episodes = recordSteps({ ...recorder, observationSpace: recorder.observationSpace, actionSpace: recorder.actionSpace, spec: recorder.spec, unwrapped: recorder.unwrapped,
    reset: (o) => recorder.reset(o), close: () => recorder.close(),
    step: (a) => { if (t === 40 || t === 90) live.push(recorder.render!()); t++; return recorder.step(a); } }, policy, { steps: 120, maxEpisodeSteps: 120, seed: 1 });
  const states = [40, 90].map((step) => ({ episode: 0, step, obs: episodes[0]!.obs[step]!, takenAction: 0, rationale: `why ${step} <matters>` }));
  const frames = restoredCriticalFrames(env, episodes, states, { width: 320 });
  assert.equal(frames.length, 2);
  for (let k = 0; k < 2; k++) {
    assert.ok(frames[k]!.includes(live[k]!.slice(live[k]!.indexOf(">") + 1)), `frame ${k} is the live picture of that step`);
    assert.match(frames[k]!, new RegExp(`step ${states[k]!.step}: why ${states[k]!.step} &lt;matters&gt;`));
  }
  assert.throws(() => restoredCriticalFrames(env, [{ ...episodes[0]!, states: undefined }], states), /no recorded state/);
});

test("Pong critical frames keep the whole rationale as a wrapped caption (nothing cut off)", () => {
  const long = "Ball approaching and paddle 0.61 below the predicted intercept 0.47 with about 12 steps left, but the agent chose stay; " + "x".repeat(120);
  const [frame] = pongCriticalFrames([{ episode: 0, step: 9, obs: new Float32Array(6), takenAction: 0, rationale: long }]);
  assert.ok(frame!.includes(`step 9: ${long}`));
  assert.match(frame!, /<figcaption style="[^"]*white-space:normal/);
  assert.match(frame!, /<circle[^>]*stroke="#ff0"/, "the ball is ringed");
});
