/**
 * What MountainCar-v0 and MountainCarContinuous-v0 share: the valley (position and speed bounds), the
 * `goalVelocity` option, the reset (position uniform in [-0.6, -0.4), velocity 0; Gymnasium's `low`/`high`
 * reset options accepted), the picture and the observation's description. Their dynamics, rewards and
 * goal positions differ and stay in each env.
 */
import type { FieldDescription, ResetOptions, ResetResult } from "../../core/env.js";
import { BaseEnv, resetBounds } from "../../core/base-env.js";
import { Box } from "../../core/box.js";
import { mountainCarSvg } from "./render.js";

export const MIN_POSITION = -1.2;
export const MAX_POSITION = 0.6;
export const MAX_SPEED = 0.07;

export interface MountainCarOptions {
  /** Minimum velocity at the goal for the episode to end (Gymnasium's `goal_velocity`), default 0. */
  goalVelocity?: number;
}

export abstract class MountainCarBase<Act> extends BaseEnv<Float32Array, Act> {
  readonly observationSpace = new Box([MIN_POSITION, -MAX_SPEED], [MAX_POSITION, MAX_SPEED]);
  /** The state [position, velocity]; undefined before the first reset. */
  state: Float64Array | undefined;
  readonly goalVelocity: number;
  readonly renderModes = ["svg"] as const;

  /** `envName` starts error messages; `goalPosition` is where the flag stands. */
  constructor(
    protected readonly envName: string,
    protected readonly goalPosition: number,
    opts: MountainCarOptions,
  ) {
    super();
    this.goalVelocity = opts.goalVelocity ?? 0;
  }

  reset(opts?: ResetOptions): ResetResult<Float32Array> {
    this.seedFrom(opts);
    const [low, high] = resetBounds(opts?.options, -0.6, -0.4);
    this.state = Float64Array.of(this.npRandom.uniform(low, high), 0);
    return { obs: Float32Array.from(this.state), info: {} };
  }

  /** An SVG picture of the car on the hill and the goal flag. */
  render(): string {
    if (this.state === undefined) throw new Error(`${this.envName}: call reset() before render()`);
    return mountainCarSvg(this.state[0]!, this.goalPosition);
  }
}

/** The observation fields of both mountain cars (a fresh array per call: descriptions are handed out). */
export function mountainCarObservationFields(): FieldDescription[] {
  return [
    { name: "position", index: [0, 1], description: "car position along the x-axis", unit: "m", low: MIN_POSITION, high: MAX_POSITION },
    { name: "velocity", index: [1, 2], description: "car velocity", unit: "m/step", low: -MAX_SPEED, high: MAX_SPEED },
  ];
}
