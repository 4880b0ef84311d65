/**
 * A drawing of a Box2D environment as plain data: shapes in world metres (y up), split into a static
 * background (terrain, sky, flags: the same for a whole episode) and the moving parts of one step.
 * `sceneToSvg` draws one scene; `episodeAnimation` draws many steps as one animated SVG.
 */

/** A filled polygon (flat [x0, y0, x1, y1, ...] in metres), a polyline, or a circle. */
export type Shape =
  | { kind: "polygon"; points: number[]; fill: string; stroke?: string }
  | { kind: "line"; points: number[]; stroke: string; width?: number }
  | { kind: "circle"; x: number; y: number; r: number; fill: string; stroke?: string };

export interface Scene {
  /** Viewport size in pixels (Gymnasium's VIEWPORT_W x VIEWPORT_H). */
  width: number;
  height: number;
  /** Pixels per metre. */
  scale: number;
  /** Left edge of the view in metres (BipedalWalker's camera follows the hull). */
  viewX: number;
  /** Sky colour behind everything. */
  background: string;
  /** Shapes that stay put during an episode (terrain, clouds, flags). */
  staticShapes: Shape[];
  /** Shapes of this step (bodies, lidar, particles). */
  dynamicShapes: Shape[];
}

/** An `rgb(r, g, b)` colour from 0..255 components. */
export function rgb(r: number, g: number, b: number): string {
  return `rgb(${Math.round(r)},${Math.round(g)},${Math.round(b)})`;
}

/** A body's local vertices placed at its pose (position and angle), as a flat [x0, y0, x1, y1, ...] list in world metres. */
export function worldPoints(local: ReadonlyArray<readonly [number, number]>, pose: { readonly x: number; readonly y: number; readonly angle: number }): number[] {
  const c = Math.cos(pose.angle);
  const sn = Math.sin(pose.angle);
  const out: number[] = [];
  for (const [x, y] of local) out.push(pose.x + c * x - sn * y, pose.y + sn * x + c * y);
  return out;
}
