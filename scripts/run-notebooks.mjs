#!/usr/bin/env node
// `npm run notebooks [-- name ...]`: executes notebooks/*.ipynb (or the named ones) headless with the
// project-local tslab kernel, writing executed (signed) copies and HTML exports to out/notebooks/, then checks
// the HTML exports in headless Chromium (scripts/check-notebook-html.mjs). The first failing cell stops the run
// with its error text. GUIDED_RL_BUDGET=smoke|showcase|full sizes the experiments (default full).
// GUIDED_RL_CELL_TIMEOUT (seconds, default 3600; 0 = none) bounds each cell.
//
// `npm run notebooks:publish [-- name ...]`: the same at the showcase budget, then writes each notebook back
// into notebooks/ with its outputs in the committed form (figures as plotly JSON + PNG, no plotly.js; a hash
// of the code cells in the metadata). `npm run notebooks:check`: the committed notebooks are published, up to
// date with their code cells and at most 2 MB each (CI).
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { basename, resolve } from "node:path";
import { findPython } from "./find-python.mjs";

const root = process.cwd();
const jupyterPath = resolve(root, ".jupyter/share/jupyter");
const mode = process.argv[2] === "--publish" || process.argv[2] === "--check" ? process.argv[2].slice(2) : "execute";
const wanted = process.argv.slice(mode === "execute" ? 2 : 3).map((n) => basename(n, ".ipynb"));
const all = readdirSync(resolve(root, "notebooks")).filter((f) => f.endsWith(".ipynb")).sort();
const chosen = wanted.length ? all.filter((f) => wanted.some((w) => basename(f, ".ipynb") === w || basename(f, ".ipynb").startsWith(`${w}-`))) : all;
if (chosen.length === 0) {
  console.error(`notebooks: nothing to run (asked for ${wanted.join(", ") || "all"}; have ${all.join(", ") || "none"})`);
  process.exit(1);
}
const paths = chosen.map((f) => resolve(root, "notebooks", f));

let python;
try {
  python = findPython(mode === "check" ? ["nbformat"] : ["nbclient", "nbformat", "nbconvert"], root).python;
} catch (err) {
  console.error(`notebooks: ${err.message}`);
  process.exit(1);
}
const script = resolve(root, "scripts/run_notebooks.py");
if (mode === "check") {
  process.exit(spawnSync(python, [script, "check", ...paths], { stdio: "inherit" }).status ?? 1);
}

if (!existsSync(resolve(jupyterPath, "kernels/tslab/kernel.json"))) {
  const res = spawnSync(process.execPath, [resolve(root, "scripts/kernel-install.mjs")], { stdio: "inherit" });
  if (res.status !== 0) process.exit(res.status ?? 1);
}
const budget = mode === "publish" ? "showcase" : (process.env.GUIDED_RL_BUDGET || "full");
const outDir = resolve(root, "out/notebooks");
console.log(`notebooks: ${mode === "publish" ? "publishing" : "running"} ${chosen.join(", ")} with GUIDED_RL_BUDGET=${budget} (${python})`);
const res = spawnSync(
  python,
  [script, "execute", outDir, process.env.GUIDED_RL_CELL_TIMEOUT ?? "3600", ...(mode === "publish" ? ["--publish"] : []), ...paths],
  { stdio: "inherit", env: { ...process.env, JUPYTER_PATH: jupyterPath, GUIDED_RL_BUDGET: budget } },
);
if (res.status !== 0) process.exit(res.status ?? 1);
const html = chosen.map((f) => resolve(outDir, basename(f, ".ipynb") + ".html"));
process.exit(spawnSync(process.execPath, [resolve(root, "scripts/check-notebook-html.mjs"), ...html], { stdio: "inherit" }).status ?? 1);
