/** Per-run statistics of an LMGT guide: what it cost and what it did to the rewards. */

export interface LmgtStatsSnapshot {
  /** Transitions that passed through the reward seam. */
  transitions: number;
  /** Transitions the schedule chose to score (from the cache or the model). */
  queried: number;
  /** LLM requests issued. */
  calls: number;
  /** Requests answered by the LLM layer's response cache (no provider call). */
  responseCacheHits: number;
  /** Requests that failed (tolerated by maxFailedCalls, after the provider's retries); their pairs score 0. */
  callErrors: number;
  /** (state, action) pairs sent to the model. */
  pairsScored: number;
  /** Queried transitions answered from the bucket cache (including duplicates within a batch). */
  cacheHits: number;
  /** Pairs whose score could not be read (scored 0). */
  parseFailures: number;
  /** Queried pairs scored by the distilled classifier instead of the LLM (distilled scorer only). */
  distilledScored?: number;
  /** The distilled scorer's labels and its agreement with the LLM on held-out labels (distilled scorer only). */
  distill?: { labels: number; heldOut: number; trainings: number; agreement?: number };
  /** Applied scores over queried transitions. */
  shiftHistogram: { "-1": number; "0": number; "+1": number };
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

export class LmgtStats implements LmgtStatsSnapshot {
  transitions = 0;
  queried = 0;
  calls = 0;
  responseCacheHits = 0;
  callErrors = 0;
  pairsScored = 0;
  cacheHits = 0;
  parseFailures = 0;
  distilledScored = 0;
  shiftHistogram = { "-1": 0, "0": 0, "+1": 0 };
  inputTokens = 0;
  outputTokens = 0;
  costUsd = 0;

  recordShift(score: number): void {
    if (score > 0) this.shiftHistogram["+1"]++;
    else if (score < 0) this.shiftHistogram["-1"]++;
    else this.shiftHistogram["0"]++;
  }

  /** LLM requests per 1000 environment transitions. */
  callsPer1k(): number {
    return this.transitions === 0 ? 0 : (1000 * this.calls) / this.transitions;
  }

  snapshot(): LmgtStatsSnapshot {
    return {
      transitions: this.transitions,
      queried: this.queried,
      calls: this.calls,
      responseCacheHits: this.responseCacheHits,
      callErrors: this.callErrors,
      pairsScored: this.pairsScored,
      cacheHits: this.cacheHits,
      parseFailures: this.parseFailures,
      distilledScored: this.distilledScored,
      shiftHistogram: { ...this.shiftHistogram },
      inputTokens: this.inputTokens,
      outputTokens: this.outputTokens,
      costUsd: this.costUsd,
    };
  }

  /** Flat numeric metrics for the algorithm's logger (`lmgt/<name>`). */
  metrics(): Record<string, number> {
    return {
      "lmgt/transitions": this.transitions,
      "lmgt/queried": this.queried,
      "lmgt/calls": this.calls,
      "lmgt/calls_per_1k": this.callsPer1k(),
      "lmgt/pairs_scored": this.pairsScored,
      "lmgt/cache_hits": this.cacheHits,
      "lmgt/parse_failures": this.parseFailures,
      "lmgt/distilled_scored": this.distilledScored,
      "lmgt/call_errors": this.callErrors,
      "lmgt/shift_neg": this.shiftHistogram["-1"],
      "lmgt/shift_zero": this.shiftHistogram["0"],
      "lmgt/shift_pos": this.shiftHistogram["+1"],
      "lmgt/input_tokens": this.inputTokens,
      "lmgt/output_tokens": this.outputTokens,
      "lmgt/cost_usd": this.costUsd,
    };
  }
}
