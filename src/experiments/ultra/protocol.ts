/**
 * The ULTRA protocol (arXiv 2505.20671) on one environment, against the automated-refinement baselines,
 * per seed:
 *
 *   1. evaluate the sub-optimal starting policy                                      -> row "none"
 *   2. record `rolloutSteps` env steps of it (the analysis data; with the env's saved states when it can
 *      restore them)
 *   3. analysis, by the rows that need it:
 *        LLM:   marks critical states (stage 1), then suggests actions (A), implicit rewards (R) or both
 *               (RA) there (stage 2);
 *        mask:  a StateMask-style mask network trains for `maskSteps` env steps; its highest-P(keep) steps
 *               of the recorded episodes are the critical states, as many as the LLM found;
 *        random: as many recorded steps drawn uniformly, modulated by the LLM like ULTRA-RA
 *   4. refine with PPO so that every row ends at exactly `envSteps` env steps, analysis included:
 *        "ppo"                     continued PPO at the refinement learning rate, no guide
 *        "random"                  the paper's ULTRA-RA on random critical states
 *        "statemask"               StateMask-R: every episode restarts from a mask-network critical state
 *        "rice"                    RICE: restarts with probability p (default initial states otherwise)
 *                                  plus a random-network-distillation bonus
 *        "ultra-A" / "-R" / "-RA"  the paper's form: at matched states the LLM's action is executed
 *                                  (always) and/or its implicit reward is added; elsewhere the agent's own
 *        "ultra-A-imitation", "ultra-RA-imitation"   our variant: the advice as a supervised term
 *   5. evaluate each refined policy on the same evaluation seeds (paired comparison); curves record
 *      evaluations during refinement.
 */
import type { LlmClient } from "../../llm/types.js";
import type { Env, EnvDescription } from "../../core/env.js";
import { make } from "../../envs/index.js";
import type { PPO } from "../../algos/ppo.js";
import type { Guide } from "../../algos/seams.js";
import {
  actionSpecOf, collectEpisodes, CriticalStateTable, fitNormalizer, identifyCriticalStates, modulateCriticalStates,
  randomCriticalStates, UltraGuide, type CriticalState, type Episode, type UltraExchange, type UltraMode,
} from "../../guides/ultra/index.js";
import type { UltraBudget, UltraEnvPreset } from "./presets.js";
import { evaluatePolicy, type Predictor } from "../../algos/evaluate.js";
import { meanCi, meanStd, type Interval } from "../../report/stats.js";
import { ppoFromPolicyFile, type PolicyFile } from "./policy-file.js";
import { RestartWrapper, restorableOf, type StartState } from "./restart.js";
import { RndBonus } from "./rnd.js";
import { maskCriticalStates, trainMaskNetwork } from "./statemask.js";

export type UltraVariant =
  | "none" | "ppo" | "random" | "statemask" | "rice"
  | "ultra-A" | "ultra-R" | "ultra-RA" | "ultra-A-imitation" | "ultra-RA-imitation";

/** What a row is: where its critical states come from and how they reach the refinement. */
export interface UltraRowSpec {
  label: string;
  states: "none" | "llm" | "random" | "mask";
  /** LLM modulation the row uses. */
  mode?: UltraMode;
  /** "paper": executed actions / implicit reward at every matched state; "imitation": our variant. */
  form?: "paper" | "imitation";
  /** Restarts from the critical states: always (StateMask-R) or mixed with the default initial states (RICE). */
  restart?: "always" | "mixed";
  rnd?: boolean;
}

export const ULTRA_ROWS: Readonly<Record<UltraVariant, UltraRowSpec>> = {
  none: { label: "no refinement (starting policy)", states: "none" },
  ppo: { label: "continued PPO", states: "none" },
  random: { label: "random critical states (ULTRA-RA on them)", states: "random", mode: "RA", form: "paper" },
  statemask: { label: "StateMask-R (restart from mask critical states)", states: "mask", restart: "always" },
  rice: { label: "RICE (mixed restarts + RND)", states: "mask", restart: "mixed", rnd: true },
  "ultra-A": { label: "ULTRA-A", states: "llm", mode: "A", form: "paper" },
  "ultra-R": { label: "ULTRA-R", states: "llm", mode: "R", form: "paper" },
  "ultra-RA": { label: "ULTRA-RA", states: "llm", mode: "RA", form: "paper" },
  "ultra-A-imitation": { label: "ULTRA-A (imitation)", states: "llm", mode: "A", form: "imitation" },
  "ultra-RA-imitation": { label: "ULTRA-RA (imitation)", states: "llm", mode: "RA", form: "imitation" },
};

