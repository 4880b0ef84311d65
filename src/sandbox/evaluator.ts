/**
 * Evaluation of instrumented candidate code inside the sandbox process (after `lockdown()`).
 *
 * Each request gets a fresh Compartment whose global object is stripped down to the allowed globals, a frozen
 * `Math` without `random`, the hardened helpers and the budget counter. Every step receives frozen plain
 * copies of its obs / action / nextObs / info. Outputs are read through property descriptors only, and the
 * budget is "closed" (every tick throws) whenever candidate code is not supposed to run, so no getter,
 * `toString` or `valueOf` of the candidate can run while results and errors are inspected.
 */
import { ALLOWED_GLOBALS, REWARD_HELPERS } from "./helpers.js";
import type { EvaluateRequest } from "./protocol.js";
import { ENTRY_NAME, TICK_NAME } from "./static-check.js";
import type { EvaluateResult, SandboxError } from "./types.js";
import type { WireBatch } from "./wire.js";

export interface CompartmentLike {
  globalThis: Record<PropertyKey, unknown>;
  evaluate(code: string): unknown;
}
export type CompartmentConstructor = new (globals?: Record<string, unknown>) => CompartmentLike;

/** Most component names a candidate may return, and their longest name. */
const MAX_COMPONENTS = 64;
const MAX_COMPONENT_NAME = 64;
const MAX_MESSAGE = 400;

class BudgetExceeded extends Error {}

/** The budget counter shared by the instrumented code (`__gr_tick()`) and the evaluator. */
class Budget {
  remaining = -Infinity;
  exhausted = false;
  readonly tick = (): void => {
    if (--this.remaining < 0) {
      this.exhausted = true;
      throw new BudgetExceeded("the step budget is exhausted");
    }
  };
  open(steps: number): void {
    this.remaining = steps;
    this.exhausted = false;
  }
  /** Stops candidate code: from now on every tick throws. Returns whether the budget ran out while open. */
  close(): boolean {
    this.remaining = -Infinity;
    return this.exhausted;
  }
}

class Failure {
  constructor(readonly error: SandboxError) {}
}

export class Evaluator {
  private readonly safeMath: object;
  private readonly allowed = new Set(ALLOWED_GLOBALS);

  /** `harden` is SES's; the helpers and the Math copy are hardened once here. */
  constructor(
    private readonly Compartment: CompartmentConstructor,
    harden: <T>(x: T) => T,
  ) {
    const math: Record<string | symbol, unknown> = {};
    for (const key of Reflect.ownKeys(Math)) {
      if (key === "random") continue;
      Object.defineProperty(math, key, Object.getOwnPropertyDescriptor(Math, key)!);
    }
    math.random = function random(): never {
      throw new TypeError("Math.random is not available: rewards must be deterministic");
    };
    this.safeMath = harden(math);
    harden(REWARD_HELPERS);
  }

  evaluate(req: EvaluateRequest): EvaluateResult {
    const budget = new Budget();
    try {
      const fn = this.compile(req.code, req.stepBudget, budget);
      const first = this.run(fn, req.batch, req.stepBudget, budget);
      if (req.runs === 2) {
        const second = this.run(fn, req.batch, req.stepBudget, budget);
        compareRuns(first, second);
      }
      return { ok: true, rewards: first.rewards, components: first.components };
    } catch (e) {
      budget.close();
      if (e instanceof Failure) return { ok: false, error: e.error };
      return { ok: false, error: { kind: "runtime", message: clipText(`sandbox internal error: ${describeHostError(e)}`) } };
    }
  }

  private makeCompartment(budget: Budget): CompartmentLike {
    const c = new this.Compartment();
    const g = c.globalThis;
    for (const key of Object.getOwnPropertyNames(g)) {
      if (!this.allowed.has(key)) delete g[key];
    }
    const define = (name: string, value: unknown): void => {
      Object.defineProperty(g, name, { value, writable: false, enumerable: false, configurable: false });
    };
    define("Math", this.safeMath);
    for (const [name, fn] of Object.entries(REWARD_HELPERS)) define(name, fn);
    define(TICK_NAME, budget.tick);
    return c;
  }

