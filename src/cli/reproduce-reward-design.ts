/**
 * `guided-rl reproduce reward-design [--preset eureka|seed|both] [--llm surrogate|anthropic|openai] [--budget smoke|full]
 *                                    [--out DIR] [--model ID] [--iterations N] [--candidates K] [--steps N]
 *                                    [--max-failed-calls N] [--no-precheck] [--concurrency N] [--final-seeds N] [--no-png]
 *                                    [--phase propose|train|reflect [--shard i/n] [--wait S]] [--list]`
 *
 * Runs guide 1 (LLM reward design for BipedalWalker-v3) in one of two protocols (presets.ts) with the
 * native-reward baseline of the same protocol, prints the tables and writes the run folder (prompts,
 * answers, code, validations, curves, metrics, tables, figures) to --out (default
 * out/reward-design-<preset>-<budget>). Re-running with the same --out resumes. With --phase, one phase of
 * the eureka loop runs over --out (see src/experiments/reward-design/phases.ts): a workflow on a cluster.
 */
import { existsSync } from "node:fs";
import { writeText } from "../core/secrets.js";
import { join } from "node:path";
import { budget as budgetFromEnv, type Budget } from "../experiments/budget.js";
import { MissingResultsError, type RewardDesignEvent } from "../experiments/reward-design/loop.js";
import { REWARD_DESIGN_PRESETS, type RewardDesignPreset, type RewardDesignPresetName } from "../experiments/reward-design/presets.js";
import { presetComparisonTable, protocolText, resolvePreset, runRewardDesignExperiment, type RewardDesignExperimentOptions, type RewardDesignExperimentResult } from "../experiments/reward-design/protocol.js";
import type { SeedEvent } from "../experiments/reward-design/seed-loop.js";
import type { LlmProviderName } from "../llm/create.js";
import { closeRenderer } from "../report/render.js";
import { formatTable } from "../report/table.js";
import { ensureDir } from "../core/fs.js";
import {
  phasedPreset,
  plannedRuns,
  REWARD_DESIGN_PHASES,
  rewardDesignStage,
  runRewardDesignPhase,
  stageRuns,
  stageText,
  type RewardDesignPhase,
} from "../experiments/reward-design/phases.js";
import { formatRunList, missingRunsMessage } from "../experiments/shards.js";
import { parseOrReport, prepareLlm, readCommonOption, readOptions, readWholeNumber, runWhenMain, usageFailure, writeRunStatus } from "./options.js";
import { defaultScaleOutArgs, readScaleOutOption, settingsArgv, type ScaleOutArgs } from "./scale-out.js";

export const REPRODUCE_REWARD_DESIGN_USAGE = `usage: guided-rl reproduce reward-design [--preset eureka|seed|both] [--llm surrogate|anthropic|openai] [--budget smoke|full]
                                      [--out DIR] [--model ID] [--base-url URL] [--iterations N] [--candidates K] [--steps N]
                                      [--max-failed-calls N] [--no-precheck] [--concurrency N] [--final-seeds N] [--no-png]
                                      [--phase propose|train|reflect [--shard i/n] [--wait S]] [--list]

  --preset eureka (default): Eureka's loop, K candidates per iteration, each trained from scratch with PPO
    full:  5 iterations x 4 candidates x 1M PPO steps (rl-zoo BipedalWalker settings, 32 envs), 5 eval episodes, 3 final seeds (hours on 2 cores)
    smoke: 2 iterations x 2 candidates x 4096 steps (4 envs), 2 eval episodes cut at 400 steps (about a minute)
  --preset seed: the seed repository's loop, one SAC agent, one reward per iteration swapped in while it trains on the seed-curriculum course
    full:  22 iterations x 500k SAC steps (4 envs), 15 eval episodes, 3 final seeds (days on 2 cores)
    smoke: 3 iterations x 1000 steps (2 envs, small networks), 2 eval episodes cut at 300 steps
  --budget showcase: eureka 2 x 2 x 50k PPO steps, seed 3 x 10k SAC steps (minutes; still far from walking)
  --preset both: each in its own subfolder of --out, then one table of both presets and both baselines.
  Fitness is the native BipedalWalker-v3 return in both. --steps sets steps per candidate (eureka) or per iteration (seed).
  --max-failed-calls N: designer calls that may fail (after the provider's retries) before the run stops
  (default 0, or GUIDED_RL_MAX_FAILED_CALLS); a stopped run (or a spent budget) exits non-zero, keeps its
  finished candidates for a resume and says partial in <out>/status.json. --no-precheck skips the
  reference-ranking check before training. Default budget: GUIDED_RL_BUDGET, else full. Default designer: the
  offline surrogate (not an LLM).
  --llm anthropic needs ANTHROPIC_API_KEY (checked before any training); --llm openai talks to an OpenAI-compatible server (--base-url or
  GUIDED_RL_OPENAI_BASE_URL, key in GUIDED_RL_OPENAI_API_KEY). Re-running with the same --out resumes.
  --final-seeds N: train the finalists on seeds 0..N-1 (default: the preset's, 3 at full, 1 at smoke/showcase).

Across machines (eureka; every machine sees --out, e.g. a cluster's shared filesystem; pass the same
settings to every phase): the folder says which iteration and phase are due.
  --phase propose       the designer's K candidates of the current iteration (one process; idempotent)
  --phase train         train the current stage's runs (an iteration's valid candidates, the native baseline in
                        iteration 1, or the finalists on the other final seeds); --shard i/n: only shard i's
  --phase reflect       every run has its result? then the best so far and the reflection (next iteration), or,
                        after the last iteration's final stage, the tables and figures; else it names the
                        missing runs, the command that runs them, and exits 1. --wait S: wait up to S seconds
  --list                the current stage and its runs (ids, shard of each with --shard i/n)
  Per iteration: propose, train (a job array), reflect; then train, reflect once more for the final stage.`;

