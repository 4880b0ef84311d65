/**
 * Thin helpers over box2d-wasm shared by the Box2D environments: building worlds, bodies, fixtures and
 * revolute joints with pybox2d's defaults, reading body state straight from the wasm heap, and freeing
 * everything again.
 *
 * Memory discipline: everything made with `new` lives on the wasm heap until destroyed. Definitions and
 * shapes are destroyed as soon as Box2D has copied them; a world is destroyed as a whole (which frees
 * its bodies, fixtures and joints) and the JS wrappers cached for them are dropped as well.
 */
import { box2d, type Box2DModule } from "./loader.js";

/** pybox2d's fixture defaults (b2FixtureDef): friction 0.2, restitution 0, density 0, category 1, mask 0xFFFF. */
export interface FixtureOptions {
  density?: number;
  friction?: number;
  restitution?: number;
  categoryBits?: number;
  maskBits?: number;
}

/** A point list, [x0, y0, x1, y1, ...] or [[x, y], ...]. */
export type Points = ReadonlyArray<readonly [number, number]>;

/**
 * Where b2Body keeps its state in Box2D 2.4.1 (wasm32): m_xf.p at 12, m_sweep.a at 56,
 * m_linearVelocity at 64, m_angularVelocity at 72 (bytes). Checked against the API once per module by
 * `heapLayoutVerified()`; if the check fails the API getters are used instead.
 */
const BODY_POS_X = 12 >> 2;
const BODY_POS_Y = 16 >> 2;
const BODY_ANGLE = 56 >> 2;
const BODY_VEL_X = 64 >> 2;
const BODY_VEL_Y = 68 >> 2;
const BODY_ANG_VEL = 72 >> 2;
/** b2Body::m_flags (uint16 at byte 4) and its e_awakeFlag bit. */
const BODY_FLAGS_U16 = 4 >> 1;
const AWAKE_FLAG = 0x0002;

let layoutChecked: Box2DModule | undefined;
let layoutOk = false;

/**
 * box2d-wasm's Float32 and Uint16 views of the wasm heap, kept here rather than looked up on the module
 * object (a large dictionary) at every read. When wasm memory grows, emscripten makes new views and the old
 * buffer is detached (its views then have length 0): that is when they are fetched again.
 */
let f32View = new Float32Array(0);
let u16View = new Uint16Array(0);

function heapF32(): Float32Array {
  if (f32View.length === 0) f32View = box2d().HEAPF32;
  return f32View;
}

function heapU16(): Uint16Array {
  if (u16View.length === 0) u16View = box2d().HEAPU16;
  return u16View;
}

/** A body's kinematic state as Box2D stores it (float32 values widened to float64). */
export interface BodyState {
  x: number;
  y: number;
  angle: number;
  vx: number;
  vy: number;
  omega: number;
}

/**
 * Fast read access to a body: plain heap loads instead of four wasm calls and wrapper lookups.
 * Valid until the body's world is destroyed.
 */
export class BodyHandle {
  readonly ptr: number;
  private readonly words: number;
  private readonly direct: boolean;

  constructor(readonly body: Box2D.b2Body) {
    const B = box2d();
    this.ptr = B.getPointer(body);
    this.words = this.ptr >> 2;
    this.direct = heapLayoutVerified();
  }

  get x(): number {
    return this.direct ? heapF32()[this.words + BODY_POS_X]! : this.body.GetPosition().get_x();
  }
  get y(): number {
    return this.direct ? heapF32()[this.words + BODY_POS_Y]! : this.body.GetPosition().get_y();
  }
  get angle(): number {
    return this.direct ? heapF32()[this.words + BODY_ANGLE]! : this.body.GetAngle();
  }
  get vx(): number {
    return this.direct ? heapF32()[this.words + BODY_VEL_X]! : this.body.GetLinearVelocity().get_x();
  }
  get vy(): number {
    return this.direct ? heapF32()[this.words + BODY_VEL_Y]! : this.body.GetLinearVelocity().get_y();
  }
  get omega(): number {
    return this.direct ? heapF32()[this.words + BODY_ANG_VEL]! : this.body.GetAngularVelocity();
  }

  /** Whether Box2D considers the body awake (b2Body::IsAwake). */
  get awake(): boolean {
    return this.direct ? (heapU16()[(this.ptr >> 1) + BODY_FLAGS_U16]! & AWAKE_FLAG) !== 0 : this.body.IsAwake();
  }

