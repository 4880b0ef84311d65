/**
 * BipedalWalker-v3 and BipedalWalkerHardcore-v3 on box2d-wasm: Gymnasium 1.0's walker (same geometry,
 * constants, motors, lidar, contact detection, reward, termination), with the terrain generated from the
 * ported numpy generator so a seed gives Gymnasium's course.
 *
 * Differences from the Python original, all deliberate:
 * - Physics is Box2D 2.4.1 (box2d-wasm) instead of pybox2d's 2.3, with 2.3's rule for when a joint limit
 *   acts (JointLimits23): trajectories agree closely for the first steps and then drift apart (see
 *   test/box2d/fidelity.test.ts for the measured divergence).
 * - Every reset builds a fresh b2World (Gymnasium keeps one world and recycles it), so a seed gives the
 *   same episode whatever ran before.
 * - The lidar is cast in JavaScript against the static ground (same float32 arithmetic as Box2D).
 * - `info` is filled with documented fields (Gymnasium returns `{}`), and `render()` returns SVG.
 */
import { BaseEnv } from "../../../core/base-env.js";
import { Box } from "../../../core/box.js";
import type { EnvDescription, Info, ResetOptions, ResetResult, StepResult } from "../../../core/env.js";
import type { EnvKwargs } from "../../registration.js";
import type { Generator } from "../../../core/rng.js";
import { boolOption, checkKwargs, numberOption, renderModeOption } from "../kwargs.js";
import { BodyOnLegsContacts } from "../contacts.js";
import { StaticGeometry } from "../lidar.js";
import { box2d } from "../loader.js";
import {
  addBox,
  addPolygon,
  applyForceToCenter,
  bodyState,
  BodyHandle,
  createBody,
  createRevoluteJoint,
  JointLimits23,
  createStaticBody,
  newWorld,
  type BodyState,
} from "../physics.js";
import type { Scene, Shape } from "../render/scene.js";
import { rgb, worldPoints } from "../render/scene.js";
import { sceneToSvg } from "../render/svg.js";
import { WorldResources } from "../world-resources.js";
import {
  FINISH_X,
  FPS,
  FRICTION,
  HULL_POLY,
  INITIAL_RANDOM,
  LEG_DOWN,
  LEG_H,
  LEG_W,
  LIDAR_RANGE,
  MOTORS_TORQUE,
  SCALE,
  SPEED_HIP,
  SPEED_KNEE,
  TERRAIN_HEIGHT,
  TERRAIN_STARTPAD,
  TERRAIN_STEP,
  VIEWPORT_H,
  VIEWPORT_W,
} from "./constants.js";
import { describeBipedalWalker } from "./describe.js";
import { generateSeedTerrain, SEED_TERRAIN } from "./seed-terrain.js";
import { generateClouds, generateTerrain, type Cloud, type Terrain, type TerrainRandom } from "./terrain.js";

export interface BipedalWalkerOptions {
  /** The hardcore course: stumps, stairs and pits (BipedalWalkerHardcore-v3). */
  hardcore?: boolean;
  /** "svg" keeps what `render()` needs; rendering also works without it. */
  renderMode?: "svg" | null;
  /**
   * The course: "gymnasium" (default, Gymnasium's own) or "seed-curriculum" (the reward-design seed
   * repository's chunked flat / uneven / slope / stairs terrain, see seed-terrain.ts; not with hardcore).
   */
  terrain?: BipedalWalkerTerrain;
  /** Difficulty of the "seed-curriculum" course in [0, 1]: which kinds appear and how high (default 1). */
  terrainDifficulty?: number;
}

export const BIPEDAL_WALKER_TERRAINS = ["gymnasium", "seed-curriculum"] as const;
export type BipedalWalkerTerrain = (typeof BIPEDAL_WALKER_TERRAINS)[number];