export interface ReproduceRewardDesignArgs {
  preset: RewardDesignPresetName | "both";
  maxFailedCalls?: number;
  precheck: boolean;
  provider: LlmProviderName;
  model?: string;
  baseURL?: string;
  budget: Budget;
  out?: string;
  iterations?: number;
  candidates?: number;
  steps?: number;
  concurrency?: number;
  finalSeeds?: number[];
  png: boolean;
  phase?: RewardDesignPhase;
  waitSeconds?: number;
  scale: ScaleOutArgs;
}

/** Parses the arguments after `reproduce reward-design`; throws with the usage on bad input. */
export function parseReproduceRewardDesignArgs(argv: readonly string[]): ReproduceRewardDesignArgs {
  const args: ReproduceRewardDesignArgs = { preset: "eureka", precheck: true, provider: "surrogate", budget: budgetFromEnv(), png: true, scale: defaultScaleOutArgs() };
  const fail = usageFailure(REPRODUCE_REWARD_DESIGN_USAGE);
  readOptions(argv, fail, (option) => {
    const name = option.name;
    switch (name) {
      case "--base-url":
        args.baseURL = option.value();
        return true;
      case "--preset": {
        const v = option.value();
        if (v !== "both" && !REWARD_DESIGN_PRESETS.includes(v as RewardDesignPresetName)) fail(`--preset must be one of ${REWARD_DESIGN_PRESETS.join(", ")} or both, got "${v}"`);
        args.preset = v as RewardDesignPresetName | "both";
        return true;
      }
      case "--no-precheck":
        args.precheck = false;
        return true;
      case "--iterations":
        args.iterations = readWholeNumber(option, fail, 1);
        return true;
      case "--candidates":
        args.candidates = readWholeNumber(option, fail, 1);
        return true;
      case "--steps":
        args.steps = readWholeNumber(option, fail, 1);
        return true;
      case "--concurrency":
        args.concurrency = readWholeNumber(option, fail, 0);
        return true;
      case "--final-seeds":
        args.finalSeeds = Array.from({ length: readWholeNumber(option, fail, 1) }, (_, i) => i);
        return true;
      case "--phase": {
        const v = option.value();
        if (!REWARD_DESIGN_PHASES.includes(v as RewardDesignPhase)) fail(`--phase must be one of ${REWARD_DESIGN_PHASES.join(", ")}, got "${v}"`);
        args.phase = v as RewardDesignPhase;
        return true;
      }
      case "--wait":
        args.waitSeconds = readWholeNumber(option, fail, 0);
        return true;
      case "--only-missing":
      case "--cassette":
      case "--cassette-mode":
        return fail(`${name} is not for reward design: its phases share one run folder (--out), its cassette included; see --phase`);
      default:
        return readScaleOutOption(args.scale, option, fail) || readCommonOption(args, option, fail);
    }
  });
  if (args.scale.shard && args.phase !== "train" && !args.scale.list) fail("--shard i/n applies to --phase train and --list (reward design shards one stage's runs over a shared run folder)");
  if (args.waitSeconds !== undefined && args.phase !== "reflect") fail("--wait applies to --phase reflect");
  if ((args.phase || args.scale.list) && args.preset !== "eureka") fail("--phase and --list apply to the eureka preset (the seed preset trains one agent in sequence)");
  return args;
}

