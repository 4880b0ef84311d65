/**
 * The reward-design experiment: a preset (eureka or seed, see presets.ts) at a budget with a designer
 * (surrogate, Anthropic or an OpenAI-compatible server), the native-reward baseline of the same protocol
 * (PPO for eureka, SAC for seed), retraining of the finalists on the preset's final seeds (95% CI over
 * them), then tables and figures in the run folder. Used by `guided-rl reproduce reward-design` and the
 * notebook.
 */
import { ensureDir } from "../../core/fs.js";
import { writeText } from "../../core/secrets.js";
import { join } from "node:path";
import { createLlm, maxFailedCallsFromEnv, type LlmProviderName } from "../../llm/create.js";
import type { SurrogateQuality } from "../../llm/providers/surrogate.js";
import { countingLlm, Llm } from "../../llm/llm.js";
import type { LlmClient } from "../../llm/types.js";
import "../../guides/reward-design/index.js";
import { saveFigure } from "../../report/figure.js";
import type { PlotlySpec } from "../../report/plotly.js";
import { meanCi, type Interval } from "../../report/stats.js";
import { formatTable, type Row } from "../../report/table.js";
import type { Budget } from "../budget.js";
import { recordedFailedCalls, runRewardDesign, type RewardDesignEvent, type RewardDesignResult } from "./loop.js";
import { trainInPool } from "./pool.js";
import { rewardDesignPreset, type EurekaPreset, type RewardDesignPreset, type RewardDesignPresetName, type SeedPreset } from "./presets.js";
import { candidateTable, comparisonTable, designerLabel, iterationFigure, iterationTable, learningCurvesFigure } from "./report.js";
import { runSeedProtocol, type SeedEvent, type SeedRunResult } from "./seed-loop.js";
import type { TrainingJob, TrainingResult } from "./training.js";

/** The surrogate's default quality here: one first draft in four carries a planted bug (exercises the fix round and the pre-check). */
export const DEFAULT_SURROGATE_QUALITY: Partial<SurrogateQuality> = { accuracy: 0.75, noise: 0.1, seed: 0 };

export interface RewardDesignExperimentOptions {
  budget: Budget;
  /** The protocol (default "eureka"). */
  preset?: RewardDesignPresetName;
  /** Run folder (default out/reward-design-<preset>-<budget>). */
  out?: string;
  provider?: LlmProviderName;
  model?: string;
  /** Server root for anthropic (a proxy) or openai-compatible (default GUIDED_RL_OPENAI_BASE_URL, else a local server). */
  baseURL?: string;
  /** Use this client instead of creating one (tests, notebooks with their own settings). */
  llm?: LlmClient;
  /** Surrogate only. */
  quality?: Partial<SurrogateQuality>;
  /** Override the preset: iterations (both), candidates (eureka), steps per candidate (eureka) or per iteration (seed). */
  iterations?: number;
  candidates?: number;
  totalTimesteps?: number;
  /** Training seeds of the final comparison (default: the preset's). */
  finalSeeds?: number[];
  /** Check candidates on the reference trajectories before training (default true). */
  precheck?: boolean;
  /**
   * Designer calls that may fail (after the provider's retries) before the run stops; default
   * GUIDED_RL_MAX_FAILED_CALLS, else 0. For a given `llm` that is an `Llm`, its own setting applies.
   */
  maxFailedCalls?: number;
  concurrency?: number;
  /** Write PNGs of the figures (needs Chromium; default true). */
  png?: boolean;
  onEvent?: (event: RewardDesignEvent | SeedEvent) => void;
}

export interface RewardDesignTable {
  name: string;
  caption: string;
  rows: Row[];
}

/** Native return of one configuration over the final seeds. */
export interface FinalScore {
  run: string;
  returns: number[];
  ci: Interval;
}