const OBS_LOW = [-Math.PI, -5, -5, -5, -Math.PI, -5, -Math.PI, -5, -0, -Math.PI, -5, -Math.PI, -5, -0, ...Array<number>(10).fill(-1)];
const OBS_HIGH = [Math.PI, 5, 5, 5, Math.PI, 5, Math.PI, 5, 5, Math.PI, 5, Math.PI, 5, 5, ...Array<number>(10).fill(1)];

const HULL_VERTICES = HULL_POLY.map(([x, y]) => [x / SCALE, y / SCALE] as [number, number]);
const LIDAR_DX: number[] = [];
const LIDAR_DY: number[] = [];
for (let i = 0; i < 10; i++) {
  LIDAR_DX.push(Math.sin((1.5 * i) / 10.0) * LIDAR_RANGE);
  LIDAR_DY.push(Math.cos((1.5 * i) / 10.0) * LIDAR_RANGE);
}
const LEG_COLORS = [-1, -1, +1, +1].map((i) => ({
  fill: rgb(153 - i * 25, 76 - i * 25, 127 - i * 25),
  stroke: rgb(102 - i * 25, 51 - i * 25, 76 - i * 25),
}));
const LEG_HALF_WIDTHS = [LEG_W / 2, (0.8 * LEG_W) / 2, LEG_W / 2, (0.8 * LEG_W) / 2];

/** numpy Generator's scalar calls, typed for terrain generation. */
function terrainRandom(rng: Generator): TerrainRandom {
  return {
    uniform: (low, high) => rng.uniform(low, high) as number,
    integers: (low, high) => rng.integers(low, high) as number,
    random: () => rng.random() as number,
  };
}

export class BipedalWalker extends BaseEnv<Float32Array, Float32Array> {
  readonly observationSpace = new Box(OBS_LOW, OBS_HIGH);
  readonly actionSpace = new Box(-1, 1, [4]);
  readonly renderModes = ["svg"] as const;
  readonly hardcore: boolean;
  readonly renderMode: "svg" | null;
  readonly terrainKind: BipedalWalkerTerrain;
  readonly terrainDifficulty: number;

  private readonly res: WorldResources;
  private hull: BodyHandle | null = null;
  /** Upper -1, lower -1, upper +1, lower +1 (Gymnasium's `legs`). */
  private legs: BodyHandle[] = [];
  private joints: Box2D.b2RevoluteJoint[] = [];
  private limits: JointLimits23 | null = null;
  private readonly hullState: BodyState = bodyState();
  private readonly legStates: BodyState[] = [bodyState(), bodyState(), bodyState(), bodyState()];
  private ground = new StaticGeometry();
  private terrain: Terrain | null = null;
  private clouds: Cloud[] = [];
  /** Hull contact (game over) and the lower legs' ground contacts; the body addresses are set at each reset. */
  private readonly contacts = new BodyOnLegsContacts();
  private prevShaping: number | null = null;
  private readonly lidar = new Float64Array(10);
  private readonly motorSpeed = new Float64Array(4);
  private readonly motorTorque = new Float64Array(4);
  private readonly torqueCosts = new Float64Array(4);
  private readonly referenceAngles = new Float64Array(4);
  private scroll = 0;
  private needsReset = true;

  constructor(opts: BipedalWalkerOptions = {}) {
    super();
    this.hardcore = opts.hardcore ?? false;
    this.renderMode = opts.renderMode ?? null;
    this.terrainKind = opts.terrain ?? "gymnasium";
    this.terrainDifficulty = opts.terrainDifficulty ?? 1;
    if (!BIPEDAL_WALKER_TERRAINS.includes(this.terrainKind)) {
      throw new TypeError(`BipedalWalker: terrain must be one of ${BIPEDAL_WALKER_TERRAINS.join(", ")}, got ${JSON.stringify(opts.terrain)}`);
    }
    if (this.terrainKind !== "gymnasium" && this.hardcore) throw new TypeError(`BipedalWalker: terrain "${this.terrainKind}" replaces the course; it cannot be combined with hardcore`);
    if (!(this.terrainDifficulty >= 0 && this.terrainDifficulty <= 1)) throw new RangeError(`BipedalWalker: terrainDifficulty must be in [0, 1], got ${opts.terrainDifficulty}`);
    box2d(); // a clear error now rather than at reset when box2d-wasm is not loaded
    this.res = new WorldResources(this);
  }

