import { test, before } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { make } from "../../src/core/index.js";
import "../../src/envs/index.js";
import { selectBackend } from "../../src/nn/backend.js";
import { SAC, TfAdam, dense, squashedGaussianSample, type SacOptions } from "../../src/algos/sac.js";
import type { Guide, TransitionBatch } from "../../src/algos/seams.js";
import { NonFiniteLossError } from "../../src/algos/callbacks.js";
import { RunDir, trainRun, type RunOptions } from "../../src/algos/run.js";

before(async () => {
  await selectBackend();
});

/** Small networks and batches so a few hundred steps take seconds. */
const SMALL: SacOptions = { netArch: [16, 16], batchSize: 16, learningStarts: 30, learningRate: 1e-3 };

const pendulums = (n = 1) => Array.from({ length: n }, () => make("Pendulum-v1"));
const values = (nets: { variables(): tf.Variable[] }[]) => nets.map((n) => n.variables().map((v) => Array.from(v.dataSync())));

test("dense layer: values and gradients equal tfjs's own autograd of matMul + bias (+ relu)", () => {
  tf.tidy(() => {
    const x = tf.randomNormal([5, 3], 0, 1, "float32", 1) as tf.Tensor2D;
    const w = tf.randomNormal([3, 4], 0, 1, "float32", 2) as tf.Tensor2D;
    const b = tf.randomNormal([4], 0, 1, "float32", 3) as tf.Tensor1D;
    const weightsOut = tf.range(0, 20).reshape([5, 4]);
    for (const relu of [true, false]) {
      const ours = (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(dense(x as tf.Tensor2D, w as tf.Tensor2D, b as tf.Tensor1D, relu), weightsOut));
      const plain = (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => {
        const y = tf.add(tf.matMul(x, w), b);
        return tf.sum(tf.mul(relu ? tf.relu(y) : y, weightsOut));
      };
      assert.ok(Math.abs(ours(x, w, b).dataSync()[0]! - plain(x, w, b).dataSync()[0]!) < 1e-4);
      const g1 = tf.grads(ours)([x, w, b]);
      const g2 = tf.grads(plain)([x, w, b]);
      for (let i = 0; i < 3; i++) assert.ok(tf.max(tf.abs(tf.sub(g1[i]!, g2[i]!))).dataSync()[0]! < 1e-4, `gradient ${i} (relu ${relu})`);
    }
  });
});

test("TfAdam follows torch.optim.Adam (bias corrections, eps outside the sqrt) and resumes exactly", () => {
  const x = tf.variable(tf.tensor1d([1, -2]));
  const opt = new TfAdam([x], 0.1, 0.9, 0.999, 1e-8);
  const p = [1, -2], m = [0, 0], v = [0, 0];
  const gs = [[0.5, -1], [0.2, 0.3], [-0.4, 2]];
  for (let t = 1; t <= gs.length; t++) {
    tf.tidy(() => opt.step([tf.tensor1d(gs[t - 1]!)]));
    for (let i = 0; i < 2; i++) {
      const g = gs[t - 1]![i]!;
      m[i] = 0.9 * m[i]! + 0.1 * g;
      v[i] = 0.999 * v[i]! + 0.001 * g * g;
      p[i] = p[i]! - (0.1 * (m[i]! / (1 - 0.9 ** t))) / (Math.sqrt(v[i]!) / Math.sqrt(1 - 0.999 ** t) + 1e-8);
    }
  }
  const got = x.dataSync();
  for (let i = 0; i < 2; i++) assert.ok(Math.abs(got[i]! - p[i]!) < 1e-5, `${got[i]} vs ${p[i]}`);
  const y = tf.variable(tf.tensor1d(Array.from(got)));
  const restored = new TfAdam([y], 0.1, 0.9, 0.999, 1e-8);
  restored.load(opt.save());
  tf.tidy(() => opt.step([tf.tensor1d([0.3, 0.3])]));
  tf.tidy(() => restored.step([tf.tensor1d([0.3, 0.3])]));
  assert.deepEqual(Array.from(y.dataSync()), Array.from(x.dataSync()));
});

test("squashed Gaussian: action tanh(mean + std eps), log-prob of the tanh-transformed density (SB3's 1e-6 guard)", () => {
  const out = tf.tensor2d([[0.3, -0.5, -1.0, 5.0], [-2.0, 0.1, -30, 0.2]]); // [mean(2) | logStd(2)] per row
  const eps = tf.tensor2d([[0.7, -0.01], [0.0, 2.0]]);
  const { action, logProb } = squashedGaussianSample(out, eps, 2);
  const a = action.arraySync();
  const lp = logProb.arraySync();
  const rows = [[0.3, -0.5, -1.0, 5.0], [-2.0, 0.1, -30, 0.2]];
  const noise = [[0.7, -0.01], [0.0, 2.0]];
  for (let b = 0; b < 2; b++) {
    let expected = 0;
    for (let i = 0; i < 2; i++) {
      const logStd = Math.min(2, Math.max(-20, rows[b]![2 + i]!));
      const u = rows[b]![i]! + Math.exp(logStd) * noise[b]![i]!;
      assert.ok(Math.abs(a[b]![i]! - Math.tanh(u)) < 1e-6);
      const gauss = -0.5 * noise[b]![i]! ** 2 - logStd - 0.5 * Math.log(2 * Math.PI);
      expected += gauss - Math.log(1 - Math.tanh(u) ** 2 + 1e-6);
    }
    assert.ok(Math.abs(lp[b]![0]! - expected) < 1e-3, `row ${b}: ${lp[b]![0]} vs ${expected}`);
  }
  // A saturated action (tanh rounds to 1 in float32) keeps a finite log-prob thanks to the guard.
  const saturated = squashedGaussianSample(tf.tensor2d([[20, 0]]), tf.tensor2d([[0]]), 1).logProb.dataSync()[0]!;
  assert.ok(Number.isFinite(saturated) && saturated > 10);
});

test("actions are rescaled between the env's bounds and [-1, 1]; predictions stay in bounds", () => {
  const model = new SAC(make("Pendulum-v1"), SMALL);
  assert.deepEqual(Array.from(model.scaleActions(Float32Array.of(-2, 0, 2, 3), 4)), [-1, 0, 1, 1]);
  assert.deepEqual(Array.from(model.unscaleActions(Float32Array.of(-1, 0, 0.5))), [-2, 0, 1]);
  const obs = Float32Array.of(1, 0, 0, 0, 1, 8);
  for (const deterministic of [true, false]) {
    const act = model.predict(obs, deterministic);
    assert.equal(act.length, 2);
    assert.ok(act.every((x) => x >= -2 && x <= 2));
  }
  model.dispose();
});

test("one update: Polyak target averaging with tau; log alpha moves by the learning rate (Adam's first step)", async () => {
  const model = new SAC(make("Pendulum-v1"), { ...SMALL, learningStarts: 40, tau: 0.05 });
  await model.learn({ totalTimesteps: 40 });
  assert.equal(model.nUpdates, 0);
  const targetBefore = values([model.critic1Target])[0]!;
  model.train(1, 16);
  const online = values([model.critic1])[0]!;
  const targetAfter = values([model.critic1Target])[0]!;
  for (let v = 0; v < online.length; v++) {
    for (let i = 0; i < online[v]!.length; i++) {
      const expected = 0.95 * targetBefore[v]![i]! + 0.05 * online[v]![i]!;
      assert.ok(Math.abs(targetAfter[v]![i]! - expected) < 1e-6);
    }
  }
  assert.ok(Math.abs(Math.abs(model.logEntCoef!) - 1e-3) < 1e-6, `log alpha ${model.logEntCoef}`);
  model.dispose();
});

test("same seed, same learning curve; another seed, another", async () => {
  const run = async (seed: number) => {
    const model = new SAC(pendulums(2), { ...SMALL, seed });
    const losses: number[] = [];
    await model.learn({ totalTimesteps: 80, callback: (p) => void (p.metrics.criticLoss !== undefined && losses.push(p.metrics.criticLoss)) });
    const w = values([model.actor]);
    model.dispose();
    return { losses, w };
  };
  const a = await run(1);
  const b = await run(1);
  const c = await run(2);
  assert.ok(a.losses.length > 10);
  assert.deepEqual(a.losses, b.losses);
  assert.deepEqual(a.w, b.w);
  assert.notDeepEqual(a.w, c.w);
});

test("guide seams: batched reward transform reaches the critic; overridden env-space actions are stored rescaled", async () => {
  const sizes: number[] = [];
  const shift: Guide = {
    name: "shift",
    transformRewards(batch: TransitionBatch) {
      sizes.push(batch.n);
      return batch.rewards.map((r) => r + 100);
    },
  };
  const firstCriticLoss = async (guide?: Guide) => {
    const model = new SAC(pendulums(2), { ...SMALL, seed: 3, trainFreq: 2, ...(guide ? { guide } : {}) });
    let loss: number | undefined;
    await model.learn({ totalTimesteps: 40, callback: (p) => void (loss ??= p.metrics.criticLoss) });
    const stored = model.replayBuffer.getState().rewards;
    model.dispose();
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
      actions[0] = -1; // env space: torque -1 of [-2, 2]
      return [0];
    },
  };
  const model = new SAC(make("Pendulum-v1"), { ...SMALL, guide: pushLeft });
  await model.learn({ totalTimesteps: 20 });
  assert.ok(model.replayBuffer.getState().actions.every((a) => a === -0.5), "stored in [-1, 1]");
  model.dispose();
});

