/**
 * Swimmer-v5 and Reacher-v5 (Gymnasium v5 semantics): the two robots that move in the horizontal plane (drawn from
 * above).
 *
 * Swimmer: observation [qpos[2:] (or all of qpos), qvel] (8 values); reward = forward_reward_weight * x_velocity -
 * ctrl_cost_weight * sum(action^2); never terminates.
 * Reacher: observation [cos(q0), cos(q1), sin(q0), sin(q1), target x, target y, w0, w1, fingertip - target (x, y)]
 * (10 values); reward = -reward_dist_weight * |fingertip - target| - reward_control_weight * sum(action^2); never
 * terminates (TimeLimit 50).
 */
import type { EnvKwargs } from "../registration.js";
import { Box } from "../../core/box.js";
import type { Info, StepResult } from "../../core/env.js";
import { MujocoEnv, norm2, sumOfSquares } from "./mujoco-env.js";
import { readOptions } from "./options.js";
import type { ViewOptions } from "./render.js";

/** Gymnasium's Swimmer-v5 keyword arguments (camelCase) and defaults. */
export const SWIMMER_DEFAULTS = {
  /** Model name of data/mujoco, path to an .xml file or MJCF text (Gymnasium's `xml_file`). */
  xmlFile: "swimmer",
  frameSkip: 4,
  forwardRewardWeight: 1.0,
  ctrlCostWeight: 1e-4,
  resetNoiseScale: 0.1,
  excludeCurrentPositionsFromObservation: true,
};
export type SwimmerOptions = typeof SWIMMER_DEFAULTS;

export class SwimmerEnv extends MujocoEnv {
  readonly observationSpace: Box;
  readonly forwardRewardWeight: number;
  readonly ctrlCostWeight: number;
  readonly resetNoiseScale: number;
  readonly excludeCurrentPositionsFromObservation: boolean;

  constructor(opts: Partial<SwimmerOptions> | EnvKwargs = {}) {
    const o = readOptions("Swimmer", opts, SWIMMER_DEFAULTS);
    super(o.xmlFile, o.frameSkip);
    this.forwardRewardWeight = o.forwardRewardWeight;
    this.ctrlCostWeight = o.ctrlCostWeight;
    this.resetNoiseScale = o.resetNoiseScale;
    this.excludeCurrentPositionsFromObservation = o.excludeCurrentPositionsFromObservation;
    this.observationSpace = new Box(-Infinity, Infinity, [this.nq + this.nv - (o.excludeCurrentPositionsFromObservation ? 2 : 0)]);
  }

  protected override get viewOptions(): ViewOptions {
    return { projection: "top", trackBody: "mid", scale: 80, width: 480, height: 320 };
  }

  protected getObs(): Float32Array {
    const out = new Float32Array(this.observationSpace.size);
    this.writePositionsVelocities(out, this.excludeCurrentPositionsFromObservation ? 2 : 0);
    return out;
  }

  protected resetModel(): void {
    this.resetWithNoise(this.resetNoiseScale);
  }

  protected override resetInfo(): Info {
    return this.planarPositionInfo();
  }

  step(action: Float32Array): StepResult<Float32Array> {
    const q0 = this.views.qpos;
    const x0 = q0[0]!, y0 = q0[1]!;
    this.doSimulation(action);
    const q = this.views.qpos;
    const ctrlCost = this.ctrlCostWeight * sumOfSquares(action);
    const { forward, info } = this.planarStep(x0, y0, q[0]!, q[1]!, this.forwardRewardWeight, ctrlCost);
    return this.result(this.getObs(), forward - ctrlCost, false, info);
  }
}

/** Gymnasium's Reacher-v5 keyword arguments (camelCase) and defaults. */
export const REACHER_DEFAULTS = {
  /** Model name of data/mujoco, path to an .xml file or MJCF text (Gymnasium's `xml_file`). */
  xmlFile: "reacher",
  frameSkip: 2,
  rewardDistWeight: 1,
  rewardControlWeight: 1,
};
export type ReacherOptions = typeof REACHER_DEFAULTS;

export class ReacherEnv extends MujocoEnv {
  readonly observationSpace = new Box(-Infinity, Infinity, [10]);
  readonly rewardDistWeight: number;
  readonly rewardControlWeight: number;
  private readonly fingertip: number;
  private readonly target: number;
  /** The target position drawn at the last reset (Gymnasium's `goal`). */
  goal: [number, number] = [0, 0];

  constructor(opts: Partial<ReacherOptions> | EnvKwargs = {}) {
    const o = readOptions("Reacher", opts, REACHER_DEFAULTS);
    super(o.xmlFile, o.frameSkip);
    this.rewardDistWeight = o.rewardDistWeight;
    this.rewardControlWeight = o.rewardControlWeight;
    this.fingertip = this.bodyId("fingertip");
    this.target = this.bodyId("target");
  }

  protected override get viewOptions(): ViewOptions {
    return { projection: "top", fixedCenter: 0, scale: 500, width: 360, height: 360 };
  }

  /** fingertip - target, world x, y, z (Gymnasium's `get_body_com("fingertip") - get_body_com("target")`). */
  private tipToTarget(): [number, number, number] {
    const x = this.array("xpos"), f = 3 * this.fingertip, t = 3 * this.target;
    return [x[f]! - x[t]!, x[f + 1]! - x[t + 1]!, x[f + 2]! - x[t + 2]!];
  }

  protected getObs(): Float32Array {
    const { qpos, qvel } = this.views;
    const [dx, dy] = this.tipToTarget();
    return Float32Array.of(
      Math.cos(qpos[0]!),
      Math.cos(qpos[1]!),
      Math.sin(qpos[0]!),
      Math.sin(qpos[1]!),
      qpos[2]!,
      qpos[3]!,
      qvel[0]!,
      qvel[1]!,
      dx,
      dy,
    );
  }

  protected resetModel(): void {
    const rng = this.npRandom;
    const qpos = this.uniformNoise(this.initQpos, 0.1);
    // Gymnasium draws uniform(-0.2, 0.2, size=2) until the goal lies inside the 0.2 circle.
    for (;;) {
      this.goal = [rng.uniform(-0.2, 0.2), rng.uniform(-0.2, 0.2)];
      if (norm2(this.goal[0], this.goal[1]) < 0.2) break;
    }
    qpos[this.nq - 2] = this.goal[0];
    qpos[this.nq - 1] = this.goal[1];
    const qvel = this.uniformNoise(this.initQvel, 0.005);
    qvel[this.nv - 2] = 0;
    qvel[this.nv - 1] = 0;
    this.setState({ qpos: Array.from(qpos), qvel: Array.from(qvel) });
  }

  step(action: Float32Array): StepResult<Float32Array> {
    this.doSimulation(action);
    const [dx, dy, dz] = this.tipToTarget();
    const rewardDist = -Math.sqrt(dx * dx + dy * dy + dz * dz) * this.rewardDistWeight;
    const rewardCtrl = -sumOfSquares(action) * this.rewardControlWeight;
    return this.result(this.getObs(), rewardDist + rewardCtrl, false, { reward_dist: rewardDist, reward_ctrl: rewardCtrl });
  }
}
