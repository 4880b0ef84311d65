/**
 * `guided-rl reproduce ultra [--env pong|bipedal|all] [--llm surrogate|anthropic|openai] [--model ID]
 *                            [--budget smoke|full] [--seeds N] [--variants none,ppo,...] [--out DIR]
 *                            [--action-modulation imitation|override] [--regenerate-policy] [--no-png]`
 *
 * Runs the ULTRA protocol (no refinement, continued PPO, random critical states, ULTRA-A/R/RA) from the
 * shipped sub-optimal starting policy, prints the results table and writes it with the curves, the
 * critical states and every LLM exchange to `--out` (default out/ultra/<env>).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import "../envs/index.js";
import { prepareEnv } from "../core/registry.js";
import { budget as budgetFromEnv, type Budget } from "../experiments/budget.js";
import { budgetConfig, envConfig, type UltraEnvName } from "../experiments/ultra/configs.js";
import { readPolicyFile, shippedPolicyPath, trainStartingPolicy, writePolicyFile } from "../experiments/ultra/policy-file.js";
import { runUltraExperiment, ULTRA_VARIANTS, type UltraVariant } from "../experiments/ultra/protocol.js";
import { writeUltraReport } from "../experiments/ultra/report.js";
import { registerUltraSurrogate } from "../guides/ultra/surrogate.js";
import type { ActionModulation } from "../guides/ultra/guide.js";
import { createLlm, type LlmProviderName } from "../llm/create.js";
import { closeRenderer } from "../report/render.js";

export const REPRODUCE_ULTRA_USAGE = `usage: guided-rl reproduce ultra [--env pong|bipedal|all] [--llm surrogate|anthropic|openai] [--model ID]
                              [--budget smoke|full] [--seeds N] [--variants ${ULTRA_VARIANTS.join(",")}]
                              [--out DIR] [--action-modulation imitation|override] [--regenerate-policy] [--no-png]`;

export interface ReproduceUltraArgs {
  envs: UltraEnvName[];
  provider: LlmProviderName;
  model?: string;
  budget: Budget;
  seeds?: number;
  variants?: UltraVariant[];
  out: string;
  regeneratePolicy: boolean;
  png: boolean;
  /** How ULTRA-A/RA's suggested actions reach PPO (default: the environment config's, "imitation"). */
  actionModulation?: ActionModulation;
}

const LLM_NAMES: Record<string, LlmProviderName> = { surrogate: "surrogate", anthropic: "anthropic", openai: "openai-compatible", "openai-compatible": "openai-compatible" };

/** Parses the arguments after `reproduce ultra`; throws with the usage on bad input. */
export function parseReproduceUltraArgs(argv: readonly string[]): ReproduceUltraArgs {
  const args: ReproduceUltraArgs = { envs: ["pong"], provider: "surrogate", budget: budgetFromEnv(), out: join("out", "ultra"), regeneratePolicy: false, png: true };
  const fail = (msg: string): never => { throw new Error(`${msg}\n${REPRODUCE_ULTRA_USAGE}`); };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const [name, inline] = flag.includes("=") ? [flag.slice(0, flag.indexOf("=")), flag.slice(flag.indexOf("=") + 1)] : [flag, undefined];
    const value = (): string => inline ?? argv[++i] ?? fail(`${name} needs a value`);
    switch (name) {
      case "--env": {
        const v = value();
        if (v === "all") args.envs = ["pong", "bipedal"];
        else if (v === "pong" || v === "bipedal") args.envs = [v];
        else fail(`unknown --env "${v}" (pong, bipedal or all)`);
        break;
      }
      case "--llm": {
        const v = value();
        args.provider = LLM_NAMES[v] ?? fail(`unknown --llm "${v}" (surrogate, anthropic or openai)`);
        break;
      }
      case "--model": args.model = value(); break;
      case "--budget": {
        const v = value();
        if (v !== "smoke" && v !== "full") fail(`--budget must be smoke or full, got "${v}"`);
        args.budget = v as Budget;
        break;
      }
      case "--seeds": {
        const n = Number(value());
        if (!Number.isInteger(n) || n < 1) fail("--seeds must be a positive integer");
        args.seeds = n;
        break;
      }
      case "--variants": {
        const list = value().split(",");
        for (const v of list) if (!ULTRA_VARIANTS.includes(v as UltraVariant)) fail(`unknown variant "${v}" (${ULTRA_VARIANTS.join(", ")})`);
        args.variants = list as UltraVariant[];
        break;
      }
      case "--out": args.out = value(); break;
      case "--action-modulation": {
        const v = value();
        if (v !== "imitation" && v !== "override") fail(`--action-modulation must be imitation or override, got "${v}"`);
        args.actionModulation = v as ActionModulation;
        break;
      }
      case "--regenerate-policy": args.regeneratePolicy = true; break;
      case "--no-png": args.png = false; break;
      default: fail(`unknown option "${flag}"`);
    }
  }
  return args;
}

