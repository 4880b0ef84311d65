/**
 * `VectorNormalize`: Stable-Baselines3's VecNormalize over a vector env, same defaults and order of updates:
 *
 *   step:  obsRms.update(all n observations)          (when training and normObs)
 *          returns = returns * gamma + rewards; retRms.update(returns)   (when training)
 *          obs     -> clip((obs - mean) / sqrt(var + epsilon), ±clipObs)
 *          rewards -> clip(rewards / sqrt(retVar + epsilon), ±clipReward)
 *          returns[i] = 0 where env i's episode ended
 *   reset: returns = 0; obsRms.update(obs) (when training)
 *
 * `infos[i].final_observation` is normalised too (SB3 normalises terminal observations). The raw values of
 * the last step stay available as `originalObs` / `originalRewards`. `getState()`/`setState()` save and
 * restore the statistics as plain JSON (SB3 pickles the whole wrapper; the content is the same).
 */
import type { Info } from "../../core/env.js";
import type { Space } from "../../core/spaces.js";
import type { VectorEnv, VectorResetResult, VectorStepResult } from "../vector.js";
import { normalizeInto } from "./normalize.js";
import { RunningMeanStd, type RunningMeanStdState } from "./running-mean-std.js";
import { normalizeRewardsInto, updateReturnStatistics, vecNormalizeSettings, type VecNormalizeSettings } from "./vec-normalize-common.js";

/** VecNormalize's settings (defaults: SB3's; see `VecNormalizeSettings`) and whether statistics update. */
export interface VectorNormalizeOptions extends Partial<VecNormalizeSettings> {
  /** Update the statistics while stepping (false: evaluation with frozen statistics). Default true. */
  training?: boolean;
}

export interface VectorNormalizeState {
  obsRms: RunningMeanStdState;
  retRms: RunningMeanStdState;
  clipObs: number;
  clipReward: number;
  gamma: number;
  epsilon: number;
  normObs: boolean;
  normReward: boolean;
}

export class VectorNormalize implements VectorEnv, VecNormalizeSettings {
  readonly venv: VectorEnv;
  readonly obsRms: RunningMeanStd;
  readonly retRms = new RunningMeanStd(1);
  training: boolean;
  normObs: boolean;
  normReward: boolean;
  readonly clipObs: number;
  readonly clipReward: number;
  readonly gamma: number;
  readonly epsilon: number;
  /** Running discounted return per env. */
  readonly returns: Float64Array;
  /** The unnormalised observations and rewards of the last reset/step. */
  originalObs: Float32Array | undefined;
  originalRewards: Float64Array | undefined;

  constructor(venv: VectorEnv, opts: VectorNormalizeOptions = {}) {
    this.venv = venv;
    this.training = opts.training ?? true;
    const s = vecNormalizeSettings(opts);
    this.normObs = s.normObs;
    this.normReward = s.normReward;
    this.clipObs = s.clipObs;
    this.clipReward = s.clipReward;
    this.gamma = s.gamma;
    this.epsilon = s.epsilon;
    if (this.normObs && venv.singleObservationSpace.kind !== "box") {
      throw new TypeError("VectorNormalize: observation normalisation needs a Box observation space (pass normObs: false)");
    }
    this.obsRms = new RunningMeanStd(venv.obsSize);
    this.returns = new Float64Array(venv.numEnvs);
  }

  get numEnvs(): number {
    return this.venv.numEnvs;
  }
  get singleObservationSpace(): Space<any> {
    return this.venv.singleObservationSpace;
  }
  get singleActionSpace(): Space<any> {
    return this.venv.singleActionSpace;
  }
  get obsSize(): number {
    return this.venv.obsSize;
  }
  get actionSize(): number {
    return this.venv.actionSize;
  }

  reset(opts?: { seed?: number }): VectorResetResult {
    const r = this.venv.reset(opts);
    this.originalObs = r.obs;
    this.returns.fill(0);
    if (this.training && this.normObs) this.obsRms.update(r.obs, this.numEnvs);
    return { obs: this.normalizeObs(r.obs, this.numEnvs), infos: r.infos };
  }

  step(actions: ArrayLike<number>): VectorStepResult {
    const r = this.venv.step(actions);
    this.originalObs = r.obs;
    this.originalRewards = r.rewards;
    const n = this.numEnvs;
    if (this.training && this.normObs) this.obsRms.update(r.obs, n);
    const obs = this.normalizeObs(r.obs, n);
    const infos: Info[] = r.infos;
    if (this.normObs) {
      for (const info of infos) {
        const fin = info.final_observation;
        if (fin instanceof Float32Array) info.final_observation = this.normalizeObs(fin, 1);
      }
    }
    if (this.training) updateReturnStatistics(this.returns, r.rewards, this.gamma, this.retRms);
    const rewards = this.normalizeRewards(r.rewards);
    for (let i = 0; i < n; i++) if (r.terminated[i] || r.truncated[i]) this.returns[i] = 0;
    return { obs, rewards, terminated: r.terminated, truncated: r.truncated, infos };
  }

  /** Normalised copy of `rows` observation rows under the current statistics (no update). */
  normalizeObs(obs: Float32Array, rows = obs.length / this.obsSize): Float32Array {
    if (!this.normObs) return Float32Array.from(obs);
    const out = new Float32Array(rows * this.obsSize);
    for (let r = 0; r < rows; r++) normalizeInto(obs, this.obsRms, this.clipObs, this.epsilon, out, r * this.obsSize);
    return out;
  }

  /** Normalised copy of rewards under the current statistics (no update). */
  normalizeRewards(rewards: ArrayLike<number>): Float64Array {
    const out = Float64Array.from(rewards);
    if (this.normReward) normalizeRewardsInto(out, out.length, this.retRms, this.clipReward, this.epsilon, out);
    return out;
  }

  getState(): VectorNormalizeState {
    return {
      obsRms: this.obsRms.getState(),
      retRms: this.retRms.getState(),
      clipObs: this.clipObs,
      clipReward: this.clipReward,
      gamma: this.gamma,
      epsilon: this.epsilon,
      normObs: this.normObs,
      normReward: this.normReward,
    };
  }

  /** Restores saved statistics (the clip, gamma and epsilon settings stay as constructed). */
  setState(state: VectorNormalizeState): void {
    this.obsRms.setState(state.obsRms);
    this.retRms.setState(state.retRms);
    this.normObs = state.normObs;
    this.normReward = state.normReward;
  }

  close(): void {
    this.venv.close();
  }
}
