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
  /**
   * `stopReason` in the same words for every provider (see `stopKindOf`); set by `Llm` on every answer.
   * "max_tokens": the answer was cut; "refusal": the model declined. `incompleteReason(completion)` says so
   * in a sentence a guide can log or send back.
   */
  stop?: StopKind;
  /** HTTP attempts the provider call took (1 = no retry); 0 for a cache hit. */
  attempts?: number;
  /** The content address of the call (see `promptHash`), set by the caching wrapper. */
  promptHash?: string;
}

/** Why an answer ended, the same for every provider. */
export type StopKind = "end" | "stop_sequence" | "max_tokens" | "refusal" | "other";

/**
 * A provider's stop reason in `StopKind` words: Anthropic's end_turn / stop_sequence / max_tokens / refusal,
 * OpenAI-compatible servers' stop / length / content_filter. Absent or unknown: "other".
 */
export function stopKindOf(stopReason: string | undefined): StopKind {
  switch (stopReason) {
    case "end_turn":
    case "stop":
    case "eos":
      return "end";
    case "stop_sequence":
      return "stop_sequence";
    case "max_tokens":
    case "length":
    case "model_context_window_exceeded":
      return "max_tokens";
    case "refusal":
    case "content_filter":
      return "refusal";
    default:
      return "other";
  }
}

/**
 * Why an answer is not a whole answer, in a sentence ("the answer was cut off at the 256-token limit
 * (max_tokens)", "the model refused to answer (refusal)"), or undefined when it ended normally. Guides
 * must not use a cut or refused answer as if it were complete: reward design sends the reason back once,
 * LMGT counts it as a parse failure.
 */
export function incompleteReason(completion: Pick<Completion, "stop" | "stopReason" | "usage">, maxTokens?: number): string | undefined {
  const kind = completion.stop ?? stopKindOf(completion.stopReason);
  if (kind === "max_tokens") {
    const limit = maxTokens !== undefined ? `the ${maxTokens}-token limit` : `the token limit (${completion.usage.outputTokens} tokens written)`;
    return `the answer was cut off at ${limit} (stop reason ${completion.stopReason ?? "max_tokens"})`;
  }
  if (kind === "refusal") return `the model refused to answer (stop reason ${completion.stopReason ?? "refusal"})`;
  return undefined;
}

export interface LlmClient {
  readonly provider: string;
  readonly model: string;
  complete(request: CompletionRequest): Promise<Completion>;
}
