#!/usr/bin/env node
// Runs node's test runner (through tsx) on every test file under test/.
// Node 20 has no glob support in `--test`, so the files are collected here.
//   node scripts/test.mjs            -> fast suites: test/**/*.test.ts
//   node scripts/test.mjs learning   -> slow learning checks: test/**/*.learning.ts
//   node scripts/test.mjs <substr>   -> fast suites whose path contains <substr>
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { spawnSync } from "node:child_process";

const arg = process.argv[2];
const suffix = arg === "learning" ? ".learning.ts" : ".test.ts";
const filter = arg && arg !== "learning" ? arg : "";

function walk(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else if (name.endsWith(suffix)) out.push(relative(process.cwd(), p));
  }
  return out;
}

const files = walk("test").filter((f) => f.includes(filter));
if (files.length === 0) {
  console.error(`no test files ending in ${suffix}${filter ? ` matching "${filter}"` : ""} under test/`);
  process.exit(1);
}
const reporter = process.env.TEST_REPORTER ?? "spec";
const res = spawnSync(
  process.execPath,
  ["--import", "tsx", "--test", `--test-reporter=${reporter}`, ...files],
  { stdio: "inherit", env: { ...process.env, GUIDED_RL_QUIET: process.env.GUIDED_RL_QUIET ?? "1" } },
);
process.exit(res.status ?? 1);
