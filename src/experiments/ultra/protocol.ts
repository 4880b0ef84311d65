/**
 * The ULTRA protocol (arXiv 2505.20671) on one environment, per seed:
 *
 *   1. evaluate the sub-optimal starting policy                                 -> variant "none"
 *   2. record `rolloutEpisodes` episodes of it
 *   3. the LLM marks critical states in them (stage 1) and, per variant, suggests actions (A),
 *      implicit rewards (R) or both (RA) there (stage 2)
 *   4. refine the policy with PPO through the seams for the same number of env steps as every other
 *      variant (ULTRA's own rollouts count against its budget):
 *        "ppo"      continued PPO at the refinement (lower) learning rate, no guide
 *        "random"   random critical states, as many as ULTRA-RA found, modulated like RA
 *        "ultra-A", "ultra-R", "ultra-RA"
 *   5. evaluate each refined policy on the same evaluation seeds (paired comparison); the curves record
 *      evaluations during refinement.
 */
import type { LlmClient } from "../../llm/types.js";
import type { EnvDescription } from "../../core/env.js";
import { make } from "../../envs/index.js";
import type { PPO } from "../../algos/ppo.js";
import {
  actionSpecOf, collectEpisodes, CriticalStateTable, fitNormalizer, identifyCriticalStates, modulateCriticalStates,
  randomCriticalStates, UltraGuide, type CriticalState, type Episode, type UltraExchange, type UltraMode,
} from "../../guides/ultra/index.js";
import type { UltraBudgetConfig, UltraEnvConfig } from "./configs.js";
import { evaluateBatched, meanStd } from "./evaluate.js";
import { ppoFromPolicyFile, type PolicyFile } from "./policy-file.js";

export type UltraVariant = "none" | "ppo" | "random" | "ultra-A" | "ultra-R" | "ultra-RA";
export const ULTRA_VARIANTS: readonly UltraVariant[] = ["none", "ppo", "random", "ultra-A", "ultra-R", "ultra-RA"];

export interface UltraRunOptions {
  env: UltraEnvConfig;
  budget: UltraBudgetConfig;
  llm: LlmClient;
  startPolicy: PolicyFile;
  variants?: readonly UltraVariant[];
  /** One line per finished piece of work (progress display). */
  onProgress?: (message: string) => void;
}

/** One (seed, variant) result. */
export interface UltraRunRow {
  seed: number;
  variant: UltraVariant;
  /** Mean return of the final evaluation, and its spread over the evaluation episodes. */
  finalReturn: number;
  finalStd: number;
  /** Env steps used: refinement plus, for the LLM-guided and random variants, the recorded rollouts. */
  envSteps: number;
  criticalStates: number;
  /** Fraction of refinement steps whose action the guide overrode / whose reward it changed / that got an imitation target. */
  overrideRate: number;
  rewardedRate: number;
  imitationRate: number;
  /** Among the steps that got an imitation target (over the whole refinement), the fraction where the policy already took the suggested action. */
  suggestionFollowedRate: number;
}

export interface UltraCurvePoint {
  seed: number;
  variant: UltraVariant;
  envSteps: number;
  meanReturn: number;
}

export interface UltraSeedArtifacts {
  seed: number;
  episodes: Episode[];
  /** ULTRA-RA's critical states with rationale, suggested action and implicit reward. */
  criticalStates: CriticalState[];
  randomStates: CriticalState[];
  transcript: UltraExchange[];
}

export interface UltraSummaryRow {
  variant: UltraVariant;
  seeds: number;
  meanReturn: number;
  stdReturn: number;
  /** Paired with the starting policy on each seed's evaluation episodes. */
  meanImprovement: number;
  stdImprovement: number;
}

export interface UltraResult {
  env: string;
  envId: string;
  llm: { provider: string; model: string };
  budget: UltraBudgetConfig;
  /** The guide settings every guided variant used (matching radius, seam weights, action modulation). */
  guide: UltraEnvConfig["guide"];
  rows: UltraRunRow[];
  curves: UltraCurvePoint[];
  summary: UltraSummaryRow[];
  artifacts: UltraSeedArtifacts[];
}

const MODE: Record<string, UltraMode> = { "ultra-A": "A", "ultra-R": "R", "ultra-RA": "RA", random: "RA" };