test("a killed run resumes from its checkpoint to the same final numbers", async () => {
  const dir = mkdtempSync(join(tmpdir(), "sac-resume-"));
  try {
    const opts: SacOptions = { ...SMALL, seed: 9 };
    const total = 150;
    const full = new SAC(pendulums(2), opts);
    await full.learn({ totalTimesteps: total });

    const killed = new SAC(pendulums(2), opts);
    await killed.learn({ totalTimesteps: total, checkpointDir: dir, checkpointInterval: 60, callback: (p) => p.numTimesteps < 100 });
    killed.dispose(); // the last checkpoint was at 60 steps: the 40 steps after it are lost

    const resumed = await SAC.load(dir, pendulums(2));
    assert.equal(resumed.numTimesteps, 60);
    await resumed.learn({ totalTimesteps: total });
    assert.equal(resumed.nUpdates, full.nUpdates);
    assert.equal(resumed.logEntCoef, full.logEntCoef);
    assert.deepEqual(values([resumed.actor, resumed.critic1, resumed.critic2Target]), values([full.actor, full.critic1, full.critic2Target]));
    assert.deepEqual(resumed.collector.stats, full.collector.stats);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("bad input gives clear errors", async () => {
  assert.throws(() => new SAC(make("CartPole-v1")), /SAC: needs a 1-D Box action space; CartPole-v1 has Discrete\(2\)/);
  assert.throws(() => new SAC(make("Pendulum-v1"), { entCoef: "automatic" }), /entCoef must be a positive number, "auto" or "auto_<init>"/);
  assert.throws(() => new SAC(make("Pendulum-v1"), { tau: 0 }), /tau must be in \(0, 1\]/);
  assert.throws(() => new SAC(make("Pendulum-v1"), { learning_rate: 1e-3 } as SacOptions), /SAC: unknown option "learning_rate"/);
  assert.throws(() => new SAC(make("Pendulum-v1"), SMALL).predict(new Float32Array(4)), /expected rows of 3 observation values/);
  const fixed = new SAC(make("Pendulum-v1"), { ...SMALL, entCoef: "auto_0.1" });
  assert.ok(Math.abs(fixed.entCoef - 0.1) < 1e-7);
  fixed.dispose();
  await assert.rejects(SAC.load(join(tmpdir(), "no-such-sac-checkpoint"), make("Pendulum-v1")), /cannot read the SAC checkpoint/);
  const exploding: Guide = { name: "explode", transformRewards: (b) => b.rewards.map(() => 3e38) };
  await assert.rejects(new SAC(make("Pendulum-v1"), { ...SMALL, guide: exploding }).learn({ totalTimesteps: 60 }), (err: unknown) => {
    assert.ok(err instanceof NonFiniteLossError);
    assert.match(err.message, /SAC: criticLoss became non-finite at step \d+/);
    return true;
  });
  const nan: Guide = { name: "nan", transformRewards: (b) => b.rewards.map(() => NaN) };
  await assert.rejects(new SAC(make("Pendulum-v1"), { ...SMALL, guide: nan }).learn({ totalTimesteps: 4 }), /guide "nan" returned a non-finite reward/);
});

test("run folder: a run killed after a checkpoint and resumed with --resume ends with the same numbers", async () => {
  const opts: Omit<RunOptions, "out"> = {
    env: "Pendulum-v1", algo: "sac", seed: 4, hyperparams: "default", totalTimesteps: 200, evalFreq: 80, checkpointFreq: 80, nEvalEpisodes: 1,
    overrides: { nEnvs: 2, netArch: [16, 16], batchSize: 16, learningStarts: 30, learningRate: 1e-3 },
  };
  const withoutTimings = (dir: string) => new RunDir(dir).metrics().map(({ wallSeconds: _w, ...rest }) => rest);
  const whole = join(mkdtempSync(join(tmpdir(), "sac-run-")), "whole");
  const full = await trainRun({ ...opts, out: whole });
  const broken = join(mkdtempSync(join(tmpdir(), "sac-run-")), "broken");
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
});
