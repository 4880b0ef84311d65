import { test } from "node:test";
import assert from "node:assert/strict";
import { make } from "../../src/envs/index.js";
import { RunningMeanStd } from "../../src/envs/wrappers/running-mean-std.js";
import { NormalizeObservation, NormalizeReward } from "../../src/envs/wrappers/normalize.js";
import { VectorNormalize } from "../../src/envs/wrappers/vec-normalize.js";
import { RecordEpisodeStatistics, type EpisodeStatistics } from "../../src/envs/wrappers/record-episode-statistics.js";
import { ClipAction } from "../../src/envs/wrappers/clip-action.js";
import { FlattenObservation } from "../../src/envs/wrappers/flatten-observation.js";
import { TimeLimit } from "../../src/envs/wrappers/time-limit.js";
import { PendulumEnv } from "../../src/envs/classic/pendulum.js";
import { SyncVecEnv, makeVec } from "../../src/envs/vector.js";
import { BaseEnv, Box, Discrete, type ResetOptions, type ResetResult, type StepResult } from "../../src/core/index.js";

const close = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} vs ${b}`);

test("RunningMeanStd matches SB3's update (values computed with SB3's formula in numpy)", () => {
  const rms = new RunningMeanStd(2);
  rms.update([1, 2, 3, 4]);
  rms.update([5, 0]);
  close(rms.mean[0]!, 2.999900003333222);
  close(rms.mean[1]!, 1.9999333355554816);
  close(rms.var[0]!, 2.6669110929639017);
  close(rms.var[1]!, 2.6667444374077895);
  close(rms.count, 3.0001);
  const copy = new RunningMeanStd(2);
  copy.setState(JSON.parse(JSON.stringify(rms.getState())));
  assert.deepEqual(copy.getState(), rms.getState());
  assert.throws(() => copy.setState({ mean: [0], var: [1], count: 1 }), /length 2/);
  assert.throws(() => rms.update([1, 2, 3]), /rows of 2/);
});

/** A scripted env: rewards and terminations from a list, constant observations (for VecNormalize's reward arithmetic). */
class ScriptedEnv extends BaseEnv<Float32Array, number> {
  readonly observationSpace = new Box(-1, 1, [1]);
  readonly actionSpace = new Discrete(2);
  private t = 0;
  constructor(private readonly rewards: number[], private readonly dones: number[]) {
    super();
  }
  override reset(opts?: ResetOptions): ResetResult<Float32Array> {
    this.seedFrom(opts);
    return { obs: new Float32Array(1), info: {} };
  }
  step(): StepResult<Float32Array> {
    const t = this.t++;
    return { obs: new Float32Array(1), reward: this.rewards[t]!, terminated: this.dones[t] === 1, truncated: false, info: {} };
  }
}

test("VectorNormalize normalises rewards by the discounted-return std exactly as SB3 (numpy reference values, to float32)", () => {
  // Two envs: env 0 gets rewards 1, 0.5, 3 and ends after the second step; env 1 gets 2, -1, 0.
  const venv = new SyncVecEnv([new ScriptedEnv([1, 0.5, 3], [0, 1, 0]), new ScriptedEnv([2, -1, 0], [0, 0, 0])], 0);
  const vn = new VectorNormalize(venv, { normObs: false });
  vn.reset();
  const want = [[1.9994002823500832, 3.9988005647001663], [1.1947639984863057, -2.3895279969726113], [4.064219180346163, 0.0]];
  for (const w of want) {
    const got = vn.step(Float32Array.of(0, 0)).rewards;
    assert.equal(got[0], Math.fround(w[0]!));
    assert.equal(got[1], Math.fround(w[1]!));
  }
});

test("VectorNormalize over CartPole: obs normalised and clipped, final observations normalised, state restores (and the old state format loads)", () => {
  const venv = new VectorNormalize(makeVec("CartPole-v1", 4, { seed: 0 }), { clipObs: 5 });
  let obs = venv.reset();
  assert.equal(obs.length, 16);
  let sawFinal = false;
  for (let t = 0; t < 200; t++) {
    const r = venv.step(Float32Array.of(0, 1, 0, 1));
    obs = r.obs;
    for (const v of obs) assert.ok(Math.abs(v) <= 5);
    for (const f of r.finalObs) if (f !== null) {
      sawFinal = true;
      for (const v of f) assert.ok(Math.abs(v) <= 5);
    }
  }
  assert.ok(sawFinal);
  assert.ok(venv.obsRms.count > 800);
  // Evaluate with frozen statistics restored from JSON.
  const evalEnv = new VectorNormalize(makeVec("CartPole-v1", 4, { seed: 0 }), { training: false, clipObs: 5 });
  evalEnv.setState(JSON.parse(JSON.stringify(venv.getState())));
  const normalised = evalEnv.reset();
  assert.deepEqual(normalised, venv.normalizeObs(evalEnv.originalObs!));
  assert.deepEqual(evalEnv.obsRms.getState(), venv.obsRms.getState());
  // The wrapper's earlier state format ({obsRms, retRms, clip..., normObs, normReward}) still loads.
  const legacy = { obsRms: venv.obsRms.getState(), retRms: venv.retRms.getState(), clipObs: 5, clipReward: 10, gamma: 0.99, epsilon: 1e-8, normObs: true, normReward: true };
  const old = new VectorNormalize(makeVec("CartPole-v1", 4, { seed: 0 }), { training: false, clipObs: 5 });
  old.setState(legacy);
  assert.deepEqual(old.getState().obs, venv.getState().obs);
  assert.deepEqual(old.getState().ret, venv.getState().ret);
  assert.throws(() => new VectorNormalize(makeVec("CartPole-v1", 4), { normReward: false }).setState(legacy), /same settings/);
});

test("NormalizeObservation: normalised observations with running statistics; frozen when not training", () => {
  const env = new NormalizeObservation(make("Pendulum-v1"));
  env.reset({ seed: 0 });
  for (let t = 0; t < 199; t++) env.step(Float32Array.of(0));
  assert.equal(Math.round(env.obsRms.count), 200);
  const mean = env.obsRms.mean;
  const r = env.step(Float32Array.of(0));
  const raw = r.info.unnormalizedObs as Float32Array;
  const expected = (raw[2]! - mean[2]!) / Math.sqrt(env.obsRms.var[2]! + 1e-8);
  assert.ok(Math.abs(r.obs[2]! - Math.fround(expected)) < 1e-5);
  const frozen = new NormalizeObservation(make("Pendulum-v1"), { training: false });
  frozen.setState(env.getState());
  frozen.reset({ seed: 1 });
  frozen.step(Float32Array.of(0));
  assert.deepEqual(frozen.obsRms.getState(), env.obsRms.getState());
});

test("NormalizeReward: scales by the std of the discounted return; resets the return at episode end", () => {
  const env = new NormalizeReward(make("CartPole-v1"), { gamma: 0.9 });
  env.reset({ seed: 0 });
  let r;
  let n = 0;
  do {
    r = env.step(0);
    n++;
  } while (!r.terminated);
  assert.equal(env.discountedReturn, 0);
  assert.equal(Math.round(env.retRms.count), n);
  assert.equal(r.info.unnormalizedReward, 1);
  assert.ok(Math.abs(r.reward - 1 / Math.sqrt(env.retRms.var[0]! + 1e-8)) < 1e-12);
  assert.throws(() => new NormalizeReward(make("CartPole-v1"), { gamma: 2 }), /gamma/);
});

test("RecordEpisodeStatistics adds {r, l, t} at episode end and keeps queues", () => {
  const env = new RecordEpisodeStatistics(make("CartPole-v1"), 2);
  for (let ep = 0; ep < 3; ep++) {
    env.reset({ seed: ep });
    let r, total = 0, len = 0;
    do {
      r = env.step(1);
      total += r.reward;
      len++;
      if (!(r.terminated || r.truncated)) assert.equal(r.info.episode, undefined);
    } while (!(r.terminated || r.truncated));
    const stats = r.info.episode as EpisodeStatistics;
    assert.equal(stats.r, total);
    assert.equal(stats.l, len);
    assert.ok(stats.t >= 0);
  }
  assert.equal(env.returnQueue.length, 2);
  assert.equal(env.episodeCount, 3);
});

test("ClipAction clips into the Box and accepts any finite action", () => {
  const env = new ClipAction(make("Pendulum-v1"));
  env.reset({ seed: 0 });
  assert.throws(() => make("Pendulum-v1").step(Float32Array.of(5)), /step\(\) called before reset/);
  env.step(Float32Array.of(50));
  assert.equal((env.unwrapped as PendulumEnv).lastU, 2);
  env.step([-7]);
  assert.equal((env.unwrapped as PendulumEnv).lastU, -2);
  assert.ok(env.actionSpace.contains(Float32Array.of(1e6)));
  assert.throws(() => new ClipAction(make("CartPole-v1") as never), /Box action space/);
});

test("TimeLimit truncates at maxEpisodeSteps and make() respects overrides", () => {
  const env = make("Pendulum-v1", { maxEpisodeSteps: 7 });
  env.reset({ seed: 0 });
  for (let t = 1; t <= 7; t++) assert.equal(env.step(Float32Array.of(0)).truncated, t === 7);
  assert.equal(env.spec?.maxEpisodeSteps, 7);
  assert.throws(() => new TimeLimit(new PendulumEnv(), 0), /positive integer/);
  const unlimited = make("Pendulum-v1", { maxEpisodeSteps: null });
  unlimited.reset({ seed: 0 });
  for (let t = 0; t < 300; t++) assert.equal(unlimited.step(Float32Array.of(0)).truncated, false);
});

test("FlattenObservation: Blackjack's Tuple of Discretes becomes one one-hot Box row (Gymnasium's flatten_space bounds)", () => {
  const env = new FlattenObservation(make("Blackjack-v1"));
  const space = env.observationSpace as Box;
  assert.equal(space.kind, "box");
  assert.deepEqual(space.shape, [45]);
  assert.ok(space.low.every((v) => v === 0) && space.high.every((v) => v === 1));
  const { obs } = env.reset({ seed: 4 });
  const raw = make("Blackjack-v1").reset({ seed: 4 }).obs as [number, number, number];
  const hot = [...obs.keys()].filter((i) => obs[i] === 1);
  assert.deepEqual(hot, [raw[0], 32 + raw[1], 43 + raw[2]]);
  const flatPendulum = new FlattenObservation(make("Pendulum-v1"));
  assert.deepEqual(Array.from((flatPendulum.observationSpace as Box).high), [1, 1, 8], "a Box keeps its bounds");
});
