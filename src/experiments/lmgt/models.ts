/**
 * The model ablation over real models in one call: for each model id, the ablation cells of each env
 * (ablation algorithm, ablation seeds, the first method preset's guide) scored by that model. One row per
 * model with its calls, tokens, cost and failed calls; a model that fails (its requests all throw, or the
 * run aborts) gets a row marked failed — no return is credited to it — and the sweep goes on to the next.
 */
import type { Budget } from "../budget.js";
import { createLlm, type LlmProviderName } from "../../llm/create.js";
import { countingLlm, type Llm } from "../../llm/llm.js";
import type { LlmClient } from "../../llm/types.js";
import { lmgtCheckpoints, defaultGuideSettings } from "./protocol.js";
import { lmgtPreset, type LmgtEnvName, type LmgtMethodName, type LmgtShiftOption } from "./presets.js";
import { LmgtStats, type LmgtStatsSnapshot } from "../../guides/lmgt/stats.js";
import { runLmgtTrial, type LmgtTrialResult, type LmgtTrialSpec } from "./trial.js";

export interface LmgtModelSweepOptions {
  envs: LmgtEnvName[];
  budget: Budget;
  /** Model ids, one row each. */
  models: string[];
  provider: LlmProviderName;
  /** OpenAI-compatible server root (local servers of different sizes and quantisations). */
  baseURL?: string;
  /** The LLM layer's run folder root: each model writes its transcript and cassette under `<runDir>/<model>`. */
  runDir?: string;
  /** Method preset of the guide (default "efficient"). */
  method?: LmgtMethodName;
  shift?: LmgtShiftOption;
  /** Seeds per model (default: the budget's ablation seeds). */
  seeds?: number;
  /**
   * A model whose first `abortAfterFailures` requests all fail is abandoned (default 3). Sooner when the
   * run's tolerance (`maxFailedCalls`, GUIDED_RL_MAX_FAILED_CALLS, default 0) is passed: the model's run
   * stops, its row is marked failed, and the sweep goes on with the next model.
   */
  abortAfterFailures?: number;
  /** The client of a model (default: `createLlm` with the options above); its failed calls are counted by `countingLlm`. */
  clientFor?: (model: string) => LlmClient;
  /** Runs only the trials it accepts (e.g. one shard's models; a model's trials are accepted together). */
  select?: (spec: LmgtTrialSpec) => boolean;
  /** A trial's result from an earlier run of the sweep (--resume), reused instead of training it again. */
  finished?: (spec: LmgtTrialSpec) => LmgtTrialResult | undefined;
  onTrial?: (result: LmgtTrialResult, done: number, total: number) => void;
}

/** The folder of a model's LLM files under the sweep's runDir. */
export function safeDirName(model: string): string {
  return model.replace(/[^A-Za-z0-9._-]+/g, "_");
}

/** The sweep's trials in the order they run (env, then model, then seed): experiment "model", the model id as variant. */
export function planLmgtModelSweep(opts: Omit<LmgtModelSweepOptions, "clientFor" | "select" | "finished" | "onTrial" | "abortAfterFailures">): { spec: LmgtTrialSpec; model: string }[] {
  if (opts.models.length === 0) throw new Error("LMGT model sweep: --models lists no model");
  const specs: { spec: LmgtTrialSpec; model: string }[] = [];
  for (const env of opts.envs) {
    const b = lmgtPreset(env).budgets[opts.budget];
    const guide = defaultGuideSettings(env, opts.method ?? "efficient", opts.shift);
    for (const model of opts.models) {
      for (let seed = 0; seed < (opts.seeds ?? b.ablationSeeds); seed++) {
        const runDir = opts.runDir ? `${opts.runDir}/${safeDirName(model)}` : undefined;
        specs.push({
          model,
          spec: {
            env, algo: b.ablationAlgo, seed, experiment: "model", variant: model, guide,
            totalTimesteps: b.totalTimesteps, checkpoints: lmgtCheckpoints(env, opts.budget), evalEpisodes: b.evalEpisodes,
            llm: { provider: opts.provider, model, ...(runDir ? { runDir } : {}) },
          },
        });
      }
    }
  }
  return specs;
}

/**
 * Runs the sweep; the results carry experiment "model" and the model id as their variant. A model's trials
 * depend on each other (a model whose first requests all fail is abandoned for its later trials), so a
 * sharded reproduction keeps each model's trials together (lmgt/shards.ts).
 */
export async function runLmgtModelSweep(opts: LmgtModelSweepOptions): Promise<LmgtTrialResult[]> {
  const abortAfter = opts.abortAfterFailures ?? 3;
  const specs = planLmgtModelSweep(opts).filter(({ spec }) => opts.select?.(spec) ?? true);
  const results: LmgtTrialResult[] = [];
  const dead = new Map<string, string>();
  for (const { spec, model } of specs) {
    let result: LmgtTrialResult;
    const known = dead.get(model);
    const earlier = opts.finished?.(spec);
    if (earlier) result = earlier;
    else if (known) result = failedResult(spec, known, 0);
    else {
      const started = performance.now();
      let llm: Llm | undefined;
      try {
        llm = countingLlm(
          opts.clientFor
            ? opts.clientFor(model)
            : createLlm({
                provider: opts.provider, model, baseURL: opts.baseURL,
                ...(spec.llm?.runDir ? { runDir: spec.llm.runDir, cache: "read-write" as const } : { transcript: false as const }),
              }),
        );
        const l = llm;
        const why = () => `${l.failedCalls} failed: ${l.lastFailure?.message}`;
        result = await runLmgtTrial(spec, {
          llm: l,
          abort: () => (answered(l) === 0 && l.failedCalls >= abortAfter ? `the first requests all failed (${why()})` : undefined),
        });
        if (answered(l) === 0 && l.failedCalls > 0) result = failedResult(spec, `no request answered (${why()})`, result.wallSeconds, result);
      } catch (e) {
        const reason = e instanceof Error ? e.message : String(e);
        result = failedResult(spec, reason, (performance.now() - started) / 1000);
        // The guide's statistics went with the stopped run: its request counts come from the client's ledger.
        if (llm) result.stats = { ...emptyStats(), calls: answered(llm) + llm.failedCalls, callErrors: llm.failedCalls };
      }
      if (result.failed) dead.set(model, result.failed);
    }
    results.push(result);
    opts.onTrial?.(result, results.length, specs.length);
  }
  return results;
}

/** The requests a client answered, from the provider or its cache (the guide counts both as calls). */
function answered(llm: Llm): number {
  const { calls, cachedCalls } = llm.summary();
  return calls + cachedCalls;
}

function emptyStats(): LmgtStatsSnapshot {
  return new LmgtStats().snapshot();
}

function failedResult(spec: LmgtTrialSpec, reason: string, wallSeconds: number, partial?: LmgtTrialResult): LmgtTrialResult {
  return {
    spec,
    evalReturns: [],
    curve: [],
    ...(partial?.stats ? { stats: partial.stats } : {}),
    ...(spec.llm ? { llmProvider: spec.llm.provider, llmModel: spec.llm.model } : {}),
    wallSeconds,
    failed: reason,
  };
}
