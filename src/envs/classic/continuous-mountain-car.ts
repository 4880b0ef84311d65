/**
 * MountainCarContinuous-v0, as Gymnasium 1.0 implements it: the mountain car with a continuous force in
 * [-1, 1]; +100 on reaching the goal (position 0.45) minus 0.1 * action^2 every step. Gymnasium stores
 * this env's state as float32 after every step, and so does this port (float64 after reset).
 */
import type { EnvDescription, StepResult } from "../../core/env.js";
import { Box } from "../../core/box.js";
import { scalarAction } from "./action.js";
import { MAX_POSITION, MAX_SPEED, MIN_POSITION, MountainCarBase, mountainCarObservationFields, type MountainCarOptions } from "./mountain-car-base.js";

/** Same options as MountainCar-v0. */
export type MountainCarContinuousOptions = MountainCarOptions;

const MIN_ACTION = -1.0;
const MAX_ACTION = 1.0;
const GOAL_POSITION = 0.45;
const POWER = 0.0015;

export class MountainCarContinuousEnv extends MountainCarBase<Float32Array> {
  readonly actionSpace = new Box(MIN_ACTION, MAX_ACTION, [1]);

  constructor(opts: MountainCarContinuousOptions = {}) {
    super("MountainCarContinuous", GOAL_POSITION, opts);
  }

  step(action: Float32Array | number[]): StepResult<Float32Array> {
    const s = this.state;
    if (s === undefined) throw new Error("MountainCarContinuous: call reset() before step()");
    const a = scalarAction("MountainCarContinuous", action);
    let position = s[0]!, velocity = s[1]!;
    const force = Math.min(Math.max(a, MIN_ACTION), MAX_ACTION);
    velocity += force * POWER - 0.0025 * Math.cos(3 * position);
    if (velocity > MAX_SPEED) velocity = MAX_SPEED;
    if (velocity < -MAX_SPEED) velocity = -MAX_SPEED;
    position += velocity;
    if (position > MAX_POSITION) position = MAX_POSITION;
    if (position < MIN_POSITION) position = MIN_POSITION;
    if (position === MIN_POSITION && velocity < 0) velocity = 0;
    const terminated = position >= GOAL_POSITION && velocity >= this.goalVelocity;
    let reward = 0;
    if (terminated) reward = 100.0;
    reward -= a * a * 0.1;
    s[0] = Math.fround(position);
    s[1] = Math.fround(velocity);
    return { obs: Float32Array.from(s), reward, terminated, truncated: false, info: {} };
  }
}

export function describeMountainCarContinuous(): EnvDescription {
  return {
    id: "MountainCarContinuous-v0",
    summary:
      "A car starts at the bottom of a sinusoidal valley and must reach the flag at position 0.45 on the right hill; the " +
      "engine force is continuous and too weak to climb directly, so the car must build momentum.",
    observation: mountainCarObservationFields(),
    action: [{ name: "force", index: [0, 1], description: "directional engine force (clipped to ±1)", low: -1, high: 1 }],
    reward: "-0.1 * force^2 every step, plus +100 when the goal is reached.",
    termination: "Terminated when position >= 0.45 (with velocity >= goal_velocity); truncated after 999 steps.",
  };
}
