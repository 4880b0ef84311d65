/**
 * Observation and reward normalisation with Stable-Baselines3's VecNormalize semantics (rl-zoo's
 * `normalize: true`): running mean/var of observations over every env step (clip 10), rewards divided by
 * the running std of the discounted return (clip 10), epsilon 1e-8, initial count 1e-4.
 *
 * Split in two so the reward seam can change rewards before they are normalised: observations are
 * normalised as they arrive; a rollout's rewards are normalised after collection, in time order, which
 * updates the statistics exactly as SB3 does step by step.
 */
import { normalizeInto } from "../envs/wrappers/normalize.js";
import { RunningMeanStd, type RunningMeanStdState } from "../envs/wrappers/running-mean-std.js";
import {
  normalizeRewardsInto,
  updateReturnStatistics,
  vecNormalizeSettings,
  type VecNormalizeSettings,
} from "../envs/wrappers/vec-normalize-common.js";

/** SB3's RunningMeanStd, shared with the env wrappers; re-exported here for the algorithms' users. */
export { RunningMeanStd };

/** Restores one statistics block of a checkpoint, with the error a resumed run has always given. */
function loadStatistics(rms: RunningMeanStd, s: RunningMeanStdState | null | undefined): void {
  if (!s || s.mean?.length !== rms.size || s.var?.length !== rms.size) {
    throw new Error(`normaliser statistics have ${s?.mean?.length} values, expected ${rms.size}`);
  }
  rms.setState(s);
}

/** VecNormalize's settings (defaults: SB3's); see `VecNormalizeSettings`. */
export type NormalizeOptions = Partial<VecNormalizeSettings>;

export interface NormalizerState {
  obs: RunningMeanStdState | null;
  ret: RunningMeanStdState | null;
  returns: number[];
}

export class VecNormalize implements VecNormalizeSettings {
  readonly normObs: boolean;
  readonly normReward: boolean;
  readonly clipObs: number;
  readonly clipReward: number;
  readonly gamma: number;
  readonly epsilon: number;
  readonly obsRms: RunningMeanStd;
  readonly retRms = new RunningMeanStd(1);
  /** Discounted return per env, for the reward statistics. */
  private returns: Float64Array;
  /** Frozen statistics (evaluation): normalise without updating. */
  training = true;

  constructor(readonly obsDim: number, readonly numEnvs: number, opts: NormalizeOptions = {}) {
    const s = vecNormalizeSettings(opts);
    this.normObs = s.normObs;
    this.normReward = s.normReward;
    this.clipObs = s.clipObs;
    this.clipReward = s.clipReward;
    this.gamma = s.gamma;
    this.epsilon = s.epsilon;
    this.obsRms = new RunningMeanStd(obsDim);
    this.returns = new Float64Array(numEnvs);
  }

  /** Updates the statistics with a batch of raw observations (when training). */
  observe(obs: Float32Array, batch: number): void {
    if (this.normObs && this.training) this.obsRms.update(obs, batch);
  }

  /** Normalised copy of `batch` raw observation rows (no statistics update). */
  normalizeObs(obs: Float32Array, batch: number, out = new Float32Array(batch * this.obsDim)): Float32Array {
    if (!this.normObs) {
      out.set(obs.subarray(0, batch * this.obsDim));
      return out;
    }
    for (let b = 0; b < batch; b++) normalizeInto(obs, this.obsRms, this.clipObs, this.epsilon, out, b * this.obsDim);
    return out;
  }

  /**
   * Normalises one step's rewards for all envs in place (updating the return statistics when training)
   * and restarts the return of envs whose episode ended.
   */
  normalizeRewardsStep(rewards: Float32Array, dones: Uint8Array): void {
    if (!this.normReward) return;
    const n = this.numEnvs;
    if (this.training) updateReturnStatistics(this.returns, rewards, this.gamma, this.retRms);
    normalizeRewardsInto(rewards, n, this.retRms, this.clipReward, this.epsilon, rewards);
    for (let i = 0; i < n; i++) if (dones[i]) this.returns[i] = 0;
  }

  getState(): NormalizerState {
    return {
      obs: this.normObs ? this.obsRms.getState() : null,
      ret: this.normReward ? this.retRms.getState() : null,
      returns: Array.from(this.returns),
    };
  }

  setState(s: NormalizerState): void {
    if (!s) throw new Error("checkpoint has no normaliser statistics but the run normalises");
    if (this.normObs) loadStatistics(this.obsRms, s.obs);
    if (this.normReward) loadStatistics(this.retRms, s.ret);
    if (s.returns?.length === this.numEnvs) this.returns.set(s.returns);
  }
}
