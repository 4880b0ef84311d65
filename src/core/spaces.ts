/**
 * Spaces, as Gymnasium defines them: the set of valid observations or actions.
 * Box: float32 bounds and shape; Discrete(n, start): integers start..start+n-1; Tuple: a product.
 */
export interface Space<T> {
  readonly kind: "box" | "discrete" | "tuple";
  /** Shape of one element; Discrete is a scalar, shape []. */
  readonly shape: readonly number[];
  /** A uniformly random element (Gymnasium's sampling rules), drawn from the space's own seeded generator. */
  sample(): T;
  contains(x: unknown): boolean;
  /** Reseeds the space's generator; returns the seeds used. */
  seed(seed?: number): number[];
}

export { Box } from "./box.js";
export { Discrete } from "./discrete.js";
export { Tuple } from "./tuple.js";
