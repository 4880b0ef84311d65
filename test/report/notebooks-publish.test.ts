import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
// @ts-expect-error: a plain .mjs script without types
import { findPython } from "../../scripts/find-python.mjs";

// scripts/run_notebooks.py: the committed form of a notebook and the freshness check CI runs on notebooks/.
const python = (findPython as (m: string[]) => { python: string })(["nbformat"]).python;
const run = (code: string) => spawnSync(python, ["-c", `import sys; sys.path.insert(0, "scripts")\nimport run_notebooks as r, nbformat\n${code}`], { encoding: "utf8" });

const figureOutput = {
  output_type: "display_data", metadata: {},
  data: { "application/vnd.plotly.v1+json": { data: [] }, "text/html": "<div>plot</div>", "image/png": "iVBOR", "text/plain": "<plotly figure>" },
};
const loaderOutput = { output_type: "display_data", metadata: { "guided-rl": "plotly.js" }, data: { "text/html": "<script>/* 4.8 MB */</script>", "text/plain": "" } };
const svgOutput = { output_type: "display_data", metadata: {}, data: { "image/svg+xml": "<svg><g/></svg>", "text/html": "<div><svg><g/></svg></div>", "text/plain": "frame" } };

function notebook(source: string): object {
  return {
    nbformat: 4, nbformat_minor: 5, metadata: {},
    cells: [
      { cell_type: "markdown", id: "m", metadata: {}, source: "# t" },
      { cell_type: "code", id: "c", execution_count: 1, metadata: { execution: { "iopub.status.busy": "2026" } }, source, outputs: [loaderOutput, figureOutput, svgOutput] },
    ],
  };
}

test("publishing keeps a figure's plotly JSON and PNG, drops its HTML and the plotly.js loader, and records the code hash", () => {
  const dir = mkdtempSync(join(tmpdir(), "grl-nb-"));
  const path = join(dir, "n.ipynb");
  writeFileSync(path, JSON.stringify(notebook("await figure(spec)")));
  const res = run(`nb = nbformat.read(${JSON.stringify(path)}, as_version=4)\nnbformat.write(r.committed_copy(nb, "showcase"), ${JSON.stringify(path)})`);
  assert.equal(res.status, 0, res.stderr);
  const nb = JSON.parse(readFileSync(path, "utf8"));
  const outputs = nb.cells[1].outputs;
  assert.equal(outputs.length, 2, "the loader output is gone");
  assert.deepEqual(Object.keys(outputs[0].data).sort(), ["application/vnd.plotly.v1+json", "image/png", "text/plain"]);
  assert.deepEqual(Object.keys(outputs[1].data).sort(), ["image/svg+xml", "text/html", "text/plain"], "an SVG keeps its HTML copy");
  assert.deepEqual(nb.cells[1].metadata, {}, "no execution timestamps");
  assert.equal(nb.metadata["guided-rl"].budget, "showcase");
  assert.match(nb.metadata["guided-rl"].code_sha256, /^[0-9a-f]{64}$/);

  const check = () => spawnSync(python, ["scripts/run_notebooks.py", "check", path], { encoding: "utf8" });
  assert.equal(check().status, 0, check().stderr);
  nb.cells[0].source = "# edited text";
  writeFileSync(path, JSON.stringify(nb));
  assert.equal(check().status, 0, "markdown edits do not make a notebook stale");
  nb.cells[1].source = "await figure(other)";
  writeFileSync(path, JSON.stringify(nb));
  const stale = check();
  assert.equal(stale.status, 1);
  assert.match(stale.stderr, /n\.ipynb: code cells changed since it was published at the showcase budget/);
  writeFileSync(path, JSON.stringify(notebook("x")));
  assert.match(check().stderr, /n\.ipynb was never published/);
});

test("the check refuses a notebook that breaks the nbformat schema every viewer reads", () => {
  const dir = mkdtempSync(join(tmpdir(), "grl-nb-"));
  const path = join(dir, "bad.ipynb");
  writeFileSync(path, JSON.stringify(notebook("x")));
  const publish = run(`nb = nbformat.read(${JSON.stringify(path)}, as_version=4)\nnbformat.write(r.committed_copy(nb, "showcase"), ${JSON.stringify(path)})`);
  assert.equal(publish.status, 0, publish.stderr);
  const check = () => spawnSync(python, ["scripts/run_notebooks.py", "check", path], { encoding: "utf8" });
  assert.equal(check().status, 0, check().stderr);
  const nb = JSON.parse(readFileSync(path, "utf8"));
  nb.cells[1].outputs[0].output_type = "display_dat"; // a typo a hand edit or a buggy tool leaves
  writeFileSync(path, JSON.stringify(nb));
  const res = check();
  assert.equal(res.status, 1);
  assert.match(res.stderr, /bad\.ipynb is not a valid nbformat 4 notebook/);
});
