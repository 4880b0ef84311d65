import { test } from "node:test";
import assert from "node:assert/strict";
import { RunningMeanStd, VecNormalize } from "../../src/envs/index.js";
import { toSchedule } from "../../src/algos/index.js";

test("RunningMeanStd over several batches equals the statistics of all the data (plus SB3's 1e-4 prior)", () => {
  const rms = new RunningMeanStd(2);
  const rows: number[][] = [];
  for (let b = 0; b < 5; b++) {
    const batch = Array.from({ length: 3 }, (_, i) => [b + i * 0.5, -2 * b + i]);
    rows.push(...batch);
    rms.update(batch.flat(), 3);
  }
  for (let k = 0; k < 2; k++) {
    const xs = rows.map((r) => r[k]);
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const v = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
    assert.ok(Math.abs(rms.mean[k] - mean) < 1e-4);
    assert.ok(Math.abs(rms.var[k] - v) < 1e-3 * Math.max(1, v));
  }
});

test("VecNormalize: observations clipped to +-10 after standardising; rewards scaled by the return std", () => {
  const n = new VecNormalize(1, 2, { gamma: 0.5 });
  n.observe(new Float32Array([0, 2]), 2);
  const out = n.normalizeObs(new Float32Array([1, 1e6]), 2);
  assert.ok(Math.abs(out[0] - (1 - 1) / Math.sqrt(1 + 1e-8)) < 1e-3);
  assert.equal(out[1], 10);
  const r = new Float32Array([1, 3]);
  n.normalizeRewardsStep(r, new Uint8Array([0, 1]));
  // returns after one step are [1, 3]: var 1 (with the tiny prior)
  assert.ok(Math.abs(r[0] - 1) < 1e-3 && Math.abs(r[1] - 3) < 1e-3);
  const state = JSON.parse(JSON.stringify(n.getState()));
  const m = new VecNormalize(1, 2, { gamma: 0.5 });
  m.setState(state);
  assert.deepEqual(m.getState(), n.getState());
  assert.throws(() => new VecNormalize(3, 2).setState(state), /3/);
});

test("schedules: constants, rl-zoo's lin_<x>, functions, and errors", () => {
  assert.equal(toSchedule(0.1)(0.3), 0.1);
  assert.ok(Math.abs(toSchedule("lin_0.001")(0.25) - 0.00025) < 1e-12);
  assert.equal(toSchedule((p) => p * 2)(0.5), 1);
  assert.throws(() => toSchedule("cosine"), /expected a number, "lin_<start>" or a function/);
});
