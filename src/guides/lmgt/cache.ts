/**
 * The score cache: (state, action) pairs are discretised into buckets and a bucket is scored once. With
 * coarse enough buckets most transitions after the first few thousand steps are answered from memory.
 */
import type { Score } from "./parse.js";

/** Bucket widths: one per observation (or action) component, or one for all. Width 0 keeps the exact value. */
export interface BucketSpec {
  obsWidths: number | readonly number[];
  /** Defaults to 0 (exact); Discrete actions are integers, so exact is what they need. */
  actionWidths?: number | readonly number[];
}

function widthAt(widths: number | readonly number[], i: number, what: string): number {
  const w = typeof widths === "number" ? widths : widths[i];
  if (w === undefined) throw new RangeError(`bucket spec: no ${what} width for component ${i} (got ${(widths as readonly number[]).length} widths)`);
  if (!(w >= 0) || !Number.isFinite(w)) throw new RangeError(`bucket spec: ${what} width ${i} must be a finite number >= 0, got ${w}`);
  return w;
}

function quantise(v: number, w: number): string {
  return w === 0 ? String(v) : String(Math.floor(v / w));
}

/** The bucket key of one (state, action) pair. */
export function bucketKey(spec: BucketSpec, obs: ArrayLike<number>, action: ArrayLike<number>): string {
  const parts: string[] = [];
  for (let i = 0; i < obs.length; i++) parts.push(quantise(obs[i]!, widthAt(spec.obsWidths, i, "observation")));
  parts.push("|");
  const aw = spec.actionWidths ?? 0;
  for (let i = 0; i < action.length; i++) parts.push(quantise(action[i]!, widthAt(aw, i, "action")));
  return parts.join(",");
}

/** Scores by bucket, with hit/miss counts. */
export class ScoreCache {
  private readonly scores = new Map<string, Score>();
  hits = 0;
  misses = 0;

  constructor(readonly spec: BucketSpec) {}

  key(obs: ArrayLike<number>, action: ArrayLike<number>): string {
    return bucketKey(this.spec, obs, action);
  }

  /** The cached score, counting a hit or a miss. */
  lookup(key: string): Score | undefined {
    const s = this.scores.get(key);
    if (s === undefined) this.misses++;
    else this.hits++;
    return s;
  }

  set(key: string, score: Score): void {
    this.scores.set(key, score);
  }

  get size(): number {
    return this.scores.size;
  }

  get hitRate(): number {
    const n = this.hits + this.misses;
    return n === 0 ? 0 : this.hits / n;
  }
}
