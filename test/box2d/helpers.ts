/** Shared helpers of the Box2D tests: the recorded Gymnasium trajectories and max-abs differences. */
import { readFileSync } from "node:fs";
import { referencePath } from "../../src/core/paths.js";

export interface RefStep {
  t: number;
  action: number | number[];
  obs: number[];
  reward: number;
  terminated: boolean;
  truncated: boolean;
}

export interface RefEpisode {
  seed: number;
  initial_obs: number[];
  num_steps: number;
  ended_by: string;
  total_reward: number;
  steps: RefStep[];
  terrain?: { terrain_x: number[]; terrain_y: number[]; terrain_poly: number[][][]; hull_position_after_reset: number[] };
  moon?: { helipad_x1: number; helipad_x2: number; helipad_y: number; sky_polys: number[][][]; lander_position_after_reset: number[] };
}

export function loadTrajectories(name: string): { episodes: RefEpisode[] } {
  return JSON.parse(readFileSync(referencePath("gymnasium", `traj_${name}.json`), "utf8"));
}

export function loadRandomPolicyStats(): { envs: Record<string, { return_mean: number; return_sem: number; return_std_ddof1: number; length_mean: number; length_std: number; max_episode_steps: number }> } {
  return JSON.parse(readFileSync(referencePath("gymnasium", "random_policy_stats.json"), "utf8"));
}

/** max |a[i] - b[i]| over the given indices (all when omitted). */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>, indices?: readonly number[]): number {
  let m = 0;
  const idx = indices ?? Array.from({ length: a.length }, (_, i) => i);
  for (const i of idx) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** The action a recorded step used, as the env expects it. */
export function actionOf(step: RefStep): number | Float32Array {
  return typeof step.action === "number" ? step.action : Float32Array.from(step.action);
}
