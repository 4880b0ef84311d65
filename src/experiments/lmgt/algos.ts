/**
 * The protocol's algorithms, built through the algorithms' own registry (`algorithmModule`). The guide is
 * passed as the algorithm's `guide` option: LMGT reaches training only through the reward seam.
 */
import type { Env } from "../../core/env.js";
import type { Guide } from "../../algos/seams.js";
import type { LearnOptions } from "../../algos/callbacks.js";
import { algorithmModule } from "../../algos/registry.js";
import type { LmgtAlgoName } from "./presets.js";

/** What the protocol needs from a trained model. */
export interface LmgtModel {
  learn(opts: LearnOptions): Promise<unknown>;
  /** Env-space actions for rows of observations (as the algorithm flattens them). */
  predict(obs: Float32Array, deterministic?: boolean): Float32Array;
  close?(): void;
  dispose?(): void;
}

/** A fresh model of algorithm `name` on `envs` (one env, or several copies for a vector env). */
export async function createLmgtModel(
  name: LmgtAlgoName,
  envs: Env[],
  options: Record<string, unknown> & { seed: number; guide?: Guide },
): Promise<LmgtModel> {
  const mod = await algorithmModule(name);
  return mod.create(envs, options);
}
