/**
 * MountainCar-v0 (Moore 1990), as Gymnasium 1.0 implements it: an under-powered car in a valley must rock
 * back and forth to reach the flag on the right hill. Discrete actions: accelerate left, don't, right.
 */
import type { EnvDescription, StepResult } from "../../core/env.js";
import { Discrete } from "../../core/discrete.js";
import { MAX_POSITION, MAX_SPEED, MIN_POSITION, MountainCarBase, mountainCarObservationFields, type MountainCarOptions } from "./mountain-car-base.js";

export type { MountainCarOptions };

const GOAL_POSITION = 0.5;
const FORCE = 0.001;
const GRAVITY = 0.0025;

export class MountainCarEnv extends MountainCarBase<number> {
  readonly actionSpace = new Discrete(3);

  constructor(opts: MountainCarOptions = {}) {
    super("MountainCar", GOAL_POSITION, opts);
  }

  step(action: number): StepResult<Float32Array> {
    if (action !== 0 && action !== 1 && action !== 2) throw new RangeError(`MountainCar: action must be 0, 1 or 2, got ${String(action)}`);
    const s = this.state;
    if (s === undefined) throw new Error("MountainCar: call reset() before step()");
    let position = s[0]!, velocity = s[1]!;
    velocity += (action - 1) * FORCE + Math.cos(3 * position) * -GRAVITY;
    velocity = Math.min(Math.max(velocity, -MAX_SPEED), MAX_SPEED);
    position += velocity;
    position = Math.min(Math.max(position, MIN_POSITION), MAX_POSITION);
    if (position === MIN_POSITION && velocity < 0) velocity = 0;
    const terminated = position >= GOAL_POSITION && velocity >= this.goalVelocity;
    s[0] = position;
    s[1] = velocity;
    return { obs: Float32Array.from(s), reward: -1.0, terminated, truncated: false, info: {} };
  }
}

export function describeMountainCar(): EnvDescription {
  return {
    id: "MountainCar-v0",
    summary:
      "A car starts at the bottom of a sinusoidal valley (height sin(3x)); its engine is too weak to drive straight up, " +
      "so it must build momentum by driving back and forth to reach the flag at position 0.5 on the right hill.",
    observation: mountainCarObservationFields(),
    action: [{ name: "accelerate", index: [0, 1], description: "direction of acceleration", low: 0, high: 2 }],
    actionMeanings: ["accelerate to the left", "don't accelerate", "accelerate to the right"],
    reward: "-1 for every step until the goal is reached.",
    termination: "Terminated when position >= 0.5 (with velocity >= goal_velocity); truncated after 200 steps.",
  };
}
