/**
 * LunarLander's moon surface: 11 chunks of smoothed random heights with a flat helipad in the middle,
 * drawn from the environment's numpy-compatible generator exactly as Gymnasium 1.0 does.
 */
import { CHUNKS, H, W } from "./constants.js";

export interface Moon {
  /** x of each chunk boundary (CHUNKS points). */
  chunkX: number[];
  /** Smoothed surface height at each chunk boundary. */
  smoothY: number[];
  helipadX1: number;
  helipadX2: number;
  helipadY: number;
  /** The sky polygons above each surface segment, [[x, y], ...] (Gymnasium's `sky_polys`). */
  skyPolys: Array<Array<[number, number]>>;
}

/** Gymnasium's terrain generation in `LunarLander.reset`: 12 uniform draws in [0, H/2). */
export function generateMoon(uniform: (low: number, high: number) => number): Moon {
  const height: number[] = [];
  for (let i = 0; i < CHUNKS + 1; i++) height.push(uniform(0, H / 2));
  const chunkX: number[] = [];
  for (let i = 0; i < CHUNKS; i++) chunkX.push((W / (CHUNKS - 1)) * i);
  const helipadX1 = chunkX[Math.floor(CHUNKS / 2) - 1]!;
  const helipadX2 = chunkX[Math.floor(CHUNKS / 2) + 1]!;
  const helipadY = H / 4;
  const mid = Math.floor(CHUNKS / 2);
  for (let k = -2; k <= 2; k++) height[mid + k] = helipadY;
  const smoothY: number[] = [];
  for (let i = 0; i < CHUNKS; i++) {
    // Python's height[i - 1] at i = 0 is height[-1], the last of the CHUNKS + 1 values.
    const before = i === 0 ? height[CHUNKS]! : height[i - 1]!;
    smoothY.push(0.33 * (before + height[i]! + height[i + 1]!));
  }
  const skyPolys: Array<Array<[number, number]>> = [];
  for (let i = 0; i < CHUNKS - 1; i++) {
    const p1: [number, number] = [chunkX[i]!, smoothY[i]!];
    const p2: [number, number] = [chunkX[i + 1]!, smoothY[i + 1]!];
    skyPolys.push([p1, p2, [p2[0], H], [p1[0], H]]);
  }
  return { chunkX, smoothY, helipadX1, helipadX2, helipadY, skyPolys };
}
