/**
 * Ray casts against the static ground geometry, in JavaScript.
 *
 * BipedalWalker's lidar only reports fixtures with category bit 1, and every such fixture is static
 * (terrain edges, and the stump/stair/pit polygons of the hardcore version). So the closest hit can be
 * computed here from the geometry the environment built, without ten wasm ray casts and their JS
 * callbacks per step. The arithmetic repeats Box2D 2.4.1's `b2EdgeShape::RayCast` and
 * `b2PolygonShape::RayCast` in float32 (`Math.fround` after every operation, as the wasm build computes),
 * so fractions equal box2d-wasm's `b2World::RayCast` (the tests compare both).
 */

const fr = Math.fround;

/** Static segments and convex polygons, indexed by x for ray casts that span a few metres. */
export class StaticGeometry {
  // Edges: float32 endpoints, sorted by min x.
  private ex1: Float64Array = new Float64Array(0);
  private ey1: Float64Array = new Float64Array(0);
  private ex2: Float64Array = new Float64Array(0);
  private ey2: Float64Array = new Float64Array(0);
  private eMinX: Float64Array = new Float64Array(0);
  // Per edge, as b2EdgeShape::RayCast derives them: e = v2 - v1, its unit normal, and dot(e, e).
  private eex: Float64Array = new Float64Array(0);
  private eey: Float64Array = new Float64Array(0);
  private enx: Float64Array = new Float64Array(0);
  private eny: Float64Array = new Float64Array(0);
  private err: Float64Array = new Float64Array(0);
  private eMaxWidth = 0;
  private polys: Array<{ minX: number; maxX: number; vx: number[]; vy: number[]; nx: number[]; ny: number[] }> = [];
  private pendingEdges: number[][] = [];

  /** Adds an edge (two-sided) from (x1, y1) to (x2, y2); coordinates are stored as Box2D does, in float32. */
  addEdge(x1: number, y1: number, x2: number, y2: number): void {
    this.pendingEdges.push([fr(x1), fr(y1), fr(x2), fr(y2)]);
  }

  /** Adds a convex polygon given in any winding, as Box2D's b2PolygonShape::Set stores it (counter-clockwise). */
  addPolygon(points: ReadonlyArray<readonly [number, number]>): void {
    let vx = points.map((p) => fr(p[0]));
    let vy = points.map((p) => fr(p[1]));
    let area2 = 0;
    for (let i = 0; i < vx.length; i++) {
      const j = (i + 1) % vx.length;
      area2 += vx[i]! * vy[j]! - vx[j]! * vy[i]!;
    }
    if (area2 < 0) {
      vx = vx.reverse();
      vy = vy.reverse();
    }
    const nx: number[] = [];
    const ny: number[] = [];
    for (let i = 0; i < vx.length; i++) {
      const j = (i + 1) % vx.length;
      const ex = fr(vx[j]! - vx[i]!);
      const ey = fr(vy[j]! - vy[i]!);
      const [ux, uy] = normalize(ey, -ex);
      nx.push(ux);
      ny.push(uy);
    }
    this.polys.push({ minX: Math.min(...vx), maxX: Math.max(...vx), vx, vy, nx, ny });
  }

  /** Call after the last `addEdge`/`addPolygon`. */
  finish(): void {
    const edges = this.pendingEdges.sort((a, b) => Math.min(a[0]!, a[2]!) - Math.min(b[0]!, b[2]!));
    const n = edges.length;
    this.ex1 = new Float64Array(n);
    this.ey1 = new Float64Array(n);
    this.ex2 = new Float64Array(n);
    this.ey2 = new Float64Array(n);
    this.eMinX = new Float64Array(n);
    this.eex = new Float64Array(n);
    this.eey = new Float64Array(n);
    this.enx = new Float64Array(n);
    this.eny = new Float64Array(n);
    this.err = new Float64Array(n);
    this.eMaxWidth = 0;
    for (let i = 0; i < n; i++) {
      const [x1, y1, x2, y2] = edges[i]!;
      this.ex1[i] = x1!;
      this.ey1[i] = y1!;
      this.ex2[i] = x2!;
      this.ey2[i] = y2!;
      this.eMinX[i] = Math.min(x1!, x2!);
      const ex = fr(x2! - x1!);
      const ey = fr(y2! - y1!);
      const [nx, ny] = normalize(ey, -ex);
      this.eex[i] = ex;
      this.eey[i] = ey;
      this.enx[i] = nx;
      this.eny[i] = ny;
      this.err[i] = fr(fr(ex * ex) + fr(ey * ey));
      this.eMaxWidth = Math.max(this.eMaxWidth, Math.abs(x2! - x1!));
    }
    this.polys.sort((a, b) => a.minX - b.minX);
    this.pendingEdges = [];
  }

