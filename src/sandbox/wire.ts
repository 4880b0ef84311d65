/**
 * The wire format of a transition batch between the training process and the sandbox process.
 *
 * Built for one structured-clone message per batch (`serialization: "advanced"`): observations, actions and
 * next observations travel as the flat typed arrays they already are, and info records are turned into
 * columns (a Float64Array per numeric key, a Uint8Array per boolean key, one flat array per fixed-width
 * vector key); only keys whose values are irregular travel as per-step plain data.
 */
import type { Transitions, TransitionStep, TransitionsInput } from "./types.js";

export type InfoColumn =
  | { key: string; kind: "number"; data: Float64Array }
  | { key: string; kind: "boolean"; data: Uint8Array }
  | { key: string; kind: "numbers"; width: number; data: Float64Array }
  | { key: string; kind: "booleans"; width: number; data: Uint8Array }
  /** Irregular values, per step; `present[i]` is 0 when step i has no such key. */
  | { key: string; kind: "any"; values: unknown[]; present: Uint8Array };

export interface WireBatch {
  n: number;
  obsDim: number;
  actDim: number;
  discreteActions: boolean;
  obs: Float32Array | Float64Array;
  actions: Float32Array | Float64Array;
  nextObs: Float32Array | Float64Array;
  info: InfoColumn[];
}

/** Converts either input form to the wire format, with clear errors for malformed batches. */
export function encodeTransitions(input: TransitionsInput): WireBatch {
  if (Array.isArray(input)) return encodeSteps(input as ReadonlyArray<TransitionStep>);
  if (input === null || typeof input !== "object") throw new TypeError("transitions must be a batch object or an array of steps");
  return encodeBatch(input as Transitions);
}

function encodeBatch(t: Transitions): WireBatch {
  const { n, obsDim, actDim } = t;
  for (const [name, v] of [["n", n], ["obsDim", obsDim], ["actDim", actDim]] as const) {
    if (!Number.isInteger(v) || v < 0) throw new TypeError(`transitions.${name} must be a non-negative integer, got ${v}`);
  }
  const check = (name: string, a: unknown, width: number): Float32Array | Float64Array => {
    if (!(a instanceof Float32Array || a instanceof Float64Array)) {
      throw new TypeError(`transitions.${name} must be a Float32Array or Float64Array`);
    }
    if (a.length < n * width) throw new RangeError(`transitions.${name} has ${a.length} values; expected n * ${width} = ${n * width}`);
    return a.length === n * width ? a : a.subarray(0, n * width);
  };
  const discreteActions = t.discreteActions === true;
  if (discreteActions && actDim !== 1) throw new RangeError(`discreteActions needs actDim 1, got ${actDim}`);
  if (t.infos !== undefined && (!Array.isArray(t.infos) || t.infos.length < n)) {
    throw new RangeError(`transitions.infos must hold one record per step (${n})`);
  }
  return {
    n,
    obsDim,
    actDim,
    discreteActions,
    obs: check("obs", t.obs, obsDim),
    actions: check("actions", t.actions, actDim),
    nextObs: check("nextObs", t.nextObs, obsDim),
    info: t.infos ? encodeInfos(t.infos, n) : [],
  };
}

function encodeSteps(steps: ReadonlyArray<TransitionStep>): WireBatch {
  const n = steps.length;
  if (n === 0) return { n: 0, obsDim: 0, actDim: 0, discreteActions: false, obs: new Float64Array(0), actions: new Float64Array(0), nextObs: new Float64Array(0), info: [] };
  const first = steps[0]!;
  const obsDim = vectorLength(first.obs, "steps[0].obs");
  const discreteActions = typeof first.action === "number";
  const actDim = discreteActions ? 1 : vectorLength(first.action, "steps[0].action");
  const obs = new Float64Array(n * obsDim);
  const actions = new Float64Array(n * actDim);
  const nextObs = new Float64Array(n * obsDim);
  const infos: Readonly<Record<string, unknown>>[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const s = steps[i]!;
    copyVector(s.obs, obs, i * obsDim, obsDim, `steps[${i}].obs`);
    copyVector(s.nextObs, nextObs, i * obsDim, obsDim, `steps[${i}].nextObs`);
    if (discreteActions) {
      if (typeof s.action !== "number") throw new TypeError(`steps[${i}].action must be a number like steps[0].action`);
      actions[i] = s.action;
    } else copyVector(s.action, actions, i * actDim, actDim, `steps[${i}].action`);
    infos[i] = s.info ?? {};
  }
  return { n, obsDim, actDim, discreteActions, obs, actions, nextObs, info: encodeInfos(infos, n) };
}

function vectorLength(v: unknown, name: string): number {
  if (v === null || typeof v !== "object" || typeof (v as ArrayLike<number>).length !== "number") {
    throw new TypeError(`${name} must be an array of numbers`);
  }
  return (v as ArrayLike<number>).length;
}

