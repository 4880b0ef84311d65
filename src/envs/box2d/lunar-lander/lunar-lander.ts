/**
 * LunarLander-v3 (discrete engines) and LunarLanderContinuous-v3 on box2d-wasm: Gymnasium 1.0's lander
 * (same geometry, engines, dispersion draws, wind and turbulence, contact detection, reward, termination),
 * with the moon drawn from the ported numpy generator so a seed gives Gymnasium's surface and push.
 *
 * Differences from the Python original: physics is Box2D 2.4.1 instead of 2.3, with 2.3's rule for when the
 * legs' joint limits act (JointLimits23 in physics.ts: without it a hard touchdown sets the lander spinning
 * where Gymnasium's does not); trajectories agree closely at first and drift apart after contacts (see
 * test/box2d/fidelity.test.ts), `info` holds documented fields instead of
 * `{}`, and `render()` returns SVG.
 */
import { BaseEnv } from "../../../core/base-env.js";
import { Box } from "../../../core/box.js";
import { Discrete } from "../../../core/discrete.js";
import type { EnvDescription, Info, ResetOptions, ResetResult, StepResult } from "../../../core/env.js";
import type { EnvKwargs } from "../../registration.js";
import { BodyOnLegsContacts } from "../contacts.js";
import { boolOption, checkKwargs, numberOption, renderModeOption } from "../kwargs.js";
import { box2d } from "../loader.js";
import {
  addCircle,
  applyForceToCenter,
  applyLinearImpulse,
  bodyState,
  BodyHandle,
  createBody,
  JointLimits23,
  type BodyState,
} from "../physics.js";
import type { Scene, Shape } from "../render/scene.js";
import { rgb, worldPoints } from "../render/scene.js";
import { sceneToSvg } from "../render/svg.js";
import { WorldResources } from "../world-resources.js";
import {
  FPS,
  H,
  INITIAL_RANDOM,
  LEG_DOWN,
  LEG_H,
  LEG_W,
  MAIN_ENGINE_POWER,
  MAIN_ENGINE_Y_LOCATION,
  SCALE,
  SIDE_ENGINE_AWAY,
  SIDE_ENGINE_HEIGHT,
  SIDE_ENGINE_POWER,
  VIEWPORT_H,
  VIEWPORT_W,
  W,
} from "./constants.js";
import { describeLunarLander } from "./describe.js";
import { generateMoon, type Moon } from "./moon.js";
import { buildLanderWorld, LANDER_VERTICES } from "./world.js";

export interface LunarLanderOptions {
  /** Box(-1, 1, (2,)) throttles instead of Discrete(4) (LunarLanderContinuous-v3). */
  continuous?: boolean;
  /** Gravity in m/s², strictly between -12 and 0. Default -10. */
  gravity?: number;
  /** Apply wind and turbulence while no leg touches the ground. */
  enableWind?: boolean;
  /** Maximum wind force (recommended 0..20). Default 15. */
  windPower?: number;
  /** Maximum turbulence torque (recommended 0..2). Default 1.5. */
  turbulencePower?: number;
  /** "svg" also simulates the engine particles Gymnasium draws (they never touch the lander). */
  renderMode?: "svg" | null;
}

const OBS_LOW = [-2.5, -2.5, -10, -10, -2 * Math.PI, -10, -0, -0];
const OBS_HIGH = [2.5, 2.5, 10, 10, 2 * Math.PI, 10, 1, 1];
const LANDER_FILL = rgb(128, 102, 230);
const LANDER_STROKE = rgb(77, 77, 128);

interface Particle {
  body: BodyHandle;
  ttl: number;
}

export class LunarLander extends BaseEnv<Float32Array, number | Float32Array> {
  readonly observationSpace = new Box(OBS_LOW, OBS_HIGH);
  readonly actionSpace: Discrete | Box;
  readonly renderModes = ["svg"] as const;
  readonly continuous: boolean;
  readonly gravity: number;
  readonly enableWind: boolean;
  readonly windPower: number;
  readonly turbulencePower: number;
  readonly renderMode: "svg" | null;

