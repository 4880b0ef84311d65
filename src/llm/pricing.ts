/**
 * What a call costs. Prices are US dollars per million tokens, from Anthropic's published pricing page
 * (platform.claude.com/docs/about-claude/pricing, "Model pricing" table, as checked on 2026-11-21).
 * Prompt-cache tokens (which this package does not request, but a provider may report) are priced with
 * the page's multipliers: 5-minute cache writes 1.25x input, cache reads 0.1x input.
 * Local models (openai-compatible provider) and the surrogate cost 0.
 */
import { noticeOnce } from "./notice.js";
import type { Usage } from "./types.js";

export interface ModelPrice {
  /** USD per million input tokens. */
  inputPerMTok: number;
  /** USD per million output tokens. */
  outputPerMTok: number;
}

/** The date the table below was checked against the published prices. */
export const PRICES_CHECKED_ON = "2026-11-21";

/**
 * Anthropic model families, matched by prefix of the model id (dated ids such as
 * `claude-sonnet-4-5-20250929` and `-latest` aliases match their family). Longer prefixes win.
 */
export const ANTHROPIC_PRICES: Readonly<Record<string, ModelPrice>> = {
  "claude-opus-4-6": { inputPerMTok: 5, outputPerMTok: 25 },
  "claude-opus-4-5": { inputPerMTok: 5, outputPerMTok: 25 },
  "claude-opus-4-1": { inputPerMTok: 15, outputPerMTok: 75 },
  "claude-opus-4-0": { inputPerMTok: 15, outputPerMTok: 75 },
  "claude-opus-4": { inputPerMTok: 15, outputPerMTok: 75 },
  "claude-sonnet-4-6": { inputPerMTok: 3, outputPerMTok: 15 },
  "claude-sonnet-4-5": { inputPerMTok: 3, outputPerMTok: 15 },
  "claude-sonnet-4-0": { inputPerMTok: 3, outputPerMTok: 15 },
  "claude-sonnet-4": { inputPerMTok: 3, outputPerMTok: 15 },
  "claude-3-7-sonnet": { inputPerMTok: 3, outputPerMTok: 15 },
  "claude-haiku-4-5": { inputPerMTok: 1, outputPerMTok: 5 },
  "claude-3-5-haiku": { inputPerMTok: 0.8, outputPerMTok: 4 },
  "claude-3-opus": { inputPerMTok: 15, outputPerMTok: 75 },
  "claude-3-haiku": { inputPerMTok: 0.25, outputPerMTok: 1.25 },
};

const CACHE_WRITE_MULTIPLIER = 1.25;
const CACHE_READ_MULTIPLIER = 0.1;

const FAMILIES_LONGEST_FIRST = Object.keys(ANTHROPIC_PRICES).sort((a, b) => b.length - a.length);

/**
 * The price of an Anthropic model id, or undefined when the id matches no known family.
 * `claude-opus-4-20250514` matches `claude-opus-4`, never `claude-opus-4-1`/`-4-5`: a family matches only
 * when the id continues with `-<digits>` of 8 characters (a date), `-latest`, or nothing.
 */
export function anthropicPrice(model: string): ModelPrice | undefined {
  for (const family of FAMILIES_LONGEST_FIRST) {
    if (model === family) return ANTHROPIC_PRICES[family];
    if (!model.startsWith(family + "-")) continue;
    const rest = model.slice(family.length + 1);
    if (rest === "latest" || /^\d{8}$/.test(rest)) return ANTHROPIC_PRICES[family];
  }
  return undefined;
}

/** Token counts a provider may report beyond plain input/output. */
export interface DetailedUsage extends Usage {
  cacheCreationInputTokens?: number;
  cacheReadInputTokens?: number;
}

/** Dollars for `usage` at `price`. */
export function costAt(price: ModelPrice, usage: DetailedUsage): number {
  const input =
    usage.inputTokens +
    (usage.cacheCreationInputTokens ?? 0) * CACHE_WRITE_MULTIPLIER +
    (usage.cacheReadInputTokens ?? 0) * CACHE_READ_MULTIPLIER;
  return (input * price.inputPerMTok + usage.outputTokens * price.outputPerMTok) / 1e6;
}

/**
 * The cost of an Anthropic call. An unknown model costs 0 and says so once per model on stderr
 * (the budget in dollars then cannot protect you: set `price` in the client options).
 */
export function anthropicCost(model: string, usage: DetailedUsage): number {
  const price = anthropicPrice(model);
  if (price === undefined) {
    warnUnknownModel(model);
    return 0;
  }
  return costAt(price, usage);
}

/** The one-time warning for a model with no price. */
export function warnUnknownModel(model: string): void {
  noticeOnce(
    `price:${model}`,
    `guided-rl: no price known for model "${model}"; its calls are counted at $0 (pass price: {inputPerMTok, outputPerMTok} to createLlm to fix)`,
  );
}
