import { test } from "node:test";
import assert from "node:assert/strict";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { make } from "../../src/envs/index.js";
import { DQN, type DqnOptions } from "../../src/algos/dqn.js";
import type { Guide, TransitionBatch } from "../../src/algos/seams.js";
import { NonFiniteLossError } from "../../src/algos/callbacks.js";
import { assertCheckpointResumes, assertRunFolderResumes, assertSeededDeterminism, trainedCurve } from "./helpers.js";
import type { RunOptions } from "../../src/algos/run.js";
import { evaluatePolicy } from "../../src/algos/evaluate.js";

/** Small and quick: learning starts after 40 steps, a few updates per 4 steps. */
const SMALL: DqnOptions = { netArch: [16, 16], batchSize: 16, learningStarts: 40, trainFreq: 4, gradientSteps: 2, targetUpdateInterval: 20, learningRate: 1e-3 };

function cartPoles(n = 1) {
  return Array.from({ length: n }, () => make("CartPole-v1"));
}

function weights(model: DQN): number[] {
  return Array.from(model.qNet.params);
}

test("epsilon follows SB3's linear schedule; the target network is copied every targetUpdateInterval steps", async () => {
  const model = new DQN(make("CartPole-v1"), { ...SMALL, explorationFraction: 0.5, explorationInitialEps: 1, explorationFinalEps: 0.1, targetUpdateInterval: 8 });
  const seen: { step: number; eps: number; target: number[] }[] = [];
  await model.learn({
    totalTimesteps: 200,
    callback: (p) => void seen.push({ step: p.numTimesteps, eps: p.metrics.explorationRate!, target: Array.from(model.qNetTarget.params) }),
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
  await assertSeededDeterminism((seed) => trainedCurve(new DQN(cartPoles(2), { ...SMALL, seed }), 160, "loss", weights), 3, 4);
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
  const opts: DqnOptions = { ...SMALL, seed: 5, explorationFraction: 0.5 };
  await assertCheckpointResumes(
    { prefix: "dqn-resume-", total: 320, interval: 120, stopAt: 168 },
    () => new DQN(cartPoles(2), opts),
    (dir) => DQN.load(dir, cartPoles(2)),
    weights,
  );
});

test("bad input gives clear errors", async () => {
  assert.throws(() => new DQN(make("Pendulum-v1")), /DQN: needs a Discrete action space; Pendulum-v1 has Box\(1,\)/);
  assert.throws(() => new DQN(make("CartPole-v1"), { batchSize: 0 }), /batchSize must be a positive integer/);
  await assert.rejects(DQN.load(join(tmpdir(), "no-such-dqn-checkpoint"), make("CartPole-v1")), /cannot read the DQN checkpoint/);
  // A learning rate of 1e30 overflows the float32 Q-values after the first updates.
  const model = new DQN(make("CartPole-v1"), { ...SMALL, learningRate: 1e30 });
  await assert.rejects(model.learn({ totalTimesteps: 400 }), (err: unknown) => {
    assert.ok(err instanceof NonFiniteLossError);
    assert.match(err.message, /DQN: loss became non-finite at step \d+; training stopped before applying it/);
    assert.ok(err.numTimesteps > 40);
    return true;
  });
  const badGuide: Guide = { name: "short", transformRewards: () => new Float32Array(1) };
  const overflow: Guide = { name: "overflow", transformRewards: (b) => Array.from(b.rewards, () => 1e308) as unknown as Float32Array };
  await assert.rejects(new DQN(make("CartPole-v1"), { ...SMALL, guide: overflow }).learn({ totalTimesteps: 8 }), /guide "overflow" returned a non-finite reward/);
  await assert.rejects(new DQN(make("CartPole-v1"), { ...SMALL, guide: badGuide }).learn({ totalTimesteps: 8 }), /guide "short" returned 1 rewards for 4 transitions/);
});

test("run folder: a run killed after a checkpoint and resumed with --resume ends with the same numbers", async () => {
  const opts: Omit<RunOptions, "out"> = {
    env: "CartPole-v1", algo: "dqn", seed: 4, hyperparams: "default", totalTimesteps: 480, evalFreq: 160, checkpointFreq: 160, nEvalEpisodes: 1,
    overrides: { nEnvs: 2, netArch: [16, 16], batchSize: 16, learningStarts: 40, trainFreq: 4, gradientSteps: 2, targetUpdateInterval: 20, learningRate: 1e-3 },
  };
  await assertRunFolderResumes(opts, "dqn-run-");
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
