import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, readdirSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { formatTable, tableHtml, toRows, dataFrame, formatCell } from "../../src/report/table.js";
import { figureBundle, figureHtml, saveFigure } from "../../src/report/figure.js";
import { closeRenderer, findChromium } from "../../src/report/render.js";
import { normalizeSpec, plotlyJs } from "../../src/report/plotly.js";
import { budget } from "../../src/experiments/budget.js";

const rows = [
  { env: "CartPole-v1", mean: 21.8123, n: 100 },
  { env: "Pendulum-v1", mean: -1184.5, n: 100, note: "<b>" },
];

test("formatTable aligns columns, right-aligns numeric ones and keeps first-seen column order", () => {
  const text = formatTable(rows);
  const lines = text.split("\n");
  assert.equal(lines[0]!.trim().split(/\s+/).join(","), "env,mean,n,note");
  assert.match(lines[2]!, /^CartPole-v1\s+21\.812\s+100/);
  assert.match(lines[3]!, /-1184\.500/);
  assert.equal(new Set(lines.map((l) => l.trimEnd().length <= lines[1]!.length)).has(false), false);
});

test("formatCell: integers stay integers, tiny/huge numbers use exponents, NaN is spelled out", () => {
  assert.equal(formatCell(3), "3");
  assert.equal(formatCell(0.5), "0.500");
  assert.equal(formatCell(1.5e-7), "1.50e-7");
  assert.equal(formatCell(Number.NaN), "NaN");
  assert.equal(formatCell(undefined), "");
});

test("tableHtml escapes cell text and right-aligns numbers", () => {
  const html = tableHtml(rows, { caption: "random policy" });
  assert.ok(html.includes("&lt;b&gt;"));
  assert.ok(!html.includes("<b>"));
  assert.ok(html.includes('<td style="text-align:right">-1184.500</td>'));
  assert.ok(html.includes("<caption"));
});

test("a danfo DataFrame converts to the same rows", () => {
  const df = dataFrame([{ a: 1, b: "x" }, { a: 2.5, b: "y" }]);
  const { columns, rows: back } = toRows(df);
  assert.deepEqual(columns, ["a", "b"]);
  assert.equal(back[1]!.b, "y");
  assert.equal(back[1]!.a, 2.5);
});

test("figure HTML guards against a closing script tag inside the data", () => {
  const html = figureHtml({ data: [{ y: [1], name: "</script><script>alert(1)</script>" }] });
  assert.equal(html.match(/<\/script>/g)!.length, 1);
  assert.ok(html.includes("\\u003c/script>"));
});

test("saveFigure: the .html figures of a folder share one plotly.min.js (standalone inlines it); .json is the spec; unknown extensions rejected", async () => {
  const dir = mkdtempSync(join(tmpdir(), "grl-report-"));
  const spec = { data: [{ y: [1, 3, 2], type: "scatter" }], layout: { title: "t" } };
  assert.equal(await saveFigure(spec, join(dir, "f.html")), true);
  assert.equal(await saveFigure(spec, join(dir, "g.html")), true);
  const html = readFileSync(join(dir, "f.html"), "utf8");
  assert.ok(html.length < 10_000, `a figure page without plotly.js is small (${html.length} bytes)`);
  assert.ok(html.includes('<script type="text/javascript" src="plotly.min.js"></script>'));
  assert.ok(html.includes("Plotly.newPlot"));
  assert.equal(readFileSync(join(dir, "plotly.min.js"), "utf8"), plotlyJs());
  assert.deepEqual(readdirSync(dir).sort(), ["f.html", "g.html", "plotly.min.js"]);
  assert.equal(await saveFigure(spec, join(dir, "alone", "s.html"), { standalone: true }), true);
  assert.ok(readFileSync(join(dir, "alone", "s.html"), "utf8").length > 1_000_000, "standalone: plotly.js inlined");
  assert.deepEqual(readdirSync(join(dir, "alone")), ["s.html"]);
  await saveFigure(spec, join(dir, "sub", "f.json"));
  assert.deepEqual(JSON.parse(readFileSync(join(dir, "sub", "f.json"), "utf8")), spec);
  await assert.rejects(saveFigure(spec, join(dir, "f.gif")), /unsupported extension/);
});

test("PNG and SVG: rendered by Chromium when installed (CI installs it)", { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "grl-report-"));
  const spec = { data: [{ y: [1, 3, 2], type: "scatter" }], layout: { width: 400, height: 300 } };
  const chromium = findChromium();
  assert.ok(chromium, "Chromium is expected on this machine (.ci/run installs Debian's chromium)");
  assert.equal(await saveFigure(spec, join(dir, "f.png")), true);
  const png = readFileSync(join(dir, "f.png"));
  assert.deepEqual([...png.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
  assert.equal(png.readUInt32BE(16), 800, "PNG is rendered at scale 2 of the layout width");
  assert.equal(await saveFigure(spec, join(dir, "f.svg")), true);
  assert.match(readFileSync(join(dir, "f.svg"), "utf8"), /^<svg/);
  const bundle = await figureBundle(spec);
  assert.deepEqual(Object.keys(bundle).sort(), ["application/vnd.plotly.v1+json", "image/png", "text/html", "text/plain"]);
  assert.ok(!(bundle["text/html"] as string).includes("base64"), "the PNG is stored once (image/png), not again inside the HTML");
  assert.ok((bundle["text/html"] as string).length < 10_000, "the HTML carries no plotly.js (the notebook loads it once)");
  await closeRenderer();
});

test("without Chromium a PNG is skipped with one warning, never a crash", () => {
  const script = `
    import { saveFigure, closeRenderer } from "./src/report/index.ts";
    const spec = { data: [{ y: [1, 2] }] };
    const a = await saveFigure(spec, process.env.OUT + "/a.png");
    const b = await saveFigure(spec, process.env.OUT + "/b.png");
    console.log(JSON.stringify([a, b]));
    await closeRenderer();`;
  const dir = mkdtempSync(join(tmpdir(), "grl-report-"));
  const res = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    env: { ...process.env, GUIDED_RL_CHROMIUM: "/nonexistent/chromium", OUT: dir, GUIDED_RL_QUIET: "" },
    encoding: "utf8",
  });
  assert.equal(res.status, 0, res.stderr);
  assert.equal(res.stdout.trim(), "[false,false]");
  assert.equal(res.stderr.match(/no Chromium found/g)?.length, 1);
  assert.equal(existsSync(join(dir, "a.png")), false);
});

test("budget() reads GUIDED_RL_BUDGET: full by default, smoke when asked, an error otherwise", () => {
  assert.equal(budget(undefined), "full");
  assert.equal(budget("smoke"), "smoke");
  assert.equal(budget("showcase"), "showcase");
  assert.throws(() => budget("tiny"), /must be "smoke", "showcase" or "full"/);
});

test("string titles become {text} objects (plotly.js 3+ ignores plain strings), data untouched", () => {
  const spec = { data: [{ y: [1], title: "kept" }], layout: { title: "T", xaxis: { title: "x" }, yaxis2: { title: { text: "y2" } }, legend: { title: "L" }, width: 300 } };
  const out = normalizeSpec(spec);
  assert.deepEqual(out.layout, { title: { text: "T" }, xaxis: { title: { text: "x" } }, yaxis2: { title: { text: "y2" } }, legend: { title: { text: "L" } }, width: 300 });
  assert.equal(out.data[0]!.title, "kept");
  assert.equal(spec.layout.title, "T", "the caller's spec is not mutated");
  assert.ok(figureHtml(spec).includes('"title":{"text":"T"}'));
});
