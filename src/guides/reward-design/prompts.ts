/**
 * The reward designer's prompts, filled from the templates in prompts/reward-design/ with the documented
 * fields of BipedalWalker-v3, the sandbox contract and the behaviour metrics.
 */
import { readFileSync } from "node:fs";
import type { EnvDescription, FieldDescription } from "../../core/env.js";
import { packagePath } from "../../core/paths.js";
import { describeBipedalWalker } from "../../envs/box2d/bipedal-walker/describe.js";
import { REWARD_HELPER_DOCS } from "../../sandbox/index.js";
import { metricsDocText } from "./metrics.js";
import { seedMetricsGuide, seedMetricsText, seedTrendText } from "./seed-metrics.js";

export type PromptName = "system" | "task" | "initial" | "iteration" | "fix" | "seed" | "seed-hint";

const cache = new Map<PromptName, string>();

/** A template of prompts/reward-design/ as text. */
export function promptTemplate(name: PromptName): string {
  let t = cache.get(name);
  if (t === undefined) {
    t = readFileSync(packagePath("prompts", "reward-design", `${name}.txt`), "utf8").trimEnd();
    cache.set(name, t);
  }
  return t;
}

/** Replaces every `{{key}}`; a placeholder without a value is an error (a silent blank would mislead the LLM). */
export function fillPrompt(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
    if (!(key in values)) throw new Error(`reward-design prompt: no value for {{${key}}}`);
    return String(values[key]);
  });
}

function fieldLine(f: FieldDescription, arrayName: string): string {
  const [a, b] = f.index;
  const where = b - a === 1 ? `${arrayName}[${a}]` : `${arrayName}[${a}..${b - 1}]`;
  return `- ${where} ${f.name}: ${f.description}`;
}

/** What the protocol tells the designer about training and evaluation. */
export interface ProtocolFacts {
  totalTimesteps: number;
  nEnvs: number;
  gamma: number;
  evalEpisodes: number;
}

function fieldSections(description: EnvDescription) {
  return {
    observation_fields: (description.observation ?? []).map((f) => fieldLine(f, "obs")).join("\n"),
    action_fields: (description.action ?? []).map((f) => fieldLine(f, "action")).join("\n"),
    info_fields: Object.entries(description.info ?? {})
      .map(([k, v]) => `- info.${k}: ${v}`)
      .join("\n"),
    contract: REWARD_HELPER_DOCS.trimEnd(),
  };
}

/** The shared task section: task in words, fields, contract, metrics. */
export function taskText(facts: ProtocolFacts, description: EnvDescription = describeBipedalWalker(false)): string {
  return fillPrompt(promptTemplate("task"), {
    env_id: description.id,
    env_summary: description.summary,
    native_reward: description.reward ?? "",
    termination: description.termination ?? "",
    total_timesteps: facts.totalTimesteps,
    n_envs: facts.nEnvs,
    gamma: facts.gamma,
    eval_episodes: facts.evalEpisodes,
    ...fieldSections(description),
    metrics_doc: metricsDocText(),
  });
}

/** Iteration 1: the zero-shot prompt of candidate `candidate` (1-based) of `candidates`. */
export function initialPrompt(task: string, candidate: number, candidates: number): string {
  return fillPrompt(promptTemplate("initial"), { task, candidate, candidates });
}

export interface IterationPromptValues {
  task: string;
  iteration: number;
  bestIteration: number;
  bestCandidate: number;
  bestReturn: string;
  bestCode: string;
  reflection: string;
  others: string;
  candidate: number;
  candidates: number;
}

/** Iteration >= 2: the best code so far with its reflection. */
export function iterationPrompt(v: IterationPromptValues): string {
  return fillPrompt(promptTemplate("iteration"), {
    task: v.task,
    iteration: v.iteration,
    best_iteration: v.bestIteration,
    best_candidate: v.bestCandidate,
    best_return: v.bestReturn,
    best_code: v.bestCode.trim(),
    reflection: v.reflection,
    others: v.others,
    candidate: v.candidate,
    candidates: v.candidates,
  });
}

/** The fix request sent once after a failed validation. */
export function fixPrompt(error: string): string {
  return fillPrompt(promptTemplate("fix"), {
    error,
    contract_reminder:
      "Reminder: define exactly one top-level function computeReward(obs, action, nextObs, info) that returns {reward, components} with finite numbers and the same component names at every step; only the listed globals and helpers exist; inputs are frozen; no state between calls.",
  });
}

export interface SeedPromptValues {
  iteration: number;
  difficulty: number;
  stepsPerIteration: number;
  evalEpisodes: number;
  /** Gait metrics of the current policy. */
  metrics: Record<string, number>;
  /** The metrics of every evaluated iteration so far, oldest first (the last 3 make the trend). */
  history: readonly Record<string, number>[];
}

/** The hint file's lines without its # comments (empty when it holds none). */
export function seedHint(): string {
  return promptTemplate("seed-hint")
    .split("\n")
    .filter((l) => l.trim() && !l.trim().startsWith("#"))
    .join("\n");
}

/** The seed preset's prompt: metrics with a 3-iteration trend, goals, hint; no previous code. */
export function seedPrompt(v: SeedPromptValues, description: EnvDescription = describeBipedalWalker(false)): string {
  const trend = seedTrendText(v.history);
  const hint = seedHint();
  return fillPrompt(promptTemplate("seed"), {
    difficulty: v.difficulty.toFixed(2),
    steps_per_iteration: v.stepsPerIteration,
    iteration: v.iteration,
    eval_episodes: v.evalEpisodes,
    metrics: seedMetricsText(v.metrics),
    trend: trend ? `\nTrend over the last ${Math.min(3, v.history.length)} iterations:\n${trend}\n` : "",
    hint: hint ? `\nThe researcher's hint:\n${hint}\n` : "",
    metrics_guide: seedMetricsGuide(),
    ...fieldSections(description),
  });
}
