/**
 * Scale-out without a scheduler of our own: a reproduction is a deterministic list of independent runs, each
 * with a stable id (a hash of everything that determines its result). `--shard i/n` runs the runs assigned to
 * shard i (0-based, as Kubernetes' JOB_COMPLETION_INDEX; Slurm's SLURM_ARRAY_TASK_ID with `--array=0-(n-1)`)
 * into its own folder, which carries a manifest (`shard.json`): the command, its settings, the package
 * version and the full run list. `guided-rl merge` joins shard folders of the same manifest into one result
 * set and renders the tables of an unsharded run.
 *
 * The assignment is longest-processing-time first over the runs' expected costs: stable (a function of the run
 * list alone), and within 4/3 of the best balance.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { ensureDir } from "../core/fs.js";
import { writeText } from "../core/secrets.js";
import { join } from "node:path";
import { readJsonl } from "../core/jsonl.js";

/** One planned run of a reproduction. */
export interface PlannedRun {
  /** Stable id: `runId(key)`. */
  id: string;
  /** Human-readable: env, algorithm, variant, seed. */
  label: string;
  /** Expected cost in arbitrary units (env steps times a per-algorithm factor); only ratios matter. */
  cost: number;
}

/** Which shard of how many (index 0-based). */
export interface ShardSpec {
  index: number;
  count: number;
}

export const MANIFEST_FILE = "shard.json";
const MANIFEST_FORMAT = 1;

/** What a shard folder says about itself; `merge` refuses folders whose manifests disagree. */
export interface ShardManifest {
  format: number;
  /** e.g. "reproduce lmgt". */
  command: string;
  /** Every setting that changes the run list or a run's result (not output paths). */
  settings: Record<string, unknown>;
  packageVersion: string;
  /** Absent for an unsharded run. */
  shard?: ShardSpec;
  /** The whole run list of the reproduction (the same in every shard). */
  runs: PlannedRun[];
  /** The ids this folder was asked to run. */
  assigned: string[];
  /** The command's arguments without placement options (--out, --shard, ...): how to run more of it. */
  argv?: string[];
}

/** A cassette shared by several processes (shards): read only, or read and append new answers. */
export interface SharedCassette {
  path: string;
  mode: "read" | "append";
}

/** The LLM layer's cache setting for a shared cassette. */
export function sharedCassetteCache(cassette: SharedCassette): { mode: "read" | "read-write"; path: string } {
  return { mode: cassette.mode === "append" ? "read-write" : "read", path: cassette.path };
}

/** JSON with object keys sorted at every depth, so equal values hash equally whatever their key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v && typeof v === "object" && !Array.isArray(v)) {
      const sorted: Record<string, unknown> = {};
      for (const k of Object.keys(v as Record<string, unknown>).sort()) sorted[k] = (v as Record<string, unknown>)[k];
      return sorted;
    }
    return v;
  });
}

/** A run's stable id: the first 12 hex digits of SHA-256 over the canonical JSON of what determines it. */
export function runId(key: unknown): string {
  return createHash("sha256").update(canonicalJson(key)).digest("hex").slice(0, 12);
}

/** Parses `i/n` (0 <= i < n, decimal integers); throws with the accepted form otherwise. */
export function parseShard(text: string): ShardSpec {
  const m = /^(\d{1,6})\/(\d{1,6})$/.exec(text.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index >= count) {
    throw new Error(`--shard must be i/n with 0 <= i < n (e.g. 0/4, the index 0-based as JOB_COMPLETION_INDEX), got "${text}"`);
  }
  return { index, count };
}

/**
 * Assigns each run to a shard: most expensive first, each to the shard with the least cost so far (lowest
 * index on ties); equal costs are ordered by id so the result depends on the run list only.
 */
export function assignShards(runs: readonly PlannedRun[], count: number): Map<string, number> {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`shard count must be a positive integer, got ${count}`);
  const load = new Array<number>(count).fill(0);
  const order = [...runs].sort((a, b) => b.cost - a.cost || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const assignment = new Map<string, number>();
  for (const run of order) {
    if (assignment.has(run.id)) continue;
    let best = 0;
    for (let s = 1; s < count; s++) if (load[s]! < load[best]!) best = s;
    assignment.set(run.id, best);
    load[best]! += run.cost;
  }
  return assignment;
}

/** The ids of `runs` that shard `shard` runs (all of them without a shard). */
export function runsOfShard(runs: readonly PlannedRun[], shard: ShardSpec | undefined): Set<string> {
  if (!shard) return new Set(runs.map((r) => r.id));
  const assignment = assignShards(runs, shard.count);
  return new Set(runs.filter((r) => assignment.get(r.id) === shard.index).map((r) => r.id));
}

/** The run list as text, one run a line: id, shard (when `count` is given), cost, label. */
export function formatRunList(runs: readonly PlannedRun[], count?: number): string {
  const assignment = count ? assignShards(runs, count) : undefined;
  const total = runs.reduce((s, r) => s + r.cost, 0);
  const lines = runs.map((r) => [r.id, ...(assignment ? [`shard ${assignment.get(r.id)}/${count}`] : []), `cost ${r.cost.toPrecision(3)}`, r.label].join("  "));
  lines.push(`${runs.length} runs, total cost ${total.toPrecision(3)}${count ? `, ${count} shards` : ""}`);
  if (assignment && count) {
    const load = new Array<number>(count).fill(0);
    for (const r of runs) load[assignment.get(r.id)!]! += r.cost;
    lines.push(`cost per shard: ${load.map((l) => l.toPrecision(3)).join(" / ")}`);
  }
  return lines.join("\n");
}

