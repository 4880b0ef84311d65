import { test } from "node:test";
import assert from "node:assert/strict";
import { CriticalStateTable, fitNormalizer } from "../../src/guides/ultra/index.js";

const entry = (obs: number[], name: string) => ({ obs: Float32Array.from(obs), name });

test("normaliser: mean and standard deviation per dimension, floored", () => {
  const n = fitNormalizer([[0, 5], [2, 5], [4, 5]]);
  assert.deepEqual(Array.from(n.mean), [2, 5]);
  assert.ok(Math.abs(n.scale[0]! - Math.sqrt(8 / 3)) < 1e-6);
  assert.equal(n.scale[1], Math.fround(1e-3));
});

test("nearest neighbour in normalised units: a wide dimension does not dominate", () => {
  // dim 0 spans hundreds, dim 1 spans units: raw Euclidean distance would pick by dim 0 alone.
  const norm = { mean: Float32Array.from([0, 0]), scale: Float32Array.from([100, 1]) };
  const table = new CriticalStateTable([entry([0, 0], "a"), entry([50, 1], "b")], norm, 1);
  const m = table.nearest([40, 0.9])!;
  assert.equal(m.entry.name, "b");
  assert.ok(Math.abs(m.distance - Math.sqrt(((0.1) ** 2 + 0.1 ** 2) / 2)) < 1e-6);
  assert.equal(table.nearest([10, 0.1])!.entry.name, "a");
});

test("nothing matches beyond the radius (RMS over dimensions)", () => {
  const norm = { mean: Float32Array.from([0, 0]), scale: Float32Array.from([1, 1]) };
  const table = new CriticalStateTable([entry([0, 0], "a")], norm, 0.5);
  assert.ok(table.nearest([0.7, 0]) !== undefined); // RMS 0.495
  assert.equal(table.nearest([0.72, 0]), undefined); // RMS 0.509
  assert.equal(new CriticalStateTable([], norm, 0.5).nearest([0, 0]), undefined);
});

test("queries read a row of a flat batch at an offset", () => {
  const norm = { mean: Float32Array.from([0, 0]), scale: Float32Array.from([1, 1]) };
  const table = new CriticalStateTable([entry([1, 1], "a"), entry([-1, -1], "b")], norm, 0.3);
  const batch = Float32Array.from([5, 5, -1.1, -0.9, 1, 1.1]);
  assert.equal(table.nearest(batch, 0), undefined);
  assert.equal(table.nearest(batch, 2)!.entry.name, "b");
  assert.equal(table.nearest(batch, 4)!.entry.name, "a");
});

test("matches brute force on random data", () => {
  let seed = 7;
  const rand = () => ((seed = (1664525 * seed + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
  const points = Array.from({ length: 200 }, (_, i) => entry([rand(), rand(), rand() * 10], String(i)));
  const norm = fitNormalizer(points.map((p) => p.obs));
  const table = new CriticalStateTable(points, norm, 0.2);
  for (let q = 0; q < 200; q++) {
    const x = [rand(), rand(), rand() * 10];
    let best = -1, bestD = Infinity;
    points.forEach((p, k) => {
      let s = 0;
      for (let i = 0; i < 3; i++) s += ((x[i]! - p.obs[i]!) / norm.scale[i]!) ** 2;
      if (s < bestD) { bestD = s; best = k; }
    });
    const m = table.nearest(x);
    if (Math.sqrt(bestD / 3) <= 0.2 - 1e-5) assert.equal(m?.index, best);
    else if (Math.sqrt(bestD / 3) > 0.2 + 1e-5) assert.equal(m, undefined);
  }
});

test("bad input: clear errors", () => {
  const norm = { mean: Float32Array.from([0, 0]), scale: Float32Array.from([1, 1]) };
  assert.throws(() => new CriticalStateTable([entry([0, 0, 0], "a")], norm, 1), /3 dimensions, expected 2/);
  assert.throws(() => new CriticalStateTable([], norm, 0), /radius must be positive/);
  assert.throws(() => fitNormalizer([]), /no states/);
});
