/**
 * Reward design across machines: the eureka experiment as one command per phase over ONE run folder that
 * every machine sees (a shared filesystem, as Slurm clusters have), so a workflow runs
 *
 *   for each iteration:  propose (one process: the designer's K candidates and their prompts)
 *                        train --shard i/n (a job array: the candidates of shard i, each writing its result.json)
 *                        reflect (one process: all results there? the best so far, the reflection; next iteration)
 *   then the final stage: train --shard i/n (the finalists on the other final seeds), reflect (tables, figures)
 *
 * Which iteration and phase is current is read from the folder (loop.ts: proposal.json, result.json,
 * summary.json), so every step of a workflow runs the same command line. Each phase is idempotent; a phase
 * called out of turn says what is current and does nothing (propose) or refuses (train before propose,
 * reflect with results missing: MissingResultsError names them). The runs and their seeds are those of the
 * one-process run (runRewardDesignExperiment): same folder contents, same numbers.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { writeText } from "../../core/secrets.js";
import { join } from "node:path";
import { USAGE_FILE } from "../../llm/create.js";
import type { UsageSummary } from "../../llm/ledger.js";
import { sumUsage } from "../merge.js";
import { runsOfShard, type PlannedRun, type ShardSpec } from "../shards.js";
import {
  checkConfig,
  collectRewardDesign,
  CONFIG_FILE,
  isReflected,
  iterationDir,
  iterationJobs,
  MissingResultsError,
  missingJobs,
  openDesigner,
  proposeIteration,
  readIteration,
  readIterations,
  recordedFailedCalls,
  reflectIteration,
  savedDesigner,
  type CandidateRecord,
  type LoopSettings,
} from "./loop.js";
import { trainInPool } from "./pool.js";
import type { EurekaPreset } from "./presets.js";
import {
  eurekaExperiment,
  eurekaFinalJobs,
  experimentDir,
  experimentLlm,
  resolvePreset,
  writeExperiment,
  type RewardDesignExperimentOptions,
  type RewardDesignExperimentResult,
} from "./protocol.js";
import { designerLabel } from "./report.js";
import { readResult, type TrainingJob } from "./training.js";

export const REWARD_DESIGN_PHASES = ["propose", "train", "reflect"] as const;
export type RewardDesignPhase = (typeof REWARD_DESIGN_PHASES)[number];

/** Where the run stands: the phase that is due, and the runs of the current train stage. */
export type RewardDesignStage =
  | { kind: "iteration"; iteration: number; iterations: number; phase: "propose" }
  | { kind: "iteration"; iteration: number; iterations: number; phase: "train" | "reflect"; jobs: TrainingJob[]; missing: TrainingJob[] }
  | { kind: "final"; phase: "train" | "reflect"; jobs: TrainingJob[]; missing: TrainingJob[]; reported: boolean };

export interface RewardDesignPhaseOptions extends RewardDesignExperimentOptions {
  phase: RewardDesignPhase;
  /** train: only the runs of this shard (the assignment is a function of the stage's run list). */
  shard?: ShardSpec;
  /** reflect: wait up to this many seconds for missing results before giving up (default 0). */
  waitSeconds?: number;
}

export interface RewardDesignPhaseOutcome {
  /** The stage the phase found. */
  stage: RewardDesignStage;
  /** What the phase did, in one line. */
  did: string;
  /** The stage after it. */
  next: RewardDesignStage;
  /** The final reflect's experiment (tables and figures written). */
  experiment?: RewardDesignExperimentResult;
}

/** The eureka preset of the options (the phases apply to eureka only: the seed preset trains one agent in sequence). */
export function phasedPreset(options: RewardDesignExperimentOptions): EurekaPreset {
  const preset = resolvePreset(options);
  if (preset.name !== "eureka") throw new Error(`the phases (--phase, --list) apply to the eureka preset; the ${preset.name} preset trains one agent in sequence: run it without --phase`);
  return preset;
}

function loopSettings(preset: EurekaPreset, out: string): LoopSettings {
  return { runDir: out, iterations: preset.iterations, candidates: preset.candidates, protocol: preset.protocol, nativeBaseline: true };
}