function eventLine(e: RewardDesignEvent | SeedEvent): string {
  switch (e.type) {
    case "reward":
      return `iteration ${e.iteration}: ${e.status === "native" ? "trains on the native reward" : e.status === "valid" ? `new reward${e.fixed ? " after one fix" : ""}` : `keeps the previous reward (${e.status}${e.error ? `: ${e.error.slice(0, 160)}` : ""})`}`;
    case "iteration": {
      if ("record" in e) {
        const r = e.record;
        return `iteration ${r.iteration} done: ${r.numTimesteps} SAC steps, buffer ${r.bufferSize}, native return ${r.nativeReturn.toFixed(1)}, distance ${r.distance.toFixed(1)} m${r.alerts.length ? `; REWARD HACKING: ${r.alerts[0]}` : ""}${e.resumed ? " [from the run folder]" : ""}`;
      }
      return `iteration ${e.iteration} done; best so far: ${e.best ? `${e.best.id}, native return ${e.best.result!.nativeReturn.toFixed(1)}` : "none"}`;
    }
    case "candidate":
      return `iteration ${e.iteration} candidate ${e.candidate}: ${e.status}${e.fixed ? " after one fix" : ""}${e.error ? ` (${e.error.slice(0, 160)})` : ""}${e.resumed ? " [from the run folder]" : ""}`;
    case "trained": {
      const r = e.result;
      const from = e.resumed ? " [from the run folder]" : "";
      return r.ok
        ? `trained ${e.id}: native return ${r.nativeReturn.toFixed(1)}, distance ${r.distance.toFixed(1)} m (${r.numTimesteps} steps, ${r.wallSeconds.toFixed(0)} s)${from}`
        : `trained ${e.id}: FAILED (${r.failure?.kind}: ${r.failure?.message.split("\n")[0]})${from}`;
    }
  }
}

/** The experiment's options from the command line, for one preset and run folder: what every path here runs with. */
function experimentOptions(args: ReproduceRewardDesignArgs, preset: RewardDesignPresetName, out: string): RewardDesignExperimentOptions {
  return {
    budget: args.budget, preset, out,
    iterations: args.iterations, candidates: args.candidates, totalTimesteps: args.steps, finalSeeds: args.finalSeeds,
    precheck: args.precheck, maxFailedCalls: args.maxFailedCalls,
    provider: args.provider, model: args.model, baseURL: args.baseURL,
    concurrency: args.concurrency, png: args.png,
    onEvent: (e) => console.error(eventLine(e)),
  };
}

function printTables(experiment: RewardDesignExperimentResult): void {
  for (const t of experiment.tables) console.log(`\n${t.caption}\n${formatTable(t.rows)}`);
}

