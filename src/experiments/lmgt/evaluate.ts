/** Deterministic evaluation of a policy on fresh environments, all episodes stepped together. */
import type { Env } from "../../core/env.js";
import { observationLayout, actionLayout, envAction } from "../../core/space-layout.js";
import type { Space } from "../../core/spaces.js";
import type { LmgtModel } from "./algos.js";

/** Mean and per-episode returns of `episodes` deterministic episodes; episode k resets with `seed + k`. */
export function evaluatePolicy(model: LmgtModel, makeEnv: () => Env, episodes: number, seed: number): { mean: number; returns: number[] } {
  const envs = Array.from({ length: episodes }, makeEnv);
  const obsLayout = observationLayout(envs[0]!.observationSpace as Space<unknown>);
  const actLayout = actionLayout(envs[0]!.actionSpace as Space<unknown>);
  const rows = new Float32Array(episodes * obsLayout.dim);
  const returns = new Array<number>(episodes).fill(0);
  const live = envs.map((env, k) => {
    obsLayout.write(env.reset({ seed: seed + k }).obs, rows, k * obsLayout.dim);
    return true;
  });
  let running = episodes;
  try {
    while (running > 0) {
      const actions = model.predict(rows, true);
      for (let k = 0; k < episodes; k++) {
        if (!live[k]) continue;
        const res = envs[k]!.step(envAction(actLayout, actions, k));
        returns[k]! += res.reward;
        if (res.terminated || res.truncated) {
          live[k] = false;
          running--;
        } else obsLayout.write(res.obs, rows, k * obsLayout.dim);
      }
    }
  } finally {
    for (const env of envs) env.close();
  }
  return { mean: returns.reduce((a, b) => a + b, 0) / episodes, returns };
}