  private readonly res: WorldResources;
  private lander: BodyHandle | null = null;
  private legs: BodyHandle[] = [];
  private limits: JointLimits23 | null = null;
  private readonly landerState: BodyState = bodyState();
  private moon: Moon | null = null;
  private particles: Particle[] = [];
  /** Lander contact (game over) and the legs' ground contacts; the body addresses are set at each reset. */
  private readonly contacts = new BodyOnLegsContacts();
  private prevShaping: number | null = null;
  private windIdx = 0;
  private torqueIdx = 0;
  private needsReset = true;

  constructor(opts: LunarLanderOptions = {}) {
    super();
    this.continuous = opts.continuous ?? false;
    this.gravity = opts.gravity ?? -10.0;
    if (!(-12.0 < this.gravity && this.gravity < 0.0)) {
      throw new RangeError(`LunarLander: gravity (current value: ${this.gravity}) must be between -12 and 0`);
    }
    this.enableWind = opts.enableWind ?? false;
    this.windPower = opts.windPower ?? 15.0;
    this.turbulencePower = opts.turbulencePower ?? 1.5;
    if (this.windPower < 0 || this.windPower > 20) {
      console.warn(`LunarLander: wind_power value is recommended to be between 0.0 and 20.0, (current value: ${this.windPower})`);
    }
    if (this.turbulencePower < 0 || this.turbulencePower > 2) {
      console.warn(`LunarLander: turbulence_power value is recommended to be between 0.0 and 2.0, (current value: ${this.turbulencePower})`);
    }
    this.renderMode = opts.renderMode ?? null;
    this.actionSpace = this.continuous ? new Box(-1, 1, [2]) : new Discrete(4);
    box2d();
    this.res = new WorldResources(this);
  }

  override reset(opts?: ResetOptions): ResetResult<Float32Array> {
    this.seedFrom(opts);
    this.destroyWorld();
    const rng = this.npRandom;
    this.contacts.reset();
    this.prevShaping = null;

    // Gymnasium's order of draws: the moon's 12 heights, the initial push, then the wind's phases.
    const moon = generateMoon((low, high) => rng.uniform(low, high) as number);
    this.moon = moon;
    const fx = rng.uniform(-INITIAL_RANDOM, INITIAL_RANDOM) as number;
    const fy = rng.uniform(-INITIAL_RANDOM, INITIAL_RANDOM) as number;
    if (this.enableWind) {
      this.windIdx = rng.integers(-9999, 9999) as number;
      this.torqueIdx = rng.integers(-9999, 9999) as number;
    }

    // Gymnasium's ContactDetector: one listener for the env, handed to every new world.
    const built = buildLanderWorld(this.gravity, this.res.contactListener(this.contacts), moon, fx, fy);
    this.res.world = built.world;
    this.lander = new BodyHandle(built.lander);
    this.legs = [new BodyHandle(built.legs[0]), new BodyHandle(built.legs[1])];
    this.limits = new JointLimits23(built.joints);
    this.contacts.bodyPtr = this.lander.ptr;
    this.contacts.legPtrs[0] = this.legs[0]!.ptr;
    this.contacts.legPtrs[1] = this.legs[1]!.ptr;

    this.needsReset = false;
    const first = this.advance(this.continuous ? ZERO_CONTINUOUS : 0);
    return { obs: first.obs, info: first.info };
  }

  override step(action: number | Float32Array | readonly number[]): StepResult<Float32Array> {
    if (this.needsReset || !this.res.world) throw new Error("LunarLander: call reset() before step()");
    if (this.continuous) {
      if (typeof action === "number" || action == null || action.length !== 2) {
        throw new TypeError(`LunarLanderContinuous: the action must hold 2 numbers (main, lateral throttle in [-1, 1]), got ${String(action)}`);
      }
      for (let i = 0; i < 2; i++) {
        if (Number.isNaN(action[i])) throw new RangeError(`LunarLanderContinuous: action[${i}] is NaN`);
      }
    } else if (!this.actionSpace.contains(action)) {
      throw new RangeError(`LunarLander: ${String(action)} is not a valid action; expected an integer 0..3 (noop, left, main, right engine)`);
    }
    return this.advance(action as number | ArrayLike<number>);
  }