  override reset(opts?: ResetOptions): ResetResult<Float32Array> {
    this.seedFrom(opts);
    this.destroyWorld();
    const rng = this.npRandom;
    const world = newWorld(0, -10);
    this.res.world = world;
    this.contacts.reset();
    this.prevShaping = null;
    this.scroll = 0;

    // Gymnasium's ContactDetector: one listener for the env, handed to every new world.
    world.SetContactListener(this.res.contactListener(this.contacts));

    const r = terrainRandom(rng);
    const seedCourse = this.terrainKind === "seed-curriculum";
    const terrain = seedCourse ? generateSeedTerrain(r, this.terrainDifficulty) : generateTerrain(r, this.hardcore);
    const friction = seedCourse ? SEED_TERRAIN.friction : FRICTION;
    this.terrain = terrain;
    this.clouds = generateClouds(r);
    this.ground = new StaticGeometry();
    // Gymnasium's creation order: obstacle polygons (made while generating), then one body per edge.
    for (const poly of terrain.obstacles) {
      createStaticBody(world, [{ polygon: poly, fixture: { friction: FRICTION } }]);
      this.ground.addPolygon(poly);
    }
    for (let i = 0; i < terrain.x.length - 1; i++) {
      const edge: [number, number, number, number] = [terrain.x[i]!, terrain.y[i]!, terrain.x[i + 1]!, terrain.y[i + 1]!];
      createStaticBody(world, [{ edge, fixture: { friction, categoryBits: 0x0001 } }]);
      this.ground.addEdge(...edge);
    }
    this.ground.finish();

    const initX = (TERRAIN_STEP * TERRAIN_STARTPAD) / 2;
    const initY = TERRAIN_HEIGHT + 2 * LEG_H;
    const hull = createBody(world, { type: "dynamic", x: initX, y: initY });
    addPolygon(hull, HULL_VERTICES, { density: 5.0, friction: 0.1, categoryBits: 0x0020, maskBits: 0x001, restitution: 0 });
    applyForceToCenter(hull, rng.uniform(-INITIAL_RANDOM, INITIAL_RANDOM) as number, 0);
    this.hull = new BodyHandle(hull);
    this.contacts.bodyPtr = this.hull.ptr;

    this.legs = [];
    this.joints = [];
    for (const i of [-1, +1]) {
      const leg = createBody(world, { type: "dynamic", x: initX, y: initY - LEG_H / 2 - LEG_DOWN, angle: i * 0.05 });
      addBox(leg, LEG_W / 2, LEG_H / 2, { density: 1.0, restitution: 0, categoryBits: 0x0020, maskBits: 0x001 });
      this.legs.push(new BodyHandle(leg));
      this.joints.push(
        createRevoluteJoint(world, hull, leg, {
          localAnchorA: [0, LEG_DOWN],
          localAnchorB: [0, LEG_H / 2],
          enableMotor: true,
          enableLimit: true,
          maxMotorTorque: MOTORS_TORQUE,
          motorSpeed: i,
          lowerAngle: -0.8,
          upperAngle: 1.1,
        }),
      );
      const lower = createBody(world, { type: "dynamic", x: initX, y: initY - (LEG_H * 3) / 2 - LEG_DOWN, angle: i * 0.05 });
      addBox(lower, (0.8 * LEG_W) / 2, LEG_H / 2, { density: 1.0, restitution: 0, categoryBits: 0x0020, maskBits: 0x001 });
      this.legs.push(new BodyHandle(lower));
      this.joints.push(
        createRevoluteJoint(world, leg, lower, {
          localAnchorA: [0, -LEG_H / 2],
          localAnchorB: [0, LEG_H / 2],
          enableMotor: true,
          enableLimit: true,
          maxMotorTorque: MOTORS_TORQUE,
          motorSpeed: 1,
          lowerAngle: -1.6,
          upperAngle: -0.1,
        }),
      );
    }
    for (let j = 0; j < 4; j++) this.referenceAngles[j] = this.joints[j]!.GetReferenceAngle();
    this.limits = new JointLimits23(this.joints);
    this.contacts.legPtrs[0] = this.legs[1]!.ptr;
    this.contacts.legPtrs[1] = this.legs[3]!.ptr;

    this.needsReset = false;
    const first = this.advance(ZERO_ACTION);
    return { obs: first.obs, info: first.info };
  }

