/**
 * Statistics for reporting RL results over seeds, as modern RL papers do (Agarwal et al. 2021, "Deep RL at
 * the Edge of the Statistical Precipice", the rliable library):
 *
 *   - `meanCi` / `iqmCi`: a point estimate with a 95% percentile-bootstrap confidence interval over runs;
 *   - `iqm`: the interquartile mean, rliable's definition (`scipy.stats.trim_mean(x, 0.25)`: drop
 *     floor(n / 4) runs from each end of the sorted scores, average the rest);
 *   - `performanceProfile`: the fraction of runs whose score is strictly above each threshold (rliable's
 *     `run_score_distribution`), with a bootstrap band.
 *
 * Bootstrap resampling is seeded (numpy's `default_rng(seed).integers(0, n, n)` draws, so a Python check
 * with the same seed resamples the same runs) and percentiles use numpy's default linear interpolation.
 */
import { npRandom } from "../core/rng.js";

/** A point estimate with a confidence interval. */
export interface Interval {
  estimate: number;
  low: number;
  high: number;
  /** Number of runs the estimate came from. */
  n: number;
}

export interface BootstrapOptions {
  /** Seed of the resampling generator. Default 0. */
  seed?: number;
  /** Bootstrap resamples. Default 2000. */
  resamples?: number;
  /** Coverage of the interval. Default 0.95 (the 2.5th and 97.5th percentiles). */
  confidence?: number;
}

function checkScores(xs: readonly number[], what: string): void {
  for (const x of xs) if (!Number.isFinite(x)) throw new RangeError(`${what}: scores must be finite numbers, got ${x}`);
}

function options(o: BootstrapOptions, what: string): Required<BootstrapOptions> {
  const seed = o.seed ?? 0;
  const resamples = o.resamples ?? 2000;
  const confidence = o.confidence ?? 0.95;
  if (!Number.isInteger(resamples) || resamples < 1) throw new RangeError(`${what}: resamples must be a positive integer, got ${resamples}`);
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`${what}: confidence must be in (0, 1), got ${confidence}`);
  return { seed, resamples, confidence };
}

/** Mean and population std (numpy's default ddof=0), NaN for no values. */
export function meanStd(xs: readonly number[]): { mean: number; std: number } {
  if (xs.length === 0) return { mean: NaN, std: NaN };
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const std = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
  return { mean, std };
}

/** Arithmetic mean (NaN for no runs). */
export function sampleMean(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/** The q-th percentile (q in [0, 100]) with numpy's default linear interpolation. */
export function percentile(xs: readonly number[], q: number): number {
  if (!(q >= 0 && q <= 100)) throw new RangeError(`percentile: q must be in [0, 100], got ${q}`);
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const pos = (q / 100) * (s.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, s.length - 1);
  const frac = pos - lo;
  return frac === 0 ? s[lo]! : s[lo]! + (s[hi]! - s[lo]!) * frac;
}

/** Interquartile mean: the mean of the sorted scores without floor(n / 4) from each end (scipy's trim_mean). */
export function iqm(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const cut = Math.floor(0.25 * s.length);
  return sampleMean(s.slice(cut, s.length - cut));
}

/**
 * A percentile-bootstrap confidence interval of `statistic` over runs. With one run (or all runs equal) the
 * interval collapses to the estimate: the data carry no spread to report.
 */
export function bootstrapCi(
  xs: readonly number[],
  statistic: (sample: readonly number[]) => number = sampleMean,
  opts: BootstrapOptions = {},
): Interval {
  checkScores(xs, "bootstrapCi");
  const { seed, resamples, confidence } = options(opts, "bootstrapCi");
  const n = xs.length;
  const estimate = statistic(xs);
  if (n === 0) return { estimate: NaN, low: NaN, high: NaN, n };
  const [rng] = npRandom(seed);
  const stats: number[] = new Array(resamples);
  const sample: number[] = new Array(n);
  for (let r = 0; r < resamples; r++) {
    const idx = rng.integers(0, n, n);
    for (let i = 0; i < n; i++) sample[i] = xs[idx[i]!]!;
    stats[r] = statistic(sample);
  }
  const tail = (100 * (1 - confidence)) / 2;
  return { estimate, low: percentile(stats, tail), high: percentile(stats, 100 - tail), n };
}

/** Mean over runs with its 95% percentile-bootstrap interval. */
export function meanCi(xs: readonly number[], opts: BootstrapOptions = {}): Interval {
  return bootstrapCi(xs, sampleMean, opts);
}

/** IQM over runs with its 95% percentile-bootstrap interval. */
export function iqmCi(xs: readonly number[], opts: BootstrapOptions = {}): Interval {
  return bootstrapCi(xs, iqm, opts);
}

/** A performance profile: for each threshold, the fraction of runs scoring strictly above it. */
export interface PerformanceProfile {
  thresholds: number[];
  fraction: number[];
  /** Lower and upper edges of the bootstrap band at each threshold. */
  low: number[];
  high: number[];
  n: number;
}

/** `count` evenly spaced thresholds from the lowest to the highest score (a default axis for a profile). */
export function profileThresholds(xs: readonly number[], count = 50): number[] {
  if (xs.length === 0) return [];
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  if (count < 2 || lo === hi) return [lo];
  return Array.from({ length: count }, (_, i) => lo + ((hi - lo) * i) / (count - 1));
}

function fractionAbove(xs: readonly number[], tau: number): number {
  let k = 0;
  for (const x of xs) if (x > tau) k++;
  return xs.length === 0 ? NaN : k / xs.length;
}

/**
 * Performance-profile data (rliable's run-score distribution): the fraction of runs with score > tau for
 * each threshold tau, and a percentile-bootstrap band obtained by resampling runs (one resample of runs is
 * shared by all thresholds, so the band is that of the whole curve's resamples, pointwise).
 */
export function performanceProfile(
  xs: readonly number[],
  thresholds: readonly number[] = profileThresholds(xs),
  opts: BootstrapOptions = {},
): PerformanceProfile {
  checkScores(xs, "performanceProfile");
  const { seed, resamples, confidence } = options(opts, "performanceProfile");
  const n = xs.length;
  const fraction = thresholds.map((t) => fractionAbove(xs, t));
  if (n === 0) return { thresholds: [...thresholds], fraction, low: fraction.slice(), high: fraction.slice(), n };
  const [rng] = npRandom(seed);
  const curves: number[][] = thresholds.map(() => new Array(resamples));
  const sample: number[] = new Array(n);
  for (let r = 0; r < resamples; r++) {
    const idx = rng.integers(0, n, n);
    for (let i = 0; i < n; i++) sample[i] = xs[idx[i]!]!;
    thresholds.forEach((t, j) => (curves[j]![r] = fractionAbove(sample, t)));
  }
  const tail = (100 * (1 - confidence)) / 2;
  return {
    thresholds: [...thresholds],
    fraction,
    low: curves.map((c) => percentile(c, tail)),
    high: curves.map((c) => percentile(c, 100 - tail)),
    n,
  };
}

/** "12.3 [10.1, 14.0]" — an interval as tables print it. */
export function formatInterval(iv: Interval, digits = 1): string {
  if (!Number.isFinite(iv.estimate)) return "n/a";
  return `${iv.estimate.toFixed(digits)} [${iv.low.toFixed(digits)}, ${iv.high.toFixed(digits)}]`;
}
