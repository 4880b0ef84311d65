/**
 * Checkpoint files: everything an algorithm needs to continue training exactly, written so that a kill
 * mid-write keeps the previous checkpoint.
 *
 *   on-policy (PPO, A2C):        dir/<algo>.json, replaced atomically (write a temporary file, rename)
 *   off-policy (DQN, SAC, TD3):  dir/<algo>.json + dir/replay/ (the replay buffer), written into a
 *                                temporary folder that is then swapped in
 *
 * A learning-rate schedule given as a function is not saved: the config records "schedule" and loading
 * asks for it again.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Mlp } from "../nn/mlp.js";
import { decodeFloat32 } from "../nn/serialize.js";
import type { OnPolicyCheckpoint } from "./on-policy.js";
import { stripUndefined } from "./options.js";
import type { ReplayBuffer } from "./replay-buffer.js";
import type { Schedule } from "./schedules.js";

/** Writes `dir/file` atomically (a kill mid-write keeps the previous file). */
export function writeJsonAtomic(dir: string, file: string, json: object): void {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, file);
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(json) + "\n");
  renameSync(tmp, path);
}

/** Writes the JSON and the replay buffer into a temporary folder, then swaps it in (a kill mid-write keeps the old checkpoint). */
export function writeCheckpoint(dir: string, file: string, json: object, buffer: ReplayBuffer): void {
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  buffer.save(join(tmp, "replay"));
  writeFileSync(join(tmp, file), JSON.stringify(json) + "\n");
  const old = `${dir}.old-${process.pid}`;
  if (existsSync(dir)) renameSync(dir, old);
  renameSync(tmp, dir);
  rmSync(old, { recursive: true, force: true });
}

const ON_POLICY_FIELDS = [
  "options", "numEnvs", "numTimesteps", "totalTimesteps", "nUpdates", "policy", "optimizer", "rng", "predictRng", "vecEnv",
  "normalizer", "lastEpisodeStarts", "lastObs", "recentReturns", "recentLengths", "episodes", "collectSeconds", "updateSeconds",
] as const satisfies readonly (keyof OnPolicyCheckpoint)[];
const OFF_POLICY_FIELDS = ["config", "rng", "collector", "totalTimesteps", "nUpdates"] as const;
const CRITIC_FIELDS = ["actor", "critic1", "critic2", "critic1Target", "critic2Target", "actorOptimizer", "criticOptimizer"] as const;

/**
 * The top-level fields each algorithm's `save` writes and its `load` reads (besides `algo`, and the
 * `version` / `format` that the loaders check themselves); test/algos/checkpoint-fields.test.ts keeps this
 * list equal to what `save` writes.
 */
export const CHECKPOINT_FIELDS: Readonly<Record<string, readonly string[]>> = {
  ppo: ON_POLICY_FIELDS,
  a2c: ON_POLICY_FIELDS,
  dqn: [...OFF_POLICY_FIELDS, "qNet", "qNetTarget", "optimizer", "nCalls", "explorationRate"],
  sac: [...OFF_POLICY_FIELDS, ...CRITIC_FIELDS, "logEntCoef", "entCoefAdam"],
  td3: [...OFF_POLICY_FIELDS, ...CRITIC_FIELDS, "actorTarget", "actionNoise"],
};

/** Throws an error naming the file and every missing field when `ckpt` lacks one of `algo`'s fields. */
function requireFields(file: string, algo: string, ckpt: object): void {
  const missing = (CHECKPOINT_FIELDS[algo] ?? []).filter((f) => (ckpt as Record<string, unknown>)[f] === undefined);
  if (missing.length > 0) {
    throw new Error(
      `${file}: the ${algo.toUpperCase()} checkpoint has no ${missing.map((f) => `"${f}"`).join(", ")} field${missing.length === 1 ? "" : "s"} ` +
        `(the file was cut short, edited, or written by another program); restore it from a copy or start a new run`,
    );
  }
}

/** Reads an off-policy checkpoint `dir/file` of algorithm `algo`, with a clear error when it is missing, another's or lacks a field. */
export function readCheckpoint<T extends { algo: string }>(dir: string, file: string, algo: string): T {
  let ckpt: T;
  try {
    ckpt = JSON.parse(readFileSync(join(dir, file), "utf8"));
  } catch (err) {
    throw new Error(`cannot read the ${algo.toUpperCase()} checkpoint ${join(dir, file)}: ${(err as Error).message}`);
  }
  if (ckpt?.algo !== algo) throw new Error(`${join(dir, file)} is not a ${algo.toUpperCase()} checkpoint`);
  requireFields(join(dir, file), algo, ckpt);
  return ckpt;
}

/** Reads an on-policy checkpoint `dir/<algo>.json` with a clear error when it is missing, unreadable or lacks a field. */
export function readOnPolicyCheckpoint(dir: string, algo: string): OnPolicyCheckpoint {
  const file = join(dir, `${algo}.json`);
  if (!existsSync(file)) throw new Error(`no ${algo.toUpperCase()} checkpoint at ${file}`);
  let ckpt: OnPolicyCheckpoint;
  try {
    ckpt = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new Error(`cannot read the ${algo.toUpperCase()} checkpoint ${file}: ${(err as Error).message}`);
  }
  if (ckpt?.algo !== algo || ckpt.version !== 1) throw new Error(`${file} is not a version-1 ${algo.toUpperCase()} checkpoint`);
  requireFields(file, algo, ckpt);
  return ckpt;
}

/** An off-policy config as saved: without `omit` (e.g. kernel choices), the learning rate last ("schedule" for a function). */
export function savedConfig<C extends { learningRate: Schedule }, K extends keyof C = never>(
  config: C,
  omit: readonly K[] = [],
): Omit<C, "learningRate" | K> & { learningRate: number | string } {
  const { learningRate, ...rest } = config;
  for (const k of omit) delete (rest as Partial<C>)[k];
  return { ...(rest as Omit<C, "learningRate" | K>), learningRate: typeof learningRate === "function" ? "schedule" : (learningRate as number) };
}

/**
 * The options to rebuild a saved model with: the saved config, overridden by the defined `options`; a run
 * that used a learning-rate schedule must pass it again.
 */
export function loadOptions<O extends { learningRate?: Schedule }>(algo: string, saved: { learningRate: number | string }, options: O): O {
  const { learningRate, ...rest } = saved;
  if (learningRate === "schedule" && options.learningRate === undefined) {
    throw new Error(`${algo}.load: the run used a learning-rate schedule; pass it again as options.learningRate`);
  }
  return { ...rest, ...(learningRate === "schedule" ? {} : { learningRate }), ...stripUndefined(options) } as O;
}

/** Loads base64 float32 parameters into networks, naming the network and file when one does not fit. */
export function loadNetworks(algo: string, file: string, nets: [Mlp, string, string][]): void {
  for (const [net, text, name] of nets) {
    try {
      net.loadParams(decodeFloat32(text));
    } catch (err) {
      throw new Error(`${algo}.load: ${name} in ${file}: ${(err as Error).message}`);
    }
  }
}
