/**
 * The reward-design experiment: the loop with a designer (surrogate, Anthropic or an OpenAI-compatible
 * server) at a budget, the native-reward baseline in the same protocol, then tables and figures in the
 * run folder. Used by `guided-rl reproduce reward-design` and the notebook.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createLlm, type LlmProviderName } from "../../llm/create.js";
import type { SurrogateQuality } from "../../llm/providers/surrogate.js";
import type { LlmClient } from "../../llm/types.js";
import "../../guides/reward-design/index.js";
import { runRewardDesign, type RewardDesignEvent, type RewardDesignResult } from "./loop.js";
import { saveFigure } from "../../report/figure.js";
import type { PlotlySpec } from "../../report/plotly.js";
import { formatTable, type Row } from "../../report/table.js";
import type { Budget } from "../budget.js";
import { rewardDesignPreset, type RewardDesignPreset } from "./presets.js";
import { candidateTable, comparisonTable, designerLabel, iterationFigure, iterationTable, learningCurvesFigure } from "./report.js";

/** The surrogate's default quality here: one first draft in four carries a planted bug (exercises the fix round). */
export const DEFAULT_SURROGATE_QUALITY: Partial<SurrogateQuality> = { accuracy: 0.75, noise: 0.1, seed: 0 };

export interface RewardDesignExperimentOptions {
  budget: Budget;
  /** Run folder (default out/reward-design-<budget>). */
  out?: string;
  provider?: LlmProviderName;
  model?: string;
  /** Server root for anthropic (a proxy) or openai-compatible (default GUIDED_RL_OPENAI_BASE_URL, else a local server). */
  baseURL?: string;
  /** Use this client instead of creating one (tests, notebooks with their own settings). */
  llm?: LlmClient;
  /** Surrogate only. */
  quality?: Partial<SurrogateQuality>;
  /** Override the preset (iterations, candidates, protocol fields). */
  iterations?: number;
  candidates?: number;
  totalTimesteps?: number;
  concurrency?: number;
  /** Write PNGs of the figures (needs Chromium; default true). */
  png?: boolean;
  onEvent?: (event: RewardDesignEvent) => void;
}

export interface RewardDesignTable {
  name: string;
  caption: string;
  rows: Row[];
}

export interface RewardDesignExperimentResult {
  result: RewardDesignResult;
  preset: RewardDesignPreset;
  designer: string;
  tables: RewardDesignTable[];
  figures: { name: string; spec: PlotlySpec }[];
}

/** The preset with the options' overrides applied. */
export function resolvePreset(o: Pick<RewardDesignExperimentOptions, "budget" | "iterations" | "candidates" | "totalTimesteps">): RewardDesignPreset {
  const p = rewardDesignPreset(o.budget);
  return {
    iterations: o.iterations ?? p.iterations,
    candidates: o.candidates ?? p.candidates,
    protocol: { ...p.protocol, ...(o.totalTimesteps !== undefined ? { totalTimesteps: o.totalTimesteps } : {}) },
  };
}

/** Runs (or resumes) the experiment and writes tables and figures into the run folder. */
export async function runRewardDesignExperiment(options: RewardDesignExperimentOptions): Promise<RewardDesignExperimentResult> {
  const out = options.out ?? join("out", `reward-design-${options.budget}`);
  const preset = resolvePreset(options);
  const provider = options.provider ?? "surrogate";
  const llm =
    options.llm ??
    createLlm({
      provider,
      model: options.model,
      ...(options.baseURL ? { baseURL: options.baseURL } : {}),
      runDir: out,
      cache: "read-write",
      ...(provider === "surrogate" ? { quality: options.quality ?? DEFAULT_SURROGATE_QUALITY, surrogateName: "reward-terms" } : {}),
    });
  const result = await runRewardDesign({
    runDir: out,
    llm,
    iterations: preset.iterations,
    candidates: preset.candidates,
    protocol: preset.protocol,
    concurrency: options.concurrency,
    onEvent: options.onEvent,
  });
  const maybeSummary = llm as LlmClient & { writeSummary?: () => unknown };
  if (options.llm === undefined && typeof maybeSummary.writeSummary === "function") maybeSummary.writeSummary();
  const designer = designerLabel(llm.provider, llm.model);
  const p = preset.protocol;
  const protocolText = `${preset.iterations} iterations x ${preset.candidates} candidates x ${p.totalTimesteps} PPO steps (${p.nEnvs} envs), ${p.evalEpisodes} deterministic evaluation episodes${p.evalMaxSteps ? ` cut at ${p.evalMaxSteps} steps` : ""}`;
  const tables: RewardDesignTable[] = [
    { name: "comparison", caption: `Designed reward vs PPO on the native reward, same protocol (${protocolText}); rewards designed by ${designer}`, rows: comparisonTable(result) },
    { name: "iterations", caption: `Native return per iteration (designer: ${designer})`, rows: iterationTable(result) },
    { name: "candidates", caption: `Every candidate (designer: ${designer})`, rows: candidateTable(result) },
  ];
  const figures = [
    { name: "learning-curves", spec: learningCurvesFigure(result) },
    { name: "iterations", spec: iterationFigure(result) },
  ];
  writeReport(out, tables, designer, protocolText);
  mkdirSync(join(out, "figures"), { recursive: true });
  for (const f of figures) {
    await saveFigure(f.spec, join(out, "figures", `${f.name}.json`));
    await saveFigure(f.spec, join(out, "figures", `${f.name}.html`));
    if (options.png !== false) await saveFigure(f.spec, join(out, "figures", `${f.name}.png`));
  }
  return { result, preset, designer, tables, figures };
}

function writeReport(out: string, tables: readonly RewardDesignTable[], designer: string, protocolText: string): void {
  const md = [`# Reward design for BipedalWalker-v3`, "", `Designer: ${designer}.`, `Protocol: ${protocolText}.`, ""];
  for (const t of tables) md.push(`## ${t.name}`, "", t.caption, "", "```", formatTable(t.rows), "```", "");
  writeFileSync(join(out, "table.md"), md.join("\n"));
  writeFileSync(join(out, "tables.json"), JSON.stringify(tables, null, 1) + "\n");
}
