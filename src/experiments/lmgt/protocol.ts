/**
 * The LMGT protocol (arXiv 2409.04744, reproduced; the paper has no public code):
 *
 *  - main:         baseline vs LMGT for each algorithm of each environment, several seeds, the return at
 *                  fixed step budgets (the sample-efficiency table); one LMGT arm per method preset run:
 *                  "lmgt" (the paper's form: every pair asked) and/or "lmgt-efficient" (ours: bucket cache);
 *  - prompt-style: zero-shot vs chain-of-thought vs few-shot, one algorithm;
 *  - quality:      the model-quality ablation (surrogate knob: full / good / small / chance);
 *  - cost:         LLM calls per 1000 env steps for per-step querying, batching only, and batching + cache,
 *                  with the learning result each reached.
 *
 * Config in, tidy trial results out; tables and figures are in summary.ts.
 */
import type { Budget } from "../budget.js";
import type { LmgtPromptStyle } from "../../guides/lmgt/template.js";
import { LMGT_PROMPT_STYLES } from "../../guides/lmgt/template.js";
import { LMGT_QUALITY_LEVELS, FULL_QUALITY } from "../../guides/lmgt/surrogate/handler.js";
import { lmgtPreset, type LmgtAlgoName, type LmgtEnvName, type LmgtMethodName, type LmgtShiftOption } from "./presets.js";
import { runLmgtTrial, type LmgtGuideSettings, type LmgtLlmSettings, type LmgtTrialResult, type LmgtTrialSpec } from "./trial.js";

export type LmgtExperimentName = "main" | "prompt-style" | "quality" | "cost";
export const LMGT_EXPERIMENTS: readonly LmgtExperimentName[] = ["main", "prompt-style", "quality", "cost"];

export interface LmgtProtocolOptions {
  envs: LmgtEnvName[];
  budget: Budget;
  /** Which parts to run; default all. */
  experiments?: LmgtExperimentName[];
  /** Seeds of the main comparison (default: the budget's). */
  seeds?: number;
  /** Algorithms of the main comparison (default: the budget's, else the env's). */
  algos?: LmgtAlgoName[];
  /**
   * Method presets of the LMGT arm (default ["efficient"]): "paper" asks every transition's pair, "efficient"
   * asks once per bucket. The ablations use the first one listed.
   */
  methods?: LmgtMethodName[];
  /** A shift scale other than the paper's 1, with its reason (labels every guided row "lambda=<scale>"). */
  shift?: LmgtShiftOption;
  /** Default the offline surrogate. */
  llm?: LmgtLlmSettings;
  /** Quality levels of the quality ablation (names of LMGT_QUALITY_LEVELS). */
  qualityLevels?: string[];
  promptStyles?: LmgtPromptStyle[];
  /** Results of earlier calls: identical runs among them are reused instead of run again. */
  previous?: readonly LmgtTrialResult[];
  /** Runs only the trials it accepts (a shard's share of the run list); the others are left out of the results. */
  select?: (spec: LmgtTrialSpec) => boolean;
  /** Called after every trial (progress output). */
  onTrial?: (result: LmgtTrialResult, done: number, total: number) => void;
}

/**
 * The guide settings of a method preset for an env: zero-shot, every step, full quality, lambda = 1, and
 * "paper": every pair asked (batched, no cache) / "efficient": the env's bucket cache.
 */
export function defaultGuideSettings(env: LmgtEnvName, method: LmgtMethodName = "efficient", shift?: LmgtShiftOption): LmgtGuideSettings {
  const preset = lmgtPreset(env);
  if (shift) checkShift(shift);
  return {
    promptStyle: "zero-shot",
    pairsPerCall: preset.guide.pairsPerCall,
    cache: method === "paper" ? false : preset.guide.cache,
    schedule: { kind: "every" },
    shiftScale: shift?.scale ?? 1,
    quality: FULL_QUALITY,
  };
}

function checkShift(shift: LmgtShiftOption): void {
  if (!Number.isFinite(shift.scale)) throw new RangeError(`LMGT: shift scale must be a finite number, got ${shift.scale}`);
  if (shift.scale !== 1 && !shift.reason?.trim()) throw new Error("LMGT: a shift scale other than the paper's 1 needs a reason (shift.reason / --shift-reason)");
}

/** The main comparison's row id of a method's LMGT arm: the paper's name only for the paper's form. */
export function lmgtArmVariant(method: LmgtMethodName): string {
  return method === "paper" ? "lmgt" : "lmgt-efficient";
}

/** The step budgets a run is evaluated at: the budget's checkpoints and the paper's step counts within the run. */
export function lmgtCheckpoints(env: LmgtEnvName, budget: Budget): number[] {
  const preset = lmgtPreset(env);
  const b = preset.budgets[budget];
  const steps = new Set([...b.checkpoints, ...preset.paperSteps.filter((s) => s <= b.totalTimesteps)]);
  return [...steps].sort((x, y) => x - y);
}

