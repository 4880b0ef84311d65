/** `Discrete(n, start)`: the integers start, start+1, ..., start+n-1 (Gymnasium's Discrete, int64). */
import type { Space } from "./spaces.js";
import { SeededRandom } from "./seeded.js";

export class Discrete implements Space<number> {
  readonly kind = "discrete" as const;
  readonly shape: readonly number[] = Object.freeze([]);
  readonly n: number;
  readonly start: number;
  private readonly random = new SeededRandom();

  constructor(n: number, start = 0) {
    if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`Discrete: n must be a positive integer, got ${n}`);
    if (!Number.isSafeInteger(start)) throw new Error(`Discrete: start must be an integer, got ${start}`);
    this.n = n;
    this.start = start;
  }

  seed(seed?: number): number[] {
    return [this.random.seed(seed)];
  }

  /** start + integers(n), as Gymnasium draws it. */
  sample(): number {
    return this.start + this.random.rng.integers(this.n);
  }

  contains(x: unknown): boolean {
    return typeof x === "number" && Number.isInteger(x) && x >= this.start && x < this.start + this.n;
  }

  toString(): string {
    return this.start === 0 ? `Discrete(${this.n})` : `Discrete(${this.n}, start=${this.start})`;
  }
}
