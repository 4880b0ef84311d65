/**
 * `guided-rl reproduce lmgt [--env cartpole|pendulum|blackjack|all] [--llm surrogate|anthropic|openai]
 *                          [--budget smoke|full] [--seeds N] [--out out/] [--experiments main,cost,...]
 *                          [--algos dqn,ppo] [--model ID] [--no-png]`
 *
 * Runs the LMGT protocol (baseline vs LMGT per algorithm, prompt-style and model-quality ablations, cost),
 * prints the tables and writes them with the figures to `--out` (default out/lmgt).
 */
import { ensureDir } from "../core/fs.js";
import { appendText } from "../core/secrets.js";
import { join } from "node:path";
import { budget as budgetFromEnv, type Budget } from "../experiments/budget.js";
import { closeRenderer } from "../report/render.js";
import { LMGT_ENV_NAMES, LMGT_METHODS, type LmgtAlgoName, type LmgtEnvName, type LmgtMethodName, type LmgtShiftOption } from "../experiments/lmgt/presets.js";
import { runLmgtModelSweep } from "../experiments/lmgt/models.js";
import { LMGT_EXPERIMENTS, runLmgtProtocol, type LmgtExperimentName } from "../experiments/lmgt/protocol.js";
import { lmgtFinishedRunIds, lmgtRunId, lmgtRunList, lmgtSweepOptions, lmgtTrialKey, runsLmgtProtocol, type LmgtReproductionSettings } from "../experiments/lmgt/shards.js";
import { readRecords } from "../experiments/shards.js";
import { writeLmgtReport } from "../experiments/lmgt/report.js";
import type { LmgtLlmSettings, LmgtTrialResult, LmgtTrialSpec } from "../experiments/lmgt/trial.js";
import type { LlmProviderName } from "../llm/create.js";
import { parseOrReport, prepareLlm, readCommonOption, readOptions, readSeeds, runWhenMain, usageFailure, writeRunStatus } from "./options.js";
import { defaultScaleOutArgs, planInvocation, readScaleOutOption, SCALE_OUT_USAGE, TRIALS_FILE, type ScaleOutArgs } from "./scale-out.js";

export const REPRODUCE_LMGT_USAGE = `usage: guided-rl reproduce lmgt [--env cartpole|pendulum|blackjack|all] [--preset efficient|paper|both]
                             [--llm surrogate|anthropic|openai] [--budget smoke|full] [--seeds N] [--out DIR]
                             [--experiments main,prompt-style,quality,cost] [--algos dqn,ppo,a2c,sac,td3] [--model ID]
                             [--shift-scale X --shift-reason TEXT] [--models M1,M2,... [--base-url URL]] [--no-png] [--resume]
                             ${SCALE_OUT_USAGE}

  --preset paper      the paper's form: every transition's (state, action) pair asked (batched), no cache, lambda = 1
  --preset efficient  ours (default): pairs in one bucket of the bucket cache asked once, lambda = 1
  --preset both       both arms side by side (ablations use the paper's form)
  --shift-scale X     a reward-shift scale other than the paper's 1; needs --shift-reason
  --models M1,M2      the model ablation over real models (--llm anthropic, or --llm openai --base-url URL for a
                      local server): one row per model with calls, tokens, cost and failed calls; a model that
                      fails is marked failed and the others are kept. Alone it runs only this sweep; add
                      --experiments to run those too. (Offline, the surrogate's quality knob is the "quality"
                      experiment, labelled as the surrogate's.)

Every finished run is appended to <out>/trials.jsonl; --resume reuses the runs found there. An LLM call that
still fails after the provider's retries stops the run (non-zero exit) unless --max-failed-calls N allows N;
so does a spent budget; <out>/status.json then says the run is partial and no tables are written.
--shard i/n runs one share of the run list (guided-rl merge OUT DIR... joins the shards' folders).`;

export interface ReproduceLmgtArgs {
  envs: LmgtEnvName[];
  provider: LlmProviderName;
  model?: string;
  budget: Budget;
  seeds?: number;
  out: string;
  experiments?: LmgtExperimentName[];
  algos?: LmgtAlgoName[];
  methods: LmgtMethodName[];
  shift?: LmgtShiftOption;
  /** Model ids of the model sweep. */
  models?: string[];
  baseURL?: string;
  png: boolean;
  resume: boolean;
  scale: ScaleOutArgs;
}