export const ULTRA_VARIANTS: readonly UltraVariant[] = Object.keys(ULTRA_ROWS) as UltraVariant[];

export interface UltraRunOptions {
  env: UltraEnvPreset;
  budget: UltraBudget;
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
  /** Env steps used: analysis (recorded rollouts, mask training) plus refinement. */
  envSteps: number;
  /** Of which analysis. */
  analysisSteps: number;
  criticalStates: number;
  /** LLM calls whose answer could not be used, for the critical states this row used (0 for rows without the LLM). */
  failedCalls: number;
  /** Fraction of refinement steps whose action the guide overrode / whose reward it changed / that got an imitation target. */
  overrideRate: number;
  rewardedRate: number;
  imitationRate: number;
  /** Among the steps that got an imitation target, the fraction where the policy already took the suggested action. */
  suggestionFollowedRate: number;
  /** Fraction of resets that restored a critical state (StateMask-R, RICE). */
  restartRate: number;
  /**
   * Mean log pi(suggested | s) over the row's critical states, under the starting and the refined policy
   * (NaN for rows without suggestions): whether the refinement moved the policy toward the advice.
   */
  adviceLogProbStart: number;
  adviceLogProbEnd: number;
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
  /** The mask network's critical states (StateMask-R, RICE). */
  maskStates: CriticalState[];
  transcript: UltraExchange[];
}

export interface UltraSummaryRow {
  variant: UltraVariant;
  seeds: number;
  meanReturn: number;
  stdReturn: number;
  /** Mean final return over seeds with its 95% percentile-bootstrap interval. */
  returnCi: Interval;
  /** Paired with the starting policy on each seed's evaluation episodes (mean, std, 95% bootstrap interval). */
  meanImprovement: number;
  stdImprovement: number;
  improvementCi: Interval;
}

export interface UltraResult {
  env: string;
  envId: string;
  llm: { provider: string; model: string };
  budget: UltraBudget;
  /** The seams' settings every guided row used. */
  guide: UltraEnvPreset["guide"];
  rows: UltraRunRow[];
  curves: UltraCurvePoint[];
  summary: UltraSummaryRow[];
  artifacts: UltraSeedArtifacts[];
}

/** Records the env's saved state before every step, for envs that can restore it. */
class StateRecorder implements Env<Float32Array, unknown> {
  readonly observationSpace;
  readonly actionSpace;
  readonly spec;
  states: unknown[] = [];
  constructor(private readonly env: Env<Float32Array, unknown>, private readonly target: { getState(): unknown }) {
    this.observationSpace = env.observationSpace;
    this.actionSpace = env.actionSpace;
    this.spec = env.spec;
  }
  reset(opts?: { seed?: number }) {
    const res = this.env.reset(opts);
    this.states = [structuredClone(this.target.getState())];
    return res;
  }
  step(action: unknown) {
    const res = this.env.step(action);
    this.states.push(structuredClone(this.target.getState()));
    return res;
  }
  close(): void {
    this.env.close();
  }
}

/**
 * Exactly `steps` env steps of `policy`: episodes reset with seeds `seed`, `seed + 1`, ..., each cut at
 * `maxEpisodeSteps`, the last one cut where the budget ends. Keeps the env's states when it can restore them.
 */
export function recordSteps(env: Env<Float32Array, unknown>, policy: Predictor, opts: { steps: number; maxEpisodeSteps: number; seed: number; deterministic?: boolean }): Episode[] {
  const target = restorableOf(env);
  const recorder = target ? new StateRecorder(env, target) : undefined;
  const episodes: Episode[] = [];
  let total = 0;
  for (let e = 0; total < opts.steps; e++) {
    const maxSteps = Math.min(opts.maxEpisodeSteps, opts.steps - total);
    const [ep] = collectEpisodes(recorder ?? env, policy, { episodes: 1, maxSteps, seed: opts.seed + e, deterministic: opts.deterministic ?? true });
    if (recorder) ep!.states = recorder.states.slice(0, ep!.obs.length);
    total += ep!.obs.length;
    episodes.push(ep!);
  }
  return episodes;
}

