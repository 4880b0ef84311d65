/**
 * Token estimates, used where no tokenizer answer exists: the budget check before a call and the
 * surrogate's usage report. English prose and code run at roughly 3.5-4 characters per token with
 * Claude's and Llama's tokenizers; dividing by 3.5 errs on the side of more tokens, which is the safe side
 * for a budget.
 */
import type { CompletionRequest } from "./types.js";

export const CHARS_PER_TOKEN = 3.5;
/** Role markers and message framing the API adds around each message. */
const TOKENS_PER_MESSAGE = 4;

/** Estimated tokens of a piece of text. */
export function estimateTextTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

/** Estimated input tokens of a request (system + messages + framing). */
export function estimateInputTokens(request: CompletionRequest): number {
  let total = request.system ? estimateTextTokens(request.system) + TOKENS_PER_MESSAGE : 0;
  for (const m of request.messages) total += estimateTextTokens(m.content) + TOKENS_PER_MESSAGE;
  return total;
}
