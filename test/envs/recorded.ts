/**
 * The format of the Gymnasium trajectories recorded from the Python originals
 * (../shared/reference/gymnasium/traj_<id>.json, see ../shared/reference/README.md) and their loader,
 * shared by the classic-control replays and the Box2D fidelity tests.
 */
import { readFileSync } from "node:fs";
import { referencePath } from "../../src/core/paths.js";

export interface RecordedStep {
  t: number;
  action: number | number[];
  obs: number[];
  reward: number;
  terminated: boolean;
  truncated: boolean;
  /** The float64 internal state after the step (classic-control envs). */
  state?: number[];
}

export interface RecordedEpisode {
  seed: number;
  initial_obs: number[];
  /** The float64 internal state after reset (classic-control envs). */
  initial_state?: number[];
  num_steps: number;
  ended_by: string;
  total_reward: number;
  steps: RecordedStep[];
  terrain?: { terrain_x: number[]; terrain_y: number[]; terrain_poly: number[][][]; hull_position_after_reset: number[] };
  moon?: { helipad_x1: number; helipad_x2: number; helipad_y: number; sky_polys: number[][][]; lander_position_after_reset: number[] };
}

export interface Trajectories {
  env_id: string;
  max_episode_steps: number;
  episodes: RecordedEpisode[];
}

/** The recorded trajectories of `name` (an env id, or an id with a variant suffix such as `LunarLander-v3__zero`). */
export function loadTrajectories(name: string): Trajectories {
  return JSON.parse(readFileSync(referencePath("gymnasium", `traj_${name}.json`), "utf8")) as Trajectories;
}