  private advance(action: number | ArrayLike<number>): StepResult<Float32Array> {
    const world = this.res.world!;
    const landerBody = this.lander!.body;
    let windForce = 0;
    let turbulenceTorque = 0;
    if (this.enableWind && !(this.contacts.groundContact[0] || this.contacts.groundContact[1])) {
      windForce = Math.tanh(Math.sin(0.02 * this.windIdx) + Math.sin(Math.PI * 0.01 * this.windIdx)) * this.windPower;
      this.windIdx += 1;
      applyForceToCenter(landerBody, windForce, 0.0);
      turbulenceTorque = Math.tanh(Math.sin(0.02 * this.torqueIdx) + Math.sin(Math.PI * 0.01 * this.torqueIdx)) * this.turbulencePower;
      this.torqueIdx += 1;
      landerBody.ApplyTorque(turbulenceTorque, true);
    }

    let a0 = 0;
    let a1 = 0;
    let discrete = 0;
    if (this.continuous) {
      const a = action as ArrayLike<number>;
      // Gymnasium: np.clip(action, -1, 1).astype(np.float64) of a float32 action.
      a0 = Math.min(Math.max(Math.fround(a[0]!), -1), 1);
      a1 = Math.min(Math.max(Math.fround(a[1]!), -1), 1);
    } else {
      discrete = action as number;
    }

    const s = this.lander!.read(this.landerState);
    const tip0 = Math.sin(s.angle);
    const tip1 = Math.cos(s.angle);
    const side0 = -tip1;
    const side1 = tip0;
    const rng = this.npRandom;
    const dispersion0 = (rng.uniform(-1.0, +1.0) as number) / SCALE;
    const dispersion1 = (rng.uniform(-1.0, +1.0) as number) / SCALE;

    let mPower = 0.0;
    if ((this.continuous && a0 > 0.0) || (!this.continuous && discrete === 2)) {
      mPower = this.continuous ? (Math.min(Math.max(a0, 0.0), 1.0) + 1.0) * 0.5 : 1.0;
      const ox = tip0 * (MAIN_ENGINE_Y_LOCATION / SCALE + 2 * dispersion0) + side0 * dispersion1;
      const oy = -tip1 * (MAIN_ENGINE_Y_LOCATION / SCALE + 2 * dispersion0) - side1 * dispersion1;
      const px = s.x + ox;
      const py = s.y + oy;
      if (this.renderMode !== null) {
        const p = this.createParticle(3.5, px, py, mPower);
        applyLinearImpulse(p, ox * MAIN_ENGINE_POWER * mPower, oy * MAIN_ENGINE_POWER * mPower, px, py);
      }
      applyLinearImpulse(landerBody, -ox * MAIN_ENGINE_POWER * mPower, -oy * MAIN_ENGINE_POWER * mPower, px, py);
    }

    let sPower = 0.0;
    let direction = 0;
    if ((this.continuous && Math.abs(a1) > 0.5) || (!this.continuous && (discrete === 1 || discrete === 3))) {
      if (this.continuous) {
        direction = Math.sign(a1);
        sPower = Math.min(Math.max(Math.abs(a1), 0.5), 1.0);
      } else {
        direction = discrete - 2;
        sPower = 1.0;
      }
      const ox = tip0 * dispersion0 + side0 * (3 * dispersion1 + (direction * SIDE_ENGINE_AWAY) / SCALE);
      const oy = -tip1 * dispersion0 - side1 * (3 * dispersion1 + (direction * SIDE_ENGINE_AWAY) / SCALE);
      const px = s.x + ox - (tip0 * 17) / SCALE;
      const py = s.y + oy + (tip1 * SIDE_ENGINE_HEIGHT) / SCALE;
      if (this.renderMode !== null) {
        const p = this.createParticle(0.7, px, py, sPower);
        applyLinearImpulse(p, ox * SIDE_ENGINE_POWER * sPower, oy * SIDE_ENGINE_POWER * sPower, px, py);
      }
      applyLinearImpulse(landerBody, -ox * SIDE_ENGINE_POWER * sPower, -oy * SIDE_ENGINE_POWER * sPower, px, py);
    }

    this.limits!.beforeStep();
    world.Step(1.0 / FPS, 6 * 30, 2 * 30);

    const p = this.lander!.read(this.landerState);
    const moon = this.moon!;
    const s0 = (p.x - VIEWPORT_W / SCALE / 2) / (VIEWPORT_W / SCALE / 2);
    const s1 = (p.y - (moon.helipadY + LEG_DOWN / SCALE)) / (VIEWPORT_H / SCALE / 2);
    const s2 = (p.vx * (VIEWPORT_W / SCALE / 2)) / FPS;
    const s3 = (p.vy * (VIEWPORT_H / SCALE / 2)) / FPS;
    const s4 = p.angle;
    const s5 = (20.0 * p.omega) / FPS;
    const s6 = this.contacts.groundContact[0] ? 1.0 : 0.0;
    const s7 = this.contacts.groundContact[1] ? 1.0 : 0.0;
    const obs = new Float32Array(8);
    obs[0] = s0;
    obs[1] = s1;
    obs[2] = s2;
    obs[3] = s3;
    obs[4] = s4;
    obs[5] = s5;
    obs[6] = s6;
    obs[7] = s7;

    const distanceTerm = -100 * Math.sqrt(s0 * s0 + s1 * s1);
    const speedTerm = -100 * Math.sqrt(s2 * s2 + s3 * s3);
    const tiltTerm = -100 * Math.abs(s4);
    const shaping = distanceTerm + speedTerm + tiltTerm + 10 * s6 + 10 * s7;
    let reward = 0;
    if (this.prevShaping !== null) reward = shaping - this.prevShaping;
    const shapingDelta = reward;
    this.prevShaping = shaping;
    reward -= mPower * 0.3;
    reward -= sPower * 0.03;

    let terminated = false;
    const outOfBounds = Math.abs(s0) >= 1.0;
    if (this.contacts.gameOver || outOfBounds) {
      terminated = true;
      reward = -100;
    }
    const awake = this.lander!.awake;
    if (!awake) {
      terminated = true;
      reward = +100;
    }
    if (terminated) this.needsReset = true;

    const info: Info = {
      x: p.x,
      y: p.y,
      vx: p.vx,
      vy: p.vy,
      angle: p.angle,
      angularVelocity: p.omega,
      legContacts: [s6, s7],
      legContactCounts: [this.contacts.contactCount[0], this.contacts.contactCount[1]],
      mainEnginePower: mPower,
      sideEnginePower: sPower,
      sideEngineDirection: direction,
      windForce,
      turbulenceTorque,
      gameOver: this.contacts.gameOver,
      outOfBounds,
      atRest: !awake,
      shaping,
      shapingDistance: distanceTerm,
      shapingSpeed: speedTerm,
      shapingTilt: tiltTerm,
      shapingLegs: 10 * s6 + 10 * s7,
      rewardShaping: shapingDelta,
      rewardMainEngine: -mPower * 0.3,
      rewardSideEngine: -sPower * 0.03,
      rewardTerminal: !awake ? 100 : this.contacts.gameOver || outOfBounds ? -100 : 0,
    };
    return { obs, reward, terminated, truncated: false, info };
  }