  /** All six values at once. */
  read(out: BodyState): BodyState {
    if (this.direct) {
      const f = heapF32();
      const w = this.words;
      out.x = f[w + BODY_POS_X]!;
      out.y = f[w + BODY_POS_Y]!;
      out.angle = f[w + BODY_ANGLE]!;
      out.vx = f[w + BODY_VEL_X]!;
      out.vy = f[w + BODY_VEL_Y]!;
      out.omega = f[w + BODY_ANG_VEL]!;
    } else {
      const p = this.body.GetPosition();
      const v = this.body.GetLinearVelocity();
      out.x = p.get_x();
      out.y = p.get_y();
      out.angle = this.body.GetAngle();
      out.vx = v.get_x();
      out.vy = v.get_y();
      out.omega = this.body.GetAngularVelocity();
    }
    return out;
  }
}

/** A fresh, zeroed BodyState. */
export function bodyState(): BodyState {
  return { x: 0, y: 0, angle: 0, vx: 0, vy: 0, omega: 0 };
}

/**
 * Checks once per loaded module that the heap offsets above match what the API returns for a moving
 * body, so a different box2d-wasm build degrades to the (slower) API instead of reading garbage.
 */
export function heapLayoutVerified(): boolean {
  const B = box2d();
  if (layoutChecked === B) return layoutOk;
  const world = newWorld(0, -10);
  try {
    const body = createBody(world, { type: "dynamic", x: 1.25, y: 2.5, angle: 0.375 });
    addBox(body, 0.5, 0.25, { density: 1 });
    const v = new B.b2Vec2(3.5, -4.25);
    body.SetLinearVelocity(v);
    B.destroy(v);
    body.SetAngularVelocity(0.625);
    world.Step(1 / 50, 6, 2);
    const f = B.HEAPF32;
    const w = B.getPointer(body) >> 2;
    const p = body.GetPosition();
    const lv = body.GetLinearVelocity();
    layoutOk =
      f[w + BODY_POS_X] === p.get_x() &&
      f[w + BODY_POS_Y] === p.get_y() &&
      f[w + BODY_ANGLE] === body.GetAngle() &&
      f[w + BODY_VEL_X] === lv.get_x() &&
      f[w + BODY_VEL_Y] === lv.get_y() &&
      f[w + BODY_ANG_VEL] === body.GetAngularVelocity() &&
      body.GetAngle() !== 0.375 && // the step moved it, so a0 (previous angle) and a are told apart
      (B.HEAPU16[(B.getPointer(body) >> 1) + BODY_FLAGS_U16]! & AWAKE_FLAG) !== 0 &&
      body.IsAwake();
    if (layoutOk) {
      body.SetAwake(false);
      layoutOk = (B.HEAPU16[(B.getPointer(body) >> 1) + BODY_FLAGS_U16]! & AWAKE_FLAG) === 0 && !body.IsAwake();
    }
  } finally {
    destroyWorld(world);
  }
  layoutChecked = B;
  return layoutOk;
}

/** A new b2World with the given gravity (pybox2d's default is (0, -10)). Destroy with `destroyWorld`. */
export function newWorld(gx: number, gy: number): Box2D.b2World {
  const B = box2d();
  const g = new B.b2Vec2(gx, gy);
  const world = new B.b2World(g);
  B.destroy(g);
  return world;
}

const trackedWrappers = new WeakMap<Box2D.b2World, Array<[unknown, number]>>();

/** Remembers a wrapper made for an object of `world`, so `destroyWorld` can drop it from box2d-wasm's cache. */
function track(world: Box2D.b2World, cls: unknown, obj: Box2D.WrapperObject): void {
  let list = trackedWrappers.get(world);
  if (!list) trackedWrappers.set(world, (list = []));
  list.push([cls, box2d().getPointer(obj)]);
}

/**
 * Destroys a world and everything in it, and forgets the JS wrappers box2d-wasm cached for its bodies,
 * fixtures and joints (their addresses will be reused by the next world).
 */
export function destroyWorld(world: Box2D.b2World): void {
  const B = box2d();
  const list = trackedWrappers.get(world);
  B.destroy(world);
  if (list) {
    for (const [cls, ptr] of list) {
      const cache = B.getCache(cls as typeof B.WrapperObject) as Record<number, unknown>;
      delete cache[ptr];
    }
    trackedWrappers.delete(world);
  }
  const worldCache = B.getCache(B.b2World) as Record<number, unknown>;
  delete worldCache[B.getPointer(world)];
}

