/**
 * What a call costs. Prices are US dollars per million tokens (MTok), checked on 2026-11-21 against
 * Anthropic's model pages and pricing table on platform.claude.com (models/<name>/overview, "Pricing";
 * about-claude/pricing, "Model pricing"). Opus 4.7 / 4.8 are not on the pages we could read; their
 * $5 / $25 comes from third-party price lists that agree with each other, so treat it as less certain.
 * Prompt-cache tokens (which this package does not request, but a provider may report) use each model's
 * cache rates where given, otherwise the table's usual multipliers (5-minute write 1.25x input, read 0.1x).
 * Local models (openai-compatible provider) and the surrogate cost 0.
 */
import { warnOnce } from "./notice.js";
import type { Usage } from "./types.js";

export interface ModelPrice {
  /** USD per million input tokens. */
  inputPerMTok: number;
  /** USD per million output tokens. */
  outputPerMTok: number;
  /** USD per million prompt-cache read tokens; default 0.1 x input. */
  cacheReadPerMTok?: number;
  /** USD per million 5-minute prompt-cache write tokens; default 1.25 x input. */
  cacheWritePerMTok?: number;
}

/** The date the table below was checked against the published prices. */
export const PRICES_CHECKED_ON = "2026-11-21";

/**
 * Anthropic model families, matched by prefix of the model id (dated ids such as
 * `claude-sonnet-4-5-20250929` and `-latest` aliases match their family). Longer prefixes win.
 */
export const ANTHROPIC_PRICES: Readonly<Record<string, ModelPrice>> = {
  // Current line-up (2026-11).
  "claude-fable-5-1": { inputPerMTok: 10, outputPerMTok: 50 },
  "claude-opus-5-5": { inputPerMTok: 4, outputPerMTok: 20, cacheReadPerMTok: 0.2, cacheWritePerMTok: 5 },
  "claude-sonnet-5-5": { inputPerMTok: 2, outputPerMTok: 10, cacheReadPerMTok: 0.2, cacheWritePerMTok: 2.5 },
  // Haiku 5.5 is listed "from $0.10 / $0.50": the base rate, for prompts far below its long-context tier.
  "claude-haiku-5-5": { inputPerMTok: 0.1, outputPerMTok: 0.5 },
  // Legacy, still served.
  "claude-opus-5": { inputPerMTok: 5, outputPerMTok: 25 },
  "claude-sonnet-5": { inputPerMTok: 2, outputPerMTok: 10, cacheReadPerMTok: 0.2, cacheWritePerMTok: 2.5 },
  "claude-opus-4-8": { inputPerMTok: 5, outputPerMTok: 25 },
  "claude-opus-4-7": { inputPerMTok: 5, outputPerMTok: 25 },
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
  const cacheWrite = price.cacheWritePerMTok ?? price.inputPerMTok * CACHE_WRITE_MULTIPLIER;
  const cacheRead = price.cacheReadPerMTok ?? price.inputPerMTok * CACHE_READ_MULTIPLIER;
  return (
    (usage.inputTokens * price.inputPerMTok +
      (usage.cacheCreationInputTokens ?? 0) * cacheWrite +
      (usage.cacheReadInputTokens ?? 0) * cacheRead +
      usage.outputTokens * price.outputPerMTok) /
    1e6
  );
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
  warnOnce(
    `price:${model}`,
    `guided-rl: no price known for model "${model}"; its calls are counted at $0 (pass price: {inputPerMTok, outputPerMTok} to createLlm to fix)`,
  );
}
