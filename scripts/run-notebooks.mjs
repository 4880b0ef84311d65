#!/usr/bin/env node
// `npm run notebooks [-- name ...]`: executes notebooks/*.ipynb (or the named ones) headless with the
// project-local tslab kernel, writing executed copies and HTML exports to out/notebooks/. The first failing
// cell stops the run with its error text. GUIDED_RL_BUDGET=smoke|full sizes the experiments (default full).
// GUIDED_RL_CELL_TIMEOUT (seconds, default 3600; 0 = none) bounds each cell.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { basename, resolve } from "node:path";

const root = process.cwd();
const jupyterPath = resolve(root, ".jupyter/share/jupyter");
const python = process.env.GUIDED_RL_PYTHON ?? (existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3");

if (!existsSync(resolve(jupyterPath, "kernels/tslab/kernel.json"))) {
  const res = spawnSync(process.execPath, [resolve(root, "scripts/kernel-install.mjs")], { stdio: "inherit" });
  if (res.status !== 0) process.exit(res.status ?? 1);
}

const wanted = process.argv.slice(2).map((n) => basename(n, ".ipynb"));
const all = readdirSync(resolve(root, "notebooks")).filter((f) => f.endsWith(".ipynb")).sort();
const chosen = wanted.length ? all.filter((f) => wanted.includes(basename(f, ".ipynb"))) : all;
if (chosen.length === 0) {
  console.error(`notebooks: nothing to run (asked for ${wanted.join(", ") || "all"}; have ${all.join(", ") || "none"})`);
  process.exit(1);
}
const budget = process.env.GUIDED_RL_BUDGET ?? "full";
console.log(`notebooks: running ${chosen.join(", ")} with GUIDED_RL_BUDGET=${budget}`);
const res = spawnSync(
  python,
  [resolve(root, "scripts/run_notebooks.py"), resolve(root, "out/notebooks"), process.env.GUIDED_RL_CELL_TIMEOUT ?? "3600", ...chosen.map((f) => resolve(root, "notebooks", f))],
  { stdio: "inherit", env: { ...process.env, JUPYTER_PATH: jupyterPath, GUIDED_RL_BUDGET: budget } },
);
process.exit(res.status ?? 1);
