/**
 * The options of a provider that calls a model over HTTP (anthropic, openai-compatible): `createLlm` takes
 * the same ones and passes them through. Each provider documents its own defaults on its options type.
 */
import type { ModelPrice } from "../pricing.js";
import type { RetryOptions } from "../retry.js";

export interface ProviderConnectionOptions {
  /** Model id; default GUIDED_RL_MODEL, else the provider's default (anthropic: claude-sonnet-5-5). */
  model?: string;
  /**
   * API key; default ANTHROPIC_API_KEY (anthropic) / GUIDED_RL_OPENAI_API_KEY (openai-compatible). Only
   * needed when a call actually reaches the API.
   */
  apiKey?: string;
  /** Server root (a local fake server, a proxy, an Ollama/vLLM/llama.cpp server). */
  baseURL?: string;
  /** Per-attempt timeout in ms. */
  timeoutMs?: number;
  /** Retry policy for 429 / 5xx / overloaded / timeouts. */
  retry?: RetryOptions;
  /** Provider calls in flight at once. */
  maxConcurrency?: number;
  /** max_tokens for requests that give none (the Messages API requires one). Default 1024. */
  defaultMaxTokens?: number;
  /** Price override (USD per million tokens) for models missing from the table or hosted servers. */
  price?: ModelPrice;
}
