/**
 * One training run of the protocol: an algorithm on an environment, with or without the LMGT guide,
 * evaluated at fixed step budgets. Returns tidy numbers (no files): the caller decides what to save.
 */
import { make } from "../../envs/index.js";
import type { Env } from "../../core/env.js";
import type { TrainingProgress } from "../../algos/callbacks.js";
import { createLlm, type LlmProviderName } from "../../llm/create.js";
import type { LlmClient } from "../../llm/types.js";
import { LmgtGuide } from "../../guides/lmgt/guide.js";
import type { BucketSpec } from "../../guides/lmgt/cache.js";
import type { DistillOptions } from "../../guides/lmgt/distill.js";
import type { QuerySchedule } from "../../guides/lmgt/schedule.js";
import type { LmgtStatsSnapshot } from "../../guides/lmgt/stats.js";
import type { LmgtPromptStyle } from "../../guides/lmgt/template.js";
import type { LmgtSurrogateQuality } from "../../guides/lmgt/surrogate/handler.js";
import { sharedCassetteCache, type SharedCassette } from "../shards.js";
import { createLmgtModel } from "./algos.js";
import { evaluatePolicy } from "../../algos/evaluate.js";
import { FlattenObservation } from "../../envs/wrappers/flatten-observation.js";
import { lmgtPreset, type LmgtAlgoName, type LmgtEnvName } from "./presets.js";

/** How the guide of a trial is set up. */
export interface LmgtGuideSettings {
  promptStyle: LmgtPromptStyle;
  pairsPerCall: number;
  cache: BucketSpec | false;
  /** The distilled scorer (beyond the paper; replaces the cache). Absent: none. */
  distill?: DistillOptions;
  schedule: QuerySchedule;
  shiftScale: number;
  /** Surrogate only. */
  quality: LmgtSurrogateQuality;
}

export interface LmgtLlmSettings {
  provider: LlmProviderName;
  model?: string;
  /** A run folder for the LLM transcript and cassette (real providers). */
  runDir?: string;
  /** A cassette shared by several processes (shards). */
  cassette?: SharedCassette;
  /** OpenAI-compatible server root (default GUIDED_RL_OPENAI_BASE_URL, else Ollama's). */
  baseURL?: string;
}

export interface LmgtTrialSpec {
  env: LmgtEnvName;
  algo: LmgtAlgoName;
  seed: number;
  /** Which experiment the trial belongs to: "main", "prompt-style", "quality", "cost". */
  experiment: string;
  /** Row label within the experiment: "baseline", "lmgt", "chain-of-thought", "chance", "per-step"... */
  variant: string;
  /** Absent for the baseline. */
  guide?: LmgtGuideSettings;
  totalTimesteps: number;
  checkpoints: number[];
  evalEpisodes: number;
  llm?: LmgtLlmSettings;
}

export interface LmgtTrialResult {
  spec: LmgtTrialSpec;
  /** Mean deterministic evaluation return at each checkpoint (same order as spec.checkpoints). */
  evalReturns: number[];
  /**
   * The env steps actually taken when each evaluation ran: the first update boundary at or after the
   * checkpoint (e.g. 1024 for a 1000-step checkpoint when PPO collects 256 steps per rollout).
   */
  evalSteps?: number[];
  /** Training curve: env steps and mean return of the last 100 training episodes (environment reward). */
  curve: { step: number; epRewMean: number }[];
  /** The guide's statistics (LMGT trials). */
  stats?: LmgtStatsSnapshot;
  /** `surrogate/heuristic`, or the real model id. */
  llmModel?: string;
  llmProvider?: string;
  wallSeconds: number;
  /** Set when this result is an identical earlier run's, reused: "<experiment>/<variant>" of that run. */
  sharedWith?: string;
  /** Set when the run's scorer failed (a model sweep's row): why. Its returns are not reported. */
  failed?: string;
}

/** A factory of the trial's envs: non-Box observations (Blackjack's tuple) are flattened to one-hot Boxes. */
function makeEnvFor(envId: string, kwargs: Record<string, unknown> | undefined): () => Env {
  return () => {
    const env = make(envId, { ...(kwargs ?? {}) }) as Env;
    return env.observationSpace.kind === "box" ? env : (new FlattenObservation(env as Env<unknown, unknown>) as unknown as Env);
  };
}