/** Runs the protocol for every seed and variant; see the module comment. */
export async function runUltraExperiment(opts: UltraRunOptions): Promise<UltraResult> {
  const { env: cfg, budget: b, llm, startPolicy } = opts;
  const variants = opts.variants ?? ULTRA_VARIANTS;
  const say = opts.onProgress ?? (() => {});
  const probe = make(cfg.envId, { ...cfg.envKwargs });
  const description: EnvDescription = probe.spec!.describe();
  probe.close();
  const spec = actionSpecOf(description);
  const rows: UltraRunRow[] = [];
  const curves: UltraCurvePoint[] = [];
  const artifacts: UltraSeedArtifacts[] = [];

  for (const seed of b.seeds) {
    const evalSeed = 100_000 + 1000 * seed;
    const evaluate = (model: PPO) => evaluateBatched((o) => model.predict(o, cfg.evalDeterministic), cfg.envId, cfg.envKwargs, { episodes: b.evalEpisodes, seed: evalSeed });

    // 1-2. the starting policy: evaluation and recorded episodes
    const start = ppoFromPolicyFile(startPolicy, { ...cfg.refine.options, seed }, 1);
    const startEval = evaluate(start);
    const env = make(cfg.envId, { ...cfg.envKwargs });
    const episodes = collectEpisodes(env, (o) => {
      const a = start.predict(o, cfg.evalDeterministic); // the policy as it is evaluated
      return spec.kind === "discrete" ? a[0]! : a;
    }, { episodes: b.rolloutEpisodes, maxSteps: b.rolloutMaxSteps, seed: 50_000 + 1000 * seed });
    env.close();
    start.close();
    const rolloutSteps = episodes.reduce((s, ep) => s + ep.obs.length, 0);
    say(`seed ${seed}: starting policy ${startEval.mean.toFixed(2)} ± ${startEval.std.toFixed(2)}; recorded ${episodes.length} episodes (${rolloutSteps} steps)`);
    if (variants.includes("none")) {
      rows.push({ seed, variant: "none", finalReturn: startEval.mean, finalStd: startEval.std, envSteps: 0, criticalStates: 0, overrideRate: 0, rewardedRate: 0, imitationRate: 0, suggestionFollowedRate: 0 });
    }

    // 3. the LLM: critical states once, then the modulation each variant asks for
    const needsLlm = variants.some((v) => v in MODE);
    const transcript: UltraExchange[] = [];
    const tables: Partial<Record<UltraVariant, CriticalStateTable<CriticalState>>> = {};
    let raStates: CriticalState[] = [];
    let randomStates: CriticalState[] = [];
    if (needsLlm) {
      const found = await identifyCriticalStates({
        llm, description, episodes, length: cfg.llm.segmentLength, maxSegments: cfg.llm.maxSegments,
        maxCriticalPerSegment: cfg.llm.maxCriticalPerSegment, prompt: { text: { stride: cfg.llm.stride } },
      });
      transcript.push(...found.transcript);
      const normalizer = fitNormalizer(episodes.flatMap((ep) => ep.obs));
      const modulated: Partial<Record<UltraMode, CriticalState[]>> = {};
      for (const mode of ["A", "R", "RA"] as const) {
        if (!variants.includes(`ultra-${mode}`) && !(mode === "RA" && variants.includes("random"))) continue;
        const m = await modulateCriticalStates(found.criticalStates, { llm, description, mode, actionSpec: spec, prompt: { text: { stride: cfg.llm.stride } } });
        transcript.push(...m.transcript);
        modulated[mode] = m.criticalStates;
      }
      raStates = modulated.RA ?? [];
      for (const mode of ["A", "R", "RA"] as const) {
        if (modulated[mode]) tables[`ultra-${mode}`] = new CriticalStateTable(modulated[mode]!, normalizer, cfg.guide.radius);
      }
      if (variants.includes("random")) {
        const count = Math.max(1, raStates.length);
        const m = await modulateCriticalStates(randomCriticalStates(episodes, count, seed), { llm, description, mode: "RA", actionSpec: spec, prompt: { text: { stride: cfg.llm.stride } } });
        transcript.push(...m.transcript);
        randomStates = m.criticalStates;
        tables.random = new CriticalStateTable(randomStates, normalizer, cfg.guide.radius);
      }
      say(`seed ${seed}: ${found.criticalStates.length} critical states from ${found.segments.length} segments (${llm.provider === "surrogate" ? "surrogate" : llm.model})`);
    }
    artifacts.push({ seed, episodes, criticalStates: raStates, randomStates, transcript });

    // 4-5. refinement, equal env steps
    for (const variant of variants) {
      if (variant === "none") continue;
      const table = tables[variant];
      const guided = variant !== "ppo";
      if (guided && !table) throw new Error(`ULTRA: no critical-state table for ${variant}`);
      const guide = table
        ? new UltraGuide({
          table, mode: MODE[variant]!, actionSpec: spec, rewardScale: cfg.guide.rewardScale, actionModulation: cfg.guide.actionModulation,
          imitationCoef: cfg.guide.imitationCoef, overrideProbability: cfg.guide.overrideProbability, seed, name: variant,
        })
        : undefined;
      const offset = guided ? rolloutSteps : 0;
      const model = ppoFromPolicyFile(startPolicy, { ...cfg.refine.options, seed, guide }, cfg.refine.numEnvs);
      // Whole PPO phases: continued PPO gets as many as fit in the budget; a guided variant gets as many as
      // fit in that after its recorded rollouts, so it never uses more env steps than continued PPO.
      const phase = model.nSteps * model.numEnvs;
      const baselineSteps = Math.max(phase, Math.floor(b.envSteps / phase) * phase);
      const refineSteps = Math.floor((baselineSteps - offset) / phase) * phase;
      if (refineSteps < phase) {
        throw new Error(`ULTRA: a budget of ${b.envSteps} env steps leaves no whole PPO phase (${phase} steps) after ${offset} rollout steps; raise envSteps`);
      }
      curves.push({ seed, variant, envSteps: offset, meanReturn: startEval.mean });
      let nextEval = b.evalEvery;
      let lastGuideMetrics: Record<string, number> = {};
      await model.learn({
        totalTimesteps: refineSteps,
        callback: (p) => {
          lastGuideMetrics = p.guideMetrics ?? lastGuideMetrics;
          if (p.numTimesteps >= nextEval && p.numTimesteps < refineSteps) {
            curves.push({ seed, variant, envSteps: offset + p.numTimesteps, meanReturn: evaluate(model).mean });
            while (nextEval <= p.numTimesteps) nextEval += b.evalEvery;
          }
        },
      });
      const final = evaluate(model);
      curves.push({ seed, variant, envSteps: offset + model.numTimesteps, meanReturn: final.mean });
      rows.push({
        seed, variant, finalReturn: final.mean, finalStd: final.std, envSteps: offset + model.numTimesteps,
        criticalStates: table?.size ?? 0,
        overrideRate: lastGuideMetrics["ultra/override_rate"] ?? 0,
        rewardedRate: lastGuideMetrics["ultra/rewarded_rate"] ?? 0,
        imitationRate: lastGuideMetrics["ultra/imitation_rate"] ?? 0,
        suggestionFollowedRate: lastGuideMetrics["ultra/suggestion_followed_rate"] ?? 0,
      });
      model.close();
      say(`seed ${seed}: ${variant} -> ${final.mean.toFixed(2)} ± ${final.std.toFixed(2)} after ${offset + model.numTimesteps} env steps`);
    }
  }
  return {
    env: cfg.name, envId: cfg.envId, llm: { provider: llm.provider, model: llm.model }, budget: b, guide: cfg.guide,
    rows, curves, summary: summarize(rows, variants), artifacts,
  };
}

/** Mean ± std over seeds per variant, and the paired improvement over the starting policy. */
export function summarize(rows: UltraRunRow[], variants: readonly UltraVariant[] = ULTRA_VARIANTS): UltraSummaryRow[] {
  const out: UltraSummaryRow[] = [];
  for (const variant of variants) {
    const mine = rows.filter((r) => r.variant === variant);
    if (mine.length === 0) continue;
    const base = new Map(rows.filter((r) => r.variant === "none").map((r) => [r.seed, r.finalReturn]));
    const improvements = mine.filter((r) => base.has(r.seed)).map((r) => r.finalReturn - base.get(r.seed)!);
    const ret = meanStd(mine.map((r) => r.finalReturn));
    const imp = meanStd(improvements);
    out.push({ variant, seeds: mine.length, meanReturn: ret.mean, stdReturn: ret.std, meanImprovement: imp.mean, stdImprovement: imp.std });
  }
  return out;
}