  private compile(code: string, stepBudget: number, budget: Budget): (...args: unknown[]) => unknown {
    const compartment = this.makeCompartment(budget);
    let fn: unknown;
    budget.open(stepBudget);
    try {
      fn = compartment.evaluate(`${code}\n;${ENTRY_NAME}`);
    } catch (e) {
      const exhausted = budget.close();
      if (exhausted) {
        throw new Failure(withLine({ kind: "timeout", message: `the top-level code exceeded the step budget of ${stepBudget} loop iterations and calls` }, e));
      }
      if (isErrorOfType(e, SyntaxError)) {
        throw new Failure(withLine({ kind: "syntax", message: clipText(`syntax error: ${describeThrown(e)}`) }, e));
      }
      throw new Failure(withLine(thrownError(e, "the top-level code"), e));
    }
    budget.close();
    if (typeof fn !== "function") {
      throw new Failure({ kind: "syntax", message: `${ENTRY_NAME} must be a function, got ${fn === null ? "null" : typeof fn}` });
    }
    return fn as (...args: unknown[]) => unknown;
  }

  private run(fn: (...args: unknown[]) => unknown, batch: WireBatch, stepBudget: number, budget: Budget): RunOutput {
    const { n, obsDim, actDim, discreteActions, obs, actions, nextObs, info } = batch;
    const rewards = new Float64Array(n);
    let names: string[] | null = null;
    let columns: Float64Array[] = [];
    for (let i = 0; i < n; i++) {
      const o = row(obs, i * obsDim, obsDim);
      const a = discreteActions ? actions[i]! : row(actions, i * actDim, actDim);
      const no = row(nextObs, i * obsDim, obsDim);
      const inf = infoAt(info, i);
      let out: unknown;
      budget.open(stepBudget);
      try {
        out = fn(o, a, no, inf);
      } catch (e) {
        const exhausted = budget.close();
        if (exhausted) throw new Failure(withLine({ kind: "timeout", message: `${ENTRY_NAME} exceeded the step budget of ${stepBudget} loop iterations and calls in one call (an endless loop or recursion?)`, step: i }, e));
        throw new Failure(withLine({ ...thrownError(e, ENTRY_NAME), step: i }, e));
      }
      if (budget.close()) {
        throw new Failure({ kind: "timeout", message: `${ENTRY_NAME} exceeded the step budget of ${stepBudget} loop iterations and calls in one call (the budget error was caught; it must not be)`, step: i });
      }
      const parsed = parseOutput(out, i);
      if (names === null) {
        names = parsed.names;
        columns = names.map(() => new Float64Array(n));
      } else if (!sameNames(names, parsed.names)) {
        throw new Failure({
          kind: "invalid-output",
          message: `step ${i} returned components {${parsed.names.join(", ")}} but step 0 returned {${names.join(", ")}}; every step must return the same component names`,
          step: i,
        });
      }
      rewards[i] = parsed.reward;
      for (let k = 0; k < names.length; k++) columns[k]![i] = parsed.values[names[k]!]!;
    }
    const components: Record<string, Float64Array> = {};
    (names ?? []).forEach((name, k) => (components[name] = columns[k]!));
    return { rewards, components };
  }
}

interface RunOutput {
  rewards: Float64Array;
  components: Record<string, Float64Array>;
}

function row(src: Float32Array | Float64Array, offset: number, width: number): number[] {
  const a: number[] = [];
  for (let j = 0; j < width; j++) a.push(src[offset + j]!);
  return Object.freeze(a) as number[];
}

function boolRow(src: Uint8Array, offset: number, width: number): boolean[] {
  const a: boolean[] = [];
  for (let j = 0; j < width; j++) a.push(src[offset + j] !== 0);
  return Object.freeze(a) as boolean[];
}

function deepFreeze<T>(v: T): T {
  if (v !== null && typeof v === "object" && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const k of Object.keys(v)) deepFreeze((v as Record<string, unknown>)[k]);
  }
  return v;
}

function infoAt(columns: WireBatch["info"], i: number): Readonly<Record<string, unknown>> {
  const info: Record<string, unknown> = {};
  for (const c of columns) {
    switch (c.kind) {
      case "number":
        info[c.key] = c.data[i];
        break;
      case "boolean":
        info[c.key] = c.data[i] !== 0;
        break;
      case "numbers":
        info[c.key] = row(c.data, i * c.width, c.width);
        break;
      case "booleans":
        info[c.key] = boolRow(c.data, i * c.width, c.width);
        break;
      case "any":
        if (c.present[i]) info[c.key] = deepFreeze(c.values[i]);
        break;
    }
  }
  return Object.freeze(info);
}

