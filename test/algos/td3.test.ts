import { test } from "node:test";
import assert from "node:assert/strict";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { make } from "../../src/envs/index.js";
import { Random, type Mlp } from "../../src/nn/index.js";
import { TD3, type Td3Options } from "../../src/algos/td3.js";
import { VectorizedActionNoise } from "../../src/algos/noise.js";
import { resolveHyperparams } from "../../src/algos/hyperparams.js";
import type { Guide } from "../../src/algos/seams.js";
import { NonFiniteLossError } from "../../src/algos/callbacks.js";
import type { RunOptions } from "../../src/algos/run.js";
import { assertCheckpointResumes, assertContinuousSeams, checkCriticGradients, assertRunFolderResumes, assertSeededDeterminism, checkAgainstFiniteDifferences, trainedCurve } from "./helpers.js";
import { nativeOrSkip } from "../nn/native-available.js";

/** Small networks and batches so a few hundred steps take seconds. */
const SMALL: Td3Options = { netArch: [16, 16], batchSize: 16, learningStarts: 30 };

const pendulums = (n = 1) => Array.from({ length: n }, () => make("Pendulum-v1"));
const values = (nets: Mlp[]) => nets.map((n) => Array.from(n.params));

/** A small model with transitions in its buffer (no update yet) and a copy of one fixed minibatch. */
async function modelAndBatch(options: Td3Options, batchSize = 8) {
  const model = new TD3(make("Pendulum-v1"), { netArch: [8, 8], batchSize, learningStarts: 50, seed: 2, ...options });
  await model.learn({ totalTimesteps: 50 });
  assert.equal(model.nUpdates, 0);
  const s = model.replayBuffer.sample(batchSize, new Random(1));
  const batch = { n: s.n, obs: s.obs.slice(), actions: s.actions.slice(), rewards: s.rewards.slice(), nextObs: s.nextObs.slice(), dones: s.dones.slice() };
  return { model, batch };
}

test("SB3's defaults; deterministic tanh actions in the env's bounds", () => {
  const model = new TD3(make("Pendulum-v1"));
  const c = model.config;
  assert.deepEqual(
    [c.learningRate, c.bufferSize, c.learningStarts, c.batchSize, c.tau, c.gamma, c.trainFreq, c.gradientSteps, c.policyDelay, c.targetPolicyNoise, c.targetNoiseClip, c.actionNoise],
    [1e-3, 1_000_000, 100, 256, 0.005, 0.99, 1, 1, 2, 0.2, 0.5, null],
  );
  assert.deepEqual(model.actor.sizes, [3, 400, 300, 1]);
  assert.deepEqual(model.critic1.sizes, [4, 400, 300, 1]);
  const obs = Float32Array.of(1, 0, 0, 0, 1, 8);
  const a = model.predict(obs, false);
  assert.deepEqual(a, model.predict(obs, true), "TD3's policy is deterministic either way");
  assert.ok(a.every((x) => x >= -2 && x <= 2));
  const head = model.actor.predict(obs, 2);
  assert.ok(Math.abs(a[0]! - 2 * Math.tanh(head[0]!)) < 1e-6);
  model.close();
});

for (const gemmBackend of ["wasm", "native"] as const) {
  test(`gradients match finite differences (${gemmBackend} kernels): critic loss w.r.t. both critics, actor loss w.r.t. the actor`, async (t) => {
    if (gemmBackend === "native" && !nativeOrSkip(t)) return;
    const { model, batch } = await modelAndBatch({ gemmBackend });
    assert.equal(model.gemmBackend, gemmBackend);
    const target = model.criticTargets(batch, new Random(4)).slice();
    checkCriticGradients(model, () => model.criticLossAndGradients(batch, target));

    // Push the actor's outputs into tanh's curved part, so a wrong tanh derivative would show.
    model.actor.bias(model.actor.numLayers - 1).fill(0.8);
    const criticGradsBefore = [model.critic1.grads.slice(), model.critic2.grads.slice()];
    const actorLoss = () => model.actorLossAndGradients(batch.obs, batch.n);
    actorLoss();
    assert.deepEqual([model.critic1.grads, model.critic2.grads], criticGradsBefore, "the actor update leaves the critics' weight gradients alone");
    const actorGrads = model.actor.grads.slice();
    assert.ok(actorGrads.some((g) => g !== 0));
    checkAgainstFiniteDifferences(model.actor, actorGrads, actorLoss, "actor");
    // The actor's loss is -mean Q_1 only: changing critic 2 leaves it alone.
    const before = actorLoss();
    for (let i = 0; i < model.critic2.params.length; i++) model.critic2.params[i]! += 0.5;
    assert.equal(actorLoss(), before);
    model.close();
  });
}