/** The LLM client of a trial: the surrogate with its quality knob, or a real provider. */
export function trialLlm(spec: LmgtTrialSpec): LlmClient {
  const llm = spec.llm ?? { provider: "surrogate" as const };
  const q = spec.guide?.quality;
  return createLlm({
    provider: llm.provider,
    model: llm.model,
    ...(llm.baseURL ? { baseURL: llm.baseURL } : {}),
    runDir: llm.runDir,
    transcript: llm.runDir ? undefined : false,
    ...(llm.provider === "surrogate" && q ? { quality: { accuracy: q.accuracy, abstention: q.abstention, noise: q.noise, seed: spec.seed } } : {}),
    ...(llm.cassette
      ? { cache: sharedCassetteCache(llm.cassette) }
      : llm.provider !== "surrogate" && llm.runDir
        ? { cache: "read-write" as const }
        : {}),
  });
}

export interface LmgtTrialHooks {
  /** The LLM client to score with instead of the one `spec.llm` describes (a model sweep's, or a test's). */
  llm?: LlmClient;
  /** Checked at every progress report: a reason stops the run (it throws with that reason). */
  abort?: () => string | undefined;
}

/** Trains and evaluates one trial. */
export async function runLmgtTrial(spec: LmgtTrialSpec, hooks: LmgtTrialHooks = {}): Promise<LmgtTrialResult> {
  const started = performance.now();
  const preset = lmgtPreset(spec.env);
  const newEnv = makeEnvFor(preset.envId, preset.makeKwargs);
  const numEnvs = preset.numEnvs[spec.algo] ?? 1;
  const envs = Array.from({ length: numEnvs }, newEnv);
  let guide: LmgtGuide | undefined;
  let llm: LlmClient | undefined;
  if (spec.guide) {
    llm = hooks.llm ?? trialLlm(spec);
    const description = envs[0]!.spec?.describe();
    if (!description) throw new Error(`LMGT: ${preset.envId} has no self-description (env.spec.describe())`);
    guide = new LmgtGuide({
      llm,
      description,
      // The original space (e.g. Blackjack's tuple): the guide decodes the one-hot rows back to it.
      observationSpace: ((envs[0] as { unwrapped?: Env }).unwrapped ?? envs[0]!).observationSpace,
      promptStyle: spec.guide.promptStyle,
      pairsPerCall: spec.guide.pairsPerCall,
      cache: spec.guide.cache,
      ...(spec.guide.distill ? { distill: spec.guide.distill } : {}),
      schedule: spec.guide.schedule,
      shiftScale: spec.guide.shiftScale,
      seed: spec.seed,
    });
  }
  const model = await createLmgtModel(spec.algo, envs, { ...(preset.hyperparams[spec.algo] ?? {}), seed: spec.seed, ...(guide ? { guide } : {}) });
  const checkpoints = [...spec.checkpoints].sort((a, b) => a - b);
  const evalReturns: number[] = [];
  const evalSteps: number[] = [];
  const curve: LmgtTrialResult["curve"] = [];
  const evalSeed = 1_000_000 + 1000 * spec.seed;
  const evalEnvs = Array.from({ length: spec.evalEpisodes }, newEnv);
  const evaluate = () => evaluatePolicy(model, evalEnvs, { nEvalEpisodes: spec.evalEpisodes, seed: evalSeed }).meanReturn;
  const callback = (p: TrainingProgress) => {
    const stop = hooks.abort?.();
    if (stop) throw new Error(`LMGT run stopped: ${stop}`);
    if (Number.isFinite(p.epRewMean)) curve.push({ step: p.numTimesteps, epRewMean: p.epRewMean });
    while (evalReturns.length < checkpoints.length && p.numTimesteps >= checkpoints[evalReturns.length]!) {
      evalReturns.push(evaluate());
      evalSteps.push(p.numTimesteps);
    }
  };
  try {
    await model.learn({ totalTimesteps: spec.totalTimesteps, callback });
    // Checkpoints past the last phase (a budget that is not a multiple of the rollout size).
    while (evalReturns.length < checkpoints.length) {
      evalReturns.push(evaluate());
      evalSteps.push(spec.totalTimesteps);
    }
  } finally {
    model.dispose?.();
    model.close?.();
    for (const env of [...envs, ...evalEnvs]) env.close();
  }
  return {
    spec,
    evalReturns,
    evalSteps,
    curve,
    ...(guide ? { stats: guide.snapshot() } : {}),
    ...(llm ? { llmModel: llm.model, llmProvider: llm.provider } : {}),
    wallSeconds: (performance.now() - started) / 1000,
  };
}
