/**
 * Reading a JSON-lines file that a crash may have cut mid-write: a torn LAST line (the interrupted append)
 * is dropped with a warning, so a run can resume; an unreadable line anywhere else is an error naming the
 * file and the line (that is damage, not an interrupted write).
 */
import { existsSync, readFileSync } from "node:fs";

/**
 * The records of the JSONL file at `path` ([] when it does not exist), each line read by `parse` (JSON.parse
 * by default; `experiments/shards` passes `decodeRecord`, which keeps NaN and ±Infinity).
 */
export function readJsonl<T>(path: string, warn: (message: string) => void = (m) => console.error(m), parse: (line: string) => T = (line) => JSON.parse(line) as T): T[] {
  if (!existsSync(path)) return [];
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new Error(`cannot read ${path}: ${(err as Error).message}`);
  }
  const lines = text.split("\n");
  const out: T[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === "") return;
    try {
      out.push(parse(line));
    } catch {
      const last = lines.slice(i + 1).every((l) => l.trim() === "");
      if (!last) throw new Error(`${path}, line ${i + 1}: not valid JSON (the file is damaged; fix or remove that line)`);
      warn(`${path}: dropped a torn last line ${i + 1} (an interrupted write)`);
    }
  });
  return out;
}
