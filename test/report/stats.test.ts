import { test } from "node:test";
import assert from "node:assert/strict";
import {
  bootstrapCi, formatInterval, iqm, iqmCi, meanCi, percentile, performanceProfile, profileThresholds, sampleMean,
} from "../../src/report/stats.js";
import { npRandom } from "../../src/core/rng.js";

const x = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3];
const close = (a: number, b: number, tol = 1e-9) => assert.ok(Math.abs(a - b) <= tol, `${a} != ${b}`);

test("percentile interpolates linearly between order statistics (numpy's default)", () => {
  // sorted: 1 1 2 3 3 4 5 5 6 9; position q/100 * 9
  close(percentile(x, 50), 3.5); // between 3 (pos 4) and 4 (pos 5)
  close(percentile(x, 2.5), 1); // pos 0.225 between 1 and 1
  close(percentile(x, 97.5), 6 + 3 * 0.775); // pos 8.775 between 6 and 9: 8.325
  close(percentile(x, 33), 2 + 1 * 0.97); // pos 2.97 between 2 and 3
  close(percentile(x, 0), 1);
  close(percentile(x, 100), 9);
  assert.throws(() => percentile(x, 101), /q must be in \[0, 100\]/);
});

test("iqm drops floor(n/4) runs from each end (scipy trim_mean 0.25, rliable's IQM)", () => {
  close(iqm(x), (2 + 3 + 3 + 4 + 5 + 5) / 6); // n = 10: drop 2 each side
  close(iqm(x.slice(0, 5)), (1 + 3 + 4) / 3); // n = 5: drop 1 each side
  close(iqm(x.slice(0, 7)), (1 + 2 + 3 + 4 + 5) / 5); // n = 7: drop 1 each side of 1 1 2 3 4 5 9
  close(iqm([1, 2, 3]), 2); // n = 3: nothing dropped
  close(iqm([0, 0, 0, 1000]), 0); // an outlier run does not move the IQM
  assert.ok(Number.isNaN(iqm([])));
});

test("the bootstrap resamples runs with numpy's default_rng(seed).integers(0, n, n)", () => {
  // numpy 2.4: np.random.default_rng(7).integers(0, 10, 10)
  assert.deepEqual(npRandom(7)[0].integers(0, 10, 10), [9, 6, 6, 8, 5, 7, 8, 2, 0, 3]);
  const seen: number[][] = [];
  bootstrapCi(x, (s) => (seen.push([...s]), 0), { seed: 7, resamples: 1 });
  assert.deepEqual(seen[1], [9, 6, 6, 8, 5, 7, 8, 2, 0, 3].map((i) => x[i]));
});

test("meanCi and iqmCi equal numpy/scipy percentile bootstraps with the same seed", () => {
  // reference: 2000 resamples of default_rng(0); np.percentile(stats, [2.5, 97.5])
  const m = meanCi(x, { seed: 0 });
  close(m.estimate, 3.9);
  close(m.low, 2.6);
  close(m.high, 5.4);
  assert.equal(m.n, 10);
  const q = iqmCi(x, { seed: 0 });
  close(q.estimate, 11 / 3);
  close(q.low, 2.1666666666666665);
  close(q.high, 5.3375, 1e-9);
});

test("bootstrap intervals: hand-checkable cases", () => {
  // constant runs or a single run carry no spread
  assert.deepEqual(meanCi([4, 4, 4]), { estimate: 4, low: 4, high: 4, n: 3 });
  assert.deepEqual(meanCi([2.5]), { estimate: 2.5, low: 2.5, high: 2.5, n: 1 });
  // two runs {0, 1}: resample means are 0, .5, 1 with probability 1/4, 1/2, 1/4, so the 2.5th and 97.5th
  // percentiles of 2000 resamples are the extremes
  const two = meanCi([0, 1], { seed: 3 });
  assert.deepEqual([two.estimate, two.low, two.high], [0.5, 0, 1]);
  // same seed, same interval; another seed draws other resamples
  assert.deepEqual(meanCi(x, { seed: 5 }), meanCi(x, { seed: 5 }));
  const a = meanCi(x, { seed: 1, resamples: 50 });
  const b = meanCi(x, { seed: 2, resamples: 50 });
  assert.notDeepEqual([a.low, a.high], [b.low, b.high]);
  // a wider confidence gives a wider interval
  const w = meanCi(x, { seed: 0, confidence: 0.99 });
  const m = meanCi(x, { seed: 0 });
  assert.ok(w.low <= m.low && w.high >= m.high && w.high - w.low > m.high - m.low);
  assert.ok(Number.isNaN(meanCi([]).estimate));
  assert.throws(() => meanCi([1, NaN]), /finite/);
  assert.throws(() => meanCi(x, { resamples: 0 }), /resamples must be a positive integer/);
  assert.throws(() => meanCi(x, { confidence: 1 }), /confidence must be in \(0, 1\)/);
  close(sampleMean([1, 2, 6]), 3);
});

test("performanceProfile: fraction of runs strictly above each threshold, with numpy's bootstrap band", () => {
  const p = performanceProfile(x, [0, 2.5, 5, 9], { seed: 3, resamples: 500 });
  assert.deepEqual(p.fraction, [1, 0.7, 0.2, 0]); // 5 is not > 5; 9 is not > 9
  assert.deepEqual(p.low, [1, 0.4, 0, 0]);
  assert.deepEqual(p.high, [1, 1, 0.5, 0]);
  assert.equal(p.n, 10);
  for (let i = 0; i < 4; i++) assert.ok(p.low[i]! <= p.fraction[i]! && p.fraction[i]! <= p.high[i]!);
  assert.deepEqual(profileThresholds([2, 0, 4], 3), [0, 2, 4]);
  const d = performanceProfile([2, 0, 4]);
  assert.equal(d.thresholds.length, 50);
  assert.equal(d.fraction[0], 2 / 3); // lowest threshold: the two runs above the minimum
  assert.equal(d.fraction.at(-1), 0);
});

test("formatInterval prints estimate [low, high]", () => {
  assert.equal(formatInterval({ estimate: 12.345, low: 10.05, high: 14, n: 5 }), "12.3 [10.1, 14.0]");
  assert.equal(formatInterval({ estimate: 0.5, low: 0, high: 1, n: 2 }, 2), "0.50 [0.00, 1.00]");
  assert.equal(formatInterval(meanCi([])), "n/a");
});
