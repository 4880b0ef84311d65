/**
 * A saved policy: what is needed to act, or to start a new training run, from a trained on-policy model —
 * its options, weights and observation-normaliser statistics. A checkpoint (`<algo>.json`) holds the same
 * fields (and everything else a run needs to resume exactly), so `PPO.fromPolicyFile` loads either: a
 * checkpoint folder or file, or a policy file (the same fields plus a description, e.g. data/policies/).
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { NormalizerState } from "../envs/wrappers/vec-normalize.js";
import type { PolicyJSON } from "./policy.js";

export interface SavedPolicy {
  algo: string;
  /** The options the model was made with (JSON-safe: schedules given as functions appear as "function"). */
  options: object;
  policy: PolicyJSON;
  /** VecNormalize statistics, for models trained with `normalize` (the policy sees normalised observations). */
  normalizer?: NormalizerState | null;
}

/** Reads a saved `algo` policy from a policy file, a checkpoint file, or a checkpoint folder (`<algo>.json` in it). */
export function readSavedPolicy(path: string, algo: string): SavedPolicy {
  const file = existsSync(path) && statSync(path).isDirectory() ? join(path, `${algo}.json`) : path;
  let saved: SavedPolicy;
  try {
    saved = JSON.parse(readFileSync(file, "utf8")) as SavedPolicy;
  } catch (err) {
    throw new Error(`cannot read the saved ${algo.toUpperCase()} policy ${file}: ${(err as Error).message}`);
  }
  checkSavedPolicy(saved, algo, file);
  return saved;
}

/** Throws unless `saved` has the fields of a saved `algo` policy. */
export function checkSavedPolicy(saved: SavedPolicy, algo: string, where = "the saved policy"): void {
  if (saved?.algo !== algo || typeof saved.options !== "object" || typeof saved.policy !== "object") {
    throw new Error(`${where} is not a saved ${algo.toUpperCase()} policy (algo ${JSON.stringify(saved?.algo)}; needs options and policy)`);
  }
}