export interface RewardDesignExperimentResult {
  preset: RewardDesignPreset;
  designer: string;
  /** The eureka loop's result (eureka preset). */
  result?: RewardDesignResult;
  /** The seed run and its native-reward SAC baseline (seed preset). */
  seed?: { run: SeedRunResult; baseline: SeedRunResult };
  /** Finalists and baselines over the final seeds. */
  final: FinalScore[];
  failedCalls: number;
  precheckRejections: number;
  tables: RewardDesignTable[];
  figures: { name: string; spec: PlotlySpec }[];
}

/** The preset with the options' overrides applied. */
export function resolvePreset(o: Pick<RewardDesignExperimentOptions, "budget" | "preset" | "iterations" | "candidates" | "totalTimesteps" | "finalSeeds">): RewardDesignPreset {
  const p = rewardDesignPreset(o.budget, o.preset ?? "eureka");
  const finalSeeds = o.finalSeeds ?? p.finalSeeds;
  if (p.name === "seed") {
    if (o.candidates !== undefined && o.candidates !== 1) throw new Error("the seed preset writes one candidate per iteration (--candidates applies to eureka only)");
    return {
      ...p,
      finalSeeds,
      protocol: { ...p.protocol, ...(o.iterations !== undefined ? { iterations: o.iterations } : {}), ...(o.totalTimesteps !== undefined ? { stepsPerIteration: o.totalTimesteps } : {}) },
    };
  }
  return {
    ...p,
    finalSeeds,
    iterations: o.iterations ?? p.iterations,
    candidates: o.candidates ?? p.candidates,
    protocol: { ...p.protocol, ...(o.totalTimesteps !== undefined ? { totalTimesteps: o.totalTimesteps } : {}) },
  };
}

/** What a preset's protocol is, in one line for captions. */
export function protocolText(preset: RewardDesignPreset): string {
  if (preset.name === "seed") {
    const p = preset.protocol;
    return `seed preset: ${p.iterations} iterations x ${p.stepsPerIteration} SAC steps (${p.nEnvs} envs) on one agent with the reward swapped each iteration, seed-curriculum course (difficulty ${p.terrainDifficulty}, ${p.maxEpisodeSteps}-step episodes), ${p.evalEpisodes} deterministic evaluation episodes on BipedalWalker-v3${p.evalMaxSteps ? ` cut at ${p.evalMaxSteps} steps` : ""}`;
  }
  const p = preset.protocol;
  return `eureka preset: ${preset.iterations} iterations x ${preset.candidates} candidates x ${p.totalTimesteps} PPO steps (${p.nEnvs} envs), ${p.evalEpisodes} deterministic evaluation episodes${p.evalMaxSteps ? ` cut at ${p.evalMaxSteps} steps` : ""}`;
}

const ci = (returns: number[]): Interval => {
  const finite = returns.filter(Number.isFinite);
  return finite.length ? meanCi(finite) : { estimate: NaN, low: NaN, high: NaN, n: 0 };
};

/** The run folder: --out, else out/reward-design-<preset>-<budget>. */
export function experimentDir(options: Pick<RewardDesignExperimentOptions, "out" | "budget">, preset: RewardDesignPreset): string {
  return options.out ?? join("out", `reward-design-${preset.name}-${options.budget}`);
}

/**
 * The designer of the options, counting its failed calls (cached and recorded in the run folder `out`);
 * `maxFailedCalls` (default: the options') is what this client tolerates.
 */
export function experimentLlm(options: RewardDesignExperimentOptions, out: string, earlierFailedCalls = 0): Llm {
  // An `Llm` passed in keeps its own count (countingLlm checks it agrees with --max-failed-calls).
  if (options.llm instanceof Llm) return countingLlm(options.llm, options.maxFailedCalls);
  // --max-failed-calls counts over the run: a resumed run, or the next propose phase, may fail what the earlier processes left.
  const maxFailedCalls = Math.max(0, (options.maxFailedCalls ?? maxFailedCallsFromEnv() ?? 0) - earlierFailedCalls);
  if (options.llm) return countingLlm(options.llm, maxFailedCalls);
  const provider = options.provider ?? "surrogate";
  return createLlm({
    provider,
    model: options.model,
    ...(options.baseURL ? { baseURL: options.baseURL } : {}),
    runDir: out,
    cache: "read-write",
    maxFailedCalls,
    ...(provider === "surrogate" ? { quality: options.quality ?? DEFAULT_SURROGATE_QUALITY, surrogateName: "reward-terms" } : {}),
  });
}