/** Runs `reproduce ultra`; returns the exit code. */
export async function reproduceUltra(argv: readonly string[]): Promise<number> {
  let args: ReproduceUltraArgs;
  try {
    args = parseReproduceUltraArgs(argv);
  } catch (err) {
    console.error((err as Error).message.trim());
    return 2;
  }
  registerUltraSurrogate();
  const started = performance.now();
  const log = (m: string) => console.error(`[${((performance.now() - started) / 1000).toFixed(0)} s] ${m}`);
  try {
    for (const name of args.envs) {
      const base = envConfig(name);
      const cfg = args.actionModulation ? { ...base, guide: { ...base.guide, actionModulation: args.actionModulation } } : base;
      await prepareEnv(cfg.envId);
      const out = join(args.out, name);
      const b = budgetConfig(name, args.budget);
      if (args.seeds) b.seeds = Array.from({ length: args.seeds }, (_, i) => i);
      const policyPath = shippedPolicyPath(cfg.policyName);
      if (args.regeneratePolicy || !existsSync(policyPath)) {
        log(`${cfg.envId}: training the sub-optimal starting policy (${cfg.pretrain.steps} PPO steps) -> ${policyPath}`);
        const file = await trainStartingPolicy({
          envId: cfg.envId, envKwargs: cfg.envKwargs, steps: cfg.pretrain.steps, numEnvs: cfg.pretrain.numEnvs, seed: cfg.pretrain.seed,
          options: cfg.pretrain.options, evalDeterministic: cfg.evalDeterministic, evalEpisodes: 16, howToRegenerate: `guided-rl reproduce ultra --env ${name} --regenerate-policy`,
        });
        writePolicyFile(policyPath, file);
        log(`starting policy: ${file.evaluation.meanReturn.toFixed(2)} ± ${file.evaluation.stdReturn.toFixed(2)}`);
      }
      const llm = createLlm({ provider: args.provider, ...(args.model ? { model: args.model } : {}), runDir: join(out, "llm"), cache: "read-write" });
      log(`${cfg.envId}: budget ${args.budget}, ${b.seeds.length} seeds, ${b.envSteps} env steps per variant; suggested actions by ${cfg.guide.actionModulation}; critical states from ${args.provider === "surrogate" ? "the offline surrogate (hand-written heuristics, not an LLM)" : llm.model}`);
      const result = await runUltraExperiment({ env: cfg, budget: b, llm, startPolicy: readPolicyFile(policyPath), ...(args.variants ? { variants: args.variants } : {}), onProgress: log });
      console.log(await writeUltraReport(result, out, { png: args.png }));
      log(`results, curves and LLM exchanges in ${out}/`);
    }
  } finally {
    await closeRenderer();
  }
  return 0;
}

/** For the dispatcher in src/cli.ts. */
export const reproduceUltraCommand = { name: "reproduce ultra", usage: REPRODUCE_ULTRA_USAGE, run: reproduceUltra };

if (process.argv[1] && /reproduce-ultra\.(ts|js)$/.test(process.argv[1])) {
  reproduceUltra(process.argv.slice(2)).then((code) => process.exit(code), (err) => {
    console.error(err);
    process.exit(1);
  });
}
