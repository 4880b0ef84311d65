/**
 * Reading the LLM's answers. Both prompts ask for a line `ANSWER` followed by a JSON array; the reader
 * also accepts a fenced ```json block or a bare trailing array, since models vary. Entries that cannot be
 * used are dropped with a reason (never silently), so the caller can log them.
 */
import type { ActionSpec } from "./action-spec.js";
import { actionFromAnswer } from "./action-spec.js";
import type { Action, UltraMode } from "./types.js";

/** The answer could not be read at all. */
export class UltraParseError extends Error {
  constructor(message: string, readonly text: string) {
    super(message);
    this.name = "UltraParseError";
  }
}

/** Finds the matching `]` of the `[` at `open`, skipping brackets inside strings. */
function matchingBracket(s: string, open: number): number {
  let depth = 0;
  let inString = false;
  for (let i = open; i < s.length; i++) {
    const c = s[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "[") depth++;
    else if (c === "]" && --depth === 0) return i;
  }
  return -1;
}

/** The JSON array of an answer (after the last `ANSWER` line, else in the last ```json fence, else the last top-level array). */
export function extractAnswerArray(text: string): unknown[] {
  const candidates: string[] = [];
  const marker = [...text.matchAll(/^[ \t*#]*ANSWER[ \t*:]*$/gm)].pop();
  if (marker?.index !== undefined) candidates.push(text.slice(marker.index + marker[0].length));
  const fences = [...text.matchAll(/```(?:json)?\s*([\s\S]*?)```/g)];
  if (fences.length > 0) candidates.push(fences[fences.length - 1]![1]!);
  const lastOpen = text.lastIndexOf("\n[");
  if (lastOpen >= 0) candidates.push(text.slice(lastOpen + 1));
  for (const c of candidates) {
    const open = c.indexOf("[");
    if (open < 0) continue;
    const close = matchingBracket(c, open);
    if (close < 0) continue;
    const raw = c.slice(open, close + 1);
    for (const attempt of [raw, raw.replace(/,\s*([\]}])/g, "$1")]) {
      try {
        const parsed: unknown = JSON.parse(attempt);
        if (Array.isArray(parsed)) return parsed;
      } catch {
        // try the next form
      }
    }
  }
  throw new UltraParseError("no JSON array found after ANSWER (expected a line `ANSWER` then [...])", text);
}

export interface ParsedCriticalState {
  step: number;
  rationale: string;
}

export interface Parsed<T> {
  items: T[];
  /** Entries that were dropped, each with the reason. */
  dropped: string[];
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

function asStep(v: unknown): number | undefined {
  const n = typeof v === "string" && /^\s*\d+\s*$/.test(v) ? Number(v) : v;
  return typeof n === "number" && Number.isInteger(n) ? n : undefined;
}

/**
 * Stage 1: the critical states of one segment. Steps must be among `validSteps` (the steps shown);
 * duplicates are dropped; at most `maxCritical` are kept, in the LLM's order.
 */
export function parseCriticalStates(text: string, validSteps: ReadonlySet<number>, maxCritical: number): Parsed<ParsedCriticalState> {
  const entries = extractAnswerArray(text);
  const items: ParsedCriticalState[] = [];
  const dropped: string[] = [];
  const seen = new Set<number>();
  entries.forEach((entry, k) => {
    if (!isRecord(entry)) return void dropped.push(`entry ${k}: not an object`);
    const step = asStep(entry.step);
    if (step === undefined) return void dropped.push(`entry ${k}: "step" is not an integer (${JSON.stringify(entry.step)})`);
    if (!validSteps.has(step)) return void dropped.push(`entry ${k}: step ${step} was not among the steps shown`);
    if (seen.has(step)) return void dropped.push(`entry ${k}: step ${step} listed twice`);
    if (items.length >= maxCritical) return void dropped.push(`entry ${k}: more than the ${maxCritical} states asked for`);
    seen.add(step);
    items.push({ step, rationale: typeof entry.rationale === "string" ? entry.rationale.trim() : "" });
  });
  return { items, dropped };
}

export interface ParsedModulation {
  step: number;
  suggestedAction?: Action;
  implicitReward?: number;
  reason: string;
}

/**
 * Stage 2: the suggestion for each critical state. ULTRA-A needs `suggested_action`, ULTRA-R
 * `implicit_reward` (clipped to [-1, 1]), ULTRA-RA both; an entry missing what the mode needs is dropped.
 */
export function parseModulation(text: string, steps: ReadonlySet<number>, mode: UltraMode, spec: ActionSpec): Parsed<ParsedModulation> {
  const entries = extractAnswerArray(text);
  const items: ParsedModulation[] = [];
  const dropped: string[] = [];
  const seen = new Set<number>();
  const wantAction = mode !== "R";
  const wantReward = mode !== "A";
  entries.forEach((entry, k) => {
    if (!isRecord(entry)) return void dropped.push(`entry ${k}: not an object`);
    const step = asStep(entry.step);
    if (step === undefined || !steps.has(step)) return void dropped.push(`entry ${k}: step ${JSON.stringify(entry.step)} is not one of the critical states`);
    if (seen.has(step)) return void dropped.push(`entry ${k}: step ${step} listed twice`);
    const item: ParsedModulation = { step, reason: typeof entry.reason === "string" ? entry.reason.trim() : "" };
    if (wantAction) {
      try {
        item.suggestedAction = actionFromAnswer(entry.suggested_action, spec);
      } catch (err) {
        return void dropped.push(`entry ${k} (step ${step}): suggested_action ${(err as Error).message}`);
      }
    }
    if (wantReward) {
      const r = typeof entry.implicit_reward === "string" ? Number(entry.implicit_reward) : entry.implicit_reward;
      if (typeof r !== "number" || !Number.isFinite(r)) return void dropped.push(`entry ${k} (step ${step}): implicit_reward is not a number (${JSON.stringify(entry.implicit_reward)})`);
      item.implicitReward = Math.max(-1, Math.min(1, r));
    }
    seen.add(step);
    items.push(item);
  });
  return { items, dropped };
}
