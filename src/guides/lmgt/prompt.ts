/**
 * Building the scoring request for a batch of (state, action) pairs in one of the three prompt styles.
 */
import { existsSync, readFileSync } from "node:fs";
import type { EnvDescription } from "../../core/env.js";
import type { CompletionRequest } from "../../llm/types.js";
import { packagePath } from "../../core/paths.js";
import type { Score } from "./parse.js";
import { renderActionFields, renderObservationFields, renderPair } from "./render.js";
import { fillTemplate, readLmgtPromptFile, type LmgtPromptStyle } from "./template.js";

/** A scored example shown to the model in the few-shot style. */
export interface FewShotExample {
  obs: number[];
  /** The action index (Discrete) or vector (Box). */
  action: number | number[];
  score: Score;
  /** One sentence of reasoning, shown after the score. */
  why?: string;
}

/** The `{guide, task}` every LMGT request carries (accounting; the surrogate picks its handler by it). */
export const LMGT_PURPOSE = { guide: "lmgt", task: "score-actions" } as const;

/** The shipped examples for an environment (`prompts/lmgt/examples/<EnvId>.json`), or [] when none ship. */
export function defaultFewShotExamples(envId: string): FewShotExample[] {
  const path = packagePath("prompts", "lmgt", "examples", `${envId}.json`);
  if (!existsSync(path)) return [];
  return JSON.parse(readFileSync(path, "utf8")) as FewShotExample[];
}

function asRow(a: number | number[]): number[] {
  return typeof a === "number" ? [a] : a;
}

function renderExamples(desc: EnvDescription, examples: readonly FewShotExample[], decimals: number): string {
  return examples
    .map((ex, i) => {
      const pair = renderPair(desc, i + 1, ex.obs, asRow(ex.action), decimals).replace(/^Pair /, "Example ");
      const score = ex.score > 0 ? "+1" : String(ex.score);
      return `${pair}\nScore: ${score}${ex.why ? ` (${ex.why})` : ""}`;
    })
    .join("\n\n");
}

export interface LmgtPromptOptions {
  style: LmgtPromptStyle;
  /** Decimals of rendered numbers. */
  decimals?: number;
  /** Few-shot examples; defaults to the shipped ones for the env. */
  examples?: readonly FewShotExample[];
  maxTokens?: number;
  temperature?: number;
}

/** One request scoring `pairs` (rows of obs and action), numbered 1..n in the prompt. */
export function buildScoringRequest(
  desc: EnvDescription,
  pairs: ReadonlyArray<{ obs: ArrayLike<number>; action: ArrayLike<number> }>,
  opts: LmgtPromptOptions,
): CompletionRequest {
  if (pairs.length === 0) throw new RangeError("buildScoringRequest: no pairs to score");
  const decimals = opts.decimals ?? 3;
  const values: Record<string, string | number> = {
    env_id: desc.id,
    env_summary: desc.summary,
    observation_fields: renderObservationFields(desc),
    action_fields: renderActionFields(desc),
    reward: desc.reward,
    termination: desc.termination,
    count: pairs.length,
    pairs: pairs.map((p, i) => renderPair(desc, i + 1, p.obs, p.action, decimals)).join("\n"),
  };
  if (opts.style === "few-shot") {
    const examples = opts.examples ?? defaultFewShotExamples(desc.id);
    if (examples.length === 0) throw new Error(`few-shot prompt: no examples for ${desc.id} (pass \`examples\` or add prompts/lmgt/examples/${desc.id}.json)`);
    values.examples = renderExamples(desc, examples, decimals);
  }
  const user = fillTemplate(readLmgtPromptFile(`${opts.style}.txt`), values);
  // Room for the answer lines (and a sentence per pair for chain-of-thought).
  const perPair = opts.style === "chain-of-thought" ? 48 : 8;
  return {
    system: readLmgtPromptFile("system.txt").trim(),
    messages: [{ role: "user", content: user }],
    maxTokens: opts.maxTokens ?? 64 + perPair * pairs.length,
    temperature: opts.temperature ?? 0,
    purpose: { ...LMGT_PURPOSE },
  };
}
