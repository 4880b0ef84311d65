/**
 * `MujocoEnv`: the shared base of the MuJoCo environments, Gymnasium's `MujocoEnv` semantics.
 *
 * - `model` / `data` are the compiled MjModel and its MjData (Gymnasium's `env.unwrapped.model/data`);
 *   `initQpos` / `initQvel` are the state after `mj_resetData` (the model's reference pose, zero velocity).
 * - The action space comes from the actuators' ctrl ranges; `step` writes the action to `data.ctrl` unclipped
 *   (MuJoCo clamps ctrl-limited actuators itself) and calls `mj_step` `frameSkip` times; `dt = timestep * frameSkip`.
 * - `reset({seed})`: seeds the numpy-compatible generator, `mj_resetData`, then the env's `resetModel()` draws its
 *   noise in Gymnasium's order and sets the state with `mj_forward`, so the same seed gives Gymnasium's initial
 *   qpos/qvel.
 * - `getState()` / `setState()`: qpos, qvel, act, time, the solver's warm start and the generator, enough for a
 *   restored env to continue exactly as the original would (`setState({qpos, qvel})` alone is Gymnasium's
 *   `set_state`).
 * - Observations are Float32Array (the package's Box convention; Gymnasium's are float64 and SB3 casts them).
 */
import type { MjData, MjModel } from "@mujoco/mujoco";
import { BaseEnv } from "../../core/base-env.js";
import { Box } from "../../core/box.js";
import type { Info, ResetOptions, ResetResult, StepResult } from "../../core/env.js";
import { compileModel, mujoco, type MujocoModule } from "./loader.js";
import { sceneOfModel, type ViewOptions } from "./render.js";
import type { Scene } from "../box2d/render/scene.js";
import { sceneToSvg } from "../box2d/render/svg.js";

/** The generator's state as JSON-safe values (128-bit words as decimal strings). */
export interface SerializedRng {
  state: string;
  inc: string;
  hasUint32: boolean;
  uinteger: number;
}

/** Everything a MuJoCo environment needs to continue from a point: physics, solver warm start, generator. */
export interface MujocoState {
  qpos: number[];
  qvel: number[];
  /** Actuator activations (empty for these models: their motors have no dynamics). */
  act?: number[];
  /** Simulation time in seconds. */
  time?: number;
  /** The constraint solver's warm start; without it a restored step differs in the last digits. */
  qaccWarmstart?: number[];
  /** The env's numpy-compatible generator (for the next reset's noise). */
  rng?: SerializedRng;
  /**
   * Body frame and centre-of-mass positions as the last `mj_step` left them: MuJoCo computes them before the step's
   * final integration, and Ant / Humanoid read them as the "before" position of the next step's velocity.
   */
  xpos?: number[];
  xipos?: number[];
}

/** Live views of the MjData arrays the envs read every step. Re-fetched when the wasm memory grows. */
export interface DataViews {
  qpos: Float64Array;
  qvel: Float64Array;
  ctrl: Float64Array;
}

/** The MjData arrays the envs read besides qpos / qvel / ctrl. */
export type DataArray =
  | "act"
  | "qacc_warmstart"
  | "xpos"
  | "xipos"
  | "site_xpos"
  | "cinert"
  | "cvel"
  | "cfrc_ext"
  | "qfrc_actuator"
  | "qfrc_constraint"
  | "ten_length"
  | "ten_velocity";

export abstract class MujocoEnv extends BaseEnv<Float32Array, Float32Array> {
  abstract override readonly observationSpace: Box;
  override readonly actionSpace: Box;
  readonly renderModes = ["svg"] as const;
  readonly mj: MujocoModule;
  readonly model: MjModel;
  readonly data: MjData;
  readonly frameSkip: number;
  /** qpos and qvel after `mj_resetData` (Gymnasium's `init_qpos` / `init_qvel`). */
  readonly initQpos: Float64Array;
  readonly initQvel: Float64Array;
  readonly nq: number;
  readonly nv: number;
  readonly nu: number;
  private viewsCache: DataViews;
  private readonly arrays = new Map<DataArray, Float64Array>();
  private closed = false;