function copyVector(v: unknown, out: Float64Array, offset: number, width: number, name: string): void {
  if (vectorLength(v, name) !== width) throw new RangeError(`${name} has length ${(v as ArrayLike<number>).length}; expected ${width}`);
  const a = v as ArrayLike<number>;
  for (let j = 0; j < width; j++) {
    const x = a[j];
    if (typeof x !== "number") throw new TypeError(`${name}[${j}] is not a number`);
    out[offset + j] = x;
  }
}

function encodeInfos(infos: ReadonlyArray<Readonly<Record<string, unknown>>>, n: number): InfoColumn[] {
  const keys: string[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < n; i++) {
    const info = infos[i];
    if (info === null || typeof info !== "object") throw new TypeError(`infos[${i}] must be an object`);
    for (const k in info) {
      if (!seen.has(k) && Object.prototype.hasOwnProperty.call(info, k)) {
        seen.add(k);
        keys.push(k);
      }
    }
  }
  return keys.map((key) => encodeTypedColumn(infos, n, key) ?? encodeAnyColumn(infos, n, key));
}

function isNumericVector(v: unknown): v is ArrayLike<number> {
  return v instanceof Float32Array || v instanceof Float64Array || v instanceof Int32Array || v instanceof Uint8Array || (Array.isArray(v) && typeof v[0] === "number");
}

/**
 * One pass per key: the kind comes from step 0 and every later value is checked while it is copied; on the
 * first value that doesn't fit (another type, another length, a missing key) the key becomes an "any" column.
 */
function encodeTypedColumn(infos: ReadonlyArray<Readonly<Record<string, unknown>>>, n: number, key: string): InfoColumn | undefined {
  const first = infos[0]![key];
  if (typeof first === "number") {
    const data = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const v = infos[i]![key];
      if (typeof v !== "number") return undefined;
      data[i] = v;
    }
    return { key, kind: "number", data };
  }
  if (typeof first === "boolean") {
    const data = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const v = infos[i]![key];
      if (typeof v !== "boolean") return undefined;
      data[i] = v ? 1 : 0;
    }
    return { key, kind: "boolean", data };
  }
  if (Array.isArray(first) && first.length > 0 && typeof first[0] === "boolean") {
    const width = first.length;
    const data = new Uint8Array(n * width);
    for (let i = 0; i < n; i++) {
      const v = infos[i]![key];
      if (!Array.isArray(v) || v.length !== width) return undefined;
      for (let j = 0; j < width; j++) {
        const x: unknown = v[j];
        if (typeof x !== "boolean") return undefined;
        data[i * width + j] = x ? 1 : 0;
      }
    }
    return { key, kind: "booleans", width, data };
  }
  if (isNumericVector(first) && first.length > 0) {
    const width = first.length;
    const data = new Float64Array(n * width);
    for (let i = 0; i < n; i++) {
      const v = infos[i]![key];
      if (!isNumericVector(v) || v.length !== width) return undefined;
      for (let j = 0; j < width; j++) {
        const x: unknown = v[j];
        if (typeof x !== "number") return undefined;
        data[i * width + j] = x;
      }
    }
    return { key, kind: "numbers", width, data };
  }
  return undefined;
}

function encodeAnyColumn(infos: ReadonlyArray<Readonly<Record<string, unknown>>>, n: number, key: string): InfoColumn {
  const values: unknown[] = new Array(n);
  const present = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const info = infos[i]!;
    if (Object.prototype.hasOwnProperty.call(info, key)) {
      present[i] = 1;
      values[i] = toPlainData(info[key], `infos[${i}].${key}`, 0);
    }
  }
  return { key, kind: "any", values, present };
}

/** Copies a value as plain data (typed arrays become arrays); rejects functions, class instances and deep nesting. */
export function toPlainData(v: unknown, where: string, depth: number): unknown {
  if (depth > 8) throw new RangeError(`${where} is nested too deeply for the sandbox (more than 8 levels)`);
  if (v === null || v === undefined || typeof v === "number" || typeof v === "string" || typeof v === "boolean") return v;
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>);
  if (Array.isArray(v)) return v.map((x, j) => toPlainData(x, `${where}[${j}]`, depth + 1));
  if (typeof v === "object") {
    const proto = Object.getPrototypeOf(v);
    if (proto === Object.prototype || proto === null) {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v)) out[k] = toPlainData((v as Record<string, unknown>)[k], `${where}.${k}`, depth + 1);
      return out;
    }
  }
  throw new TypeError(`${where} is not plain data (${typeof v === "object" ? "a class instance" : typeof v}); the sandbox accepts numbers, strings, booleans, arrays and plain objects`);
}
