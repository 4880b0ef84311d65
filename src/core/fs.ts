/**
 * `ensureDir`: mkdir -p that fails fast. Node's own `mkdirSync(p, {recursive: true})` spins forever on a
 * filesystem that refuses new entries while reporting ENOENT (e.g. under /proc, measured: still running
 * after 2 minutes); this walks down from the nearest existing ancestor, one non-recursive mkdir per level,
 * and throws an error naming the folder at the first refusal.
 */
import { mkdirSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";

export function ensureDir(path: string): void {
  const target = resolve(path);
  const missing: string[] = [];
  let at = target;
  for (;;) {
    let isDir: boolean | undefined;
    try {
      isDir = statSync(at).isDirectory();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw new Error(`cannot create folder ${target}: ${at}: ${(err as Error).message}`);
    }
    if (isDir === true) break;
    if (isDir === false) throw new Error(`cannot create folder ${target}: ${at} exists and is not a folder`);
    missing.push(at);
    const parent = dirname(at);
    if (parent === at) break;
    at = parent;
  }
  for (const dir of missing.reverse()) {
    try {
      mkdirSync(dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "EEXIST") continue;
      throw new Error(`cannot create folder ${target}: ${(err as NodeJS.ErrnoException).code ?? ""} ${(err as Error).message}`.replace(/\s+/g, " "));
    }
  }
}