/** Runs (or resumes) the experiment and writes tables and figures into the run folder. */
export async function runRewardDesignExperiment(options: RewardDesignExperimentOptions): Promise<RewardDesignExperimentResult> {
  const preset = resolvePreset(options);
  const out = experimentDir(options, preset);
  // One counting client for the whole experiment: its failedCalls feed every table's "failed calls". Not yet
  // for the seed preset: its tolerated failures sit in the iteration records of several runs (the main one and
  // each final seed's), so a resumed seed run still starts with the whole allowance.
  const llm = experimentLlm(options, out, preset.name === "eureka" ? recordedFailedCalls(out, preset.iterations) : 0);
  const designer = designerLabel(llm.provider, llm.model);
  const experiment = preset.name === "seed" ? await runSeed(options, preset, out, llm, designer) : await runEureka(options, preset, out, llm, designer);
  if (options.llm === undefined) llm.writeSummary();
  await writeExperiment(out, experiment, options.png);
  return experiment;
}

/** The experiment's tables (table.md, tables.json) and figures (JSON, HTML and, unless png is false, PNG) in `out`. */
export async function writeExperiment(out: string, experiment: RewardDesignExperimentResult, png?: boolean): Promise<void> {
  writeReport(out, experiment.tables, experiment.designer, protocolText(experiment.preset), experiment.preset);
  ensureDir(join(out, "figures"));
  for (const f of experiment.figures) {
    await saveFigure(f.spec, join(out, "figures", `${f.name}.json`));
    await saveFigure(f.spec, join(out, "figures", `${f.name}.html`));
    if (png !== false) await saveFigure(f.spec, join(out, "figures", `${f.name}.png`));
  }
}

async function runEureka(o: RewardDesignExperimentOptions, preset: EurekaPreset, out: string, llm: Llm, designer: string): Promise<RewardDesignExperimentResult> {
  const result = await runRewardDesign({
    runDir: out,
    llm,
    iterations: preset.iterations,
    candidates: preset.candidates,
    protocol: preset.protocol,
    concurrency: o.concurrency,
    precheck: o.precheck,
    onEvent: o.onEvent,
  });
  const jobs = eurekaFinalJobs(preset, out, result);
  const finals = await trainInPool(jobs, { concurrency: o.concurrency, onResult: (r, job, resumed) => o.onEvent?.({ type: "trained", id: job.id, result: r, resumed }) });
  return eurekaExperiment(preset, designer, result, jobs, finals);
}

/** The finalists' runs on the preset's other final seeds (seed `protocol.seed` is the loop's own run): the best designed reward and PPO on the native reward. */
export function eurekaFinalJobs(preset: EurekaPreset, out: string, result: Pick<RewardDesignResult, "best">): TrainingJob[] {
  const jobs: TrainingJob[] = [];
  for (const s of preset.finalSeeds.filter((s) => s !== preset.protocol.seed)) {
    if (result.best?.code) jobs.push({ id: `final/best-seed-${s}`, dir: join(out, "final", `best-seed-${s}`), source: result.best.code, protocol: { ...preset.protocol, seed: s } });
    jobs.push({ id: `final/native-seed-${s}`, dir: join(out, "final", `native-seed-${s}`), source: null, protocol: { ...preset.protocol, seed: s } });
  }
  return jobs;
}