  override step(action: Float32Array | readonly number[]): StepResult<Float32Array> {
    if (this.needsReset || !this.res.world) throw new Error("BipedalWalker: call reset() before step()");
    if (action == null || action.length !== 4) {
      throw new TypeError(`BipedalWalker: the action must hold 4 numbers (hip/knee motor speeds in [-1, 1]), got ${String(action)}`);
    }
    for (let i = 0; i < 4; i++) {
      if (!Number.isFinite(action[i])) throw new RangeError(`BipedalWalker: action[${i}] is ${action[i]}, not a finite number`);
    }
    return this.advance(action);
  }

  /** One Gymnasium `step` (also used by reset with a zero action). */
  private advance(action: ArrayLike<number>): StepResult<Float32Array> {
    const world = this.res.world!;
    // pybox2d's Box2D 2.3 wakes both bodies of a joint on every motor setter call; 2.4.1 only when the
    // value changes. Waking a sleeping walker here keeps 2.3's behaviour for repeated actions.
    if (!this.hull!.awake) {
      this.hull!.body.SetAwake(true);
      for (const leg of this.legs) leg.body.SetAwake(true);
    }
    let torqueCost = 0;
    for (let j = 0; j < 4; j++) {
      // Gymnasium's actions are float32: round so a float64 input acts exactly like its float32 value.
      const a = Math.fround(action[j]!);
      const magnitude = Math.min(Math.abs(a), 1);
      const speed = (j % 2 === 0 ? SPEED_HIP : SPEED_KNEE) * Math.sign(a);
      const torque = MOTORS_TORQUE * magnitude;
      this.motorSpeed[j] = speed;
      this.motorTorque[j] = torque;
      this.joints[j]!.SetMotorSpeed(speed);
      this.joints[j]!.SetMaxMotorTorque(torque);
      this.torqueCosts[j] = 0.00035 * MOTORS_TORQUE * magnitude;
      torqueCost += this.torqueCosts[j]!;
    }

    this.limits!.beforeStep();
    world.Step(1.0 / FPS, 6 * 30, 2 * 30);

    const h = this.hull!.read(this.hullState);
    for (let k = 0; k < 4; k++) this.legs[k]!.read(this.legStates[k]!);
    for (let i = 0; i < 10; i++) {
      this.lidar[i] = this.ground.rayCast(h.x, h.y, h.x + LIDAR_DX[i]!, h.y - LIDAR_DY[i]!);
    }
    // Revolute joint angle and speed as Box2D computes them (float32 differences of the bodies' values).
    const [upper0, lower0, upper1, lower1] = this.legStates as [BodyState, BodyState, BodyState, BodyState];
    const ref = this.referenceAngles;
    const angle0 = Math.fround(Math.fround(upper0.angle - h.angle) - ref[0]!);
    const speed0 = Math.fround(upper0.omega - h.omega);
    const angle1 = Math.fround(Math.fround(lower0.angle - upper0.angle) - ref[1]!);
    const speed1 = Math.fround(lower0.omega - upper0.omega);
    const angle2 = Math.fround(Math.fround(upper1.angle - h.angle) - ref[2]!);
    const speed2 = Math.fround(upper1.omega - h.omega);
    const angle3 = Math.fround(Math.fround(lower1.angle - upper1.angle) - ref[3]!);
    const speed3 = Math.fround(lower1.omega - upper1.omega);

    const obs = new Float32Array(24);
    obs[0] = h.angle;
    obs[1] = (2.0 * h.omega) / FPS;
    obs[2] = (0.3 * h.vx * (VIEWPORT_W / SCALE)) / FPS;
    obs[3] = (0.3 * h.vy * (VIEWPORT_H / SCALE)) / FPS;
    obs[4] = angle0;
    obs[5] = speed0 / SPEED_HIP;
    obs[6] = angle1 + 1.0;
    obs[7] = speed1 / SPEED_KNEE;
    obs[8] = this.contacts.groundContact[0] ? 1.0 : 0.0;
    obs[9] = angle2;
    obs[10] = speed2 / SPEED_HIP;
    obs[11] = angle3 + 1.0;
    obs[12] = speed3 / SPEED_KNEE;
    obs[13] = this.contacts.groundContact[1] ? 1.0 : 0.0;
    for (let i = 0; i < 10; i++) obs[14 + i] = this.lidar[i]!;

    this.scroll = h.x - VIEWPORT_W / SCALE / 5;

    const progressShaping = (130 * h.x) / SCALE;
    const angleShaping = -5.0 * Math.abs(h.angle);
    const shaping = progressShaping + angleShaping;
    let progress = 0;
    let headAngle = 0;
    if (this.prevShaping !== null) {
      progress = progressShaping - this.prevProgressShaping;
      headAngle = angleShaping - this.prevAngleShaping;
    }
    let reward = this.prevShaping !== null ? shaping - this.prevShaping : 0;
    this.prevShaping = shaping;
    this.prevProgressShaping = progressShaping;
    this.prevAngleShaping = angleShaping;
    for (let j = 0; j < 4; j++) reward -= this.torqueCosts[j]!; // one subtraction per joint, as Gymnasium

    let terminated = false;
    const fell = this.contacts.gameOver || h.x < 0;
    if (fell) {
      reward = -100;
      terminated = true;
    }
    const reachedEnd = h.x > FINISH_X;
    if (reachedEnd) terminated = true;
    if (terminated) this.needsReset = true;

    const info: Info = {
      hullX: h.x,
      hullY: h.y,
      hullAngle: h.angle,
      hullAngularVelocity: h.omega,
      hullVx: h.vx,
      hullVy: h.vy,
      jointAngles: [angle0, angle1, angle2, angle3],
      jointSpeeds: [speed0, speed1, speed2, speed3],
      legContacts: [obs[8], obs[13]],
      legContactCounts: [this.contacts.contactCount[0], this.contacts.contactCount[1]],
      lidar: Array.from(this.lidar),
      motorSpeeds: Array.from(this.motorSpeed),
      motorTorqueLimits: Array.from(this.motorTorque),
      jointTorques: this.joints.map((j) => j.GetMotorTorque(FPS)),
      gameOver: this.contacts.gameOver,
      fell,
      reachedEnd,
      rewardProgress: progress,
      rewardHeadAngle: headAngle,
      rewardTorque: -torqueCost,
      rewardFall: fell ? -100 : 0,
    };
    return { obs, reward, terminated, truncated: false, info };
  }