test("policy delay: the critics learn every update; the actor and all three targets every policyDelay-th, with Polyak tau", async () => {
  for (const policyDelay of [2, 3]) {
    const model = new TD3(make("Pendulum-v1"), { ...SMALL, learningStarts: 40, tau: 0.05, policyDelay });
    await model.learn({ totalTimesteps: 40 });
    for (let update = 1; update <= 6; update++) {
      const [actor, critic, actorT, criticT] = values([model.actor, model.critic1, model.actorTarget, model.critic2Target]);
      const metrics = model.train(1, 16);
      const [actorAfter, criticAfter, actorTAfter, criticTAfter] = values([model.actor, model.critic1, model.actorTarget, model.critic2Target]);
      const critic2After = values([model.critic2])[0]!;
      assert.notDeepEqual(criticAfter, critic, `update ${update}: the critic learns`);
      const delayed = update % policyDelay === 0;
      assert.equal(metrics.actorLoss !== undefined, delayed, `update ${update}: actor loss reported only on delayed updates`);
      if (!delayed) {
        assert.deepEqual([actorAfter, actorTAfter, criticTAfter], [actor, actorT, criticT], `update ${update}: actor and targets unchanged`);
        continue;
      }
      assert.notDeepEqual(actorAfter, actor, `update ${update}: the actor learns`);
      for (const [tBefore, tAfter, online] of [[actorT, actorTAfter, actorAfter], [criticT, criticTAfter, critic2After]] as const) {
        for (let i = 0; i < online.length; i++) assert.ok(Math.abs(tAfter[i]! - (0.95 * tBefore[i]! + 0.05 * online[i]!)) < 1e-6);
      }
    }
    assert.equal(model.nUpdates, 6);
    model.close();
  }
});

test("target policy smoothing: noise N(0, targetPolicyNoise) clipped to +-targetNoiseClip, the action then clipped to [-1, 1]", async () => {
  const { model, batch } = await modelAndBatch({ targetPolicyNoise: 100, targetNoiseClip: 0.3 }, 64);
  const n = batch.n;
  // Recompute what the targets must be from the same draws.
  const rng = new Random(7);
  const got = model.criticTargets(batch, rng).slice();
  const draws = new Random(7);
  const mu = model.actorTarget.predict(batch.nextObs, n);
  const smoothed = new Float32Array(n);
  let clippedUp = 0, clippedDown = 0;
  for (let b = 0; b < n; b++) {
    const e = 100 * draws.normal();
    const noise = Math.max(-0.3, Math.min(0.3, e));
    if (noise === 0.3) clippedUp++;
    if (noise === -0.3) clippedDown++;
    smoothed[b] = Math.max(-1, Math.min(1, Math.tanh(mu[b]!) + noise));
    assert.ok(Math.abs(smoothed[b]! - Math.tanh(mu[b]!)) <= 0.3 + 1e-6);
  }
  assert.ok(clippedUp > 10 && clippedDown > 10, "with std 100 nearly every draw hits the clip");
  const input = new Float32Array(n * 4);
  for (let b = 0; b < n; b++) input.set([...batch.nextObs.subarray(3 * b, 3 * b + 3), smoothed[b]!], 4 * b);
  const q1 = model.critic1Target.predict(input, n).slice();
  const q2 = model.critic2Target.predict(input, n);
  for (let b = 0; b < n; b++) {
    const expected = batch.rewards[b]! + (1 - batch.dones[b]!) * 0.99 * Math.min(q1[b]!, q2[b]!);
    assert.ok(Math.abs(got[b]! - expected) < 1e-4, `row ${b}: ${got[b]} vs ${expected}`);
  }
  // Without smoothing noise the targets do not depend on the generator.
  const plain = await modelAndBatch({ targetPolicyNoise: 0 }, 64);
  assert.deepEqual(plain.model.criticTargets(plain.batch, new Random(1)).slice(), plain.model.criticTargets(plain.batch, new Random(2)).slice());
  model.close();
  plain.model.close();
});