/** The package's version (package.json beside src/ or dist/). */
export function packageVersion(): string {
  // src/experiments/ and dist/experiments/ are both two levels below the package root.
  const path = new URL("../../package.json", import.meta.url);
  const pkg = existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as { name?: string; version?: string }) : undefined;
  if (pkg?.name !== "guided-rl" || typeof pkg.version !== "string") throw new Error(`guided-rl: cannot read the package version from ${path.pathname}`);
  return pkg.version;
}

export function writeManifest(dir: string, manifest: Omit<ShardManifest, "format">): void {
  ensureDir(dir);
  writeText(join(dir, MANIFEST_FILE), `${JSON.stringify({ format: MANIFEST_FORMAT, ...manifest }, null, 1)}\n`);
}

export function readManifest(dir: string): ShardManifest {
  const path = join(dir, MANIFEST_FILE);
  if (!existsSync(path)) throw new Error(`${dir} is not a shard folder: it has no ${MANIFEST_FILE} (run a reproduction with --shard i/n into it)`);
  let m: ShardManifest;
  try {
    m = JSON.parse(readFileSync(path, "utf8")) as ShardManifest;
  } catch (err) {
    throw new Error(`${path}: not valid JSON (${(err as Error).message})`);
  }
  if (m?.format !== MANIFEST_FORMAT || typeof m.command !== "string" || !Array.isArray(m.runs) || !Array.isArray(m.assigned)) {
    throw new Error(`${path}: not a shard manifest of format ${MANIFEST_FORMAT} (expected {format, command, settings, packageVersion, runs, assigned})`);
  }
  return m;
}

/**
 * Checks that shard folders belong to one reproduction: same command, settings, package version and run
 * list; throws naming the first folder that differs and how.
 */
export function checkSameReproduction(dirs: readonly string[], manifests: readonly ShardManifest[]): void {
  const [first, ...rest] = manifests;
  if (!first) throw new Error("merge needs at least one shard folder");
  rest.forEach((m, i) => {
    const dir = dirs[i + 1]!;
    const differ = (what: string, a: unknown, b: unknown) =>
      new Error(`cannot merge ${dir} with ${dirs[0]}: different ${what} (${canonicalJson(b)} vs ${canonicalJson(a)}); shards must come from the same command, settings and package version`);
    if (m.command !== first.command) throw differ("command", first.command, m.command);
    if (m.packageVersion !== first.packageVersion) throw differ("package version", first.packageVersion, m.packageVersion);
    if (canonicalJson(m.settings) !== canonicalJson(first.settings)) {
      const keys = new Set([...Object.keys(first.settings), ...Object.keys(m.settings)]);
      const key = [...keys].sort().find((k) => canonicalJson(first.settings[k]) !== canonicalJson(m.settings[k]));
      throw differ(`setting "${key}"`, first.settings[key!], m.settings[key!]);
    }
    if (canonicalJson(m.runs.map((r) => r.id)) !== canonicalJson(first.runs.map((r) => r.id))) throw differ("run list", first.runs.length, m.runs.length);
  });
}

/**
 * Reads a JSONL file of result records written by `encodeRecord`, through core/jsonl's reader (a torn last
 * line is dropped with a warning, that run is run again; a bad line elsewhere names the file and line).
 */
export function readRecords<T>(path: string, warn: (message: string) => void = (m) => console.error(m)): T[] {
  return readJsonl(path, (m) => warn(`${m}; that run will be run again`), decodeRecord<T>);
}

/**
 * A result record as one JSON line that reads back equal: non-finite numbers (NaN, ±Infinity, which JSON
 * would turn into null) are kept as {"$number": "NaN"}; typed arrays become plain arrays.
 */
export function encodeRecord(record: unknown): string {
  return JSON.stringify(record, (_key, v: unknown) =>
    typeof v === "number" && !Number.isFinite(v) ? { $number: String(v) } : ArrayBuffer.isView(v) && !(v instanceof DataView) ? Array.from(v as unknown as ArrayLike<number>) : v,
  );
}

/** The inverse of encodeRecord (plain JSON lines read as they are). */
export function decodeRecord<T>(line: string): T {
  return JSON.parse(line, (_key, v: unknown) => {
    if (v && typeof v === "object" && !Array.isArray(v)) {
      const keys = Object.keys(v);
      if (keys.length === 1 && keys[0] === "$number" && typeof (v as { $number: unknown }).$number === "string") return Number((v as { $number: string }).$number);
    }
    return v;
  }) as T;
}

/** The missing runs of a merge, as a message that says how to run only those. */
export function missingRunsMessage(missing: readonly PlannedRun[], rerun: string): string {
  const list = missing.slice(0, 20).map((r) => `  ${r.id}  ${r.label}`);
  if (missing.length > 20) list.push(`  ... and ${missing.length - 20} more`);
  return [`${missing.length} run(s) are missing from every shard:`, ...list, `run only those with: ${rerun}`].join("\n");
}
