/**
 * Step 4 of ULTRA, the matching part: new states are matched to the critical states by nearest
 * neighbour in a normalised state space, within a radius. Each dimension is z-scored with the mean and
 * standard deviation of the states recorded in the rollouts, so that a radius means the same thing for
 * every field; distances are root-mean-square over dimensions, so a radius does not grow with the
 * dimension count (radius 0.25: on average a quarter of a standard deviation per field).
 */
import type { CriticalState } from "./types.js";

/** Per-dimension mean and scale used to normalise states. */
export interface StateNormalizer {
  mean: Float32Array;
  scale: Float32Array;
}

/** Mean and standard deviation (floored at `minScale`) of a set of states. */
export function fitNormalizer(states: ArrayLike<number>[], minScale = 1e-3): StateNormalizer {
  if (states.length === 0) throw new Error("fitNormalizer: no states");
  const dim = states[0]!.length;
  const mean = new Float64Array(dim);
  const sq = new Float64Array(dim);
  for (const s of states) {
    if (s.length !== dim) throw new Error(`fitNormalizer: states have different lengths (${dim} and ${s.length})`);
    for (let i = 0; i < dim; i++) mean[i]! += s[i]!;
  }
  for (let i = 0; i < dim; i++) mean[i]! /= states.length;
  for (const s of states) for (let i = 0; i < dim; i++) { const d = s[i]! - mean[i]!; sq[i]! += d * d; }
  const scale = new Float32Array(dim);
  for (let i = 0; i < dim; i++) scale[i] = Math.max(minScale, Math.sqrt(sq[i]! / states.length));
  return { mean: Float32Array.from(mean), scale };
}

export interface Match<T> {
  entry: T;
  index: number;
  /** RMS distance in normalised units. */
  distance: number;
}

/**
 * A nearest-neighbour table over normalised states. Entries are kept in one flat Float32Array so a
 * query is a tight loop (tables hold tens to a few thousand critical states).
 */
export class CriticalStateTable<T extends { obs: ArrayLike<number> } = CriticalState> {
  readonly dim: number;
  readonly radius: number;
  readonly normalizer: StateNormalizer;
  readonly entries: readonly T[];
  private readonly points: Float32Array;
  private readonly invScale: Float32Array;

  constructor(entries: T[], normalizer: StateNormalizer, radius: number) {
    if (!(radius > 0)) throw new RangeError(`CriticalStateTable: radius must be positive, got ${radius}`);
    this.dim = normalizer.mean.length;
    this.radius = radius;
    this.normalizer = normalizer;
    this.entries = entries;
    this.invScale = normalizer.scale.map((s) => 1 / s);
    this.points = new Float32Array(entries.length * this.dim);
    entries.forEach((e, k) => {
      if (e.obs.length !== this.dim) throw new Error(`CriticalStateTable: entry ${k} has ${e.obs.length} dimensions, expected ${this.dim}`);
      for (let i = 0; i < this.dim; i++) this.points[k * this.dim + i] = (e.obs[i]! - normalizer.mean[i]!) * this.invScale[i]!;
    });
  }

  get size(): number {
    return this.entries.length;
  }

  /**
   * The nearest entry to the state stored at `obs[offset .. offset + dim)`, if it lies within the
   * radius; undefined otherwise.
   */
  nearest(obs: ArrayLike<number>, offset = 0): Match<T> | undefined {
    const dim = this.dim;
    const limit = this.radius * this.radius * dim;
    let best = -1;
    let bestSq = limit;
    const q = new Float32Array(dim);
    for (let i = 0; i < dim; i++) q[i] = (obs[offset + i]! - this.normalizer.mean[i]!) * this.invScale[i]!;
    const pts = this.points;
    for (let k = 0, base = 0; k < this.entries.length; k++, base += dim) {
      let s = 0;
      for (let i = 0; i < dim && s <= bestSq; i++) {
        const d = pts[base + i]! - q[i]!;
        s += d * d;
      }
      if (s <= bestSq) {
        bestSq = s;
        best = k;
      }
    }
    if (best < 0) return undefined;
    return { entry: this.entries[best]!, index: best, distance: Math.sqrt(bestSq / dim) };
  }
}