  /**
   * @param modelName a model of data/mujoco (e.g. "hopper") or MJCF text (Gymnasium's `xml_file`).
   * @param frameSkip MuJoCo steps per env step.
   */
  constructor(modelName: string, frameSkip: number) {
    super();
    if (!Number.isInteger(frameSkip) || frameSkip < 1) throw new RangeError(`frameSkip must be a positive integer, got ${frameSkip}`);
    this.mj = mujoco();
    this.model = compileModel(modelName);
    this.data = new this.mj.MjData(this.model);
    this.frameSkip = frameSkip;
    this.dt = this.model.opt.timestep * frameSkip;
    this.nq = this.model.nq;
    this.nv = this.model.nv;
    this.nu = this.model.nu;
    this.viewsCache = this.fetchViews();
    this.initQpos = Float64Array.from(this.viewsCache.qpos);
    this.initQvel = Float64Array.from(this.viewsCache.qvel);
    const range = this.model.actuator_ctrlrange as Float64Array;
    const low = new Float32Array(this.nu), high = new Float32Array(this.nu);
    for (let i = 0; i < this.nu; i++) [low[i], high[i]] = [range[2 * i]!, range[2 * i + 1]!];
    this.actionSpace = new Box(low, high);
  }

  /** Seconds of simulated time per env step: `model.opt.timestep * frameSkip` (read once, at construction). */
  readonly dt: number;

  /** The MjData arrays as typed arrays over the wasm heap (fresh after a memory growth detached them). */
  protected get views(): DataViews {
    if (this.viewsCache.qpos.length === 0 || this.closed) this.viewsCache = this.fetchViews();
    return this.viewsCache;
  }

  /** Any other MjData array (xpos, cfrc_ext, ...), as a cached view over the wasm heap. */
  protected array(name: DataArray): Float64Array {
    let a = this.arrays.get(name);
    if (a === undefined || a.length === 0 || this.closed) {
      if (this.closed) throw new Error(`${this.constructor.name}: the environment is closed`);
      a = this.data[name] as Float64Array;
      this.arrays.set(name, a);
    }
    return a;
  }

  /** The id of a body by name (or a body id, checked), as Gymnasium's `data.body(name)` finds it. */
  protected bodyId(body: string | number): number {
    const id = typeof body === "number" ? body : this.mj.mj_name2id(this.model, this.mj.mjtObj.mjOBJ_BODY.value, body);
    if (!Number.isInteger(id) || id < 0 || id >= this.model.nbody) throw new Error(`${this.constructor.name}: no body ${JSON.stringify(body)} in the model`);
    return id;
  }

  private fetchViews(): DataViews {
    if (this.closed) throw new Error(`${this.constructor.name}: the environment is closed`);
    return { qpos: this.data.qpos, qvel: this.data.qvel, ctrl: this.data.ctrl };
  }

  /** Applies `action` as the controls and advances `frameSkip` MuJoCo steps (Gymnasium's `do_simulation`). */
  protected doSimulation(action: ArrayLike<number>): void {
    if (action.length !== this.nu) throw new RangeError(`${this.constructor.name}: action has ${action.length} values, expected ${this.nu}`);
    const ctrl = this.views.ctrl;
    for (let i = 0; i < this.nu; i++) ctrl[i] = action[i]!;
    const { mj, model, data } = this;
    for (let i = 0; i < this.frameSkip; i++) mj.mj_step(model, data);
    if (this.usesConstraintForces) mj.mj_rnePostConstraint(model, data);
  }

  /**
   * Whether observations read `cfrc_ext` (contact forces), which `mj_rnePostConstraint` fills after a step as
   * Gymnasium does. Only Ant and Humanoid do; the others skip the call (it changes no state).
   */
  protected get usesConstraintForces(): boolean {
    return false;
  }