/**
 * The JS wrapper of an object made through box2d-wasm's raw bindings (which return bare pointers), of class
 * `cls`, remembered so that `destroyWorld(world)` drops it from box2d-wasm's wrapper cache.
 */
export function wrapCreated<T extends Box2D.WrapperObject>(world: Box2D.b2World, cls: { new (...args: never[]): T }, ptr: number): T {
  const B = box2d();
  const obj = B.wrapPointer(ptr, cls as unknown as typeof B.WrapperObject) as unknown as T;
  track(world, cls, obj);
  return obj;
}

export interface BodyOptions {
  type: "static" | "dynamic";
  x?: number;
  y?: number;
  angle?: number;
}

/**
 * Definitions and shapes reused for every body and fixture made with this module: Box2D copies them on
 * creation, so one of each suffices, and a reset that builds ~200 terrain fixtures makes a few wasm calls
 * per fixture instead of a dozen allocations.
 */
interface Scratch {
  module: Box2DModule;
  bodyDef: Box2D.b2BodyDef;
  fixtureDef: Box2D.b2FixtureDef;
  filter: Box2D.b2Filter;
  polygon: Box2D.b2PolygonShape;
  edge: Box2D.b2EdgeShape;
  circle: Box2D.b2CircleShape;
  v: [Box2D.b2Vec2, Box2D.b2Vec2];
  /** Float32 word index of each scratch vector's x (y follows): b2Vec2 is {float x, y}. */
  vWords: [number, number];
  /** Room for 8 vertices (b2_maxPolygonVertices) for b2PolygonShape::Set. */
  vertexBuffer: number;
  /** What the definitions hold now, so unchanged fields are not set again (a wasm call each). */
  last: { [field: string]: unknown };
  revoluteDef?: Box2D.b2RevoluteJointDef;
}

/** Sets a definition field through `set` only when `value` differs from what it holds. */
function setIfChanged(last: Scratch["last"], field: string, value: unknown, set: () => void): void {
  if (last[field] === value) return;
  set();
  last[field] = value;
}

let scratchState: Scratch | undefined;

/** Where the scratch vectors keep x (y follows), checked against b2Vec2's getters once. */
function vectorWords(B: Box2DModule, v: [Box2D.b2Vec2, Box2D.b2Vec2]): [number, number] {
  const words: [number, number] = [B.getPointer(v[0]) >> 2, B.getPointer(v[1]) >> 2];
  B.HEAPF32[words[0]] = 1.5;
  B.HEAPF32[words[0] + 1] = -2.25;
  if (v[0].get_x() !== 1.5 || v[0].get_y() !== -2.25) throw new Error("box2d-wasm: unexpected b2Vec2 layout (expected {float x, y})");
  return words;
}

function scratchDefs(): Scratch {
  const B = box2d();
  if (scratchState?.module === B) return scratchState;
  const fixtureDef = new B.b2FixtureDef();
  const v: [Box2D.b2Vec2, Box2D.b2Vec2] = [new B.b2Vec2(0, 0), new B.b2Vec2(0, 0)];
  scratchState = {
    module: B,
    bodyDef: new B.b2BodyDef(),
    fixtureDef,
    filter: fixtureDef.get_filter(),
    polygon: new B.b2PolygonShape(),
    edge: new B.b2EdgeShape(),
    circle: new B.b2CircleShape(),
    v,
    vWords: vectorWords(B, v),
    vertexBuffer: B._malloc(8 * 8),
    last: {},
  };
  return scratchState;
}

/** Creates a body (pybox2d's CreateStaticBody / CreateDynamicBody). */
export function createBody(world: Box2D.b2World, opts: BodyOptions): Box2D.b2Body {
  const B = box2d();
  const { bodyDef, v, last } = scratchDefs();
  const type = opts.type === "static" ? B.b2_staticBody : B.b2_dynamicBody;
  setIfChanged(last, "type", type, () => bodyDef.set_type(type));
  const x = opts.x ?? 0;
  const y = opts.y ?? 0;
  if (last.x !== x || last.y !== y) {
    v[0].Set(x, y);
    bodyDef.set_position(v[0]);
    last.x = x;
    last.y = y;
  }
  const angle = opts.angle ?? 0;
  setIfChanged(last, "angle", angle, () => bodyDef.set_angle(angle));
  const body = world.CreateBody(bodyDef);
  track(world, B.b2Body, body);
  worldOf.set(body, world);
  return body;
}