  private prevProgressShaping = 0;
  private prevAngleShaping = 0;

  /** The generated course of the current episode (terrain points, obstacle polygons); null before reset. */
  get course(): Readonly<Terrain> | null {
    return this.terrain;
  }

  /** The current picture as data (for `episodeAnimation`); see `render()` for the SVG. */
  renderScene(): Scene {
    if (!this.terrain || !this.res.world) throw new Error("BipedalWalker: call reset() before rendering");
    const staticShapes: Shape[] = [];
    for (const [i, poly] of this.terrain.poly.entries()) {
      staticShapes.push({ kind: "polygon", points: poly.flat(), fill: rgb(102, 153, 76) });
      const color = rgb(76, i % 2 === 0 ? 255 : 204, 76);
      staticShapes.push({ kind: "line", points: [poly[0]![0], poly[0]![1], poly[1]![0], poly[1]![1]], stroke: color });
    }
    for (const obstacle of this.terrain.obstacles) {
      staticShapes.push({ kind: "polygon", points: obstacle.flat(), fill: rgb(255, 255, 255), stroke: rgb(153, 153, 153) });
    }
    const flagX = TERRAIN_STEP * 3;
    const flagY1 = TERRAIN_HEIGHT;
    const flagY2 = flagY1 + 50 / SCALE;
    staticShapes.push({ kind: "line", points: [flagX, flagY1, flagX, flagY2], stroke: rgb(0, 0, 0) });
    staticShapes.push({
      kind: "polygon",
      points: [flagX, flagY2, flagX, flagY2 - 10 / SCALE, flagX + 25 / SCALE, flagY2 - 5 / SCALE],
      fill: rgb(230, 51, 0),
      stroke: rgb(0, 0, 0),
    });

    const dynamicShapes: Shape[] = [];
    for (const cloud of this.clouds) {
      const points = cloud.poly.flatMap(([x, y]) => [x + this.scroll / 2, y]);
      dynamicShapes.push({ kind: "polygon", points, fill: rgb(255, 255, 255) });
    }
    const h = this.hull!.read(bodyState());
    for (let i = 0; i < 10; i++) {
      const f = this.lidar[i]!;
      dynamicShapes.push({
        kind: "line",
        points: [h.x, h.y, h.x + LIDAR_DX[i]! * f, h.y - LIDAR_DY[i]! * f],
        stroke: "rgba(255,0,0,0.5)",
      });
    }
    for (let k = 0; k < 4; k++) {
      const s = this.legs[k]!.read(bodyState());
      const hw = LEG_HALF_WIDTHS[k]!;
      const hh = LEG_H / 2;
      dynamicShapes.push({
        kind: "polygon",
        points: worldPoints([[-hw, -hh], [hw, -hh], [hw, hh], [-hw, hh]], s),
        fill: LEG_COLORS[k]!.fill,
        stroke: LEG_COLORS[k]!.stroke,
      });
    }
    dynamicShapes.push({ kind: "polygon", points: worldPoints(HULL_VERTICES, h), fill: rgb(127, 51, 229), stroke: rgb(76, 76, 127) });
    return {
      width: VIEWPORT_W,
      height: VIEWPORT_H,
      scale: SCALE,
      viewX: this.scroll,
      background: rgb(215, 215, 255),
      staticShapes,
      dynamicShapes,
    };
  }