function sameNames(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  const set = new Set(a);
  return b.every((x) => set.has(x));
}

/** Reads a candidate's return value without running any of its code. */
function parseOutput(out: unknown, step: number): { reward: number; names: string[]; values: Record<string, number> } {
  const invalid = (message: string): Failure => new Failure({ kind: "invalid-output", message: `step ${step}: ${message}`, step });
  if (typeof out === "number") {
    if (!Number.isFinite(out)) throw invalid(`the reward is ${out}; it must be finite`);
    return { reward: out, names: [], values: {} };
  }
  if (out === null || typeof out !== "object") {
    const what = typeof out === "string" ? `a string of length ${out.length}` : out === null ? "null" : typeof out === "function" ? "a function" : `a ${typeof out}`;
    throw invalid(`${ENTRY_NAME} returned ${what}; return a finite number or {reward, components}`);
  }
  if (Array.isArray(out)) throw invalid(`${ENTRY_NAME} returned an array; return a finite number or {reward, components}`);
  const reward = dataProperty(out, "reward", invalid, "`reward`");
  if (reward === undefined) throw invalid("the returned object has no `reward`; return {reward: number, components: {...}}");
  if (typeof reward !== "number") throw invalid(`\`reward\` is ${describeValue(reward)}; it must be a finite number`);
  if (!Number.isFinite(reward)) throw invalid(`\`reward\` is ${reward}; it must be finite`);
  const comps = dataProperty(out, "components", invalid, "`components`");
  if (comps === undefined) return { reward, names: [], values: {} };
  if (comps === null || typeof comps !== "object" || Array.isArray(comps)) {
    throw invalid(`\`components\` is ${describeValue(comps)}; it must be an object of named numbers`);
  }
  const names = Object.keys(comps);
  if (names.length > MAX_COMPONENTS) throw invalid(`${names.length} components; at most ${MAX_COMPONENTS} are allowed`);
  const values: Record<string, number> = {};
  for (const name of names) {
    if (name.length > MAX_COMPONENT_NAME) throw invalid(`a component name is ${name.length} characters long; at most ${MAX_COMPONENT_NAME} are allowed`);
    const v = dataProperty(comps, name, invalid, `component \`${name}\``);
    if (typeof v !== "number") throw invalid(`component \`${name}\` is ${describeValue(v)}; it must be a finite number`);
    if (!Number.isFinite(v)) throw invalid(`component \`${name}\` is ${v}; it must be finite`);
    values[name] = v;
  }
  return { reward, names, values };
}

function dataProperty(obj: object, key: string, invalid: (m: string) => Failure, label: string): unknown {
  const d = Object.getOwnPropertyDescriptor(obj, key);
  if (d === undefined) return undefined;
  if (!("value" in d)) throw invalid(`${label} is a getter/setter; return plain values`);
  return d.value;
}

function describeValue(v: unknown): string {
  if (v === null) return "null";
  if (typeof v === "string") return `a string of length ${v.length}`;
  if (typeof v === "object") return Array.isArray(v) ? "an array" : "an object";
  if (typeof v === "function") return "a function";
  return `a ${typeof v}`;
}

function compareRuns(a: RunOutput, b: RunOutput): void {
  const nondeterministic = (what: string, i: number, x: number, y: number): Failure =>
    new Failure({
      kind: "invalid-output",
      message: `nondeterministic: at step ${i} ${what} was ${x} the first time and ${y} the second time for the same input; the reward must not keep state between calls or depend on anything but its arguments`,
      step: i,
    });
  for (let i = 0; i < a.rewards.length; i++) if (!Object.is(a.rewards[i], b.rewards[i])) throw nondeterministic("the reward", i, a.rewards[i]!, b.rewards[i]!);
  for (const [name, col] of Object.entries(a.components)) {
    const other = b.components[name]!;
    for (let i = 0; i < col.length; i++) if (!Object.is(col[i], other[i])) throw nondeterministic(`component \`${name}\``, i, col[i]!, other[i]!);
  }
}

// --- errors ---------------------------------------------------------------------------------------------

