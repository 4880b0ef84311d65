/** The helper functions reward code may call, and the documentation shown to the LLM. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ALLOWED_GLOBALS, ALLOWED_STANDARD_GLOBALS, REWARD_HELPER_DOCS, REWARD_HELPERS, type ToleranceSigmoid } from "../../src/sandbox/index.js";

const { clip, tolerance, expKernel, gaussianKernel, sum, mean, dot, norm, absSum, potentialShaping } = REWARD_HELPERS;
const SIGMOIDS: ToleranceSigmoid[] = ["gaussian", "linear", "quadratic", "hyperbolic", "longTail", "reciprocal", "tanhSquared"];

describe("sandbox helpers", () => {
  it("every helper is documented by name, and the docs name every allowed standard global", () => {
    for (const name of Object.keys(REWARD_HELPERS)) assert.match(REWARD_HELPER_DOCS, new RegExp(`\\b${name}\\(`), name);
    for (const name of ALLOWED_STANDARD_GLOBALS) assert.ok(REWARD_HELPER_DOCS.includes(name), name);
    for (const s of SIGMOIDS) assert.ok(REWARD_HELPER_DOCS.includes(`"${s}"`), s);
    assert.deepEqual(ALLOWED_GLOBALS, [...ALLOWED_STANDARD_GLOBALS, ...Object.keys(REWARD_HELPERS)]);
  });

  it("clip", () => {
    assert.equal(clip(5, -1, 1), 1);
    assert.equal(clip(-5, -1, 1), -1);
    assert.equal(clip(0.25, -1, 1), 0.25);
    assert.throws(() => clip(0, 1, -1), /greater than/);
    assert.throws(() => clip("1" as unknown as number, 0, 1), /must be a number/);
  });

  it("tolerance is 1 inside the bounds and equals valueAtMargin at distance margin, for every sigmoid", () => {
    for (const sigmoid of SIGMOIDS) {
      for (const valueAtMargin of [0.1, 0.5]) {
        const o = { lower: -0.2, upper: 0.3, margin: 0.5, sigmoid, valueAtMargin };
        assert.equal(tolerance(0, o), 1, sigmoid);
        assert.equal(tolerance(0.3, o), 1, sigmoid);
        assert.ok(Math.abs(tolerance(0.8, o) - valueAtMargin) < 1e-12, `${sigmoid} above`);
        assert.ok(Math.abs(tolerance(-0.7, o) - valueAtMargin) < 1e-12, `${sigmoid} below`);
        // Monotone decreasing with the distance to the bounds.
        assert.ok(tolerance(0.4, o) > tolerance(0.6, o), sigmoid);
        assert.ok(tolerance(0.6, o) >= tolerance(1.5, o), sigmoid);
      }
    }
    assert.equal(tolerance(2, { sigmoid: "linear", margin: 1, valueAtMargin: 0.5 }), 0, "linear reaches 0 at twice the margin here");
    assert.equal(tolerance(0.5, { lower: 0, upper: 0.4 }), 0, "margin 0 is a hard bound");
    assert.throws(() => tolerance(1, { margin: 1, sigmoid: "cubic" as ToleranceSigmoid }), /unknown sigmoid/);
    assert.throws(() => tolerance(1, { lower: 1, upper: 0 }), /greater than/);
    assert.throws(() => tolerance(1, { margin: 1, valueAtMargin: 1 }), /valueAtMargin/);
  });

  it("kernels and vector helpers", () => {
    assert.equal(expKernel(0), 1);
    assert.ok(Math.abs(expKernel(-2, 2) - Math.exp(-1)) < 1e-15);
    assert.ok(Math.abs(gaussianKernel(1, 1) - Math.exp(-0.5)) < 1e-15);
    assert.equal(sum([1, 2, 3]), 6);
    assert.equal(mean([1, 2, 3]), 2);
    assert.equal(mean([]), 0);
    assert.equal(dot([1, 2], [3, 4]), 11);
    assert.equal(norm([3, 4]), 5);
    assert.equal(absSum([-1, 2, -3]), 6);
    assert.ok(Math.abs(potentialShaping(2, 1, 0.5) - 0) < 1e-15);
    assert.throws(() => dot([1], [1, 2]), /lengths differ/);
    assert.throws(() => sum(new Float32Array(3) as unknown as number[]), /array of numbers/);
    assert.throws(() => expKernel(1, 0), /temperature/);
  });
});
