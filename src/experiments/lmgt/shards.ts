/**
 * The LMGT reproduction as a run list (see ../shards.ts): one entry per distinct training run (trials that
 * share a run, e.g. the main LMGT arm and the ablations' default cell, are one entry, so they land on one
 * shard and are trained once), its expected cost, and the merge of shard folders into one result set.
 */
import { planLmgtTrials, lmgtRunKey, runLmgtProtocol, type LmgtProtocolOptions } from "./protocol.js";
import type { LmgtTrialResult, LmgtTrialSpec } from "./trial.js";
import { runId, type PlannedRun } from "../shards.js";

/** The protocol options that determine the runs (no callbacks, no earlier results, no output paths). */
export type LmgtProtocolSettings = Omit<LmgtProtocolOptions, "previous" | "select" | "onTrial">;

/** Rough cost of one env step per algorithm (DQN = 1): what `--shard` balances; only ratios matter. */
const STEP_COST: Record<string, number> = { dqn: 1, ppo: 0.6, a2c: 0.6, sac: 25, td3: 20 };

export function lmgtRunId(spec: LmgtTrialSpec): string {
  return runId(JSON.parse(lmgtRunKey(spec)));
}

function trialCost(spec: LmgtTrialSpec): number {
  const perStep = STEP_COST[spec.algo] ?? 1;
  // A guided run pays for the guide's prompts too; per-pair querying most of all.
  const guide = spec.guide ? (spec.guide.pairsPerCall <= 1 ? 3 : 1.3) : 1;
  return spec.totalTimesteps * perStep * guide;
}

/** The distinct runs of the protocol, in the order they would run. */
export function lmgtRunList(settings: LmgtProtocolSettings): PlannedRun[] {
  const runs = new Map<string, PlannedRun>();
  for (const spec of planLmgtTrials(settings)) {
    const id = lmgtRunId(spec);
    if (!runs.has(id)) runs.set(id, { id, label: `${spec.env} ${spec.algo} ${spec.experiment}/${spec.variant} seed ${spec.seed}`, cost: trialCost(spec) });
  }
  return [...runs.values()];
}

/**
 * Joins the finished runs of several folders into the protocol's full result list (the same list, in the
 * same order, as one unsharded run). Throws if a planned run is in none of them (callers check first).
 */
export async function mergeLmgtResults(settings: LmgtProtocolSettings, found: readonly LmgtTrialResult[]): Promise<LmgtTrialResult[]> {
  const have = new Set(found.map((r) => lmgtRunId(r.spec)));
  const missing = lmgtRunList(settings).filter((r) => !have.has(r.id));
  if (missing.length) throw new Error(`LMGT merge: ${missing.length} planned run(s) have no result (first: ${missing[0]!.label})`);
  return runLmgtProtocol({ ...settings, previous: found });
}
