import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { make } from "../../src/envs/index.js";
import { Random, SquashedDiagGaussian, type Mlp } from "../../src/nn/index.js";
import { SAC, type SacOptions } from "../../src/algos/sac.js";
import type { Guide } from "../../src/algos/seams.js";
import { NonFiniteLossError } from "../../src/algos/callbacks.js";
import { assertCheckpointResumes, assertContinuousSeams, checkCriticGradients, assertRunFolderResumes, assertSeededDeterminism, checkAgainstFiniteDifferences, trainedCurve } from "./helpers.js";
import type { RunOptions } from "../../src/algos/run.js";
import { nativeOrSkip } from "../nn/native-available.js";

/** Small networks and batches so a few hundred steps take seconds. */
const SMALL: SacOptions = { netArch: [16, 16], batchSize: 16, learningStarts: 30, learningRate: 1e-3 };

const pendulums = (n = 1) => Array.from({ length: n }, () => make("Pendulum-v1"));
const values = (nets: Mlp[]) => nets.map((n) => Array.from(n.params));

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
  const onlineBefore = values([model.critic1])[0]!;
  model.train(1, 16);
  const online = values([model.critic1])[0]!;
  const targetAfter = values([model.critic1Target])[0]!;
  assert.notDeepEqual(online, onlineBefore, "the critic was updated");
  for (let i = 0; i < online.length; i++) {
    const expected = 0.95 * targetBefore[i]! + 0.05 * online[i]!;
    assert.ok(Math.abs(targetAfter[i]! - expected) < 1e-6);
  }
  assert.ok(Math.abs(Math.abs(model.logEntCoef!) - 1e-3) < 1e-6, `log alpha ${model.logEntCoef}`);
  model.dispose();
});

test("same seed, same learning curve; another seed, another", async () => {
  await assertSeededDeterminism((seed) => trainedCurve(new SAC(pendulums(2), { ...SMALL, seed }), 80, "criticLoss", (m) => values([m.actor])), 1, 2);
});

test("guide seams: batched reward transform reaches the critic; overridden env-space actions are stored rescaled", async () => {
  await assertContinuousSeams(
    (guide) => new SAC(pendulums(2), { ...SMALL, seed: 3, trainFreq: 2, ...(guide ? { guide } : {}) }),
    (guide) => new SAC(make("Pendulum-v1"), { ...SMALL, guide }),
  );
});

test("a killed run resumes from its checkpoint to the same final numbers", async () => {
  const opts: SacOptions = { ...SMALL, seed: 9 };
  await assertCheckpointResumes(
    { prefix: "sac-resume-", total: 150, interval: 60, stopAt: 100 },
    () => new SAC(pendulums(2), opts),
    (dir) => SAC.load(dir, pendulums(2)),
    (m) => [m.logEntCoef, values([m.actor, m.critic1, m.critic2Target])],
  );
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
  await assertRunFolderResumes(opts, "sac-run-");
});

/** A small model with transitions in its buffer (no update yet) and a copy of one fixed minibatch. */
async function modelAndBatch(gemmBackend: "wasm" | "native", seed = 2) {
  const model = new SAC(make("Pendulum-v1"), { netArch: [8, 8], batchSize: 8, learningStarts: 50, seed, gemmBackend });
  await model.learn({ totalTimesteps: 50 });
  const s = model.replayBuffer.sample(8, new Random(1));
  const batch = { n: s.n, obs: s.obs.slice(), actions: s.actions.slice(), rewards: s.rewards.slice(), nextObs: s.nextObs.slice(), dones: s.dones.slice() };
  return { model, batch };
}

