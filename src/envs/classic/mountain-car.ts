/**
 * MountainCar-v0 (Moore 1990), as Gymnasium 1.0 implements it: an under-powered car in a valley must rock
 * back and forth to reach the flag on the right hill. Discrete actions: accelerate left, don't, right.
 */
import type { EnvDescription, ResetOptions, ResetResult, StepResult } from "../../core/env.js";
import { BaseEnv, resetBounds } from "../../core/base-env.js";
import { Box } from "../../core/box.js";
import { mountainCarSvg } from "./render.js";
import { Discrete } from "../../core/discrete.js";

export interface MountainCarOptions {
  /** Minimum velocity at the goal for the episode to end (Gymnasium's `goal_velocity`), default 0. */
  goalVelocity?: number;
}

const MIN_POSITION = -1.2;
const MAX_POSITION = 0.6;
const MAX_SPEED = 0.07;
const GOAL_POSITION = 0.5;
const FORCE = 0.001;
const GRAVITY = 0.0025;

export class MountainCarEnv extends BaseEnv<Float32Array, number> {
  readonly observationSpace = new Box([MIN_POSITION, -MAX_SPEED], [MAX_POSITION, MAX_SPEED]);
  readonly actionSpace = new Discrete(3);
  /** The float64 state [position, velocity]; undefined before the first reset. */
  state: Float64Array | undefined;
  readonly goalVelocity: number;

  constructor(opts: MountainCarOptions = {}) {
    super();
    this.goalVelocity = opts.goalVelocity ?? 0;
  }

  reset(opts?: ResetOptions): ResetResult<Float32Array> {
    this.seedFrom(opts);
    const [low, high] = resetBounds(opts?.options, -0.6, -0.4);
    this.state = Float64Array.of(this.npRandom.uniform(low, high), 0);
    return { obs: Float32Array.from(this.state), info: {} };
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

  readonly renderModes = ["svg"] as const;

  /** An SVG picture of the car on the hill and the goal flag. */
  render(): string {
    if (this.state === undefined) throw new Error("MountainCar: call reset() before render()");
    return mountainCarSvg(this.state[0]!, GOAL_POSITION);
  }
}

export function describeMountainCar(): EnvDescription {
  return {
    id: "MountainCar-v0",
    summary:
      "A car starts at the bottom of a sinusoidal valley (height sin(3x)); its engine is too weak to drive straight up, " +
      "so it must build momentum by driving back and forth to reach the flag at position 0.5 on the right hill.",
    observation: [
      { name: "position", index: [0, 1], description: "car position along the x-axis", unit: "m", low: -1.2, high: 0.6 },
      { name: "velocity", index: [1, 2], description: "car velocity", unit: "m/step", low: -0.07, high: 0.07 },
    ],
    action: [{ name: "accelerate", index: [0, 1], description: "direction of acceleration", low: 0, high: 2 }],
    actionMeanings: ["accelerate to the left", "don't accelerate", "accelerate to the right"],
    reward: "-1 for every step until the goal is reached.",
    termination: "Terminated when position >= 0.5 (with velocity >= goal_velocity); truncated after 200 steps.",
  };
}
