/**
 * The `openai-compatible` provider: a plain `fetch` POST to `<baseURL>/v1/chat/completions`, the API
 * that local model servers (Ollama, vLLM, llama.cpp's server, LM Studio) expose. LMGT ran local open
 * models this way. Same retry policy, whole-attempt deadline, body checks (providers/http.ts) and
 * concurrency limit as the anthropic provider.
 */
import { ConcurrencyLimit } from "../concurrency.js";
import { LlmError, LlmMalformedResponseError, LlmPreflightError, LlmProviderError, LlmTimeoutError, redact } from "../errors.js";
import { costAt, type ModelPrice } from "../pricing.js";
import { parseRetryAfter, resolveRetryOptions, withRetries, type AttemptFailure, type RetryOptions } from "../retry.js";
import { estimateInputTokens, estimateTextTokens } from "../tokens.js";
import type { Completion, CompletionRequest, LlmClient, Usage } from "../types.js";
import { AttemptTimeout, BodyTooLarge, ConnectionLost, readBodyText, withDeadline } from "./http.js";

/** Ollama's default address. */
export const DEFAULT_OPENAI_COMPATIBLE_BASE_URL = "http://127.0.0.1:11434/v1";

export interface OpenAiCompatibleProviderOptions {
  /** Model name as the server knows it (e.g. "llama3.1:8b"); default GUIDED_RL_MODEL. Required one way or the other. */
  model?: string;
  /** Server root, with or without the trailing `/v1`; default GUIDED_RL_OPENAI_BASE_URL or Ollama's 127.0.0.1:11434. */
  baseURL?: string;
  /** Sent as `Authorization: Bearer` when set; default GUIDED_RL_OPENAI_API_KEY. Local servers need none. */
  apiKey?: string;
  /** Per-attempt timeout. Default 120 000 ms (local models can be slow). */
  timeoutMs?: number;
  retry?: RetryOptions;
  /** Calls in flight at once. Default 2. */
  maxConcurrency?: number;
  /** max_tokens when a request gives none. Default 1024. */
  defaultMaxTokens?: number;
  /** Price, for hosted OpenAI-compatible services; local models cost 0 (the default). */
  price?: ModelPrice;
}

/** A failed HTTP exchange, kept internal until the retries are over. */
class HttpFailure extends Error {
  constructor(
    readonly status: number,
    readonly headers: Headers,
    readonly body: string,
  ) {
    super(`HTTP ${status}`);
  }
}

function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/** `<root>/v1/chat/completions`, whether or not `baseURL` already ends in `/v1`. */
export function chatCompletionsUrl(baseURL: string): string {
  const root = baseURL.replace(/\/+$/, "");
  return root.endsWith("/v1") ? `${root}/chat/completions` : `${root}/v1/chat/completions`;
}

export class OpenAiCompatibleProvider implements LlmClient {
  readonly provider = "openai-compatible";
  readonly model: string;
  readonly url: string;
  readonly #apiKey: string | undefined;
  readonly #timeoutMs: number;
  readonly #retry;
  readonly #limit: ConcurrencyLimit;
  readonly #defaultMaxTokens: number;
  readonly #price: ModelPrice;

