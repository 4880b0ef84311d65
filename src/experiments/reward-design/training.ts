/**
 * One training job of the reward-design loop: PPO on BipedalWalker-v3 learning from a candidate's reward
 * (or from the native reward for the baseline), with evaluation checkpoints through training. Runs
 * in-process here; `pool.ts` runs each job in its own child process.
 *
 * The job folder receives:
 *   training.jsonl  one line per rollout (native training return) and per checkpoint (native evaluation
 *                   return, distance, the reward components' mean/min/max over the window)
 *   model/ppo.json  the trained policy (PPO checkpoint), for animations and later evaluation
 *   result.json     the outcome (written last, atomically: its presence means "finished")
 */
import { existsSync, readFileSync, rmSync } from "node:fs";
import { ensureDir } from "../../core/fs.js";
import { writeTextAtomic, appendText } from "../../core/secrets.js";
import { join } from "node:path";
import { PPO, type PpoOptions } from "../../algos/ppo.js";
import { NonFiniteLossError } from "../../algos/callbacks.js";
import type { Env } from "../../core/env.js";
import { makeAsync } from "../../envs/index.js";
import { Sandbox, type SandboxOptions } from "../../sandbox/index.js";
import { evaluateWalker } from "./evaluation.js";
import type { BehaviourMetrics } from "../../guides/reward-design/metrics.js";
import { RewardCodeError, SandboxRewardGuide, type ComponentSnapshot } from "../../guides/reward-design/reward-guide.js";
import { ENV_ID } from "../../guides/reward-design/metrics.js";
import type { AlignmentWindow } from "../../guides/reward-design/alignment.js";

export { ENV_ID };

/** How a candidate (or baseline) is trained and evaluated: identical for all of them in one run. */
export interface TrainingProtocol {
  /** Env steps of PPO per candidate. */
  totalTimesteps: number;
  nEnvs: number;
  /** PPO options (SB3 names); rl-zoo's BipedalWalker settings by default in the presets. */
  ppo: PpoOptions;
  /** Checkpoints through training where the policy is evaluated and component statistics are cut. */
  checkpoints: number;
  /** Deterministic evaluation episodes at each checkpoint (fitness = the last one). */
  evalEpisodes: number;
  /** Episode i of every evaluation resets with evalSeed + i. */
  evalSeed: number;
  /** Cut evaluation episodes after this many steps (smoke budgets only; undefined = the env's 1600). */
  evalMaxSteps?: number;
  seed: number;
  sandbox?: SandboxOptions;
}

export interface TrainingJob {
  /** e.g. "iter-01/cand-2" or "baseline-native". */
  id: string;
  dir: string;
  /** Candidate reward code; null trains on the native reward. */
  source: string | null;
  protocol: TrainingProtocol;
}

export interface CheckpointRecord {
  type: "checkpoint";
  step: number;
  nativeReturn: number;
  distance: number;
  components: ComponentSnapshot["components"];
  /** Designed vs native returns of the training episodes finished since the last checkpoint (candidates only). */
  alignment?: AlignmentWindow;
}

export interface RolloutRecord {
  type: "rollout";
  step: number;
  /** Mean native return of the last 100 training episodes (stochastic policy). */
  epRewMean: number;
  episodes: number;
}

/** Why a job produced no fitness. */
export type TrainingFailureKind = "reward-code" | "non-finite-loss" | "crash";

export interface TrainingResult {
  id: string;
  ok: boolean;
  failure?: { kind: TrainingFailureKind; message: string; step?: number };
  /** Fitness: mean native return of the final deterministic evaluation (NaN when failed). */
  nativeReturn: number;
  /** Tie-breaker: mean distance walked in the final evaluation. */
  distance: number;
  metrics: BehaviourMetrics;
  checkpoints: CheckpointRecord[];
  /** Training curve: native return of training episodes per rollout. */
  rollouts: RolloutRecord[];
  numTimesteps: number;
  wallSeconds: number;
  /** Training env steps per second (evaluations excluded). */
  stepsPerSecond: number;
  /** Seconds spent in evaluation episodes. */
  evalSeconds: number;
  /** Folder of the trained PPO model, relative to the job folder. */
  modelDir?: string;
}

export const RESULT_FILE = "result.json";
export const CURVE_FILE = "training.jsonl";

/** The result of a finished job, or undefined when it has not finished. */
export function readResult(dir: string): TrainingResult | undefined {
  const file = join(dir, RESULT_FILE);
  if (!existsSync(file)) return undefined;
  // JSON has no NaN: a failed job's fitness, an empty window's means, ... were written as null. A result
  // has no other nulls, so every null reads back as NaN: the same numbers (and prompt text) as in memory.
  return JSON.parse(readFileSync(file, "utf8"), (_key, v: unknown) => (v === null ? NaN : v)) as TrainingResult;
}

/**
 * Sandbox limits for one rollout of this protocol unless the protocol sets them: the wall clock and heap
 * grow with the batch (measured: 65 536 BipedalWalker transitions with info dicts take about 2.5 s and fit
 * in 128 MB on an idle core), with a 5x margin for a shared machine.
 */
