/**
 * LMGT (Language Model Guided Trade-offs, arXiv 2409.04744) as a reward-seam guide: a language model scores
 * the action taken in each state +1 (good) / 0 / -1 (bad) and `shiftScale * score` is added to the
 * environment's reward before the algorithm learns from it. Because it only touches the reward seam it works
 * unchanged with DQN, PPO, A2C and SAC.
 *
 * Cost control (each switchable): many pairs per request (`pairsPerCall`), a cache keyed by a discretised
 * (state, action) bucket (`cache`), and a query schedule (`schedule`). `pairsPerCall: 1, cache: false,
 * schedule: every` is the paper's per-step querying. Beyond the paper, `distill` trains a small classifier on
 * a sample of the LLM's labels and lets it score the other pairs (distill.ts).
 */
import type { EnvDescription } from "../../core/env.js";
import type { Space } from "../../core/spaces.js";
import { observationDecoder, type ObservationDecoder } from "./decode.js";
import type { Guide, SeamContext, TransitionBatch } from "../../algos/seams.js";
import { incompleteReason, type Completion, type LlmClient } from "../../llm/types.js";
import { isRunStopping } from "../../llm/errors.js";
import { ScoreCache, type BucketSpec } from "./cache.js";
import { DistilledScorer, type DistillOptions } from "./distill.js";
import { parseScores, type Score } from "./parse.js";
import { buildScoringRequest, type FewShotExample } from "./prompt.js";
import { guideRandom } from "../random.js";
import { queryProbability, validateSchedule, type QuerySchedule } from "./schedule.js";
import { LmgtStats, type LmgtStatsSnapshot } from "./stats.js";
import type { LmgtPromptStyle } from "./template.js";
import { registerLmgtSurrogate } from "./surrogate/register.js";

export interface LmgtGuideOptions {
  /** Any client from `llm/` (surrogate, anthropic, openai-compatible), usually wrapped in its cache/accounting. */
  llm: LlmClient;
  /** The environment's self-description (`env.spec.describe()`): the prompt is rendered from it. */
  description: EnvDescription;
  /**
   * The env's observation space, when the algorithm's rows are not the raw observation (Discrete and
   * Tuple observations are one-hot encoded by the algorithms): rows are decoded back before rendering.
   */
  observationSpace?: Space<unknown>;
  /** Default "zero-shot". */
  promptStyle?: LmgtPromptStyle;
  /** (state, action) pairs per request; 1 is per-step querying. Default 32. */
  pairsPerCall?: number;
  /** Bucket cache, or false for none. Default false. */
  cache?: BucketSpec | false;
  /** The distilled scorer (beyond the paper), or false for none. Default false. Not combined with `cache`. */
  distill?: DistillOptions | false;
  /** Default every step. */
  schedule?: QuerySchedule;
  /** The reward shift is `shiftScale * score`. Default 1. */
  shiftScale?: number;
  /** Seeds the schedule's coin flips. Default 0. */
  seed?: number;
  /** Requests in flight at once. Default 4. */
  concurrency?: number;
  /** Decimals of numbers in the prompt. Default 3. */
  decimals?: number;
  /** Few-shot examples (default: the shipped ones for the env). */
  examples?: readonly FewShotExample[];
  /** Sampling temperature sent with each request. Default 0. */
  temperature?: number;
}

interface Pending {
  obs: Float32Array;
  action: Float32Array;
  key: string | undefined;
  /** Transition indices waiting for this pair's score. */
  rows: number[];
  /** Set once the LLM answered this pair readably (its score is a label the distilled scorer can learn). */
  answered?: boolean;
}

export class LmgtGuide implements Guide {
  readonly name = "lmgt";
  readonly stats = new LmgtStats();
  readonly cache: ScoreCache | undefined;
  /** The distilled scorer, created at the first batch (it needs the rows' widths). */
  distiller: DistilledScorer | undefined;
  private readonly distillOptions: DistillOptions | undefined;
  /** Env step of the next relabelling round, and the interval after it. */
  private nextRelabel = Infinity;
  private relabelInterval = 0;
  readonly options: Readonly<Required<Omit<LmgtGuideOptions, "cache" | "distill" | "examples" | "observationSpace">>> & Pick<LmgtGuideOptions, "examples">;
  private readonly decoder: ObservationDecoder | undefined;
  private readonly uniform: () => number;

