/**
 * Small shipped policies: a PPO actor-critic's weights plus what is needed to rebuild and describe it.
 * ULTRA refines a sub-optimal policy; the package trains one with a short PPO run and ships it in
 * `data/policies/` so the notebook starts without training.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { make } from "../../envs/index.js";
import type { Env } from "../../core/env.js";
import { packagePath } from "../../core/paths.js";
import type { PolicyJSON } from "../../algos/policy.js";
import type { NormalizerState } from "../../envs/wrappers/vec-normalize.js";
import { PPO, type PpoOptions } from "../../algos/ppo.js";
import { evaluateBatched } from "./evaluate.js";

/** A policy file: `data/policies/<name>.json`. */
export interface PolicyFile {
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
  policy: PolicyJSON;
  /** VecNormalize statistics, for policies trained with `normalize` (the policy sees normalised observations). */
  normalizer?: NormalizerState | null;
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
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(file) + "\n");
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
  const model = new PPO(wrap ? envs.map(wrap) : envs, { ...file.options, ...options, policyKwargs: file.options.policyKwargs });
  model.policy.load(file.policy);
  if (model.normalizer) {
    if (!file.normalizer) throw new Error(`policy file for ${file.envId} has no normalisation statistics, but its options normalise observations`);
    // The episode-return accumulators are per env and would not fit another env count: start them at zero.
    model.normalizer.setState({ ...file.normalizer, returns: new Array<number>(numEnvs).fill(0) });
  }
  return model;
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
  const evaluation = evaluateBatched((obs) => model.predict(obs, deterministic), opts.envId, opts.envKwargs ?? {}, { episodes: opts.evalEpisodes ?? 8, seed: 10_000 });
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
    evaluation: { episodes: evaluation.returns.length, meanReturn: evaluation.mean, stdReturn: evaluation.std, deterministic },
    howToRegenerate: opts.howToRegenerate ?? "",
    policy: model.policy.toJSON(),
    normalizer: model.normalizer ? model.normalizer.getState() : null,
  };
}
