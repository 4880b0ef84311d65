/**
 * InvertedPendulum-v5 and InvertedDoublePendulum-v5 (Gymnasium v5 semantics): keep the pole(s) up by pushing the cart.
 *
 * InvertedPendulum: observation [cart x, pole angle, cart velocity, pole angular velocity]; reward 1 per step while
 * |angle| <= 0.2 (and the observation is finite), the step where it tips over gets 0 and terminates.
 * InvertedDoublePendulum: observation [cart x, sin(angles), cos(angles), clip(qvel, ±10), clip(cart constraint force,
 * ±10)]; reward = 10 while up - (0.01 x_tip^2 + (y_tip - 2)^2) - (1e-3 w1^2 + 5e-3 w2^2); terminates when the tip's
 * height y_tip <= 1.
 */
import type { EnvKwargs } from "../registration.js";
import { Box } from "../../core/box.js";
import type { StepResult } from "../../core/env.js";
import { MujocoEnv } from "./mujoco-env.js";
import { readOptions } from "./options.js";
import type { ViewOptions } from "./render.js";

/** Gymnasium's InvertedPendulum-v5 keyword arguments (camelCase) and defaults. */
export const INVERTED_PENDULUM_DEFAULTS = {
  /** Model name of data/mujoco, path to an .xml file or MJCF text (Gymnasium's `xml_file`). */
  xmlFile: "inverted_pendulum",
  frameSkip: 2,
  resetNoiseScale: 0.01,
};
export type InvertedPendulumOptions = typeof INVERTED_PENDULUM_DEFAULTS;

const CART_VIEW: ViewOptions = { fixedCenter: 0, scale: 160, width: 400, height: 240, groundDepth: 0.5 };

export class InvertedPendulumEnv extends MujocoEnv {
  readonly observationSpace = new Box(-Infinity, Infinity, [4]);
  readonly resetNoiseScale: number;

  constructor(opts: Partial<InvertedPendulumOptions> | EnvKwargs = {}) {
    const o = readOptions("InvertedPendulum", opts, INVERTED_PENDULUM_DEFAULTS);
    super(o.xmlFile, o.frameSkip);
    this.resetNoiseScale = o.resetNoiseScale;
  }

  protected override get viewOptions(): ViewOptions {
    return CART_VIEW;
  }

  protected getObs(): Float32Array {
    const { qpos, qvel } = this.views;
    return Float32Array.of(qpos[0]!, qpos[1]!, qvel[0]!, qvel[1]!);
  }

  protected resetModel(): void {
    this.resetWithNoise(this.resetNoiseScale);
  }

  step(action: Float32Array): StepResult<Float32Array> {
    this.doSimulation(action);
    const { qpos, qvel } = this.views;
    const finite = Number.isFinite(qpos[0]!) && Number.isFinite(qpos[1]!) && Number.isFinite(qvel[0]!) && Number.isFinite(qvel[1]!);
    const terminated = !finite || Math.abs(qpos[1]!) > 0.2;
    const reward = terminated ? 0 : 1;
    return this.result(this.getObs(), reward, terminated, { reward_survive: reward });
  }
}

/** Gymnasium's InvertedDoublePendulum-v5 keyword arguments (camelCase) and defaults. */
export const INVERTED_DOUBLE_PENDULUM_DEFAULTS = {
  /** Model name of data/mujoco, path to an .xml file or MJCF text (Gymnasium's `xml_file`). */
  xmlFile: "inverted_double_pendulum",
  frameSkip: 5,
  healthyReward: 10.0,
  resetNoiseScale: 0.1,
};
export type InvertedDoublePendulumOptions = typeof INVERTED_DOUBLE_PENDULUM_DEFAULTS;

export class InvertedDoublePendulumEnv extends MujocoEnv {
  readonly observationSpace = new Box(-Infinity, Infinity, [9]);
  readonly healthyReward: number;
  readonly resetNoiseScale: number;

  constructor(opts: Partial<InvertedDoublePendulumOptions> | EnvKwargs = {}) {
    const o = readOptions("InvertedDoublePendulum", opts, INVERTED_DOUBLE_PENDULUM_DEFAULTS);
    super(o.xmlFile, o.frameSkip);
    this.healthyReward = o.healthyReward;
    this.resetNoiseScale = o.resetNoiseScale;
  }

  protected override get viewOptions(): ViewOptions {
    return { ...CART_VIEW, scale: 100, height: 300, groundDepth: 0.4 };
  }

  protected getObs(): Float32Array {
    const { qpos, qvel } = this.views;
    const clip = (v: number) => Math.min(10, Math.max(-10, v));
    const f = this.array("qfrc_constraint");
    return Float32Array.of(
      qpos[0]!,
      Math.sin(qpos[1]!),
      Math.sin(qpos[2]!),
      Math.cos(qpos[1]!),
      Math.cos(qpos[2]!),
      clip(qvel[0]!),
      clip(qvel[1]!),
      clip(qvel[2]!),
      clip(f[0]!),
    );
  }

  protected resetModel(): void {
    this.resetWithNoise(this.resetNoiseScale, "normal");
  }

  step(action: Float32Array): StepResult<Float32Array> {
    this.doSimulation(action);
    const tip = this.array("site_xpos");
    const x = tip[0]!, y = tip[2]!;
    const terminated = y <= 1;
    const qvel = this.views.qvel;
    const v1 = qvel[1]!, v2 = qvel[2]!;
    const distPenalty = 0.01 * x ** 2 + (y - 2) ** 2;
    const velPenalty = 1e-3 * v1 ** 2 + 5e-3 * v2 ** 2;
    const alive = terminated ? 0 : this.healthyReward;
    const info = { reward_survive: alive, distance_penalty: -distPenalty, velocity_penalty: -velPenalty };
    return this.result(this.getObs(), alive - distPenalty - velPenalty, terminated, info);
  }
}
