/**
 * The `anthropic` provider: the official @anthropic-ai/sdk Messages API, with this layer's own retry
 * policy (the SDK's retries are switched off so backoff, retry-after and attempt counts are ours),
 * a concurrency limit, and what the openai-compatible provider does too (providers/http.ts): one deadline
 * for the whole attempt, headers and body (the SDK's timeout stops at the headers); a connection lost
 * mid-body retried; a body larger than max_tokens allows refused while it arrives. The SDK sends the
 * request and raises HTTP errors; the body of a 2xx answer is read and checked here.
 */
import type { Anthropic as AnthropicSdk, ClientOptions } from "@anthropic-ai/sdk";
import { ConcurrencyLimit } from "../concurrency.js";
import {
  LlmConfigError,
  LlmError,
  LlmMalformedResponseError,
  LlmPreflightError,
  LlmProviderError,
  LlmTimeoutError,
  redact,
} from "../errors.js";
import { noticeOnce } from "../notice.js";
import { anthropicCost, anthropicPrice, costAt, type ModelPrice } from "../pricing.js";
import { parseRetryAfter, resolveRetryOptions, withRetries, type AttemptFailure } from "../retry.js";
import type { Completion, CompletionRequest, LlmClient, Usage } from "../types.js";
import type { ProviderConnectionOptions } from "./connection-options.js";
import { AttemptTimeout, BodyTooLarge, ConnectionLost, readBodyText, withDeadline } from "./http.js";

/** The model used when neither the `model` option nor GUIDED_RL_MODEL is set: the current Sonnet (2026-11). */
export const DEFAULT_ANTHROPIC_MODEL = "claude-sonnet-5-5";

/**
 * The anthropic provider's options. Defaults: `model` GUIDED_RL_MODEL or `claude-sonnet-5-5`; `apiKey`
 * ANTHROPIC_API_KEY; `baseURL` the SDK's (ANTHROPIC_BASE_URL or api.anthropic.com); `timeoutMs` 180 000 (a
 * long code answer at ~60 tokens/s takes a minute); `maxConcurrency` 4; `defaultMaxTokens` 1024; `price`
 * the model's entry in the price table.
 */
export type AnthropicProviderOptions = ProviderConnectionOptions;

/**
 * Whether a model answers a non-default temperature / top_p / top_k with HTTP 400: Claude Opus 4.7 and
 * later, every Claude 5 model (Opus, Sonnet, Haiku, Fable, Mythos) and Mythos Preview. Expressed as a
 * version cutoff so a new model of a later version is covered without a list update.
 */
export function rejectsSamplingParameters(model: string): boolean {
  if (model.startsWith("claude-mythos-preview")) return true;
  const m = /^claude-(?:opus|sonnet|haiku|fable|mythos)-(\d+)(?:-(\d+))?/.exec(model);
  if (!m) return false;
  const major = Number(m[1]);
  // An 8-digit second part is a snapshot date (claude-opus-4-20250514), not a minor version.
  const minor = m[2] !== undefined && m[2].length < 8 ? Number(m[2]) : 0;
  return major >= 5 || (major === 4 && minor >= 7);
}

/** Retry on rate limits, timeouts/conflicts, server errors and 529 overloaded. */
function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

export class AnthropicProvider implements LlmClient {
  readonly provider = "anthropic";
  readonly model: string;
  // Private fields: util.inspect / console.log never show them, so the key cannot leak that way.
  readonly #apiKey: string | undefined;
  readonly #baseURL: string | undefined;
  readonly #timeoutMs: number;
  readonly #retry;
  readonly #limit: ConcurrencyLimit;
  readonly #defaultMaxTokens: number;
  readonly #price: ModelPrice | undefined;
  #sdk: Promise<AnthropicSdk> | undefined;

