/**
 * Pendulum-v1, as Gymnasium 1.0 implements it: swing a frictionless pendulum up and keep it upright by
 * applying a torque in [-2, 2]. Same constants, semi-implicit Euler step, velocity clipping, cost and
 * reset distribution; float64 state in numpy's order of operations, float32 observation.
 */
import type { EnvDescription, ResetOptions, ResetResult, StepResult } from "../../core/env.js";
import { BaseEnv, optionNumber } from "../../core/base-env.js";
import { Box } from "../../core/box.js";
import { pendulumSvg } from "./render.js";
import { pyMod, scalarAction } from "./action.js";

export interface PendulumOptions {
  /** Gravity (Gymnasium's `g`), default 10. */
  g?: number;
}

const MAX_SPEED = 8;
const MAX_TORQUE = 2.0;
const DT = 0.05;
const MASS = 1.0;
const LENGTH = 1.0;

/** Wraps an angle into [-pi, pi) as Gymnasium's `angle_normalize`. */
export function angleNormalize(x: number): number {
  return pyMod(x + Math.PI, 2 * Math.PI) - Math.PI;
}

export class PendulumEnv extends BaseEnv<Float32Array, Float32Array> {
  readonly observationSpace = new Box([-1, -1, -MAX_SPEED], [1, 1, MAX_SPEED]);
  readonly actionSpace = new Box(-MAX_TORQUE, MAX_TORQUE, [1]);
  /** The float64 state [theta, theta_dot]; undefined before the first reset. */
  state: Float64Array | undefined;
  /** The last applied (clipped) torque, for rendering. */
  lastU: number | undefined;
  readonly g: number;

  constructor(opts: PendulumOptions = {}) {
    super();
    this.g = opts.g ?? 10.0;
    if (typeof this.g !== "number" || !Number.isFinite(this.g)) throw new TypeError(`Pendulum: g must be a finite number, got ${String(opts.g)}`);
  }

  reset(opts?: ResetOptions): ResetResult<Float32Array> {
    this.seedFrom(opts);
    const o = opts?.options;
    const x = o === undefined ? Math.PI : optionNumber(o, "x_init", Math.PI);
    const y = o === undefined ? 1.0 : optionNumber(o, "y_init", 1.0);
    this.state = this.npRandom.uniform([-x, -y], [x, y]);
    this.lastU = undefined;
    return { obs: this.observe(), info: {} };
  }

  step(action: Float32Array | number[]): StepResult<Float32Array> {
    const s = this.state;
    if (s === undefined) throw new Error("Pendulum: call reset() before step()");
    const th = s[0]!, thdot = s[1]!;
    const g = this.g;
    const u = Math.min(Math.max(scalarAction("Pendulum", action), -MAX_TORQUE), MAX_TORQUE);
    this.lastU = u;
    const an = angleNormalize(th);
    const costs = an * an + 0.1 * (thdot * thdot) + 0.001 * (u * u);
    let newthdot = thdot + (((3 * g) / (2 * LENGTH)) * Math.sin(th) + (3.0 / (MASS * (LENGTH * LENGTH))) * u) * DT;
    newthdot = Math.min(Math.max(newthdot, -MAX_SPEED), MAX_SPEED);
    s[0] = th + newthdot * DT;
    s[1] = newthdot;
    return { obs: this.observe(), reward: -costs, terminated: false, truncated: false, info: {} };
  }

  private observe(): Float32Array {
    const s = this.state!;
    const out = new Float32Array(3);
    out[0] = Math.cos(s[0]!);
    out[1] = Math.sin(s[0]!);
    out[2] = s[1]!;
    return out;
  }

  readonly renderModes = ["svg"] as const;

  /** An SVG picture of the pendulum and the last torque. */
  render(): string {
    if (this.state === undefined) throw new Error("Pendulum: call reset() before render()");
    return pendulumSvg(this.state[0]!, this.lastU);
  }
}

export function describePendulum(): EnvDescription {
  return {
    id: "Pendulum-v1",
    summary:
      "A frictionless pendulum is attached at one end to a fixed point. It starts at a random angle and the agent applies " +
      "a torque to its free end to swing it up and keep it upright (theta = 0 is upright).",
    observation: [
      { name: "cos_theta", index: [0, 1], description: "cosine of the pendulum angle (1 = upright)", low: -1, high: 1 },
      { name: "sin_theta", index: [1, 2], description: "sine of the pendulum angle", low: -1, high: 1 },
      { name: "angular_velocity", index: [2, 3], description: "angular velocity", unit: "rad/s", low: -8, high: 8 },
    ],
    action: [{ name: "torque", index: [0, 1], description: "torque applied to the free end (clipped to ±2)", unit: "N·m", low: -2, high: 2 }],
    reward: "-(theta^2 + 0.1 * theta_dot^2 + 0.001 * torque^2), theta normalised to [-pi, pi); 0 at best, about -16.3 at worst.",
    termination: "Never terminates; truncated after 200 steps.",
  };
}