export function sandboxOptionsFor(p: TrainingProtocol): SandboxOptions {
  const n = (p.ppo.nSteps ?? 2048) * p.nEnvs;
  return { timeoutMs: Math.max(5000, Math.ceil(n * 0.2)), heapMb: Math.max(128, Math.ceil(n / 256)), ...p.sandbox };
}

/** Makes the nEnvs training environments and one evaluation environment. */
async function makeEnvs(n: number): Promise<{ train: Env[]; evalEnv: Env }> {
  const train: Env[] = [];
  for (let i = 0; i < n; i++) train.push(await makeAsync(ENV_ID));
  return { train, evalEnv: await makeAsync(ENV_ID) };
}

/** Trains one job in this process and writes its folder. A finished job is not redone. */
export async function runTrainingJob(job: TrainingJob): Promise<TrainingResult> {
  const done = readResult(job.dir);
  if (done) return done;
  const p = job.protocol;
  const started = performance.now();
  // A job killed mid-way restarts from scratch: drop its partial curve.
  rmSync(join(job.dir, CURVE_FILE), { force: true });
  ensureDir(job.dir);
  const { train, evalEnv } = await makeEnvs(p.nEnvs);
  const sandbox = job.source !== null ? await Sandbox.start(sandboxOptionsFor(p)) : undefined;
  const guide = job.source !== null && sandbox ? new SandboxRewardGuide({ source: job.source, sandbox }) : undefined;
  const model = new PPO(train, { ...p.ppo, seed: p.seed, guide });
  const checkpoints: CheckpointRecord[] = [];
  const rollouts: RolloutRecord[] = [];
  const log = (rec: object) => appendText(join(job.dir, CURVE_FILE), JSON.stringify(rec) + "\n");
  const evalOpts = { nEpisodes: p.evalEpisodes, seed: p.evalSeed, maxSteps: p.evalMaxSteps };
  const every = p.totalTimesteps / Math.max(1, p.checkpoints);
  let nextCheckpoint = every;
  let lastEval: ReturnType<typeof evaluateWalker> | undefined;
  let failure: TrainingResult["failure"];
  let evalSeconds = 0;
  const checkpoint = (step: number) => {
    const t0 = performance.now();
    lastEval = evaluateWalker(model, evalEnv, evalOpts);
    evalSeconds += (performance.now() - t0) / 1000;
    const rec: CheckpointRecord = {
      type: "checkpoint",
      step,
      nativeReturn: lastEval.nativeReturn,
      distance: lastEval.distance,
      components: {},
    };
    if (guide) {
      const snap = guide.snapshot(step);
      rec.components = snap.components;
      rec.alignment = snap.alignment;
    }
    checkpoints.push(rec);
    log(rec);
  };
  try {
    await model.learn({
      totalTimesteps: p.totalTimesteps,
      callback: async (info) => {
        // Let the event loop run once per rollout: a worker whose parent was killed sees the disconnect and stops.
        await new Promise((resolve) => setImmediate(resolve));
        const rec: RolloutRecord = { type: "rollout", step: info.numTimesteps, epRewMean: info.epRewMean, episodes: info.episodes };
        rollouts.push(rec);
        log(rec);
        if (info.numTimesteps >= nextCheckpoint - 1e-9 && info.numTimesteps < p.totalTimesteps) {
          checkpoint(info.numTimesteps);
          while (nextCheckpoint <= info.numTimesteps) nextCheckpoint += every;
        }
      },
    });
    checkpoint(model.numTimesteps);
    model.save(join(job.dir, "model"));
  } catch (err) {
    if (err instanceof RewardCodeError) failure = { kind: "reward-code", message: err.message, step: err.numTimesteps };
    else if (err instanceof NonFiniteLossError) failure = { kind: "non-finite-loss", message: err.message, step: err.numTimesteps };
    else failure = { kind: "crash", message: (err as Error)?.stack ?? String(err) };
  } finally {
    model.close();
    evalEnv.close();
    await sandbox?.close();
  }
  const wallSeconds = (performance.now() - started) / 1000;
  const trainSeconds = model.collectSeconds + model.updateSeconds;
  const result: TrainingResult = {
    id: job.id,
    ok: failure === undefined,
    ...(failure ? { failure } : {}),
    nativeReturn: failure ? NaN : lastEval!.nativeReturn,
    distance: failure ? NaN : lastEval!.distance,
    metrics: failure || !lastEval ? {} : lastEval.metrics,
    checkpoints,
    rollouts,
    numTimesteps: model.numTimesteps,
    wallSeconds,
    stepsPerSecond: trainSeconds > 0 ? model.numTimesteps / trainSeconds : 0,
    evalSeconds,
    ...(failure ? {} : { modelDir: "model" }),
  };
  writeResult(job.dir, result);
  return result;
}

/** Writes result.json atomically (its presence marks the job finished). NaN is stored as null. */
export function writeResult(dir: string, result: TrainingResult): void {
  ensureDir(dir);
  writeTextAtomic(join(dir, RESULT_FILE), JSON.stringify(result, null, 1) + "\n");
}
