/**
 * One place for a guide's random numbers (src/guides/random.ts): guides import generators only from there,
 * and nothing in guides/ or experiments/ draws from Math.random or the platform's crypto source.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { guideRandom } from "../../src/guides/random.js";
import { referencePath } from "../../src/core/paths.js";

const filesUnder = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? filesUnder(join(dir, f)) : f.endsWith(".ts") ? [join(dir, f)] : []));

/** The code of a file without comments and string contents (the reward-design surrogate plants `Math.random` in text). */
function code(path: string): string {
  return readFileSync(path, "utf8")
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/\/\/.*$/gm, "")
    .replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`/g, (s) => (s.startsWith("`") ? "``" : '""'));
}

/** Import specifiers of a file (kept before the strings are blanked). */
const importsOf = (path: string): string[] => [...readFileSync(path, "utf8").matchAll(/^(?:import|export)\b[^;]*?from\s+"([^"]+)"/gm)].map((m) => m[1]!);

const GENERATOR_MODULES = /(?:^|\/)(?:core\/rng|nn\/random|llm\/surrogate-rng|core\/index|nn\/index|llm\/index)\.js$/;

test("guides take their generators from guides/random.ts only", () => {
  const offenders: string[] = [];
  for (const file of filesUnder("src/guides")) {
    if (file === join("src/guides", "random.ts")) continue;
    for (const spec of importsOf(file)) if (GENERATOR_MODULES.test(spec)) offenders.push(`${file} imports ${spec}`);
    if (/\bnpRandom\s*\(|\bsurrogateRng\s*\(|new\s+(?:PCG64|SeedSequence)\b/.test(code(file))) offenders.push(`${file} makes a generator`);
  }
  assert.deepEqual(offenders, []);
});

test("no Math.random or crypto randomness in guides/ and experiments/", () => {
  const offenders = [...filesUnder("src/guides"), ...filesUnder("src/experiments")].filter((f) =>
    /\bMath\s*\.\s*random\b|getRandomValues|\brandom(?:Int|Bytes|UUID)\b/.test(code(f)),
  );
  assert.deepEqual(offenders, []);
});

test("the scan sees through comments and strings but not code", () => {
  const dir = readdirSync("src/guides/reward-design");
  assert.ok(dir.includes("surrogate.ts"));
  const raw = readFileSync("src/guides/reward-design/surrogate.ts", "utf8");
  assert.match(raw, /Math\.random\(\)/, "the planted forbidden-call bug is text in the surrogate");
  assert.doesNotMatch(code("src/guides/reward-design/surrogate.ts"), /Math\.random/);
  assert.match(code("src/guides/lmgt/guide.ts"), /guideRandom\(/);
});

test("guideRandom(seed) is numpy's default_rng(seed): the recorded first draws, bit for bit", () => {
  const reference = JSON.parse(readFileSync(referencePath("gymnasium", "numpy_rng_reference.json"), "utf8")) as { seeds: Record<string, { random_first_10: number[] }> };
  const seeds = Object.keys(reference.seeds);
  assert.ok(seeds.length > 0);
  for (const seed of seeds) assert.deepEqual(Array.from(guideRandom(Number(seed)).random(10) as Float64Array), reference.seeds[seed]!.random_first_10);
});