/** The eureka experiment's final scores, tables and figures from the loop's result and the finalists' runs (`finals[i]` of `jobs[i]`). */
export function eurekaExperiment(preset: EurekaPreset, designer: string, result: RewardDesignResult, jobs: readonly TrainingJob[], finals: readonly TrainingResult[]): RewardDesignExperimentResult {
  const of = (prefix: string) => finals.filter((_, i) => jobs[i]!.id.startsWith(prefix)).map((r) => (r.ok ? r.nativeReturn : NaN));
  const final: FinalScore[] = [];
  if (result.best?.result) {
    const returns = [result.best.result.nativeReturn, ...of("final/best-")];
    final.push({ run: `eureka: best designed reward (${result.best.id}), PPO`, returns, ci: ci(returns) });
  }
  if (result.nativeBaseline) {
    const returns = [result.nativeBaseline.nativeReturn, ...of("final/native-")];
    final.push({ run: "eureka: PPO, native reward", returns, ci: ci(returns) });
  }
  const caption = `${protocolText(preset)}; rewards designed by ${designer}; ${result.failedCalls} failed designer calls`;
  const tables: RewardDesignTable[] = [
    { name: "final", caption: `Native BipedalWalker-v3 return over ${preset.finalSeeds.length} training seed(s), mean with 95% bootstrap CI (${caption})`, rows: finalRows(final) },
    { name: "comparison", caption: `Designed reward vs PPO on the native reward, same protocol (${caption})`, rows: comparisonTable(result) },
    { name: "iterations", caption: `Native return per iteration (designer: ${designer})`, rows: iterationTable(result) },
    { name: "candidates", caption: `Every candidate (designer: ${designer})`, rows: candidateTable(result) },
  ];
  const figures = [
    { name: "learning-curves", spec: learningCurvesFigure(result) },
    { name: "iterations", spec: iterationFigure(result) },
  ];
  return { preset, designer, result, final, failedCalls: result.failedCalls, precheckRejections: result.precheckRejections, tables, figures };
}

async function runSeed(o: RewardDesignExperimentOptions, preset: SeedPreset, out: string, llm: Llm, designer: string): Promise<RewardDesignExperimentResult> {
  const common = { protocol: preset.protocol, precheck: o.precheck, onEvent: o.onEvent };
  const run = await runSeedProtocol({ runDir: out, llm, ...common });
  const baseline = await runSeedProtocol({ runDir: join(out, "baseline-sac-native"), llm: null, ...common });
  const extra = preset.finalSeeds.filter((s) => s !== preset.protocol.seed);
  const runs = [run];
  const baselines = [baseline];
  for (const s of extra) {
    const protocol = { ...preset.protocol, seed: s };
    runs.push(await runSeedProtocol({ runDir: join(out, "final", `seed-${s}`), llm, ...common, protocol }));
    baselines.push(await runSeedProtocol({ runDir: join(out, "final", `sac-native-seed-${s}`), llm: null, ...common, protocol }));
  }
  const lastReturn = (r: SeedRunResult) => r.iterations.at(-1)?.nativeReturn ?? NaN;
  const final: FinalScore[] = [
    { run: "seed: the agent after the last iteration (SAC, rewards swapped)", returns: runs.map(lastReturn), ci: ci(runs.map(lastReturn)) },
    { run: "seed: best iteration (SAC, rewards swapped)", returns: runs.map((r) => r.best?.nativeReturn ?? NaN), ci: ci(runs.map((r) => r.best?.nativeReturn ?? NaN)) },
    { run: "seed: SAC, native reward", returns: baselines.map(lastReturn), ci: ci(baselines.map(lastReturn)) },
  ];
  const failedCalls = runs.reduce((s, r) => s + r.failedCalls, 0);
  const precheckRejections = runs.reduce((s, r) => s + r.precheckRejections, 0);
  const caption = `${protocolText(preset)}; rewards designed by ${designer}; ${failedCalls} failed designer calls`;
  const tables: RewardDesignTable[] = [
    { name: "final", caption: `Native BipedalWalker-v3 return over ${preset.finalSeeds.length} training seed(s), mean with 95% bootstrap CI (${caption})`, rows: finalRows(final) },
    { name: "iterations", caption: `Every iteration of the seed protocol, one agent throughout (designer: ${designer})`, rows: seedIterationRows(run) },
  ];
  const figures = [{ name: "iterations", spec: seedIterationFigure(run, baseline) }];
  return { preset, designer, seed: { run, baseline }, final, failedCalls, precheckRejections, tables, figures };
}

