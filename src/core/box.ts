/**
 * `Box`: a float32 box in R^n, Gymnasium's `Box(low, high, shape, dtype=np.float32)`.
 * Elements are Float32Array (number[] is accepted by `contains`); bounds are rounded to float32 as
 * numpy does when it stores them. Infinite bounds are allowed (sampling then follows Gymnasium:
 * normal when unbounded, shifted exponential when bounded on one side, uniform when bounded).
 */
import type { Space } from "./spaces.js";
import { SeededRandom } from "./seeded.js";

export class Box implements Space<Float32Array> {
  readonly kind = "box" as const;
  readonly shape: readonly number[];
  /** Number of elements (product of the shape). */
  readonly size: number;
  readonly low: Float32Array;
  readonly high: Float32Array;
  readonly dtype = "float32" as const;
  private readonly random = new SeededRandom();

  /**
   * @param low  lower bound: a scalar broadcast to `shape`, or one value per element.
   * @param high upper bound, as `low`.
   * @param shape required when both bounds are scalars; otherwise taken from the bounds.
   */
  constructor(low: number | ArrayLike<number>, high: number | ArrayLike<number>, shape?: readonly number[]) {
    const inferred = typeof low !== "number" ? [low.length] : typeof high !== "number" ? [high.length] : undefined;
    const s = shape ?? inferred;
    if (s === undefined) throw new Error("Box: a shape is required when low and high are both scalars");
    if (!s.every((d) => Number.isInteger(d) && d >= 0)) throw new Error(`Box: shape must be non-negative integers, got [${s.join(", ")}]`);
    this.shape = Object.freeze([...s]);
    this.size = s.reduce((a, b) => a * b, 1);
    this.low = broadcast("low", low, this.size);
    this.high = broadcast("high", high, this.size);
    for (let i = 0; i < this.size; i++) {
      if (Number.isNaN(this.low[i]!) || Number.isNaN(this.high[i]!)) throw new Error("Box: bounds must not be NaN");
      if (this.low[i]! > this.high[i]!) {
        throw new Error(`Box: low must be <= high, got low[${i}]=${this.low[i]} > high[${i}]=${this.high[i]}`);
      }
    }
  }

  /** Whether every element has finite lower and upper bounds. */
  isBounded(): boolean {
    for (let i = 0; i < this.size; i++) if (!Number.isFinite(this.low[i]!) || !Number.isFinite(this.high[i]!)) return false;
    return true;
  }

  seed(seed?: number): number[] {
    return [this.random.seed(seed)];
  }

  sample(): Float32Array {
    const rng = this.random.rng;
    const n = this.size, low = this.low, high = this.high;
    const out = new Float32Array(n);
    // Gymnasium draws all unbounded coordinates first, then the lower-bounded, the upper-bounded and
    // finally the bounded ones, each group in index order; the draw order matters for reproducibility.
    for (let i = 0; i < n; i++) if (low[i] === -Infinity && high[i] === Infinity) out[i] = rng.standardNormal();
    for (let i = 0; i < n; i++) if (low[i] !== -Infinity && high[i] === Infinity) out[i] = rng.standardExponential() + low[i]!;
    for (let i = 0; i < n; i++) if (low[i] === -Infinity && high[i] !== Infinity) out[i] = -rng.standardExponential() + high[i]!;
    for (let i = 0; i < n; i++) {
      if (low[i] !== -Infinity && high[i] !== Infinity) {
        const l = low[i]!;
        out[i] = l + (high[i]! - l) * rng.random();
      }
    }
    return out;
  }

  /**
   * Whether `x` holds `size` numbers that, rounded to float32 (as numpy casts them), lie within the bounds.
   * Any numeric array is accepted (Float32Array, number[], Float64Array...); NaN never belongs.
   */
  contains(x: unknown): boolean {
    if (!isNumericArray(x) || x.length !== this.size) return false;
    for (let i = 0; i < this.size; i++) {
      const v = Math.fround(x[i]!);
      if (!(v >= this.low[i]! && v <= this.high[i]!)) return false;
    }
    return true;
  }

  /** Clips each element into [low, high] (a new Float32Array). */
  clip(x: ArrayLike<number>): Float32Array {
    const out = new Float32Array(this.size);
    for (let i = 0; i < this.size; i++) out[i] = Math.min(Math.max(x[i]!, this.low[i]!), this.high[i]!);
    return out;
  }

  toString(): string {
    const fmt = (a: Float32Array) => (a.every((v) => v === a[0]) ? String(a[0]) : `[${Array.from(a).join(", ")}]`);
    return `Box(${fmt(this.low)}, ${fmt(this.high)}, (${this.shape.join(", ")}${this.shape.length === 1 ? "," : ""}), float32)`;
  }
}

function broadcast(name: string, v: number | ArrayLike<number>, size: number): Float32Array {
  if (typeof v === "number") return new Float32Array(size).fill(v);
  if (v.length !== size) throw new Error(`Box: ${name} has ${v.length} elements but the shape holds ${size}`);
  return Float32Array.from(v);
}

function isNumericArray(x: unknown): x is ArrayLike<number> {
  if (x instanceof Float32Array || x instanceof Float64Array) return true;
  if (ArrayBuffer.isView(x) && !(x instanceof DataView)) return !(x instanceof BigInt64Array || x instanceof BigUint64Array);
  return Array.isArray(x) && x.every((v) => typeof v === "number");
}