  override reset(opts?: ResetOptions): ResetResult<Float32Array> {
    this.seedFrom(opts);
    this.mj.mj_resetData(this.model, this.data);
    this.resetModel();
    return { obs: this.getObs(), info: this.resetInfo() };
  }

  /** Draws the initial state's noise from `npRandom` in Gymnasium's order and sets it (Gymnasium's `reset_model`). */
  protected abstract resetModel(): void;
  /** The observation of the current state. */
  protected abstract getObs(): Float32Array;
  /** The `info` of `reset` (Gymnasium's `_get_reset_info`). */
  protected resetInfo(): Info {
    return {};
  }

  /**
   * Gymnasium's usual `reset_model`: qpos = init + uniform(-scale, scale) per coordinate, then qvel = init +
   * uniform(-scale, scale) or, for `velocity: "normal"`, init + scale * standard_normal; then `set_state`.
   */
  protected resetWithNoise(scale: number, velocity: "uniform" | "normal" = "uniform"): void {
    const qpos = this.uniformNoise(this.initQpos, scale);
    const qvel = velocity === "uniform" ? this.uniformNoise(this.initQvel, scale) : this.normalNoise(this.initQvel, scale);
    this.setState({ qpos: Array.from(qpos), qvel: Array.from(qvel) });
  }

  /**
   * Writes `[qpos[skip:], qvel]` (velocities clipped to +-`clip` when given) at the start of `out`; returns the
   * index after them (where Ant and Humanoid append their contact terms).
   */
  protected writePositionsVelocities(out: Float32Array, skip: number, clip?: number): number {
    const { qpos, qvel } = this.views;
    out.set(qpos.subarray(skip));
    let k = this.nq - skip;
    if (clip === undefined) out.set(qvel, k);
    else for (let i = 0; i < this.nv; i++) out[k + i] = Math.min(clip, Math.max(-clip, qvel[i]!));
    return k + this.nv;
  }

  /** `x_position`, `y_position`, `distance_from_origin` of the root (Swimmer, Ant, Humanoid). */
  protected planarPositionInfo(): Info {
    const q = this.views.qpos;
    return { x_position: q[0]!, y_position: q[1]!, distance_from_origin: norm2(q[0]!, q[1]!) };
  }

  /**
   * The step terms the planar robots share (Swimmer, Ant, Humanoid): the velocity of the point that moved from
   * (x0, y0) to (x1, y1) during the step, the forward reward `forwardRewardWeight * x_velocity`, and the info
   * entries Gymnasium reports for them (the env's position entries, `resetInfo()`, then velocities,
   * `reward_forward`, `reward_ctrl`).
   */
  protected planarStep(x0: number, y0: number, x1: number, y1: number, forwardRewardWeight: number, ctrlCost: number): { forward: number; info: Info } {
    const xVelocity = (x1 - x0) / this.dt, yVelocity = (y1 - y0) / this.dt;
    const forward = forwardRewardWeight * xVelocity;
    const info: Info = { ...this.resetInfo(), x_velocity: xVelocity, y_velocity: yVelocity, reward_forward: forward, reward_ctrl: -ctrlCost };
    return { forward, info };
  }

  /** `init + uniform(-scale, scale)` per coordinate, one draw each in index order (numpy's `uniform(size=n)`). */
  protected uniformNoise(init: Float64Array, scale: number): Float64Array {
    const out = new Float64Array(init.length);
    const rng = this.npRandom;
    for (let i = 0; i < init.length; i++) out[i] = init[i]! + rng.uniform(-scale, scale);
    return out;
  }

  /** `init + scale * standard_normal(n)`, in index order. */
  protected normalNoise(init: Float64Array, scale: number): Float64Array {
    const out = new Float64Array(init.length);
    const rng = this.npRandom;
    for (let i = 0; i < init.length; i++) out[i] = init[i]! + scale * rng.standardNormal();
    return out;
  }

