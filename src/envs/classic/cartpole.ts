/**
 * CartPole-v1 (Barto, Sutton & Anderson 1983), as Gymnasium 1.0 implements it: a pole hinged on a cart
 * that moves along a frictionless track; push the cart left (0) or right (1) to keep the pole upright.
 * Same constants, Euler integration, thresholds, reward and reset distribution; the float64 state is
 * kept in numpy's order of operations so trajectories match Gymnasium's bit for bit.
 */
import type { EnvDescription, ResetOptions, ResetResult, StepResult } from "../../core/env.js";
import { BaseEnv, resetBounds } from "../../core/base-env.js";
import { Box } from "../../core/box.js";
import { cartPoleSvg } from "./render.js";
import { Discrete } from "../../core/discrete.js";

export interface CartPoleOptions {
  /** Sutton & Barto's reward: 0 per step, -1 on failure (Gymnasium's `sutton_barto_reward`). */
  suttonBartoReward?: boolean;
}

const GRAVITY = 9.8;
const MASS_CART = 1.0;
const MASS_POLE = 0.1;
const TOTAL_MASS = MASS_POLE + MASS_CART;
const LENGTH = 0.5; // half the pole's length
const POLEMASS_LENGTH = MASS_POLE * LENGTH;
const FORCE_MAG = 10.0;
const TAU = 0.02;
const THETA_THRESHOLD = (12 * 2 * Math.PI) / 360;
const X_THRESHOLD = 2.4;

export class CartPoleEnv extends BaseEnv<Float32Array, number> {
  readonly observationSpace = new Box(
    [-X_THRESHOLD * 2, -Infinity, -THETA_THRESHOLD * 2, -Infinity],
    [X_THRESHOLD * 2, Infinity, THETA_THRESHOLD * 2, Infinity],
  );
  readonly actionSpace = new Discrete(2);
  /** The float64 state [x, x_dot, theta, theta_dot]; undefined before the first reset. */
  state: Float64Array | undefined;
  private readonly suttonBartoReward: boolean;
  private stepsBeyondTerminated: number | undefined;

  constructor(opts: CartPoleOptions = {}) {
    super();
    this.suttonBartoReward = opts.suttonBartoReward ?? false;
  }

  reset(opts?: ResetOptions): ResetResult<Float32Array> {
    this.seedFrom(opts);
    const [low, high] = resetBounds(opts?.options, -0.05, 0.05);
    this.state = this.npRandom.uniform(low, high, 4);
    this.stepsBeyondTerminated = undefined;
    return { obs: Float32Array.from(this.state), info: {} };
  }

  step(action: number): StepResult<Float32Array> {
    if (action !== 0 && action !== 1) throw new RangeError(`CartPole: action must be 0 or 1, got ${String(action)}`);
    const s = this.state;
    if (s === undefined) throw new Error("CartPole: call reset() before step()");
    const x = s[0]!, xDot = s[1]!, theta = s[2]!, thetaDot = s[3]!;
    const force = action === 1 ? FORCE_MAG : -FORCE_MAG;
    const cosTheta = Math.cos(theta);
    const sinTheta = Math.sin(theta);
    const temp = (force + POLEMASS_LENGTH * (thetaDot * thetaDot) * sinTheta) / TOTAL_MASS;
    const thetaAcc = (GRAVITY * sinTheta - cosTheta * temp) / (LENGTH * (4.0 / 3.0 - (MASS_POLE * (cosTheta * cosTheta)) / TOTAL_MASS));
    const xAcc = temp - (POLEMASS_LENGTH * thetaAcc * cosTheta) / TOTAL_MASS;
    const nx = x + TAU * xDot;
    const nTheta = theta + TAU * thetaDot;
    s[0] = nx;
    s[1] = xDot + TAU * xAcc;
    s[2] = nTheta;
    s[3] = thetaDot + TAU * thetaAcc;
    const terminated = nx < -X_THRESHOLD || nx > X_THRESHOLD || nTheta < -THETA_THRESHOLD || nTheta > THETA_THRESHOLD;
    let reward: number;
    if (!terminated) reward = this.suttonBartoReward ? 0.0 : 1.0;
    else if (this.stepsBeyondTerminated === undefined) {
      this.stepsBeyondTerminated = 0;
      reward = this.suttonBartoReward ? -1.0 : 1.0;
    } else {
      this.stepsBeyondTerminated += 1;
      reward = this.suttonBartoReward ? -1.0 : 0.0;
    }
    return { obs: Float32Array.from(s), reward, terminated, truncated: false, info: {} };
  }

  readonly renderModes = ["svg"] as const;

  /** An SVG picture of the cart and pole. */
  render(): string {
    if (this.state === undefined) throw new Error("CartPole: call reset() before render()");
    return cartPoleSvg(this.state[0]!, this.state[2]!);
  }
}

export function describeCartPole(): EnvDescription {
  return {
    id: "CartPole-v1",
    summary:
      "A pole is attached by an unactuated joint to a cart moving along a frictionless track. The pole starts upright; " +
      "the agent pushes the cart left or right with a fixed force to keep it balanced.",
    observation: [
      { name: "cart_position", index: [0, 1], description: "cart position along the track", unit: "m", low: -4.8, high: 4.8 },
      { name: "cart_velocity", index: [1, 2], description: "cart velocity", unit: "m/s", low: -Infinity, high: Infinity },
      { name: "pole_angle", index: [2, 3], description: "pole angle from vertical, positive clockwise", unit: "rad", low: -0.418879, high: 0.418879 },
      { name: "pole_angular_velocity", index: [3, 4], description: "pole angular velocity", unit: "rad/s", low: -Infinity, high: Infinity },
    ],
    action: [{ name: "push", index: [0, 1], description: "direction of the fixed 10 N force on the cart", low: 0, high: 1 }],
    actionMeanings: ["push cart to the left", "push cart to the right"],
    reward: "+1 for every step taken, including the terminating step (sutton_barto_reward: 0 per step, -1 on failure).",
    termination:
      "Terminated when the pole angle leaves ±12° (±0.2095 rad) or the cart position leaves ±2.4 m; truncated after 500 steps.",
  };
}