/** Mean log pi(suggested | s) over the states that carry a suggestion (NaN when none do). */
export function adviceLogProb(model: PPO, states: readonly CriticalState[]): number {
  const advised = states.filter((s) => s.suggestedAction !== undefined);
  const n = advised.length;
  if (n === 0) return NaN;
  const dim = model.obsDim;
  const actDim = typeof advised[0]!.suggestedAction === "number" ? 1 : (advised[0]!.suggestedAction as Float32Array).length;
  const obs = new Float32Array(n * dim);
  const actions = new Float32Array(n * actDim);
  advised.forEach((s, i) => {
    obs.set(s.obs, i * dim);
    const a = s.suggestedAction!;
    if (typeof a === "number") actions[i] = a;
    else actions.set(a, i * actDim);
  });
  const x = model.normalizer ? model.normalizer.normalizeObs(obs, n) : obs;
  const lp = new Float32Array(n);
  model.policy.logProbOf(x, actions, n, lp);
  return lp.reduce((s, v) => s + v, 0) / n;
}

/** LLM calls whose answer could not be used at all. */
function failedCount(exchanges: readonly UltraExchange[]): number {
  return exchanges.filter((e) => e.error !== undefined).length;
}

/** Runs the protocol for every seed and variant; see the module comment. */
export async function runUltraExperiment(opts: UltraRunOptions): Promise<UltraResult> {
  const { env: cfg, budget: b, llm, startPolicy } = opts;
  const variants = opts.variants ?? ULTRA_VARIANTS;
  for (const v of variants) if (!ULTRA_ROWS[v]) throw new Error(`ULTRA: unknown variant "${v}" (${ULTRA_VARIANTS.join(", ")})`);
  const say = opts.onProgress ?? (() => {});
  const probe = make(cfg.envId, { ...cfg.envKwargs });
  const description: EnvDescription = probe.spec!.describe();
  const canRestore = restorableOf(probe) !== undefined;
  probe.close();
  const needs = (s: UltraRowSpec["states"]) => variants.some((v) => ULTRA_ROWS[v].states === s);
  if (needs("mask") && !canRestore) throw new Error(`ULTRA: the StateMask-R and RICE rows restart episodes from recorded states, but ${cfg.envId} cannot save and restore its state; leave them out with --variants`);
  if (needs("mask") && !(b.maskSteps > 0)) throw new Error("ULTRA: the StateMask-R and RICE rows need maskSteps > 0 in the budget");
  const spec = actionSpecOf(description);
  const rows: UltraRunRow[] = [];
  const curves: UltraCurvePoint[] = [];
  const artifacts: UltraSeedArtifacts[] = [];
  const llmStages = variants.some((v) => ["llm", "random"].includes(ULTRA_ROWS[v].states));
  const who = llm.provider === "surrogate" ? "surrogate" : llm.model;

  for (const seed of b.seeds) {
    const evalSeed = 100_000 + 1000 * seed;
    const evalEnvs = Array.from({ length: b.evalEpisodes }, () => make(cfg.envId, { ...cfg.envKwargs, disableEnvChecker: true }));
    const evaluate = (model: PPO) => {
      const r = evaluatePolicy(model, evalEnvs, { nEvalEpisodes: b.evalEpisodes, deterministic: cfg.evalDeterministic, seed: evalSeed });
      return { mean: r.meanReturn, std: r.stdReturn };
    };

    // 1-2. the starting policy: evaluation and the recorded analysis steps
    const start = ppoFromPolicyFile(startPolicy, { ...cfg.refine.options, seed }, 1);
    const startEval = evaluate(start);
    const env = make(cfg.envId, { ...cfg.envKwargs }) as Env<Float32Array, unknown>;
    // The policy as it is evaluated.
    const episodes = recordSteps(env, start, { deterministic: cfg.evalDeterministic, steps: b.rolloutSteps, maxEpisodeSteps: b.rolloutMaxSteps, seed: 50_000 + 1000 * seed });
    env.close();
    say(`seed ${seed}: starting policy ${startEval.mean.toFixed(2)} ± ${startEval.std.toFixed(2)}; recorded ${episodes.length} episodes (${b.rolloutSteps} steps)`);
    if (variants.includes("none")) {
      rows.push({
        seed, variant: "none", finalReturn: startEval.mean, finalStd: startEval.std, envSteps: 0, analysisSteps: 0, criticalStates: 0, failedCalls: 0,
        overrideRate: 0, rewardedRate: 0, imitationRate: 0, suggestionFollowedRate: 0, restartRate: 0, adviceLogProbStart: NaN, adviceLogProbEnd: NaN,
      });
    }

    // 3. analysis: the LLM's critical states and modulations, random states, the mask network's states
    const stage1: UltraExchange[] = [];
    const stage2: Partial<Record<UltraMode | "random", UltraExchange[]>> = {};
    const modulated: Partial<Record<UltraMode, CriticalState[]>> = {};
    let llmCount = 0;
    let randomStates: CriticalState[] = [];
    let maskStates: CriticalState[] = [];
    const normalizer = fitNormalizer(episodes.flatMap((ep) => ep.obs));
    if (llmStages) {
      const found = await identifyCriticalStates({
        llm, description, episodes, length: cfg.llm.segmentLength, maxSegments: cfg.llm.maxSegments,
        maxCriticalPerSegment: cfg.llm.maxCriticalPerSegment, prompt: { text: { stride: cfg.llm.stride } },
      });
      stage1.push(...found.transcript);
      llmCount = found.criticalStates.length;
      const modes = new Set(variants.filter((v) => ULTRA_ROWS[v].states === "llm" || ULTRA_ROWS[v].states === "random").map((v) => ULTRA_ROWS[v].mode!));
      for (const mode of ["A", "R", "RA"] as const) {
        if (!modes.has(mode)) continue;
        const m = await modulateCriticalStates(found.criticalStates, { llm, description, mode, actionSpec: spec, prompt: { text: { stride: cfg.llm.stride } } });
        stage2[mode] = m.transcript;
        modulated[mode] = m.criticalStates;
      }
      if (variants.includes("random")) {
        const count = Math.max(1, modulated.RA?.length ?? llmCount);
        const m = await modulateCriticalStates(randomCriticalStates(episodes, count, seed), { llm, description, mode: "RA", actionSpec: spec, prompt: { text: { stride: cfg.llm.stride } } });
        stage2.random = m.transcript;
        randomStates = m.criticalStates;
      }
      say(`seed ${seed}: ${llmCount} critical states from ${found.segments.length} segments (${who}); ${failedCount([...stage1, ...Object.values(stage2).flat()])} failed calls`);
    }
    if (needs("mask")) {
      const count = llmStages ? Math.max(1, llmCount) : cfg.llm.maxSegments * cfg.llm.maxCriticalPerSegment;
      const mask = await trainMaskNetwork({
        makeEnv: () => make(cfg.envId, { ...cfg.envKwargs }) as Env<Float32Array, unknown>, agent: { predict: (o) => start.predict(o, cfg.evalDeterministic) }, steps: b.maskSteps,
        numEnvs: cfg.mask.numEnvs, blindBonus: cfg.mask.blindBonus, options: cfg.mask.options, seed,
      });
      maskStates = maskCriticalStates(episodes, mask, count);
      mask.close();
      say(`seed ${seed}: mask network trained for ${b.maskSteps} env steps; its ${maskStates.length} critical states (as many as the ${llmStages ? who : "preset's maximum"})`);
    }
    const transcript = [...stage1, ...Object.values(stage2).flat()];
    artifacts.push({ seed, episodes, criticalStates: modulated.RA ?? modulated.A ?? modulated.R ?? [], randomStates, maskStates, transcript });

    // 4-5. refinement: every row ends at exactly b.envSteps env steps
    for (const variant of variants) {
      if (variant === "none") continue;
      const row = ULTRA_ROWS[variant];
      const analysisSteps = row.states === "none" ? 0 : b.rolloutSteps + (row.states === "mask" ? b.maskSteps : 0);
      const states = row.states === "llm" ? modulated[row.mode!]! : row.states === "random" ? randomStates : row.states === "mask" ? maskStates : [];
      let guide: Guide | undefined;
      if (row.states === "llm" || row.states === "random") {
        const table = new CriticalStateTable(states, normalizer, cfg.guide.radius);
        guide = new UltraGuide({
          table, mode: row.mode!, actionSpec: spec, rewardScale: cfg.guide.rewardScale, seed, name: variant,
          ...(row.form === "imitation"
            ? { actionModulation: "imitation", imitationCoef: cfg.guide.imitationCoef, implicitReward: "judged-action" }
            : { actionModulation: "override", overrideProbability: 1, implicitReward: "state" }),
        });
      }
      if (row.rnd) guide = new RndBonus({ obsDim: start.obsDim, coef: cfg.rice.rndCoef, seed });
      const starts: StartState[] = states.map((s) => ({ state: episodes[s.episode]!.states![s.step], obs: s.obs }));
      const wrappers: RestartWrapper[] = [];
      const wrap = row.restart
        ? (e: Env, i: number) => {
          const w = new RestartWrapper(e as Env<Float32Array, unknown>, { states: starts, probability: row.restart === "always" ? 1 : cfg.rice.restartProbability, seed: seed * 1000 + i });
          wrappers.push(w);
          return w;
        }
        : undefined;
      const model = ppoFromPolicyFile(startPolicy, { ...cfg.refine.options, seed, guide }, cfg.refine.numEnvs, wrap);
      const phase = model.nSteps * model.numEnvs;
      const refineSteps = b.envSteps - analysisSteps;
      if (refineSteps < phase || refineSteps % phase !== 0 || b.envSteps % phase !== 0) {
        throw new Error(
          `ULTRA: envSteps (${b.envSteps}) minus the ${variant} row's analysis (${analysisSteps} = rolloutSteps${row.states === "mask" ? " + maskSteps" : ""}) ` +
          `must leave a positive whole number of PPO phases of ${phase} (nSteps x numEnvs); adjust the budget`,
        );
      }
      curves.push({ seed, variant, envSteps: analysisSteps, meanReturn: startEval.mean });
      let nextEval = b.evalEvery;
      let lastGuideMetrics: Record<string, number> = {};
      await model.learn({
        totalTimesteps: refineSteps,
        callback: (p) => {
          lastGuideMetrics = p.guideMetrics ?? lastGuideMetrics;
          if (p.numTimesteps >= nextEval && p.numTimesteps < refineSteps) {
            curves.push({ seed, variant, envSteps: analysisSteps + p.numTimesteps, meanReturn: evaluate(model).mean });
            while (nextEval <= p.numTimesteps) nextEval += b.evalEvery;
          }
        },
      });
      const final = evaluate(model);
      const used = analysisSteps + model.numTimesteps;
      if (used !== b.envSteps) throw new Error(`ULTRA: ${variant} used ${used} env steps, not ${b.envSteps}`);
      curves.push({ seed, variant, envSteps: used, meanReturn: final.mean });
      const resets = wrappers.reduce((s, w) => s + w.resets, 0);
      rows.push({
        seed, variant, finalReturn: final.mean, finalStd: final.std, envSteps: used, analysisSteps,
        criticalStates: states.length,
        failedCalls: row.states === "llm" ? failedCount([...stage1, ...(stage2[row.mode!] ?? [])]) : row.states === "random" ? failedCount(stage2.random ?? []) : 0,
        overrideRate: lastGuideMetrics["ultra/override_rate"] ?? 0,
        rewardedRate: lastGuideMetrics["ultra/rewarded_rate"] ?? 0,
        imitationRate: lastGuideMetrics["ultra/imitation_rate"] ?? 0,
        suggestionFollowedRate: lastGuideMetrics["ultra/suggestion_followed_rate"] ?? 0,
        restartRate: resets > 0 ? wrappers.reduce((s, w) => s + w.restarts, 0) / resets : 0,
        adviceLogProbStart: adviceLogProb(start, states),
        adviceLogProbEnd: adviceLogProb(model, states),
      });
      model.close();
      say(`seed ${seed}: ${variant} -> ${final.mean.toFixed(2)} ± ${final.std.toFixed(2)} after ${used} env steps`);
    }
    start.close();
    for (const e of evalEnvs) e.close();
  }
  return {
    env: cfg.name, envId: cfg.envId, llm: { provider: llm.provider, model: llm.model }, budget: b, guide: cfg.guide,
    rows, curves, summary: summarize(rows, variants), artifacts,
  };
}

/** Per variant over seeds: mean ± std and the 95% bootstrap interval of the final return and of the paired improvement over the start. */
export function summarize(rows: UltraRunRow[], variants: readonly UltraVariant[] = ULTRA_VARIANTS): UltraSummaryRow[] {
  const out: UltraSummaryRow[] = [];
  for (const variant of variants) {
    const mine = rows.filter((r) => r.variant === variant);
    if (mine.length === 0) continue;
    const base = new Map(rows.filter((r) => r.variant === "none").map((r) => [r.seed, r.finalReturn]));
    const improvements = mine.filter((r) => base.has(r.seed)).map((r) => r.finalReturn - base.get(r.seed)!);
    const ret = meanStd(mine.map((r) => r.finalReturn));
    const imp = meanStd(improvements);
    out.push({
      variant, seeds: mine.length, meanReturn: ret.mean, stdReturn: ret.std, returnCi: meanCi(mine.map((r) => r.finalReturn)),
      meanImprovement: imp.mean, stdImprovement: imp.std, improvementCi: meanCi(improvements),
    });
  }
  return out;
}
