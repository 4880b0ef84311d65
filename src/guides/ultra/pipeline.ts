/**
 * Steps 3 and 4 of ULTRA with an LLM: (3) per segment of the recorded episodes, the LLM marks critical
 * states with a rationale; (4) for the critical states, it suggests an action (ULTRA-A) and/or an
 * implicit reward (ULTRA-R). Every request and answer is kept in a transcript, and every answer entry
 * that could not be used is listed with the reason.
 */
import type { EnvDescription } from "../../core/env.js";
import { isRunStopping } from "../../llm/errors.js";
import { incompleteReason, type Completion, type CompletionRequest, type LlmClient } from "../../llm/types.js";
import { actionSpecOf, type ActionSpec } from "./action-spec.js";
import { parseCriticalStates, parseModulation, UltraParseError } from "./parse.js";
import { criticalStatesRequest, modulationRequest, type PromptOptions } from "./prompts.js";
import { selectSegments, shownSteps, type SegmentOptions } from "./trajectory-text.js";
import type { CriticalState, Episode, Segment, UltraMode } from "./types.js";
import { guideRandom } from "../random.js";

/** One LLM exchange of the pipeline. */
export interface UltraExchange {
  stage: "critical-states" | "modulation";
  segment?: Segment;
  prompt: string;
  answer: string;
  model: string;
  provider: string;
  cached: boolean;
  dropped: string[];
  error?: string;
}

export interface IdentifyOptions extends SegmentOptions {
  llm: LlmClient;
  description: EnvDescription;
  episodes: Episode[];
  /** At most this many critical states per segment (default 3). */
  maxCriticalPerSegment?: number;
  prompt?: PromptOptions;
}

export interface UltraLlmResult {
  criticalStates: CriticalState[];
  segments: Segment[];
  transcript: UltraExchange[];
}

function promptOf(req: { system?: string; messages: { content: string }[] }): string {
  return [req.system ?? "", ...req.messages.map((m) => m.content)].join("\n\n");
}

/** Stage 1: the critical states (with rationale) of the chosen segments; no action or reward yet. */
export async function identifyCriticalStates(opts: IdentifyOptions): Promise<UltraLlmResult> {
  const segments = selectSegments(opts.episodes, opts);
  const maxCritical = opts.maxCriticalPerSegment ?? 3;
  const stride = opts.prompt?.text?.stride ?? 1;
  const exchanges = await Promise.all(
    segments.map(async (segment) => {
      const ep = opts.episodes[segment.episode]!;
      const request = criticalStatesRequest(ep, segment, opts.description, maxCritical, opts.prompt);
      const { completion, error } = await ask(opts.llm, request);
      const exchange: UltraExchange = {
        stage: "critical-states", segment, prompt: promptOf(request), answer: completion?.text ?? "",
        model: completion?.model ?? opts.llm.model, provider: completion?.provider ?? opts.llm.provider, cached: completion?.cached ?? false, dropped: [],
      };
      const states: CriticalState[] = [];
      if (!completion || error !== undefined) {
        exchange.error = error;
        return { exchange, states };
      }
      try {
        const parsed = parseCriticalStates(completion.text, new Set(shownSteps(ep, segment.start, segment.end, stride)), maxCritical);
        exchange.dropped = parsed.dropped;
        for (const item of parsed.items) {
          states.push({ episode: segment.episode, step: item.step, obs: ep.obs[item.step]!, takenAction: ep.actions[item.step]!, rationale: item.rationale });
        }
      } catch (err) {
        if (!(err instanceof UltraParseError)) throw err;
        exchange.error = err.message;
      }
      return { exchange, states };
    }),
  );
  return { criticalStates: exchanges.flatMap((e) => e.states), segments, transcript: exchanges.map((e) => e.exchange) };
}

export interface ModulateOptions {
  llm: LlmClient;
  description: EnvDescription;
  mode: UltraMode;
  /** Critical states per request (default 6). */
  batchSize?: number;
  prompt?: PromptOptions;
  actionSpec?: ActionSpec;
}