function clipText(s: string): string {
  return s.length <= MAX_MESSAGE ? s : `${s.slice(0, MAX_MESSAGE)}... (${s.length} characters)`;
}

/** A data property found on `obj` or its prototypes, without calling getters. */
function safeRead(obj: object, key: string): unknown {
  let o: object | null = obj;
  for (let depth = 0; o !== null && depth < 16; depth++) {
    const d = Object.getOwnPropertyDescriptor(o, key);
    if (d) return "value" in d ? d.value : undefined;
    o = Object.getPrototypeOf(o) as object | null;
  }
  return undefined;
}

function isErrorOfType(e: unknown, type: { prototype: object }): boolean {
  if (e === null || typeof e !== "object") return false;
  try {
    return Object.prototype.isPrototypeOf.call(type.prototype, e);
  } catch {
    return false;
  }
}

const ERROR_TYPES = [TypeError, RangeError, ReferenceError, SyntaxError, EvalError, URIError, Error];

/** `Name: message` of an Error, read without calling accessors (SES turns some prototype fields into accessors). */
function describeThrown(e: unknown): string {
  if (!isErrorOfType(e, Error)) return "";
  const own = Object.getOwnPropertyDescriptor(e, "name");
  let name = own && typeof own.value === "string" ? own.value : undefined;
  if (name === undefined) {
    const base = ERROR_TYPES.find((t) => isErrorOfType(e, t)) ?? Error;
    name = safeRead(e as object, "name") as string | undefined;
    if (typeof name !== "string") name = base.name;
  }
  const message = safeRead(e as object, "message");
  return `${name}: ${typeof message === "string" ? message : ""}`;
}

/** The error for a value thrown by candidate code. */
function thrownError(e: unknown, where: string): SandboxError {
  if (isErrorOfType(e, Error)) {
    const text = describeThrown(e);
    if (isErrorOfType(e, RangeError) && /Maximum call stack size exceeded/.test(text)) {
      return { kind: "runtime", message: clipText(`${where} threw ${text} (recursion too deep)`) };
    }
    if (isErrorOfType(e, RangeError) && /Invalid string length|Array buffer allocation failed/.test(text)) {
      return { kind: "memory", message: clipText(`${where} ran out of memory: ${text}`) };
    }
    return { kind: "runtime", message: clipText(`${where} threw ${text}`) };
  }
  let what: string;
  if (typeof e === "string") what = `a string instead of an Error: ${JSON.stringify(e.length > 200 ? `${e.slice(0, 200)}...` : e)}`;
  else if (e === null || e === undefined || typeof e === "number" || typeof e === "boolean" || typeof e === "bigint") what = `a non-Error value: ${String(e)}`;
  else if (typeof e === "symbol") what = "a symbol";
  else {
    const message = typeof e === "object" ? safeRead(e as object, "message") : undefined;
    what = `a non-Error ${typeof e}${typeof message === "string" ? ` with message ${JSON.stringify(message.slice(0, 200))}` : ""}`;
  }
  return { kind: "runtime", message: clipText(`${where} threw ${what}; throw Error objects`) };
}

/** Adds the candidate's line to an error, read from the stack of the thrown value when it has one. */
function withLine(error: SandboxError, thrown: unknown): SandboxError {
  const line = candidateLine(thrown);
  return line === undefined ? error : { ...error, line };
}

/**
 * The innermost stack frame inside the candidate's code. Code evaluated by a Compartment shows as
 * `(eval at <anonymous> (eval at makeEvaluate (...)), <anonymous>:LINE:COL)`; SES's own wrapper has one
 * `eval at` less. Line numbers equal the source's because instrumentation adds no line breaks.
 */
export function candidateLine(thrown: unknown): number | undefined {
  if (thrown === null || typeof thrown !== "object") return undefined;
  const stack = Object.getOwnPropertyDescriptor(thrown, "stack");
  if (!stack || typeof stack.value !== "string") return undefined;
  for (const frame of stack.value.split("\n")) {
    if (!frame.includes("(eval at makeEvaluate") || frame.split("eval at ").length < 3) continue;
    const m = /<anonymous>:(\d+):\d+\)*\s*$/.exec(frame);
    if (m) return Number(m[1]);
  }
  return undefined;
}

function describeHostError(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}
