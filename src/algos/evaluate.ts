/**
 * Policy evaluation as rl-zoo's EvalCallback does it (SB3 `evaluate_policy`): run whole episodes on a
 * separate environment and report the mean and std of the returns. Episode i of every evaluation starts
 * from reset(seed = seed + i), so every evaluation of a run sees the same start states (and a resumed run
 * evaluates exactly as an uninterrupted one).
 */
import type { Env } from "../core/env.js";
import { envAction, spacesOf } from "../core/space-layout.js";

/** Anything that maps rows of raw observations to actions (every algorithm here). */
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

export function evaluatePolicy(model: Predictor, env: Env, opts: EvaluateOptions = {}): EvaluationResult {
  const n = opts.nEvalEpisodes ?? 5;
  const deterministic = opts.deterministic ?? true;
  const seed = opts.seed ?? 0;
  const maxSteps = opts.maxSteps ?? Infinity;
  if (!Number.isInteger(n) || n < 1) throw new Error(`nEvalEpisodes must be a positive integer, got ${n}`);
  const { obs: layout, act } = spacesOf(env);
  const row = new Float32Array(layout.dim);
  const returns: number[] = [];
  const lengths: number[] = [];
  for (let ep = 0; ep < n; ep++) {
    let { obs } = env.reset({ seed: seed + ep });
    let total = 0;
    let len = 0;
    for (;;) {
      layout.write(obs, row, 0);
      const a = model.predict(row, deterministic);
      const r = env.step(envAction(act, a, 0));
      total += r.reward;
      len++;
      obs = r.obs;
      if (r.terminated || r.truncated || len >= maxSteps) break;
    }
    returns.push(total);
    lengths.push(len);
  }
  const mean = returns.reduce((a, b) => a + b, 0) / n;
  const std = Math.sqrt(returns.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
  return { meanReturn: mean, stdReturn: std, returns, lengths, deterministic };
}
