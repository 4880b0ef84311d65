/**
 * The pinned seeded runs of issue 15: short seeded training runs of PPO, A2C, DQN (CartPole), PPO with
 * VecNormalize (BipedalWalker) and SAC (Pendulum, on the WebAssembly kernels). For each: every progress
 * report (losses, counters, episode statistics), a hash of every checkpoint file, and the deterministic
 * actions the trained model predicts on fixed observations. Shared by the test (pinned.test.ts), which
 * compares against the committed fixture, and the generator (generate.ts), which wrote that fixture.
 *
 * Imports come from the package root so that moving modules inside src/ leaves this file alone.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { A2C, DQN, PPO, SAC, makeAsync, type Env, type TrainingProgress } from "../../src/index.js";

/** What a model must offer here (the four algorithms do). */
export interface PinnedModel {
  learn(opts: { totalTimesteps: number; callback?: (p: TrainingProgress) => void }): Promise<unknown>;
  predict(obs: Float32Array, deterministic?: boolean): Float32Array;
  save(dir: string): void;
  close?(): void;
  dispose?(): void;
}

export interface PinnedCase {
  name: string;
  env: string;
  nEnvs: number;
  totalTimesteps: number;
  /** The options given to the constructor and to `load` (SAC's kernel choice is not saved in checkpoints). */
  options: Record<string, unknown>;
  create(envs: Env[], options: Record<string, unknown>): Promise<PinnedModel>;
  load(dir: string, envs: Env[], options: Record<string, unknown>): Promise<PinnedModel>;
}

export const CASES: PinnedCase[] = [
  {
    name: "ppo-cartpole", env: "CartPole-v1", nEnvs: 4, totalTimesteps: 512,
    options: { nSteps: 16, batchSize: 32, nEpochs: 2, seed: 3 },
    create: async (e, o) => new PPO(e, o), load: async (d, e, o) => PPO.load(d, e, o),
  },
  {
    name: "a2c-cartpole", env: "CartPole-v1", nEnvs: 4, totalTimesteps: 400,
    options: { nSteps: 5, seed: 3, policyKwargs: { netArch: [16, 16] } },
    create: async (e, o) => new A2C(e, o), load: async (d, e, o) => A2C.load(d, e, o),
  },
  {
    name: "dqn-cartpole", env: "CartPole-v1", nEnvs: 2, totalTimesteps: 400,
    options: { netArch: [16, 16], batchSize: 16, bufferSize: 1000, learningStarts: 40, trainFreq: 4, gradientSteps: 2, targetUpdateInterval: 20, learningRate: 1e-3, seed: 5 },
    create: async (e, o) => new DQN(e, o), load: (d, e, o) => DQN.load(d, e, o),
  },
  {
    name: "ppo-bipedalwalker", env: "BipedalWalker-v3", nEnvs: 2, totalTimesteps: 512,
    options: { nSteps: 64, batchSize: 32, nEpochs: 2, normalize: true, seed: 1, policyKwargs: { netArch: [16, 16] } },
    create: async (e, o) => new PPO(e, o), load: async (d, e, o) => PPO.load(d, e, o),
  },
  {
    name: "sac-pendulum", env: "Pendulum-v1", nEnvs: 2, totalTimesteps: 160,
    options: { netArch: [16, 16], batchSize: 16, bufferSize: 1000, learningStarts: 30, learningRate: 1e-3, seed: 7, gemmBackend: "wasm" },
    create: (e, o) => SAC.create(e, o), load: (d, e, o) => SAC.load(d, e, o),
  },
];

export async function makeEnvs(c: PinnedCase): Promise<Env[]> {
  const envs: Env[] = [];
  for (let i = 0; i < c.nEnvs; i++) envs.push(await makeAsync(c.env, { disableEnvChecker: true }));
  return envs;
}

/** Wall-clock fields (they differ from run to run and are not behaviour). */
const TIMING = /seconds|fps|wall/i;

/** JSON of `v` with wall-clock fields dropped and NaN / Infinity kept distinct (JSON.stringify makes them null). */
export function canonical(v: unknown): string {
  return JSON.stringify(v, (k, x) => (TIMING.test(k) ? undefined : typeof x === "number" && !Number.isFinite(x) ? `number:${x}` : x));
}

const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");

/** sha256 of every file under `dir` (JSON files after dropping wall-clock fields), by relative path. */
export function hashTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p)] = p.endsWith(".json") ? sha256(canonical(JSON.parse(readFileSync(p, "utf8")))) : sha256(readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

/** Observations to predict on: the first observation after reset(seed = 100 + k), k = 0..3. */
export async function probeObservations(c: PinnedCase): Promise<Float32Array[]> {
  const env = await makeAsync(c.env, { disableEnvChecker: true });
  const rows = [0, 1, 2, 3].map((k) => Float32Array.from(env.reset({ seed: 100 + k }).obs as ArrayLike<number>));
  env.close();
  return rows;
}

/** Deterministic actions of `model` on the probe observations, one array per observation. */
export function predictAll(model: PinnedModel, rows: Float32Array[]): number[][] {
  return rows.map((row) => Array.from(model.predict(row, true)));
}

export interface PinnedRecord {
  /** One entry per progress report, in canonical JSON (wall-clock fields dropped). */
  progress: string[];
  checkpoint: Record<string, string>;
  actions: number[][];
}

/** Trains case `c` from scratch, saves its checkpoint into `dir`, and returns what is pinned. */
export async function runCase(c: PinnedCase, dir: string): Promise<PinnedRecord> {
  const model = await c.create(await makeEnvs(c), c.options);
  const progress: string[] = [];
  await model.learn({
    totalTimesteps: c.totalTimesteps,
    callback: (p) => void progress.push(canonical({ ...p, ...(p.guideMetrics ? {} : { guideMetrics: undefined }) })),
  });
  model.save(dir);
  const actions = predictAll(model, await probeObservations(c));
  model.close?.();
  model.dispose?.();
  return { progress, checkpoint: hashTree(dir), actions };
}
