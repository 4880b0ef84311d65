/**
 * `guided-rl merge OUT SHARD_DIR... [--no-png]`: joins the folders of a sharded reproduction (`--shard i/n`)
 * into one result set in OUT and renders the same tables and figures as an unsharded run. Refuses folders of
 * different commands, settings or package versions; names the runs missing from every folder and the command
 * that runs only those (`--only-missing OUT`). OUT may be one of the inputs (to fold the missing runs in).
 */
import { writeManifest, missingRunsMessage, packageVersion, type ShardManifest } from "../experiments/shards.js";
import { mergeLlmFiles, readShardManifests, sumUsage, unionResults, writeJsonl } from "../experiments/merge.js";
import { join } from "node:path";
import type { UsageSummary } from "../llm/ledger.js";
import { ensureDir } from "../core/fs.js";
import { parseOrReport, readOptions, runWhenMain, usageFailure } from "./options.js";
import { TRIALS_FILE } from "./scale-out.js";

export const MERGE_USAGE = `usage: guided-rl merge OUT SHARD_DIR... [--no-png]

Joins the folders written by a reproduction run with --shard i/n (or --only-missing) into OUT and writes the
tables and figures of the whole reproduction there.`;

/** How one reproduction command's results are joined and reported. */
interface Merger {
  /** The id of a finished result (its run's id). */
  resultId(result: unknown): string;
  /** A result's own key when a run has several results (default: resultId): what joining the folders dedups by. */
  resultKey?(result: unknown): string;
  /** The keys (resultKey) of all the results in the order an unsharded run writes them (default: the run list's ids). */
  resultOrder?(settings: Record<string, unknown>): string[];
  /** The runs the results finish (default: their resultIds). */
  finishedRuns?(settings: Record<string, unknown>, results: unknown[]): Set<string>;
  /** Where the shards keep their LLM files (cassette, transcript, usage), relative to the folder. */
  llmSubdirs(settings: Record<string, unknown>): string[];
  /** The full result list from the finished runs (all present), then its tables and figures in `out`. */
  report(settings: Record<string, unknown>, found: unknown[], out: string, png: boolean): Promise<void>;
}

const MERGERS: Record<string, () => Promise<Merger>> = {
  "reproduce lmgt": async () => {
    const { lmgtFinishedRunIds, lmgtLlmSubdirs, lmgtResultOrder, lmgtRunId, lmgtTrialKey, mergeLmgtResults } = await import("../experiments/lmgt/shards.js");
    type S = import("../experiments/lmgt/shards.js").LmgtReproductionSettings;
    const { writeLmgtOutputs } = await import("./reproduce-lmgt.js");
    type R = import("../experiments/lmgt/trial.js").LmgtTrialResult;
    return {
      resultId: (r) => lmgtRunId((r as R).spec),
      resultKey: (r) => lmgtTrialKey((r as R).spec),
      resultOrder: (settings) => lmgtResultOrder(settings as unknown as S),
      finishedRuns: (settings, results) => lmgtFinishedRunIds(settings as unknown as S, results as R[]),
      llmSubdirs: (settings) => lmgtLlmSubdirs(settings as unknown as S),
      report: async (settings, found, out, png) => {
        const results = await mergeLmgtResults(settings as unknown as S, found as R[], join(out, "llm"));
        await writeLmgtOutputs(results, out, png);
      },
    };
  },
  "reproduce ultra": async () => {
    const { joinSeeds, ultraSeeds } = await import("../experiments/ultra/shards.js");
    const { writeUltraReport } = await import("../experiments/ultra/report.js");
    const { closeRenderer } = await import("../report/render.js");
    type S = import("../experiments/ultra/shards.js").UltraSettings;
    type R = import("../experiments/ultra/shards.js").UltraSeedRecord;
    return {
      resultId: (r) => (r as R).id,
      llmSubdirs: (settings) => (settings as unknown as S).envs.map((env) => join(env, "llm")),
      report: async (raw, found, out, png) => {
        const settings = raw as unknown as S;
        try {
          for (const env of settings.envs) {
            const parts = (found as R[]).filter((r) => r.env === env).map((r) => r.result);
            const result = joinSeeds(parts, ultraSeeds(settings, env), settings.variants);
            console.log(await writeUltraReport(result, join(out, env), { png }));
          }
        } finally {
          await closeRenderer();
        }
      },
    };
  },
};

