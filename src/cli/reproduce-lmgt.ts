/**
 * `guided-rl reproduce lmgt [--env cartpole|pendulum|blackjack|all] [--llm surrogate|anthropic|openai]
 *                          [--budget smoke|full] [--seeds N] [--out out/] [--experiments main,cost,...]
 *                          [--algos dqn,ppo] [--model ID] [--no-png]`
 *
 * Runs the LMGT protocol (baseline vs LMGT per algorithm, prompt-style and model-quality ablations, cost),
 * prints the tables and writes them with the figures to `--out` (default out/lmgt).
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { budget as budgetFromEnv, type Budget } from "../experiments/budget.js";
import { closeRenderer } from "../report/render.js";
import { LMGT_ENV_NAMES, type LmgtAlgoName, type LmgtEnvName } from "../experiments/lmgt/presets.js";
import { LMGT_EXPERIMENTS, runLmgtProtocol, type LmgtExperimentName } from "../experiments/lmgt/protocol.js";
import { writeLmgtReport } from "../experiments/lmgt/report.js";
import type { LmgtLlmSettings, LmgtTrialResult } from "../experiments/lmgt/trial.js";
import type { LlmProviderName } from "../llm/create.js";
import { parseOrReport, readCommonOption, readOptions, readSeeds, runWhenMain, usageFailure } from "./options.js";

export const REPRODUCE_LMGT_USAGE = `usage: guided-rl reproduce lmgt [--env cartpole|pendulum|blackjack|all] [--llm surrogate|anthropic|openai]
                             [--budget smoke|full] [--seeds N] [--out DIR] [--experiments main,prompt-style,quality,cost]
                             [--algos dqn,ppo,a2c,sac] [--model ID] [--no-png] [--resume]

Every finished run is appended to <out>/trials.jsonl; --resume reuses the runs found there.`;

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
}

/** Parses the command's arguments (after `reproduce lmgt`); throws with the usage on bad input. */
export function parseReproduceLmgtArgs(argv: readonly string[]): ReproduceLmgtArgs {
  const args: ReproduceLmgtArgs = { envs: ["cartpole"], provider: "surrogate", budget: budgetFromEnv(), out: join("out", "lmgt"), png: true, resume: false };
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
        return readCommonOption(args, option, fail);
    }
  });
  return args;
}

/** Runs `reproduce lmgt`; returns the process exit code. */
export async function reproduceLmgt(argv: readonly string[]): Promise<number> {
  const args = parseOrReport(argv, parseReproduceLmgtArgs);
  if (!args) return argv.includes("--help") || argv.includes("-h") ? 0 : 2;
  const llm: LmgtLlmSettings = { provider: args.provider, ...(args.model ? { model: args.model } : {}), ...(args.provider !== "surrogate" ? { runDir: join(args.out, "llm") } : {}) };
  const started = performance.now();
  mkdirSync(args.out, { recursive: true });
  const trialsFile = join(args.out, "trials.jsonl");
  const previous: LmgtTrialResult[] =
    args.resume && existsSync(trialsFile)
      ? readFileSync(trialsFile, "utf8").split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l) as LmgtTrialResult)
      : [];
  if (args.resume) console.error(`resuming: ${previous.length} finished runs in ${trialsFile}`);
  console.error(
    `LMGT reproduction: env ${args.envs.join(", ")}, budget ${args.budget}, pairs scored by ${args.provider === "surrogate" ? "the offline surrogate (heuristics, not an LLM)" : `${args.provider}${args.model ? ` ${args.model}` : ""}`}`,
  );
  const results = await runLmgtProtocol({
    envs: args.envs,
    budget: args.budget,
    llm,
    ...(args.seeds ? { seeds: args.seeds } : {}),
    ...(args.experiments ? { experiments: args.experiments } : {}),
    ...(args.algos ? { algos: args.algos } : {}),
    previous,
    onTrial: (r, done, total) => {
      if (!r.sharedWith && !previous.includes(r)) appendFileSync(trialsFile, `${JSON.stringify(r)}\n`);
      const s = r.spec;
      const ret = r.evalReturns.map((x) => x.toFixed(Math.abs(x) < 5 ? 2 : 0)).join("/");
      const calls = r.stats ? `, ${r.stats.calls} requests` : "";
      console.error(`[${done}/${total}] ${s.env} ${s.algo} ${s.experiment}/${s.variant} seed ${s.seed}: return ${ret}${calls}${r.sharedWith ? ` (same run as ${r.sharedWith})` : ` (${r.wallSeconds.toFixed(1)} s)`}`);
    },
  });
  try {
    const text = await writeLmgtReport(results, args.out, { png: args.png });
    console.log(text);
  } finally {
    await closeRenderer();
  }
  console.error(`done in ${((performance.now() - started) / 1000).toFixed(1)} s; tables, results.json and figures in ${args.out}/`);
  return 0;
}

/** For a dispatcher that registers commands by name. */
export const reproduceLmgtCommand = { name: "reproduce lmgt", usage: REPRODUCE_LMGT_USAGE, run: reproduceLmgt };

// Runnable on its own (`tsx src/cli/reproduce-lmgt.ts --env cartpole --budget smoke`) as well as through the dispatcher.
runWhenMain("reproduce-lmgt", reproduceLmgt);
