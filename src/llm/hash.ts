/**
 * Content addressing for LLM calls: the cache key of a call is the SHA-256 of a canonical JSON of
 * everything that can change the answer (provider, model, system, messages, sampling parameters).
 */
import { createHash } from "node:crypto";
import type { CompletionRequest } from "./types.js";

/** JSON with object keys sorted and `undefined` members dropped, so equal content gives equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : sortKeys(v)));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

/** The parts of a request that are sent to a provider (purpose is metadata, never sent, so not part of it). */
export interface PromptContent {
  system?: string;
  messages: CompletionRequest["messages"];
  maxTokens?: number;
  temperature?: number;
  stop?: string[];
}

/** The request without its purpose, in a fixed shape. */
export function promptContent(request: CompletionRequest): PromptContent {
  return {
    system: request.system,
    messages: request.messages.map((m) => ({ role: m.role, content: m.content })),
    maxTokens: request.maxTokens,
    temperature: request.temperature,
    stop: request.stop,
  };
}

/**
 * The content address of a call: hex SHA-256 of provider + model + prompt content (+ provider-specific
 * identity such as the surrogate's quality knob).
 */
export function promptHash(provider: string, model: string, request: CompletionRequest, identity?: unknown): string {
  const text = canonicalJson({ provider, model, prompt: promptContent(request), identity });
  return createHash("sha256").update(text).digest("hex");
}