test("action noise: normal and Ornstein-Uhlenbeck processes per env, OU reset when that env's episode ends", async () => {
  const ou = new VectorizedActionNoise({ type: "ornstein-uhlenbeck", sigma: 0, mean: 1, theta: 0.5, dt: 0.1 }, 2, 1, new Random(0));
  // sigma 0: n_t = n_{t-1} + theta (mean - n_{t-1}) dt, from 0
  assert.deepEqual(Array.from(ou.sample()), [0.05, 0.05]);
  assert.ok(Math.abs(ou.sample()[0]! - (0.05 + 0.05 * 0.95)) < 1e-12);
  ou.reset(1);
  const after = ou.sample();
  assert.ok(after[0]! > 0.1 && Math.abs(after[1]! - 0.05) < 1e-12, "only env 1 restarted");
  const normal = new VectorizedActionNoise({ type: "normal", sigma: [0.1, 2] }, 1, 2, new Random(3));
  const draws = Array.from({ length: 4000 }, () => normal.sample());
  const std = (d: number) => Math.sqrt(draws.reduce((s, x) => s + x[d]! * x[d]!, 0) / draws.length);
  assert.ok(Math.abs(std(0) - 0.1) < 0.01 && Math.abs(std(1) - 2) < 0.15, `${std(0)} ${std(1)}`);
  assert.throws(() => new VectorizedActionNoise({ type: "pink" as "normal", sigma: 1 }, 1, 1, new Random(0)), /actionNoise.type must be "normal" or "ornstein-uhlenbeck"/);
  assert.throws(() => new VectorizedActionNoise({ type: "normal", sigma: [1, 2, 3] }, 1, 2, new Random(0)), /actionNoise.sigma: expected 1 or 2 values, got 3/);

  // In training the noise moves the stored actions (warm-up ones too), clipped to [-1, 1].
  const stored = async (actionNoise: Td3Options["actionNoise"]) => {
    const model = new TD3(make("Pendulum-v1"), { ...SMALL, learningStarts: 1000, seed: 5, actionNoise });
    await model.learn({ totalTimesteps: 200 });
    const a = model.replayBuffer.getState().actions;
    model.close();
    return a;
  };
  const quiet = await stored(null);
  const noisy = await stored({ type: "normal", sigma: 0.5 });
  assert.ok(noisy.every((x) => x >= -1 && x <= 1));
  assert.ok(noisy.some((x, i) => Math.abs(x - quiet[i]!) > 0.05));
  assert.ok(noisy.filter((x) => Math.abs(x) === 1).length > quiet.filter((x) => Math.abs(x) === 1).length, "clipped at the bounds");

  // An OU process is restarted at each episode end (Pendulum's time limit: 200 steps).
  const model = new TD3(make("Pendulum-v1"), { ...SMALL, learningStarts: 1000, actionNoise: { type: "ornstein-uhlenbeck", sigma: 0.3 } });
  const resets: number[] = [];
  const reset = model.actionNoise!.reset.bind(model.actionNoise!);
  model.actionNoise!.reset = (e: number) => void (resets.push(model.numTimesteps), reset(e));
  await model.learn({ totalTimesteps: 450 });
  assert.deepEqual(resets, [200, 400]);
  model.close();
});

test("same seed, same learning curve; another seed, another", async () => {
  const model = (seed: number) => new TD3(pendulums(2), { ...SMALL, seed, actionNoise: { type: "normal", sigma: 0.1 } });
  await assertSeededDeterminism((seed) => trainedCurve(model(seed), 80, "criticLoss", (m) => values([m.actor, m.critic2])), 1, 2);
});

