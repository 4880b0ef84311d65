/**
 * Drawing a MuJoCo model's geoms as a Scene (the package's SVG drawing data, shared with Box2D): a side view
 * (x to the right, z up, as Gymnasium's tracking camera looks at the planar robots), a top view (x, y) for
 * Reacher, or an oblique view for Ant and Humanoid. Capsules become stadiums, spheres circles, boxes the hull of
 * their projected corners; the floor is a strip with a tick every metre so that motion shows when the camera
 * follows the robot.
 */
import type { MjData, MjModel } from "@mujoco/mujoco";
import type { Scene, Shape } from "../box2d/render/scene.js";
import { rgb } from "../box2d/render/scene.js";
import type { MujocoModule } from "./loader.js";

export type Projection = "side" | "top" | "oblique";

export interface ViewOptions {
  /** Which plane to look at (default "side"). */
  projection?: Projection;
  /** The body the camera keeps in the middle horizontally (default: body 1, the robot's root). */
  trackBody?: string;
  /** Keep the camera still at this horizontal centre instead of following a body. */
  fixedCenter?: number;
  /** Pixels per metre (default 120). */
  scale?: number;
  /** Picture size in pixels (default 500 x 300). */
  width?: number;
  height?: number;
  /** Metres of ground shown below z = 0 (default 0.25; the picture's bottom edge is at -groundDepth). */
  groundDepth?: number;
  /** Vertical centre in metres for the top view (default 0: the picture is centred on the origin). */
  verticalCenter?: number;
}

const GEOM_PLANE = 0, GEOM_SPHERE = 2, GEOM_CAPSULE = 3, GEOM_ELLIPSOID = 4, GEOM_CYLINDER = 5, GEOM_BOX = 6;
const ARC_SEGMENTS = 8;
const SKY = "rgb(222,230,238)";
const GROUND = "rgb(150,160,140)";
const TICK = "rgb(90,100,85)";
// Oblique: x to the right, y recedes up-right (cabinet projection at 30 degrees, depth halved), z up.
const OBLIQUE_DX = 0.5 * Math.cos(Math.PI / 6), OBLIQUE_DY = 0.5 * Math.sin(Math.PI / 6);

/** Where a world point lands in the picture plane (metres). */
function project(p: Projection, x: number, y: number, z: number): [number, number] {
  if (p === "side") return [x, z];
  if (p === "top") return [x, y];
  return [x + OBLIQUE_DX * y, z + OBLIQUE_DY * y];
}

/** Depth away from the viewer (drawn far to near). */
function depth(p: Projection, x: number, y: number, z: number): number {
  if (p === "side") return y;
  if (p === "top") return -z;
  return y - 0.3 * x;
}

