/** The README's map of the code stays true: every folder it names exists, and every file it names is in its row's folder. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

const readme = readFileSync("README.md", "utf8");
const section = readme.slice(readme.indexOf("## Map of the code"), readme.indexOf("## The library"));

/** `src/{a,b}` -> src/a, src/b. */
const expand = (p: string): string[] => {
  const m = /^(.*)\{([^}]*)\}(.*)$/.exec(p);
  return m ? m[2]!.split(",").flatMap((x) => expand(m[1] + x + m[3])) : [p];
};
const filesUnder = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? filesUnder(join(dir, f)) : [f]));

test("README map: the folders and files it names exist where it says", () => {
  const rows = section.split("\n").filter((l) => l.startsWith("| ") && !l.startsWith("| layer") && !l.startsWith("|---"));
  assert.ok(rows.length >= 7, "the map has its rows");
  for (const row of rows) {
    const [, , where, what] = row.split("|").map((c) => c.trim());
    const dirs = [...where!.matchAll(/`([^`]+)`/g)].flatMap((m) => expand(m[1]!));
    for (const d of dirs) assert.ok(existsSync(d), `README map names ${d}, which does not exist`);
    const srcDirs = dirs.filter((d) => statSync(d).isDirectory());
    const present = new Set(srcDirs.flatMap(filesUnder));
    for (const m of what!.matchAll(/`([\w-]+\.ts)`/g)) assert.ok(present.has(m[1]!), `README map names ${m[1]} under ${srcDirs.join(", ")}, not found`);
  }
  assert.doesNotMatch(section, /src\/core.*registry/, "the registry is in envs");
});
