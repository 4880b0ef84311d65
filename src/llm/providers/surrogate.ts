/**
 * The `surrogate` provider: offline, deterministic, no network. It stands in for an LLM by dispatching
 * each request on its `purpose` ({guide, task}) to a handler that the guide registered. A handler reads
 * the prompt TEXT (as an LLM would: it must not get the answer through a side channel), applies
 * hand-written domain heuristics and returns text in the format the guide's parser expects, so parsing is
 * exercised for real. The quality knob degrades answers on purpose to emulate weaker models.
 *
 * Everything this provider produces is "surrogate" output, never to be reported as an LLM's.
 */
import { SurrogateHandlerMissingError, LlmError } from "../errors.js";
import { promptHash } from "../hash.js";
import { surrogateRng, type SurrogateRng } from "../surrogate-rng.js";
import { CHARS_PER_TOKEN, estimateInputTokens, estimateTextTokens } from "../tokens.js";
import type { Completion, CompletionRequest, LlmClient } from "../types.js";

/**
 * How good the emulated model is. Handlers decide what each knob means for their task; the intended
 * reading is:
 * - accuracy: probability that an answer is the heuristic's (otherwise a random but well-formed answer);
 * - abstention: probability of declining to judge (e.g. answering 0 / "unsure" / no suggestion);
 * - noise: scale of random perturbation added to numeric answers (coefficients, scores);
 * - seed: seeds the generator together with the prompt, so equal settings give equal transcripts.
 */
export interface SurrogateQuality {
  accuracy: number;
  abstention: number;
  noise: number;
  seed: number;
}

export const PERFECT_QUALITY: Readonly<SurrogateQuality> = Object.freeze({ accuracy: 1, abstention: 0, noise: 0, seed: 0 });

/**
 * Answers one kind of prompt. Receives the request (read `promptText(request)` or the messages),
 * a generator seeded from (quality.seed, prompt, repeat count) and the quality knob; returns the
 * completion text exactly as an LLM would write it (prose, code fences and all, as the guide expects).
 */
export type SurrogateHandler = (
  request: CompletionRequest,
  rng: SurrogateRng,
  quality: SurrogateQuality,
) => string | Promise<string>;

const handlers = new Map<string, SurrogateHandler>();
const handlerKey = (guide: string, task: string) => `${guide}/${task}`;

/**
 * Register the surrogate's answer for prompts with purpose {guide, task}. Registering the same purpose
 * again replaces the handler (re-running a notebook cell must not fail). Returns a function that removes it.
 */
export function registerSurrogateHandler(guide: string, task: string, handler: SurrogateHandler): () => void {
  if (!guide || !task) throw new LlmError("registerSurrogateHandler needs a non-empty guide and task");
  if (typeof handler !== "function") throw new LlmError(`surrogate handler for ${handlerKey(guide, task)} must be a function`);
  const key = handlerKey(guide, task);
  handlers.set(key, handler);
  return () => {
    if (handlers.get(key) === handler) handlers.delete(key);
  };
}

/** The purposes that have a surrogate handler, as "guide/task". */
export function registeredSurrogatePurposes(): string[] {
  return [...handlers.keys()].sort();
}

/** The whole prompt as one text: system, then each message under its role. What a handler should read. */
export function promptText(request: CompletionRequest): string {
  const parts: string[] = [];
  if (request.system) parts.push(request.system);
  for (const m of request.messages) parts.push(m.content);
  return parts.join("\n\n");
}

/** Checks a quality knob and fills defaults from PERFECT_QUALITY. */
export function resolveQuality(quality: Partial<SurrogateQuality> | undefined): SurrogateQuality {
  const q = { ...PERFECT_QUALITY, ...quality };
  for (const key of ["accuracy", "abstention"] as const) {
    if (!(q[key] >= 0 && q[key] <= 1)) throw new RangeError(`surrogate quality.${key} must be in [0, 1], got ${q[key]}`);
  }
  if (!(q.noise >= 0 && Number.isFinite(q.noise))) throw new RangeError(`surrogate quality.noise must be >= 0, got ${q.noise}`);
  if (!Number.isFinite(q.seed)) throw new RangeError(`surrogate quality.seed must be a finite number, got ${q.seed}`);
  return q;
}

export interface SurrogateProviderOptions {
  /** Quality knob; default perfect (accuracy 1, no abstention, no noise, seed 0). */
  quality?: Partial<SurrogateQuality>;
  /** Appears in the model id as `surrogate/<name>`. Default "heuristic". */
  name?: string;
}

export class SurrogateProvider implements LlmClient {
  readonly provider = "surrogate";
  readonly model: string;
  readonly quality: SurrogateQuality;
  /** How often each prompt was seen, so a repeated prompt gets a fresh (but reproducible) draw. */
  private readonly seen = new Map<string, number>();

  constructor(options: SurrogateProviderOptions = {}) {
    this.model = `surrogate/${options.name ?? "heuristic"}`;
    this.quality = Object.freeze(resolveQuality(options.quality));
  }

  /** Part of the cache key: the surrogate's answers depend on the quality knob and on the purpose. */
  cacheIdentity(request: CompletionRequest): unknown {
    return { quality: this.quality, purpose: request.purpose };
  }

  async complete(request: CompletionRequest): Promise<Completion> {
    const started = performance.now();
    const purpose = request.purpose;
    if (!purpose) {
      throw new SurrogateHandlerMissingError(
        "the surrogate answers only requests with a purpose {guide, task}; this request has none",
      );
    }
    const handler = handlers.get(handlerKey(purpose.guide, purpose.task));
    if (!handler) {
      const known = registeredSurrogatePurposes();
      throw new SurrogateHandlerMissingError(
        `no surrogate handler registered for purpose ${handlerKey(purpose.guide, purpose.task)} ` +
          `(registered: ${known.length ? known.join(", ") : "none"}); the guide must call registerSurrogateHandler("${purpose.guide}", "${purpose.task}", handler)`,
      );
    }
    const hash = promptHash(this.provider, this.model, request);
    const repeat = this.seen.get(hash) ?? 0;
    this.seen.set(hash, repeat + 1);
    const rng = surrogateRng(`${this.quality.seed}|${hash}|${repeat}`);
    const answer = await handler(request, rng, this.quality);
    if (typeof answer !== "string") {
      throw new LlmError(`surrogate handler for ${handlerKey(purpose.guide, purpose.task)} returned ${typeof answer}, not text`);
    }
    const { text, stopReason } = truncateLikeAnLlm(answer, request);
    return {
      text,
      usage: { inputTokens: estimateInputTokens(request), outputTokens: estimateTextTokens(text) },
      model: this.model,
      provider: this.provider,
      cached: false,
      costUsd: 0,
      latencyMs: performance.now() - started,
      stopReason,
      attempts: 1,
    };
  }
}

/** Cut at the first stop sequence, or at the (estimated) max_tokens, as an API would. */
function truncateLikeAnLlm(answer: string, request: CompletionRequest): { text: string; stopReason: string } {
  let text = answer;
  let stopReason = "end_turn";
  let cut = -1;
  for (const stop of request.stop ?? []) {
    const at = stop ? text.indexOf(stop) : -1;
    if (at >= 0 && (cut < 0 || at < cut)) cut = at;
  }
  if (cut >= 0) {
    text = text.slice(0, cut);
    stopReason = "stop_sequence";
  }
  if (request.maxTokens !== undefined && estimateTextTokens(text) > request.maxTokens) {
    text = text.slice(0, Math.floor(request.maxTokens * CHARS_PER_TOKEN));
    stopReason = "max_tokens";
  }
  return { text, stopReason };
}
