/**
 * The one evaluator, as rl-zoo's EvalCallback and SB3's `evaluate_policy` do it: run whole episodes and
 * report the mean and std of the returns. Episode i starts from reset(seed = seed + i), so every evaluation
 * sees the same start states (a resumed run evaluates exactly as an uninterrupted one, and two policies are
 * compared on the same episodes).
 *
 * Given several environments, that many episodes run side by side and the policy acts on all of them in
 * one batched `predict` per step (rows of the still-running episodes, in env order); an env whose episode
 * ended takes the next episode. Given one environment, the episodes run in turn.
 */
import type { Env } from "../core/env.js";
import { envAction, spacesOf } from "../core/space-layout.js";
import { meanStd } from "../report/stats.js";

/**
 * The one policy type: maps rows of raw observations (flattened by core/space-layout.ts) to rows of
 * actions. Every algorithm here is one, so is a policy loaded with `PPO.fromPolicyFile`; a scripted policy
 * is an object with this method.
 */
export interface Predictor {
  predict(obs: Float32Array, deterministic?: boolean): Float32Array;
}

export interface EvaluateOptions {
  nEvalEpisodes?: number;
  /** Greedy / mean actions (default) or sampled ones. */
  deterministic?: boolean;
  /** Episode i resets with seed + i. */
  seed?: number;
  /** Stop an episode after this many steps (the env's own time limit applies anyway). */
  maxSteps?: number;
}

export interface EvaluationResult {
  meanReturn: number;
  stdReturn: number;
  returns: number[];
  lengths: number[];
  deterministic: boolean;
}

export function evaluatePolicy(policy: Predictor, envs: Env | readonly Env[], opts: EvaluateOptions = {}): EvaluationResult {
  const n = opts.nEvalEpisodes ?? 5;
  const deterministic = opts.deterministic ?? true;
  const seed = opts.seed ?? 0;
  const maxSteps = opts.maxSteps ?? Infinity;
  if (!Number.isInteger(n) || n < 1) throw new Error(`nEvalEpisodes must be a positive integer, got ${n}`);
  const slots = Array.isArray(envs) ? (envs as readonly Env[]) : [envs as Env];
  if (slots.length < 1) throw new Error("evaluatePolicy: needs at least one environment");
  const { obs: layout, act } = spacesOf(slots[0]!);
  const d = layout.dim;
  const obs = new Float32Array(slots.length * d);
  const returns = new Array<number>(n).fill(0);
  const lengths = new Array<number>(n).fill(0);
  /** The episode each env plays, or -1 once there are no more to start. */
  const episodeOf = new Array<number>(slots.length).fill(-1);
  let next = 0;
  const start = (s: number) => {
    if (next >= n) return void (episodeOf[s] = -1);
    episodeOf[s] = next;
    layout.write(slots[s]!.reset({ seed: seed + next }).obs, obs, s * d);
    next++;
  };
  for (let s = 0; s < slots.length; s++) start(s);
  for (;;) {
    const active = episodeOf.flatMap((ep, s) => (ep >= 0 ? [s] : []));
    if (active.length === 0) break;
    const rows = new Float32Array(active.length * d);
    active.forEach((s, k) => rows.set(obs.subarray(s * d, (s + 1) * d), k * d));
    const actions = policy.predict(rows, deterministic);
    active.forEach((s, k) => {
      const ep = episodeOf[s]!;
      const r = slots[s]!.step(envAction(act, actions, k));
      returns[ep]! += r.reward;
      lengths[ep]!++;
      if (r.terminated || r.truncated || lengths[ep]! >= maxSteps) start(s);
      else layout.write(r.obs, obs, s * d);
    });
  }
  const { mean, std } = meanStd(returns);
  return { meanReturn: mean, stdReturn: std, returns, lengths, deterministic };
}
