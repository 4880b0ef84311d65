/**
 * What both HTTP providers (anthropic, openai-compatible) do the same way around one attempt: a deadline for
 * the whole request — headers AND body, so a server that sends headers and then stalls or trickles is cut
 * off at `timeoutMs` — a body read that tells a connection lost mid-body (retryable) apart, and a cap on
 * the body's size, checked while it arrives, before anything is parsed or written.
 */

/** The attempt's deadline passed (headers or body). Retryable. */
export class AttemptTimeout extends Error {
  constructor() {
    super("attempt timed out");
  }
}

/** The connection broke while the body was arriving (reset, closed early). Retryable. */
export class ConnectionLost extends Error {
  constructor(readonly detail: string) {
    super(`connection lost while reading the response body (${detail})`);
  }
}

/** The body is larger than an answer of max_tokens can be. Not retryable (a malformed response). */
export class BodyTooLarge extends Error {
  constructor(
    readonly bytes: number,
    readonly limit: number,
    readonly maxTokens: number,
  ) {
    super(
      `the response body is ${bytes >= limit ? `over ${limit}` : String(bytes)} bytes, far more than an answer of max_tokens ${maxTokens} can be ` +
        `(limit ${BYTES_PER_TOKEN} bytes per token + ${ENVELOPE_BYTES} bytes); refused before it was parsed or written`,
    );
  }
}

/**
 * The largest response body accepted for a request of `maxTokens`: 32 bytes per token (a token is ~4
 * characters of text; JSON escapes a non-ASCII character as up to 6 bytes, \uXXXX) plus 64 KiB for the
 * envelope (ids, usage, stop reason, a server's extra fields). A body past it is not an answer to this
 * request; it is refused while it arrives.
 */
export const BYTES_PER_TOKEN = 32;
export const ENVELOPE_BYTES = 64 * 1024;
export function maxResponseBytes(maxTokens: number): number {
  return maxTokens * BYTES_PER_TOKEN + ENVELOPE_BYTES;
}

/**
 * Runs one attempt under a deadline of `timeoutMs` for all of it: `run` gets a signal that aborts at the
 * deadline (pass it to fetch / the SDK) and the attempt rejects with `AttemptTimeout` then, even if `run`
 * does not notice the signal.
 */
export async function withDeadline<T>(timeoutMs: number, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort(new AttemptTimeout());
      reject(new AttemptTimeout());
    }, timeoutMs);
  });
  const work = run(controller.signal);
  work.catch(() => undefined); // settled after the deadline: nobody waits for it any more
  try {
    return await Promise.race([work, deadline]);
  } catch (error) {
    throw controller.signal.aborted ? new AttemptTimeout() : error;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The body as text, refused with `BodyTooLarge` past `maxResponseBytes(maxTokens)` bytes (by Content-Length
 * at once, else while it streams), `ConnectionLost` when the connection breaks mid-body.
 */
export async function readBodyText(response: Response, maxTokens: number): Promise<string> {
  const limit = maxResponseBytes(maxTokens);
  const declared = Number(response.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > limit) {
    await response.body?.cancel().catch(() => undefined);
    throw new BodyTooLarge(declared, limit, maxTokens);
  }
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for (;;) {
    let part: ReadableStreamReadResult<Uint8Array>;
    try {
      part = await reader.read();
    } catch (error) {
      const e = error as { message?: string; cause?: { code?: string; message?: string } };
      throw new ConnectionLost([e?.message, e?.cause?.code ?? e?.cause?.message].filter(Boolean).join(": ") || String(error));
    }
    if (part.done) break;
    bytes += part.value.byteLength;
    if (bytes > limit) {
      await reader.cancel().catch(() => undefined);
      throw new BodyTooLarge(bytes, limit, maxTokens);
    }
    chunks.push(part.value);
  }
  return Buffer.concat(chunks).toString("utf8");
}
