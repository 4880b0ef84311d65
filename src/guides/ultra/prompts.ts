/**
 * The two ULTRA prompts, filled from the templates in `prompts/ultra/`. Templates are plain text with
 * `{{name}}` placeholders so they can be read and edited without touching code.
 */
import { readFileSync } from "node:fs";
import type { EnvDescription } from "../../core/env.js";
import { packagePath } from "../../core/paths.js";
import type { CompletionRequest } from "../../llm/types.js";
import type { ActionSpec } from "./action-spec.js";
import { actionLegend, actionToText, observationLegend, segmentToText, stateToText, type TrajectoryTextOptions } from "./trajectory-text.js";
import type { Action, Episode, Segment, UltraMode } from "./types.js";

const cache = new Map<string, string>();

/** A template from `prompts/ultra/` (or `dir`, to try edited prompts). */
export function loadUltraTemplate(name: "system" | "critical-states" | "modulation", dir?: string): string {
  const path = dir ? `${dir}/${name}.txt` : packagePath("prompts", "ultra", `${name}.txt`);
  let text = cache.get(path);
  if (text === undefined) {
    text = readFileSync(path, "utf8");
    cache.set(path, text);
  }
  return text;
}

/** Replaces every `{{name}}`; a placeholder without a value is an error, as is a value nobody asked for. */
export function fillTemplate(template: string, values: Record<string, string | number>): string {
  const used = new Set<string>();
  const out = template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    const v = values[name];
    if (v === undefined) throw new Error(`ultra prompt: no value for placeholder {{${name}}}`);
    used.add(name);
    return String(v);
  });
  const unused = Object.keys(values).filter((k) => !used.has(k));
  if (unused.length > 0) throw new Error(`ultra prompt: template has no placeholder for ${unused.join(", ")}`);
  return out.trimEnd() + "\n";
}

function environmentValues(desc: EnvDescription): Record<string, string> {
  return {
    env_id: desc.id,
    env_summary: desc.summary,
    observation_fields: observationLegend(desc),
    action_fields: actionLegend(desc),
    reward: desc.reward,
    termination: desc.termination,
  };
}

export interface PromptOptions {
  /** Folder with edited templates (default: the package's prompts/ultra/). */
  templateDir?: string;
  text?: TrajectoryTextOptions;
}

/** Stage 1: ask for the critical states of one segment. */
export function criticalStatesRequest(ep: Episode, segment: Segment, desc: EnvDescription, maxCritical: number, opts: PromptOptions = {}): CompletionRequest {
  const user = fillTemplate(loadUltraTemplate("critical-states", opts.templateDir), {
    ...environmentValues(desc),
    first_step: segment.start,
    last_step: segment.end - 1,
    trajectory: segmentToText(ep, desc, segment.start, segment.end, opts.text),
    max_critical: maxCritical,
  });
  return {
    system: loadUltraTemplate("system", opts.templateDir).trim(),
    messages: [{ role: "user", content: user }],
    maxTokens: 2048,
    temperature: 0,
    purpose: { guide: "ultra", task: "critical-states" },
  };
}

/** A critical state as shown in the stage-2 prompt. */
export interface CriticalStateForPrompt {
  step: number;
  obs: ArrayLike<number>;
  takenAction: Action;
  rationale: string;
}

function answerFormat(mode: UltraMode, spec: ActionSpec): string {
  const action =
    spec.kind === "discrete"
      ? `"suggested_action": "<one of: ${spec.meanings.join(", ")}>"`
      : `"suggested_action": {${spec.names.map((n, i) => `"${n}": <number in [${spec.low[i]}, ${spec.high[i]}]>`).join(", ")}}`;
  const reward = `"implicit_reward": <number in [-1, 1] for the action the agent took>`;
  const fields = [`"step": <step number>`, ...(mode !== "R" ? [action] : []), ...(mode !== "A" ? [reward] : []), `"reason": "<one sentence>"`];
  return `[{${fields.join(", ")}}]`;
}

function decision(mode: UltraMode): string {
  const a = "Say which action the agent should take in this state instead.";
  const r = "Give an implicit reward for the action the agent actually took: -1 if it was a clear mistake, 0 if it made no difference, +1 if it was already the best choice (values in between for degrees).";
  return mode === "A" ? a : mode === "R" ? r : `${a} ${r}`;
}

/** Stage 2: ask for the suggested action (ULTRA-A) and/or implicit reward (ULTRA-R) at each critical state. */
export function modulationRequest(states: CriticalStateForPrompt[], desc: EnvDescription, mode: UltraMode, spec: ActionSpec, opts: PromptOptions = {}): CompletionRequest {
  const blocks = states.map(
    (s, i) =>
      `Critical state ${i + 1} (step ${s.step}): ${stateToText(s.obs, desc, opts.text?.digits ?? 3)}\n` +
      `  agent's action: ${actionToText(s.takenAction, desc)}\n` +
      `  why critical: ${s.rationale || "(no rationale given)"}`,
  );
  const user = fillTemplate(loadUltraTemplate("modulation", opts.templateDir), {
    ...environmentValues(desc),
    critical_states: blocks.join("\n\n"),
    decision: decision(mode),
    answer_format: answerFormat(mode, spec),
  });
  return {
    system: loadUltraTemplate("system", opts.templateDir).trim(),
    messages: [{ role: "user", content: user }],
    maxTokens: 2048,
    temperature: 0,
    purpose: { guide: "ultra", task: "modulation" },
  };
}
