import { test, before } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { make } from "../../src/core/index.js";
import "../../src/envs/index.js";
import { selectBackend } from "../../src/nn/backend.js";
import { DQN, TfAdam, dense, huberLoss, type DqnOptions } from "../../src/algos/dqn.js";
import type { Guide, TransitionBatch } from "../../src/algos/seams.js";
import { NonFiniteLossError } from "../../src/algos/callbacks.js";
import { RunDir, trainRun, type RunOptions } from "../../src/algos/run.js";
import { evaluatePolicy } from "../../src/algos/evaluate.js";

before(async () => {
  await selectBackend();
});

/** Small and quick: learning starts after 40 steps, a few updates per 4 steps. */
const SMALL: DqnOptions = { netArch: [16, 16], batchSize: 16, learningStarts: 40, trainFreq: 4, gradientSteps: 2, targetUpdateInterval: 20, learningRate: 1e-3 };

function cartPoles(n = 1) {
  return Array.from({ length: n }, () => make("CartPole-v1"));
}

function weights(model: DQN): number[][] {
  return model.qNet.variables().map((v) => Array.from(v.dataSync()));
}

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

test("Huber loss is SB3's smooth_l1 (quadratic below 1, linear above)", () => {
  const v = tf.tidy(() => huberLoss(tf.tensor1d([0.5, -2, 0]), tf.tensor1d([0, 0, 0])).dataSync()[0]!);
  assert.ok(Math.abs(v - (0.125 + 1.5 + 0) / 3) < 1e-6);
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

test("epsilon follows SB3's linear schedule; the target network is copied every targetUpdateInterval steps", async () => {
  const model = new DQN(make("CartPole-v1"), { ...SMALL, explorationFraction: 0.5, explorationInitialEps: 1, explorationFinalEps: 0.1, targetUpdateInterval: 8 });
  const seen: { step: number; eps: number; target: number[] }[] = [];
  await model.learn({
    totalTimesteps: 200,
    callback: (p) => void seen.push({ step: p.numTimesteps, eps: p.metrics.explorationRate!, target: model.qNetTarget.variables().flatMap((v) => Array.from(v.dataSync())) }),
  });
  for (const s of seen) {
    const expected = s.step / 200 > 0.5 ? 0.1 : 1 + ((s.step / 200) * (0.1 - 1)) / 0.5;
    assert.ok(Math.abs(s.eps - expected) < 1e-9, `eps at ${s.step}: ${s.eps} vs ${expected}`);
  }
  // Chunks are 4 steps; updates run after step 40. The target changes in a chunk iff it contains a
  // multiple of 8 (SB3 counts the interval in env steps, in _on_step).
  for (let i = 1; i < seen.length; i++) {
    const { step, target } = seen[i]!;
    if (step <= 48) continue;
    const changed = target.some((x, j) => x !== seen[i - 1]!.target[j]);
    assert.equal(changed, step % 8 === 0, `target changed at step ${step}`);
  }
});

test("same seed, same learning curve; another seed, another", async () => {
  const run = async (seed: number) => {
    const model = new DQN(cartPoles(2), { ...SMALL, seed });
    const losses: number[] = [];
    await model.learn({ totalTimesteps: 160, callback: (p) => void (p.metrics.loss !== undefined && losses.push(p.metrics.loss)) });
    const w = weights(model);
    model.dispose();
    return { losses, w };
  };
  const a = await run(3);
  const b = await run(3);
  const c = await run(4);
  assert.ok(a.losses.length > 10);
  assert.deepEqual(a.losses, b.losses);
  assert.deepEqual(a.w, b.w);
  assert.notDeepEqual(a.w, c.w);
});

test("guide seams: rewards are transformed per trainFreq chunk before storage and reach the update; overrides and extra data are used", async () => {
  const batches: number[] = [];
  const shifted: Guide = {
    name: "shift",
    transformRewards(batch: TransitionBatch) {
      batches.push(batch.n);
      assert.equal(batch.obsDim, 4);
      assert.ok(batch.envIndex!.every((e) => e === 0 || e === 1));
      return batch.rewards.map((r) => r + 10);
    },
    metrics: () => ({ calls: batches.length }),
  };
  const plainModel = new DQN(cartPoles(2), { ...SMALL, seed: 1 });
  const shiftedModel = new DQN(cartPoles(2), { ...SMALL, seed: 1, guide: shifted });
  let guideMetrics: Record<string, number> | undefined;
  const firstLoss = async (model: DQN) => {
    let loss: number | undefined;
    await model.learn({
      totalTimesteps: 400,
      callback: (p) => {
        guideMetrics = p.guideMetrics;
        if (loss === undefined && p.metrics.loss !== undefined) loss = p.metrics.loss;
      },
    });
    return loss!;
  };
  const plainLoss = await firstLoss(plainModel);
  const shiftedLoss = await firstLoss(shiftedModel);
  assert.ok(batches.length > 0 && batches.every((n) => n === 4 * 2), "one call per chunk of trainFreq x nEnvs");
  assert.deepEqual(guideMetrics, { calls: batches.length });
  const stored = shiftedModel.replayBuffer.getState().rewards;
  assert.ok(stored.every((r) => r === 11), "stored rewards are the guide's");
  // Same seed: the first update sees the same minibatch with targets 10 higher, so its Huber loss is ~10 larger.
  assert.ok(shiftedLoss > plainLoss + 5, `first loss ${shiftedLoss} (shifted) vs ${plainLoss} (plain)`);

  const forced: Guide = {
    name: "always-right",
    overrideActions(_obs, actions, numEnvs) {
      for (let e = 0; e < numEnvs; e++) actions[e] = 1;
      return Array.from({ length: numEnvs }, (_, e) => e);
    },
    extraTransitions: () => ({
      n: 3, obsDim: 4, actDim: 1,
      obs: new Float32Array(12), actions: Float32Array.of(0, 0, 0), rewards: Float32Array.of(-7, -7, -7),
      nextObs: new Float32Array(12), terminated: Uint8Array.of(1, 1, 1), truncated: new Uint8Array(3),
    }),
  };
  const overridden = new DQN(cartPoles(1), { ...SMALL, guide: forced });
  await overridden.learn({ totalTimesteps: 80 });
  const st = overridden.replayBuffer.getState();
  assert.equal(st.size, 80 + 3 * 20, "80 env transitions plus 3 extra per chunk of 4");
  for (let i = 0; i < st.size; i++) {
    if (st.rewards[i] === -7) assert.equal(st.actions[i], 0);
    else assert.equal(st.actions[i], 1, "env transitions carry the overridden action");
  }
});

test("a killed run resumes from its checkpoint to the same final numbers", async () => {
  const dir = mkdtempSync(join(tmpdir(), "dqn-resume-"));
  try {
    const opts: DqnOptions = { ...SMALL, seed: 5, explorationFraction: 0.5 };
    const total = 320;
    const full = new DQN(cartPoles(2), opts);
    await full.learn({ totalTimesteps: total });

    const killed = new DQN(cartPoles(2), opts);
    await killed.learn({ totalTimesteps: total, checkpointDir: dir, checkpointInterval: 120, callback: (p) => p.numTimesteps < 168 });
    killed.dispose(); // the last checkpoint was at 120 steps: the 48 steps after it are lost

    const resumed = await DQN.load(dir, cartPoles(2));
    assert.equal(resumed.numTimesteps, 120);
    await resumed.learn({ totalTimesteps: total });
    assert.equal(resumed.numTimesteps, full.numTimesteps);
    assert.equal(resumed.nUpdates, full.nUpdates);
    assert.deepEqual(weights(resumed), weights(full));
    assert.deepEqual(resumed.collector.stats, full.collector.stats);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("bad input gives clear errors", async () => {
  assert.throws(() => new DQN(make("Pendulum-v1")), /DQN: needs a Discrete action space; Pendulum-v1 has Box\(1,\)/);
  assert.throws(() => new DQN(make("CartPole-v1"), { batchSize: 0 }), /batchSize must be a positive integer/);
  await assert.rejects(DQN.load(join(tmpdir(), "no-such-dqn-checkpoint"), make("CartPole-v1")), /cannot read the DQN checkpoint/);
  const exploding: Guide = { name: "explode", transformRewards: (b) => b.rewards.map(() => 3e38) };
  const model = new DQN(make("CartPole-v1"), { ...SMALL, guide: exploding, learningRate: 1 });
  await assert.rejects(model.learn({ totalTimesteps: 400 }), (err: unknown) => {
    assert.ok(err instanceof NonFiniteLossError);
    assert.match(err.message, /DQN: loss became non-finite at step \d+; training stopped before applying it/);
    assert.ok(err.numTimesteps > 40);
    return true;
  });
  const badGuide: Guide = { name: "short", transformRewards: () => new Float32Array(1) };
  await assert.rejects(new DQN(make("CartPole-v1"), { ...SMALL, guide: badGuide }).learn({ totalTimesteps: 8 }), /guide "short" returned 1 rewards for 4 transitions/);
});

test("run folder: a run killed after a checkpoint and resumed with --resume ends with the same numbers", async () => {
  const opts: Omit<RunOptions, "out"> = {
    env: "CartPole-v1", algo: "dqn", seed: 4, hyperparams: "default", totalTimesteps: 480, evalFreq: 160, checkpointFreq: 160, nEvalEpisodes: 1,
    overrides: { nEnvs: 2, netArch: [16, 16], batchSize: 16, learningStarts: 40, trainFreq: 4, gradientSteps: 2, targetUpdateInterval: 20, learningRate: 1e-3 },
  };
  const withoutTimings = (dir: string) => new RunDir(dir).metrics().map(({ wallSeconds: _w, ...rest }) => rest);
  const whole = join(mkdtempSync(join(tmpdir(), "dqn-run-")), "whole");
  const full = await trainRun({ ...opts, out: whole });
  const broken = join(mkdtempSync(join(tmpdir(), "dqn-run-")), "broken");
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

test("Tuple observations are flattened as SB3 does (Blackjack: one-hot parts); greedy actions evaluate through the shared evaluator", async () => {
  const model = new DQN(make("Blackjack-v1"), { ...SMALL, trainFreq: 1 });
  assert.equal(model.obsDim, 32 + 11 + 2);
  await model.learn({ totalTimesteps: 120 });
  const r = evaluatePolicy(model, make("Blackjack-v1"), { nEvalEpisodes: 3, seed: 7 });
  assert.equal(r.returns.length, 3);
  assert.ok(r.returns.every((x) => x === -1 || x === 0 || x === 1 || x === 1.5));
  model.dispose();
});
