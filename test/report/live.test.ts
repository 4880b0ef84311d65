import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { liveCurve, progressLine } from "../../src/report/live.js";
import { closeRenderer } from "../../src/report/render.js";

test("progressLine: bar, counts, rate, time left, note; done says how long it took", () => {
  assert.equal(progressLine(25_000, 50_000, 10, "steps", "eval 12.0", 10), "[#####.....]  50% 25,000/50,000 steps · 2,500 steps/s · ~10 s left · eval 12.0");
  assert.equal(progressLine(50_000, 50_000, 125, "steps", "", 4), "[####] 100% 50,000/50,000 steps · 400 steps/s · done in 2 min 5 s");
  assert.equal(progressLine(3, undefined, 0, "trials"), "3 trials");
});

test("outside a notebook the live curve writes the progress line: a line per 10% without a TTY, and the last one", async () => {
  let written = "";
  const stream = { isTTY: false, write: (s: string) => ((written += s), true) } as unknown as NodeJS.WriteStream;
  const live = liveCurve({ total: 1000, stream });
  for (let step = 100; step <= 1000; step += 50) live.run({ numTimesteps: step, totalTimesteps: 1000, epRewMean: step / 10 });
  await live.done();
  const lines = written.trimEnd().split("\n");
  assert.equal(lines.length, 11, written);
  assert.match(lines[0]!, /^\[##\.+\]  10% 100\/1,000 steps/);
  assert.match(lines.at(-1)!, /100% 1,000\/1,000 steps .* done in/);
  const spec = live.spec();
  assert.equal(spec.data.length, 1);
  assert.deepEqual(spec.data[0]!.x, Array.from({ length: 19 }, (_, i) => 100 + 50 * i));
});

test("in a notebook the live curve is one display updated in place; the final update carries the plotly JSON and the PNG", { timeout: 60_000 }, async () => {
  const jupyter = createRequire(import.meta.url)("tslab/dist/jupyter") as { lastWriteDisplayData: unknown };
  const sent: { data: Record<string, unknown>; metadata: Record<string, unknown>; transient: { display_id?: string }; update: boolean }[] = [];
  jupyter.lastWriteDisplayData = (msg: { data: Record<string, unknown>; metadata: Record<string, unknown>; transient: { display_id?: string } }, update: boolean) => sent.push({ ...msg, update });
  try {
    const live = liveCurve({ title: "t", total: 100, intervalMs: 0 });
    live.point("a", 1, 1);
    live.point("a", 2, 3);
    live.progress(50);
    await live.done();
    const loader = sent.filter((m) => m.metadata["guided-rl"] === "plotly.js");
    assert.ok(loader.length <= 1, "plotly.js is sent at most once");
    const curve = sent.filter((m) => m.transient.display_id);
    assert.ok(curve.length >= 4, `${curve.length} curve messages`);
    assert.equal(new Set(curve.map((m) => m.transient.display_id)).size, 1, "one display id");
    assert.deepEqual(curve.map((m) => m.update), [false, ...curve.slice(1).map(() => true)]);
    assert.match(String(curve[2]!.data["text/plain"]), /50% 50\/100 steps/);
    assert.ok(!("image/png" in curve[2]!.data), "no PNG while it runs");
    const last = curve.at(-1)!.data;
    assert.ok("application/vnd.plotly.v1+json" in last && "image/png" in last, Object.keys(last).join());
    assert.match(String(last["text/html"]), /50% 50\/100 steps/);
  } finally {
    jupyter.lastWriteDisplayData = null;
    await closeRenderer();
  }
});
