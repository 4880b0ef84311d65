import { test } from "node:test";
import assert from "node:assert/strict";
import { Box } from "../../src/core/box.js";
import { Discrete } from "../../src/core/discrete.js";
import { Tuple } from "../../src/core/tuple.js";
import { npRandom } from "../../src/core/rng.js";

test("Box: float32 bounds, shape, contains", () => {
  const b = new Box(-1, 1, [3]);
  assert.deepEqual(b.shape, [3]);
  assert.ok(b.low instanceof Float32Array);
  assert.ok(b.contains(Float32Array.of(0, 1, -1)));
  assert.ok(b.contains([0.5, 0.5, 0.5]));
  assert.ok(!b.contains(Float32Array.of(0, 1.5, 0)));
  assert.ok(!b.contains(Float32Array.of(0, NaN, 0)));
  assert.ok(!b.contains(Float32Array.of(0, 0)));
  assert.ok(!b.contains("abc"));
  assert.ok(b.contains(Float64Array.of(0.1, 0, 0)), "any numeric array is cast to float32 first");
  assert.ok(!b.contains(Float64Array.of(1.0000001, 0, 0)));
  assert.ok(b.contains(Float64Array.of(1.00000001, 0, 0)), "rounds to 1 in float32");
  const pi = new Box([-Math.PI], [Math.PI]);
  assert.equal(pi.high[0], Math.fround(Math.PI));
  assert.equal(String(b), "Box(-1, 1, (3,), float32)");
});

test("Box.sample follows Gymnasium: uniform in float64 then float32, drawn from the space's seeded generator", () => {
  const b = new Box([-2, 0], [2, 1]);
  b.seed(12345);
  const [g] = npRandom(12345);
  for (let i = 0; i < 5; i++) {
    const s = b.sample();
    const u0 = g.random(), u1 = g.random();
    assert.deepEqual(s, Float32Array.of(-2 + 4 * u0, 0 + 1 * u1));
    assert.ok(b.contains(s));
  }
});

test("Box.sample of unbounded and half-bounded coordinates: normal, then exponential below/above, then uniform", () => {
  const b = new Box([-Infinity, 0, -Infinity, -1], [Infinity, Infinity, 3, 1]);
  b.seed(7);
  const [g] = npRandom(7);
  const s = b.sample();
  const n = g.standardNormal();
  const eLow = g.standardExponential();
  const eUp = g.standardExponential();
  const u = g.random();
  assert.deepEqual(s, Float32Array.of(n, eLow + 0, -eUp + 3, -1 + 2 * u));
  assert.ok(b.contains(s));
});

test("Discrete(n, start): sample = start + integers(n); contains integers in range only", () => {
  const d = new Discrete(3, -1);
  d.seed(0);
  const [g] = npRandom(0);
  for (let i = 0; i < 20; i++) assert.equal(d.sample(), -1 + g.integers(3));
  assert.ok(d.contains(-1) && d.contains(1));
  assert.ok(!d.contains(2) && !d.contains(0.5) && !d.contains("1") && !d.contains(NaN));
  assert.equal(String(d), "Discrete(3, start=-1)");
  assert.equal(String(new Discrete(2)), "Discrete(2)");
});

test("Tuple: seeds each subspace from its own generator (Gymnasium's rule); contains checks every part", () => {
  const t = new Tuple([new Discrete(32), new Discrete(11), new Discrete(2)]);
  const seeds = t.seed(5);
  const [g] = npRandom(5);
  assert.deepEqual(seeds, g.integers(0, 2147483647, 3));
  const s = t.sample();
  assert.ok(t.contains(s));
  assert.ok(!t.contains([1, 2]));
  assert.ok(!t.contains([40, 2, 1]));
  assert.equal(String(t), "Tuple(Discrete(32), Discrete(11), Discrete(2))");
});

test("spaces: unseeded sampling works; same seed, same samples", () => {
  const a = new Box(-1, 1, [4]), b = new Box(-1, 1, [4]);
  assert.ok(a.contains(a.sample()));
  a.seed(3);
  b.seed(3);
  assert.deepEqual(a.sample(), b.sample());
  assert.deepEqual(a.seed(9), [9]);
});

test("spaces: bad construction throws clear errors", () => {
  assert.throws(() => new Box(1, -1, [2]), /low must be <= high/);
  assert.throws(() => new Box(0, 1), /shape is required/);
  assert.throws(() => new Box([0, 0], [1, 1, 1]), /3 elements/);
  assert.throws(() => new Box(NaN, 1, [1]), /NaN/);
  assert.throws(() => new Discrete(0), /positive integer/);
  assert.throws(() => new Discrete(2.5), /positive integer/);
  assert.throws(() => new Tuple([]), /at least one/);
});