interface MergeArgs {
  out: string;
  dirs: string[];
  png: boolean;
}

export function parseMergeArgs(argv: readonly string[]): MergeArgs {
  const fail = usageFailure(MERGE_USAGE);
  const positional: string[] = [];
  let png = true;
  const rest: string[] = [];
  for (const a of argv) (a.startsWith("--") ? rest : positional).push(a);
  readOptions(rest, fail, (option) => {
    if (option.name !== "--no-png") return false;
    png = false;
    return true;
  });
  if (positional.length < 2) fail("merge needs OUT and at least one SHARD_DIR");
  return { out: positional[0]!, dirs: positional.slice(1), png };
}

/**
 * The results in `order` (their keys as an unsharded run writes them; sort is stable, so anything unplanned
 * stays last, as found), so the merged trials.jsonl reads like an unsharded run's journal, not shard after shard.
 */
function inPlannedOrder<R>(found: readonly R[], order: readonly string[], keyOf: (r: R) => string): R[] {
  const position = new Map(order.map((key, i) => [key, i]));
  const rank = (r: R) => position.get(keyOf(r)) ?? order.length;
  return [...found].sort((a, b) => rank(a) - rank(b));
}

/** Runs `merge`; returns the exit code (1 when runs are missing: the found ones are still joined into OUT). */
export async function merge(argv: readonly string[]): Promise<number> {
  const args = parseOrReport(argv, parseMergeArgs);
  if (!args) return 2;
  const manifests = readShardManifests(args.dirs);
  const first: ShardManifest = manifests[0]!;
  const load = MERGERS[first.command];
  if (!load) throw new Error(`merge: "${first.command}" results cannot be merged (mergeable: ${Object.keys(MERGERS).join(", ")})`);
  const merger = await load();
  const keyOf = merger.resultKey ?? merger.resultId;
  const found = unionResults<unknown>(args.dirs, TRIALS_FILE, keyOf);
  const have = merger.finishedRuns?.(first.settings, found) ?? new Set(found.map(merger.resultId));
  const missing = first.runs.filter((r) => !have.has(r.id));
  // Everything read: now OUT (possibly one of the inputs) is written.
  const llm = merger.llmSubdirs(first.settings).map((sub) => mergeLlmFiles(args.dirs, args.out, sub)).reduce(
    (a, b) => ({ cassetteEntries: a.cassetteEntries + b.cassetteEntries, duplicates: a.duplicates + b.duplicates, ...(a.usage || b.usage ? { usage: sumUsage([a.usage, b.usage].filter((u): u is UsageSummary => u !== undefined)) } : {}) }),
    { cassetteEntries: 0, duplicates: 0 } as ReturnType<typeof mergeLlmFiles>,
  );
  ensureDir(args.out);
  writeJsonl(join(args.out, TRIALS_FILE), inPlannedOrder(found, merger.resultOrder?.(first.settings) ?? first.runs.map((r) => r.id), keyOf));
  const { shard: _shard, ...whole } = first;
  writeManifest(args.out, { ...whole, packageVersion: packageVersion(), assigned: first.runs.map((r) => r.id) });
  console.error(
    `merged ${args.dirs.length} folder(s): ${first.runs.length - missing.length} of ${first.runs.length} runs` +
      (llm.cassetteEntries ? `; LLM cassette ${llm.cassetteEntries} prompts (${llm.duplicates} duplicates dropped)` : "") +
      (llm.usage ? `; LLM usage summed: ${llm.usage.calls} calls, ${llm.usage.failedCalls} failed, $${llm.usage.costUsd.toFixed(4)}` : ""),
  );
  if (missing.length) {
    const rerun = `guided-rl ${first.command} ${(first.argv ?? []).join(" ")} --only-missing ${args.out} --out ${args.out}-missing, then guided-rl merge ${args.out} ${args.out} ${args.out}-missing`;
    console.error(missingRunsMessage(missing, rerun.replace(/ {2,}/g, " ")));
    return 1;
  }
  await merger.report(first.settings, found, args.out, args.png);
  console.error(`tables and figures of the whole reproduction in ${args.out}/`);
  return 0;
}

export const mergeCommand = { name: "merge", usage: MERGE_USAGE, run: merge };

runWhenMain("merge", merge);