/** Parses the command's arguments (after `reproduce lmgt`); throws with the usage on bad input. */
export function parseReproduceLmgtArgs(argv: readonly string[]): ReproduceLmgtArgs {
  const args: ReproduceLmgtArgs = { envs: ["cartpole"], provider: "surrogate", budget: budgetFromEnv(), out: join("out", "lmgt"), methods: ["efficient"], png: true, resume: false, scale: defaultScaleOutArgs() };
  let shiftScale: number | undefined;
  let shiftReason: string | undefined;
  const fail = usageFailure(REPRODUCE_LMGT_USAGE);
  readOptions(argv, fail, (option) => {
    switch (option.name) {
      case "--env": {
        const v = option.value();
        if (v === "all") args.envs = [...LMGT_ENV_NAMES];
        else {
          const envs = v.split(",");
          for (const e of envs) if (!LMGT_ENV_NAMES.includes(e as LmgtEnvName)) fail(`unknown --env "${e}"`);
          args.envs = envs as LmgtEnvName[];
        }
        return true;
      }
      case "--seeds":
        args.seeds = readSeeds(option, fail);
        return true;
      case "--experiments": {
        const list = option.value().split(",");
        for (const e of list) if (!LMGT_EXPERIMENTS.includes(e as LmgtExperimentName)) fail(`unknown experiment "${e}" (${LMGT_EXPERIMENTS.join(", ")})`);
        args.experiments = list as LmgtExperimentName[];
        return true;
      }
      case "--algos": {
        const list = option.value().split(",");
        for (const a of list) if (!["dqn", "ppo", "a2c", "sac", "td3"].includes(a)) fail(`unknown algorithm "${a}"`);
        args.algos = list as LmgtAlgoName[];
        return true;
      }
      case "--preset": {
        const v = option.value();
        if (v === "both") args.methods = ["paper", "efficient"];
        else if (LMGT_METHODS.includes(v as LmgtMethodName)) args.methods = [v as LmgtMethodName];
        else fail(`unknown --preset "${v}" (efficient, paper or both)`);
        return true;
      }
      case "--shift-scale": {
        const v = option.value();
        shiftScale = Number(v);
        if (v.trim() === "" || !Number.isFinite(shiftScale)) fail(`--shift-scale must be a number, got "${v}"`);
        return true;
      }
      case "--shift-reason":
        shiftReason = option.value();
        return true;
      case "--models": {
        const list = option.value().split(",").map((m) => m.trim()).filter(Boolean);
        if (list.length === 0) fail("--models needs at least one model id");
        args.models = list;
        return true;
      }
      case "--base-url":
        args.baseURL = option.value();
        return true;
      case "--resume":
        args.resume = true;
        return true;
      case "-h":
      case "--help":
        return fail("");
      default:
        return readScaleOutOption(args.scale, option, fail) || readCommonOption(args, option, fail);
    }
  });
  if (shiftScale !== undefined && shiftScale !== 1) {
    if (!shiftReason?.trim()) fail("--shift-scale other than 1 (the paper's lambda) needs --shift-reason TEXT saying why");
    args.shift = { scale: shiftScale, reason: shiftReason! };
  } else if (shiftReason !== undefined) fail("--shift-reason without --shift-scale");
  if (args.models && args.provider === "surrogate") {
    fail("--models sweeps real models: add --llm anthropic or --llm openai --base-url URL (offline, the surrogate's quality knob is --experiments quality)");
  }
  if (args.baseURL && args.provider !== "openai-compatible") fail("--base-url is for --llm openai (an OpenAI-compatible server)");
  return args;
}

/** The protocol settings the arguments ask for: what determines the runs (no output paths). */
export function lmgtSettingsOf(args: ReproduceLmgtArgs): LmgtReproductionSettings {
  return {
    envs: args.envs,
    budget: args.budget,
    llm: { provider: args.provider, ...(args.model ? { model: args.model } : {}), ...(args.baseURL ? { baseURL: args.baseURL } : {}) },
    ...(args.seeds ? { seeds: args.seeds } : {}),
    ...(args.experiments ? { experiments: args.experiments } : {}),
    ...(args.algos ? { algos: args.algos } : {}),
    methods: args.methods,
    ...(args.shift ? { shift: args.shift } : {}),
    ...(args.models ? { models: args.models } : {}),
  };
}

/** Prints the tables and writes them with the figures into `out`. */
export async function writeLmgtOutputs(results: readonly LmgtTrialResult[], out: string, png: boolean): Promise<void> {
  try {
    const text = await writeLmgtReport(results, out, { png });
    console.log(text);
  } finally {
    await closeRenderer();
  }
  writeRunStatus(out, { complete: true, trials: results.length });
}

