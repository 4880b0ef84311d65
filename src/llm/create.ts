/**
 * `createLlm`: one call that picks a provider and wraps it with cache, budget, accounting and transcript.
 *
 *   const llm = createLlm({ runDir: "runs/lmgt-1", cache: "read-write", budget: { maxCostUsd: 2 } });
 *   const { text } = await llm.complete({ system, messages: [{ role: "user", content }], purpose: { guide: "lmgt", task: "score-actions" } });
 *
 * Provider choice: `provider` option, else GUIDED_RL_PROVIDER, else "anthropic" when ANTHROPIC_API_KEY is
 * set, else the offline "surrogate" (said once on stderr).
 */
import { join } from "node:path";
import type { CacheMode } from "./cassette.js";
import { LlmError } from "./errors.js";
import { Llm } from "./llm.js";
import { UsageLedger, type LlmBudget } from "./ledger.js";
import { noticeOnce, warnOnce } from "./notice.js";
import { anthropicPrice } from "./pricing.js";
import { AnthropicProvider } from "./providers/anthropic.js";
import type { ProviderConnectionOptions } from "./providers/connection-options.js";
import { OpenAiCompatibleProvider } from "./providers/openai-compatible.js";
import { SurrogateProvider, type SurrogateQuality } from "./providers/surrogate.js";

export type LlmProviderName = "anthropic" | "openai-compatible" | "surrogate";
export const LLM_PROVIDERS: readonly LlmProviderName[] = ["anthropic", "openai-compatible", "surrogate"];

/** File names inside a run folder. */
export const TRANSCRIPT_FILE = "llm-transcript.jsonl";
export const CASSETTE_FILE = "llm-cassette.jsonl";
export const USAGE_FILE = "llm-usage.json";

/** The provider and its connection options (passed through to the anthropic / openai-compatible provider), then this layer's. */
export interface CreateLlmOptions extends ProviderConnectionOptions {
  provider?: LlmProviderName;
  /** Surrogate only: how good the emulated model is. */
  quality?: Partial<SurrogateQuality>;
  /** Surrogate only: model id suffix, `surrogate/<name>`. */
  surrogateName?: string;
  /**
   * The run folder: the transcript goes to `<runDir>/llm-transcript.jsonl`, the default cassette to
   * `<runDir>/llm-cassette.jsonl`, and `writeSummary()` to `<runDir>/llm-usage.json`.
   */
  runDir?: string;
  /** Transcript file; default `<runDir>/llm-transcript.jsonl`; false for none. */
  transcript?: string | false;
  /** Cache mode (cassette `<runDir>/llm-cassette.jsonl`) or mode + cassette path (e.g. a shared data/cassettes/ file). */
  cache?: CacheMode | { mode: CacheMode; path?: string };
  /** Spending cap; ignored when `ledger` is given (the ledger carries its own). */
  budget?: LlmBudget;
  /** Shared accounting (and budget) for several clients of one run. */
  ledger?: UsageLedger;
  /**
   * Failed calls the run tolerates before it stops (see `LlmWrapperOptions.maxFailedCalls`); default
   * GUIDED_RL_MAX_FAILED_CALLS (which the CLI's `--max-failed-calls` sets), else 0.
   */
  maxFailedCalls?: number;
}

/** The provider that `createLlm` would use with these options and this environment. */
export function resolveProviderName(options: Pick<CreateLlmOptions, "provider" | "apiKey"> = {}): LlmProviderName {
  const named = options.provider ?? (process.env.GUIDED_RL_PROVIDER as LlmProviderName | undefined);
  if (named !== undefined && named !== ("" as string)) {
    if (!LLM_PROVIDERS.includes(named)) throw new LlmError(`unknown LLM provider "${named}"; expected one of ${LLM_PROVIDERS.join(", ")}`);
    return named;
  }
  return options.apiKey || process.env.ANTHROPIC_API_KEY ? "anthropic" : "surrogate";
}

/** GUIDED_RL_MAX_FAILED_CALLS as a count (undefined when unset); anything but a plain integer >= 0 is refused. */
export function maxFailedCallsFromEnv(): number | undefined {
  const text = process.env.GUIDED_RL_MAX_FAILED_CALLS;
  if (text === undefined || text === "") return undefined;
  if (!/^\d{1,9}$/.test(text)) throw new LlmError(`GUIDED_RL_MAX_FAILED_CALLS must be a whole number >= 0 (e.g. 0 or 5), got "${text}"`);
  return Number(text);
}

/** `surrogateName`, else a model given as "surrogate/<name>"; never a real model's id (that would mislead). */
function surrogateName(options: CreateLlmOptions): string | undefined {
  if (options.surrogateName !== undefined) return options.surrogateName;
  return options.model?.startsWith("surrogate/") ? options.model.slice("surrogate/".length) : undefined;
}

/** Build the LLM client of a run. See the module comment for the provider choice. */
export function createLlm(options: CreateLlmOptions = {}): Llm {
  const name = resolveProviderName(options);
  if (name === "surrogate" && options.provider === undefined && !process.env.GUIDED_RL_PROVIDER) {
    noticeOnce(
      "surrogate-default",
      "guided-rl: ANTHROPIC_API_KEY is not set, so LLM calls are answered by the offline surrogate (hand-written heuristics, not an LLM). Set the key or pass provider to change this.",
    );
  }
  const common: ProviderConnectionOptions = {
    model: options.model,
    apiKey: options.apiKey,
    baseURL: options.baseURL,
    timeoutMs: options.timeoutMs,
    retry: options.retry,
    maxConcurrency: options.maxConcurrency,
    defaultMaxTokens: options.defaultMaxTokens,
    price: options.price,
  };
  const provider =
    name === "anthropic"
      ? new AnthropicProvider(common)
      : name === "openai-compatible"
        ? new OpenAiCompatibleProvider(common)
        : new SurrogateProvider({ quality: options.quality, name: surrogateName(options) });

  if (options.budget?.maxCostUsd !== undefined && name === "anthropic" && !options.price && !anthropicPrice(provider.model)) {
    warnOnce(
      `budget-unpriced:${provider.model}`,
      `guided-rl: model "${provider.model}" has no known price, so the dollar budget cannot stop it; pass price: {inputPerMTok, outputPerMTok} or a token budget`,
    );
  }
  const cache = typeof options.cache === "string" ? { mode: options.cache } : options.cache;
  const cachePath = cache?.path ?? (options.runDir !== undefined ? join(options.runDir, CASSETTE_FILE) : undefined);
  const transcriptPath =
    options.transcript === false
      ? undefined
      : (options.transcript ?? (options.runDir !== undefined ? join(options.runDir, TRANSCRIPT_FILE) : undefined));
  return new Llm(provider, {
    cache: cache ? { mode: cache.mode, path: cachePath } : undefined,
    transcriptPath,
    summaryPath: options.runDir !== undefined ? join(options.runDir, USAGE_FILE) : undefined,
    ledger: options.ledger ?? new UsageLedger(options.budget),
    defaultMaxTokens: options.defaultMaxTokens,
    secrets: options.apiKey ? [options.apiKey] : [],
    maxFailedCalls: options.maxFailedCalls ?? maxFailedCallsFromEnv(),
  });
}
