/**
 * `Llm`: what guides call. It wraps any provider (`LlmClient`) with the cache, the budget, the accounting
 * and the transcript, in that order:
 *   validate -> content address -> cassette hit? -> budget reservation -> provider -> record -> transcript.
 */
import { ensureDir } from "../core/fs.js";
import { registerSecret, writeText } from "../core/secrets.js";
import { dirname } from "node:path";
import { Cassette, CACHE_MODES, type CacheMode } from "./cassette.js";
import { isRunStopping, LlmBudgetExceededError, LlmCacheMissError, LlmError, LlmRunStoppedError, markFailedCall, redact } from "./errors.js";
import { promptContent, promptHash } from "./hash.js";
import { sumUsage, UsageLedger, type UsageSummary } from "./ledger.js";
import { estimateInputTokens } from "./tokens.js";
import { TranscriptWriter, type TranscriptRecord } from "./transcript.js";
import { stopKindOf, type Completion, type CompletionRequest, type LlmClient, type Usage } from "./types.js";

/** Optional extras a provider can offer the wrapper. */
export interface ProviderExtras {
  /** Strings (API keys) to redact from everything written or thrown. */
  readonly secrets?: readonly string[];
  /** Extra content of the cache key for a request (e.g. the surrogate's quality knob and purpose). */
  cacheIdentity?(request: CompletionRequest): unknown;
  /** Dollars a given usage would cost, for the budget's worst-case estimate. */
  costOf?(usage: Usage): number;
  /** Checks, without spending anything, that calls can be made (key set and accepted, server reachable). */
  preflight?(): Promise<void>;
}

export interface LlmWrapperOptions {
  /** Cache mode and cassette file. */
  cache?: { mode: CacheMode; path?: string };
  /** Transcript JSONL file; none when absent. */
  transcriptPath?: string;
  /** Where `writeSummary()` puts the usage summary JSON. */
  summaryPath?: string;
  /** Accounting and budget; share one ledger between clients to account a whole run together. */
  ledger?: UsageLedger;
  /** max_tokens assumed for the budget when a request gives none. Default 1024. */
  defaultMaxTokens?: number;
  /** Strings to redact besides the provider's own secrets. */
  secrets?: readonly string[];
  /**
   * Failed calls (after the provider's own retries; malformed answers and strict-replay misses count)
   * the run tolerates. One more and the call throws `LlmRunStoppedError`, and so does every later call.
   * Default 0: any failure stops the run. Counted on the ledger, so clients sharing one count together.
   */
  maxFailedCalls?: number;
}

/** The LLM client guides use: a provider plus cache, budget, accounting and transcript. */
export class Llm implements LlmClient {
  readonly provider: string;
  readonly model: string;
  readonly cacheMode: CacheMode;
  readonly ledger: UsageLedger;
  readonly cassette: Cassette | undefined;
  readonly transcriptPath: string | undefined;
  readonly summaryPath: string | undefined;
  readonly #inner: LlmClient & ProviderExtras;
  readonly #secrets: readonly string[];
  readonly #transcript: TranscriptWriter | undefined;
  readonly #defaultMaxTokens: number;
  readonly maxFailedCalls: number;
  /** Set once the run must stop (failure threshold crossed, budget spent): every later call throws it. */
  #stopped: Error | undefined;
  #lastFailure: Error | undefined;
  #seq = 0;

