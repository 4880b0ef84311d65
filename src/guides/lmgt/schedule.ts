/**
 * When to ask: every step, with probability p, only during the first N steps, or with a probability
 * annealed linearly as training proceeds. Transitions that are not asked about keep their reward.
 */

export type QuerySchedule =
  | { kind: "every" }
  | { kind: "probability"; p: number }
  | { kind: "first"; steps: number }
  /** Probability `from` at step 0 going linearly to `to` at `fraction` of the total steps, `to` after. */
  | { kind: "annealed"; from: number; to: number; fraction: number };

export function validateSchedule(s: QuerySchedule): QuerySchedule {
  const prob = (name: string, v: number) => {
    if (!(v >= 0 && v <= 1)) throw new RangeError(`query schedule: ${name} must be in [0, 1], got ${v}`);
  };
  switch (s.kind) {
    case "every":
      break;
    case "probability":
      prob("p", s.p);
      break;
    case "first":
      if (!(s.steps >= 0) || !Number.isFinite(s.steps)) throw new RangeError(`query schedule: steps must be >= 0, got ${s.steps}`);
      break;
    case "annealed":
      prob("from", s.from);
      prob("to", s.to);
      if (!(s.fraction > 0 && s.fraction <= 1)) throw new RangeError(`query schedule: fraction must be in (0, 1], got ${s.fraction}`);
      break;
    default:
      throw new Error(`query schedule: unknown kind ${JSON.stringify((s as { kind: unknown }).kind)}`);
  }
  return s;
}

/** The probability of asking about the transition taken at env step `step` of `totalSteps`. */
export function queryProbability(s: QuerySchedule, step: number, totalSteps: number): number {
  switch (s.kind) {
    case "every":
      return 1;
    case "probability":
      return s.p;
    case "first":
      return step < s.steps ? 1 : 0;
    case "annealed": {
      const progress = totalSteps > 0 ? step / (s.fraction * totalSteps) : 1;
      return progress >= 1 ? s.to : s.from + (s.to - s.from) * progress;
    }
  }
}

/** Short text for tables: `every`, `p=0.1`, `first 2000`, `annealed 1->0 over 50%`. */
export function scheduleLabel(s: QuerySchedule): string {
  switch (s.kind) {
    case "every":
      return "every";
    case "probability":
      return `p=${s.p}`;
    case "first":
      return `first ${s.steps}`;
    case "annealed":
      return `annealed ${s.from}->${s.to} over ${Math.round(s.fraction * 100)}%`;
  }
}
