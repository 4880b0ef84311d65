/** The lazily seeded generator every space owns (Gymnasium's `Space.np_random`). */
import { Generator, npRandom } from "./rng.js";

export class SeededRandom {
  private generator: Generator | undefined;

  /** The space's generator, seeded from fresh entropy on first use when never seeded. */
  get rng(): Generator {
    if (this.generator === undefined) this.seed();
    return this.generator!;
  }

  /** Reseeds as `np_random(seed)`; returns the seed used. */
  seed(seed?: number): number {
    const [generator, used] = npRandom(seed);
    this.generator = generator;
    return used;
  }
}
