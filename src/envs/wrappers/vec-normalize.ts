/**
 * VecNormalize: observation and reward normalisation with Stable-Baselines3's semantics (rl-zoo's
 * `normalize: true`): running mean/var of observations over every env step (clip 10), rewards divided by
 * the running std of the discounted return (clip 10), epsilon 1e-8, initial count 1e-4. One state format
 * (`NormalizerState`), saved in the algorithms' checkpoints.
 *
 *   `VecNormalize`     the statistics and the arithmetic. The algorithms call it at their seams so the reward
 *                      seam can change rewards before they are normalised: observations are normalised as
 *                      they arrive; a rollout's rewards after collection, in time order, which updates the
 *                      statistics exactly as SB3 does step by step.
 *   `VectorNormalize`  the same as a wrapper around a vector env (SB3's form), a thin adapter over the above.
 */
import { type EpisodeRecord, type SyncVecEnv, type VecStepResult } from "../vector.js";
import { normalizeInto } from "./normalize.js";
import { RunningMeanStd, type RunningMeanStdState } from "./running-mean-std.js";

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
    this.normObs = opts.normObs ?? true;
    this.normReward = opts.normReward ?? true;
    this.clipObs = opts.clipObs ?? 10.0;
    this.clipReward = opts.clipReward ?? 10.0;
    this.gamma = opts.gamma ?? 0.99;
    this.epsilon = opts.epsilon ?? 1e-8;
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
    if (this.training) {
      for (let i = 0; i < n; i++) this.returns[i] = this.returns[i]! * this.gamma + rewards[i]!;
      this.retRms.update(this.returns, n);
    }
    const scale = Math.sqrt(this.retRms.var[0]! + this.epsilon);
    for (let i = 0; i < n; i++) {
      const v = rewards[i]! / scale;
      rewards[i] = v < -this.clipReward ? -this.clipReward : v > this.clipReward ? this.clipReward : v;
    }
    for (let i = 0; i < n; i++) if (dones[i]) this.returns[i] = 0;
  }

  /** Restarts every env's discounted return (a reset of all envs). */
  resetReturns(): void {
    this.returns.fill(0);
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

/** VectorNormalize's settings: VecNormalize's, and whether statistics update. */
export interface VectorNormalizeOptions extends NormalizeOptions {
  /** Update the statistics while stepping (false: evaluation with frozen statistics). Default true. */
  training?: boolean;
}

/** The state format the wrapper saved before there was one format (still accepted by `setState`). */
interface LegacyVectorNormalizeState {
  obsRms: RunningMeanStdState;
  retRms: RunningMeanStdState;
  normObs: boolean;
  normReward: boolean;
}

/**
 * SB3's VecNormalize as a wrapper around a vector env: `reset` / `step` return normalised observations
 * (final observations too) and rewards, updating the statistics while `training`; the raw values of the
 * last step stay in `originalObs` / `originalRewards`.
 */
export class VectorNormalize {
  readonly normalizer: VecNormalize;
  originalObs: Float32Array | undefined;
  originalRewards: Float32Array | undefined;

  constructor(readonly venv: SyncVecEnv, opts: VectorNormalizeOptions = {}) {
    const { training = true, ...settings } = opts;
    this.normalizer = new VecNormalize(venv.obsDim, venv.numEnvs, settings);
    this.normalizer.training = training;
    if (this.normalizer.normObs && venv.envs[0]!.observationSpace.kind !== "box") {
      throw new TypeError("VectorNormalize: observation normalisation needs a Box observation space (pass normObs: false)");
    }
  }

  get numEnvs(): number {
    return this.venv.numEnvs;
  }
  get obsDim(): number {
    return this.venv.obsDim;
  }
  get obsRms(): RunningMeanStd {
    return this.normalizer.obsRms;
  }
  get retRms(): RunningMeanStd {
    return this.normalizer.retRms;
  }
  get training(): boolean {
    return this.normalizer.training;
  }
  set training(on: boolean) {
    this.normalizer.training = on;
  }

  reset(): Float32Array {
    const obs = (this.originalObs = this.venv.reset());
    this.normalizer.resetReturns();
    this.normalizer.observe(obs, this.numEnvs);
    return this.normalizer.normalizeObs(obs, this.numEnvs);
  }

  step(actions: Float32Array): VecStepResult {
    const r = this.venv.step(actions);
    const n = this.numEnvs;
    this.originalObs = r.obs;
    this.originalRewards = r.rewards.slice();
    this.normalizer.observe(r.obs, n);
    const dones = r.terminated.map((t, i) => t | r.truncated[i]!);
    const rewards = r.rewards.slice();
    this.normalizer.normalizeRewardsStep(rewards, dones);
    return {
      ...r,
      obs: this.normalizer.normalizeObs(r.obs, n),
      rewards,
      finalObs: r.finalObs.map((f) => (f === null ? null : this.normalizer.normalizeObs(f, 1))),
    };
  }

  /** Normalised copy of `rows` raw observation rows under the current statistics (no update). */
  normalizeObs(obs: Float32Array, rows = obs.length / this.obsDim): Float32Array {
    return this.normalizer.normalizeObs(obs, rows);
  }

  drainEpisodes(): EpisodeRecord[] {
    return this.venv.drainEpisodes();
  }

  getState(): NormalizerState {
    return this.normalizer.getState();
  }

  /** Restores statistics saved by `getState()` (or by the wrapper's earlier format). */
  setState(state: NormalizerState | LegacyVectorNormalizeState): void {
    if ("obsRms" in state) {
      const n = this.normalizer;
      if (state.normObs !== n.normObs || state.normReward !== n.normReward) {
        throw new Error(`VectorNormalize.setState: saved with normObs=${state.normObs}, normReward=${state.normReward}; construct the wrapper with the same settings`);
      }
      this.normalizer.setState({ obs: n.normObs ? state.obsRms : null, ret: n.normReward ? state.retRms : null, returns: [] });
    } else this.normalizer.setState(state);
  }

  close(): void {
    this.venv.close();
  }
}
