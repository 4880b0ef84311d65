/**
 * Ant-v5 and Humanoid-v5 (Gymnasium v5 semantics): 3D robots on a free joint, rewarded for moving in +x while
 * healthy, with contact forces in the observation and the reward (from `cfrc_ext`, filled after each step by
 * `mj_rnePostConstraint` as Gymnasium does; zero right after a reset).
 *
 * Ant (105 values): [qpos[2:] 13, qvel 14, clip(cfrc_ext[1:], contact_force_range) 13 x 6];
 *   reward = x_velocity of the main body + healthy_reward - 0.5 sum(a^2) - 5e-4 sum(clip(cfrc_ext)^2);
 *   healthy while the state is finite and 0.2 <= z <= 1 (inclusive).
 * Humanoid (348 values): [qpos[2:] 22, qvel 23, cinert[1:] 13 x 10, cvel[1:] 13 x 6, qfrc_actuator[6:] 17,
 *   cfrc_ext[1:] 13 x 6]; reward = 1.25 * x_velocity of the centre of mass + 5 while healthy - 0.1 sum(ctrl^2)
 *   - clip(5e-7 sum(cfrc_ext^2), -inf, 10); healthy while 1 < z < 2.
 */
import type { EnvKwargs } from "../registration.js";
import { Box } from "../../core/box.js";
import type { Info, StepResult } from "../../core/env.js";
import { MujocoEnv, sumOfSquares } from "./mujoco-env.js";
import { readOptions } from "./options.js";
import type { ViewOptions } from "./render.js";

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
const OBLIQUE: ViewOptions = { projection: "oblique", trackBody: "torso", scale: 110, width: 520, height: 320, groundDepth: 0.6 };

/** Gymnasium's Ant-v5 keyword arguments (camelCase) and defaults. */
export const ANT_DEFAULTS = {
  /** Model name of data/mujoco, path to an .xml file or MJCF text (Gymnasium's `xml_file`). */
  xmlFile: "ant",
  frameSkip: 5,
  forwardRewardWeight: 1,
  ctrlCostWeight: 0.5,
  contactCostWeight: 5e-4,
  healthyReward: 1.0,
  /** The body whose x-y displacement is the forward velocity: an id or a name (Gymnasium's `main_body`). */
  mainBody: 1 as number | string,
  terminateWhenUnhealthy: true,
  healthyZRange: [0.2, 1.0] as readonly [number, number],
  contactForceRange: [-1.0, 1.0] as readonly [number, number],
  resetNoiseScale: 0.1,
  excludeCurrentPositionsFromObservation: true,
  includeCfrcExtInObservation: true,
};
export type AntOptions = typeof ANT_DEFAULTS;

export class AntEnv extends MujocoEnv {
  readonly observationSpace: Box;
  readonly options: AntOptions;
  private readonly mainBody: number;

  constructor(opts: Partial<AntOptions> | EnvKwargs = {}) {
    const o = readOptions("Ant", opts, ANT_DEFAULTS);
    super(o.xmlFile, o.frameSkip);
    this.options = o;
    this.mainBody = this.bodyId(o.mainBody);
    const size = this.nq + this.nv - (o.excludeCurrentPositionsFromObservation ? 2 : 0) + (o.includeCfrcExtInObservation ? 6 * (this.model.nbody - 1) : 0);
    this.observationSpace = new Box(-Infinity, Infinity, [size]);
  }

  protected override get usesConstraintForces(): boolean {
    return true;
  }

  protected override get viewOptions(): ViewOptions {
    return OBLIQUE;
  }

  get isHealthy(): boolean {
    const { qpos, qvel } = this.views;
    for (let i = 0; i < this.nq; i++) if (!Number.isFinite(qpos[i]!)) return false;
    for (let i = 0; i < this.nv; i++) if (!Number.isFinite(qvel[i]!)) return false;
    const [lo, hi] = this.options.healthyZRange;
    return lo <= qpos[2]! && qpos[2]! <= hi;
  }

  protected getObs(): Float32Array {
    const o = this.options;
    const out = new Float32Array(this.observationSpace.size);
    let k = this.writePositionsVelocities(out, o.excludeCurrentPositionsFromObservation ? 2 : 0);
    if (o.includeCfrcExtInObservation) {
      const f = this.array("cfrc_ext");
      const [lo, hi] = o.contactForceRange;
      for (let i = 6; i < f.length; i++) out[k++] = clamp(f[i]!, lo, hi);
    }
    return out;
  }

  protected resetModel(): void {
    this.resetWithNoise(this.options.resetNoiseScale, "normal");
  }

  protected override resetInfo(): Info {
    return this.planarPositionInfo();
  }

  step(action: Float32Array): StepResult<Float32Array> {
    const o = this.options;
    const b = 3 * this.mainBody;
    let xpos = this.array("xpos");
    const x0 = xpos[b]!, y0 = xpos[b + 1]!;
    this.doSimulation(action);
    xpos = this.array("xpos");
    const healthy = this.isHealthy;
    const survive = healthy ? o.healthyReward : 0;
    const ctrlCost = o.ctrlCostWeight * sumOfSquares(action);
    const f = this.array("cfrc_ext");
    const [lo, hi] = o.contactForceRange;
    let contact = 0;
    for (let i = 0; i < f.length; i++) contact += clamp(f[i]!, lo, hi) ** 2;
    const contactCost = o.contactCostWeight * contact;
    const { forward, info } = this.planarStep(x0, y0, xpos[b]!, xpos[b + 1]!, o.forwardRewardWeight, ctrlCost);
    info.reward_contact = -contactCost;
    info.reward_survive = survive;
    return this.result(this.getObs(), forward + survive - ctrlCost - contactCost, !healthy && o.terminateWhenUnhealthy, info);
  }
}

