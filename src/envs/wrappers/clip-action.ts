/**
 * `ClipAction`: clips continuous actions into the wrapped env's Box before stepping (Gymnasium's wrapper:
 * the wrapper's own action space is unbounded, so any finite action is accepted).
 */
import type { Env } from "../../core/env.js";
import type { Space } from "../../core/spaces.js";
import { Box } from "../../core/box.js";
import { BaseWrapper } from "../../core/wrapper.js";

export class ClipAction<Obs = unknown> extends BaseWrapper<Obs, Float32Array | number[], Obs, Float32Array> {
  private readonly inner: Box;
  private readonly unbounded: Box;

  constructor(env: Env<Obs, Float32Array>) {
    super(env);
    const space = env.actionSpace as Space<Float32Array>;
    if (!(space instanceof Box)) throw new TypeError(`ClipAction: needs a Box action space, got ${String(space)}`);
    this.inner = space;
    this.unbounded = new Box(-Infinity, Infinity, space.shape);
  }

  override get actionSpace(): Space<Float32Array | number[]> {
    return this.unbounded as Space<Float32Array | number[]>;
  }

  override step(action: Float32Array | number[]) {
    if (action == null || typeof action !== "object" || action.length !== this.inner.size) {
      throw new RangeError(`ClipAction: expected ${this.inner.size} action value(s), got ${String(action)}`);
    }
    return this.env.step(this.inner.clip(action));
  }
}
