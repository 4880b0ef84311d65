/**
 * Gymnasium's FlattenObservation for the protocol's Blackjack runs: Tuple/Discrete observations become a
 * one-hot Box (what SB3's preprocessing feeds the networks), so DQN, which reads only Box observations, can
 * play Blackjack. The guide still gets the original space and decodes the one-hot rows back to integers.
 */
import { BaseWrapper } from "../../core/wrapper.js";
import { Box } from "../../core/box.js";
import type { Env, ResetOptions, ResetResult, StepResult } from "../../core/env.js";
import type { Space } from "../../core/spaces.js";
import { observationLayout, type ObservationLayout } from "../../algos/spaces-info.js";

export class FlattenObservation extends BaseWrapper<Float32Array, unknown, unknown, unknown> {
  private readonly layout: ObservationLayout;
  private readonly box: Box;

  constructor(env: Env<unknown, unknown>) {
    super(env);
    this.layout = observationLayout(env.observationSpace as Space<unknown>);
    this.box = new Box(0, 1, [this.layout.dim]);
  }

  override get observationSpace(): Space<Float32Array> {
    return this.box as unknown as Space<Float32Array>;
  }

  private flat(obs: unknown): Float32Array {
    const out = new Float32Array(this.layout.dim);
    this.layout.write(obs, out, 0);
    return out;
  }

  override reset(opts?: ResetOptions): ResetResult<Float32Array> {
    const r = this.env.reset(opts);
    return { obs: this.flat(r.obs), info: r.info };
  }

  override step(action: unknown): StepResult<Float32Array> {
    const r = this.env.step(action);
    return { ...r, obs: this.flat(r.obs) };
  }
}
