/**
 * The errors of the LLM layer. Every message that may contain provider text goes through `redact` first,
 * so an API key echoed back by a server never reaches a log, transcript or stack trace.
 */

/** Base class: anything the LLM layer throws on purpose. */
export class LlmError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The provider answered with an error (HTTP status known) or could not be reached. */
export class LlmProviderError extends LlmError {
  constructor(
    message: string,
    /** HTTP status, when there was a response. */
    readonly status: number | undefined,
    /** Whether the layer would retry this kind of failure (it was retried until the retries ran out). */
    readonly retryable: boolean,
    /** How many attempts were made in total. */
    readonly attempts: number,
  ) {
    super(message);
  }
}

/** No answer within the request timeout, on every attempt. */
export class LlmTimeoutError extends LlmProviderError {
  constructor(message: string, attempts: number) {
    super(message, undefined, true, attempts);
  }
}

/** The provider said 200 but the body is not the expected JSON shape. Not retried. */
export class LlmMalformedResponseError extends LlmProviderError {
  constructor(message: string, status: number | undefined, attempts: number) {
    super(message, status, false, attempts);
  }
}

/** The call was refused before it was made because it could exceed the run's budget. */
export class LlmBudgetExceededError extends LlmError {
  constructor(
    message: string,
    readonly unit: "tokens" | "usd",
    readonly cap: number,
    readonly spent: number,
    readonly estimate: number,
  ) {
    super(message);
  }
}

/** `replay-strict` cache mode met a prompt that is not in the cassette. */
export class LlmCacheMissError extends LlmError {
  constructor(
    message: string,
    readonly promptHash: string,
  ) {
    super(message);
  }
}

/** No surrogate handler is registered for a request's purpose, or the request has none. */
export class SurrogateHandlerMissingError extends LlmError {}

/** The client is missing configuration it needs to make a call (e.g. no API key). */
export class LlmConfigError extends LlmError {}

/**
 * The run must stop: more LLM calls failed (after the provider's own retries) than the run tolerates
 * (`maxFailedCalls`, default 0). Thrown by the failing call and by every later call of the same client.
 */
export class LlmRunStoppedError extends LlmError {
  constructor(
    message: string,
    /** Failed calls so far (provider failures, cache misses). */
    readonly failedCalls: number,
    /** The failure that crossed the threshold. */
    override readonly cause: Error,
  ) {
    super(message);
  }
}

/** The provider cannot be used at all (no key, key rejected, server unreachable): found before any training. */
export class LlmPreflightError extends LlmConfigError {}

/**
 * Whether an error from `Llm.complete` must end the run. A guide may catch an LLM error only to count it
 * (e.g. LMGT leaves that batch's rewards unshifted, counted as a failed call) and must rethrow these:
 * the failure threshold was crossed, the budget is spent, the provider is not configured, a strict replay
 * missed. Never turn one of them into a default answer.
 */
export function isRunStopping(error: unknown): boolean {
  return (
    error instanceof LlmRunStoppedError ||
    error instanceof LlmBudgetExceededError ||
    error instanceof LlmConfigError ||
    error instanceof LlmCacheMissError ||
    error instanceof SurrogateHandlerMissingError
  );
}

/** Errors of calls that `Llm` counted as failed and let through (the run tolerates them): see `isFailedCall`. */
const toleratedFailures = new WeakSet<object>();

/** Marks `error` as a counted, tolerated failed call (done by `Llm` only). */
export function markFailedCall(error: Error): Error {
  toleratedFailures.add(error);
  return error;
}

/**
 * Whether an error from `Llm.complete` is a failed call that was counted (in `llm.failedCalls`) and is
 * within the run's tolerance (`maxFailedCalls`): the guide records "no answer" for it and goes on. Anything
 * else — a run-stopping error (see `isRunStopping`), a bug — must propagate.
 */
export function isFailedCall(error: unknown): boolean {
  return typeof error === "object" && error !== null && toleratedFailures.has(error);
}

/** The one redaction (see core/secrets.ts): every known key and each of `secrets` replaced by `[REDACTED]`. */
export { redact } from "../core/secrets.js";
