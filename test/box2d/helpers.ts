/** Shared helpers of the Box2D tests: the recorded Gymnasium trajectories and max-abs differences. */
import { readFileSync } from "node:fs";
import { referencePath } from "../../src/core/paths.js";
import { loadTrajectories, type RecordedStep } from "../envs/recorded.js";

export { loadTrajectories };

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
export function actionOf(step: RecordedStep): number | Float32Array {
  return typeof step.action === "number" ? step.action : Float32Array.from(step.action);
}