  /** An engine particle (only with a render mode, as in Gymnasium); it collides with the moon only. */
  private createParticle(mass: number, x: number, y: number, ttl: number): Box2D.b2Body {
    const body = createBody(this.res.world!, { type: "dynamic", x, y, angle: 0 });
    addCircle(body, 2 / SCALE, { density: mass, friction: 0.1, categoryBits: 0x0100, maskBits: 0x001, restitution: 0.3 });
    this.particles.push({ body: new BodyHandle(body), ttl });
    this.cleanParticles(false);
    return body;
  }

  private cleanParticles(all: boolean): void {
    while (this.particles.length > 0 && (all || this.particles[0]!.ttl < 0)) {
      const p = this.particles.shift()!;
      this.res.world!.DestroyBody(p.body.body);
    }
  }

  /** The surface generated for the current episode; null before reset. */
  get surface(): Readonly<Moon> | null {
    return this.moon;
  }

  /** The current picture as data (for `episodeAnimation`); ages the particles as Gymnasium's render does. */
  renderScene(): Scene {
    if (!this.moon || !this.res.world) throw new Error("LunarLander: call reset() before rendering");
    for (const p of this.particles) p.ttl -= 0.15;
    this.cleanParticles(false);
    const staticShapes: Shape[] = [];
    // Gymnasium paints the whole surface white, then the sky above the moon black.
    staticShapes.push({ kind: "polygon", points: [0, 0, W, 0, W, H, 0, H], fill: rgb(255, 255, 255) });
    for (const poly of this.moon.skyPolys) staticShapes.push({ kind: "polygon", points: poly.flat(), fill: rgb(0, 0, 0) });
    for (const x of [this.moon.helipadX1, this.moon.helipadX2]) {
      const y1 = this.moon.helipadY;
      const y2 = y1 + 50 / SCALE;
      staticShapes.push({ kind: "line", points: [x, y1, x, y2], stroke: rgb(255, 255, 255) });
      staticShapes.push({ kind: "polygon", points: [x, y2, x, y2 - 10 / SCALE, x + 25 / SCALE, y2 - 5 / SCALE], fill: rgb(204, 204, 0) });
    }
    const dynamicShapes: Shape[] = [];
    for (const p of this.particles) {
      const s = p.body.read(bodyState());
      const c = rgb(Math.max(0.2, 0.15 + p.ttl) * 255, Math.max(0.2, 0.5 * p.ttl) * 255, Math.max(0.2, 0.5 * p.ttl) * 255);
      dynamicShapes.push({ kind: "circle", x: s.x, y: s.y, r: 2 / SCALE, fill: c });
    }
    const l = this.lander!.read(bodyState());
    dynamicShapes.push({ kind: "polygon", points: worldPoints(LANDER_VERTICES, l), fill: LANDER_FILL, stroke: LANDER_STROKE });
    const hw = LEG_W / SCALE;
    const hh = LEG_H / SCALE;
    for (const leg of this.legs) {
      const s = leg.read(bodyState());
      dynamicShapes.push({ kind: "polygon", points: worldPoints([[-hw, -hh], [hw, -hh], [hw, hh], [-hw, hh]], s), fill: LANDER_FILL, stroke: LANDER_STROKE });
    }
    return { width: VIEWPORT_W, height: VIEWPORT_H, scale: SCALE, viewX: 0, background: rgb(255, 255, 255), staticShapes, dynamicShapes };
  }

