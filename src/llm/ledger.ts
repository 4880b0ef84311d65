/**
 * Accounting: tokens and dollars per call (on each Completion), per run (one ledger, possibly shared by
 * several clients) and per guide; and the budget cap, which refuses a call BEFORE it is made when its
 * worst case (estimated input + the full max_tokens of output) could push spending past the cap.
 */
import { LlmBudgetExceededError } from "./errors.js";
import type { Completion, LlmPurpose } from "./types.js";

/** A spending cap; either or both. */
export interface LlmBudget {
  /** Input + output tokens of provider calls. */
  maxTokens?: number;
  /** Dollars of provider calls (unknown-price models count as 0: see pricing.ts). */
  maxCostUsd?: number;
}

/** Counts over a set of calls. Tokens and cost are those of provider calls; cache hits are free. */
export interface UsageTotals {
  /** Provider calls that returned an answer. */
  calls: number;
  /** Answers served from the cache. */
  cachedCalls: number;
  /** Provider calls that ended in an error (after retries). */
  failedCalls: number;
  /** Calls refused by the budget. */
  refusedCalls: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

export interface UsageSummary extends UsageTotals {
  /** The same counts per guide ("(none)" for calls without a purpose). */
  byGuide: Record<string, UsageTotals>;
  budget?: LlmBudget;
}

const NO_GUIDE = "(none)";

function emptyTotals(): UsageTotals {
  return { calls: 0, cachedCalls: 0, failedCalls: 0, refusedCalls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 };
}

/** What a call may cost at most, held against the budget while the call is in flight. */
export interface Reservation {
  tokens: number;
  costUsd: number;
}

export class UsageLedger {
  readonly budget: LlmBudget | undefined;
  private readonly total = emptyTotals();
  private readonly guides = new Map<string, UsageTotals>();
  private reservedTokens = 0;
  private reservedCostUsd = 0;

  constructor(budget?: LlmBudget) {
    if (budget) {
      for (const key of ["maxTokens", "maxCostUsd"] as const) {
        const v = budget[key];
        if (v !== undefined && !(v >= 0 && Number.isFinite(v))) throw new RangeError(`budget.${key} must be a finite number >= 0, got ${v}`);
      }
    }
    this.budget = budget ? { ...budget } : undefined;
  }

  private bucket(purpose: LlmPurpose | undefined): UsageTotals[] {
    const name = purpose?.guide ?? NO_GUIDE;
    let g = this.guides.get(name);
    if (!g) this.guides.set(name, (g = emptyTotals()));
    return [this.total, g];
  }

  /**
   * Hold `worstCase` against the budget, or throw LlmBudgetExceededError (counted as refused) if spent +
   * in flight + worstCase would exceed a cap. Release it with `settle` or `release`.
   */
  reserve(worstCase: Reservation, purpose: LlmPurpose | undefined, what: string): Reservation {
    const b = this.budget;
    if (b?.maxTokens !== undefined) {
      const spent = this.total.inputTokens + this.total.outputTokens + this.reservedTokens;
      if (spent + worstCase.tokens > b.maxTokens) {
        for (const t of this.bucket(purpose)) t.refusedCalls++;
        throw new LlmBudgetExceededError(
          `LLM budget exhausted: ${what} could use up to ${worstCase.tokens} tokens (estimated input + max_tokens), ` +
            `${spent} of the ${b.maxTokens}-token budget already used or in flight; the call was not made`,
          "tokens",
          b.maxTokens,
          spent,
          worstCase.tokens,
        );
      }
    }
    if (b?.maxCostUsd !== undefined) {
      const spent = this.total.costUsd + this.reservedCostUsd;
      if (spent + worstCase.costUsd > b.maxCostUsd) {
        for (const t of this.bucket(purpose)) t.refusedCalls++;
        throw new LlmBudgetExceededError(
          `LLM budget exhausted: ${what} could cost up to $${worstCase.costUsd.toFixed(6)} (estimated input + max_tokens), ` +
            `$${spent.toFixed(6)} of the $${b.maxCostUsd} budget already spent or in flight; the call was not made`,
          "usd",
          b.maxCostUsd,
          spent,
          worstCase.costUsd,
        );
      }
    }
    this.reservedTokens += worstCase.tokens;
    this.reservedCostUsd += worstCase.costUsd;
    return worstCase;
  }

  /** Drop a reservation without recording usage (the call failed). */
  release(reservation: Reservation, purpose: LlmPurpose | undefined): void {
    this.reservedTokens -= reservation.tokens;
    this.reservedCostUsd -= reservation.costUsd;
    for (const t of this.bucket(purpose)) t.failedCalls++;
  }

  /** Count a call that gave no answer without holding a reservation (e.g. a strict-replay miss). */
  recordFailure(purpose: LlmPurpose | undefined): void {
    for (const t of this.bucket(purpose)) t.failedCalls++;
  }

  /** Replace a reservation by the call's actual usage. */
  settle(reservation: Reservation, completion: Completion, purpose: LlmPurpose | undefined): void {
    this.reservedTokens -= reservation.tokens;
    this.reservedCostUsd -= reservation.costUsd;
    for (const t of this.bucket(purpose)) {
      t.calls++;
      t.inputTokens += completion.usage.inputTokens;
      t.outputTokens += completion.usage.outputTokens;
      t.costUsd += completion.costUsd;
    }
  }

  /** Count a cache hit (free). */
  recordCacheHit(purpose: LlmPurpose | undefined): void {
    for (const t of this.bucket(purpose)) t.cachedCalls++;
  }

  /** Totals so far, overall and per guide (a copy). */
  summary(): UsageSummary {
    const byGuide: Record<string, UsageTotals> = {};
    for (const [name, t] of [...this.guides].sort(([a], [b]) => a.localeCompare(b))) byGuide[name] = { ...t };
    const out: UsageSummary = { ...this.total, byGuide };
    if (this.budget) out.budget = { ...this.budget };
    return out;
  }
}

const TOTAL_KEYS: readonly (keyof UsageTotals)[] = ["calls", "cachedCalls", "failedCalls", "refusedCalls", "inputTokens", "outputTokens", "costUsd"];

function addTotals(into: UsageTotals, from: Partial<UsageTotals>): void {
  for (const k of TOTAL_KEYS) into[k] += Number(from[k] ?? 0);
}

/** Usage summaries summed, per guide too (budgets are per shard and not summed). */
export function sumUsage(summaries: readonly UsageSummary[]): UsageSummary {
  const total: UsageSummary = { calls: 0, cachedCalls: 0, failedCalls: 0, refusedCalls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, byGuide: {} };
  for (const s of summaries) {
    addTotals(total, s);
    for (const [guide, t] of Object.entries(s.byGuide ?? {})) {
      const g = (total.byGuide[guide] ??= { calls: 0, cachedCalls: 0, failedCalls: 0, refusedCalls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 });
      addTotals(g, t);
    }
  }
  return total;
}