/** The world each body made by `createBody` belongs to (to track its fixtures' wrappers). */
const worldOf = new WeakMap<Box2D.b2Body, Box2D.b2World>();

/** Loads the scratch fixture definition with `shape` and `opts` (pybox2d's defaults for what is absent). */
function prepareFixtureDef(shape: Box2D.b2Shape, opts: FixtureOptions): Box2D.b2FixtureDef {
  const { fixtureDef: def, filter, last } = scratchDefs();
  const density = opts.density ?? 0;
  const friction = opts.friction ?? 0.2;
  const restitution = opts.restitution ?? 0;
  const category = opts.categoryBits ?? 0x0001;
  const mask = opts.maskBits ?? 0xffff;
  setIfChanged(last, "shape", shape, () => def.set_shape(shape));
  setIfChanged(last, "density", density, () => def.set_density(density));
  setIfChanged(last, "friction", friction, () => def.set_friction(friction));
  setIfChanged(last, "restitution", restitution, () => def.set_restitution(restitution));
  setIfChanged(last, "category", category, () => filter.set_categoryBits(category));
  setIfChanged(last, "mask", mask, () => filter.set_maskBits(mask));
  return def;
}

function attach(body: Box2D.b2Body, shape: Box2D.b2Shape, opts: FixtureOptions): Box2D.b2Fixture {
  const fixture = body.CreateFixture(prepareFixtureDef(shape, opts));
  const world = worldOf.get(body);
  if (world) track(world, box2d().b2Fixture, fixture);
  return fixture;
}

/** Adds a convex polygon fixture (Box2D computes the hull and orders it counter-clockwise, as pybox2d does). */
export function addPolygon(body: Box2D.b2Body, vertices: Points, opts: FixtureOptions = {}): void {
  const B = box2d();
  const n = vertices.length;
  if (n < 3 || n > 8) throw new RangeError(`addPolygon: a Box2D polygon has 3..8 vertices, got ${n}`);
  const { polygon, vertexBuffer } = scratchDefs();
  const f = B.HEAPF32;
  for (let i = 0; i < n; i++) {
    f[(vertexBuffer >> 2) + 2 * i] = vertices[i]![0];
    f[(vertexBuffer >> 2) + 2 * i + 1] = vertices[i]![1];
  }
  polygon.Set(vertexBuffer, n);
  attach(body, polygon, opts);
}

/** Adds a box fixture with half-extents hx, hy centred on the body (pybox2d's `polygonShape(box=(hx, hy))`). */
export function addBox(body: Box2D.b2Body, hx: number, hy: number, opts: FixtureOptions = {}): void {
  const { polygon } = scratchDefs();
  polygon.SetAsBox(hx, hy);
  attach(body, polygon, opts);
}

/** Adds a two-sided edge fixture from (x1, y1) to (x2, y2). */
export function addEdge(body: Box2D.b2Body, x1: number, y1: number, x2: number, y2: number, opts: FixtureOptions = {}): void {
  const { edge, v } = scratchDefs();
  v[0].Set(x1, y1);
  v[1].Set(x2, y2);
  edge.SetTwoSided(v[0], v[1]);
  attach(body, edge, opts);
}

/** Adds a circle fixture centred on the body. */
export function addCircle(body: Box2D.b2Body, radius: number, opts: FixtureOptions = {}): void {
  const { circle } = scratchDefs();
  circle.set_m_radius(radius);
  attach(body, circle, opts);
}

type RawCreate = (ownerPtr: number, defPtr: number) => number;

/**
 * box2d-wasm's raw bindings for CreateBody / CreateFixture: they return pointers without making (and
 * caching) a JS wrapper, which matters when a reset builds ~200 static terrain bodies nobody looks at.
 */
function rawCreators(): { body: RawCreate; fixture: RawCreate } | undefined {
  const m = box2d() as unknown as Record<string, unknown>;
  const body = m["_emscripten_bind_b2World_CreateBody_1"];
  const fixture = m["_emscripten_bind_b2Body_CreateFixture_1"];
  return typeof body === "function" && typeof fixture === "function" ? { body: body as RawCreate, fixture: fixture as RawCreate } : undefined;
}