/** Every trial the options ask for, in the order they run. */
export function planLmgtTrials(opts: LmgtProtocolOptions): LmgtTrialSpec[] {
  const experiments = opts.experiments ?? [...LMGT_EXPERIMENTS];
  const surrogate = (opts.llm?.provider ?? "surrogate") === "surrogate";
  const trials: LmgtTrialSpec[] = [];
  for (const env of opts.envs) {
    const preset = lmgtPreset(env);
    const b = preset.budgets[opts.budget];
    const base = { env, totalTimesteps: b.totalTimesteps, checkpoints: lmgtCheckpoints(env, opts.budget), evalEpisodes: b.evalEpisodes, ...(opts.llm ? { llm: opts.llm } : {}) };
    const methods = opts.methods ?? ["efficient"];
    if (methods.length === 0) throw new Error("LMGT: methods must name at least one preset (paper, efficient)");
    const lambda = opts.shift && opts.shift.scale !== 1 ? `, lambda=${opts.shift.scale}` : "";
    const guide = defaultGuideSettings(env, methods[0], opts.shift);
    const seeds = (n: number) => Array.from({ length: n }, (_, i) => i);
    if (experiments.includes("main")) {
      const algos = opts.algos ?? b.algos ?? preset.algos;
      for (const algo of algos) {
        if (!preset.algos.includes(algo)) continue;
        for (const seed of seeds(opts.seeds ?? b.seeds)) {
          trials.push({ ...base, algo, seed, experiment: "main", variant: "baseline" });
          for (const method of methods) {
            trials.push({ ...base, algo, seed, experiment: "main", variant: `${lmgtArmVariant(method)}${lambda}`, guide: defaultGuideSettings(env, method, opts.shift) });
          }
        }
      }
    }
    const algo = b.ablationAlgo;
    if (experiments.includes("prompt-style")) {
      for (const style of opts.promptStyles ?? LMGT_PROMPT_STYLES) {
        for (const seed of seeds(b.ablationSeeds)) trials.push({ ...base, algo, seed, experiment: "prompt-style", variant: style, guide: { ...guide, promptStyle: style } });
      }
    }
    // Model quality is a knob of the surrogate; a real provider is one model (run the CLI once per model).
    if (experiments.includes("quality") && surrogate) {
      for (const level of opts.qualityLevels ?? Object.keys(LMGT_QUALITY_LEVELS)) {
        const quality = LMGT_QUALITY_LEVELS[level];
        if (!quality) throw new Error(`LMGT: unknown quality level "${level}"; expected one of ${Object.keys(LMGT_QUALITY_LEVELS).join(", ")}`);
        for (const seed of seeds(b.ablationSeeds)) trials.push({ ...base, algo, seed, experiment: "quality", variant: level, guide: { ...guide, quality } });
      }
    }
    if (experiments.includes("cost")) {
      const efficient = defaultGuideSettings(env, "efficient", opts.shift);
      const arms: [string, Partial<LmgtGuideSettings>][] = [
        ["per-step", { pairsPerCall: 1, cache: false }],
        ["batched", { cache: false }],
        ["batched+cache", {}],
        ["batched+cache, p=0.25", { schedule: { kind: "probability", p: 0.25 } }],
        ["batched+cache, first 50%", { schedule: { kind: "first", steps: Math.floor(b.totalTimesteps / 2) } }],
        // Beyond the paper: a classifier trained on a sample of the LLM's labels scores the rest.
        ["distilled", { cache: false, distill: {} }],
      ];
      for (const [variant, change] of arms) {
        for (const seed of seeds(b.ablationSeeds)) trials.push({ ...base, algo, seed, experiment: "cost", variant, guide: { ...efficient, ...change } });
      }
    }
  }
  return trials;
}

/**
 * What makes two trials the same run: everything but their experiment and row labels, and where the LLM
 * transcript and cassette are (shards of one reproduction write to different folders).
 */
export function lmgtRunKey(spec: LmgtTrialSpec): string {
  const { experiment: _e, variant: _v, llm, ...rest } = spec;
  if (!llm) return JSON.stringify(rest);
  const { runDir: _dir, cassette: _cassette, ...who } = llm;
  return JSON.stringify({ ...rest, llm: who });
}

/**
 * Runs the planned trials one after the other. Runs are deterministic, so a trial whose settings equal an
 * earlier one's (e.g. the main LMGT arm and the ablations' full-quality, zero-shot, batched+cache cells)
 * reuses that run's result under its own labels (`sharedWith` says which).
 */
export async function runLmgtProtocol(opts: LmgtProtocolOptions): Promise<LmgtTrialResult[]> {
  const trials = planLmgtTrials(opts).filter((spec) => opts.select?.(spec) ?? true);
  const results: LmgtTrialResult[] = [];
  const byKey = new Map<string, LmgtTrialResult>();
  for (const r of opts.previous ?? []) if (!r.sharedWith && !byKey.has(lmgtRunKey(r.spec))) byKey.set(lmgtRunKey(r.spec), r);
  for (const spec of trials) {
    const key = lmgtRunKey(spec);
    const earlier = byKey.get(key);
    const sameLabels = earlier !== undefined && earlier.spec.experiment === spec.experiment && earlier.spec.variant === spec.variant;
    const result = earlier
      ? sameLabels
        ? earlier
        : { ...earlier, spec, sharedWith: `${earlier.spec.experiment}/${earlier.spec.variant}`, wallSeconds: 0 }
      : await runLmgtTrial(spec);
    if (!earlier) byKey.set(key, result);
    results.push(result);
    opts.onTrial?.(result, results.length, trials.length);
  }
  return results;
}
