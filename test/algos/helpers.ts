/** Checks shared by the algorithm suites (DQN, SAC, TD3): the same assertions, written once. */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RunDir, trainRun, type RunOptions } from "../../src/algos/run.js";
import type { Guide, TransitionBatch } from "../../src/algos/seams.js";
import type { Mlp } from "../../src/nn/mlp.js";

/** What one seeded training run gives: its per-update losses and its final weights. */
export interface SeededCurve {
  losses: number[];
  w: unknown;
}

/** Trains `model` for `totalTimesteps`, then closes it: the `metric` of every update and `weights(model)`. */
export async function trainedCurve<M extends OffPolicyUnderTest>(model: M, totalTimesteps: number, metric: string, weights: (model: M) => unknown): Promise<SeededCurve> {
  const losses: number[] = [];
  await model.learn({ totalTimesteps, callback: (p) => void (p.metrics[metric] !== undefined && losses.push(p.metrics[metric]!)) });
  const w = weights(model);
  model.close();
  return { losses, w };
}

/**
 * Trains with `seed` twice and with `otherSeed` once: the two runs with one seed give the same losses and
 * weights (and more than 10 updates), the other seed other weights.
 */
export async function assertSeededDeterminism(run: (seed: number) => Promise<SeededCurve>, seed: number, otherSeed: number): Promise<void> {
  const a = await run(seed);
  const b = await run(seed);
  const c = await run(otherSeed);
  assert.ok(a.losses.length > 10);
  assert.deepEqual(a.losses, b.losses);
  assert.deepEqual(a.w, b.w);
  assert.notDeepEqual(a.w, c.w);
}

/** What the shared off-policy checks need of a model (DQN, SAC, TD3). */
export interface OffPolicyUnderTest {
  numTimesteps: number;
  nUpdates: number;
  collector: { stats: unknown };
  replayBuffer: { getState(): { rewards: Float32Array; actions: Float32Array } };
  learn(opts: {
    totalTimesteps: number;
    checkpointDir?: string;
    checkpointInterval?: number;
    callback?: (p: { numTimesteps: number; metrics: Record<string, number | undefined> }) => boolean | void;
  }): Promise<unknown>;
  close(): void;
}

/**
 * Trains `create()` for `total` steps whole, and again with a checkpoint every `interval` steps, stopped once
 * past `stopAt` (the steps after the last checkpoint are lost); `load` resumes from the checkpoint, which must
 * be at step `interval`, and trains to `total`: steps, updates, `numbers` (weights and what else the algorithm
 * keeps) and the collector's statistics equal the whole run's. `more` checks further while the folder exists.
 */
