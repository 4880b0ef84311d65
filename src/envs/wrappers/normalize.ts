/**
 * `NormalizeObservation` and `NormalizeReward` for a single env, with Stable-Baselines3's VecNormalize
 * semantics (one env = a batch of one):
 *
 *   obs    -> clip((obs - mean) / sqrt(var + epsilon), ±clipObs), statistics updated with each observation
 *   reward -> clip(reward / sqrt(retVar + epsilon), ±clipReward), where retVar tracks the variance of the
 *             discounted return  ret = ret * gamma + reward  (reset to 0 when an episode ends)
 *
 * Statistics update only while `training` is true; `getState()` / `setState()` save and restore them
 * (JSON-friendly), e.g. to evaluate a policy with the statistics it was trained with.
 */
import type { Env, ResetOptions, ResetResult, StepResult } from "../../core/env.js";
import { BaseWrapper } from "../../core/wrapper.js";
import { RunningMeanStd, type RunningMeanStdState } from "./running-mean-std.js";

export interface NormalizeObservationOptions {
  clipObs?: number;
  epsilon?: number;
  training?: boolean;
}

export interface NormalizeObservationState {
  obsRms: RunningMeanStdState;
  clipObs: number;
  epsilon: number;
}

/** Normalises a row of values in place into `out` (float32), SB3's `_normalize_obs`. */
export function normalizeInto(x: ArrayLike<number>, rms: RunningMeanStd, clip: number, epsilon: number, out: Float32Array, offset = 0): void {
  const d = rms.size;
  for (let j = 0; j < d; j++) {
    const v = (x[offset + j]! - rms.mean[j]!) / Math.sqrt(rms.var[j]! + epsilon);
    out[offset + j] = v < -clip ? -clip : v > clip ? clip : v;
  }
}

export class NormalizeObservation<Act = unknown> extends BaseWrapper<Float32Array, Act> {
  readonly obsRms: RunningMeanStd;
  readonly clipObs: number;
  readonly epsilon: number;
  training: boolean;

  constructor(env: Env<Float32Array, Act>, opts: NormalizeObservationOptions = {}) {
    super(env);
    const space = env.observationSpace;
    if (space.kind !== "box") throw new TypeError(`NormalizeObservation: needs a Box observation space, got ${space.kind}`);
    this.obsRms = new RunningMeanStd(space.shape.reduce((a, b) => a * b, 1));
    this.clipObs = opts.clipObs ?? 10.0;
    this.epsilon = opts.epsilon ?? 1e-8;
    this.training = opts.training ?? true;
  }

  /** The normalised form of an observation under the current statistics (no update). */
  normalize(obs: ArrayLike<number>): Float32Array {
    const out = new Float32Array(this.obsRms.size);
    normalizeInto(obs, this.obsRms, this.clipObs, this.epsilon, out);
    return out;
  }

  override reset(opts?: ResetOptions): ResetResult<Float32Array> {
    const r = this.env.reset(opts);
    if (this.training) this.obsRms.update(r.obs);
    return { obs: this.normalize(r.obs), info: r.info };
  }

  override step(action: Act): StepResult<Float32Array> {
    const r = this.env.step(action);
    if (this.training) this.obsRms.update(r.obs);
    return { ...r, obs: this.normalize(r.obs), info: { ...r.info, unnormalizedObs: r.obs } };
  }

  getState(): NormalizeObservationState {
    return { obsRms: this.obsRms.getState(), clipObs: this.clipObs, epsilon: this.epsilon };
  }

  setState(state: NormalizeObservationState): void {
    this.obsRms.setState(state.obsRms);
  }
}

export interface NormalizeRewardOptions {
  gamma?: number;
  clipReward?: number;
  epsilon?: number;
  training?: boolean;
}

export interface NormalizeRewardState {
  retRms: RunningMeanStdState;
  gamma: number;
  clipReward: number;
  epsilon: number;
}

export class NormalizeReward<Obs = unknown, Act = unknown> extends BaseWrapper<Obs, Act> {
  readonly retRms = new RunningMeanStd(1);
  readonly gamma: number;
  readonly clipReward: number;
  readonly epsilon: number;
  training: boolean;
  /** The running discounted return of the current episode. */
  discountedReturn = 0;

  constructor(env: Env<Obs, Act>, opts: NormalizeRewardOptions = {}) {
    super(env);
    this.gamma = opts.gamma ?? 0.99;
    this.clipReward = opts.clipReward ?? 10.0;
    this.epsilon = opts.epsilon ?? 1e-8;
    this.training = opts.training ?? true;
    if (!(this.gamma >= 0 && this.gamma <= 1)) throw new RangeError(`NormalizeReward: gamma must be in [0, 1], got ${this.gamma}`);
  }

  /** The normalised form of a reward under the current statistics (no update). */
  normalize(reward: number): number {
    const v = reward / Math.sqrt(this.retRms.var[0]! + this.epsilon);
    return Math.min(Math.max(v, -this.clipReward), this.clipReward);
  }

  override reset(opts?: ResetOptions): ResetResult<Obs> {
    this.discountedReturn = 0;
    return this.env.reset(opts);
  }

  override step(action: Act): StepResult<Obs> {
    const r = this.env.step(action);
    if (this.training) {
      this.discountedReturn = this.discountedReturn * this.gamma + r.reward;
      this.retRms.update([this.discountedReturn]);
    }
    const normalized = this.normalize(r.reward);
    if (r.terminated || r.truncated) this.discountedReturn = 0;
    return { ...r, reward: normalized, info: { ...r.info, unnormalizedReward: r.reward } };
  }

  getState(): NormalizeRewardState {
    return { retRms: this.retRms.getState(), gamma: this.gamma, clipReward: this.clipReward, epsilon: this.epsilon };
  }

  setState(state: NormalizeRewardState): void {
    this.retRms.setState(state.retRms);
  }
}
