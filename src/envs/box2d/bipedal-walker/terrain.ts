/**
 * BipedalWalker's terrain and clouds, generated from the environment's numpy-compatible generator with
 * exactly Gymnasium 1.0's sequence of draws and float64 arithmetic, so a seed gives Gymnasium's terrain.
 * Pure data: the environment turns it into Box2D fixtures.
 */
import { SCALE, TERRAIN_GRASS, TERRAIN_HEIGHT, TERRAIN_LENGTH, TERRAIN_STARTPAD, TERRAIN_STEP, VIEWPORT_H } from "./constants.js";

/** The draws terrain generation needs (numpy Generator's scalar calls). */
export interface TerrainRandom {
  uniform(low: number, high: number): number;
  integers(low: number, high: number): number;
  random(): number;
}

export type Point = [number, number];

export interface Terrain {
  /** x of each of the TERRAIN_LENGTH terrain points. */
  x: number[];
  /** Height of each terrain point. */
  y: number[];
  /** Obstacle polygons (hardcore: pit walls, stumps, stairs), in creation order. */
  obstacles: Point[][];
  /** The ground's fill polygons below each terrain edge (Gymnasium's `terrain_poly`). */
  poly: Point[][];
}

export interface Cloud {
  poly: Point[];
  x1: number;
  x2: number;
}

const GRASS = 0;
const STUMP = 1;
const STAIRS = 2;
const PIT = 3;
const STATES = 4; // Gymnasium's _STATES_: the number of states, so integers(1, STATES) picks an obstacle

/** Gymnasium's `_generate_terrain(hardcore)`. */
export function generateTerrain(rng: TerrainRandom, hardcore: boolean): Terrain {
  let state = GRASS;
  let velocity = 0.0;
  let y = TERRAIN_HEIGHT;
  let counter = TERRAIN_STARTPAD;
  let oneshot = false;
  const xs: number[] = [];
  const ys: number[] = [];
  const obstacles: Point[][] = [];
  let stairSteps = 0;
  let stairWidth = 0;
  let stairHeight = 0;
  let originalY = 0;

  for (let i = 0; i < TERRAIN_LENGTH; i++) {
    const x = i * TERRAIN_STEP;
    xs.push(x);
    if (state === GRASS && !oneshot) {
      velocity = 0.8 * velocity + 0.01 * Math.sign(TERRAIN_HEIGHT - y);
      if (i > TERRAIN_STARTPAD) velocity += rng.uniform(-1, 1) / SCALE;
      y += velocity;
    } else if (state === PIT && oneshot) {
      counter = rng.integers(3, 5);
      const poly: Point[] = [
        [x, y],
        [x + TERRAIN_STEP, y],
        [x + TERRAIN_STEP, y - 4 * TERRAIN_STEP],
        [x, y - 4 * TERRAIN_STEP],
      ];
      obstacles.push(poly);
      obstacles.push(poly.map(([px, py]): Point => [px + TERRAIN_STEP * counter, py]));
      counter += 2;
      originalY = y;
    } else if (state === PIT && !oneshot) {
      y = originalY;
      if (counter > 1) y -= 4 * TERRAIN_STEP;
    } else if (state === STUMP && oneshot) {
      counter = rng.integers(1, 3);
      obstacles.push([
        [x, y],
        [x + counter * TERRAIN_STEP, y],
        [x + counter * TERRAIN_STEP, y + counter * TERRAIN_STEP],
        [x, y + counter * TERRAIN_STEP],
      ]);
    } else if (state === STAIRS && oneshot) {
      stairHeight = rng.random() > 0.5 ? 1 : -1;
      stairWidth = rng.integers(4, 5);
      stairSteps = rng.integers(3, 5);
      originalY = y;
      for (let s = 0; s < stairSteps; s++) {
        obstacles.push([
          [x + s * stairWidth * TERRAIN_STEP, y + s * stairHeight * TERRAIN_STEP],
          [x + (1 + s) * stairWidth * TERRAIN_STEP, y + s * stairHeight * TERRAIN_STEP],
          [x + (1 + s) * stairWidth * TERRAIN_STEP, y + (-1 + s * stairHeight) * TERRAIN_STEP],
          [x + s * stairWidth * TERRAIN_STEP, y + (-1 + s * stairHeight) * TERRAIN_STEP],
        ]);
      }
      counter = stairSteps * stairWidth;
    } else if (state === STAIRS && !oneshot) {
      const s = stairSteps * stairWidth - counter - stairHeight;
      const n = s / stairWidth;
      y = originalY + n * stairHeight * TERRAIN_STEP;
    }
    oneshot = false;
    ys.push(y);
    counter -= 1;
    if (counter === 0) {
      counter = rng.integers(TERRAIN_GRASS / 2, TERRAIN_GRASS);
      if (state === GRASS && hardcore) {
        state = rng.integers(1, STATES);
        oneshot = true;
      } else {
        state = GRASS;
        oneshot = true;
      }
    }
  }

  const poly: Point[][] = [];
  for (let i = 0; i < TERRAIN_LENGTH - 1; i++) {
    poly.push([
      [xs[i]!, ys[i]!],
      [xs[i + 1]!, ys[i + 1]!],
      [xs[i + 1]!, 0],
      [xs[i]!, 0],
    ]);
  }
  return { x: xs, y: ys, obstacles, poly };
}

/** Gymnasium's `_generate_clouds()` (decoration only, but it consumes draws before the hull's push). */
export function generateClouds(rng: TerrainRandom): Cloud[] {
  const clouds: Cloud[] = [];
  for (let i = 0; i < Math.floor(TERRAIN_LENGTH / 20); i++) {
    const x = rng.uniform(0, TERRAIN_LENGTH) * TERRAIN_STEP;
    const y = ((VIEWPORT_H / SCALE) * 3) / 4;
    const poly: Point[] = [];
    for (let a = 0; a < 5; a++) {
      const px = x + 15 * TERRAIN_STEP * Math.sin((3.14 * 2 * a) / 5) + rng.uniform(0, 5 * TERRAIN_STEP);
      const py = y + 5 * TERRAIN_STEP * Math.cos((3.14 * 2 * a) / 5) + rng.uniform(0, 5 * TERRAIN_STEP);
      poly.push([px, py]);
    }
    clouds.push({ poly, x1: Math.min(...poly.map((p) => p[0])), x2: Math.max(...poly.map((p) => p[0])) });
  }
  return clouds;
}
