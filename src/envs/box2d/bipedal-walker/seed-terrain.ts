/**
 * The "seed-curriculum" course: the procedurally generated terrain of the reward-design seed repository
 * (abhaydwived/LLM-Guided-Reinforcement-Learning-for-BipedalWalker-v3, v2), rebuilt here from its
 * description and settings, not from its code. The course is a row of 15 m chunks, each of one kind:
 *
 *   flat    constant height
 *   uneven  three superposed sinusoids (frequency 0.1-0.5 /m, amplitude 0.2-0.5 x the height variation)
 *   slope   a straight incline or decline of up to 12 degrees
 *   stairs  1.2 m treads with risers of 0.4 m, all up or all down within a chunk
 *
 * A difficulty in [0, 1] unlocks the kinds (below 0.3 flat only; from 0.3 uneven; from 0.55 slopes; from
 * 0.75 stairs: the repository's curriculum) and scales every height (its rule: amplitude, slope angle and
 * riser height are multiplied by the difficulty). Chunks cycle through the unlocked kinds in that order
 * (the repository's "cycle sequentially" setting), so a walker meets every kind on one course.
 *
 * Where this differs from the repository, on purpose: the draws come from the environment's seeded
 * generator (a reset seed gives the same course), an uneven chunk starts at the height the previous one
 * ended (the original's first point jumps by the sinusoids' value at the chunk start), and the course is
 * built whole at reset up to past the finish line (the original adds chunks ahead of the walker and drops
 * those behind it; the walker sees the same ground either way).
 */
import type { Point, Terrain, TerrainRandom } from "./terrain.js";
import { FINISH_X, LIDAR_RANGE, TERRAIN_HEIGHT } from "./constants.js";

export const SEED_TERRAIN_KINDS = ["flat", "uneven", "slope", "stairs"] as const;
export type SeedTerrainKind = (typeof SEED_TERRAIN_KINDS)[number];

/** The repository's settings (config.py and env/terrain_generator.py of its v2). */
export const SEED_TERRAIN = {
  chunkLength: 15,
  pointSpacing: 0.5,
  maxHeightVariation: 0.35,
  slopeDegrees: 12,
  stepHeight: 0.4,
  stepWidth: 1.2,
  /** Its edge fixtures' friction (Gymnasium's course uses 2.5). */
  friction: 0.8,
  /** Difficulty at which each kind is unlocked. */
  unlock: { flat: 0, uneven: 0.3, slope: 0.55, stairs: 0.75 } as Record<SeedTerrainKind, number>,
} as const;

export interface SeedTerrain extends Terrain {
  /** The kind and x range of each chunk, in order. */
  chunks: { kind: SeedTerrainKind; x0: number; x1: number }[];
}

/** The kinds a difficulty unlocks, in the order chunks cycle through them. */
export function seedTerrainKinds(difficulty: number): SeedTerrainKind[] {
  return SEED_TERRAIN_KINDS.filter((k) => difficulty >= SEED_TERRAIN.unlock[k]);
}

/** The course for one episode: chunks from x = 0 until past the finish line and the lidar's reach. */
export function generateSeedTerrain(rng: TerrainRandom, difficulty: number): SeedTerrain {
  if (!(difficulty >= 0 && difficulty <= 1)) throw new RangeError(`BipedalWalker: terrainDifficulty must be in [0, 1], got ${difficulty}`);
  const kinds = seedTerrainKinds(difficulty);
  const s = SEED_TERRAIN;
  const n = Math.round(s.chunkLength / s.pointSpacing);
  const pts: Point[] = [[0, TERRAIN_HEIGHT]];
  const chunks: SeedTerrain["chunks"] = [];
  const end = FINISH_X + 2 * LIDAR_RANGE;
  for (let c = 0; pts[pts.length - 1]![0] < end; c++) {
    const kind = kinds[c % kinds.length]!;
    const [x0, y0] = pts[pts.length - 1]!;
    if (kind === "flat" || kind === "uneven" || kind === "slope") {
      let f: (dx: number) => number = () => 0;
      if (kind === "uneven") {
        const amp = s.maxHeightVariation * difficulty;
        const waves = [0, 1, 2].map(() => ({ freq: rng.uniform(0.1, 0.5), phase: rng.uniform(0, 2 * Math.PI), a: rng.uniform(0.2, 0.5) * amp }));
        const wave = (dx: number) => waves.reduce((sum, w) => sum + w.a * Math.sin(2 * Math.PI * w.freq * dx + w.phase), 0);
        f = (dx) => wave(dx) - wave(0);
      } else if (kind === "slope") {
        const slope = Math.tan((rng.uniform(-s.slopeDegrees, s.slopeDegrees) * difficulty * Math.PI) / 180);
        f = (dx) => slope * dx;
      }
      for (let i = 1; i <= n; i++) {
        const dx = (i * s.chunkLength) / n;
        pts.push([x0 + dx, y0 + f(dx)]);
      }
    } else {
      const rise = (rng.random() < 0.5 ? -1 : 1) * s.stepHeight * difficulty;
      let x = x0, y = y0;
      while (x < x0 + s.chunkLength - 1e-9) {
        x += s.stepWidth;
        pts.push([x, y]);
        y += rise;
        pts.push([x, y]);
      }
    }
    chunks.push({ kind, x0, x1: pts[pts.length - 1]![0] });
  }
  const xs = pts.map((p) => p[0]);
  const ys = pts.map((p) => p[1]);
  const bottom = Math.min(0, ...ys) - 1;
  const poly: Point[][] = [];
  for (let i = 0; i < pts.length - 1; i++) {
    poly.push([pts[i]!, pts[i + 1]!, [xs[i + 1]!, bottom], [xs[i]!, bottom]]);
  }
  return { x: xs, y: ys, obstacles: [], poly, chunks };
}
