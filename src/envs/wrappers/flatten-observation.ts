/**
 * Gymnasium's FlattenObservation: observations become one Float32Array row by the one flattening rule
 * (core/space-layout.ts: Discrete one-hot, Tuple concatenated), so a Tuple/Discrete env such as Blackjack
 * looks like a Box env (LMGT's Blackjack runs use it; their guide decodes the one-hot rows back to integers).
 */
import { BaseWrapper } from "../../core/wrapper.js";
import { Box } from "../../core/box.js";
import type { Env, ResetOptions, ResetResult, StepResult } from "../../core/env.js";
import type { Space } from "../../core/spaces.js";
import { observationLayout, type ObservationLayout } from "../../core/space-layout.js";

export class FlattenObservation extends BaseWrapper<Float32Array, unknown, unknown, unknown> {
  private readonly layout: ObservationLayout;
  private readonly box: Box;

  constructor(env: Env<unknown, unknown>) {
    super(env);
    this.layout = observationLayout(env.observationSpace as Space<unknown>);
    const low = new Float32Array(this.layout.dim), high = new Float32Array(this.layout.dim);
    flatBounds(env.observationSpace as Space<unknown>, low, high, 0);
    this.box = new Box(low, high);
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

/** Gymnasium's flatten_space bounds: a Box keeps its bounds, a Discrete becomes [0, 1] per entry, a Tuple concatenates. */
function flatBounds(space: Space<unknown>, low: Float32Array, high: Float32Array, offset: number): number {
  const s = space as Space<unknown> & { low?: Float32Array; high?: Float32Array; spaces?: Space<unknown>[] };
  if (space.kind === "box") {
    low.set(s.low!, offset);
    high.set(s.high!, offset);
    return offset + s.low!.length;
  }
  if (space.kind === "tuple") return s.spaces!.reduce((o, sub) => flatBounds(sub, low, high, o), offset);
  const dim = observationLayout(space).dim;
  high.fill(1, offset, offset + dim);
  return offset + dim;
}
