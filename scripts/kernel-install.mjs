#!/usr/bin/env node
// Registers the tslab kernels (TypeScript and JavaScript) in a project-local Jupyter folder, .jupyter/,
// pointing at this project's own tslab. A kernel from another tslab copy makes display() throw "Not ready",
// so the global registry is left alone. Use it with: JUPYTER_PATH=$PWD/.jupyter/share/jupyter jupyter lab
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";

const root = process.cwd();
const tslab = resolve(root, "node_modules/.bin/tslab");
const prefix = resolve(root, ".jupyter");
const python = process.env.GUIDED_RL_PYTHON ?? (existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3");

if (!existsSync(tslab)) {
  console.error("kernel:install: node_modules/.bin/tslab is missing; run `npm ci` first.");
  process.exit(1);
}
const res = spawnSync(tslab, ["install", `--python=${python}`, `--binary=${tslab}`, `--prefix=${prefix}`], { stdio: "inherit" });
if (res.status !== 0) {
  console.error(`kernel:install: tslab install failed (exit ${res.status}). It needs Jupyter's python package: ` +
    "on Debian `apt-get install jupyter-client python3-ipykernel`, elsewhere `pip install jupyterlab`.");
  process.exit(res.status ?? 1);
}
const spec = resolve(prefix, "share/jupyter/kernels/tslab/kernel.json");
const argv = JSON.parse(readFileSync(spec, "utf8")).argv;
console.log(`kernel:install: tslab kernel registered in ${resolve(prefix, "share/jupyter")} -> ${argv[0]}`);
console.log(`  open notebooks with: JUPYTER_PATH=${resolve(prefix, "share/jupyter")} jupyter lab notebooks/`);
