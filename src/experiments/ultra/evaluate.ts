/**
 * Evaluation of a policy over whole episodes, all episodes stepped together so the policy runs one
 * batched forward pass per step (SB3's evaluate_policy, deterministic by default, seeded resets).
 */
import { make } from "../../envs/index.js";

/** Actions for `n` observation rows (row-major), as PPO's `predict` returns them. */
export type BatchPolicy = (obs: Float32Array, n: number) => Float32Array;

export interface BatchedEvaluation {
  returns: number[];
  lengths: number[];
  mean: number;
  std: number;
}

export function meanStd(xs: number[]): { mean: number; std: number } {
  if (xs.length === 0) return { mean: NaN, std: NaN };
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const std = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
  return { mean, std };
}

/** Plays `episodes` episodes (episode i reset with `seed + i`) and returns their returns and lengths. */
export function evaluateBatched(policy: BatchPolicy, envId: string, kwargs: Record<string, unknown>, opts: { episodes: number; seed: number }): BatchedEvaluation {
  const n = opts.episodes;
  const envs = Array.from({ length: n }, () => make(envId, { ...kwargs, disableEnvChecker: true }));
  const obs0 = envs.map((e, i) => e.reset({ seed: opts.seed + i }).obs as Float32Array);
  const dim = obs0[0]!.length;
  const obs = new Float32Array(n * dim);
  obs0.forEach((o, i) => obs.set(o, i * dim));
  const returns = new Array<number>(n).fill(0);
  const lengths = new Array<number>(n).fill(0);
  const active: number[] = envs.map((_, i) => i);
  while (active.length > 0) {
    const rows = new Float32Array(active.length * dim);
    active.forEach((i, k) => rows.set(obs.subarray(i * dim, (i + 1) * dim), k * dim));
    const actions = policy(rows, active.length);
    const actDim = actions.length / active.length;
    for (let k = active.length - 1; k >= 0; k--) {
      const i = active[k]!;
      const a = actDim === 1 && envs[i]!.actionSpace.kind === "discrete" ? actions[k]! : actions.slice(k * actDim, (k + 1) * actDim);
      const r = envs[i]!.step(a);
      returns[i]! += r.reward;
      lengths[i]!++;
      obs.set(r.obs as Float32Array, i * dim);
      if (r.terminated || r.truncated) active.splice(k, 1);
    }
  }
  for (const e of envs) e.close();
  return { returns, lengths, ...meanStd(returns) };
}