export async function assertCheckpointResumes<M extends OffPolicyUnderTest>(
  run: { prefix: string; total: number; interval: number; stopAt: number },
  create: () => M,
  load: (dir: string) => Promise<M>,
  numbers: (model: M) => unknown,
  more?: (resumed: M, full: M, dir: string) => Promise<void>,
): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), run.prefix));
  try {
    const full = create();
    await full.learn({ totalTimesteps: run.total });
    const killed = create();
    await killed.learn({ totalTimesteps: run.total, checkpointDir: dir, checkpointInterval: run.interval, callback: (p) => p.numTimesteps < run.stopAt });
    killed.close();
    const resumed = await load(dir);
    assert.equal(resumed.numTimesteps, run.interval);
    await resumed.learn({ totalTimesteps: run.total });
    assert.equal(resumed.numTimesteps, full.numTimesteps);
    assert.equal(resumed.nUpdates, full.nUpdates);
    assert.deepEqual(numbers(resumed), numbers(full));
    assert.deepEqual(resumed.collector.stats, full.collector.stats);
    await more?.(resumed, full, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The guide seams of a continuous off-policy algorithm on Pendulum-v1. `shiftModel(guide?)` makes a model on
 * 2 envs with trainFreq 2 and a fixed seed: a reward transform adding 100 is called once per chunk of 4
 * transitions, the shifted rewards are the ones stored, and they reach the critic (same seed and minibatch:
 * the first critic loss is far larger). `overrideModel(guide)`: an action overridden in env space (torque -1
 * of [-2, 2]) is stored rescaled to [-1, 1], after whatever exploration noise the model adds.
 */
export async function assertContinuousSeams<M extends OffPolicyUnderTest>(shiftModel: (guide?: Guide) => M, overrideModel: (guide: Guide) => M): Promise<void> {
  const sizes: number[] = [];
  const shift: Guide = {
    name: "shift",
    transformRewards(batch: TransitionBatch) {
      sizes.push(batch.n);
      return batch.rewards.map((r) => r + 100);
    },
  };
  const firstCriticLoss = async (guide?: Guide) => {
    const model = shiftModel(guide);
    let loss: number | undefined;
    await model.learn({ totalTimesteps: 40, callback: (p) => void (loss ??= p.metrics.criticLoss) });
    const stored = model.replayBuffer.getState().rewards;
    model.close();
    return { loss: loss!, stored };
  };
  const plain = await firstCriticLoss();
  const shifted = await firstCriticLoss(shift);
  assert.ok(sizes.length > 0 && sizes.every((n) => n === 2 * 2), "one call per trainFreq chunk of all envs");
  assert.ok(shifted.stored.every((r, i) => Math.abs(r - (plain.stored[i]! + 100)) < 1e-3));
  // Same seed and the same minibatch, targets 100 higher: the squared error is far larger.
  assert.ok(shifted.loss > plain.loss + 1000, `${shifted.loss} vs ${plain.loss}`);

  const pushLeft: Guide = {
    name: "push-left",
    overrideActions(_obs, actions) {
      actions[0] = -1;
      return [0];
    },
  };
  const model = overrideModel(pushLeft);
  await model.learn({ totalTimesteps: 20 });
  assert.ok(model.replayBuffer.getState().actions.every((a) => a === -0.5), "stored in [-1, 1]");
  model.close();
}

/**
 * Runs `opts` into a fresh run folder whole, and again into another folder that crashes half way between
 * the first and second checkpoint and is then resumed: both end with the same step count, final evaluation
 * and metrics (wall-clock timings aside). `prefix` names the temporary folders.
 */
export async function assertRunFolderResumes(opts: Omit<RunOptions, "out">, prefix: string): Promise<void> {
  const withoutTimings = (dir: string) => new RunDir(dir).metrics().map(({ wallSeconds: _w, ...rest }) => rest);
  const whole = join(mkdtempSync(join(tmpdir(), prefix)), "whole");
  const full = await trainRun({ ...opts, out: whole });
  const broken = join(mkdtempSync(join(tmpdir(), prefix)), "broken");
  const killAt = (opts.checkpointFreq! * 3) / 2;
  await assert.rejects(
    trainRun({ ...opts, out: broken, callback: (p) => { if (p.numTimesteps > killAt) throw new Error("simulated crash"); } }),
    /simulated crash/,
  );
  const resumed = await trainRun({ ...opts, out: broken, resume: true });
  assert.equal(resumed.numTimesteps, full.numTimesteps);
  assert.deepEqual(resumed.finalEval, full.finalEval);
  assert.deepEqual(withoutTimings(broken), withoutTimings(whole));
  rmSync(whole, { recursive: true, force: true });
  rmSync(broken, { recursive: true, force: true });
}

/**
 * Every parameter's analytic gradient against finite differences of the float32 forward pass (the actual
 * float32 step is the divisor). The losses are piecewise smooth (ReLU): a step can cross a kink of some
 * unit on some row, on one side of the current point. So a parameter passes when the central difference
 * with step 1e-3 agrees, or else the forward or the backward difference with step 1e-4 (the side without
 * the kink), within float32 round-off over the step plus 2% of the gradient.
 */
export function checkAgainstFiniteDifferences(net: Mlp, analytic: Float32Array, loss: () => number, what: string): void {
  const at = (i: number, delta: number): [number, number] => {
    const p = net.params[i]!;
    net.params[i] = p + delta;
    const moved = net.params[i]! - p;
    const value = loss();
    net.params[i] = p;
    return [value, moved];
  };
  let oneSided = 0;
  for (let i = 0; i < net.params.length; i++) {
    const g = analytic[i]!;
    const [up, hUp] = at(i, 1e-3);
    const [down, hDown] = at(i, -1e-3);
    const central = (up - down) / (hUp - hDown);
    if (Math.abs(central - g) <= 1e-3 + 0.02 * Math.abs(central)) continue;
    const base = loss();
    const [up4, hUp4] = at(i, 1e-4);
    const [down4, hDown4] = at(i, -1e-4);
    const forward = (up4 - base) / hUp4;
    const backward = (down4 - base) / hDown4;
    const ok = (fd: number) => Math.abs(fd - g) <= 3e-3 + 0.02 * Math.abs(fd);
    assert.ok(ok(forward) || ok(backward), `${what} parameter ${i}: analytic ${g} vs central ${central} (step 1e-3), forward ${forward}, backward ${backward} (step 1e-4)`);
    oneSided++;
  }
  assert.ok(oneSided <= net.params.length / 10, `${what}: ${oneSided} of ${net.params.length} parameters needed a one-sided difference`);
}

/** Both critics' analytic gradients of `criticLoss` (each non-zero somewhere) against finite differences. */
export function checkCriticGradients(model: { critic1: Mlp; critic2: Mlp }, criticLoss: () => number): void {
  criticLoss();
  const critic1Grads = model.critic1.grads.slice();
  const critic2Grads = model.critic2.grads.slice();
  assert.ok(critic1Grads.some((g) => g !== 0) && critic2Grads.some((g) => g !== 0));
  checkAgainstFiniteDifferences(model.critic1, critic1Grads, criticLoss, "critic1");
  checkAgainstFiniteDifferences(model.critic2, critic2Grads, criticLoss, "critic2");
}