  /** The scene as an SVG document (600 x 400 px, Gymnasium's viewport). */
  render(): string {
    return sceneToSvg(this.renderScene());
  }

  /** What the observation, action, reward and `info` mean, for prompts and plots. */
  describe(): EnvDescription {
    return describeLunarLander(this.continuous);
  }

  override close(): void {
    this.destroyWorld();
    this.res.free();
    this.needsReset = true;
  }

  private destroyWorld(): void {
    this.particles = [];
    this.res.destroyWorld();
    this.lander = null;
    this.legs = [];
  }
}

const ZERO_CONTINUOUS = [0, 0];

const OPTION_NAMES = ["continuous", "gravity", "enableWind", "windPower", "turbulencePower", "renderMode"];

/**
 * The registry's entry point: LunarLander from keyword arguments, camelCase or Gymnasium's snake_case
 * (`continuous`, `gravity`, `enable_wind`, `wind_power`, `turbulence_power`, `render_mode`).
 */
export function lunarLanderFromKwargs(kwargs: EnvKwargs): LunarLander {
  const name = "LunarLander";
  checkKwargs(name, kwargs, OPTION_NAMES);
  return new LunarLander({
    continuous: boolOption(name, kwargs, "continuous", false),
    gravity: numberOption(name, kwargs, "gravity", -10.0),
    enableWind: boolOption(name, kwargs, "enableWind", false),
    windPower: numberOption(name, kwargs, "windPower", 15.0),
    turbulencePower: numberOption(name, kwargs, "turbulencePower", 1.5),
    renderMode: renderModeOption(name, kwargs),
  });
}
