/**
 * HalfCheetah-v5 (Gymnasium v5 semantics): a planar runner rewarded for forward speed; it never terminates
 * (TimeLimit 1000 ends its episodes).
 *
 *   reward = forward_reward_weight * x_velocity - ctrl_cost_weight * sum(action^2)
 *   observation = [qpos[1:] (or all of qpos), qvel]                          17 values (velocities unclipped)
 *   reset: qpos = init + uniform(-0.1, 0.1), then qvel = init + 0.1 * standard_normal
 */
import type { EnvKwargs } from "../registration.js";
import { Box } from "../../core/box.js";
import type { Info, StepResult } from "../../core/env.js";
import { MujocoEnv, sumOfSquares } from "./mujoco-env.js";
import { readOptions } from "./options.js";
import type { ViewOptions } from "./render.js";

/** Gymnasium's HalfCheetah-v5 keyword arguments (camelCase) and defaults. */
export const HALF_CHEETAH_DEFAULTS = {
  /** Model name of data/mujoco, path to an .xml file or MJCF text (Gymnasium's `xml_file`). */
  xmlFile: "half_cheetah",
  frameSkip: 5,
  forwardRewardWeight: 1.0,
  ctrlCostWeight: 0.1,
  resetNoiseScale: 0.1,
  excludeCurrentPositionsFromObservation: true,
};
export type HalfCheetahOptions = typeof HALF_CHEETAH_DEFAULTS;

export class HalfCheetahEnv extends MujocoEnv {
  readonly observationSpace: Box;
  readonly forwardRewardWeight: number;
  readonly ctrlCostWeight: number;
  readonly resetNoiseScale: number;
  readonly excludeCurrentPositionsFromObservation: boolean;

  /** Options: Gymnasium's keyword arguments in camelCase (`HALF_CHEETAH_DEFAULTS`); snake_case is accepted too. */
  constructor(opts: Partial<HalfCheetahOptions> | EnvKwargs = {}) {
    const o = readOptions("HalfCheetah", opts, HALF_CHEETAH_DEFAULTS);
    super(o.xmlFile, o.frameSkip);
    this.forwardRewardWeight = o.forwardRewardWeight;
    this.ctrlCostWeight = o.ctrlCostWeight;
    this.resetNoiseScale = o.resetNoiseScale;
    this.excludeCurrentPositionsFromObservation = o.excludeCurrentPositionsFromObservation;
    this.observationSpace = new Box(-Infinity, Infinity, [this.nq + this.nv - (o.excludeCurrentPositionsFromObservation ? 1 : 0)]);
  }

  protected override get viewOptions(): ViewOptions {
    return { trackBody: "torso", scale: 150, width: 480, height: 240 };
  }

  protected getObs(): Float32Array {
    const out = new Float32Array(this.observationSpace.size);
    this.writePositionsVelocities(out, this.excludeCurrentPositionsFromObservation ? 1 : 0);
    return out;
  }

  protected resetModel(): void {
    this.resetWithNoise(this.resetNoiseScale, "normal");
  }

  protected override resetInfo(): Info {
    return { x_position: this.views.qpos[0]! };
  }

  step(action: Float32Array): StepResult<Float32Array> {
    const xBefore = this.views.qpos[0]!;
    this.doSimulation(action);
    const xAfter = this.views.qpos[0]!;
    const xVelocity = (xAfter - xBefore) / this.dt;
    const forward = this.forwardRewardWeight * xVelocity;
    const ctrlCost = this.ctrlCostWeight * sumOfSquares(action);
    const info: Info = { x_position: xAfter, x_velocity: xVelocity, reward_forward: forward, reward_ctrl: -ctrlCost };
    return this.result(this.getObs(), forward - ctrlCost, false, info);
  }
}