/** Gymnasium's Humanoid-v5 keyword arguments (camelCase) and defaults. */
export const HUMANOID_DEFAULTS = {
  /** Model name of data/mujoco, path to an .xml file or MJCF text (Gymnasium's `xml_file`). */
  xmlFile: "humanoid",
  frameSkip: 5,
  forwardRewardWeight: 1.25,
  ctrlCostWeight: 0.1,
  contactCostWeight: 5e-7,
  contactCostRange: [-Infinity, 10.0] as readonly [number, number],
  healthyReward: 5.0,
  terminateWhenUnhealthy: true,
  healthyZRange: [1.0, 2.0] as readonly [number, number],
  resetNoiseScale: 1e-2,
  excludeCurrentPositionsFromObservation: true,
  includeCinertInObservation: true,
  includeCvelInObservation: true,
  includeQfrcActuatorInObservation: true,
  includeCfrcExtInObservation: true,
};
export type HumanoidOptions = typeof HUMANOID_DEFAULTS;

export class HumanoidEnv extends MujocoEnv {
  readonly observationSpace: Box;
  readonly options: HumanoidOptions;
  private readonly bodyMass: Float64Array;
  private readonly totalMass: number;

  constructor(opts: Partial<HumanoidOptions> | EnvKwargs = {}) {
    const o = readOptions("Humanoid", opts, HUMANOID_DEFAULTS);
    super(o.xmlFile, o.frameSkip);
    this.options = o;
    this.bodyMass = Float64Array.from(this.model.body_mass as Float64Array);
    this.totalMass = this.bodyMass.reduce((a, b) => a + b, 0);
    const bodies = this.model.nbody - 1;
    const size =
      this.nq +
      this.nv -
      (o.excludeCurrentPositionsFromObservation ? 2 : 0) +
      (o.includeCinertInObservation ? 10 * bodies : 0) +
      (o.includeCvelInObservation ? 6 * bodies : 0) +
      (o.includeQfrcActuatorInObservation ? this.nv - 6 : 0) +
      (o.includeCfrcExtInObservation ? 6 * bodies : 0);
    this.observationSpace = new Box(-Infinity, Infinity, [size]);
  }

  protected override get usesConstraintForces(): boolean {
    return true;
  }

  protected override get viewOptions(): ViewOptions {
    return { ...OBLIQUE, scale: 100, height: 300, groundDepth: 0.3 };
  }

  get isHealthy(): boolean {
    const [lo, hi] = this.options.healthyZRange;
    const z = this.views.qpos[2]!;
    return lo < z && z < hi;
  }

  /** The x-y position of the centre of mass (Gymnasium's `mass_center`). */
  massCenter(): [number, number] {
    const p = this.array("xipos");
    let x = 0, y = 0;
    for (let b = 0; b < this.bodyMass.length; b++) {
      x += this.bodyMass[b]! * p[3 * b]!;
      y += this.bodyMass[b]! * p[3 * b + 1]!;
    }
    return [x / this.totalMass, y / this.totalMass];
  }

  protected getObs(): Float32Array {
    const o = this.options;
    const out = new Float32Array(this.observationSpace.size);
    let k = this.writePositionsVelocities(out, o.excludeCurrentPositionsFromObservation ? 2 : 0);
    const put = (a: Float64Array, from: number) => {
      out.set(a.subarray(from), k);
      k += a.length - from;
    };
    if (o.includeCinertInObservation) put(this.array("cinert"), 10);
    if (o.includeCvelInObservation) put(this.array("cvel"), 6);
    if (o.includeQfrcActuatorInObservation) put(this.array("qfrc_actuator"), 6);
    if (o.includeCfrcExtInObservation) put(this.array("cfrc_ext"), 6);
    return out;
  }

  protected resetModel(): void {
    this.resetWithNoise(this.options.resetNoiseScale);
  }

  private positionInfo(): Info {
    return { ...this.planarPositionInfo(), tendon_length: Array.from(this.array("ten_length")), tendon_velocity: Array.from(this.array("ten_velocity")) };
  }

  protected override resetInfo(): Info {
    return this.positionInfo();
  }

  step(action: Float32Array): StepResult<Float32Array> {
    const o = this.options;
    const [x0, y0] = this.massCenter();
    this.doSimulation(action);
    const [x1, y1] = this.massCenter();
    const healthy = this.isHealthy;
    const survive = healthy ? o.healthyReward : 0;
    // Gymnasium's control cost reads data.ctrl (the action as written, before MuJoCo clamps it internally).
    const ctrlCost = o.ctrlCostWeight * sumOfSquares(this.views.ctrl);
    const contactCost = clamp(o.contactCostWeight * sumOfSquares(this.array("cfrc_ext")), o.contactCostRange[0], o.contactCostRange[1]);
    const { forward, info } = this.planarStep(x0, y0, x1, y1, o.forwardRewardWeight, ctrlCost);
    info.reward_survive = survive;
    info.reward_contact = -contactCost;
    return this.result(this.getObs(), forward + survive - ctrlCost - contactCost, !healthy && o.terminateWhenUnhealthy, info);
  }
}
