/**
 * The one redaction on write: no API key is ever written to a file, even when a server echoes it back into
 * an answer, an error or a header dump. Every writer of run folders (LLM transcripts, cassettes and usage,
 * reward design's prompts / answers / candidate code / records, training logs, reports, status files)
 * writes through `writeText` / `appendText`, which replace each known key by `[REDACTED]`.
 *
 * Known keys: the values of the key variables below, read at write time, and every key registered by
 * whoever was handed one directly (`Llm` registers its provider's `apiKey` option).
 */
import { appendFileSync, renameSync, writeFileSync } from "node:fs";

/** Environment variables whose values are keys. */
export const KEY_VARIABLES: readonly string[] = ["ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "GUIDED_RL_OPENAI_API_KEY", "OPENAI_API_KEY"];

/**
 * Shorter strings are not redacted: whole files go through `redact`, and a short key ("EMPTY", "none", "null")
 * would match ordinary text, JSON words and base64 weights (a 4-letter string turns up in ~6% of a megabyte
 * of base64), corrupting what it replaced. No key of a hosted API is that short.
 */
const MIN_SECRET_LENGTH = 8;
const REDACTED = "[REDACTED]";
const registered = new Set<string>();

/** Adds a key to what every writer of this process redacts (e.g. an `apiKey` option). */
export function registerSecret(secret: string | undefined): void {
  if (secret !== undefined && secret.length >= MIN_SECRET_LENGTH) registered.add(secret);
}

/** The keys known now: the key variables' values and the registered ones, longest first. */
export function knownSecrets(): string[] {
  const all = new Set(registered);
  for (const name of KEY_VARIABLES) {
    const v = process.env[name];
    if (v !== undefined && v.length >= MIN_SECRET_LENGTH) all.add(v);
  }
  return [...all].sort((a, b) => b.length - a.length);
}

/** `text` with every known key, and every string of `extra` (8 characters or more), replaced by `[REDACTED]`. */
export function redact(text: string, extra: readonly string[] = []): string {
  let out = text;
  const secrets = extra.length ? [...new Set([...extra, ...knownSecrets()])].sort((a, b) => b.length - a.length) : knownSecrets();
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET_LENGTH || !out.includes(secret)) continue;
    out = out.split(secret).join(REDACTED);
  }
  return out;
}

/** `writeFileSync(path, text)` with the known keys redacted. */
export function writeText(path: string, text: string): void {
  writeFileSync(path, redact(text));
}

/** `appendFileSync(path, text)` with the known keys redacted. */
export function appendText(path: string, text: string): void {
  appendFileSync(path, redact(text));
}

/** `writeText` through a temporary file renamed into place: a reader never sees half a file. */
export function writeTextAtomic(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeText(tmp, text);
  renameSync(tmp, path);
}
