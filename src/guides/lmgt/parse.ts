/**
 * Reading the model's scores back, robustly. A batched answer is `<pair number>: <score>` per line; models
 * also write `Pair 3: -1`, `**3.** +1`, `- 3) score: 0`, a JSON array, bare scores one per line, words
 * ("good", "bad"), or reasoning followed by a `Scores:` block. Scores are matched to pairs by their number
 * when numbered (so order in the answer does not matter) and by position otherwise. Every pair without a
 * valid score (-1, 0 or +1) gets 0 and is counted as a parse failure.
 */

export type Score = -1 | 0 | 1;

export interface ParsedScores {
  /** One score per pair, in pair order; 0 where parsing failed. */
  scores: Int8Array;
  /** Pairs that got no valid score. */
  failures: number;
  /** How the answer was read. */
  format: "numbered" | "json" | "positional" | "single" | "none";
}

const WORDS: Record<string, Score> = {
  good: 1, positive: 1, correct: 1, yes: 1, beneficial: 1,
  bad: -1, negative: -1, wrong: -1, incorrect: -1, no: -1, harmful: -1,
  neutral: 0, zero: 0, unsure: 0, unclear: 0, none: 0,
};

const NUMBER = String.raw`[+\-\u2212\u2013]?\s?\d+(?:\.\d+)?`;
const WORD = Object.keys(WORDS).join("|");
const VALUE = `(?:${NUMBER}|${WORD})`;

/** A score token to -1/0/+1, or undefined when it is not one (e.g. `2`, `0.5`, `maybe`). */
export function scoreFromToken(token: string): Score | undefined {
  const t = token.trim().toLowerCase().replace(/[\u2212\u2013]/g, "-").replace(/\s+/g, "");
  if (t in WORDS) return WORDS[t];
  if (!/^[+-]?\d+(\.\d+)?$/.test(t)) return undefined;
  const v = Number(t);
  if (v === 1) return 1;
  if (v === -1) return -1;
  if (v === 0) return 0;
  return undefined;
}

/** The part of a chain-of-thought answer after its last `Scores:` / `Final answer:` / `Answer:` marker. */
function answerSection(text: string): string {
  const markers = [...text.matchAll(/(?:^|\n)[^\S\n]*(?:#+\s*|\*\*)?(?:final\s+)?(?:scores?|answers?)(?:\*\*)?\s*:(?:\*\*)?/gi)];
  if (markers.length === 0) return text;
  const last = markers[markers.length - 1]!;
  return text.slice(last.index! + last[0].length);
}

// `Pair 3: +1`, `3: -1`, `**3.** +1`, `- 3) score: 0`, `#3 = good`, `(3) -1`
const NUMBERED_LINE = new RegExp(
  String.raw`^[^\S\n]*(?:[-*\u2022>]\s*)?(?:\*\*|__)?\(?(?:pair|item|#)?\s*#?(\d+)(?:\*\*|__)?(?:\s*[:.)=\u2013]+|\s+-(?=\s))\s*(?:\*\*|__)?\s*(?:score\s*[:=]?\s*)?(?:\*\*|__)?(${VALUE})(?![\w.]*\d)`,
  "i",
);

function parseNumbered(section: string, count: number): { scores: (Score | undefined)[]; matched: number } {
  const scores: (Score | undefined)[] = new Array(count).fill(undefined);
  let matched = 0;
  for (const line of section.split(/\r?\n/)) {
    const m = NUMBERED_LINE.exec(line);
    if (!m) continue;
    const k = Number(m[1]);
    if (k < 1 || k > count) continue;
    matched++;
    // A later line for the same pair wins: models restate corrected answers at the end.
    scores[k - 1] = scoreFromToken(m[2]!);
  }
  return { scores, matched };
}

function parseJsonArray(section: string, count: number): (Score | undefined)[] | undefined {
  const m = /\[[^\[\]]*\]/.exec(section);
  if (!m) return undefined;
  let arr: unknown;
  try {
    arr = JSON.parse(m[0].replace(/\+(\d)/g, "$1"));
  } catch {
    return undefined;
  }
  if (!Array.isArray(arr) || arr.length !== count) return undefined;
  return arr.map((v) => (typeof v === "number" || typeof v === "string" ? scoreFromToken(String(v)) : undefined));
}

function parsePositional(section: string, count: number): (Score | undefined)[] | undefined {
  const tokens = section.match(new RegExp(String.raw`(?<![\w.])${VALUE}(?![\w.]*\d)`, "gi")) ?? [];
  if (tokens.length !== count) return undefined;
  return tokens.map(scoreFromToken);
}

function finish(scores: (Score | undefined)[], format: ParsedScores["format"]): ParsedScores {
  const out = new Int8Array(scores.length);
  let failures = 0;
  scores.forEach((s, i) => {
    if (s === undefined) failures++;
    else out[i] = s;
  });
  return { scores: out, failures, format };
}

/** Parses the scores of `count` pairs from a model's answer (see the module comment for what is accepted). */
export function parseScores(text: string, count: number): ParsedScores {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`parseScores: count must be a non-negative integer, got ${count}`);
  if (count === 0) return { scores: new Int8Array(0), failures: 0, format: "none" };
  const section = answerSection(text);
  const numbered = parseNumbered(section, count);
  if (numbered.matched > 0) return finish(numbered.scores, "numbered");
  const json = parseJsonArray(section, count);
  if (json) return finish(json, "json");
  const positional = parsePositional(section, count);
  if (positional) return finish(positional, "positional");
  if (count === 1) {
    // One pair: the last score-like token after a `score` word, else the last token in the text.
    const after = /score\s*(?:is|of|:|=)?\s*\**\s*([+\-\u2212]?\s?\d+(?:\.\d+)?)/gi;
    let last: string | undefined;
    for (const m of section.matchAll(after)) last = m[1];
    if (last !== undefined) return finish([scoreFromToken(last)], "single");
  }
  return finish(new Array(count).fill(undefined), "none");
}
