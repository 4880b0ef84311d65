/**
 * The ULTRA reproduction as a run list (see ../shards.ts): one run per (environment, seed) — a seed's rows
 * share its recorded rollouts, its LLM analysis and its mask network, so a seed is the unit that can run
 * elsewhere. A run's id covers the env, the budget with that seed, the variants, who answers, and the starting
 * policy file's content. A seed's result is the protocol's result restricted to that seed; joining the seeds
 * of an env gives the result of one unsharded run.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { runId, type PlannedRun } from "../shards.js";
import type { Budget } from "../budget.js";
import { shippedPolicyPath } from "./policy-file.js";
import { ultraBudget, ultraPreset, type UltraEnvName } from "./presets.js";
import { summarize, ULTRA_VARIANTS, type UltraResult, type UltraVariant } from "./protocol.js";

/** What determines an ULTRA reproduction's runs (no output paths). */
export interface UltraSettings {
  envs: UltraEnvName[];
  budget: Budget;
  /** Number of seeds (0..n-1) instead of the budget's. */
  seeds?: number;
  variants?: UltraVariant[];
  llm: { provider: string; model?: string };
}

/** One finished (env, seed) run, as a line of trials.jsonl. */
export interface UltraSeedRecord {
  id: string;
  env: UltraEnvName;
  seed: number;
  result: UltraResult;
}

/** The seeds an env runs with these settings, in the protocol's order. */
export function ultraSeeds(settings: UltraSettings, env: UltraEnvName): number[] {
  return settings.seeds ? Array.from({ length: settings.seeds }, (_, i) => i) : ultraBudget(env, settings.budget).seeds;
}

/** SHA-256 of the env's shipped starting policy (its content determines every row). */
function policyHash(env: UltraEnvName): string {
  const path = shippedPolicyPath(ultraPreset(env).policyName);
  if (!existsSync(path)) {
    throw new Error(`the starting policy of ${env} (${path}) does not exist yet; make it once before sharding: guided-rl reproduce ultra --env ${env} --policy-only`);
  }
  return createHash("sha256").update(readFileSync(path)).digest("hex").slice(0, 16);
}

export function ultraRunIdOf(settings: UltraSettings, env: UltraEnvName, seed: number, policy = policyHash(env)): string {
  const { seeds: _all, ...budget } = ultraBudget(env, settings.budget);
  return runId({ env, budget, seed, variants: settings.variants ?? ULTRA_VARIANTS, llm: settings.llm, policy });
}

/** Relative cost of an env step (Pong = 1): what `--shard` balances. */
const STEP_COST: Record<UltraEnvName, number> = { pong: 1, bipedal: 4, hopper: 3, walker2d: 3, halfcheetah: 3 };

export function ultraRunList(settings: UltraSettings): PlannedRun[] {
  const runs: PlannedRun[] = [];
  for (const env of settings.envs) {
    const policy = policyHash(env);
    const b = ultraBudget(env, settings.budget);
    const rows = (settings.variants ?? ULTRA_VARIANTS).filter((v) => v !== "none").length;
    for (const seed of ultraSeeds(settings, env)) {
      runs.push({ id: ultraRunIdOf(settings, env, seed, policy), label: `${env} seed ${seed}`, cost: b.envSteps * rows * STEP_COST[env] });
    }
  }
  return runs;
}

/** The protocol's result split into one result per seed. */
export function splitBySeed(result: UltraResult): UltraResult[] {
  return result.budget.seeds.map((seed) => {
    const rows = result.rows.filter((r) => r.seed === seed);
    return {
      ...result,
      budget: { ...result.budget, seeds: [seed] },
      rows,
      curves: result.curves.filter((c) => c.seed === seed),
      artifacts: result.artifacts.filter((a) => a.seed === seed),
      summary: summarize(rows, variantsOf(result)),
    };
  });
}

/** The variants a result ran, in the protocol's order. */
function variantsOf(result: UltraResult): UltraVariant[] {
  const ran = new Set(result.rows.map((r) => r.variant));
  return ULTRA_VARIANTS.filter((v) => ran.has(v));
}

/**
 * A seed's result as stored in trials.jsonl: the recorded episodes are left out (they are inputs of the
 * analysis, megabytes per seed, and no table or figure reads them); typed arrays become arrays.
 */
export function seedRecord(settings: UltraSettings, env: UltraEnvName, part: UltraResult): UltraSeedRecord {
  const seed = part.budget.seeds[0]!;
  return {
    id: ultraRunIdOf(settings, env, seed),
    env,
    seed,
    result: { ...part, artifacts: part.artifacts.map((a) => ({ ...a, episodes: [] })) },
  };
}

/** Per-seed results of one env joined in `seeds` order: the result of one run over all those seeds. */
export function joinSeeds(parts: readonly UltraResult[], seeds: readonly number[], variants: readonly UltraVariant[] = ULTRA_VARIANTS): UltraResult {
  const bySeed = new Map(parts.map((p) => [p.budget.seeds[0]!, p]));
  const ordered = seeds.map((s) => {
    const p = bySeed.get(s);
    if (!p) throw new Error(`ULTRA merge: no result for seed ${s}`);
    return p;
  });
  const first = ordered[0]!;
  const rows = ordered.flatMap((p) => p.rows);
  return {
    ...first,
    budget: { ...first.budget, seeds: [...seeds] },
    rows,
    curves: ordered.flatMap((p) => p.curves),
    artifacts: ordered.flatMap((p) => p.artifacts),
    summary: summarize(rows, variants),
  };
}
