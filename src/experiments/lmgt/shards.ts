/**
 * The LMGT reproduction as a run list (see ../shards.ts): one entry per distinct training run (trials that
 * share a run, e.g. the main LMGT arm and the ablations' default cell, are one entry, so they land on one
 * shard and are trained once), its expected cost, and the merge of shard folders into one result set.
 * With `--models`, each model of the sweep is one entry (all its trials: a model whose first requests all
 * fail is abandoned for its later trials, so its trials run together, in order, on one shard).
 */
import { planLmgtTrials, lmgtRunKey, runLmgtProtocol, type LmgtProtocolOptions } from "./protocol.js";
import { planLmgtModelSweep, safeDirName, type LmgtModelSweepOptions } from "./models.js";
import type { LmgtTrialResult, LmgtTrialSpec } from "./trial.js";
import { runId, type PlannedRun } from "../shards.js";

/** The protocol options that determine the runs (no callbacks, no earlier results, no output paths). */
export type LmgtProtocolSettings = Omit<LmgtProtocolOptions, "previous" | "select" | "onTrial">;

/** What `reproduce lmgt` runs: the protocol's settings and, with --models, the model sweep's models. */
export type LmgtReproductionSettings = LmgtProtocolSettings & {
  /** The model sweep (--models); without `experiments` it is all that runs. */
  models?: string[];
};

/** Rough cost of one env step per algorithm (DQN = 1): what `--shard` balances; only ratios matter. */
const STEP_COST: Record<string, number> = { dqn: 1, ppo: 0.6, a2c: 0.6, sac: 25, td3: 20 };

/** A run's id; every trial of one sweep model has the model's id (`lmgtSweepRunId`). */
export function lmgtRunId(spec: LmgtTrialSpec): string {
  if (spec.experiment === "model") return lmgtSweepRunId(spec.variant, spec.llm?.provider);
  return runId(JSON.parse(lmgtRunKey(spec)));
}

/** One trial's own key (a sweep trial's run holds several): what joining folders dedups by. */
export function lmgtTrialKey(spec: LmgtTrialSpec): string {
  return spec.experiment === "model" ? runId({ experiment: "model", model: spec.variant, provider: spec.llm?.provider, env: spec.env, seed: spec.seed }) : lmgtRunId(spec);
}

/** The runs `found` finishes: a sweep model only with every one of its trials. */
export function lmgtFinishedRunIds(settings: LmgtReproductionSettings, found: readonly LmgtTrialResult[]): Set<string> {
  const have = new Set(found.map((r) => lmgtTrialKey(r.spec)));
  const incomplete = new Set(sweepPlan(settings).filter(({ spec }) => !have.has(lmgtTrialKey(spec))).map(({ spec }) => lmgtRunId(spec)));
  return new Set(found.map((r) => lmgtRunId(r.spec)).filter((id) => !incomplete.has(id)));
}

/** The run id of one model of the sweep (all its trials). */
function lmgtSweepRunId(model: string, provider: string | undefined): string {
  return runId({ experiment: "model", model, provider });
}

function trialCost(spec: LmgtTrialSpec): number {
  const perStep = STEP_COST[spec.algo] ?? 1;
  // A guided run pays for the guide's prompts too; per-pair querying most of all.
  const guide = spec.guide ? (spec.guide.pairsPerCall <= 1 ? 3 : 1.3) : 1;
  return spec.totalTimesteps * perStep * guide;
}

/** True when the protocol runs (not a model sweep alone). */
export function runsLmgtProtocol(settings: LmgtReproductionSettings): boolean {
  return !settings.models || settings.experiments !== undefined;
}

/** The sweep's options from the settings (`runDir`: where each model's LLM files go). */
export function lmgtSweepOptions(settings: LmgtReproductionSettings & { models: string[] }, runDir?: string): Omit<LmgtModelSweepOptions, "clientFor" | "select" | "finished" | "onTrial" | "abortAfterFailures"> {
  const { envs, budget, models, llm, methods, shift, seeds } = settings;
  return {
    envs, budget, models, provider: llm?.provider ?? "surrogate", method: methods?.[0] ?? "efficient",
    ...(llm?.baseURL ? { baseURL: llm.baseURL } : {}), ...(shift ? { shift } : {}), ...(seeds ? { seeds } : {}), ...(runDir ? { runDir } : {}),
  };
}