  constructor(inner: LlmClient & ProviderExtras, options: LlmWrapperOptions = {}) {
    this.#inner = inner;
    this.provider = inner.provider;
    this.model = inner.model;
    this.#secrets = [...(inner.secrets ?? []), ...(options.secrets ?? [])];
    // Every writer of the process redacts them from now on, not only this client's own files.
    for (const secret of this.#secrets) registerSecret(secret);
    this.cacheMode = options.cache?.mode ?? "off";
    if (!CACHE_MODES.includes(this.cacheMode)) {
      throw new LlmError(`unknown cache mode "${this.cacheMode}"; expected one of ${CACHE_MODES.join(", ")}`);
    }
    if (this.cacheMode !== "off") {
      const path = options.cache?.path;
      if (!path) throw new LlmError(`cache mode "${this.cacheMode}" needs a cassette path (or a runDir to put one in)`);
      this.cassette = new Cassette(path, this.#secrets);
    }
    this.transcriptPath = options.transcriptPath;
    this.summaryPath = options.summaryPath;
    this.#transcript = options.transcriptPath ? new TranscriptWriter(options.transcriptPath, this.#secrets) : undefined;
    this.ledger = options.ledger ?? new UsageLedger();
    this.#defaultMaxTokens = options.defaultMaxTokens ?? 1024;
    this.maxFailedCalls = options.maxFailedCalls ?? 0;
    if (!(Number.isInteger(this.maxFailedCalls) && this.maxFailedCalls >= 0)) {
      throw new LlmError(`maxFailedCalls must be an integer >= 0, got ${options.maxFailedCalls}`);
    }
  }

  /**
   * Calls that gave no answer so far: provider failures after retries, malformed answers, strict-replay
   * misses and budget refusals (on the ledger, so for every client sharing it). What a table's
   * "failed calls" column shows.
   */
  get failedCalls(): number {
    const s = this.ledger.summary();
    return s.failedCalls + s.refusedCalls;
  }

  /** The error of the last call that gave no answer (failed, refused, missed), or undefined. */
  get lastFailure(): Error | undefined {
    return this.#lastFailure;
  }

  /** Why the run had to stop (the error every call now throws), or undefined. */
  get stopped(): Error | undefined {
    return this.#stopped;
  }

  /**
   * Checks before any training that calls can be made: the API key is set and accepted and the server
   * answers (a free request, e.g. the model list). Throws `LlmPreflightError` naming the setting to fix.
   * Nothing to check for the surrogate or a strict replay of a cassette.
   */
  async preflight(): Promise<void> {
    if (this.cacheMode === "replay-strict") return;
    try {
      await this.#inner.preflight?.();
    } catch (error) {
      throw this.redactError(error);
    }
  }

  /** Tokens and dollars so far, overall and per guide. */
  summary(): UsageSummary {
    return this.ledger.summary();
  }

  /**
   * Write the usage summary (tokens, dollars, per guide, budget) as JSON to `path` (default the run
   * folder's llm-usage.json) and return it. Call it at the end of a run, or whenever a checkpoint is saved.
   * `earlier`: the usage of earlier processes of the same work (e.g. a stopped run's), added to this client's.
   */
  writeSummary(path: string | undefined = this.summaryPath, earlier?: UsageSummary): UsageSummary {
    if (!path) throw new LlmError("writeSummary() needs a path (or a client created with a runDir)");
    const summary = earlier ? sumUsage([earlier, this.summary()]) : this.summary();
    const record = { provider: this.provider, model: this.model, writtenAt: new Date().toISOString(), ...summary };
    ensureDir(dirname(path));
    writeText(path, JSON.stringify(record, null, 2) + "\n");
    return summary;
  }

  async complete(request: CompletionRequest): Promise<Completion> {
    validateRequest(request);
    if (this.#stopped) throw this.#stopped;
    const seq = ++this.#seq;
    const started = performance.now();
    const hash = promptHash(this.provider, this.model, request, this.#inner.cacheIdentity?.(request));
    const base = {
      seq,
      provider: this.provider,
      model: this.model,
      purpose: request.purpose,
      promptHash: hash,
      request: promptContent(request),
    };
    const mode = this.cacheMode;

    if (this.cassette && (mode === "read" || mode === "read-write" || mode === "replay-strict")) {
      const hit = this.cassette.get(hash);
      if (hit) {
        const completion: Completion = {
          text: hit.response.text,
          usage: { ...hit.response.usage },
          model: hit.response.model,
          provider: this.provider,
          cached: true,
          costUsd: 0,
          latencyMs: performance.now() - started,
          stopReason: hit.response.stopReason,
          stop: stopKindOf(hit.response.stopReason),
          attempts: 0,
          promptHash: hash,
        };
        this.ledger.recordCacheHit(request.purpose);
        this.log({ ...base, ...responseParts(completion) });
        return completion;
      }
      if (mode === "replay-strict") {
        const what = request.purpose ? ` (purpose ${request.purpose.guide}/${request.purpose.task})` : "";
        const error = new LlmCacheMissError(
          `replay-strict: prompt ${hash}${what} is not in the cassette ${this.cassette.path}; ` +
            `record it with cache mode "read-write" (needs the provider) or replay the run that made the cassette`,
          hash,
        );
        this.ledger.recordFailure(request.purpose);
        this.noteFailure(base, started, "cache-miss", error);
        throw error;
      }
    }

    const maxTokens = request.maxTokens ?? this.#defaultMaxTokens;
    const worstUsage = { inputTokens: estimateInputTokens(request), outputTokens: maxTokens };
    let reservation;
    try {
      reservation = this.ledger.reserve(
        { tokens: worstUsage.inputTokens + worstUsage.outputTokens, costUsd: this.#inner.costOf?.(worstUsage) ?? 0 },
        request.purpose,
        `prompt ${hash.slice(0, 12)}`,
      );
    } catch (error) {
      if (error instanceof LlmBudgetExceededError) {
        this.noteFailure(base, started, "budget", error);
        this.#stopped = error;
      }
      throw error;
    }

    let completion: Completion;
    try {
      const answer = await this.#inner.complete(request);
      completion = { ...answer, ...this.honestUsage(answer, worstUsage), stop: stopKindOf(answer.stopReason), promptHash: hash };
    } catch (error) {
      this.ledger.release(reservation, request.purpose);
      const safe = this.redactError(error);
      this.noteFailure(base, started, "provider", safe);
      throw this.afterFailure(safe);
    }
    this.ledger.settle(reservation, completion, request.purpose);
    if (this.cassette && (mode === "write" || mode === "read-write")) {
      this.cassette.put({
        hash,
        provider: this.provider,
        model: this.model,
        purpose: request.purpose,
        request: base.request,
        response: { text: completion.text, usage: completion.usage, model: completion.model, stopReason: completion.stopReason },
        recordedAt: new Date().toISOString(),
      });
    }
    this.log({ ...base, ...responseParts(completion) });
    return completion;
  }

  /**
   * The usage and cost to account: the provider's, unless a figure is missing, negative or not finite —
   * then the request's worst case (estimated input + max_tokens), so a server cannot spend past the cap by
   * reporting nothing.
   */
  private honestUsage(answer: Completion, worst: Usage): { usage: Usage; costUsd: number } {
    const ok = (v: unknown) => typeof v === "number" && Number.isFinite(v) && v >= 0;
    const u = answer.usage as Partial<Usage> | undefined;
    if (u && ok(u.inputTokens) && ok(u.outputTokens) && ok(answer.costUsd)) return { usage: { inputTokens: u.inputTokens!, outputTokens: u.outputTokens! }, costUsd: answer.costUsd };
    const usage = { inputTokens: ok(u?.inputTokens) ? Math.max(u!.inputTokens!, worst.inputTokens) : worst.inputTokens, outputTokens: worst.outputTokens };
    return { usage, costUsd: this.#inner.costOf?.(usage) ?? 0 };
  }

  /** The error a failed call throws: itself, or `LlmRunStoppedError` once failures pass `maxFailedCalls`. */
  private afterFailure(error: Error): Error {
    if (isRunStopping(error)) return error; // e.g. no API key: no tolerance helps, and the next call says so again
    const failed = this.ledger.summary().failedCalls;
    if (failed <= this.maxFailedCalls) return markFailedCall(error);
    const allowed = this.maxFailedCalls === 0 ? "no failed call is allowed (maxFailedCalls 0, the default)" : `at most ${this.maxFailedCalls} are allowed (maxFailedCalls)`;
    this.#stopped = new LlmRunStoppedError(
      `LLM call failed after the provider's retries, so the run stops: ${failed} failed call${failed === 1 ? "" : "s"}, ${allowed}. ` +
        `Results so far must not be read as the model's. Cause: ${error.message}`,
      failed,
      error,
    );
    return this.#stopped;
  }

  private log(record: Omit<TranscriptRecord, "time">): void {
    this.#transcript?.write({ time: new Date().toISOString(), ...record });
  }

  /** A failed call: it becomes `lastFailure` and a transcript line. */
  private noteFailure(base: Omit<TranscriptRecord, "time" | "costUsd" | "latencyMs" | "cached" | "attempts">, started: number, kind: string, error: Error): void {
    this.#lastFailure = error;
    this.log({
      ...base,
      costUsd: 0,
      latencyMs: performance.now() - started,
      cached: false,
      attempts: (error as { attempts?: number }).attempts ?? 0,
      error: { kind, message: error.message },
    });
  }

  /** Errors from the provider leave with any secret scrubbed from message and stack. */
  private redactError(error: unknown): Error {
    if (!(error instanceof Error)) return new LlmError(redact(String(error), this.#secrets));
    if (this.#secrets.length === 0) return error;
    const message = redact(error.message, this.#secrets);
    if (message !== error.message) {
      try {
        error.message = message;
      } catch {
        return new LlmError(message);
      }
    }
    if (error.stack) error.stack = redact(error.stack, this.#secrets);
    return error;
  }
}

/**
 * `client` when it is already an `Llm`, else `client` wrapped in one (no cache, no transcript) so that its
 * failed calls are counted and judged the shared way (`failedCalls`, `isFailedCall`, `isRunStopping`).
 * `maxFailedCalls` applies to a wrapped client; an `Llm` keeps its own and a different value is refused.
 */
export function countingLlm(client: LlmClient, maxFailedCalls?: number): Llm {
  if (!(client instanceof Llm)) return new Llm(client, maxFailedCalls === undefined ? {} : { maxFailedCalls });
  if (maxFailedCalls !== undefined && maxFailedCalls !== client.maxFailedCalls) {
    throw new LlmError(`maxFailedCalls ${maxFailedCalls} differs from the client's own (${client.maxFailedCalls}): set it where the client is made (createLlm({ maxFailedCalls }) or GUIDED_RL_MAX_FAILED_CALLS)`);
  }
  return client;
}

function responseParts(c: Completion) {
  return {
    response: { text: c.text, model: c.model, stopReason: c.stopReason },
    usage: c.usage,
    costUsd: c.costUsd,
    latencyMs: c.latencyMs,
    cached: c.cached,
    attempts: c.attempts ?? 1,
  };
}

/** Clear errors for malformed requests, before anything is spent or looked up. */
export function validateRequest(request: CompletionRequest): void {
  if (!request || typeof request !== "object") throw new LlmError("complete() needs a request object {system?, messages, ...}");
  if (!Array.isArray(request.messages) || request.messages.length === 0) {
    throw new LlmError("a request needs at least one message: messages: [{role: 'user', content: '...'}]");
  }
  request.messages.forEach((m, i) => {
    if (m?.role !== "user" && m?.role !== "assistant") throw new LlmError(`messages[${i}].role must be "user" or "assistant", got ${JSON.stringify(m?.role)}`);
    if (typeof m.content !== "string") throw new LlmError(`messages[${i}].content must be a string`);
  });
  if (request.messages[0]!.role !== "user") throw new LlmError('the first message must have role "user"');
  if (request.system !== undefined && typeof request.system !== "string") throw new LlmError("system must be a string");
  if (request.maxTokens !== undefined && !(Number.isInteger(request.maxTokens) && request.maxTokens > 0)) {
    throw new LlmError(`maxTokens must be a positive integer, got ${request.maxTokens}`);
  }
  if (request.temperature !== undefined && !(request.temperature >= 0 && request.temperature <= 2)) {
    throw new LlmError(`temperature must be in [0, 2], got ${request.temperature}`);
  }
  if (request.stop !== undefined && (!Array.isArray(request.stop) || request.stop.some((s) => typeof s !== "string"))) {
    throw new LlmError("stop must be an array of strings");
  }
  if (request.purpose !== undefined && (typeof request.purpose.guide !== "string" || typeof request.purpose.task !== "string")) {
    throw new LlmError("purpose must be {guide: string, task: string}");
  }
}
