import { test } from "node:test";
import assert from "node:assert/strict";
import { Discrete, Tuple, type Env } from "../../src/core/index.js";
import { make } from "../../src/envs/index.js";
import { A2C, NonFiniteLossError, PPO, type Guide, type TransitionBatch } from "../../src/algos/index.js";

const cartpoles = (n: number) => Array.from({ length: n }, () => make("CartPole-v1", { disableEnvChecker: true }));
const small = { nSteps: 16, batchSize: 32, nEpochs: 2, seed: 3 };

function curve(model: PPO | A2C, steps: number): Promise<number[][]> {
  const out: number[][] = [];
  return model
    .learn({ totalTimesteps: steps, callback: (p) => void out.push([p.numTimesteps, p.epRewMean, p.metrics["train/loss"], p.metrics["train/value_loss"]]) })
    .then(() => out);
}

test("seeded determinism: same seed gives the same learning curve and weights; another seed differs", async () => {
  const a = new PPO(cartpoles(4), small);
  const b = new PPO(cartpoles(4), small);
  const c = new PPO(cartpoles(4), { ...small, seed: 4 });
  const [ca, cb, cc] = [await curve(a, 1024), await curve(b, 1024), await curve(c, 1024)];
  assert.deepEqual(ca, cb);
  assert.deepEqual(a.policy.actor.params, b.policy.actor.params);
  assert.notDeepEqual(ca, cc);
});

test("Box actions (Pendulum) with VecNormalize train and stay deterministic", async () => {
  const mk = () => new PPO(Array.from({ length: 2 }, () => make("Pendulum-v1")), { nSteps: 32, batchSize: 16, nEpochs: 1, normalize: true, seed: 1 });
  const a = mk(), b = mk();
  assert.deepEqual(await curve(a, 256), await curve(b, 256));
  assert.ok(a.normalizer && a.normalizer.obsRms.count > 256, "observation statistics were updated");
  const act = a.predict(new Float32Array([1, 0, 0]));
  assert.ok(act.length === 1 && act[0] >= -2 && act[0] <= 2, "predicted actions are clipped to the Box");
});

test("reward seam: the guide sees the raw batch and its rewards are what the update learns from", async () => {
  const seen: TransitionBatch[] = [];
  const guide: Guide = {
    name: "constant-reward",
    transformRewards(batch) {
      seen.push(batch);
      return new Float32Array(batch.n).fill(5);
    },
    metrics: () => ({ "guide/calls": seen.length }),
  };
  const withGuide = new PPO(cartpoles(2), { ...small, guide });
  const plain = new PPO(cartpoles(2), small);
  let guideMetrics: Record<string, number> | undefined;
  await withGuide.learn({ totalTimesteps: 32, callback: (p) => void (guideMetrics = p.guideMetrics) });
  await plain.learn({ totalTimesteps: 32 });
  assert.equal(seen.length, 1);
  assert.equal(seen[0].n, 32);
  assert.ok(seen[0].rewards.every((r) => r === 1), "CartPole's own rewards arrive before the transform");
  assert.ok(withGuide.rolloutBuffer.rewards.subarray(0, 32).every((r) => r >= 5), "buffer holds the guide's rewards (+ bootstrap)");
  assert.deepEqual(guideMetrics, { "guide/calls": 1 }, "guide metrics reach the progress report");
  assert.notDeepEqual(withGuide.policy.critic.params, plain.policy.critic.params, "the update learned from different rewards");
});

test("action seam: overridden actions are applied, stored, and their log-probs recomputed", async () => {
  const guide: Guide = {
    name: "always-left",
    overrideActions(obs, actions, numEnvs) {
      assert.equal(obs.length, numEnvs * 4, "raw observation rows");
      const changed: number[] = [];
      for (let i = 0; i < numEnvs; i++) if (actions[i] !== 0) { actions[i] = 0; changed.push(i); }
      return changed;
    },
  };
  let applied: Float32Array | undefined;
  const spy: Guide = { ...guide, transformRewards: (b) => void (applied = b.actions.slice()) };
  const model = new PPO(cartpoles(2), { ...small, guide: spy, nEpochs: 1 });
  const policyBefore = new PPO(cartpoles(2), { ...small, nEpochs: 1 }).policy; // same seed, same init
  await model.learn({ totalTimesteps: 32 });
  const buf = model.rolloutBuffer;
  assert.ok(applied!.every((a) => a === 0), "the environment received the overrides");
  assert.ok(buf.actions.subarray(0, 32).every((a) => a === 0), "stored actions are the overrides");
  const lp = new Float32Array(32);
  policyBefore.logProbOf(buf.obs.subarray(0, 32 * 4), new Float32Array(32), 32, lp);
  for (let i = 0; i < 32; i++) assert.ok(Math.abs(lp[i] - buf.logProbs[i]) < 1e-6, `log-prob of row ${i} recomputed for the override`);
});