  /** The scene as an SVG document (600 x 400 px, Gymnasium's viewport; the camera follows the hull). */
  render(): string {
    return sceneToSvg(this.renderScene());
  }

  /** What the observation, action, reward and `info` mean, for prompts and plots. */
  describe(): EnvDescription {
    return describeBipedalWalker(this.hardcore);
  }

  override close(): void {
    this.destroyWorld();
    this.res.free();
    this.needsReset = true;
  }

  private destroyWorld(): void {
    this.res.destroyWorld();
    this.hull = null;
    this.legs = [];
    this.joints = [];
  }
}

const ZERO_ACTION = [0, 0, 0, 0];

/** The registry's entry point: `BipedalWalker-v3` from keyword arguments (`hardcore`, `renderMode`). */
export function bipedalWalkerFromKwargs(kwargs: EnvKwargs): BipedalWalker {
  checkKwargs("BipedalWalker", kwargs, ["hardcore", "renderMode", "terrain", "terrainDifficulty"]);
  const terrain = kwargs.terrain ?? "gymnasium";
  if (!BIPEDAL_WALKER_TERRAINS.includes(terrain as BipedalWalkerTerrain)) {
    throw new TypeError(`BipedalWalker: option terrain must be one of ${BIPEDAL_WALKER_TERRAINS.join(", ")}, got ${JSON.stringify(terrain)}`);
  }
  return new BipedalWalker({
    hardcore: boolOption("BipedalWalker", kwargs, "hardcore", false),
    renderMode: renderModeOption("BipedalWalker", kwargs),
    terrain: terrain as BipedalWalkerTerrain,
    terrainDifficulty: numberOption("BipedalWalker", kwargs, "terrainDifficulty", 1),
  });
}
