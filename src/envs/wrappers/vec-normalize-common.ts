/**
 * Stable-Baselines3's VecNormalize settings and reward arithmetic, written once for its two forms here: the
 * env wrapper `VectorNormalize` and the algorithms' `VecNormalize` (which normalises rewards after the
 * reward seam). The observation side is `normalizeInto` and `RunningMeanStd`.
 */
import type { RunningMeanStd } from "./running-mean-std.js";

/** VecNormalize's settings, with SB3's defaults. */
export interface VecNormalizeSettings {
  /** Standardise observations by their running mean and variance. Default true. */
  normObs: boolean;
  /** Divide rewards by the running std of the discounted return. Default true. */
  normReward: boolean;
  /** Normalised observations are clipped to ±clipObs. Default 10. */
  clipObs: number;
  /** Normalised rewards are clipped to ±clipReward. Default 10. */
  clipReward: number;
  /** Discount of the return whose std scales rewards (SB3 uses the algorithm's gamma). Default 0.99. */
  gamma: number;
  /** Added to the variances under the square roots. Default 1e-8. */
  epsilon: number;
}

/** The settings with SB3's defaults for those not given. */
export function vecNormalizeSettings(opts: Partial<VecNormalizeSettings>): VecNormalizeSettings {
  return {
    normObs: opts.normObs ?? true,
    normReward: opts.normReward ?? true,
    clipObs: opts.clipObs ?? 10.0,
    clipReward: opts.clipReward ?? 10.0,
    gamma: opts.gamma ?? 0.99,
    epsilon: opts.epsilon ?? 1e-8,
  };
}

/**
 * One step of the return statistics: `returns = returns * gamma + rewards` (one entry per env), then
 * `retRms` takes the new returns as a batch.
 */
export function updateReturnStatistics(returns: Float64Array, rewards: ArrayLike<number>, gamma: number, retRms: RunningMeanStd): void {
  const n = returns.length;
  for (let i = 0; i < n; i++) returns[i] = returns[i]! * gamma + rewards[i]!;
  retRms.update(returns, n);
}

/**
 * SB3's `_normalize_reward` of the first `n` rewards into `out` (which may be `rewards` itself):
 * `clip(reward / sqrt(retRms.var + epsilon), ±clip)`.
 */
export function normalizeRewardsInto(
  rewards: ArrayLike<number>,
  n: number,
  retRms: RunningMeanStd,
  clip: number,
  epsilon: number,
  out: Float32Array | Float64Array,
): void {
  const scale = Math.sqrt(retRms.var[0]! + epsilon);
  for (let i = 0; i < n; i++) {
    const v = rewards[i]! / scale;
    out[i] = v < -clip ? -clip : v > clip ? clip : v;
  }
}
