/**
 * What an action looks like, read from the environment's self-description: a discrete choice among named
 * actions, or a Box vector with named, bounded components.
 */
import type { EnvDescription } from "../../core/env.js";
import type { Action } from "./types.js";
import { componentNames } from "./trajectory-text.js";

export type ActionSpec =
  | { kind: "discrete"; n: number; meanings: string[] }
  | { kind: "box"; dim: number; names: string[]; low: number[]; high: number[] };

/** The action spec of an environment, from `describe()`. */
export function actionSpecOf(desc: EnvDescription): ActionSpec {
  if (desc.actionMeanings && desc.actionMeanings.length > 0) {
    return { kind: "discrete", n: desc.actionMeanings.length, meanings: [...desc.actionMeanings] };
  }
  const dim = desc.action.reduce((m, f) => Math.max(m, f.index[1]), 0);
  if (dim === 0) throw new Error(`${desc.id}: describe() gives neither actionMeanings nor action fields`);
  const low = new Array<number>(dim).fill(-Infinity);
  const high = new Array<number>(dim).fill(Infinity);
  for (const f of desc.action) for (let i = f.index[0]; i < f.index[1]; i++) {
    if (f.low !== undefined) low[i] = f.low;
    if (f.high !== undefined) high[i] = f.high;
  }
  return { kind: "box", dim, names: componentNames(desc.action, dim), low, high };
}

/**
 * Reads an action the LLM wrote: for discrete actions a name (any case) or an index; for Box actions an
 * array of numbers or an object keyed by component names (missing components are 0), clipped to the
 * bounds. Throws with a message saying what was wrong.
 */
export function actionFromAnswer(value: unknown, spec: ActionSpec): Action {
  if (spec.kind === "discrete") {
    if (typeof value === "number" && Number.isInteger(value) && value >= 0 && value < spec.n) return value;
    if (typeof value === "string") {
      const key = value.trim().toLowerCase();
      const i = spec.meanings.findIndex((m) => m.toLowerCase() === key);
      if (i >= 0) return i;
      if (/^\d+$/.test(key) && Number(key) < spec.n) return Number(key);
    }
    throw new Error(`not one of the actions (${spec.meanings.join(", ")}): ${JSON.stringify(value)}`);
  }
  const out = new Float32Array(spec.dim);
  if (Array.isArray(value)) {
    if (value.length !== spec.dim) throw new Error(`expected ${spec.dim} numbers, got ${value.length}`);
    value.forEach((v, i) => {
      if (typeof v !== "number" || !Number.isFinite(v)) throw new Error(`component ${i} is not a number: ${JSON.stringify(v)}`);
      out[i] = v;
    });
  } else if (typeof value === "object" && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      const i = spec.names.indexOf(k);
      if (i < 0) throw new Error(`unknown action component "${k}" (expected ${spec.names.join(", ")})`);
      if (typeof v !== "number" || !Number.isFinite(v)) throw new Error(`component ${k} is not a number: ${JSON.stringify(v)}`);
      out[i] = v;
    }
  } else {
    throw new Error(`expected an array of ${spec.dim} numbers or an object keyed by ${spec.names.join(", ")}`);
  }
  for (let i = 0; i < spec.dim; i++) out[i] = Math.min(spec.high[i]!, Math.max(spec.low[i]!, out[i]!));
  return out;
}

/** Distance between two actions in units of the action range (discrete: 0 if equal, 1 otherwise). */
export function actionDistance(a: Action, b: Action, spec: ActionSpec): number {
  if (typeof a === "number" || typeof b === "number" || spec.kind === "discrete") return a === b ? 0 : 1;
  let s = 0;
  for (let i = 0; i < spec.dim; i++) {
    const width = spec.high[i]! - spec.low[i]!;
    const d = (a[i]! - b[i]!) / (Number.isFinite(width) && width > 0 ? width : 2);
    s += d * d;
  }
  return Math.sqrt(s / spec.dim);
}
