/**
 * A base class for environments: owns the seeded numpy-compatible generator exactly as Gymnasium's
 * `Env.reset(seed=...)` does (a seed reseeds; no seed keeps the current generator, seeding it from fresh
 * entropy on first use).
 */
import type { Env, EnvSpec, ResetOptions, ResetResult, StepResult } from "./env.js";
import type { Space } from "./spaces.js";
import { Generator, npRandom } from "./rng.js";

export abstract class BaseEnv<Obs, Act> implements Env<Obs, Act> {
  abstract readonly observationSpace: Space<Obs>;
  abstract readonly actionSpace: Space<Act>;
  spec?: EnvSpec;
  private generator: Generator | undefined;
  private generatorSeed: number | undefined;

  /** The environment's generator (Gymnasium's `np_random`). */
  get npRandom(): Generator {
    if (this.generator === undefined) [this.generator, this.generatorSeed] = npRandom();
    return this.generator;
  }

  /** The seed the generator was last seeded with (Gymnasium's `np_random_seed`). */
  get npRandomSeed(): number | undefined {
    return this.generatorSeed;
  }

  /** The environment itself: wrappers forward this to the innermost env. */
  get unwrapped(): Env<unknown, unknown> {
    return this as Env<unknown, unknown>;
  }

  /** Reseeds when `opts.seed` is given; subclasses call this first in `reset`. */
  protected seedFrom(opts: ResetOptions | undefined): void {
    if (opts?.seed !== undefined) [this.generator, this.generatorSeed] = npRandom(opts.seed);
  }

  abstract reset(opts?: ResetOptions): ResetResult<Obs>;
  abstract step(action: Act): StepResult<Obs>;
  close(): void {}
}

/** Reads Gymnasium's `low`/`high` reset options (classic control), checking they are numbers in order. */
export function resetBounds(options: Record<string, unknown> | undefined, defaultLow: number, defaultHigh: number): [number, number] {
  if (options === undefined) return [defaultLow, defaultHigh];
  const low = optionNumber(options, "low", defaultLow);
  const high = optionNumber(options, "high", defaultHigh);
  if (low > high) throw new RangeError(`reset options: low (${low}) must not exceed high (${high})`);
  return [low, high];
}

/** A numeric reset option, or its default when absent. */
export function optionNumber(options: Record<string, unknown>, key: string, fallback: number): number {
  if (!(key in options) || options[key] === undefined) return fallback;
  const v = Number(options[key]);
  if (typeof options[key] === "boolean" || options[key] === null || Number.isNaN(v)) {
    throw new TypeError(`reset options: ${key} (${String(options[key])}) could not be converted to a number`);
  }
  return v;
}
