/**
 * The one flattening rule (Gymnasium's spaces.utils.flatten, SB3's preprocessing): an observation becomes a
 * row of numbers — Box as is, Discrete one-hot, Tuple of those concatenated. The vector env, the
 * FlattenObservation wrapper, the evaluator and the algorithms all write rows through it. Also the action
 * side (Discrete index or Box row), read structurally from Gymnasium-style spaces (Box: low/high/size;
 * Discrete: n/start; Tuple: spaces).
 */
import type { Env } from "./env.js";
import type { Space } from "./spaces.js";

export interface ObservationLayout {
  /** Width of one flattened observation row. */
  dim: number;
  /** How to write one observation into a row. */
  write(obs: unknown, out: Float32Array, offset: number): void;
}

export type ActionLayout =
  | { kind: "discrete"; n: number; start: number; dim: 1 }
  | { kind: "box"; dim: number; low: Float32Array; high: Float32Array };

interface BoxLike extends Space<unknown> {
  low: Float32Array;
  high: Float32Array;
}
interface DiscreteLike extends Space<unknown> {
  n: number;
  start?: number;
}
interface TupleLike extends Space<unknown> {
  spaces: readonly Space<unknown>[];
}

function boxSize(space: Space<unknown>): number {
  return space.shape.reduce((a, b) => a * b, 1);
}

/** Row layout of an observation space. Throws for spaces the MLP policies cannot read. */
export function observationLayout(space: Space<unknown>): ObservationLayout {
  if (space.kind === "box") {
    const dim = boxSize(space);
    return {
      dim,
      write(obs, out, offset) {
        const o = obs as ArrayLike<number>;
        if (o === null || typeof o !== "object" || o.length !== dim) {
          throw new Error(`observation has ${(o as ArrayLike<number>)?.length} values, expected ${dim}`);
        }
        for (let i = 0; i < dim; i++) out[offset + i] = o[i];
      },
    };
  }
  if (space.kind === "discrete") {
    const { n, start = 0 } = space as DiscreteLike;
    return {
      dim: n,
      write(obs, out, offset) {
        const k = (obs as number) - start;
        if (!Number.isInteger(k) || k < 0 || k >= n) throw new Error(`observation ${String(obs)} outside Discrete(${n}, ${start})`);
        out.fill(0, offset, offset + n);
        out[offset + k] = 1;
      },
    };
  }
  if (space.kind === "tuple") {
    const parts = (space as TupleLike).spaces.map(observationLayout);
    const dim = parts.reduce((a, p) => a + p.dim, 0);
    return {
      dim,
      write(obs, out, offset) {
        const items = obs as unknown[];
        let o = offset;
        parts.forEach((p, i) => {
          p.write(items[i], out, o);
          o += p.dim;
        });
      },
    };
  }
  throw new Error(`unsupported observation space kind "${(space as Space<unknown>).kind}"`);
}

/** Action layout of an action space (Discrete or Box only). */
export function actionLayout(space: Space<unknown>): ActionLayout {
  if (space.kind === "discrete") {
    const { n, start = 0 } = space as DiscreteLike;
    return { kind: "discrete", n, start, dim: 1 };
  }
  if (space.kind === "box") {
    const { low, high } = space as BoxLike;
    return { kind: "box", dim: boxSize(space), low: Float32Array.from(low), high: Float32Array.from(high) };
  }
  throw new Error(`unsupported action space kind "${space.kind}"`);
}

/** Short text for error messages, e.g. "Box(4,)" or "Discrete(2)". */
export function describeSpace(space: Space<unknown>): string {
  if (space.kind === "discrete") return `Discrete(${(space as DiscreteLike).n})`;
  if (space.kind === "box") return `Box(${space.shape.join(",")},)`;
  return `Tuple(${(space as TupleLike).spaces.map(describeSpace).join(", ")})`;
}

/** The env action for row `row` of a flat action array (number for Discrete, Float32Array for Box). */
export function envAction(layout: ActionLayout, actions: Float32Array, row: number): number | Float32Array {
  if (layout.kind === "discrete") return Math.round(actions[row]) + layout.start;
  return actions.slice(row * layout.dim, (row + 1) * layout.dim);
}

/** Env-space Box actions (`n` rows) -> [-1, 1], clipped (SB3's `scale_action`): what SAC's and TD3's buffers store. */
export function scaleActions(low: Float32Array, high: Float32Array, envActions: Float32Array, n: number): Float32Array {
  const k = low.length;
  const out = new Float32Array(n * k);
  for (let i = 0; i < n * k; i++) {
    const d = i % k;
    const v = (2 * (envActions[i]! - low[d]!)) / (high[d]! - low[d]!) - 1;
    out[i] = v < -1 ? -1 : v > 1 ? 1 : v;
  }
  return out;
}

/** [-1, 1] -> env-space Box actions (SB3's `unscale_action`). */
export function unscaleActions(low: Float32Array, high: Float32Array, scaled: Float32Array): Float32Array {
  const k = low.length;
  const out = new Float32Array(scaled.length);
  for (let i = 0; i < scaled.length; i++) {
    const d = i % k;
    out[i] = low[d]! + 0.5 * (scaled[i]! + 1) * (high[d]! - low[d]!);
  }
  return out;
}

export function spacesOf(env: Env): { obs: ObservationLayout; act: ActionLayout } {
  return { obs: observationLayout(env.observationSpace as Space<unknown>), act: actionLayout(env.actionSpace as Space<unknown>) };
}