  constructor(options: AnthropicProviderOptions = {}) {
    this.model = options.model ?? process.env.GUIDED_RL_MODEL ?? DEFAULT_ANTHROPIC_MODEL;
    this.#apiKey = options.apiKey ?? process.env.ANTHROPIC_API_KEY;
    this.#baseURL = options.baseURL;
    this.#timeoutMs = options.timeoutMs ?? 180_000;
    this.#retry = resolveRetryOptions(options.retry);
    this.#limit = new ConcurrencyLimit(options.maxConcurrency ?? 4);
    this.#defaultMaxTokens = options.defaultMaxTokens ?? 1024;
    this.#price = options.price;
    if (!(this.#timeoutMs > 0)) throw new RangeError(`timeoutMs must be > 0, got ${this.#timeoutMs}`);
  }

  /** Strings that must never be written anywhere. */
  get secrets(): string[] {
    return this.#apiKey ? [this.#apiKey] : [];
  }

  /** Dollars `usage` would cost with this model (0 for a model without a known price). */
  costOf(usage: Usage): number {
    const price = this.#price ?? anthropicPrice(this.model);
    return price ? costAt(price, usage) : 0;
  }

  private sdk(): Promise<AnthropicSdk> {
    if (!this.#apiKey) {
      throw new LlmConfigError(
        "the anthropic provider needs an API key: set ANTHROPIC_API_KEY (or pass apiKey), or use provider 'surrogate' / a replay cassette",
      );
    }
    // Loaded on first use: importing the package stays cheap for runs that never call the API.
    this.#sdk ??= import("@anthropic-ai/sdk").then(({ Anthropic }) => {
      const options: ClientOptions = {
        apiKey: this.#apiKey,
        maxRetries: 0,
        timeout: this.#timeoutMs,
        logLevel: "off",
        openTelemetry: false,
      };
      if (this.#baseURL !== undefined) options.baseURL = this.#baseURL;
      return new Anthropic(options);
    });
    return this.#sdk;
  }

  /**
   * Before any training: the key is set, the server answers and accepts the key. Asks for the model list
   * (free); any HTTP answer but 401/403 means the server is there (a proxy may not serve the list).
   */
  async preflight(): Promise<void> {
    const sdk = await this.sdk();
    const limitMs = Math.min(this.#timeoutMs, 30_000);
    try {
      // The whole exchange under one deadline: a server that sends headers and then stalls must not hang here either.
      await withDeadline(limitMs, (signal) => sdk.models.list({ limit: 1 }, { timeout: limitMs, maxRetries: 1, signal }));
    } catch (error) {
      const e = error as { status?: unknown; message?: string };
      const message = error instanceof AttemptTimeout ? `no answer within ${limitMs} ms` : redact(String(e?.message ?? error), this.secrets);
      if (e?.status === 401 || e?.status === 403) {
        throw new LlmPreflightError(`anthropic: the server at ${sdk.baseURL} rejected the API key (HTTP ${e.status}): check ANTHROPIC_API_KEY (or the apiKey option)`);
      }
      if (typeof e?.status !== "number") {
        throw new LlmPreflightError(
          `anthropic: cannot reach ${sdk.baseURL} (${message}): check the network, or ANTHROPIC_BASE_URL / the baseURL option; or run with --llm surrogate`,
        );
      }
    }
  }

  async complete(request: CompletionRequest): Promise<Completion> {
    const sdk = await this.sdk();
    const body: AnthropicSdk.MessageCreateParamsNonStreaming = {
      model: this.model,
      max_tokens: request.maxTokens ?? this.#defaultMaxTokens,
      messages: request.messages.map((m) => ({ role: m.role, content: m.content })),
    };
    if (request.system !== undefined) body.system = request.system;
    // SDK 1.x dropped `temperature` from its types: Opus 4.7+, the Claude 5 models and later answer a
    // non-default temperature with HTTP 400. Guides ask for temperature 0 (as the papers did); for those
    // models it is left out (said once on stderr), for older ones it is sent as given.
    if (request.temperature !== undefined) {
      if (rejectsSamplingParameters(this.model)) {
        noticeOnce(
          `temperature:${this.model}`,
          `guided-rl: ${this.model} does not accept a temperature; requests are sent without one (its own sampling applies)`,
        );
      } else {
        (body as unknown as Record<string, unknown>).temperature = request.temperature;
      }
    }
    if (request.stop !== undefined && request.stop.length > 0) body.stop_sequences = request.stop;

    return this.#limit.run(async () => {
      const started = performance.now();
      const { value: text, attempts } = await withRetries(
        this.#retry,
        () =>
          withDeadline(this.#timeoutMs, async (signal) => {
            const response = await sdk.messages.create(body, { signal }).asResponse();
            return readBodyText(response, body.max_tokens);
          }),
        (error) => this.classify(error),
        (error, attempts) => this.toLlmError(error, attempts),
      );
      const latencyMs = performance.now() - started;
      let message: unknown;
      try {
        message = JSON.parse(text);
      } catch {
        throw new LlmMalformedResponseError(`anthropic ${this.model}: malformed response (not JSON): ${redact(text.slice(0, 200), this.secrets)}`, 200, attempts);
      }
      return this.toCompletion(message, attempts, latencyMs);
    });
  }

  private classify(error: unknown): AttemptFailure {
    if (error instanceof AttemptTimeout || error instanceof ConnectionLost) return { retryable: true };
    if (error instanceof BodyTooLarge) return { retryable: false };
    const e = error as { status?: unknown; headers?: unknown; name?: string };
    if (typeof e?.status === "number") {
      const headers = e.headers as { get(name: string): string | null } | undefined;
      return { retryable: isRetryableStatus(e.status), retryAfterMs: parseRetryAfter(headers) };
    }
    // No status: connection failures and timeouts (APIConnectionError, APIConnectionTimeoutError).
    return { retryable: e?.name === "APIConnectionError" || e?.name === "APIConnectionTimeoutError" };
  }

  private toLlmError(error: unknown, attempts: number): Error {
    if (error instanceof LlmError) return error;
    const e = error as { status?: unknown; name?: string; message?: string };
    const message = redact(String(e?.message ?? error), this.secrets);
    const tries = `after ${attempts} attempt${attempts === 1 ? "" : "s"}`;
    if (error instanceof AttemptTimeout || e?.name === "APIConnectionTimeoutError") {
      return new LlmTimeoutError(`anthropic ${this.model}: no answer within ${this.#timeoutMs} ms ${tries}`, attempts);
    }
    if (typeof e?.status === "number") {
      return new LlmProviderError(
        `anthropic ${this.model}: HTTP ${e.status} ${tries}: ${message}`,
        e.status,
        isRetryableStatus(e.status),
        attempts,
      );
    }
    if (error instanceof BodyTooLarge) return new LlmMalformedResponseError(`anthropic ${this.model}: ${error.message}`, 200, attempts);
    if (error instanceof ConnectionLost || e?.name === "APIConnectionError") {
      return new LlmProviderError(`anthropic ${this.model}: connection failed ${tries}: ${message}`, undefined, true, attempts);
    }
    // Anything else the SDK throws (it no longer parses a 2xx body: we read and parse it) is reported as malformed.
    return new LlmMalformedResponseError(`anthropic ${this.model}: malformed response: ${message}`, undefined, attempts);
  }

  private toCompletion(message: unknown, attempts: number, latencyMs: number): Completion {
    const m = message as {
      content?: unknown;
      usage?: Record<string, unknown>;
      model?: unknown;
      stop_reason?: unknown;
    };
    // content: [] is not an answer (not even an empty one): malformed, like a body without content.
    if (!m || typeof m !== "object" || !Array.isArray(m.content) || m.content.length === 0 || !m.usage || typeof m.usage.input_tokens !== "number" || typeof m.usage.output_tokens !== "number") {
      const shown = redact(JSON.stringify(message)?.slice(0, 200) ?? String(message), this.secrets);
      throw new LlmMalformedResponseError(
        `anthropic ${this.model}: malformed response (expected a Message with a non-empty content[] and usage): ${shown}`,
        200,
        attempts,
      );
    }
    const text = m.content
      .filter((b): b is { type: "text"; text: string } => b?.type === "text" && typeof b.text === "string")
      .map((b) => b.text)
      .join("");
    const usage = {
      inputTokens: m.usage.input_tokens as number,
      outputTokens: m.usage.output_tokens as number,
    };
    const detailed = {
      ...usage,
      cacheCreationInputTokens: typeof m.usage.cache_creation_input_tokens === "number" ? m.usage.cache_creation_input_tokens : 0,
      cacheReadInputTokens: typeof m.usage.cache_read_input_tokens === "number" ? m.usage.cache_read_input_tokens : 0,
    };
    const model = typeof m.model === "string" ? m.model : this.model;
    const costUsd = this.#price ? costAt(this.#price, detailed) : anthropicCost(model, detailed);
    return {
      text,
      usage,
      model,
      provider: this.provider,
      cached: false,
      costUsd,
      latencyMs,
      stopReason: typeof m.stop_reason === "string" ? m.stop_reason : undefined,
      attempts,
    };
  }
}
