/**
 * The surrogate's LMGT answer: it reads the request the way a model would (the `Environment:` line, each
 * `Pair k: state: ...; action: ...` line, and whether reasoning and a `Scores:` block were asked for),
 * judges each pair with the environment's expert, degrades the judgement by the quality knob, and writes
 * the answer in the requested format.
 */
import type { CompletionRequest } from "../../../llm/types.js";
import type { Score } from "../parse.js";
import type { SurrogateRng } from "../../random.js";
import { expertFor, type Judgement, type ReadAction, type ReadState } from "./experts.js";

/**
 * How good the emulated model is.
 *  - accuracy:   probability that a pair's score is the expert's; otherwise it is uniform over {-1, 0, +1}
 *                (accuracy 0 = chance level: the scores carry no information about the action).
 *  - abstention: probability of answering 0 ("cannot tell") for a pair, whatever the expert thinks.
 *  - noise:      probability that a pair's answer line is malformed (unparseable).
 */
export interface LmgtSurrogateQuality {
  accuracy: number;
  abstention: number;
  noise: number;
}

export const FULL_QUALITY: LmgtSurrogateQuality = { accuracy: 1, abstention: 0, noise: 0 };
export const CHANCE_QUALITY: LmgtSurrogateQuality = { accuracy: 0, abstention: 0, noise: 0 };

/** Named quality levels for the model-quality ablation (emulating smaller or quantised models). */
export const LMGT_QUALITY_LEVELS: Readonly<Record<string, LmgtSurrogateQuality>> = {
  full: FULL_QUALITY,
  good: { accuracy: 0.85, abstention: 0.05, noise: 0.01 },
  small: { accuracy: 0.6, abstention: 0.15, noise: 0.05 },
  chance: CHANCE_QUALITY,
};

export function validateQuality(q: LmgtSurrogateQuality): LmgtSurrogateQuality {
  for (const k of ["accuracy", "abstention", "noise"] as const) {
    if (!(q[k] >= 0 && q[k] <= 1)) throw new RangeError(`surrogate quality: ${k} must be in [0, 1], got ${q[k]}`);
  }
  return q;
}

/** What the surrogate read from the request. */
export interface ReadRequest {
  envId: string;
  pairs: { k: number; state: ReadState; action: ReadAction }[];
  chainOfThought: boolean;
}

const NUM = /[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?/gi;

function readState(text: string): ReadState {
  const fields = new Map<string, number[]>();
  const values: number[] = [];
  // `name = value unit` or `name = [a, b]`, separated by ", " at the top level (not inside brackets).
  for (const part of text.split(/,\s*(?![^\[]*\])/)) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim().toLowerCase();
    const nums = (part.slice(eq + 1).match(NUM) ?? []).map(Number);
    if (nums.length === 0) continue;
    fields.set(name, nums);
    values.push(...nums);
  }
  return { fields, values };
}

function readAction(text: string): ReadAction {
  const t = text.trim();
  const discrete = /^(\d+)\s*\(([^)]*)\)/.exec(t);
  if (discrete) return { index: Number(discrete[1]), meaning: discrete[2], values: [Number(discrete[1])] };
  const eq = t.indexOf("=");
  const values = ((eq >= 0 ? t.slice(eq + 1) : t).match(NUM) ?? []).map(Number);
  return { values };
}

/** Reads the environment, the numbered pairs and the requested format from an LMGT request. */
export function readLmgtRequest(request: CompletionRequest): ReadRequest {
  const text = request.messages.filter((m) => m.role === "user").map((m) => m.content).join("\n");
  const env = /^Environment:\s*(\S+)/m.exec(text);
  if (!env) throw new Error("surrogate (lmgt): the prompt names no environment (`Environment: <id>` line)");
  const pairs: ReadRequest["pairs"] = [];
  for (const m of text.matchAll(/^Pair (\d+): state: (.*); action: (.*)$/gm)) {
    pairs.push({ k: Number(m[1]), state: readState(m[2]!), action: readAction(m[3]!) });
  }
  const chainOfThought = /think step by step/i.test(text) || /`Scores:`/.test(text);
  return { envId: env[1]!, pairs, chainOfThought };
}

/** What the LMGT handler draws from the SurrogateRng it is handed (tests may pass any such source). */
export type UniformSource = Pick<SurrogateRng, "random">;

function degrade(j: Judgement, q: LmgtSurrogateQuality, rng: UniformSource): { score: Score; malformed: boolean; why: string } {
  const malformed = rng.random() < q.noise;
  if (rng.random() < q.abstention) return { score: 0, malformed, why: "I cannot tell from this state." };
  if (rng.random() < q.accuracy) return { score: j.score, malformed, why: j.why };
  const score = (Math.floor(rng.random() * 3) - 1) as Score;
  return { score, malformed, why: "The action seems reasonable enough." };
}

function scoreText(s: Score): string {
  return s > 0 ? "+1" : String(s);
}

/** The surrogate's answer text to an LMGT scoring request. */
export function answerLmgtRequest(request: CompletionRequest, quality: LmgtSurrogateQuality, rng: UniformSource): string {
  validateQuality(quality);
  const read = readLmgtRequest(request);
  const expert = expertFor(read.envId);
  if (!expert) throw new Error(`surrogate (lmgt): no knowledge of ${read.envId} (it knows CartPole, Pendulum, Blackjack)`);
  const answers = read.pairs.map((p) => ({ k: p.k, ...degrade(expert.judge(p.state, p.action), quality, rng) }));
  const lines = answers.map((a) => (a.malformed ? `${a.k}: hard to say` : `${a.k}: ${scoreText(a.score)}`));
  if (!read.chainOfThought) return lines.join("\n");
  const reasoning = answers.map((a) => `Pair ${a.k}: ${a.why}`);
  return `${reasoning.join("\n")}\n\nScores:\n${lines.join("\n")}`;
}
