/** `TimeLimit`: truncates an episode after `maxEpisodeSteps` steps (Gymnasium's wrapper, same rule). */
import type { Env, ResetOptions, ResetResult, StepResult } from "../../core/env.js";
import { BaseWrapper } from "../../core/wrapper.js";

export class TimeLimit<Obs = unknown, Act = unknown> extends BaseWrapper<Obs, Act> {
  readonly maxEpisodeSteps: number;
  /** Steps taken since the last reset. */
  elapsedSteps = 0;

  constructor(env: Env<Obs, Act>, maxEpisodeSteps: number) {
    super(env);
    if (!Number.isInteger(maxEpisodeSteps) || maxEpisodeSteps <= 0) {
      throw new RangeError(`TimeLimit: maxEpisodeSteps must be a positive integer, got ${maxEpisodeSteps}`);
    }
    this.maxEpisodeSteps = maxEpisodeSteps;
  }

  override reset(opts?: ResetOptions): ResetResult<Obs> {
    this.elapsedSteps = 0;
    return this.env.reset(opts);
  }

  override step(action: Act): StepResult<Obs> {
    const result = this.env.step(action);
    this.elapsedSteps += 1;
    if (this.elapsedSteps >= this.maxEpisodeSteps) result.truncated = true;
    return result;
  }
}
