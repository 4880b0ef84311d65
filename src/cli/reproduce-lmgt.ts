/**
 * `guided-rl reproduce lmgt [--env cartpole|pendulum|blackjack|all] [--llm surrogate|anthropic|openai]
 *                          [--budget smoke|full] [--seeds N] [--out out/] [--experiments main,cost,...]
 *                          [--algos dqn,ppo] [--model ID] [--no-png]`
 *
 * Runs the LMGT protocol (baseline vs LMGT per algorithm, prompt-style and model-quality ablations, cost),
 * prints the tables and writes them with the figures to `--out` (default out/lmgt).
 */
import { appendFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { budget as budgetFromEnv, type Budget } from "../experiments/budget.js";
import { closeRenderer } from "../report/render.js";
import { LMGT_ENV_NAMES, type LmgtAlgoName, type LmgtEnvName } from "../experiments/lmgt/presets.js";
import { LMGT_EXPERIMENTS, runLmgtProtocol, type LmgtExperimentName } from "../experiments/lmgt/protocol.js";
import { lmgtRunId, lmgtRunList, type LmgtProtocolSettings } from "../experiments/lmgt/shards.js";
import { readJsonl } from "../experiments/shards.js";
import { writeLmgtReport } from "../experiments/lmgt/report.js";
import type { LmgtLlmSettings, LmgtTrialResult } from "../experiments/lmgt/trial.js";
import type { LlmProviderName } from "../llm/create.js";
import { parseOrReport, readCommonOption, readOptions, readSeeds, runWhenMain, usageFailure } from "./options.js";
import { defaultScaleOutArgs, planInvocation, readScaleOutOption, SCALE_OUT_USAGE, TRIALS_FILE, type ScaleOutArgs } from "./scale-out.js";

export const REPRODUCE_LMGT_USAGE = `usage: guided-rl reproduce lmgt [--env cartpole|pendulum|blackjack|all] [--llm surrogate|anthropic|openai]
                             [--budget smoke|full] [--seeds N] [--out DIR] [--experiments main,prompt-style,quality,cost]
                             [--algos dqn,ppo,a2c,sac] [--model ID] [--no-png] [--resume]
                             ${SCALE_OUT_USAGE}

Every finished run is appended to <out>/trials.jsonl; --resume reuses the runs found there.
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
  png: boolean;
  resume: boolean;
  scale: ScaleOutArgs;
}

/** Parses the command's arguments (after `reproduce lmgt`); throws with the usage on bad input. */
export function parseReproduceLmgtArgs(argv: readonly string[]): ReproduceLmgtArgs {
  const args: ReproduceLmgtArgs = { envs: ["cartpole"], provider: "surrogate", budget: budgetFromEnv(), out: join("out", "lmgt"), png: true, resume: false, scale: defaultScaleOutArgs() };
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
        for (const a of list) if (!["dqn", "ppo", "a2c", "sac"].includes(a)) fail(`unknown algorithm "${a}"`);
        args.algos = list as LmgtAlgoName[];
        return true;
      }
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
  return args;
}

/** The protocol settings the arguments ask for: what determines the runs (no output paths). */
export function lmgtSettingsOf(args: ReproduceLmgtArgs): LmgtProtocolSettings {
  return {
    envs: args.envs,
    budget: args.budget,
    llm: { provider: args.provider, ...(args.model ? { model: args.model } : {}) },
    ...(args.seeds ? { seeds: args.seeds } : {}),
    ...(args.experiments ? { experiments: args.experiments } : {}),
    ...(args.algos ? { algos: args.algos } : {}),
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
  });
  if (!plan) return 0;
  const llm: LmgtLlmSettings = {
    ...settings.llm!,
    ...(args.provider !== "surrogate" ? { runDir: join(args.out, "llm") } : {}),
    ...(args.scale.cassette ? { cassette: args.scale.cassette } : {}),
  };
  const started = performance.now();
  mkdirSync(args.out, { recursive: true });
  const trialsFile = join(args.out, TRIALS_FILE);
  const previous = args.resume ? readJsonl<LmgtTrialResult>(trialsFile) : [];
  if (args.resume) console.error(`resuming: ${previous.length} finished runs in ${trialsFile}`);
  console.error(
    `LMGT reproduction: env ${args.envs.join(", ")}, budget ${args.budget}, pairs scored by ${args.provider === "surrogate" ? "the offline surrogate (heuristics, not an LLM)" : `${args.provider}${args.model ? ` ${args.model}` : ""}`}`,
  );
  const results = await runLmgtProtocol({
    ...settings,
    llm,
    previous,
    select: (spec) => plan.assigned.has(lmgtRunId(spec)),
    onTrial: (r, done, total) => {
      if (!r.sharedWith && !previous.includes(r)) appendFileSync(trialsFile, `${JSON.stringify(r)}\n`);
      const s = r.spec;
      const ret = r.evalReturns.map((x) => x.toFixed(Math.abs(x) < 5 ? 2 : 0)).join("/");
      const calls = r.stats ? `, ${r.stats.calls} requests` : "";
      console.error(`[${done}/${total}] ${s.env} ${s.algo} ${s.experiment}/${s.variant} seed ${s.seed}: return ${ret}${calls}${r.sharedWith ? ` (same run as ${r.sharedWith})` : ` (${r.wallSeconds.toFixed(1)} s)`}`);
    },
  });
  if (plan.partial) {
    console.error(`done in ${((performance.now() - started) / 1000).toFixed(1)} s: ${plan.assigned.size} runs in ${trialsFile}; join the folders with \`guided-rl merge OUT ${args.out} ...\``);
    return 0;
  }
  await writeLmgtOutputs(results, args.out, args.png);
  console.error(`done in ${((performance.now() - started) / 1000).toFixed(1)} s; tables, results.json and figures in ${args.out}/`);
  return 0;
}

/** For a dispatcher that registers commands by name. */
export const reproduceLmgtCommand = { name: "reproduce lmgt", usage: REPRODUCE_LMGT_USAGE, run: reproduceLmgt };

// Runnable on its own (`tsx src/cli/reproduce-lmgt.ts --env cartpole --budget smoke`) as well as through the dispatcher.
runWhenMain("reproduce-lmgt", reproduceLmgt);
