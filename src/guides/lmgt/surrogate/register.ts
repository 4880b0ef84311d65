/**
 * Plugs the LMGT knowledge into the LLM layer's offline surrogate provider, for requests with purpose
 * {guide: "lmgt", task: "score-actions"}. Everything it answers is surrogate output, not an LLM's.
 */
import { registerSurrogateHandler, type SurrogateQuality } from "../../../llm/providers/surrogate.js";
import { LMGT_PURPOSE } from "../prompt.js";
import { answerLmgtRequest, type LmgtSurrogateQuality } from "./handler.js";

/**
 * The LLM layer's knob read for this task: accuracy and abstention as they are; `noise` is the probability
 * that an answer line is garbled (so parse failures are exercised), capped at 1.
 */
export function lmgtQualityFrom(q: SurrogateQuality): LmgtSurrogateQuality {
  return { accuracy: q.accuracy, abstention: q.abstention, noise: Math.min(1, q.noise) };
}

let registered = false;

/** Registers the LMGT surrogate handler (idempotent). The LmgtGuide calls it; call it yourself to use the handler directly. */
export function registerLmgtSurrogate(): void {
  if (registered) return;
  registerSurrogateHandler(LMGT_PURPOSE.guide, LMGT_PURPOSE.task, (request, rng, quality) =>
    answerLmgtRequest(request, lmgtQualityFrom(quality), rng),
  );
  registered = true;
}
