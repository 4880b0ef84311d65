/**
 * The one interface every LLM call goes through. Providers (anthropic, openai-compatible, surrogate)
 * implement `LlmClient`; the cache, accounting and transcript wrap any of them.
 */

export interface LlmMessage {
  role: "user" | "assistant";
  content: string;
}

/** What the call is for: used for per-guide accounting and, by the surrogate, to pick its heuristics. Never sent to a provider. */
export interface LlmPurpose {
  /** The guide, e.g. "lmgt", "ultra", "reward-design". */
  guide: string;
  /** The guide's task, e.g. "score-actions", "critical-states", "write-reward". */
  task: string;
}

export interface CompletionRequest {
  system?: string;
  messages: LlmMessage[];
  maxTokens?: number;
  temperature?: number;
  stop?: string[];
  purpose?: LlmPurpose;
}

export interface Usage {
  inputTokens: number;
  outputTokens: number;
}

export interface Completion {
  text: string;
  usage: Usage;
  /** The model that answered (the provider's own id; "surrogate/<name>" for the surrogate). */
  model: string;
  provider: string;
  /** True when the answer came from the cache (no provider call, no cost). */
  cached: boolean;
  costUsd: number;
  latencyMs: number;
  /** Why generation stopped: "end_turn", "max_tokens", "stop_sequence", ... as the provider says. */
  stopReason?: string;
  /** HTTP attempts the provider call took (1 = no retry); 0 for a cache hit. */
  attempts?: number;
  /** The content address of the call (see `promptHash`), set by the caching wrapper. */
  promptHash?: string;
}

export interface LlmClient {
  readonly provider: string;
  readonly model: string;
  complete(request: CompletionRequest): Promise<Completion>;
}
