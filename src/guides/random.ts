/**
 * Where a guide's random numbers come from: this module is the one place guides import a generator from.
 * Three kinds of draws, each with one generator:
 *
 * - The guide's own decisions (LMGT: which transitions to ask about; ULTRA: whether to override at a state,
 *   the random-critical-states baseline): `guideRandom(seed)`, numpy's Generator over PCG64 from core/ (the
 *   environments' generator, as Gymnasium's `np_random`), one stream per guide from its `seed` option.
 * - What the offline surrogate answers in an LLM's place: the `SurrogateRng` the LLM layer hands every
 *   surrogate handler (llm/surrogate-rng.ts), keyed by the quality seed, the prompt's hash and how often that
 *   prompt was asked, so an answer depends on its prompt alone and not on the order of calls. A handler never
 *   makes a generator of its own. (Why it is sfc32 and not PCG64: see surrogate-rng.ts.)
 * - The networks a guide trains (LMGT's distilled scorer): nn's `Random` (xoshiro128**), as every network
 *   initialisation and minibatch order in the package (the pinned seeded-behaviour test fixes its stream).
 *
 * No Math.random: test/guides/random.test.ts checks src/guides and src/experiments.
 */
import { npRandom, type Generator } from "../core/rng.js";

export type { Generator } from "../core/rng.js";
export type { SurrogateRng } from "../llm/surrogate-rng.js";
export { Random } from "../nn/random.js";

/** A guide's own random stream: numpy's `default_rng(seed)` (SeedSequence + PCG64). */
export function guideRandom(seed: number): Generator {
  return npRandom(seed)[0];
}
