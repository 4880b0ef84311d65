#!/usr/bin/env node
// Registers the tslab kernels (TypeScript and JavaScript) in a project-local Jupyter folder, .jupyter/,
// pointing at this project's own tslab. A kernel from another tslab copy makes display() throw "Not ready",
// so the global registry is left alone. The Python is the first that has Jupyter (scripts/find-python.mjs:
// a virtual environment first); the script says which it used.
// Use it with: JUPYTER_PATH=$PWD/.jupyter/share/jupyter jupyter lab
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { findPython } from "./find-python.mjs";

const root = process.cwd();
const tslab = resolve(root, "node_modules/.bin/tslab");
const prefix = resolve(root, ".jupyter");

if (!existsSync(tslab)) {
  console.error("kernel:install: node_modules/.bin/tslab is missing; run `npm ci` first.");
  process.exit(1);
}
let found;
try {
  found = findPython(["jupyter_client", "ipykernel"], root);
} catch (err) {
  console.error(`kernel:install: ${err.message}`);
  process.exit(1);
}
console.log(`kernel:install: using ${found.python} (${found.source})`);
const res = spawnSync(tslab, ["install", `--python=${found.python}`, `--binary=${tslab}`, `--prefix=${prefix}`], { stdio: "inherit" });
if (res.status !== 0) {
  console.error(`kernel:install: tslab install failed (exit ${res.status}) with ${found.python}.`);
  process.exit(res.status ?? 1);
}
const spec = resolve(prefix, "share/jupyter/kernels/tslab/kernel.json");
const argv = JSON.parse(readFileSync(spec, "utf8")).argv;
const jupyterPath = resolve(prefix, "share/jupyter");
console.log(`kernel:install: tslab kernel registered in ${jupyterPath} -> ${argv[0]}`);
console.log(`  JupyterLab:        JUPYTER_PATH=${jupyterPath} ${found.source.includes("venv") || found.source.includes("VIRTUAL_ENV") ? found.python.replace(/python$/, "jupyter") : "jupyter"} lab notebooks/`);
console.log(`  VS Code:           open a notebook, "Select Kernel" -> "Jupyter Kernel..." -> TypeScript (start VS Code with JUPYTER_PATH=${jupyterPath} set)`);