for (const gemmBackend of ["wasm", "native"] as const) {
  test(`gradients match finite differences (${gemmBackend} kernels): critic loss w.r.t. both critics, actor loss w.r.t. the actor`, async (t) => {
    if (gemmBackend === "native" && !nativeOrSkip(t)) return;
    const { model, batch } = await modelAndBatch(gemmBackend);
    assert.equal(model.gemmBackend, gemmBackend);
    const alpha = 0.3;
    const target = model.criticTargets(batch, alpha, new Random(4)).slice();
    const criticLoss = () => model.criticLossAndGradients(batch, target);
    checkCriticGradients(model, criticLoss);

    // The actor's loss with the same noise each time (a fresh generator per evaluation). Critic 2 is made a
    // slightly perturbed copy of critic 1 so that the smaller Q comes from each critic on some rows.
    const noise = new Random(12);
    for (let i = 0; i < model.critic2.params.length; i++) model.critic2.params[i] = model.critic1.params[i]! + 0.02 * noise.normal();
    const n = batch.n;
    const head = model.actor.predict(batch.obs, n);
    const policyActions = new Float32Array(n);
    new SquashedDiagGaussian(1).rsample(head.filter((_, j) => j % 2 === 0), head.filter((_, j) => j % 2 === 1), n, new Random(9), policyActions);
    const piIn = new Float32Array(n * 4);
    for (let b = 0; b < n; b++) piIn.set([...batch.obs.subarray(3 * b, 3 * b + 3), policyActions[b]!], 4 * b);
    const q1 = model.critic1.predict(piIn, n).slice();
    const q2 = model.critic2.predict(piIn, n);
    const firstSmaller = q1.filter((q, b) => q <= q2[b]!).length;
    assert.ok(firstSmaller > 0 && firstSmaller < n, `both critics give the minimum on some rows (critic 1 on ${firstSmaller} of ${n})`);
    criticLoss();
    const criticGradsBefore = [model.critic1.grads.slice(), model.critic2.grads.slice()];
    const actorLoss = () => model.actorLossAndGradients(batch.obs, batch.n, alpha, new Random(9))[0];
    actorLoss();
    assert.deepEqual([model.critic1.grads, model.critic2.grads], criticGradsBefore, "the actor update leaves the critics' weight gradients alone");
    const actorGrads = model.actor.grads.slice();
    assert.ok(actorGrads.some((g) => g !== 0));
    checkAgainstFiniteDifferences(model.actor, actorGrads, actorLoss, "actor");
  });
}

test("the WebAssembly and native kernels give close losses over the first updates (same seed, same data)", async (t) => {
  if (!nativeOrSkip(t)) return;
  const run = async (gemmBackend: "wasm" | "native") => {
    const model = new SAC(make("Pendulum-v1"), { netArch: [64, 64], batchSize: 64, learningStarts: 64, learningRate: 1e-3, seed: 5, gemmBackend });
    const losses: [number, number][] = [];
    await model.learn({ totalTimesteps: 74, callback: (p) => void (p.metrics.criticLoss !== undefined && losses.push([p.metrics.criticLoss, p.metrics.actorLoss!])) });
    return losses;
  };
  const wasm = await run("wasm");
  const native = await run("native");
  assert.equal(wasm.length, 10);
  assert.equal(native.length, 10);
  // Different summation orders: float32 round-off (~1e-7 relative) grows a little through 10 Adam steps.
  for (let i = 0; i < wasm.length; i++) {
    for (let j = 0; j < 2; j++) {
      const [a, b] = [wasm[i]![j]!, native[i]![j]!];
      assert.ok(Math.abs(a - b) <= 1e-4 * Math.max(1, Math.abs(a)), `update ${i} ${j ? "actor" : "critic"} loss: wasm ${a} vs native ${b}`);
    }
  }
});

test("a checkpoint of the earlier tfjs layout (format 1) is refused with a clear error", async () => {
  const dir = mkdtempSync(join(tmpdir(), "sac-old-"));
  try {
    const model = new SAC(make("Pendulum-v1"), { ...SMALL, learningStarts: 20 });
    await model.learn({ totalTimesteps: 20 });
    model.save(dir);
    const file = join(dir, "sac.json");
    const json = JSON.parse(readFileSync(file, "utf8"));
    delete json.format;
    json.actor = [json.actor];
    writeFileSync(file, JSON.stringify(json));
    await assert.rejects(SAC.load(dir, make("Pendulum-v1")), /SAC checkpoint of format 1 \(the earlier tfjs implementation\); this version reads format 2 only/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.throws(() => new SAC(make("Pendulum-v1"), { gemmBackend: "gpu" as "wasm" }), /gemmBackend must be "auto", "native" or "wasm", got "gpu"/);
});