/** One fixture of a static body: an edge or a convex polygon, with its fixture options. */
export type StaticPiece = ({ edge: [number, number, number, number] } | { polygon: Points }) & { fixture?: FixtureOptions };

/**
 * A static body at the origin holding the given edges / polygons (terrain), created without JS wrappers
 * when the raw bindings are available. The body is freed with its world.
 */
export function createStaticBody(world: Box2D.b2World, pieces: readonly StaticPiece[]): void {
  const raw = rawCreators();
  if (!raw) {
    const body = createBody(world, { type: "static" });
    for (const piece of pieces) {
      if ("edge" in piece) addEdge(body, ...piece.edge, piece.fixture);
      else addPolygon(body, piece.polygon, piece.fixture);
    }
    return;
  }
  const B = box2d();
  const sc = scratchDefs();
  const { bodyDef, last } = sc;
  setIfChanged(last, "type", B.b2_staticBody, () => bodyDef.set_type(B.b2_staticBody));
  if (last.x !== 0 || last.y !== 0) {
    sc.v[0].Set(0, 0);
    bodyDef.set_position(sc.v[0]);
    last.x = 0;
    last.y = 0;
  }
  setIfChanged(last, "angle", 0, () => bodyDef.set_angle(0));
  const bodyPtr = raw.body(B.getPointer(world), B.getPointer(bodyDef));
  for (const piece of pieces) {
    let shape: Box2D.b2Shape;
    if ("edge" in piece) {
      const [x1, y1, x2, y2] = piece.edge;
      sc.v[0].Set(x1, y1);
      sc.v[1].Set(x2, y2);
      sc.edge.SetTwoSided(sc.v[0], sc.v[1]);
      shape = sc.edge;
    } else {
      const n = piece.polygon.length;
      if (n < 3 || n > 8) throw new RangeError(`createStaticBody: a Box2D polygon has 3..8 vertices, got ${n}`);
      const f = B.HEAPF32;
      for (let i = 0; i < n; i++) {
        f[(sc.vertexBuffer >> 2) + 2 * i] = piece.polygon[i]![0];
        f[(sc.vertexBuffer >> 2) + 2 * i + 1] = piece.polygon[i]![1];
      }
      sc.polygon.Set(sc.vertexBuffer, n);
      shape = sc.polygon;
    }
    prepareFixtureDef(shape, piece.fixture ?? {});
    raw.fixture(bodyPtr, B.getPointer(sc.fixtureDef));
  }
}

export interface RevoluteOptions {
  localAnchorA: readonly [number, number];
  localAnchorB: readonly [number, number];
  enableMotor: boolean;
  enableLimit: boolean;
  maxMotorTorque: number;
  motorSpeed: number;
  lowerAngle: number;
  upperAngle: number;
}

/** Creates a revolute joint as pybox2d's `revoluteJointDef(bodyA=, bodyB=, ...)` does. */
export function createRevoluteJoint(
  world: Box2D.b2World,
  bodyA: Box2D.b2Body,
  bodyB: Box2D.b2Body,
  o: RevoluteOptions,
): Box2D.b2RevoluteJoint {
  const B = box2d();
  const sc = scratchDefs();
  sc.revoluteDef ??= new B.b2RevoluteJointDef();
  const def = sc.revoluteDef;
  def.set_bodyA(bodyA);
  def.set_bodyB(bodyB);
  sc.v[0].Set(o.localAnchorA[0], o.localAnchorA[1]);
  sc.v[1].Set(o.localAnchorB[0], o.localAnchorB[1]);
  def.set_localAnchorA(sc.v[0]);
  def.set_localAnchorB(sc.v[1]);
  // pybox2d's joint definitions take the bodies' current relative angle as the reference angle (measured:
  // the hips of BipedalWalker, whose legs start at ±0.05 rad, read 0.05 rad off otherwise).
  def.set_referenceAngle(Math.fround(bodyB.GetAngle() - bodyA.GetAngle()));
  def.set_enableMotor(o.enableMotor);
  def.set_enableLimit(o.enableLimit);
  def.set_maxMotorTorque(o.maxMotorTorque);
  def.set_motorSpeed(o.motorSpeed);
  def.set_lowerAngle(o.lowerAngle);
  def.set_upperAngle(o.upperAngle);
  def.set_collideConnected(false);
  const joint = B.castObject(world.CreateJoint(def), B.b2RevoluteJoint);
  track(world, B.b2Joint, joint);
  track(world, B.b2RevoluteJoint, joint);
  return joint;
}

