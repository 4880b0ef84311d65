/**
 * `guided-rl reproduce ultra [--env pong|hopper|walker2d|halfcheetah|bipedal|all] [--llm surrogate|anthropic|openai]
 *                            [--model ID] [--budget smoke|showcase|full] [--seeds N] [--variants none,ppo,...] [--out DIR]
 *                            [--regenerate-policy] [--policy-only] [--no-png]`
 *
 * Runs the ULTRA protocol from the shipped sub-optimal starting policy: no refinement, continued PPO,
 * random critical states, StateMask-R, RICE, ULTRA-A/-R/-RA in the paper's form and the imitation rows
 * (our variant), every refined row at the same env steps. Prints the results table and writes it with the
 * curves, the critical states and every LLM exchange to `--out` (default out/ultra/<env>).
 * `--regenerate-policy` trains the starting policy again (it is trained anyway when none is shipped);
 * `--policy-only` stops after that (the command that regenerates the shipped MuJoCo policies).
 */
import { existsSync } from "node:fs";
import { ensureDir } from "../core/fs.js";
import { appendText } from "../core/secrets.js";
import { join } from "node:path";
import { prepareEnv } from "../envs/index.js";
import { budget as budgetFromEnv, type Budget } from "../experiments/budget.js";
import { ULTRA_ENV_NAMES, ultraBudget, ultraPreset, type UltraEnvName } from "../experiments/ultra/presets.js";
import { readPolicyFile, shippedPolicyPath, trainStartingPolicy, writePolicyFile } from "../experiments/ultra/policy-file.js";
import { runUltraExperiment, ULTRA_VARIANTS, type UltraVariant } from "../experiments/ultra/protocol.js";
import { writeUltraReport } from "../experiments/ultra/report.js";
import { registerUltraSurrogate } from "../guides/ultra/surrogate.js";
import { createLlm, type LlmProviderName } from "../llm/create.js";
import { closeRenderer } from "../report/render.js";
import { encodeRecord, sharedCassetteCache } from "../experiments/shards.js";
import { seedRecord, splitBySeed, ultraRunIdOf, ultraRunList, ultraSeeds, type UltraSeedRecord, type UltraSettings } from "../experiments/ultra/shards.js";
import { parseOrReport, prepareLlm, readCommonOption, readOptions, readSeeds, runWhenMain, usageFailure } from "./options.js";
import { defaultScaleOutArgs, planInvocation, readScaleOutOption, SCALE_OUT_USAGE, TRIALS_FILE, type ScaleOutArgs } from "./scale-out.js";

export const REPRODUCE_ULTRA_USAGE = `usage: guided-rl reproduce ultra [--env ${ULTRA_ENV_NAMES.join("|")}|all] [--llm surrogate|anthropic|openai]
                              [--model ID] [--budget smoke|showcase|full] [--seeds N] [--variants ${ULTRA_VARIANTS.join(",")}]
                              [--out DIR] [--regenerate-policy] [--policy-only] [--no-png]
                              ${SCALE_OUT_USAGE}

A run is one (env, seed); --shard i/n runs a share of them (guided-rl merge OUT DIR... joins the folders).
Make missing starting policies once (--policy-only) before sharding.`;

export interface ReproduceUltraArgs {
  envs: UltraEnvName[];
  provider: LlmProviderName;
  model?: string;
  budget: Budget;
  seeds?: number;
  variants?: UltraVariant[];
  out: string;
  regeneratePolicy: boolean;
  /** Only make (or check) the starting policy; no experiment. */
  policyOnly: boolean;
  png: boolean;
  scale: ScaleOutArgs;
}

/** Parses the arguments after `reproduce ultra`; throws with the usage on bad input. */
export function parseReproduceUltraArgs(argv: readonly string[]): ReproduceUltraArgs {
  const args: ReproduceUltraArgs = { envs: ["pong"], provider: "surrogate", budget: budgetFromEnv(), out: join("out", "ultra"), regeneratePolicy: false, policyOnly: false, png: true, scale: defaultScaleOutArgs() };
  const fail = usageFailure(REPRODUCE_ULTRA_USAGE);
  readOptions(argv, fail, (option) => {
    switch (option.name) {
      case "--env": {
        const v = option.value();
        if (v === "all") args.envs = [...ULTRA_ENV_NAMES];
        else if ((ULTRA_ENV_NAMES as readonly string[]).includes(v)) args.envs = [v as UltraEnvName];
        else fail(`unknown --env "${v}" (${ULTRA_ENV_NAMES.join(", ")} or all)`);
        return true;
      }
      case "--seeds":
        args.seeds = readSeeds(option, fail);
        return true;
      case "--variants": {
        const list = option.value().split(",");
        for (const v of list) if (!ULTRA_VARIANTS.includes(v as UltraVariant)) fail(`unknown variant "${v}" (${ULTRA_VARIANTS.join(", ")})`);
        args.variants = list as UltraVariant[];
        return true;
      }
      case "--regenerate-policy":
        args.regeneratePolicy = true;
        return true;
      case "--policy-only":
        args.policyOnly = true;
        return true;
      default:
        return readScaleOutOption(args.scale, option, fail) || readCommonOption(args, option, fail);
    }
  });
  return args;
}

