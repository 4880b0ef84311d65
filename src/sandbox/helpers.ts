/**
 * The helper functions reward code may call, and their documentation for prompts.
 *
 * The functions run inside the sandbox process (hardened after `lockdown()`), so they are written as plain,
 * deterministic, allocation-light code; `REWARD_HELPER_DOCS` is what the reward-design guide shows the LLM,
 * and the tests check that every documented helper exists and vice versa.
 */

/** Longest vector a helper accepts: bounds the work a single helper call can do outside the step budget. */
const MAX_VECTOR_LENGTH = 100_000;

function requireNumber(name: string, what: string, x: unknown): number {
  if (typeof x !== "number") throw new TypeError(`${name}: ${what} must be a number, got ${typeof x}`);
  return x;
}

function requireVector(name: string, what: string, v: unknown): ArrayLike<number> {
  if (!Array.isArray(v)) throw new TypeError(`${name}: ${what} must be an array of numbers`);
  if (v.length > MAX_VECTOR_LENGTH) throw new RangeError(`${name}: ${what} is longer than ${MAX_VECTOR_LENGTH}`);
  return v as ArrayLike<number>;
}

/** `x` limited to `[low, high]`. */
export function clip(x: number, low: number, high: number): number {
  requireNumber("clip", "x", x);
  requireNumber("clip", "low", low);
  requireNumber("clip", "high", high);
  if (low > high) throw new RangeError(`clip: low (${low}) is greater than high (${high})`);
  return x < low ? low : x > high ? high : x;
}

/** Shapes accepted by `tolerance`. */
export type ToleranceSigmoid = "gaussian" | "linear" | "quadratic" | "hyperbolic" | "longTail" | "reciprocal" | "tanhSquared";

export interface ToleranceOptions {
  lower?: number;
  upper?: number;
  margin?: number;
  sigmoid?: ToleranceSigmoid;
  valueAtMargin?: number;
}

/**
 * A smooth "is x within [lower, upper]" score: 1 inside the bounds; outside, it falls off with the distance
 * to the nearest bound, reaching `valueAtMargin` at a distance of `margin` (a hard 0 when margin is 0).
 */
export function tolerance(x: number, options: ToleranceOptions = {}): number {
  requireNumber("tolerance", "x", x);
  if (options === null || typeof options !== "object") throw new TypeError("tolerance: options must be an object");
  const lower = options.lower ?? 0;
  const upper = options.upper ?? lower;
  const margin = options.margin ?? 0;
  const sigmoid = options.sigmoid ?? "gaussian";
  const v = options.valueAtMargin ?? 0.1;
  requireNumber("tolerance", "lower", lower);
  requireNumber("tolerance", "upper", upper);
  requireNumber("tolerance", "margin", margin);
  requireNumber("tolerance", "valueAtMargin", v);
  if (lower > upper) throw new RangeError(`tolerance: lower (${lower}) is greater than upper (${upper})`);
  if (!(margin >= 0)) throw new RangeError(`tolerance: margin must be >= 0, got ${margin}`);
  if (x >= lower && x <= upper) return 1;
  if (margin === 0) return 0;
  if (!(v > 0 && v < 1)) throw new RangeError(`tolerance: valueAtMargin must be in (0, 1), got ${v}`);
  const d = (x < lower ? lower - x : x - upper) / margin;
  switch (sigmoid) {
    case "gaussian": {
      const s = Math.sqrt(-2 * Math.log(v));
      return Math.exp(-0.5 * (d * s) * (d * s));
    }
    case "linear": {
      const s = 1 - v;
      return Math.max(0, 1 - d * s);
    }
    case "quadratic": {
      const s = Math.sqrt(1 - v);
      return Math.max(0, 1 - (d * s) * (d * s));
    }
    case "hyperbolic":
      return 1 / Math.cosh(d * Math.acosh(1 / v));
    case "longTail": {
      const s = Math.sqrt(1 / v - 1);
      return 1 / ((d * s) * (d * s) + 1);
    }
    case "reciprocal":
      return 1 / (d * (1 / v - 1) + 1);
    case "tanhSquared": {
      const t = Math.tanh(d * Math.atanh(Math.sqrt(1 - v)));
      return 1 - t * t;
    }
    default:
      throw new RangeError(`tolerance: unknown sigmoid ${JSON.stringify(String(sigmoid))}`);
  }
}

/** `exp(-|x| / temperature)`: 1 at x = 0, decaying with |x|. */
export function expKernel(x: number, temperature = 1): number {
  requireNumber("expKernel", "x", x);
  requireNumber("expKernel", "temperature", temperature);
  if (!(temperature > 0)) throw new RangeError(`expKernel: temperature must be > 0, got ${temperature}`);
  return Math.exp(-Math.abs(x) / temperature);
}

/** `exp(-0.5 (x / sigma)^2)`: 1 at x = 0, Gaussian fall-off. */
export function gaussianKernel(x: number, sigma = 1): number {
  requireNumber("gaussianKernel", "x", x);
  requireNumber("gaussianKernel", "sigma", sigma);
  if (!(sigma > 0)) throw new RangeError(`gaussianKernel: sigma must be > 0, got ${sigma}`);
  const z = x / sigma;
  return Math.exp(-0.5 * z * z);
}