  /**
   * The fraction along p1 -> p2 of the closest hit, or 1 when nothing is hit (Gymnasium's lidar value).
   * Inputs are rounded to float32 as Box2D receives them.
   */
  rayCast(p1x: number, p1y: number, p2x: number, p2y: number): number {
    p1x = fr(p1x);
    p1y = fr(p1y);
    p2x = fr(p2x);
    p2y = fr(p2y);
    const dx = fr(p2x - p1x);
    const dy = fr(p2y - p1y);
    const lo = Math.min(p1x, p2x);
    const hi = Math.max(p1x, p2x);
    let best = 1;
    // Edges whose min x lies in [lo - maxWidth, hi] can overlap the ray's x span.
    const minX = this.eMinX;
    let i = upperBound(minX, hi) - 1;
    const stop = lo - this.eMaxWidth - 1e-6;
    for (; i >= 0 && minX[i]! >= stop; i--) {
      const t = this.edgeRayCast(i, p1x, p1y, dx, dy, best);
      if (t < best) best = t;
    }
    for (const poly of this.polys) {
      if (poly.minX > hi) break;
      if (poly.maxX < lo) continue;
      const t = polygonRayCast(poly.vx, poly.vy, poly.nx, poly.ny, p1x, p1y, dx, dy);
      if (t < best) best = t;
    }
    return best;
  }

  /** b2EdgeShape::RayCast (two-sided) against edge i; returns the hit fraction or Infinity. */
  private edgeRayCast(i: number, p1x: number, p1y: number, dx: number, dy: number, maxFraction: number): number {
    const v1x = this.ex1[i]!;
    const v1y = this.ey1[i]!;
    const nx = this.enx[i]!;
    const ny = this.eny[i]!;
    const numerator = fr(fr(nx * fr(v1x - p1x)) + fr(ny * fr(v1y - p1y)));
    const denominator = fr(fr(nx * dx) + fr(ny * dy));
    if (denominator === 0) return Infinity;
    const t = fr(numerator / denominator);
    if (t < 0 || maxFraction < t) return Infinity;
    const qx = fr(p1x + fr(t * dx));
    const qy = fr(p1y + fr(t * dy));
    const rr = this.err[i]!;
    if (rr === 0) return Infinity;
    const s = fr(fr(fr(fr(qx - v1x) * this.eex[i]!) + fr(fr(qy - v1y) * this.eey[i]!)) / rr);
    if (s < 0 || 1 < s) return Infinity;
    return t;
  }
}


/** Index of the first element > value in a sorted array. */
function upperBound(a: Float64Array, value: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function normalize(x: number, y: number): [number, number] {
  const length = fr(Math.sqrt(fr(fr(x * x) + fr(y * y))));
  if (length < 1.1920928955078125e-7) return [x, y];
  const inv = fr(1 / length);
  return [fr(x * inv), fr(y * inv)];
}

/** b2PolygonShape::RayCast on a static polygon (identity transform); returns the hit fraction or Infinity. */
function polygonRayCast(
  vx: number[],
  vy: number[],
  nx: number[],
  ny: number[],
  p1x: number,
  p1y: number,
  dx: number,
  dy: number,
): number {
  let lower = 0;
  let upper = 1;
  let index = -1;
  for (let i = 0; i < vx.length; i++) {
    const numerator = fr(fr(nx[i]! * fr(vx[i]! - p1x)) + fr(ny[i]! * fr(vy[i]! - p1y)));
    const denominator = fr(fr(nx[i]! * dx) + fr(ny[i]! * dy));
    if (denominator === 0) {
      if (numerator < 0) return Infinity;
    } else if (denominator < 0 && numerator < fr(lower * denominator)) {
      lower = fr(numerator / denominator);
      index = i;
    } else if (denominator > 0 && numerator < fr(upper * denominator)) {
      upper = fr(numerator / denominator);
    }
    if (upper < lower) return Infinity;
  }
  return index >= 0 ? lower : Infinity;
}
