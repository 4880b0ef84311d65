/**
 * Acrobot-v1 (Sutton 1996; RLPy's dynamics, "book" variant), as Gymnasium 1.0 implements it: two links
 * hanging from a pivot, torque applied at the joint between them; swing the free end above the bar.
 * One step integrates the equations of motion over 0.2 s with a single classical RK4 step, then wraps
 * the angles and bounds the velocities, in numpy's order of operations.
 */
import type { EnvDescription, ResetOptions, ResetResult, StepResult } from "../../core/env.js";
import { BaseEnv, resetBounds } from "../../core/base-env.js";
import { Box } from "../../core/box.js";
import { acrobotSvg } from "./render.js";
import { Discrete } from "../../core/discrete.js";

const DT = 0.2;
const LINK_LENGTH_1 = 1.0;
const LINK_MASS_1 = 1.0;
const LINK_MASS_2 = 1.0;
const LINK_COM_POS_1 = 0.5;
const LINK_COM_POS_2 = 0.5;
const LINK_MOI = 1.0;
const MAX_VEL_1 = 4 * Math.PI;
const MAX_VEL_2 = 9 * Math.PI;
const AVAIL_TORQUE = [-1.0, 0.0, 1] as const;
const G = 9.8;

/** Time derivatives of [theta1, theta2, dtheta1, dtheta2] under torque `a`, written into `out`. */
function dsdt(theta1: number, theta2: number, dtheta1: number, dtheta2: number, a: number, out: Float64Array): void {
  const m1 = LINK_MASS_1, m2 = LINK_MASS_2, l1 = LINK_LENGTH_1, lc1 = LINK_COM_POS_1, lc2 = LINK_COM_POS_2;
  const I1 = LINK_MOI, I2 = LINK_MOI;
  const cos2 = Math.cos(theta2), sin2 = Math.sin(theta2);
  const d1 = m1 * (lc1 * lc1) + m2 * (l1 * l1 + lc2 * lc2 + 2 * l1 * lc2 * cos2) + I1 + I2;
  const d2 = m2 * (lc2 * lc2 + l1 * lc2 * cos2) + I2;
  const phi2 = m2 * lc2 * G * Math.cos(theta1 + theta2 - Math.PI / 2.0);
  const phi1 =
    -m2 * l1 * lc2 * (dtheta2 * dtheta2) * sin2 -
    2 * m2 * l1 * lc2 * dtheta2 * dtheta1 * sin2 +
    (m1 * lc1 + m2 * l1) * G * Math.cos(theta1 - Math.PI / 2) +
    phi2;
  const ddtheta2 =
    (a + (d2 / d1) * phi1 - m2 * l1 * lc2 * (dtheta1 * dtheta1) * sin2 - phi2) / (m2 * (lc2 * lc2) + I2 - (d2 * d2) / d1);
  const ddtheta1 = -(d2 * ddtheta2 + phi1) / d1;
  out[0] = dtheta1;
  out[1] = dtheta2;
  out[2] = ddtheta1;
  out[3] = ddtheta2;
}

/** Gymnasium's `wrap`: shifts x by whole periods until it lies in [m, M]. */
function wrap(x: number, m: number, M: number): number {
  const diff = M - m;
  while (x > M) x = x - diff;
  while (x < m) x = x + diff;
  return x;
}

export class AcrobotEnv extends BaseEnv<Float32Array, number> {
  readonly observationSpace = new Box([-1, -1, -1, -1, -MAX_VEL_1, -MAX_VEL_2], [1, 1, 1, 1, MAX_VEL_1, MAX_VEL_2]);
  readonly actionSpace = new Discrete(3);
  /** The state [theta1, theta2, dtheta1, dtheta2] (float32 values after reset, float64 after a step). */
  state: Float64Array | undefined;
  private readonly k1 = new Float64Array(4);
  private readonly k2 = new Float64Array(4);
  private readonly k3 = new Float64Array(4);
  private readonly k4 = new Float64Array(4);

  reset(opts?: ResetOptions): ResetResult<Float32Array> {
    this.seedFrom(opts);
    const [low, high] = resetBounds(opts?.options, -0.1, 0.1);
    this.state = Float64Array.from(Float32Array.from(this.npRandom.uniform(low, high, 4)));
    return { obs: this.observe(), info: {} };
  }

