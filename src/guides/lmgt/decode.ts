/**
 * From the rows the algorithms store (SB3 preprocessing: Box as is, Discrete one-hot, Tuple concatenated)
 * back to the observation values the environment's description indexes (Discrete as its integer), so the
 * prompt shows `player sum = 14`, not 32 one-hot columns.
 */
import type { Space } from "../../core/spaces.js";

export interface ObservationDecoder {
  /** Width of an algorithm row. */
  rowDim: number;
  /** Width of the decoded observation. */
  dim: number;
  decode(row: ArrayLike<number>, out: Float32Array): void;
}

function boxSize(space: Space<unknown>): number {
  return space.shape.reduce((a, b) => a * b, 1);
}

/** The decoder of an observation space (Box, Discrete, or a Tuple of those). */
export function observationDecoder(space: Space<unknown>): ObservationDecoder {
  if (space.kind === "box") {
    const dim = boxSize(space);
    return { rowDim: dim, dim, decode: (row, out) => { for (let i = 0; i < dim; i++) out[i] = row[i]!; } };
  }
  if (space.kind === "discrete") {
    const { n, start = 0 } = space as Space<unknown> & { n: number; start?: number };
    return {
      rowDim: n,
      dim: 1,
      decode(row, out) {
        let best = 0;
        for (let i = 1; i < n; i++) if (row[i]! > row[best]!) best = i;
        out[0] = start + best;
      },
    };
  }
  if (space.kind === "tuple") {
    const parts = (space as Space<unknown> & { spaces: readonly Space<unknown>[] }).spaces.map(observationDecoder);
    const rowDim = parts.reduce((a, p) => a + p.rowDim, 0);
    const dim = parts.reduce((a, p) => a + p.dim, 0);
    return {
      rowDim,
      dim,
      decode(row, out) {
        let r = 0, o = 0;
        for (const p of parts) {
          const sub = new Float32Array(p.dim);
          p.decode(Array.prototype.slice.call(row, r, r + p.rowDim) as number[], sub);
          out.set(sub, o);
          r += p.rowDim;
          o += p.dim;
        }
      },
    };
  }
  throw new Error(`LMGT: cannot decode observations of space kind "${(space as Space<unknown>).kind}"`);
}