export function sceneOfModel(mj: MujocoModule, model: MjModel, data: MjData, opts: ViewOptions = {}): Scene {
  const proj = opts.projection ?? "side";
  const width = opts.width ?? 500;
  const height = opts.height ?? 300;
  const scale = opts.scale ?? 120;
  const groundDepth = opts.groundDepth ?? 0.25;
  const xpos = data.xpos as Float64Array;
  const trackId = opts.trackBody !== undefined ? mj.mj_name2id(model, mj.mjtObj.mjOBJ_BODY.value, opts.trackBody) : Math.min(1, model.nbody - 1);
  if (trackId < 0) throw new Error(`render: no body named ${JSON.stringify(opts.trackBody)} in the model`);
  const [cx] = project(proj, xpos[3 * trackId]!, xpos[3 * trackId + 1]!, xpos[3 * trackId + 2]!);
  const centerX = opts.fixedCenter ?? cx;
  const viewX = centerX - width / (2 * scale);
  // The picture's bottom edge sits at v = -groundDepth (side/oblique) or centres the top view; shift v so it is 0.
  const vShift = proj === "top" ? height / (2 * scale) - (opts.verticalCenter ?? 0) : groundDepth;

  const geomType = model.geom_type as Int32Array;
  const size = model.geom_size as Float64Array;
  const colour = model.geom_rgba as Float32Array;
  const gpos = data.geom_xpos as Float64Array;
  const gmat = data.geom_xmat as Float64Array;

  const staticShapes: Shape[] = [];
  const dynamicShapes: Shape[] = [];
  let planeTop: number | undefined; // where the floor's surface lands in the picture (v, metres)
  const parts: Array<{ depth: number; shape: Shape }> = [];
  for (let g = 0; g < model.ngeom; g++) {
    const type = geomType[g]!;
    if (type === GEOM_PLANE) {
      planeTop = Math.max(planeTop ?? -Infinity, (gpos[3 * g + 2] as number) + vShift);
      continue;
    }
    const alpha = colour[4 * g + 3]!;
    if (alpha === 0) continue;
    const fill = rgb(255 * colour[4 * g]!, 255 * colour[4 * g + 1]!, 255 * colour[4 * g + 2]!);
    const px = gpos[3 * g]!, py = gpos[3 * g + 1]!, pz = gpos[3 * g + 2]!;
    const m = gmat.subarray(9 * g, 9 * g + 9);
    const s0 = size[3 * g]!, s1 = size[3 * g + 1]!, s2 = size[3 * g + 2]!;
    const at = (lx: number, ly: number, lz: number): [number, number] => {
      const [u, v] = project(proj, px + m[0]! * lx + m[1]! * ly + m[2]! * lz, py + m[3]! * lx + m[4]! * ly + m[5]! * lz, pz + m[6]! * lx + m[7]! * ly + m[8]! * lz);
      return [u, v + vShift];
    };
    let shape: Shape;
    if (type === GEOM_CAPSULE || type === GEOM_CYLINDER) {
      const [ax, ay] = at(0, 0, -s1);
      const [bx, by] = at(0, 0, s1);
      shape = { kind: "polygon", points: type === GEOM_CAPSULE ? stadium(ax, ay, bx, by, s0) : band(ax, ay, bx, by, s0), fill, stroke: "rgb(60,60,60)" };
    } else if (type === GEOM_BOX) {
      const corners: number[] = [];
      for (const sx of [-1, 1]) for (const sy of [-1, 1]) for (const sz of [-1, 1]) corners.push(...at(sx * s0, sy * s1, sz * s2));
      shape = { kind: "polygon", points: convexHull(corners), fill, stroke: "rgb(60,60,60)" };
    } else if (type === GEOM_SPHERE || type === GEOM_ELLIPSOID) {
      const [u, v] = at(0, 0, 0);
      shape = { kind: "circle", x: u, y: v, r: type === GEOM_SPHERE ? s0 : Math.max(s0, s2), fill, stroke: "rgb(60,60,60)" };
    } else {
      continue; // meshes and height fields: not used by these models
    }
    parts.push({ depth: depth(proj, px, py, pz), shape });
  }
  parts.sort((a, b) => b.depth - a.depth);

  if (planeTop !== undefined && planeTop > 0 && proj !== "top") {
    const top = planeTop;
    staticShapes.push({ kind: "polygon", points: [-1e4, 0, 1e4, 0, 1e4, top, -1e4, top], fill: GROUND });
    // Ticks every metre in view (part of each frame: the camera moves).
    const first = Math.ceil(viewX - 1), last = Math.floor(viewX + width / scale + 1);
    for (let t = first; t <= last; t++) dynamicShapes.push({ kind: "line", points: [t, top * 0.4, t, top], stroke: TICK, width: 1 });
  } else if (planeTop !== undefined && proj === "top") {
    // Top view: a grid line every metre.
    const x0 = Math.ceil(viewX - 1), x1 = Math.floor(viewX + width / scale + 1);
    for (let t = x0; t <= x1; t++) staticShapes.push({ kind: "line", points: [t, 0, t, height / scale], stroke: "rgb(200,205,210)", width: 1 });
  }
  for (const p of parts) dynamicShapes.push(p.shape);
  return { width, height, scale, viewX, background: SKY, staticShapes, dynamicShapes };
}

/** A capsule's outline: two half circles of radius r around a and b, joined. */
function stadium(ax: number, ay: number, bx: number, by: number, r: number): number[] {
  const theta = Math.atan2(by - ay, bx - ax);
  const out: number[] = [];
  for (let i = 0; i <= ARC_SEGMENTS; i++) {
    const t = theta - Math.PI / 2 + (Math.PI * i) / ARC_SEGMENTS;
    out.push(bx + r * Math.cos(t), by + r * Math.sin(t));
  }
  for (let i = 0; i <= ARC_SEGMENTS; i++) {
    const t = theta + Math.PI / 2 + (Math.PI * i) / ARC_SEGMENTS;
    out.push(ax + r * Math.cos(t), ay + r * Math.sin(t));
  }
  return out;
}

/** A cylinder's outline: the rectangle of half-width r around segment a-b. */
function band(ax: number, ay: number, bx: number, by: number, r: number): number[] {
  const len = Math.hypot(bx - ax, by - ay) || 1;
  const nx = (-(by - ay) / len) * r, ny = ((bx - ax) / len) * r;
  return [ax + nx, ay + ny, bx + nx, by + ny, bx - nx, by - ny, ax - nx, ay - ny];
}

/** The convex hull of flat [x0, y0, x1, y1, ...] points (monotone chain), as a flat list. */
function convexHull(flat: number[]): number[] {
  const pts: Array<[number, number]> = [];
  for (let i = 0; i + 1 < flat.length; i += 2) pts.push([flat[i]!, flat[i + 1]!]);
  pts.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const cross = (o: [number, number], a: [number, number], b: [number, number]) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const lower: Array<[number, number]> = [];
  for (const p of pts) {
    while (lower.length >= 2 && cross(lower[lower.length - 2]!, lower[lower.length - 1]!, p) <= 0) lower.pop();
    lower.push(p);
  }
  const upper: Array<[number, number]> = [];
  for (let i = pts.length - 1; i >= 0; i--) {
    const p = pts[i]!;
    while (upper.length >= 2 && cross(upper[upper.length - 2]!, upper[upper.length - 1]!, p) <= 0) upper.pop();
    upper.push(p);
  }
  return [...lower.slice(0, -1), ...upper.slice(0, -1)].flat();
}
