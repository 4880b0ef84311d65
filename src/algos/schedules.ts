/**
 * Hyperparameter schedules as SB3 and rl-zoo write them: a constant, a function of the remaining progress
 * (1 at the start, 0 at the end), or rl-zoo's string form "lin_0.001" (linear from 0.001 down to 0).
 */
export type Schedule = number | string | ((progressRemaining: number) => number);

/** A function of the remaining progress for any Schedule form. */
export function toSchedule(value: Schedule, name = "schedule"): (progressRemaining: number) => number {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error(`${name}: must be finite, got ${value}`);
    return () => value;
  }
  if (typeof value === "function") return value;
  if (typeof value === "string") {
    const m = /^lin_([-+0-9.eE]+)$/.exec(value.trim());
    if (m) {
      const start = Number(m[1]);
      if (!Number.isFinite(start)) throw new Error(`${name}: bad linear schedule "${value}"`);
      return linearSchedule(start);
    }
    const n = Number(value);
    if (value.trim() !== "" && Number.isFinite(n)) return () => n;
  }
  throw new Error(`${name}: expected a number, "lin_<start>" or a function, got ${JSON.stringify(value)}`);
}

/** Linear from `start` (progress 1) to `end` (progress 0). */
export function linearSchedule(start: number, end = 0): (progressRemaining: number) => number {
  return (p) => end + p * (start - end);
}
