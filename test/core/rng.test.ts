import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { Generator, PCG64, SeedSequence, npRandom } from "../../src/core/rng.js";
import { referencePath } from "../../src/core/paths.js";

interface SeedVectors {
  seed_sequence_generate_state_4xuint64: string[];
  pcg64_state_after_seeding: { state: string; inc: string };
  random_raw_first_10: string[];
  random_first_10: number[];
  "uniform_-0.05_0.05_size4 (CartPole reset)": number[];
  "uniform_-1_1_x10 (scalar calls)": number[];
  "integers_0_2_x10 (scalar calls)": number[];
  "integers_5_10_x10 (scalar calls)": number[];
  "integers_-9999_9999_x4": number[];
  normal_x10: number[];
}

const reference = JSON.parse(readFileSync(referencePath("gymnasium", "numpy_rng_reference.json"), "utf8")) as {
  seeds: Record<string, SeedVectors>;
};
const fresh = (seed: number): Generator => npRandom(seed)[0];

for (const [seedText, v] of Object.entries(reference.seeds)) {
  const seed = Number(seedText);
  test(`seed ${seed}: SeedSequence state words equal numpy's`, () => {
    assert.deepEqual(new SeedSequence(seed).generateState64(4).map(String), v.seed_sequence_generate_state_4xuint64);
  });
  test(`seed ${seed}: PCG64 state after seeding equals numpy's`, () => {
    const st = new PCG64(new SeedSequence(seed)).getState();
    assert.equal(String(st.state), v.pcg64_state_after_seeding.state);
    assert.equal(String(st.inc), v.pcg64_state_after_seeding.inc);
  });
  test(`seed ${seed}: raw 64-bit outputs and random() equal numpy's bit for bit`, () => {
    const bg = new PCG64(seed);
    assert.deepEqual(Array.from({ length: 10 }, () => String(bg.nextUint64())), v.random_raw_first_10);
    assert.deepEqual(Array.from(fresh(seed).random(10)), v.random_first_10);
  });
  test(`seed ${seed}: uniform (array and scalar calls) equals numpy's bit for bit`, () => {
    assert.deepEqual(Array.from(fresh(seed).uniform(-0.05, 0.05, 4)), v["uniform_-0.05_0.05_size4 (CartPole reset)"]);
    const g = fresh(seed);
    assert.deepEqual(Array.from({ length: 10 }, () => g.uniform(-1, 1)), v["uniform_-1_1_x10 (scalar calls)"]);
  });
  test(`seed ${seed}: integers (buffered 32-bit Lemire) equal numpy's`, () => {
    let g = fresh(seed);
    assert.deepEqual(Array.from({ length: 10 }, () => g.integers(0, 2)), v["integers_0_2_x10 (scalar calls)"]);
    g = fresh(seed);
    assert.deepEqual(Array.from({ length: 10 }, () => g.integers(5, 10)), v["integers_5_10_x10 (scalar calls)"]);
    assert.deepEqual(fresh(seed).integers(-9999, 9999, 4), v["integers_-9999_9999_x4"]);
  });
  test(`seed ${seed}: normal equals numpy's to a few ulps`, () => {
    const got = fresh(seed).normal(0, 1, 10);
    v.normal_x10.forEach((want, i) => assert.ok(Math.abs(got[i]! - want) <= 4e-15 * Math.max(1, Math.abs(want)), `normal[${i}]: ${got[i]} vs ${want}`));
  });
}

test("32-bit draws share one 64-bit output (low half first) and survive interleaved doubles", () => {
  const a = new PCG64(7), b = new PCG64(7);
  const raw = b.nextUint64();
  assert.equal(a.nextUint32(), Number(raw & 0xffffffffn));
  a.nextDouble(); // the buffered high half stays pending, as in numpy
  b.nextUint64();
  assert.equal(a.nextUint32(), Number(raw >> 32n));
});

test("state round-trips through getState/setState", () => {
  const a = new PCG64(3);
  a.nextUint32();
  const saved = a.getState();
  const first = [a.nextUint32(), a.nextUint32(), a.nextDouble()];
  a.setState(saved);
  assert.deepEqual([a.nextUint32(), a.nextUint32(), a.nextDouble()], first);
});

test("integers covers every value of a range uniformly and honours endpoint", () => {
  const g = fresh(11);
  const counts = new Array(13).fill(0);
  for (let i = 0; i < 13000; i++) counts[g.integers(0, 13)]++;
  for (const c of counts) assert.ok(c > 850 && c < 1150, `count ${c}`);
  const inclusive = new Set(g.integers(0, 2, 200, true));
  assert.deepEqual([...inclusive].sort(), [0, 1, 2]);
  assert.ok(g.integers(0, 2 ** 40) < 2 ** 40);
});

test("choice draws elements with integers(0, n) as numpy does", () => {
  const deck = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 10, 10, 10];
  const a = fresh(5), b = fresh(5);
  for (let i = 0; i < 20; i++) assert.equal(a.choice(deck), deck[b.integers(0, 13)]);
});

test("exponential and normal have the right moments", () => {
  const g = fresh(1);
  const n = 20000;
  const e = g.exponential(1, n), z = g.normal(2, 3, n);
  const mean = (a: Float64Array) => a.reduce((s, x) => s + x, 0) / a.length;
  assert.ok(Math.abs(mean(e) - 1) < 0.03);
  assert.ok(Math.abs(mean(z) - 2) < 0.08);
  const vz = z.reduce((s, x) => s + (x - 2) ** 2, 0) / n;
  assert.ok(Math.abs(vz - 9) < 0.4);
});

test("bad inputs throw clear errors", () => {
  assert.throws(() => npRandom(-1), /non-negative integer/);
  assert.throws(() => npRandom(1.5), /non-negative integer/);
  assert.throws(() => fresh(0).integers(3, 3), /low >= high/);
  assert.throws(() => fresh(0).uniform(0, Infinity), /range exceeds/);
  assert.throws(() => fresh(0).uniform([0, 1], [1, 2, 3]), /broadcast/);
  assert.throws(() => fresh(0).choice([]), /non-empty/);
  assert.throws(() => fresh(0).normal(0, -1), /non-negative/);
});