  step(action: number): StepResult<Float32Array> {
    if (action !== 0 && action !== 1 && action !== 2) throw new RangeError(`Acrobot: action must be 0, 1 or 2, got ${String(action)}`);
    const s = this.state;
    if (s === undefined) throw new Error("Acrobot: call reset() before step()");
    const torque = AVAIL_TORQUE[action];
    // One RK4 step over [0, dt] on the state augmented with the (constant) torque.
    const dt = DT - 0;
    const dt2 = dt / 2.0;
    const { k1, k2, k3, k4 } = this;
    const y0 = s[0]!, y1 = s[1]!, y2 = s[2]!, y3 = s[3]!;
    dsdt(y0, y1, y2, y3, torque, k1);
    dsdt(y0 + dt2 * k1[0]!, y1 + dt2 * k1[1]!, y2 + dt2 * k1[2]!, y3 + dt2 * k1[3]!, torque, k2);
    dsdt(y0 + dt2 * k2[0]!, y1 + dt2 * k2[1]!, y2 + dt2 * k2[2]!, y3 + dt2 * k2[3]!, torque, k3);
    dsdt(y0 + dt * k3[0]!, y1 + dt * k3[1]!, y2 + dt * k3[2]!, y3 + dt * k3[3]!, torque, k4);
    const h = dt / 6.0;
    const n0 = y0 + h * (k1[0]! + 2 * k2[0]! + 2 * k3[0]! + k4[0]!);
    const n1 = y1 + h * (k1[1]! + 2 * k2[1]! + 2 * k3[1]! + k4[1]!);
    const n2 = y2 + h * (k1[2]! + 2 * k2[2]! + 2 * k3[2]! + k4[2]!);
    const n3 = y3 + h * (k1[3]! + 2 * k2[3]! + 2 * k3[3]! + k4[3]!);
    s[0] = wrap(n0, -Math.PI, Math.PI);
    s[1] = wrap(n1, -Math.PI, Math.PI);
    s[2] = Math.min(Math.max(n2, -MAX_VEL_1), MAX_VEL_1);
    s[3] = Math.min(Math.max(n3, -MAX_VEL_2), MAX_VEL_2);
    const terminated = -Math.cos(s[0]!) - Math.cos(s[1]! + s[0]!) > 1.0;
    return { obs: this.observe(), reward: terminated ? 0.0 : -1.0, terminated, truncated: false, info: {} };
  }

  private observe(): Float32Array {
    const s = this.state!;
    const out = new Float32Array(6);
    out[0] = Math.cos(s[0]!);
    out[1] = Math.sin(s[0]!);
    out[2] = Math.cos(s[1]!);
    out[3] = Math.sin(s[1]!);
    out[4] = s[2]!;
    out[5] = s[3]!;
    return out;
  }

  readonly renderModes = ["svg"] as const;

  /** An SVG picture of the two links and the goal height. */
  render(): string {
    if (this.state === undefined) throw new Error("Acrobot: call reset() before render()");
    return acrobotSvg(this.state[0]!, this.state[1]!);
  }
}

export function describeAcrobot(): EnvDescription {
  return {
    id: "Acrobot-v1",
    summary:
      "Two links connected in a chain hang from a fixed pivot; only the joint between the links is actuated. Starting " +
      "hanging down, the agent applies torque to swing the free end above the bar (height 1 link length above the pivot).",
    observation: [
      { name: "cos_theta1", index: [0, 1], description: "cosine of the first link's angle from straight down", low: -1, high: 1 },
      { name: "sin_theta1", index: [1, 2], description: "sine of the first link's angle", low: -1, high: 1 },
      { name: "cos_theta2", index: [2, 3], description: "cosine of the second link's angle relative to the first", low: -1, high: 1 },
      { name: "sin_theta2", index: [3, 4], description: "sine of the second link's relative angle", low: -1, high: 1 },
      { name: "angular_velocity_1", index: [4, 5], description: "first link's angular velocity", unit: "rad/s", low: -MAX_VEL_1, high: MAX_VEL_1 },
      { name: "angular_velocity_2", index: [5, 6], description: "second link's angular velocity", unit: "rad/s", low: -MAX_VEL_2, high: MAX_VEL_2 },
    ],
    action: [{ name: "torque", index: [0, 1], description: "torque on the actuated joint", low: 0, high: 2 }],
    actionMeanings: ["apply -1 N·m torque", "apply no torque", "apply +1 N·m torque"],
    reward: "-1 for every step that does not reach the goal, 0 on the step that does.",
    termination: "Terminated when -cos(theta1) - cos(theta1 + theta2) > 1 (free end above the bar); truncated after 500 steps.",
  };
}
