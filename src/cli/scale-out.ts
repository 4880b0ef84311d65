/**
 * The scale-out options every `reproduce` command takes (see src/experiments/shards.ts):
 *
 *   --list               print the run list (ids, expected cost, the shard of each with --shard) and exit
 *   --shard i/n          run only the runs of shard i of n (0-based) into --out; join shards with `guided-rl merge`
 *   --only-missing DIR   run only the runs that DIR (a merged or partial result folder) does not have
 *   --cassette FILE      answer LLM prompts from this shared cassette (content-addressed), calling the model on a miss
 *   --cassette-mode M    read (default: the file is never written) or append (record new answers into FILE)
 */
import { join } from "node:path";
import {
  formatRunList,
  packageVersion,
  parseShard,
  readRecords,
  runsOfShard,
  writeManifest,
  type PlannedRun,
  type SharedCassette,
  type ShardSpec,
} from "../experiments/shards.js";
import type { CliOption, UsageFailure } from "./options.js";

export const SCALE_OUT_USAGE = "[--list] [--shard i/n] [--only-missing DIR] [--cassette FILE] [--cassette-mode read|append]";

/** The file of finished runs in a result folder, one JSON result per line. */
export const TRIALS_FILE = "trials.jsonl";

export interface ScaleOutArgs {
  list: boolean;
  shard?: ShardSpec;
  onlyMissing?: string;
  cassette?: SharedCassette;
}

export function defaultScaleOutArgs(): ScaleOutArgs {
  return { list: false };
}

/** Reads one scale-out option into `args`; false for any other option. */
export function readScaleOutOption(args: ScaleOutArgs, option: CliOption, fail: UsageFailure): boolean {
  switch (option.name) {
    case "--list":
      args.list = true;
      return true;
    case "--shard":
      try {
        args.shard = parseShard(option.value());
      } catch (err) {
        fail((err as Error).message);
      }
      return true;
    case "--only-missing":
      args.onlyMissing = option.value();
      return true;
    case "--cassette":
      args.cassette = { path: option.value(), mode: args.cassette?.mode ?? "read" };
      return true;
    case "--cassette-mode": {
      const mode = option.value();
      if (mode !== "read" && mode !== "append") fail(`--cassette-mode must be read or append, got "${mode}"`);
      args.cassette = { path: args.cassette?.path ?? "", mode: mode as SharedCassette["mode"] };
      return true;
    }
    default:
      return false;
  }
}

/** Options that choose where results go or which share of the runs to run, not what the runs are. */
const PLACEMENT_OPTIONS = new Set(["--out", "--shard", "--only-missing", "--list", "--resume", "--cassette", "--cassette-mode", "--no-png", "--phase", "--wait"]);
const PLACEMENT_FLAGS = new Set(["--list", "--resume", "--no-png"]);

/** The command's arguments without placement options: what a re-run of the same reproduction passes. */
export function settingsArgv(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const name = a.includes("=") ? a.slice(0, a.indexOf("=")) : a;
    if (!PLACEMENT_OPTIONS.has(name)) out.push(a);
    else if (!a.includes("=") && !PLACEMENT_FLAGS.has(name)) i++;
  }
  return out;
}

/** What one invocation runs. */
export interface InvocationPlan {
  /** Run ids this invocation is to run. */
  assigned: Set<string>;
  /** True when the folder will hold only part of the reproduction (a shard or the missing runs). */
  partial: boolean;
}

/**
 * Prints the run list (`--list`: returns undefined), or decides which runs this invocation runs and writes
 * the folder's manifest (`shard.json`) so `guided-rl merge` can check and join it.
 */
export function planInvocation(opts: {
  command: string;
  argv: readonly string[];
  settings: Record<string, unknown>;
  runs: PlannedRun[];
  out: string;
  scale: ScaleOutArgs;
  /** The id of a finished result (to find what `--only-missing DIR` lacks). */
  resultId: (result: unknown) => string;
  /** The runs that finished results finish (default: their resultIds; a run of several results needs them all). */
  finishedRuns?: (results: unknown[]) => Set<string>;
}): InvocationPlan | undefined {
  const { scale, runs } = opts;
  if (scale.cassette && !scale.cassette.path) throw new Error("--cassette-mode needs --cassette FILE");
  if (scale.list) {
    console.log(formatRunList(runs, scale.shard?.count));
    return undefined;
  }
  const assigned = runsOfShard(runs, scale.shard);
  if (scale.onlyMissing) {
    const results = readRecords<unknown>(join(scale.onlyMissing, TRIALS_FILE));
    const done = opts.finishedRuns?.(results) ?? new Set(results.map(opts.resultId));
    for (const id of [...assigned]) if (done.has(id)) assigned.delete(id);
    console.error(`--only-missing ${scale.onlyMissing}: ${assigned.size} of ${runs.length} runs are missing there and run now`);
  }
  writeManifest(opts.out, {
    command: opts.command,
    settings: opts.settings,
    packageVersion: packageVersion(),
    ...(scale.shard ? { shard: scale.shard } : {}),
    runs,
    assigned: runs.filter((r) => assigned.has(r.id)).map((r) => r.id),
    argv: settingsArgv(opts.argv),
  });
  if (scale.shard) console.error(`shard ${scale.shard.index}/${scale.shard.count}: ${assigned.size} of ${runs.length} runs`);
  return { assigned, partial: scale.shard !== undefined || scale.onlyMissing !== undefined };
}