/** Sum of the elements. */
export function sum(v: readonly number[]): number {
  const a = requireVector("sum", "v", v);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return s;
}

/** Mean of the elements (0 for an empty array). */
export function mean(v: readonly number[]): number {
  const a = requireVector("mean", "v", v);
  return a.length === 0 ? 0 : sum(v) / a.length;
}

/** Dot product of two arrays of the same length. */
export function dot(a: readonly number[], b: readonly number[]): number {
  const x = requireVector("dot", "a", a);
  const y = requireVector("dot", "b", b);
  if (x.length !== y.length) throw new RangeError(`dot: lengths differ (${x.length} and ${y.length})`);
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * y[i]!;
  return s;
}

/** Euclidean norm. */
export function norm(v: readonly number[]): number {
  const a = requireVector("norm", "v", v);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * a[i]!;
  return Math.sqrt(s);
}

/** Sum of absolute values (L1 norm), e.g. for energy penalties on torques. */
export function absSum(v: readonly number[]): number {
  const a = requireVector("absSum", "v", v);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i]!);
  return s;
}

/** Potential-based shaping term `gamma * phiNext - phi` (keeps the optimal policy unchanged). */
export function potentialShaping(phiNext: number, phi: number, gamma = 0.99): number {
  requireNumber("potentialShaping", "phiNext", phiNext);
  requireNumber("potentialShaping", "phi", phi);
  requireNumber("potentialShaping", "gamma", gamma);
  return gamma * phiNext - phi;
}

/** The helpers by the names reward code uses. */
export const REWARD_HELPERS = {
  clip,
  tolerance,
  expKernel,
  gaussianKernel,
  sum,
  mean,
  dot,
  norm,
  absSum,
  potentialShaping,
} as const;

export type RewardHelperName = keyof typeof REWARD_HELPERS;

/** Standard globals reward code may use besides the helpers (`Math` is frozen and has no `random`). */
export const ALLOWED_STANDARD_GLOBALS: readonly string[] = [
  "Math",
  "Number",
  "Boolean",
  "String",
  "Array",
  "Object",
  "JSON",
  "Map",
  "Set",
  "Infinity",
  "NaN",
  "undefined",
  "isFinite",
  "isNaN",
  "parseFloat",
  "parseInt",
  "Error",
  "TypeError",
  "RangeError",
];

/** Every global name reward code may reference. */
export const ALLOWED_GLOBALS: readonly string[] = [...ALLOWED_STANDARD_GLOBALS, ...Object.keys(REWARD_HELPERS)];

/**
 * What reward code must look like, what it may use, and the helpers, as plain text for an LLM prompt.
 * Keep it in sync with `REWARD_HELPERS` (a test checks every helper is documented).
 */
export const REWARD_HELPER_DOCS = `Reward code rules
- Define exactly one top-level function: computeReward(obs, action, nextObs, info).
  obs and nextObs are arrays of numbers (the observation before and after the step); action is an array of
  numbers (a single number for discrete action spaces); info is an object of the step's extra data.
  All inputs are read-only: modifying one is an error (copy with .slice() if you need a changed array).
- Return either a finite number, or {reward: number, components: {name: number, ...}} where components are
  the named terms of the reward (for logging). Every step must return the same component names. Return plain
  values (no getters), all finite.
- The code must be deterministic: same inputs, same output. No state kept between calls, no Math.random,
  no Date. No import, require, async code, eval, Function, globalThis or any other global beyond:
  ${ALLOWED_STANDARD_GLOBALS.join(", ")} and the helpers below.
- Work is limited: loop iterations and function calls are counted against a budget per call (100000 by
  default), and memory and wall-clock time are capped. Keep the reward a few arithmetic lines.

Helpers (plain functions, always available)
- clip(x, low, high): x limited to [low, high].
- tolerance(x, {lower = 0, upper = lower, margin = 0, sigmoid = "gaussian", valueAtMargin = 0.1}):
  1 when lower <= x <= upper; outside, falls off with the distance to the nearest bound and equals
  valueAtMargin at distance margin (0 outside when margin is 0). sigmoid is one of "gaussian", "linear",
  "quadratic", "hyperbolic", "longTail", "reciprocal", "tanhSquared" ("linear" and "quadratic" reach 0).
- expKernel(x, temperature = 1): exp(-|x| / temperature).
- gaussianKernel(x, sigma = 1): exp(-0.5 * (x / sigma)^2).
- sum(v), mean(v), norm(v) (Euclidean), absSum(v) (sum of |v_i|), dot(a, b): on arrays of numbers.
- potentialShaping(phiNext, phi, gamma = 0.99): gamma * phiNext - phi (potential-based shaping term).

Example
function computeReward(obs, action, nextObs, info) {
  const progress = clip(nextObs[2], -1, 1);
  const upright = tolerance(nextObs[0], {lower: -0.1, upper: 0.1, margin: 0.5});
  const energy = -0.001 * absSum(action);
  return {reward: progress + 0.5 * upright + energy, components: {progress, upright, energy}};
}
`;
