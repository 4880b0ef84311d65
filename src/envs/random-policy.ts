/**
 * Rolls a uniformly random policy the way the reference statistics were recorded: episode i starts with
 * `reset({seed: seedOffset + i})`, actions come from `env.actionSpace.sample()` with the action space
 * seeded once (12345 by default). With the numpy-compatible generators this reproduces Gymnasium's
 * random-policy episodes, not just their distribution.
 */
import type { Env } from "../core/env.js";

export interface RandomPolicyOptions {
  episodes?: number;
  actionSeed?: number;
  seedOffset?: number;
}

export interface RandomPolicyResult {
  returns: number[];
  lengths: number[];
  mean: number;
  /** Population standard deviation (numpy's default, ddof = 0). */
  std: number;
  /** Standard error of the mean (sample std / sqrt(n)). */
  sem: number;
}

export function rollRandomPolicy(env: Env<unknown, unknown>, opts: RandomPolicyOptions = {}): RandomPolicyResult {
  const episodes = opts.episodes ?? 100;
  if (!Number.isInteger(episodes) || episodes <= 0) throw new RangeError(`rollRandomPolicy: episodes must be a positive integer, got ${episodes}`);
  env.actionSpace.seed(opts.actionSeed ?? 12345);
  const returns: number[] = [], lengths: number[] = [];
  for (let i = 0; i < episodes; i++) {
    env.reset({ seed: (opts.seedOffset ?? 0) + i });
    let total = 0, length = 0;
    for (;;) {
      const r = env.step(env.actionSpace.sample());
      total += r.reward;
      length++;
      if (r.terminated || r.truncated) break;
    }
    returns.push(total);
    lengths.push(length);
  }
  const n = returns.length;
  const mean = returns.reduce((a, b) => a + b, 0) / n;
  const ss = returns.reduce((a, b) => a + (b - mean) ** 2, 0);
  return { returns, lengths, mean, std: Math.sqrt(ss / n), sem: n > 1 ? Math.sqrt(ss / (n - 1)) / Math.sqrt(n) : 0 };
}