test("data seam: extra transitions join the update with one-step advantages", async () => {
  const extra = (n: number): TransitionBatch => ({
    n, obsDim: 4, actDim: 1,
    obs: new Float32Array(n * 4).fill(0.01), actions: new Float32Array(n).fill(1), rewards: new Float32Array(n).fill(10),
    nextObs: new Float32Array(n * 4).fill(0.02), terminated: new Uint8Array(n).fill(1), truncated: new Uint8Array(n),
  });
  const guide: Guide = { name: "extra-data", extraTransitions: () => extra(8) };
  const model = new A2C(cartpoles(2), { nSteps: 8, seed: 2, guide });
  const plain = new A2C(cartpoles(2), { nSteps: 8, seed: 2 });
  await model.learn({ totalTimesteps: 16 });
  await plain.learn({ totalTimesteps: 16 });
  const buf = model.rolloutBuffer;
  assert.equal(buf.size, 16 + 8, "rollout rows + extra rows");
  for (let i = 16; i < 24; i++) assert.ok(Math.abs(buf.returns[i] - 10) < 1e-5, "terminal extra transitions: return = reward");
  assert.notDeepEqual(model.policy.critic.params, plain.policy.critic.params);
  const bad: Guide = { name: "bad", extraTransitions: () => ({ ...extra(2), obsDim: 3 }) };
  await assert.rejects(new A2C(cartpoles(1), { nSteps: 4, guide: bad }).learn({ totalTimesteps: 4 }), /extra transitions are 3\/1 wide/);
});

test("a NaN loss stops training before the update, with the step and the last finite metrics", async () => {
  let calls = 0;
  const guide: Guide = { name: "nan-after-2", transformRewards: (b) => (++calls > 2 ? new Float32Array(b.n).fill(NaN) : undefined) };
  const model = new PPO(cartpoles(2), { ...small, guide });
  let lastParams: Float32Array | undefined;
  const err = await model
    .learn({ totalTimesteps: 10_000, callback: () => void (lastParams = model.policy.actor.params.slice()) })
    .then(() => null, (e) => e);
  assert.ok(err instanceof NonFiniteLossError, String(err));
  assert.equal(err.numTimesteps, 96, "third rollout of 2 envs x 16 steps");
  assert.match(err.message, /non-finite at step 96/);
  assert.ok(Number.isFinite(err.lastFiniteMetrics["train/loss"]), "last finite metrics kept");
  assert.deepEqual(model.policy.actor.params, lastParams, "the bad update was not applied");
});

test("bad input: unsupported action space, bad hyperparameters, wrong reward count", async () => {
  // Tuple observations are fine (one-hot, as SB3: Blackjack); Tuple actions are not
  new PPO([make("Blackjack-v1")], { nSteps: 4 });
  const tupleActions = { ...make("CartPole-v1"), actionSpace: new Tuple([new Discrete(2), new Discrete(3)]) } as unknown as Env;
  assert.throws(() => new PPO([tupleActions], { nSteps: 4 }), /unsupported action space Tuple\(Discrete\(2\), Discrete\(3\)\) \(Discrete or Box only\)/);
  assert.throws(() => new PPO(cartpoles(1), { nSteps: 0 }), /nSteps must be a positive integer/);
  assert.throws(() => new PPO(cartpoles(1), { gamma: 1.5 }), /gamma must be in \[0, 1\]/);
  assert.throws(() => new PPO(cartpoles(1), { learningRate: "fast" }), /learningRate: expected a number/);
  const guide: Guide = { name: "short", transformRewards: () => new Float32Array(3) };
  await assert.rejects(new PPO(cartpoles(1), { ...small, guide }).learn({ totalTimesteps: 16 }), /returned 3 rewards for 16 transitions/);
});
