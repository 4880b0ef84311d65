import { test } from "node:test";
import assert from "node:assert/strict";
import { profileFigure } from "../../src/report/profile.js";
import { readUltraResult, shippedUltraResultPath, ultraPerformanceProfileFigure } from "../../src/experiments/ultra/report.js";

test("profileFigure: a band and a step curve per group on shared thresholds, fractions strictly above each threshold", () => {
  const fig = profileFigure([{ name: "A", scores: [1, 2, 3] }, { name: "B", scores: [3, 4] }], { title: "t", count: 4 });
  assert.equal(fig.data.length, 4);
  const [bandA, a, , b] = fig.data;
  assert.deepEqual(a!.x, [1, 2, 3, 4]);
  assert.deepEqual(a!.y, [2 / 3, 1 / 3, 0, 0]);
  assert.deepEqual(b!.y, [1, 1, 0.5, 0]);
  assert.equal(a!.name, "A (3 seeds)");
  assert.equal(bandA!.fill, "toself");
  // the band as steps: out along the upper edge, back along the lower, each value held until the next threshold
  assert.deepEqual(bandA!.x, [1, 2, 2, 3, 3, 4, 4, 4, 4, 3, 3, 2, 2, 1]);
  const [high, low] = [(bandA!.y as number[]).slice(0, 7), (bandA!.y as number[]).slice(7).reverse()];
  for (const edge of [high, low]) for (let i = 0; i < 3; i++) assert.equal(edge[2 * i], edge[2 * i + 1], "flat between thresholds");
  for (let i = 0; i < 7; i++) assert.ok(low[i]! <= high[i]!);
  assert.deepEqual((fig.layout!.yaxis as { range: number[] }).range, [0, 1.02]);
});

test("ULTRA's performance profile of the shipped Pong run: every row over its 5 seeds, inside its bootstrap band, surrogate named", () => {
  const r = readUltraResult(shippedUltraResultPath("pong"));
  const fig = ultraPerformanceProfileFigure(r);
  const curves = fig.data.filter((d) => d.mode === "lines");
  assert.equal(curves.length, r.summary.length);
  const finals = r.rows.map((x) => x.finalReturn);
  const lowest = Math.min(...finals);
  curves.forEach((c, k) => {
    const scores = r.rows.filter((x) => x.variant === r.summary[k]!.variant).map((x) => x.finalReturn);
    assert.equal(scores.length, 5);
    assert.match(String(c.name), / \(5 seeds\)$/);
    const y = c.y as number[];
    assert.equal(y[0], scores.filter((s) => s > lowest).length / 5, `${c.name} at the lowest threshold`);
    assert.equal(y.at(-1), 0, "no seed is above the highest score");
    const band = fig.data[2 * k]!.y as number[];
    const m = band.length / 2; // 2n - 1 points per edge: threshold i at 2i
    for (let i = 0; i < y.length; i++) {
      const high = band[2 * i]!, low = band[2 * m - 1 - 2 * i]!;
      assert.ok(low <= y[i]! + 1e-12 && y[i]! <= high + 1e-12, `${c.name}: inside the band at threshold ${i}`);
    }
  });
  assert.match(String((fig.layout!.title as { text: string }).text), /Pong-v0.*5 seeds.*guide: surrogate/);
});
