/**
 * Plain-text prompt templates with `{{name}}` placeholders, loaded from the package's `prompts/lmgt/`.
 */
import { readFileSync } from "node:fs";
import { packagePath } from "../../core/paths.js";

/** The prompt styles of the LMGT paper's prompt ablation. */
export type LmgtPromptStyle = "zero-shot" | "chain-of-thought" | "few-shot";

export const LMGT_PROMPT_STYLES: readonly LmgtPromptStyle[] = ["zero-shot", "chain-of-thought", "few-shot"];

const loaded = new Map<string, string>();

/** Reads `prompts/lmgt/<name>` once and keeps it. */
export function readLmgtPromptFile(name: string): string {
  let text = loaded.get(name);
  if (text === undefined) {
    text = readFileSync(packagePath("prompts", "lmgt", name), "utf8");
    loaded.set(name, text);
  }
  return text;
}

/**
 * Replaces every `{{name}}` with `values[name]`. A placeholder without a value is an error (a silently
 * empty prompt section would quietly change the experiment); unused values are allowed.
 */
export function fillTemplate(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g, (_match, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`prompt template: no value for placeholder {{${name}}}`);
    return String(value);
  });
}

/** The placeholder names a template uses, in order of first use. */
export function templatePlaceholders(template: string): string[] {
  const names: string[] = [];
  for (const m of template.matchAll(/\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g)) {
    if (!names.includes(m[1]!)) names.push(m[1]!);
  }
  return names;
}