/** Runs `reproduce lmgt`; returns the process exit code. */
export async function reproduceLmgt(argv: readonly string[]): Promise<number> {
  const args = parseOrReport(argv, parseReproduceLmgtArgs);
  if (!args) return argv.includes("--help") || argv.includes("-h") ? 0 : 2;
  const settings = lmgtSettingsOf(args);
  const plan = planInvocation({
    command: "reproduce lmgt",
    argv,
    settings: settings as unknown as Record<string, unknown>,
    runs: lmgtRunList(settings),
    out: args.out,
    scale: args.scale,
    resultId: (r) => lmgtRunId((r as LmgtTrialResult).spec),
    finishedRuns: (results) => lmgtFinishedRunIds(settings, results as LmgtTrialResult[]),
  });
  if (!plan) return 0;
  const llm: LmgtLlmSettings = {
    ...settings.llm!,
    ...(args.provider !== "surrogate" ? { runDir: join(args.out, "llm") } : {}),
    ...(args.scale.cassette ? { cassette: args.scale.cassette } : {}),
  };
  const started = performance.now();
  await prepareLlm({ ...args, model: args.model ?? args.models?.[0] });
  ensureDir(args.out);
  const trialsFile = join(args.out, TRIALS_FILE);
  const status = (s: Record<string, unknown>) => writeRunStatus(args.out, s);
  let finished = 0;
  status({ complete: false, reason: "running" });
  const previous = args.resume ? readRecords<LmgtTrialResult>(trialsFile) : [];
  if (args.resume) console.error(`resuming: ${previous.length} finished runs in ${trialsFile}`);
  console.error(
    `LMGT reproduction: env ${args.envs.join(", ")}, budget ${args.budget}, preset ${args.methods.join(" + ")}${args.shift ? `, lambda=${args.shift.scale} (${args.shift.reason})` : ", lambda=1"}, pairs scored by ${args.provider === "surrogate" ? "the offline surrogate (heuristics, not an LLM)" : `${args.provider}${args.model ? ` ${args.model}` : ""}`}`,
  );
  const onTrial = (r: LmgtTrialResult, done: number, total: number) => {
    if (!r.sharedWith && !previous.includes(r)) appendText(trialsFile, `${JSON.stringify(r)}\n`);
    const s = r.spec;
    const ret = r.failed ? `FAILED (${r.failed})` : `return ${r.evalReturns.map((x) => x.toFixed(Math.abs(x) < 5 ? 2 : 0)).join("/")}`;
    const calls = r.stats ? `, ${r.stats.calls} requests${r.stats.callErrors ? ` (${r.stats.callErrors} failed)` : ""}` : "";
    console.error(`[${done}/${total}] ${s.env} ${s.algo} ${s.experiment}/${s.variant} seed ${s.seed}: ${ret}${calls}${r.sharedWith ? ` (same run as ${r.sharedWith})` : ` (${r.wallSeconds.toFixed(1)} s)`}`);
    finished++;
  };
  try {
    // The model sweep: each model is one entry of the run list (its trials run together, on one shard).
    const select = (spec: LmgtTrialSpec) => plan.assigned.has(lmgtRunId(spec));
    const sweepDone = new Map(previous.filter((r) => r.spec.experiment === "model").map((r) => [lmgtTrialKey(r.spec), r]));
    const sweep = settings.models
      ? await runLmgtModelSweep({ ...lmgtSweepOptions({ ...settings, models: settings.models }, join(args.out, "llm")), select, finished: (spec) => sweepDone.get(lmgtTrialKey(spec)), onTrial })
      : [];
    const runProtocol = runsLmgtProtocol(settings);
    const results = !runProtocol
      ? sweep
      : sweep.concat(
          await runLmgtProtocol({
            ...settings,
            llm,
            previous,
            select,
            onTrial,
          }),
        );
    if (plan.partial) {
      status({ complete: false, reason: "one shard of a sharded run: join the shards with guided-rl merge", finishedTrials: finished });
      console.error(`done in ${((performance.now() - started) / 1000).toFixed(1)} s: ${plan.assigned.size} runs in ${trialsFile}; join the folders with \`guided-rl merge OUT ${args.out} ...\``);
      return 0;
    }
    await writeLmgtOutputs(results, args.out, args.png);
    console.error(`done in ${((performance.now() - started) / 1000).toFixed(1)} s; tables, results.json and figures in ${args.out}/`);
    return 0;
  } catch (err) {
    // Stopped (LLM failures past --max-failed-calls, a spent budget, ...): no table is written from a partial run.
    const reason = (err as Error).message;
    status({ complete: false, partial: true, reason, finishedTrials: finished });
    throw new Error(`${reason}\nThe run stopped after ${finished} finished trial(s), kept in ${trialsFile}; no tables were written (they would be partial). Fix the cause and rerun with --resume.`);
  }
}

/** For a dispatcher that registers commands by name. */
export const reproduceLmgtCommand = { name: "reproduce lmgt", usage: REPRODUCE_LMGT_USAGE, run: reproduceLmgt };

// Runnable on its own (`tsx src/cli/reproduce-lmgt.ts --env cartpole --budget smoke`) as well as through the dispatcher.
runWhenMain("reproduce-lmgt", reproduceLmgt);