  /** The current state, JSON-safe: restore it with `setState` on this env or another of the same id and options. */
  getState(): MujocoState {
    const { qpos, qvel } = this.views;
    const g = this.npRandom.bitGenerator.getState();
    return {
      qpos: Array.from(qpos),
      qvel: Array.from(qvel),
      act: Array.from(this.array("act")),
      time: this.data.time,
      qaccWarmstart: Array.from(this.array("qacc_warmstart")),
      rng: { state: g.state.toString(), inc: g.inc.toString(), hasUint32: g.hasUint32, uinteger: g.uinteger },
      xpos: Array.from(this.array("xpos")),
      xipos: Array.from(this.array("xipos")),
    };
  }

  /**
   * Restores a state from `getState()`; with only `qpos` and `qvel` it is Gymnasium's `set_state` (the rest of the
   * physics as after `mj_resetData` plus those, `mj_forward` to update positions and contacts). Given `xpos` / `xipos`,
   * those are put back after `mj_forward`, as the last step had left them.
   */
  setState(state: MujocoState): void {
    const { qpos, qvel } = this.views;
    checkLength("qpos", state.qpos, this.nq);
    checkLength("qvel", state.qvel, this.nv);
    qpos.set(state.qpos);
    qvel.set(state.qvel);
    const act = this.array("act");
    if (state.act !== undefined) {
      checkLength("act", state.act, act.length);
      act.set(state.act);
    }
    if (state.time !== undefined) this.data.time = state.time;
    if (state.qaccWarmstart !== undefined) {
      const warm = this.array("qacc_warmstart");
      checkLength("qaccWarmstart", state.qaccWarmstart, warm.length);
      warm.set(state.qaccWarmstart);
    }
    if (state.rng !== undefined) {
      const r = state.rng;
      this.npRandom.bitGenerator.setState({ state: BigInt(r.state), inc: BigInt(r.inc), hasUint32: r.hasUint32, uinteger: r.uinteger });
    }
    this.mj.mj_forward(this.model, this.data);
    for (const name of ["xpos", "xipos"] as const) {
      const values = state[name];
      if (values === undefined) continue;
      const view = this.array(name);
      checkLength(name, values, view.length);
      view.set(values);
    }
  }

  /** qpos then qvel (Gymnasium's `state_vector()`). */
  stateVector(): Float64Array {
    const { qpos, qvel } = this.views;
    const out = new Float64Array(this.nq + this.nv);
    out.set(qpos);
    out.set(qvel, this.nq);
    return out;
  }

  /** How the side view is framed (overridden per env: the body the camera follows, scale, height). */
  protected get viewOptions(): ViewOptions {
    return {};
  }

  /** The current picture as data (for `episodeAnimation` and `recordEpisode`). */
  renderScene(): Scene {
    if (this.closed) throw new Error(`${this.constructor.name}: the environment is closed`);
    return sceneOfModel(this.mj, this.model, this.data, this.viewOptions);
  }

  /** A side view of the geoms as an SVG document. */
  render(): string {
    return sceneToSvg(this.renderScene());
  }

  /** Frees the model and data on the wasm heap; further use throws. Safe to call twice. */
  override close(): void {
    if (this.closed) return;
    this.closed = true;
    this.data.delete();
    this.model.delete();
  }

  /** Builds a step result (rewards and info computed by the env). */
  protected result(obs: Float32Array, reward: number, terminated: boolean, info: Info): StepResult<Float32Array> {
    return { obs, reward, terminated, truncated: false, info };
  }
}

function checkLength(name: string, values: ArrayLike<number>, n: number): void {
  if (values === undefined || values.length !== n) {
    throw new RangeError(`setState: ${name} must have ${n} values, got ${values === undefined ? "none" : values.length}`);
  }
}

/** numpy's `linalg.norm` of a 2-vector: sqrt of the dot product (not `Math.hypot`, which rounds differently). */
export const norm2 = (x: number, y: number) => Math.sqrt(x * x + y * y);

/** The sum of squares of an action (the control cost's norm). */
export function sumOfSquares(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * a[i]!;
  return s;
}
