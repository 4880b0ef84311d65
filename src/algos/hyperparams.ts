/**
 * rl-zoo hyperparameters shipped in data/hyperparams/<algo>.json (camelCase SB3 names), split into
 * run settings (nEnvs, nTimesteps, normalize) and algorithm options.
 */
import { existsSync, readFileSync } from "node:fs";
import { packagePath } from "../core/paths.js";

export type AlgoName = "ppo" | "a2c" | "dqn" | "sac" | "td3";
export const ALGORITHMS: readonly AlgoName[] = ["ppo", "a2c", "dqn", "sac", "td3"];

export interface ResolvedHyperparams {
  nEnvs: number;
  /** rl-zoo's n_timesteps, when the settings come from the zoo. */
  nTimesteps?: number;
  /** Algorithm options (normalize and policyKwargs included). */
  options: Record<string, unknown>;
  /** Keys the zoo file has but this package does not implement (e.g. gSDE), dropped. */
  dropped: string[];
  source: "zoo" | "default";
}

/** Keys rl-zoo uses that this package does not implement. */
const UNSUPPORTED = ["useSde", "sdeSampleFreq"];

/** All zoo settings of one algorithm: env id -> settings. */
export function zooTable(algo: AlgoName): Record<string, Record<string, unknown>> {
  const file = packagePath("data", "hyperparams", `${algo}.json`);
  if (!existsSync(file)) throw new Error(`no rl-zoo hyperparameters for ${algo} (${file})`);
  return JSON.parse(readFileSync(file, "utf8"));
}

/**
 * Settings for `algo` on `envId`: rl-zoo's (`"zoo"`, an error when the zoo has none for that env) or
 * SB3's defaults with one env (`"default"`).
 */
export function resolveHyperparams(algo: AlgoName, envId: string, source: "zoo" | "default"): ResolvedHyperparams {
  if (!ALGORITHMS.includes(algo)) throw new Error(`unknown algorithm "${algo}" (${ALGORITHMS.join(", ")})`);
  if (source === "default") return { nEnvs: 1, options: {}, dropped: [], source };
  const table = zooTable(algo);
  const entry = table[envId];
  if (!entry) {
    throw new Error(`rl-zoo has no ${algo} hyperparameters for ${envId} here (have: ${Object.keys(table).join(", ")}); use --hyperparams default`);
  }
  const { nEnvs, nTimesteps, policy, ...rest } = entry as { nEnvs?: number; nTimesteps?: number; policy?: string } & Record<string, unknown>;
  if (policy !== undefined && policy !== "MlpPolicy") throw new Error(`${algo}/${envId}: policy ${policy} is not supported (MlpPolicy only)`);
  const dropped = UNSUPPORTED.filter((k) => k in rest);
  for (const k of dropped) delete rest[k];
  return { nEnvs: nEnvs ?? 1, nTimesteps, options: actionNoiseOption(rest, `${algo}/${envId}`), dropped, source };
}

/**
 * rl-zoo's `noise_type` / `noise_std` (what its ExperimentManager turns into SB3's action_noise) as the
 * algorithms' `actionNoise` option: `{ type: "normal" | "ornstein-uhlenbeck", sigma: noiseStd }`.
 */
function actionNoiseOption(options: Record<string, unknown>, where: string): Record<string, unknown> {
  const { noiseType, noiseStd, ...rest } = options;
  if (noiseType === undefined) return options;
  if (noiseType !== "normal" && noiseType !== "ornstein-uhlenbeck") throw new Error(`${where}: noiseType must be "normal" or "ornstein-uhlenbeck", got ${JSON.stringify(noiseType)}`);
  if (typeof noiseStd !== "number") throw new Error(`${where}: noiseType ${noiseType} needs a numeric noiseStd, got ${JSON.stringify(noiseStd)}`);
  return { ...rest, actionNoise: { type: noiseType, sigma: noiseStd } };
}