/** The stage of the run in `out`, read from the folder. */
export function rewardDesignStage(preset: EurekaPreset, out: string): RewardDesignStage {
  const loop = loopSettings(preset, out);
  const iterations = preset.iterations;
  for (let iteration = 1; iteration <= iterations; iteration++) {
    const records = readIteration(out, iteration);
    if (!records) return { kind: "iteration", iteration, iterations, phase: "propose" };
    if (isReflected(out, iteration)) continue;
    const jobs = iterationJobs(loop, records);
    const missing = missingJobs(jobs);
    return { kind: "iteration", iteration, iterations, phase: missing.length ? "train" : "reflect", jobs, missing };
  }
  const jobs = eurekaFinalJobs(preset, out, readIterations(loop, iterations));
  const missing = missingJobs(jobs);
  return { kind: "final", phase: missing.length ? "train" : "reflect", jobs, missing, reported: reported(out, iterations) };
}

/** The stage in one line: which phase is due and how many of its runs are done. */
export function stageText(stage: RewardDesignStage): string {
  const where = stage.kind === "iteration" ? `iteration ${stage.iteration} of ${stage.iterations}` : "final stage (the finalists on the other final seeds)";
  if (stage.phase === "propose") return `${where}: propose is due (the designer's candidates)`;
  const done = stage.jobs.length - stage.missing.length;
  const runs = `${done} of ${stage.jobs.length} run(s) have results`;
  if (stage.phase === "train") return `${where}: train is due (${runs}; missing: ${stage.missing.map((j) => j.id).join(", ")})`;
  if (stage.kind === "final" && stage.reported) return `done: all ${stage.jobs.length} final run(s) have results and the tables and figures are written (reflect writes them again)`;
  return stage.kind === "final" ? `${where}: reflect is due (${runs}): writes the tables and figures` : `${where}: reflect is due (${runs})`;
}

/** The runs of a train stage as a shardable run list (none while propose is due). */
export function stageRuns(stage: RewardDesignStage): PlannedRun[] {
  return stage.phase === "propose" ? [] : plannedRuns(stage.jobs);
}

/** Training jobs as a run list: id = the job's folder under the run folder, cost = its env steps. */
export function plannedRuns(jobs: readonly TrainingJob[]): PlannedRun[] {
  return jobs.map((j) => ({
    id: j.id,
    label: `${j.source === null ? "PPO on the native reward" : `PPO on reward ${createHash("sha256").update(j.source).digest("hex").slice(0, 8)}`}, seed ${j.protocol.seed}, ${j.protocol.totalTimesteps} steps`,
    cost: j.protocol.totalTimesteps,
  }));
}

