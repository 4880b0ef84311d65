/** The LLM layer: every LLM call of every guide goes through `createLlm(...)`. */
export type { LlmMessage, LlmPurpose, CompletionRequest, Usage, Completion, LlmClient, StopKind } from "./types.js";
export { stopKindOf, incompleteReason } from "./types.js";
export {
  createLlm,
  resolveProviderName,
  LLM_PROVIDERS,
  TRANSCRIPT_FILE,
  CASSETTE_FILE,
  USAGE_FILE,
  type CreateLlmOptions,
  type LlmProviderName,
} from "./create.js";
export { Llm, countingLlm, validateRequest, type LlmWrapperOptions, type ProviderExtras } from "./llm.js";
export {
  AnthropicProvider,
  DEFAULT_ANTHROPIC_MODEL,
  rejectsSamplingParameters,
  type AnthropicProviderOptions,
} from "./providers/anthropic.js";
export {
  OpenAiCompatibleProvider,
  DEFAULT_OPENAI_COMPATIBLE_BASE_URL,
  chatCompletionsUrl,
  type OpenAiCompatibleProviderOptions,
} from "./providers/openai-compatible.js";
export {
  SurrogateProvider,
  registerSurrogateHandler,
  registeredSurrogatePurposes,
  promptText,
  resolveQuality,
  PERFECT_QUALITY,
  type SurrogateHandler,
  type SurrogateQuality,
  type SurrogateProviderOptions,
} from "./providers/surrogate.js";
export { surrogateRng, type SurrogateRng } from "./surrogate-rng.js";
export { Cassette, CACHE_MODES, type CacheMode, type CassetteEntry } from "./cassette.js";
export { UsageLedger, type LlmBudget, type UsageTotals, type UsageSummary, type Reservation } from "./ledger.js";
export { TranscriptWriter, type TranscriptRecord } from "./transcript.js";
export { ANTHROPIC_PRICES, PRICES_CHECKED_ON, anthropicPrice, anthropicCost, costAt, type ModelPrice, type DetailedUsage } from "./pricing.js";
export { canonicalJson, promptHash, promptContent, type PromptContent } from "./hash.js";
export { estimateTextTokens, estimateInputTokens } from "./tokens.js";
export { resolveRetryOptions, parseRetryAfter, backoffDelay, type RetryOptions } from "./retry.js";
export {
  LlmError,
  LlmProviderError,
  LlmTimeoutError,
  LlmMalformedResponseError,
  LlmBudgetExceededError,
  LlmCacheMissError,
  LlmConfigError,
  LlmPreflightError,
  LlmRunStoppedError,
  SurrogateHandlerMissingError,
  isRunStopping,
  isFailedCall,
} from "./errors.js";