/** What determines the runs (no output paths). */
export function ultraSettingsOf(args: ReproduceUltraArgs): UltraSettings {
  return {
    envs: args.envs,
    budget: args.budget,
    ...(args.seeds ? { seeds: args.seeds } : {}),
    ...(args.variants ? { variants: args.variants } : {}),
    llm: { provider: args.provider, ...(args.model ? { model: args.model } : {}) },
  };
}

/** Runs `reproduce ultra`; returns the exit code. */
export async function reproduceUltra(argv: readonly string[]): Promise<number> {
  const args = parseOrReport(argv, parseReproduceUltraArgs);
  if (!args) return 2;
  registerUltraSurrogate();
  const started = performance.now();
  const log = (m: string) => console.error(`[${((performance.now() - started) / 1000).toFixed(0)} s] ${m}`);
  await prepareLlm(args);
  try {
    for (const name of args.envs) {
      const cfg = ultraPreset(name);
      await prepareEnv(cfg.envId);
      const policyPath = shippedPolicyPath(cfg.policyName);
      const placing = args.scale.list || args.scale.shard !== undefined || args.scale.onlyMissing !== undefined;
      if (args.regeneratePolicy || (!existsSync(policyPath) && !placing)) {
        log(`${cfg.envId}: training the sub-optimal starting policy (${cfg.pretrain.steps} PPO steps) -> ${policyPath}`);
        const file = await trainStartingPolicy({
          envId: cfg.envId, envKwargs: cfg.envKwargs, steps: cfg.pretrain.steps, numEnvs: cfg.pretrain.numEnvs, seed: cfg.pretrain.seed,
          options: cfg.pretrain.options, evalDeterministic: cfg.evalDeterministic, evalEpisodes: 16,
          howToRegenerate: `guided-rl reproduce ultra --env ${name} --regenerate-policy --policy-only`,
          onProgress: (steps, ret) => { if (steps % (10 * cfg.pretrain.numEnvs * (cfg.pretrain.options.nSteps ?? 2048)) === 0) log(`  ${steps} steps, mean episode return ${ret.toFixed(1)}`); },
        });
        writePolicyFile(policyPath, file);
        log(`starting policy: ${file.evaluation.meanReturn.toFixed(2)} ± ${file.evaluation.stdReturn.toFixed(2)}`);
      }
    }
    if (args.policyOnly) return 0;
    const settings = ultraSettingsOf(args);
    const plan = planInvocation({
      command: "reproduce ultra",
      argv,
      settings: settings as unknown as Record<string, unknown>,
      runs: ultraRunList(settings),
      out: args.out,
      scale: args.scale,
      resultId: (r) => (r as UltraSeedRecord).id,
    });
    if (!plan) return 0;
    ensureDir(args.out);
    for (const name of args.envs) {
      const cfg = ultraPreset(name);
      const out = join(args.out, name);
      const b = ultraBudget(name, args.budget);
      b.seeds = ultraSeeds(settings, name).filter((seed) => plan.assigned.has(ultraRunIdOf(settings, name, seed)));
      if (b.seeds.length === 0) continue;
      const llm = createLlm({
        provider: args.provider, ...(args.model ? { model: args.model } : {}), runDir: join(out, "llm"),
        cache: args.scale.cassette ? sharedCassetteCache(args.scale.cassette) : "read-write",
      });
      log(`${cfg.envId}: budget ${args.budget}, ${b.seeds.length} seeds, ${b.envSteps} env steps per refined row (analysis included); critical states from ${args.provider === "surrogate" ? "the offline surrogate (hand-written heuristics, not an LLM)" : llm.model}`);
      const result = await runUltraExperiment({ env: cfg, budget: b, llm, startPolicy: readPolicyFile(shippedPolicyPath(cfg.policyName)), ...(args.variants ? { variants: args.variants } : {}), onProgress: log });
      for (const part of splitBySeed(result)) appendText(join(args.out, TRIALS_FILE), `${encodeRecord(seedRecord(settings, name, part))}\n`);
      if (plan.partial) {
        log(`${name}: seeds ${b.seeds.join(", ")} in ${join(args.out, TRIALS_FILE)}; join the folders with \`guided-rl merge OUT ${args.out} ...\``);
        continue;
      }
      console.log(await writeUltraReport(result, out, { png: args.png }));
      log(`results, curves and ${args.provider === "surrogate" ? "surrogate" : "LLM"} exchanges in ${out}/`);
    }
  } finally {
    await closeRenderer();
  }
  return 0;
}

/** For the dispatcher in src/cli.ts. */
export const reproduceUltraCommand = { name: "reproduce ultra", usage: REPRODUCE_ULTRA_USAGE, run: reproduceUltra };

// Runnable on its own (`tsx src/cli/reproduce-ultra.ts --env pong --budget smoke`) as well as through the dispatcher.
runWhenMain("reproduce-ultra", reproduceUltra);