/** The report of all `iterations` is written (tables.json, and results.json over that many iterations). */
function reported(out: string, iterations: number): boolean {
  const results = join(out, "results.json");
  if (!existsSync(join(out, "tables.json")) || !existsSync(results)) return false;
  return (JSON.parse(readFileSync(results, "utf8")) as { iterations?: unknown[] }).iterations?.length === iterations;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs the phase `options.phase` on the run folder and says what it did and what is due next. */
export async function runRewardDesignPhase(options: RewardDesignPhaseOptions): Promise<RewardDesignPhaseOutcome> {
  const o = options;
  const preset = phasedPreset(o);
  const out = experimentDir(o, preset);
  const loop = loopSettings(preset, out);
  if (o.shard && o.phase !== "train") throw new Error(`--shard applies to --phase train (the other phases run once per stage), got --phase ${o.phase}`);
  // The settings must be the folder's (a run is started by the first propose, which writes them).
  if (o.phase !== "propose" || existsSync(join(out, CONFIG_FILE))) checkConfig(loop);
  let stage = rewardDesignStage(preset, out);
  if (o.phase === "propose") {
    if (stage.phase !== "propose") return { stage, did: `nothing to propose: ${stageText(stage)}`, next: stage };
    const llm = experimentLlm(o, out, recordedFailedCalls(out, stage.iteration - 1));
    const designerOptions = { ...loop, llm, precheck: o.precheck, onEvent: o.onEvent };
    checkConfig(designerOptions);
    const designer = await openDesigner(designerOptions);
    const usageFile = join(iterationDir(out, stage.iteration), USAGE_FILE);
    // An earlier propose of this iteration (stopped, then run again) spent calls too: they are kept, not replaced.
    const earlierUsage = existsSync(usageFile) ? (JSON.parse(readFileSync(usageFile, "utf8")) as UsageSummary) : undefined;
    let records: CandidateRecord[];
    try {
      records = await proposeIteration(designerOptions, designer, stage.iteration);
    } finally {
      await designer.close();
      // The designer calls of this iteration, kept per iteration: the final reflect sums them into llm-usage.json.
      if (o.llm === undefined) llm.writeSummary(usageFile, earlierUsage);
    }
    const count = (s: string) => records.filter((r) => r.status === s).length;
    const did = `proposed iteration ${stage.iteration}: ${count("valid")} valid, ${count("rejected")} rejected, ${count("no-answer")} without an answer`;
    return { stage, did, next: rewardDesignStage(preset, out) };
  }
  if (stage.phase === "propose") {
    throw new Error(`${stageText(stage)}: nothing to ${o.phase} before it; run --phase propose first`);
  }
  if (o.phase === "train") {
    const assigned = runsOfShard(stageRuns(stage), o.shard);
    const jobs = stage.jobs.filter((j) => assigned.has(j.id));
    await trainInPool(jobs, { concurrency: o.concurrency, onResult: (result, job, resumed) => o.onEvent?.({ type: "trained", id: job.id, result, resumed }) });
    const share = o.shard ? `shard ${o.shard.index}/${o.shard.count}: ` : "";
    const did = `${share}trained ${jobs.length} of the stage's ${stage.jobs.length} run(s)${jobs.length ? ` (${jobs.map((j) => j.id).join(", ")})` : ""}`;
    return { stage, did, next: rewardDesignStage(preset, out) };
  }
  // reflect
  const deadline = performance.now() + (o.waitSeconds ?? 0) * 1000;
  while (stage.phase === "train" && performance.now() < deadline) {
    await sleep(Math.min(2000, Math.max(0, deadline - performance.now())));
    stage = rewardDesignStage(preset, out);
  }
  if (stage.phase === "propose") throw new Error(`${stageText(stage)}: run --phase propose`);
  if (stage.missing.length) {
    throw new MissingResultsError(stage.missing, stage.kind === "iteration" ? `iteration ${stage.iteration}` : "the final stage");
  }
  if (stage.kind === "iteration") {
    const summary = reflectIteration({ ...loop, onEvent: o.onEvent }, stage.iteration);
    const did = `reflected on iteration ${stage.iteration}: best so far ${summary.bestSoFarId ?? "none"}${Number.isFinite(summary.bestSoFarReturn) ? ` (native return ${summary.bestSoFarReturn.toFixed(1)})` : ""}`;
    return { stage, did, next: rewardDesignStage(preset, out) };
  }
  const result = collectRewardDesign(loop);
  const finals = stage.jobs.map((j) => readResult(j.dir)!);
  const saved = savedDesigner(out);
  const experiment = eurekaExperiment(preset, designerLabel(saved?.provider ?? "unknown", saved?.model ?? "unknown"), result, stage.jobs, finals);
  sumIterationUsage(out, preset.iterations, saved);
  await writeExperiment(out, experiment, o.png);
  return { stage, did: `wrote the tables and figures (table.md, tables.json, figures/) in ${out}`, next: rewardDesignStage(preset, out), experiment };
}

/** llm-usage.json of the run: the sum of the propose phases' iter-NN/llm-usage.json (none when no phase wrote one). */
function sumIterationUsage(out: string, iterations: number, designer: { provider: string; model: string } | undefined): UsageSummary | undefined {
  const files = Array.from({ length: iterations }, (_, i) => join(iterationDir(out, i + 1), USAGE_FILE)).filter((f) => existsSync(f));
  if (files.length === 0) return undefined;
  const usage = sumUsage(files.map((f) => JSON.parse(readFileSync(f, "utf8")) as UsageSummary));
  writeText(join(out, USAGE_FILE), `${JSON.stringify({ ...designer, summedFrom: files.length, ...usage }, null, 2)}\n`);
  return usage;
}