/**
 * Stage 2: asks the LLM, a batch of states at a time, for the suggested action and/or implicit reward
 * at each critical state. Returns the states it answered for (with the suggestion filled in) and the
 * transcript; states whose answer was unusable are left out and listed in the exchange's `dropped`.
 */
export async function modulateCriticalStates(states: CriticalState[], opts: ModulateOptions): Promise<{ criticalStates: CriticalState[]; transcript: UltraExchange[] }> {
  const spec = opts.actionSpec ?? actionSpecOf(opts.description);
  const size = opts.batchSize ?? 6;
  const batches: CriticalState[][] = [];
  for (let i = 0; i < states.length; i += size) batches.push(states.slice(i, i + size));
  const results = await Promise.all(
    batches.map(async (batch) => {
      // Steps are unique within a request: states from different episodes can share a step number.
      const unique: CriticalState[] = [];
      const seen = new Set<number>();
      const deferred: CriticalState[] = [];
      for (const s of batch) (seen.has(s.step) ? deferred : (seen.add(s.step), unique)).push(s);
      const out: CriticalState[] = [];
      const exchanges: UltraExchange[] = [];
      for (const group of [unique, ...deferred.map((d) => [d])]) {
        const request = modulationRequest(group, opts.description, opts.mode, spec, opts.prompt);
        const { completion, error } = await ask(opts.llm, request);
        const exchange: UltraExchange = {
          stage: "modulation", prompt: promptOf(request), answer: completion?.text ?? "",
          model: completion?.model ?? opts.llm.model, provider: completion?.provider ?? opts.llm.provider, cached: completion?.cached ?? false, dropped: [],
        };
        if (!completion || error !== undefined) {
          exchange.error = error;
          exchanges.push(exchange);
          continue;
        }
        try {
          const parsed = parseModulation(completion.text, new Set(group.map((s) => s.step)), opts.mode, spec);
          exchange.dropped = parsed.dropped;
          for (const item of parsed.items) {
            const state = group.find((s) => s.step === item.step)!;
            out.push({ ...state, suggestedAction: item.suggestedAction, implicitReward: item.implicitReward, reason: item.reason });
          }
        } catch (err) {
          if (!(err instanceof UltraParseError)) throw err;
          exchange.error = err.message;
        }
        exchanges.push(exchange);
      }
      return { out, exchanges };
    }),
  );
  return { criticalStates: results.flatMap((r) => r.out), transcript: results.flatMap((r) => r.exchanges) };
}

/**
 * The model's answer, or why it cannot be used: a failed call the run tolerates (maxFailedCalls) or a cut /
 * refused answer (its exchange records the reason and counts as a failed call). A run-stopping error
 * (failures past the tolerance, a spent budget, no key) leaves: it never becomes an empty answer.
 */
async function ask(llm: LlmClient, request: CompletionRequest): Promise<{ completion?: Completion; error?: string }> {
  try {
    const completion = await llm.complete(request);
    return { completion, error: incompleteReason(completion, request.maxTokens) };
  } catch (err) {
    if (isRunStopping(err)) throw err;
    return { error: `LLM call failed: ${(err as Error).message}` };
  }
}

/**
 * The random-critical-states baseline: `count` states drawn uniformly from the recorded steps (no LLM
 * selection), to be modulated like the LLM's own.
 */
export function randomCriticalStates(episodes: Episode[], count: number, seed = 0): CriticalState[] {
  const rng = guideRandom(seed);
  const total = episodes.reduce((s, ep) => s + ep.obs.length, 0);
  if (total === 0) return [];
  const picked = new Set<number>();
  const n = Math.min(count, total);
  while (picked.size < n) picked.add(Math.floor(rng.random() * total));
  return [...picked].sort((a, b) => a - b).map((g) => {
    let e = 0, t = g;
    while (t >= episodes[e]!.obs.length) { t -= episodes[e]!.obs.length; e++; }
    const ep = episodes[e]!;
    return { episode: e, step: t, obs: ep.obs[t]!, takenAction: ep.actions[t]!, rationale: "chosen at random (baseline)" };
  });
}