  constructor(opts: LmgtGuideOptions) {
    if (!opts || !opts.llm || typeof opts.llm.complete !== "function") throw new TypeError("LmgtGuide: `llm` must be an LlmClient");
    if (!opts.description || !Array.isArray(opts.description.observation)) {
      throw new TypeError("LmgtGuide: `description` must be an EnvDescription (env.spec.describe())");
    }
    const pairsPerCall = opts.pairsPerCall ?? 32;
    if (!Number.isInteger(pairsPerCall) || pairsPerCall < 1) throw new RangeError(`LmgtGuide: pairsPerCall must be an integer >= 1, got ${pairsPerCall}`);
    const concurrency = opts.concurrency ?? 4;
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`LmgtGuide: concurrency must be an integer >= 1, got ${concurrency}`);
    const shiftScale = opts.shiftScale ?? 1;
    if (!Number.isFinite(shiftScale)) throw new RangeError(`LmgtGuide: shiftScale must be finite, got ${shiftScale}`);
    this.options = {
      llm: opts.llm,
      description: opts.description,
      promptStyle: opts.promptStyle ?? "zero-shot",
      pairsPerCall,
      schedule: validateSchedule(opts.schedule ?? { kind: "every" }),
      shiftScale,
      seed: opts.seed ?? 0,
      concurrency,
      decimals: opts.decimals ?? 3,
      examples: opts.examples,
      temperature: opts.temperature ?? 0,
    };
    this.cache = opts.cache ? new ScoreCache(opts.cache) : undefined;
    if (opts.distill && opts.cache) throw new Error("LmgtGuide: use either `cache` or `distill`, not both (the distilled scorer replaces the bucket cache)");
    this.distillOptions = opts.distill ? { seed: opts.seed ?? 0, ...opts.distill } : undefined;
    this.decoder = opts.observationSpace && opts.observationSpace.kind !== "box" ? observationDecoder(opts.observationSpace) : undefined;
    // So the offline surrogate provider can answer this guide's requests.
    registerLmgtSurrogate();
    const coins = guideRandom(this.options.seed);
    this.uniform = () => coins.random();
  }

  /** Scores the batch's (state, action) pairs and returns the shifted rewards. */
  async transformRewards(batch: TransitionBatch, ctx: SeamContext): Promise<Float32Array> {
    const { n, obsDim, actDim } = batch;
    const scores = new Int8Array(n);
    const pending: Pending[] = [];
    const byKey = new Map<string, Pending>();
    const queried = new Uint8Array(n);
    // ctx.numTimesteps counts the steps taken so far, this batch included; spread the batch's rows over it.
    const firstStep = Math.max(0, ctx.numTimesteps - n);
    this.stats.transitions += n;
    for (let i = 0; i < n; i++) {
      const p = queryProbability(this.options.schedule, firstStep + i, ctx.totalTimesteps);
      if (p <= 0 || (p < 1 && this.uniform() >= p)) continue;
      queried[i] = 1;
      this.stats.queried++;
      const obs = this.observationRow(batch.obs, i, obsDim);
      const action = batch.actions.subarray(i * actDim, (i + 1) * actDim);
      if (this.cache) {
        const key = this.cache.key(obs, action);
        const known = this.cache.lookup(key);
        if (known !== undefined) {
          scores[i] = known;
          this.stats.cacheHits++;
          continue;
        }
        const waiting = byKey.get(key);
        if (waiting) {
          // Same bucket earlier in this batch: answered by that pair's score.
          waiting.rows.push(i);
          this.stats.cacheHits++;
          continue;
        }
        const entry: Pending = { obs: obs.slice(), action: action.slice(), key, rows: [i] };
        byKey.set(key, entry);
        pending.push(entry);
      } else {
        pending.push({ obs: obs.slice(), action: action.slice(), key: undefined, rows: [i] });
      }
    }

    if (this.distillOptions) await this.scoreDistilled(pending, scores, ctx.numTimesteps, actDim);
    else await this.scorePending(pending, scores);

    const out = new Float32Array(n);
    const scale = this.options.shiftScale;
    for (let i = 0; i < n; i++) {
      out[i] = batch.rewards[i]! + scale * scores[i]!;
      if (queried[i]) this.stats.recordShift(scores[i]!);
    }
    return out;
  }

  private observationRow(all: Float32Array, i: number, obsDim: number): Float32Array {
    const row = all.subarray(i * obsDim, (i + 1) * obsDim);
    if (!this.decoder) return row;
    if (obsDim !== this.decoder.rowDim) throw new Error(`LmgtGuide: batch rows have ${obsDim} values, the observation space encodes to ${this.decoder.rowDim}`);
    const out = new Float32Array(this.decoder.dim);
    this.decoder.decode(row, out);
    return out;
  }

  /** Scores pairs directly (no schedule, no reward): for inspection, notebooks and tests. */
  async scorePairs(pairs: ReadonlyArray<{ obs: ArrayLike<number>; action: ArrayLike<number> }>): Promise<Int8Array> {
    const pending = pairs.map((p, i) => ({ obs: Float32Array.from(p.obs), action: Float32Array.from(p.action), key: undefined, rows: [i] }));
    const scores = new Int8Array(pairs.length);
    await this.scorePending(pending, scores);
    return scores;
  }

  /**
   * The distilled scorer's path: LLM labels until it has its initial sample, then the classifier scores;
   * every `relabelEvery` steps the pairs it is least sure about (below `confidence`) go to the LLM, whose
   * answers are used for them and added to the labels before retraining.
   */
  private async scoreDistilled(pending: Pending[], scores: Int8Array, step: number, actDim: number): Promise<void> {
    if (pending.length === 0) return;
    const obsDim = pending[0]!.obs.length;
    const meanings = this.options.description.actionMeanings;
    this.distiller ??= new DistilledScorer(obsDim, meanings && actDim === 1 ? { kind: "discrete", n: meanings.length } : { kind: "box", dim: actDim }, this.distillOptions);
    const d = this.distiller;
    const label = async (entries: Pending[]) => {
      await this.scorePending(entries, scores, d.options.pairsPerCall);
      for (const e of entries) if (e.answered) d.addLabel(e.obs, e.action, scores[e.rows[0]!]! as Score);
    };
    let rest = pending;
    if (!d.ready) {
      const ask = rest.slice(0, Math.max(0, d.options.initialLabels - d.labels));
      rest = rest.slice(ask.length);
      await label(ask);
      if (d.labels >= d.options.initialLabels) {
        d.train();
        this.relabelInterval = d.options.relabelEvery;
        this.nextRelabel = step + this.relabelInterval;
      }
    }
    if (!d.ready || rest.length === 0) return;
    const obs = new Float32Array(rest.length * obsDim);
    const act = new Float32Array(rest.length * actDim);
    rest.forEach((e, i) => {
      obs.set(e.obs, i * obsDim);
      act.set(e.action, i * actDim);
    });
    const { scores: predicted, confidence } = d.predict(obs, act, rest.length, actDim);
    rest.forEach((e, i) => {
      for (const row of e.rows) scores[row] = predicted[i]!;
    });
    this.stats.distilledScored += rest.length;
    if (step >= this.nextRelabel && d.options.relabelPairs > 0) {
      this.relabelInterval *= d.options.relabelGrowth;
      this.nextRelabel = step + this.relabelInterval;
      const unsure = rest
        .map((e, i) => ({ e, c: confidence[i]! }))
        .filter((u) => u.c < d.options.confidence)
        .sort((a, b) => a.c - b.c)
        .slice(0, d.options.relabelPairs)
        .map((u) => u.e);
      if (unsure.length > 0) {
        this.stats.distilledScored -= unsure.length;
        await label(unsure);
        d.train();
      }
    }
  }

  private async scorePending(pending: Pending[], scores: Int8Array, pairsPerCall = this.options.pairsPerCall): Promise<void> {
    const chunks: Pending[][] = [];
    for (let i = 0; i < pending.length; i += pairsPerCall) chunks.push(pending.slice(i, i + pairsPerCall));
    let next = 0;
    // A run-stopping error ends the batch, but only after the requests already in flight have settled,
    // so every request sent is counted (answered or failed) before the error leaves.
    let stop: { error: unknown } | undefined;
    const worker = async () => {
      while (next < chunks.length && !stop) {
        const chunk = chunks[next++]!;
        let chunkScores: Int8Array, answered: boolean;
        try {
          ({ scores: chunkScores, answered } = await this.scoreChunk(chunk));
        } catch (error) {
          stop ??= { error };
          return;
        }
        chunk.forEach((entry, j) => {
          const s = chunkScores[j]! as Score;
          entry.answered = answered;
          for (const row of entry.rows) scores[row] = s;
          if (entry.key !== undefined) this.cache!.set(entry.key, s);
        });
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.options.concurrency, chunks.length) }, worker));
    if (stop) throw stop.error;
  }

  /** The chunk's scores; `answered` when the request succeeded and every pair's score was read. */
  private async scoreChunk(chunk: Pending[]): Promise<{ scores: Int8Array; answered: boolean }> {
    const request = buildScoringRequest(this.options.description, chunk, {
      style: this.options.promptStyle,
      decimals: this.options.decimals,
      examples: this.options.examples,
      temperature: this.options.temperature,
    });
    this.stats.calls++;
    this.stats.pairsScored += chunk.length;
    let completion: Completion;
    try {
      completion = await this.options.llm.complete(request);
      this.stats.inputTokens += completion.usage.inputTokens;
      this.stats.outputTokens += completion.usage.outputTokens;
      this.stats.costUsd += completion.costUsd;
      if (completion.cached) this.stats.responseCacheHits++;
    } catch (err) {
      // Past the run's tolerance (maxFailedCalls, default 0), a spent budget or a missing key: the run stops.
      if (isRunStopping(err)) throw err;
      // A tolerated failure (after the provider's retries) leaves these rewards unshifted, counted.
      this.stats.callErrors++;
      return { scores: new Int8Array(chunk.length), answered: false };
    }
    // A cut (max_tokens) or refused answer is not the model's scoring: every pair of it is a parse failure.
    if (incompleteReason(completion) !== undefined) {
      this.stats.parseFailures += chunk.length;
      return { scores: new Int8Array(chunk.length), answered: false };
    }
    const parsed = parseScores(completion.text, chunk.length);
    this.stats.parseFailures += parsed.failures;
    return { scores: parsed.scores, answered: parsed.failures === 0 };
  }

  metrics(): Record<string, number> {
    const m = this.stats.metrics();
    if (this.cache) m["lmgt/cache_size"] = this.cache.size;
    if (this.distiller) {
      m["lmgt/distill_labels"] = this.distiller.labels;
      const agreement = this.distiller.agreement();
      if (Number.isFinite(agreement)) m["lmgt/distill_agreement"] = agreement;
    }
    return m;
  }

  snapshot(): LmgtStatsSnapshot {
    const s = this.stats.snapshot();
    if (this.distiller) {
      const agreement = this.distiller.agreement();
      s.distill = { labels: this.distiller.labels, heldOut: this.distiller.heldOut, trainings: this.distiller.trainings, ...(Number.isFinite(agreement) ? { agreement } : {}) };
    }
    return s;
  }
}

/** Shorthand for `new LmgtGuide(opts)`. */
export function createLmgtGuide(opts: LmgtGuideOptions): LmgtGuide {
  return new LmgtGuide(opts);
}
