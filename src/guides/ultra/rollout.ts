/**
 * Step 1 of ULTRA: record episodes of the (sub-optimal) policy to be refined.
 */
import type { Env, Info } from "../../core/env.js";
import { actionLayout, envAction } from "../../core/space-layout.js";
import type { Space } from "../../core/spaces.js";
import type { Predictor } from "../../algos/evaluate.js";
import type { Action, Episode } from "./types.js";

export interface RolloutOptions {
  /** Number of episodes (default 4). */
  episodes?: number;
  /** Episode i is reset with seed `seed + i` (default 0). */
  seed?: number;
  /** Cut an episode after this many steps (default: the env's own limit, else 10 000). */
  maxSteps?: number;
  /** Keep the per-step info dicts (default false). */
  keepInfos?: boolean;
  /** The policy's mode (default) or sampled actions. */
  deterministic?: boolean;
}

/** Plays `episodes` episodes of `policy` in `env` and records every observation, action and reward. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any action type: the policy produces what the env takes
export function collectEpisodes(env: Env<Float32Array, any>, policy: Predictor, opts: RolloutOptions = {}): Episode[] {
  const count = opts.episodes ?? 4;
  const seed = opts.seed ?? 0;
  const maxSteps = opts.maxSteps ?? env.spec?.maxEpisodeSteps ?? 10_000;
  const deterministic = opts.deterministic ?? true;
  const act = actionLayout(env.actionSpace as Space<unknown>);
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`collectEpisodes: episodes must be a positive integer, got ${count}`);
  const episodes: Episode[] = [];
  for (let e = 0; e < count; e++) {
    let { obs } = env.reset({ seed: seed + e });
    const ep: Episode = { obs: [], actions: [], rewards: [], seed: seed + e, return: 0, terminated: false, truncated: false };
    if (opts.keepInfos) ep.infos = [] as Info[];
    for (let t = 0; t < maxSteps; t++) {
      const action: Action = envAction(act, policy.predict(obs, deterministic), 0);
      const res = env.step(action);
      ep.obs.push(obs);
      ep.actions.push(action);
      ep.rewards.push(res.reward);
      ep.infos?.push(res.info);
      ep.return += res.reward;
      obs = res.obs;
      if (res.terminated || res.truncated) {
        ep.terminated = res.terminated;
        ep.truncated = res.truncated;
        break;
      }
      if (t === maxSteps - 1) ep.truncated = true;
    }
    episodes.push(ep);
  }
  return episodes;
}
