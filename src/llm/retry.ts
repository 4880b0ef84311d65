/**
 * Retries with exponential backoff for transient provider failures (429, 5xx, 529 overloaded, timeouts,
 * dropped connections). A server's `retry-after` / `retry-after-ms` header wins over the backoff.
 */

export interface RetryOptions {
  /** Retries after the first attempt (so maxRetries + 1 attempts in all). Default 4. */
  maxRetries?: number;
  /** Delay before the first retry when the server gives no retry-after. Default 500 ms. */
  initialDelayMs?: number;
  /** Cap of the exponential backoff. Default 20 000 ms. */
  maxDelayMs?: number;
  /** Cap of a server-requested retry-after. Default 60 000 ms. */
  maxRetryAfterMs?: number;
  /** Random jitter in [0.75, 1] x the backoff so parallel clients spread out. Default true. */
  jitter?: boolean;
  /** How to wait; tests inject one that records the delays. Default: a timer. */
  sleep?: (ms: number) => Promise<void>;
}

export type ResolvedRetryOptions = Required<RetryOptions>;

export function resolveRetryOptions(options: RetryOptions | undefined): ResolvedRetryOptions {
  const o = options ?? {};
  const resolved: ResolvedRetryOptions = {
    maxRetries: o.maxRetries ?? 4,
    initialDelayMs: o.initialDelayMs ?? 500,
    maxDelayMs: o.maxDelayMs ?? 20_000,
    maxRetryAfterMs: o.maxRetryAfterMs ?? 60_000,
    jitter: o.jitter ?? true,
    sleep: o.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
  };
  for (const key of ["maxRetries", "initialDelayMs", "maxDelayMs", "maxRetryAfterMs"] as const) {
    const v = resolved[key];
    if (!Number.isFinite(v) || v < 0) throw new RangeError(`retry.${key} must be a finite number >= 0, got ${v}`);
  }
  return resolved;
}

/** Milliseconds a response asks us to wait, from `retry-after-ms`, or `retry-after` (seconds or HTTP date). */
export function parseRetryAfter(headers: { get(name: string): string | null } | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = headers.get("retry-after-ms");
  if (ms !== null && ms.trim() !== "") {
    const v = Number(ms);
    if (Number.isFinite(v) && v >= 0) return v;
  }
  const after = headers.get("retry-after");
  if (after === null || after.trim() === "") return undefined;
  const seconds = Number(after);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(after);
  if (Number.isFinite(date)) return Math.max(0, date - now);
  return undefined;
}

/** The delay before retry number `retry` (0-based). */
export function backoffDelay(options: ResolvedRetryOptions, retry: number, retryAfterMs: number | undefined): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, options.maxRetryAfterMs);
  const base = Math.min(options.maxDelayMs, options.initialDelayMs * 2 ** retry);
  return options.jitter ? base * (0.75 + 0.25 * Math.random()) : base;
}

/** How one failed attempt should be treated. */
export interface AttemptFailure {
  retryable: boolean;
  retryAfterMs?: number;
}

/**
 * Run `attempt` until it succeeds, a failure is not retryable, or the retries run out; the last error is
 * rethrown through `finalError(error, attempts)` so callers can wrap it with the attempt count.
 */
export async function withRetries<T>(
  options: ResolvedRetryOptions,
  attempt: (attemptNumber: number) => Promise<T>,
  classify: (error: unknown) => AttemptFailure,
  finalError: (error: unknown, attempts: number) => Error,
): Promise<{ value: T; attempts: number }> {
  for (let retry = 0; ; retry++) {
    try {
      return { value: await attempt(retry + 1), attempts: retry + 1 };
    } catch (error) {
      const failure = classify(error);
      if (!failure.retryable || retry >= options.maxRetries) throw finalError(error, retry + 1);
      await options.sleep(backoffDelay(options, retry, failure.retryAfterMs));
    }
  }
}
