/**
 * Exploration noise added to a deterministic policy's actions (Stable-Baselines3's common/noise.py), one
 * process per environment of the vector as SB3's VectorizedActionNoise, in the scaled action space [-1, 1]:
 *
 *   normal:              n_t = mean + sigma * N(0, 1)
 *   ornstein-uhlenbeck:  n_t = n_{t-1} + theta (mean - n_{t-1}) dt + sigma sqrt(dt) N(0, 1), reset to
 *                        `initialNoise` (default 0) when that env's episode ends
 *
 * The draws come from a generator of the algorithm's own, whose state is saved with the process state, so
 * a resumed run draws the same noise.
 */
import { Random, type RandomState } from "../nn/random.js";

/** rl-zoo's `noise_type` / `noise_std` as an option: `{ type: "normal", sigma: 0.1 }`. */
export interface ActionNoiseSpec {
  type: "normal" | "ornstein-uhlenbeck";
  /** Standard deviation: one value for every action dimension, or one per dimension. */
  sigma: number | number[];
  /** Mean of the noise (default 0). */
  mean?: number | number[];
  /** Ornstein-Uhlenbeck: rate of mean reversion (SB3: 0.15). */
  theta?: number;
  /** Ornstein-Uhlenbeck: time step (SB3: 1e-2). */
  dt?: number;
  /** Ornstein-Uhlenbeck: the value after a reset (default 0). */
  initialNoise?: number | number[];
}

export interface ActionNoiseState {
  rng: RandomState;
  /** Ornstein-Uhlenbeck: the last value of every env's process (nEnvs x dim), else empty. */
  previous: number[];
}

function perDimension(v: number | number[] | undefined, dim: number, fallback: number, name: string): Float64Array {
  const values = v === undefined ? [fallback] : Array.isArray(v) ? v : [v];
  if (values.length !== 1 && values.length !== dim) throw new Error(`actionNoise.${name}: expected 1 or ${dim} values, got ${values.length}`);
  if (!values.every((x) => typeof x === "number" && Number.isFinite(x))) throw new Error(`actionNoise.${name} must be finite numbers, got ${JSON.stringify(v)}`);
  return Float64Array.from({ length: dim }, (_, i) => values[values.length === 1 ? 0 : i]!);
}

/** Noise for `nEnvs` environments with `dim` action dimensions each. */
export class VectorizedActionNoise {
  readonly type: ActionNoiseSpec["type"];
  private readonly mean: Float64Array;
  private readonly sigma: Float64Array;
  private readonly theta: number;
  private readonly dt: number;
  private readonly initial: Float64Array;
  private readonly previous: Float64Array;

  constructor(spec: ActionNoiseSpec, readonly nEnvs: number, readonly dim: number, readonly rng: Random) {
    if (spec?.type !== "normal" && spec?.type !== "ornstein-uhlenbeck") {
      throw new Error(`actionNoise.type must be "normal" or "ornstein-uhlenbeck", got ${JSON.stringify(spec?.type)}`);
    }
    this.type = spec.type;
    this.sigma = perDimension(spec.sigma, dim, NaN, "sigma");
    if (this.sigma.some((s) => !(s >= 0))) throw new Error(`actionNoise.sigma must be >= 0, got ${JSON.stringify(spec.sigma)}`);
    this.mean = perDimension(spec.mean, dim, 0, "mean");
    this.theta = spec.theta ?? 0.15;
    this.dt = spec.dt ?? 1e-2;
    if (!(this.theta >= 0 && this.dt > 0)) throw new Error(`actionNoise: theta must be >= 0 and dt > 0, got ${this.theta}, ${this.dt}`);
    this.initial = perDimension(spec.initialNoise, dim, 0, "initialNoise");
    this.previous = new Float64Array(this.type === "ornstein-uhlenbeck" ? nEnvs * dim : 0);
    for (let e = 0; e < this.nEnvs && this.previous.length; e++) this.reset(e);
  }

  /** One draw per env and dimension (nEnvs x dim, row-major). */
  sample(): Float64Array {
    const { nEnvs, dim, mean, sigma } = this;
    const out = new Float64Array(nEnvs * dim);
    for (let e = 0; e < nEnvs; e++) {
      for (let d = 0; d < dim; d++) {
        const j = e * dim + d;
        if (this.type === "normal") out[j] = mean[d]! + sigma[d]! * this.rng.normal();
        else {
          const prev = this.previous[j]!;
          out[j] = this.previous[j] = prev + this.theta * (mean[d]! - prev) * this.dt + sigma[d]! * Math.sqrt(this.dt) * this.rng.normal();
        }
      }
    }
    return out;
  }

  /** Restarts env `e`'s process (at the end of its episode). */
  reset(e: number): void {
    if (this.previous.length) this.previous.set(this.initial, e * this.dim);
  }

  getState(): ActionNoiseState {
    return { rng: this.rng.getState(), previous: Array.from(this.previous) };
  }

  setState(state: ActionNoiseState): void {
    if (!state || !Array.isArray(state.previous) || state.previous.length !== this.previous.length) {
      throw new Error(`action noise state: expected ${this.previous.length} previous values, got ${state?.previous?.length}`);
    }
    this.rng.setState(state.rng);
    this.previous.set(state.previous);
  }
}