test("guide seams: the reward seam (LMGT's shift) reaches TD3's critic; overridden env-space actions are stored rescaled", async () => {
  await assertContinuousSeams(
    (guide) => new TD3(pendulums(2), { ...SMALL, seed: 3, trainFreq: 2, ...(guide ? { guide } : {}) }),
    // the override comes after the exploration noise
    (guide) => new TD3(make("Pendulum-v1"), { ...SMALL, guide, actionNoise: { type: "normal", sigma: 0.3 } }),
  );
});

test("a killed run resumes from its checkpoint to the same final numbers (Ornstein-Uhlenbeck noise state included)", async () => {
  const opts: Td3Options = { ...SMALL, seed: 9, actionNoise: { type: "ornstein-uhlenbeck", sigma: 0.2 }, policyDelay: 3 };
  await assertCheckpointResumes(
    { prefix: "td3-resume-", total: 150, interval: 60, stopAt: 100 },
    () => new TD3(pendulums(2), opts),
    (dir) => TD3.load(dir, pendulums(2)),
    (m) => [m.actionNoise!.getState(), values([m.actor, m.actorTarget, m.critic1, m.critic2Target])],
    async (_resumed, _full, dir) => {
      await assert.rejects(TD3.load(dir, pendulums(2), { actionNoise: null }), /actionNoise \(on vs off\) differs from the checkpoint/);
    },
  );
});

test("run folder: `--algo td3` trains, is killed after a checkpoint and resumes with the same numbers", async () => {
  const opts: Omit<RunOptions, "out"> = {
    env: "Pendulum-v1", algo: "td3", seed: 4, hyperparams: "zoo", totalTimesteps: 200, evalFreq: 80, checkpointFreq: 80, nEvalEpisodes: 1,
    overrides: { nEnvs: 2, netArch: [16, 16], batchSize: 16, learningStarts: 30 },
  };
  await assertRunFolderResumes(opts, "td3-run-");
});

test("rl-zoo settings: noise_type / noise_std become actionNoise; bad input gives clear errors", async () => {
  const zoo = resolveHyperparams("td3", "Pendulum-v1", "zoo");
  assert.deepEqual(zoo.options.actionNoise, { type: "normal", sigma: 0.1 });
  assert.equal(zoo.options.noiseType, undefined);
  assert.equal(zoo.options.gamma, 0.98);
  assert.equal(zoo.nTimesteps, 20000);
  for (const env of ["Hopper-v5", "HalfCheetah-v5", "Walker2d-v5", "Ant-v5"]) {
    for (const algo of ["ppo", "sac", "td3"] as const) assert.equal(resolveHyperparams(algo, env, "zoo").nTimesteps, 1_000_000, `${algo} ${env}`);
  }

  assert.throws(() => new TD3(make("CartPole-v1")), /TD3: needs a 1-D Box action space; CartPole-v1 has Discrete\(2\)/);
  assert.throws(() => new TD3(make("Pendulum-v1"), { policyDelay: 0 }), /TD3: policyDelay must be a positive integer, got 0/);
  assert.throws(() => new TD3(make("Pendulum-v1"), { targetNoiseClip: -1 }), /targetNoiseClip must be >= 0/);
  assert.throws(() => new TD3(make("Pendulum-v1"), { policy_delay: 2 } as Td3Options), /TD3: unknown option "policy_delay"/);
  assert.throws(() => new TD3(make("Pendulum-v1"), { actionNoise: { type: "normal" } as never }), /actionNoise.sigma must be finite numbers/);
  assert.throws(() => new TD3(make("Pendulum-v1"), { gemmBackend: "gpu" as "wasm" }), /TD3: gemmBackend must be "auto", "native" or "wasm", got "gpu"/);
  await assert.rejects(TD3.load(join(tmpdir(), "no-such-td3-checkpoint"), make("Pendulum-v1")), /cannot read the TD3 checkpoint/);
  const exploding: Guide = { name: "explode", transformRewards: (b) => b.rewards.map(() => 3e38) };
  const model = new TD3(make("Pendulum-v1"), { ...SMALL, guide: exploding });
  await assert.rejects(model.learn({ totalTimesteps: 60 }), (err: unknown) => {
    assert.ok(err instanceof NonFiniteLossError);
    assert.match(err.message, /TD3: criticLoss became non-finite at step \d+/);
    return true;
  });
  assert.equal(model.nUpdates, 0, "the bad update was not applied");
});
