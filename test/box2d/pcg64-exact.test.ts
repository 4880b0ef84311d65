/**
 * The LunarLander draws two numbers from its PCG64 every step, so the generator's LCG step is written for
 * speed (four 32-bit words, 16-bit limb products, rippled carries in doubles). This checks that arithmetic
 * against a plain BigInt PCG XSL-RR 128/64 over many steps from states chosen to exercise every carry
 * (all ones, zero, a high word about to wrap) and from a seeded state; numpy's own vectors are in
 * test/core/rng.test.ts.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { PCG64 } from "../../src/core/rng.js";

const MASK128 = (1n << 128n) - 1n;
const MASK64 = (1n << 64n) - 1n;
const MULT = 0x2360ed051fc65da44385df649fccf645n;

/** PCG XSL-RR 128/64 in BigInt, straight from the definition: advance, then rotate hi ^ lo by state >> 122. */
function referenceOutputs(state: bigint, inc: bigint, n: number): bigint[] {
  const out: bigint[] = [];
  for (let i = 0; i < n; i++) {
    state = (state * MULT + inc) & MASK128;
    const x = ((state >> 64n) ^ state) & MASK64;
    const rot = state >> 122n;
    out.push(((x >> rot) | (x << ((64n - rot) & 63n))) & MASK64);
  }
  return out;
}

const STATES: Array<[string, bigint, bigint]> = [
  ["all ones", MASK128, MASK128],
  ["zero state, inc 1", 0n, 1n],
  ["high word about to wrap", MASK128 - 0xffffn, (1n << 127n) | 1n],
  ["mixed bits", 0x0123456789abcdeffedcba9876543210n, 0xfedcba98765432100123456789abcdefn],
];

for (const [name, state, inc] of STATES) {
  test(`PCG64 from ${name}: 20,000 raw outputs equal a BigInt reference`, () => {
    const bg = new PCG64(0);
    bg.setState({ state, inc, hasUint32: false, uinteger: 0 });
    const expected = referenceOutputs(state, inc, 20000);
    for (let i = 0; i < expected.length; i++) {
      const got = bg.nextUint64();
      if (got !== expected[i]) assert.fail(`draw ${i}: ${got} !== ${expected[i]}`);
    }
    const after = bg.getState();
    let s = state;
    for (let i = 0; i < expected.length; i++) s = (s * MULT + inc) & MASK128;
    assert.equal(after.state, s);
    assert.equal(after.inc, inc);
  });
}

test("PCG64 seeded: doubles are the top 53 bits of the reference outputs", () => {
  const bg = new PCG64(12345);
  const { state, inc } = bg.getState();
  const expected = referenceOutputs(state, inc, 5000);
  for (let i = 0; i < expected.length; i++) {
    assert.equal(bg.nextDouble(), Number(expected[i]! >> 11n) / 2 ** 53);
  }
});
