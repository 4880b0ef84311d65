/**
 * Regenerates test/pinned/fixtures: `npx tsx test/pinned/generate.ts`. Run it only when a change of the
 * pinned behaviour is intended, and say so in the commit; the test compares against the committed files.
 *
 * Writes fixtures/expected.json (per case: every progress report, checkpoint file hashes, predicted
 * actions) and fixtures/checkpoints/<case>/ (the checkpoint itself, which the test loads as an "old"
 * checkpoint and asks for the same actions).
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { CASES, runCase, type PinnedRecord } from "./cases.js";

const fixtures = join(dirname(fileURLToPath(import.meta.url)), "fixtures");
const expected: Record<string, PinnedRecord> = {};
for (const c of CASES) {
  const dir = join(fixtures, "checkpoints", c.name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  expected[c.name] = await runCase(c, dir);
  console.log(`${c.name}: ${expected[c.name]!.progress.length} progress reports, ${Object.keys(expected[c.name]!.checkpoint).length} checkpoint files`);
}
writeFileSync(join(fixtures, "expected.json"), JSON.stringify(expected, null, 1) + "\n");
