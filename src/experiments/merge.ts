/**
 * Joining shard folders (see shards.ts): their finished runs, their LLM cassettes (content-addressed: one
 * entry per prompt hash) and transcripts, and their LLM usage summed. The protocol-specific part (which
 * runs make the result set, the tables) is the caller's.
 */
import { existsSync, readFileSync } from "node:fs";
import { ensureDir } from "../core/fs.js";
import { writeText, appendText } from "../core/secrets.js";
import { join } from "node:path";
import { CASSETTE_FILE, TRANSCRIPT_FILE, USAGE_FILE } from "../llm/create.js";
import { sumUsage, type UsageSummary } from "../llm/ledger.js";
import { readJsonl } from "../core/jsonl.js";
import { checkSameReproduction, encodeRecord, readManifest, readRecords, type ShardManifest } from "./shards.js";

/** The shard folders' manifests, checked to be of one reproduction. */
export function readShardManifests(dirs: readonly string[]): ShardManifest[] {
  const manifests = dirs.map(readManifest);
  checkSameReproduction(dirs, manifests);
  return manifests;
}

/** Every finished result of the folders' `file`, one per id (the first folder that has it wins). */
export function unionResults<T>(dirs: readonly string[], file: string, idOf: (result: T) => string): T[] {
  const seen = new Set<string>();
  const out: T[] = [];
  for (const dir of dirs) {
    for (const r of readRecords<T>(join(dir, file))) {
      const id = idOf(r);
      if (seen.has(id)) continue;
      seen.add(id);
      out.push(r);
    }
  }
  return out;
}

/** Writes results as JSONL (one per line, `encodeRecord`). */
export function writeJsonl(path: string, records: readonly unknown[]): void {
  writeText(path, records.map((r) => `${encodeRecord(r)}\n`).join(""));
}

/** Usage summaries summed: the one sum lives with the ledger (src/llm/ledger.ts). */
export { sumUsage } from "../llm/ledger.js";

/** Cassette lines of several files, one per prompt hash (the first seen wins), in the order first seen. */
export function joinCassettes(paths: readonly string[]): { lines: string[]; duplicates: number } {
  const seen = new Set<string>();
  const lines: string[] = [];
  let duplicates = 0;
  for (const path of paths) {
    for (const entry of readJsonl<{ hash?: unknown }>(path)) {
      if (typeof entry?.hash !== "string") throw new Error(`${path}: a cassette line without a hash`);
      if (seen.has(entry.hash)) {
        duplicates++;
        continue;
      }
      seen.add(entry.hash);
      lines.push(JSON.stringify(entry));
    }
  }
  return { lines, duplicates };
}

/**
 * Joins the LLM files of the shards' `<dir>/<llmSubdir>` folders into `<out>/<llmSubdir>`: one cassette
 * without duplicate prompts, the transcripts one after the other, usage summed. Returns what it wrote
 * (nothing when no shard called a provider).
 */
export function mergeLlmFiles(dirs: readonly string[], out: string, llmSubdir = "llm"): { cassetteEntries: number; duplicates: number; usage?: UsageSummary } {
  const folders = dirs.map((d) => join(d, llmSubdir)).filter((d) => existsSync(d));
  const target = join(out, llmSubdir);
  // Read everything first: OUT may be one of the inputs.
  const cassette = joinCassettes(folders.map((d) => join(d, CASSETTE_FILE)).filter((p) => existsSync(p)));
  const transcripts = folders.map((d) => join(d, TRANSCRIPT_FILE)).filter((p) => existsSync(p)).map((p) => readFileSync(p, "utf8"));
  const usages = folders
    .map((d) => join(d, USAGE_FILE))
    .filter((p) => existsSync(p))
    .map((p) => {
      try {
        return JSON.parse(readFileSync(p, "utf8")) as UsageSummary;
      } catch (err) {
        throw new Error(`${p}: not valid JSON (${(err as Error).message})`);
      }
    });
  if (folders.length === 0) return { cassetteEntries: 0, duplicates: 0 };
  ensureDir(target);
  if (cassette.lines.length) writeText(join(target, CASSETTE_FILE), cassette.lines.map((l) => `${l}\n`).join(""));
  if (transcripts.length) {
    writeText(join(target, TRANSCRIPT_FILE), "");
    for (const t of transcripts) appendText(join(target, TRANSCRIPT_FILE), t.endsWith("\n") || t === "" ? t : `${t}\n`);
  }
  const usage = usages.length ? sumUsage(usages) : undefined;
  if (usage) writeText(join(target, USAGE_FILE), `${JSON.stringify(usage, null, 1)}\n`);
  return { cassetteEntries: cassette.lines.length, duplicates: cassette.duplicates, ...(usage ? { usage } : {}) };
}