/** The final scores as table rows. */
export function finalRows(final: readonly FinalScore[]): Row[] {
  return final.map((f) => ({
    run: f.run,
    seeds: f.ci.n,
    "native return (mean)": f.ci.estimate,
    "95% CI low": f.ci.low,
    "95% CI high": f.ci.high,
    "per seed": f.returns.map((r) => (Number.isFinite(r) ? r.toFixed(1) : "failed")).join(", "),
  }));
}

/** One row per seed-protocol iteration: what it trained on, how the agent did, alerts. */
export function seedIterationRows(run: SeedRunResult): Row[] {
  return run.iterations.map((r) => ({
    iteration: r.iteration,
    reward: r.status === "native" ? "native reward" : r.status === "valid" ? (r.fixed ? "new, after one fix" : "new") : r.status === "kept previous" ? "previous kept (rejected)" : "previous kept (no answer)",
    "pre-check rejections": r.precheckRejections,
    "env steps": r.numTimesteps,
    "replay buffer": r.bufferSize,
    "native return": r.nativeReturn,
    "distance (m)": r.distance,
    "fall rate": r.metrics.fall_rate ?? NaN,
    "reward hacking": r.alerts.length ? r.alerts.join("; ") : "none",
  }));
}

function seedIterationFigure(run: SeedRunResult, baseline: SeedRunResult): PlotlySpec {
  const trace = (r: SeedRunResult, name: string, dash?: string) => ({
    type: "scatter" as const,
    mode: "lines+markers" as const,
    name,
    x: r.iterations.map((i) => i.numTimesteps),
    y: r.iterations.map((i) => i.nativeReturn),
    ...(dash ? { line: { dash, color: "black" } } : {}),
  });
  return {
    data: [trace(run, "SAC, reward swapped each iteration"), trace(baseline, "SAC, native reward", "dash")],
    layout: { title: { text: "Seed protocol: native return after each iteration" }, xaxis: { title: { text: "SAC environment steps" } }, yaxis: { title: { text: "native return (deterministic evaluation)" } }, width: 760, height: 420 },
  };
}

/** The presets side by side: one row per finalist and baseline of each experiment given. */
export function presetComparisonTable(experiments: readonly RewardDesignExperimentResult[]): Row[] {
  return experiments.flatMap((e) =>
    e.final.map((f) => ({
      preset: e.preset.name,
      run: f.run,
      seeds: f.ci.n,
      "native return (mean)": f.ci.estimate,
      "95% CI": Number.isFinite(f.ci.low) ? `[${f.ci.low.toFixed(1)}, ${f.ci.high.toFixed(1)}]` : "-",
      designer: e.designer,
      "failed calls": e.failedCalls,
      "pre-check rejections": e.precheckRejections,
    })),
  );
}

function writeReport(out: string, tables: readonly RewardDesignTable[], designer: string, protocol: string, preset: RewardDesignPreset): void {
  const md = [
    `# Reward design for BipedalWalker-v3 (${preset.name} preset)`,
    "",
    `Designer: ${designer}.`,
    `Protocol: ${protocol}.`,
    `Mirrors: ${preset.mirrors}.`,
    "Deviations:",
    ...preset.deviations.map((d) => `- ${d}`),
    "",
  ];
  for (const t of tables) md.push(`## ${t.name}`, "", t.caption, "", "```", formatTable(t.rows), "```", "");
  writeText(join(out, "table.md"), md.join("\n"));
  writeText(join(out, "tables.json"), JSON.stringify(tables, null, 1) + "\n");
}