/**
 * Box2D 2.3's rule for revolute-joint limits, applied to box2d-wasm's 2.4 solver.
 *
 * Gymnasium's physics is pybox2d = Box2D 2.3, whose revolute joint decides at the start of each step whether
 * a limit takes part: a joint already at or past a limit is held at it for that step; a joint inside its range
 * moves freely for the whole step and may overshoot, to be caught on the next step (the reference walker's knee
 * ends 0.55 rad past its limit after the first step of seed 1). Box2D 2.4 enforces both limits in every step,
 * speculatively, so a swinging leg is stopped exactly at its limit and its momentum lands on the body within the
 * step — the lander then spins where Gymnasium's keeps its rotation. Call `beforeStep()` before each
 * `world.Step`: it enables a joint's limit exactly when 2.3 would activate it (angle <= lower or >= upper,
 * compared in float32 as 2.3 does), so 2.4's position correction is also skipped for free joints, as in 2.3.
 *
 * Measured against the recorded Gymnasium trajectories over their first 20 steps (max |difference|, without ->
 * with): BipedalWalker random actions, joint angles 1.3 -> 0.64 rad, reward 0.36 -> 0.09, lidar 0.15 -> 0.034;
 * zero action, hull 0.076 -> 0.046; LunarLander reward 4.0e-3 -> 2.5e-3. LunarLanderContinuous seed 1 now
 * follows Gymnasium through its first touchdown to the same crash step (157). What stays 2.4: the limit and
 * the anchor are solved one after the other, not as 2.3's 3x3 block, and a change of the flag wakes both
 * bodies (2.3 changes its limit state silently).
 */
export class JointLimits23 {
  private readonly joints: Box2D.b2RevoluteJoint[];
  private readonly lower: Float64Array;
  private readonly upper: Float64Array;
  private readonly enabled: Uint8Array;
  private readonly equal: Uint8Array;

  /** `joints` as created by `createRevoluteJoint` with `enableLimit: true`. */
  constructor(joints: readonly Box2D.b2RevoluteJoint[]) {
    this.joints = [...joints];
    const n = joints.length;
    this.lower = new Float64Array(n);
    this.upper = new Float64Array(n);
    this.enabled = new Uint8Array(n);
    this.equal = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const j = joints[i]!;
      this.lower[i] = j.GetLowerLimit();
      this.upper[i] = j.GetUpperLimit();
      this.enabled[i] = j.IsLimitEnabled() ? 1 : 0;
      // 2.3's e_equalLimits: a range narrower than 2 * b2_angularSlop (2 degrees) is always held.
      this.equal[i] = Math.abs(this.upper[i]! - this.lower[i]!) < 2 * ((2 / 180) * Math.PI) ? 1 : 0;
    }
  }

  /** Enables each limit exactly when Box2D 2.3 would hold the joint at it during the coming step. */
  beforeStep(): void {
    for (let i = 0; i < this.joints.length; i++) {
      const joint = this.joints[i]!;
      const angle = joint.GetJointAngle();
      const active = this.equal[i] === 1 || angle <= this.lower[i]! || angle >= this.upper[i]! ? 1 : 0;
      if (active !== this.enabled[i]) {
        joint.EnableLimit(active === 1);
        this.enabled[i] = active;
      }
    }
  }
}

/** Applies a force at the centre of mass, waking the body (pybox2d's `ApplyForceToCenter(f, True)`). */
export function applyForceToCenter(body: Box2D.b2Body, fx: number, fy: number): void {
  const sc = scratchDefs();
  const f = heapF32();
  f[sc.vWords[0]] = fx;
  f[sc.vWords[0] + 1] = fy;
  body.ApplyForceToCenter(sc.v[0], true);
}

/** Applies a linear impulse at a world point, waking the body. */
export function applyLinearImpulse(body: Box2D.b2Body, ix: number, iy: number, px: number, py: number): void {
  const sc = scratchDefs();
  // Stored as b2Vec2::Set would (a float32 store rounds as wasm's f32 parameter conversion does), minus two calls.
  const f = heapF32();
  f[sc.vWords[0]] = ix;
  f[sc.vWords[0] + 1] = iy;
  f[sc.vWords[1]] = px;
  f[sc.vWords[1] + 1] = py;
  body.ApplyLinearImpulse(sc.v[0], sc.v[1], true);
}