  constructor(options: OpenAiCompatibleProviderOptions = {}) {
    const model = options.model ?? process.env.GUIDED_RL_MODEL;
    if (!model) {
      throw new LlmError("the openai-compatible provider needs a model name: pass model or set GUIDED_RL_MODEL (e.g. llama3.1:8b)");
    }
    this.model = model;
    this.url = chatCompletionsUrl(options.baseURL ?? process.env.GUIDED_RL_OPENAI_BASE_URL ?? DEFAULT_OPENAI_COMPATIBLE_BASE_URL);
    this.#apiKey = options.apiKey ?? process.env.GUIDED_RL_OPENAI_API_KEY;
    this.#timeoutMs = options.timeoutMs ?? 120_000;
    this.#retry = resolveRetryOptions(options.retry);
    this.#limit = new ConcurrencyLimit(options.maxConcurrency ?? 2);
    this.#defaultMaxTokens = options.defaultMaxTokens ?? 1024;
    this.#price = options.price ?? { inputPerMTok: 0, outputPerMTok: 0 };
    if (!(this.#timeoutMs > 0)) throw new RangeError(`timeoutMs must be > 0, got ${this.#timeoutMs}`);
  }

  /** Strings that must never be written anywhere. */
  get secrets(): string[] {
    return this.#apiKey ? [this.#apiKey] : [];
  }

  /** Dollars `usage` would cost (0 for local models). */
  costOf(usage: Usage): number {
    return costAt(this.#price, usage);
  }

  /**
   * Before any training: the server answers and accepts the key. Asks for `<root>/v1/models` (free); any
   * HTTP answer but 401/403 means the server is there.
   */
  async preflight(): Promise<void> {
    const url = this.url.replace(/\/chat\/completions$/, "/models");
    const headers: Record<string, string> = { accept: "application/json" };
    if (this.#apiKey) headers.authorization = `Bearer ${this.#apiKey}`;
    let status: number;
    try {
      const response = await fetch(url, { headers, signal: AbortSignal.timeout(Math.min(this.#timeoutMs, 30_000)) });
      status = response.status;
      await response.body?.cancel();
    } catch (error) {
      const e = error as { message?: string; cause?: { message?: string } };
      const why = redact(`${e?.message ?? String(error)}${e?.cause?.message ? ` (${e.cause.message})` : ""}`, this.secrets);
      throw new LlmPreflightError(
        `openai-compatible: cannot reach the server at ${url} (${why}): start it, or set GUIDED_RL_OPENAI_BASE_URL (or the baseURL option); or run with --llm surrogate`,
      );
    }
    if (status === 401 || status === 403) {
      throw new LlmPreflightError(`openai-compatible: the server at ${url} rejected the request (HTTP ${status}): check GUIDED_RL_OPENAI_API_KEY (or the apiKey option)`);
    }
  }

  async complete(request: CompletionRequest): Promise<Completion> {
    const messages: Array<{ role: string; content: string }> = [];
    if (request.system !== undefined) messages.push({ role: "system", content: request.system });
    for (const m of request.messages) messages.push({ role: m.role, content: m.content });
    const maxTokens = request.maxTokens ?? this.#defaultMaxTokens;
    const body: Record<string, unknown> = {
      model: this.model,
      messages,
      max_tokens: maxTokens,
      stream: false,
    };
    if (request.temperature !== undefined) body.temperature = request.temperature;
    if (request.stop !== undefined && request.stop.length > 0) body.stop = request.stop;
    const payload = JSON.stringify(body);

    return this.#limit.run(async () => {
      const started = performance.now();
      const { value, attempts } = await withRetries(
        this.#retry,
        () => this.post(payload, maxTokens),
        (error) => this.classify(error),
        (error, attempts) => this.toLlmError(error, attempts),
      );
      const latencyMs = performance.now() - started;
      return this.toCompletion(request, value.status, value.text, attempts, latencyMs);
    });
  }

  private post(payload: string, maxTokens: number): Promise<{ status: number; text: string }> {
    const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json" };
    if (this.#apiKey) headers.authorization = `Bearer ${this.#apiKey}`;
    return withDeadline(this.#timeoutMs, async (signal) => {
      const response = await fetch(this.url, { method: "POST", headers, body: payload, signal });
      let text: string;
      try {
        text = await readBodyText(response, maxTokens);
      } catch (error) {
        // An error status stays that status (retried or not by its code) whatever its page weighs.
        if (response.ok || !(error instanceof BodyTooLarge)) throw error;
        text = `(an error body over ${error.limit} bytes, not read)`;
      }
      if (!response.ok) throw new HttpFailure(response.status, response.headers, text);
      return { status: response.status, text };
    });
  }

  private classify(error: unknown): AttemptFailure {
    if (error instanceof HttpFailure) {
      return { retryable: isRetryableStatus(error.status), retryAfterMs: parseRetryAfter(error.headers) };
    }
    // Timeouts, connections lost mid-body and network failures (fetch's TypeError "fetch failed") are transient.
    return { retryable: error instanceof AttemptTimeout || error instanceof ConnectionLost || error instanceof TypeError };
  }

  private toLlmError(error: unknown, attempts: number): Error {
    const tries = `after ${attempts} attempt${attempts === 1 ? "" : "s"}`;
    const where = `openai-compatible ${this.model} at ${this.url}`;
    if (error instanceof AttemptTimeout) {
      return new LlmTimeoutError(`${where}: no answer within ${this.#timeoutMs} ms ${tries}`, attempts);
    }
    if (error instanceof BodyTooLarge) return new LlmMalformedResponseError(`${where}: ${error.message}`, undefined, attempts);
    if (error instanceof HttpFailure) {
      const detail = redact(error.body.slice(0, 300), this.secrets);
      return new LlmProviderError(`${where}: HTTP ${error.status} ${tries}: ${detail}`, error.status, isRetryableStatus(error.status), attempts);
    }
    const e = error as { message?: string; cause?: { message?: string } };
    const message = redact(`${e?.message ?? String(error)}${e?.cause?.message ? ` (${e.cause.message})` : ""}`, this.secrets);
    return new LlmProviderError(`${where}: connection failed ${tries}: ${message}`, undefined, true, attempts);
  }

  private toCompletion(request: CompletionRequest, status: number, text: string, attempts: number, latencyMs: number): Completion {
    const malformed = (why: string) =>
      new LlmMalformedResponseError(
        `openai-compatible ${this.model}: malformed response (${why}): ${redact(text.slice(0, 200), this.secrets)}`,
        status,
        attempts,
      );
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw malformed("not JSON");
    }
    const j = json as {
      choices?: Array<{ message?: { content?: unknown }; finish_reason?: unknown }>;
      usage?: { prompt_tokens?: unknown; completion_tokens?: unknown };
      model?: unknown;
    };
    const choice = Array.isArray(j?.choices) ? j.choices[0] : undefined;
    const content = choice?.message?.content;
    if (typeof content !== "string") throw malformed("expected choices[0].message.content");
    // Some servers omit usage; fall back to estimates so token budgets still count something.
    const usage = {
      inputTokens: typeof j.usage?.prompt_tokens === "number" ? j.usage.prompt_tokens : estimateInputTokens(request),
      outputTokens: typeof j.usage?.completion_tokens === "number" ? j.usage.completion_tokens : estimateTextTokens(content),
    };
    return {
      text: content,
      usage,
      model: typeof j.model === "string" ? j.model : this.model,
      provider: this.provider,
      cached: false,
      costUsd: costAt(this.#price, usage),
      latencyMs,
      stopReason: typeof choice?.finish_reason === "string" ? choice.finish_reason : undefined,
      attempts,
    };
  }
}
