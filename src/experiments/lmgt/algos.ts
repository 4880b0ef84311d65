/**
 * The protocol's algorithms, built through the algorithms' own registry (`algorithmModule`). The guide is
 * passed as the algorithm's `guide` option: LMGT reaches training only through the reward seam.
 */
import type { Env } from "../../core/env.js";
import type { Guide } from "../../algos/seams.js";
import { algorithmModule, type TrainableModel } from "../../algos/registry.js";
import type { LmgtAlgoName } from "./presets.js";

/** A fresh model of algorithm `name` on `envs` (one env, or several copies for a vector env). */
export async function createLmgtModel(
  name: LmgtAlgoName,
  envs: Env[],
  options: Record<string, unknown> & { seed: number; guide?: Guide },
): Promise<TrainableModel> {
  const mod = await algorithmModule(name);
  return mod.create(envs, options);
}
