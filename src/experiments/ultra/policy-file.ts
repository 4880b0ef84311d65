/**
 * Small shipped policies: a PPO actor-critic's weights plus what is needed to rebuild and describe it.
 * ULTRA refines a sub-optimal policy; the package trains one with a short PPO run and ships it in
 * `data/policies/` so the notebook starts without training.
 */
import { readFileSync } from "node:fs";
import { ensureDir } from "../../core/fs.js";
import { writeText } from "../../core/secrets.js";
import { dirname } from "node:path";
import { make } from "../../envs/index.js";
import type { Env } from "../../core/env.js";
import { packagePath } from "../../core/paths.js";
import { PPO, type PpoOptions } from "../../algos/ppo.js";
import { evaluatePolicy } from "../../algos/evaluate.js";
import type { SavedPolicy } from "../../algos/policy-file.js";

/**
 * A policy file, `data/policies/<name>.json`: a saved PPO policy (the fields a checkpoint has: algo,
 * options, policy, normalizer) with a description of how it was made. Loads with `PPO.fromPolicyFile`.
 */
export interface PolicyFile extends SavedPolicy {
  format: "guided-rl/policy@1";
  envId: string;
  envKwargs: Record<string, unknown>;
  algo: "ppo";
  /** The PPO options it was trained with (JSON-safe: numbers for schedules). */
  options: PpoOptions;
  numEnvs: number;
  trainedSteps: number;
  seed: number;
  /** Evaluation when it was saved. */
  evaluation: { episodes: number; meanReturn: number; stdReturn: number; deterministic: boolean };
  /** How to make it again. */
  howToRegenerate: string;
}

/** Path of a shipped policy by name, e.g. `shippedPolicyPath("pong-ppo-suboptimal")`. */
export function shippedPolicyPath(name: string): string {
  return packagePath("data", "policies", `${name}.json`);
}

export function readPolicyFile(path: string): PolicyFile {
  let file: PolicyFile;
  try {
    file = JSON.parse(readFileSync(path, "utf8")) as PolicyFile;
  } catch (err) {
    throw new Error(`cannot read the policy file ${path}: ${(err as Error).message}`);
  }
  if (file?.format !== "guided-rl/policy@1") throw new Error(`${path} is not a guided-rl policy file (format ${JSON.stringify(file?.format)})`);
  return file;
}

export function writePolicyFile(path: string, file: PolicyFile): void {
  ensureDir(dirname(path));
  writeText(path, JSON.stringify(file) + "\n");
}

/** Fresh copies of the policy's environment. */
export function makeEnvs(envId: string, kwargs: Record<string, unknown>, n: number): Env[] {
  return Array.from({ length: n }, () => make(envId, { ...kwargs }));
}

/**
 * A PPO model on `numEnvs` fresh environments whose policy is the file's (the optimiser starts fresh:
 * refinement is a new training run from these weights). `options` override the file's, e.g. a lower
 * learning rate or a guide. `wrap` wraps each fresh env (e.g. restarts from recorded states).
 */
export function ppoFromPolicyFile(file: PolicyFile, options: PpoOptions = {}, numEnvs = file.numEnvs, wrap?: (env: Env, index: number) => Env): PPO {
  const envs = makeEnvs(file.envId, file.envKwargs, numEnvs);
  return PPO.fromPolicyFile(file, wrap ? envs.map(wrap) : envs, options);
}

export interface TrainStartingPolicyOptions {
  envId: string;
  envKwargs?: Record<string, unknown>;
  /** Env steps of the short PPO run. */
  steps: number;
  numEnvs?: number;
  seed?: number;
  options?: PpoOptions;
  evalEpisodes?: number;
  /** Evaluate with the policy's mode (default true) or by sampling. */
  evalDeterministic?: boolean;
  howToRegenerate?: string;
  /** Called after each PPO phase (progress display). */
  onProgress?: (numTimesteps: number, epRewMean: number) => void;
}

/** Trains a sub-optimal starting policy with a short PPO run and returns it as a policy file. */
export async function trainStartingPolicy(opts: TrainStartingPolicyOptions): Promise<PolicyFile> {
  const numEnvs = opts.numEnvs ?? 8;
  const seed = opts.seed ?? 0;
  const options: PpoOptions = { ...opts.options, seed };
  const model = new PPO(makeEnvs(opts.envId, opts.envKwargs ?? {}, numEnvs), options);
  await model.learn({ totalTimesteps: opts.steps, callback: (p) => void opts.onProgress?.(p.numTimesteps, p.epRewMean) });
  const deterministic = opts.evalDeterministic ?? true;
  const evalEnvs = Array.from({ length: opts.evalEpisodes ?? 8 }, () => make(opts.envId, { ...opts.envKwargs, disableEnvChecker: true }));
  const evaluation = evaluatePolicy(model, evalEnvs, { nEvalEpisodes: evalEnvs.length, deterministic, seed: 10_000 });
  for (const e of evalEnvs) e.close();
  model.close();
  return {
    format: "guided-rl/policy@1",
    envId: opts.envId,
    envKwargs: opts.envKwargs ?? {},
    algo: "ppo",
    options,
    numEnvs,
    trainedSteps: model.numTimesteps,
    seed,
    evaluation: { episodes: evaluation.returns.length, meanReturn: evaluation.meanReturn, stdReturn: evaluation.stdReturn, deterministic },
    howToRegenerate: opts.howToRegenerate ?? "",
    policy: model.policy.toJSON(),
    normalizer: model.normalizer ? model.normalizer.getState() : null,
  };
}
