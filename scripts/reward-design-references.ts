/**
 * Records the reward-design reference trajectories (walking, standing, falling) into
 * data/reward-design/reference-trajectories.json: `npx tsx scripts/reward-design-references.ts`.
 * Re-run it only when the BipedalWalker physics changes (the loader then reports a replay mismatch).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { packagePath } from "../src/core/paths.js";
import { recordReferenceTrajectories, REFERENCE_FILE } from "../src/guides/reward-design/references.js";

const records = await recordReferenceTrajectories();
const file = packagePath(...REFERENCE_FILE);
mkdirSync(dirname(file), { recursive: true });
// One line per action keeps the file small and readable in diffs.
const body = records
  .map((r) => {
    const { actions, ...head } = r;
    const lines = actions.map((a) => `  [${a.join(",")}]`).join(",\n");
    return `{${JSON.stringify(head).slice(1, -1)},"actions":[\n${lines}\n]}`;
  })
  .join(",\n");
writeFileSync(file, `[\n${body}\n]\n`);
for (const r of records) console.log(`${r.name}: ${r.summary}; native return ${r.nativeReturn.toFixed(1)}, ${r.actions.length} steps`);
console.log(`wrote ${file}`);