/** The model sweep's planned trials, in the order they run (none without --models). */
function sweepPlan(settings: LmgtReproductionSettings, runDir?: string): ReturnType<typeof planLmgtModelSweep> {
  return settings.models ? planLmgtModelSweep(lmgtSweepOptions({ ...settings, models: settings.models }, runDir)) : [];
}

/** The protocol settings without the sweep's. */
function protocolSettings(settings: LmgtReproductionSettings): LmgtProtocolSettings {
  const { models: _models, ...protocol } = settings;
  return protocol;
}

/** The distinct runs of the reproduction, in the order they would run (the sweep's models first, as they run). */
export function lmgtRunList(settings: LmgtReproductionSettings): PlannedRun[] {
  const sweep = new Map<string, { model: string; trials: number; cost: number }>();
  for (const { spec, model } of sweepPlan(settings)) {
    const run = sweep.get(lmgtRunId(spec)) ?? { model, trials: 0, cost: 0 };
    run.trials++;
    run.cost += trialCost(spec);
    sweep.set(lmgtRunId(spec), run);
  }
  const runs = new Map<string, PlannedRun>(
    [...sweep].map(([id, { model, trials, cost }]) => [id, { id, label: `model sweep: ${model}, ${trials} trial(s) on ${settings.envs.join(", ")}`, cost }]),
  );
  if (!runsLmgtProtocol(settings)) return [...runs.values()];
  for (const spec of planLmgtTrials(protocolSettings(settings))) {
    const id = lmgtRunId(spec);
    if (!runs.has(id)) runs.set(id, { id, label: `${spec.env} ${spec.algo} ${spec.experiment}/${spec.variant} seed ${spec.seed}`, cost: trialCost(spec) });
  }
  return [...runs.values()];
}

/**
 * Joins the finished runs of several folders into the reproduction's full result list (the same list, in the
 * same order, as one unsharded run: the sweep's trials, then the protocol's). Throws if a planned run is in
 * none of them (callers check first); a sweep model counts only with all its trials. `llmDir`: the merged
 * folder's LLM folder, where the sweep's trials say their LLM files are (merge copies them there).
 */
export async function mergeLmgtResults(settings: LmgtReproductionSettings, found: readonly LmgtTrialResult[], llmDir?: string): Promise<LmgtTrialResult[]> {
  const finished = lmgtFinishedRunIds(settings, found);
  const missing = lmgtRunList(settings).filter((r) => !finished.has(r.id));
  if (missing.length) throw new Error(`LMGT merge: ${missing.length} planned run(s) have no result (first: ${missing[0]!.label})`);
  // Planned where the merged folder keeps the sweep's LLM files (`llmDir`), as an unsharded run's specs say.
  const byKey = new Map(found.map((r) => [lmgtTrialKey(r.spec), r]));
  const sweep = sweepPlan(settings, llmDir).map(({ spec }) => ({ ...byKey.get(lmgtTrialKey(spec))!, spec }));
  if (!runsLmgtProtocol(settings)) return sweep;
  return sweep.concat(await runLmgtProtocol({ ...protocolSettings(settings), previous: found.filter((r) => r.spec.experiment !== "model") }));
}

/**
 * The keys (`lmgtTrialKey`) of the reproduction's results in the order one unsharded run writes them to its
 * journal: the sweep's trials (env by env, then model, then seed), then the protocol's distinct runs.
 */
export function lmgtResultOrder(settings: LmgtReproductionSettings): string[] {
  const sweep = sweepPlan(settings);
  const sweepRuns = new Set(sweep.map(({ spec }) => lmgtRunId(spec)));
  return [...sweep.map(({ spec }) => lmgtTrialKey(spec)), ...lmgtRunList(settings).map((r) => r.id).filter((id) => !sweepRuns.has(id))];
}

/** The folders (under a shard folder) of the reproduction's LLM files: llm/, and llm/<model> per sweep model. */
export function lmgtLlmSubdirs(settings: LmgtReproductionSettings): string[] {
  return ["llm", ...(settings.models ?? []).map((m) => `llm/${safeDirName(m)}`)];
}
