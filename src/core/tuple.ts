/** `Tuple(spaces)`: the Cartesian product of spaces; elements are arrays with one part per space. */
import type { Space } from "./spaces.js";
import { SeededRandom } from "./seeded.js";

export class Tuple<T extends unknown[] = unknown[]> implements Space<T> {
  readonly kind = "tuple" as const;
  readonly shape: readonly number[] = Object.freeze([]);
  readonly spaces: readonly Space<unknown>[];
  private readonly random = new SeededRandom();

  constructor(spaces: readonly Space<unknown>[]) {
    if (spaces.length === 0) throw new Error("Tuple: needs at least one subspace");
    this.spaces = Object.freeze([...spaces]);
  }

  /**
   * An integer seed seeds the tuple's own generator, which draws one seed per subspace in [0, 2^31 - 1)
   * (Gymnasium's rule); no seed reseeds every subspace from fresh entropy.
   */
  seed(seed?: number): number[] {
    if (seed === undefined) return this.spaces.flatMap((s) => s.seed());
    this.random.seed(seed);
    const subseeds = this.random.rng.integers(0, 2147483647, this.spaces.length);
    return this.spaces.flatMap((s, i) => s.seed(subseeds[i]!));
  }

  sample(): T {
    return this.spaces.map((s) => s.sample()) as T;
  }

  contains(x: unknown): boolean {
    return Array.isArray(x) && x.length === this.spaces.length && this.spaces.every((s, i) => s.contains(x[i]));
  }

  toString(): string {
    return `Tuple(${this.spaces.map(String).join(", ")})`;
  }
}
