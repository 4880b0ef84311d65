/**
 * Hopper-v5 and Walker2d-v5 (Gymnasium v5 semantics): planar robots rewarded for moving forward while staying
 * healthy.
 *
 *   reward = forward_reward_weight * x_velocity + healthy_reward * is_healthy - ctrl_cost_weight * sum(action^2)
 *   observation = [qpos[1:] (or all of qpos), clip(qvel, -10, 10)]           Hopper 11, Walker2d 17 values
 *   terminated = not is_healthy (when terminate_when_unhealthy)
 *
 * Hopper is healthy while z > 0.7, |torso angle| < 0.2 and every value of [qpos[2:], qvel] is inside
 * (-100, 100); Walker2d while 0.8 < z < 2 and |angle| < 1 (all bounds strict, as Gymnasium's).
 */
import type { EnvKwargs } from "../registration.js";
import { Box } from "../../core/box.js";
import type { Info, StepResult } from "../../core/env.js";
import { MujocoEnv, sumOfSquares } from "./mujoco-env.js";
import { readOptions } from "./options.js";
import type { ViewOptions } from "./render.js";

/** Gymnasium's Walker2d-v5 keyword arguments (camelCase) and defaults. */
export const WALKER2D_DEFAULTS = {
  /** Model name of data/mujoco, path to an .xml file or MJCF text (Gymnasium's `xml_file`). */
  xmlFile: "walker2d",
  frameSkip: 4,
  forwardRewardWeight: 1.0,
  ctrlCostWeight: 1e-3,
  healthyReward: 1.0,
  terminateWhenUnhealthy: true,
  healthyZRange: [0.8, 2.0] as readonly [number, number],
  healthyAngleRange: [-1.0, 1.0] as readonly [number, number],
  resetNoiseScale: 5e-3,
  excludeCurrentPositionsFromObservation: true,
};
export type Walker2dOptions = typeof WALKER2D_DEFAULTS;

/** Gymnasium's Hopper-v5 keyword arguments (camelCase) and defaults. */
export const HOPPER_DEFAULTS = {
  ...WALKER2D_DEFAULTS,
  xmlFile: "hopper",
  healthyStateRange: [-100.0, 100.0] as readonly [number, number],
  healthyZRange: [0.7, Infinity] as readonly [number, number],
  healthyAngleRange: [-0.2, 0.2] as readonly [number, number],
};
export type HopperOptions = typeof HOPPER_DEFAULTS;

/** The shared step of Hopper and Walker2d. */
abstract class PlanarWalker extends MujocoEnv {
  readonly observationSpace: Box;
  readonly forwardRewardWeight: number;
  readonly ctrlCostWeight: number;
  readonly healthyReward: number;
  readonly terminateWhenUnhealthy: boolean;
  readonly healthyZRange: readonly [number, number];
  readonly healthyAngleRange: readonly [number, number];
  readonly resetNoiseScale: number;
  readonly excludeCurrentPositionsFromObservation: boolean;

  constructor(o: Walker2dOptions) {
    super(o.xmlFile, o.frameSkip);
    this.forwardRewardWeight = o.forwardRewardWeight;
    this.ctrlCostWeight = o.ctrlCostWeight;
    this.healthyReward = o.healthyReward;
    this.terminateWhenUnhealthy = o.terminateWhenUnhealthy;
    this.healthyZRange = o.healthyZRange;
    this.healthyAngleRange = o.healthyAngleRange;
    this.resetNoiseScale = o.resetNoiseScale;
    this.excludeCurrentPositionsFromObservation = o.excludeCurrentPositionsFromObservation;
    const size = this.nq + this.nv - (o.excludeCurrentPositionsFromObservation ? 1 : 0);
    this.observationSpace = new Box(-Infinity, Infinity, [size]);
  }

  /** Gymnasium's `is_healthy`. */
  abstract get isHealthy(): boolean;

  protected override get viewOptions(): ViewOptions {
    return { trackBody: "torso", scale: 150, width: 480, height: 320 };
  }

  protected getObs(): Float32Array {
    const out = new Float32Array(this.observationSpace.size);
    this.writePositionsVelocities(out, this.excludeCurrentPositionsFromObservation ? 1 : 0, 10);
    return out;
  }

  protected resetModel(): void {
    this.resetWithNoise(this.resetNoiseScale);
  }

  protected override resetInfo(): Info {
    const qpos = this.views.qpos;
    return { x_position: qpos[0]!, z_distance_from_origin: qpos[1]! - this.initQpos[1]! };
  }

  step(action: Float32Array): StepResult<Float32Array> {
    const qpos = this.views.qpos;
    const xBefore = qpos[0]!;
    this.doSimulation(action);
    const q = this.views.qpos;
    const xAfter = q[0]!;
    const xVelocity = (xAfter - xBefore) / this.dt;
    const healthy = this.isHealthy;
    const forward = this.forwardRewardWeight * xVelocity;
    const survive = healthy ? this.healthyReward : 0;
    const ctrlCost = this.ctrlCostWeight * sumOfSquares(action);
    const reward = forward + survive - ctrlCost;
    const info: Info = {
      x_position: xAfter,
      z_distance_from_origin: q[1]! - this.initQpos[1]!,
      x_velocity: xVelocity,
      reward_forward: forward,
      reward_ctrl: -ctrlCost,
      reward_survive: survive,
    };
    return this.result(this.getObs(), reward, !healthy && this.terminateWhenUnhealthy, info);
  }
}

const inside = (v: number, [lo, hi]: readonly [number, number]) => lo < v && v < hi;

export class HopperEnv extends PlanarWalker {
  readonly healthyStateRange: readonly [number, number];

  /** Options: Gymnasium's keyword arguments in camelCase (`HOPPER_DEFAULTS`); snake_case is accepted too. */
  constructor(opts: Partial<HopperOptions> | EnvKwargs = {}) {
    const o = readOptions("Hopper", opts, HOPPER_DEFAULTS);
    super(o);
    this.healthyStateRange = o.healthyStateRange;
  }

  get isHealthy(): boolean {
    const { qpos, qvel } = this.views;
    if (!inside(qpos[1]!, this.healthyZRange) || !inside(qpos[2]!, this.healthyAngleRange)) return false;
    // every value of state_vector()[2:]: qpos[2:] then all of qvel
    for (let i = 2; i < this.nq; i++) if (!inside(qpos[i]!, this.healthyStateRange)) return false;
    for (let i = 0; i < this.nv; i++) if (!inside(qvel[i]!, this.healthyStateRange)) return false;
    return true;
  }
}

export class Walker2dEnv extends PlanarWalker {
  /** Options: Gymnasium's keyword arguments in camelCase (`WALKER2D_DEFAULTS`); snake_case is accepted too. */
  constructor(opts: Partial<Walker2dOptions> | EnvKwargs = {}) {
    super(readOptions("Walker2d", opts, WALKER2D_DEFAULTS));
  }

  get isHealthy(): boolean {
    const qpos = this.views.qpos;
    return inside(qpos[1]!, this.healthyZRange) && inside(qpos[2]!, this.healthyAngleRange);
  }
}