/** Runs `reproduce reward-design`; resolves to the exit code. */
export async function reproduceRewardDesign(argv: readonly string[]): Promise<number> {
  const args = parseOrReport(argv, parseReproduceRewardDesignArgs);
  if (!args) return 2;
  const out = args.out ?? join("out", `reward-design-${args.preset}-${args.budget}`);
  if (args.phase || args.scale.list) return reproducePhase(args, argv, out);
  // --preset both: each preset in its own subfolder, then one table of both.
  const names: RewardDesignPresetName[] = args.preset === "both" ? [...REWARD_DESIGN_PRESETS] : [args.preset];
  const runs: { preset: RewardDesignPreset; options: RewardDesignExperimentOptions }[] = [];
  try {
    for (const name of names) {
      const options = experimentOptions(args, name, args.preset === "both" ? join(out, name) : out);
      runs.push({ preset: resolvePreset(options), options });
    }
  } catch (err) {
    console.error(`guided-rl reproduce reward-design: ${(err as Error).message}`);
    return 2;
  }
  const started = performance.now();
  const designer = args.provider === "surrogate" ? "the offline surrogate (hand-written reward terms, not an LLM)" : `${args.provider}${args.model ? ` ${args.model}` : ""}`;
  const experiments: RewardDesignExperimentResult[] = [];
  // A key that is missing or refused, a server that is not there: said before any training.
  await prepareLlm(args);
  ensureDir(out);
  writeRunStatus(out, { complete: false, reason: "running" });
  try {
    for (const { preset, options } of runs) {
      console.error(`Reward design (BipedalWalker-v3), budget ${args.budget}: ${protocolText(preset)}; designer: ${designer}; run folder ${options.out}`);
      const experiment = await runRewardDesignExperiment(options);
      printTables(experiment);
      experiments.push(experiment);
    }
    if (experiments.length > 1) {
      const caption = `Both presets and their native-reward baselines (PPO for eureka, SAC for seed): native BipedalWalker-v3 return, mean with 95% bootstrap CI over the final seeds; designer: ${experiments[0]!.designer}`;
      const text = formatTable(presetComparisonTable(experiments));
      console.log(`\n${caption}\n${text}`);
      writeText(join(out, "table.md"), `# Reward design for BipedalWalker-v3: both presets\n\n${caption}\n\n\`\`\`\n${text}\n\`\`\`\n\nEach preset's own tables: ${runs.map((r) => `${r.preset.name}/table.md`).join(", ")}.\n`);
    }
  } catch (err) {
    // Stopped (designer calls failed past --max-failed-calls, a spent budget, ...): no table is written from a partial run.
    const reason = (err as Error).message;
    writeRunStatus(out, { complete: false, partial: true, reason, finishedPresets: experiments.map((e) => e.preset.name) });
    throw new Error(`${reason}\nThe run stopped; its finished candidates are kept in ${out} (status.json: partial) and no tables were written for the stopped preset. Fix the cause and rerun with the same --out to resume.`);
  } finally {
    await closeRenderer();
  }
  writeRunStatus(out, { complete: true, presets: experiments.map((e) => e.preset.name), failedCalls: experiments.reduce((n, e) => n + e.failedCalls, 0) });
  console.error(`done in ${((performance.now() - started) / 1000).toFixed(1)} s; prompts, code, curves, tables (table.md) and figures in ${out}/`);
  return 0;
}

/** `--list` or one `--phase` of the eureka loop over the shared run folder `out`. */
async function reproducePhase(args: ReproduceRewardDesignArgs, argv: readonly string[], out: string): Promise<number> {
  const settings = experimentOptions(args, "eureka", out);
  // The command that runs a phase of this run again (same settings, same folder).
  const phaseCommand = (phase: RewardDesignPhase) => ["guided-rl reproduce reward-design", ...settingsArgv(argv), "--out", out, "--phase", phase].join(" ");
  try {
    if (args.scale.list) {
      const stage = rewardDesignStage(phasedPreset(settings), out);
      console.log(stageText(stage));
      if (stage.phase !== "propose") console.log(formatRunList(stageRuns(stage), args.scale.shard?.count));
      return 0;
    }
    // The designer is asked only in propose: a key that is missing or refused is said before anything else.
    if (args.phase === "propose") await prepareLlm(args);
    const outcome = await runRewardDesignPhase({
      ...settings,
      phase: args.phase!,
      ...(args.scale.shard ? { shard: args.scale.shard } : {}),
      waitSeconds: args.waitSeconds,
    });
    if (outcome.experiment) printTables(outcome.experiment);
    console.error(outcome.did);
    console.error(`now: ${stageText(outcome.next)}`);
    // status.json is written by the single-process phases only (train shards run at the same time).
    if (outcome.experiment) writeRunStatus(out, { complete: true, presets: ["eureka"], failedCalls: outcome.experiment.failedCalls });
    else if (args.phase !== "train") writeRunStatus(out, { complete: false, reason: `phases: ${stageText(outcome.next)}` });
    return 0;
  } catch (err) {
    if (args.phase === "propose" && existsSync(out)) writeRunStatus(out, { complete: false, partial: true, reason: (err as Error).message });
    if (err instanceof MissingResultsError) {
      console.error(`guided-rl reproduce reward-design --phase reflect: ${err.what}: ${missingRunsMessage(plannedRuns(err.missing), phaseCommand("train"))}`);
      return 1;
    }
    console.error(`guided-rl reproduce reward-design: ${(err as Error).message}`);
    return 1;
  } finally {
    await closeRenderer();
  }
}

/** For the dispatcher in src/cli.ts. */
export const reproduceRewardDesignCommand = { name: "reproduce reward-design", usage: REPRODUCE_REWARD_DESIGN_USAGE, run: reproduceRewardDesign };

// Runnable on its own (`tsx src/cli/reproduce-reward-design.ts --budget smoke`) as well as through the dispatcher.
runWhenMain("reproduce-reward-design", reproduceRewardDesign);
