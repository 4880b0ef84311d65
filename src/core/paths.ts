/**
 * Where the package's own files are (prompts/, data/, node_modules), whether running from src/ via tsx,
 * from the built dist/, or required by tslab from a notebook.
 */
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

let cachedRoot: string | undefined;

/** The folder holding the package's package.json (the folder above src/ or dist/). */
export function packageRoot(): string {
  if (cachedRoot !== undefined) return cachedRoot;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest) && existsSync(join(dir, "prompts"))) return (cachedRoot = dir);
    const up = dirname(dir);
    if (up === dir) throw new Error(`guided-rl: cannot find the package root above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
}

/** A path inside the package, e.g. `packagePath("prompts", "lmgt", "zero-shot.txt")`. */
export function packagePath(...parts: string[]): string {
  return resolve(packageRoot(), ...parts);
}

/** The reference data recorded from the Python implementations: `../shared/reference` beside the checkout. */
export function referencePath(...parts: string[]): string {
  const fromEnv = process.env.GUIDED_RL_REFERENCE;
  const base = fromEnv ?? resolve(packageRoot(), "..", "shared", "reference");
  return resolve(base, ...parts);
}
