// Finds the Python that has Jupyter, for `npm run kernel:install` and `npm run notebooks`: a virtual environment
// first, then the interpreter of the `jupyter` command on PATH, then python3 (PATH), then /usr/bin/python3
// (Debian's apt packages). GUIDED_RL_PYTHON overrides the search.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { delimiter, join, resolve } from "node:path";

function onPath(name) {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    const p = join(dir, name);
    if (dir && existsSync(p)) return p;
  }
  return undefined;
}

/** The interpreter named by a script's `#!` line (how pip and apt install `jupyter`). */
function shebangPython(script) {
  try {
    const first = readFileSync(script, "utf8").split("\n", 1)[0];
    const m = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(first);
    if (!m) return undefined;
    return m[1].endsWith("/env") ? (m[2] ? onPath(m[2]) : undefined) : m[1];
  } catch {
    return undefined;
  }
}

/** Candidates in order of preference, each with where it came from. */
export function pythonCandidates(root = process.cwd()) {
  const out = [];
  const add = (python, source) => {
    if (python && !out.some((c) => c.python === python)) out.push({ python, source });
  };
  if (process.env.VIRTUAL_ENV) add(join(process.env.VIRTUAL_ENV, "bin", "python"), "$VIRTUAL_ENV");
  for (const dir of [".venv", "venv"]) {
    const p = resolve(root, dir, "bin", "python");
    if (existsSync(p)) add(p, `${dir}/ (project virtual environment)`);
  }
  const jupyter = onPath("jupyter");
  if (jupyter) add(shebangPython(jupyter), `the interpreter of ${jupyter}`);
  add(onPath("python3"), "python3 on PATH");
  if (existsSync("/usr/bin/python3")) add("/usr/bin/python3", "/usr/bin/python3 (system)");
  return out;
}

/**
 * The first candidate that imports every module in `modules`, as {python, source}; with GUIDED_RL_PYTHON set,
 * that one (checked the same way). Throws an Error whose message lists what was tried and how to install Jupyter.
 */
export function findPython(modules, root = process.cwd()) {
  const candidates = process.env.GUIDED_RL_PYTHON
    ? [{ python: process.env.GUIDED_RL_PYTHON, source: "GUIDED_RL_PYTHON" }]
    : pythonCandidates(root);
  const tried = [];
  for (const c of candidates) {
    const res = spawnSync(c.python, ["-c", `import ${modules.join(", ")}`], { encoding: "utf8" });
    if (res.status === 0) return c;
    tried.push(`  ${c.python} (${c.source}): ${res.error ? res.error.message : (res.stderr.trim().split("\n").pop() ?? "failed")}`);
  }
  throw new Error(
    `no Python with ${modules.join(", ")} found. Tried:\n${tried.join("\n") || "  (no python3 at all)"}\n` +
      "Install Jupyter in a virtual environment in this folder (then run this again):\n" +
      "  python3 -m venv .venv && .venv/bin/pip install jupyterlab\n" +
      "or, on Debian/Ubuntu, the classic notebook from apt: sudo apt-get install jupyter-notebook jupyter-nbconvert python3-nbclient python3-ipykernel\n" +
      "or point GUIDED_RL_PYTHON at a python that has them.",
  );
}
