/**
 * Evaluation of instrumented candidate code inside the sandbox process (after `lockdown()`).
 *
 * Each request gets a fresh Compartment whose global object is stripped down to the allowed globals; the
 * candidate sees those, a frozen `Math` without `random`, the hardened helpers and the budget counter. Every
 * step receives fresh plain copies of its obs / action / nextObs (changes are detected and reported) and a
 * frozen info object. The budget is "closed" (every tick throws) whenever candidate code is not supposed to
 * run, and every candidate function starts with a tick, so no getter, `toString` or `valueOf` written by the
 * candidate can run while results and errors are inspected.
 */
import { ALLOWED_GLOBALS, REWARD_HELPERS } from "./helpers.js";
import type { EvaluateRequest } from "./protocol.js";
import { errorTextForLlm } from "./error-text.js";
import { ENTRY_NAME, TICK_NAME } from "./static-check.js";
import type { EvaluateResult, SandboxError } from "./types.js";
import type { InfoColumn, WireBatch } from "./wire.js";

export interface CompartmentLike {
  globalThis: Record<PropertyKey, unknown>;
  evaluate(code: string): unknown;
}
export type CompartmentConstructor = new (globals?: Record<string, unknown>) => CompartmentLike;

/** Most component names a candidate may return, and their longest name. */
const MAX_COMPONENTS = 64;
const MAX_COMPONENT_NAME = 64;

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
  private readonly endowmentNames: readonly string[] = ALLOWED_GLOBALS.filter((n) => n !== "undefined" && n !== "NaN" && n !== "Infinity");

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

  private makeCompartment(): CompartmentLike {
    const c = new this.Compartment();
    const g = c.globalThis;
    for (const key of Object.getOwnPropertyNames(g)) {
      if (!this.allowed.has(key)) delete g[key];
    }
    return c;
  }

  /**
   * Evaluates the candidate inside a function whose parameters are the allowed globals, the helpers and the
   * budget counter: references to them are then plain variable reads, where a compartment global is looked up
   * through SES's scope proxy (~0.3 us each, which would dominate a 2048-step batch). The wrapper opens on
   * the candidate's first line, so line numbers are unchanged. The candidate's own global object is still
   * stripped down to the allowed names.
   */
  private compile(code: string, stepBudget: number, budget: Budget): (...args: unknown[]) => unknown {
    const compartment = this.makeCompartment();
    const names = [...this.endowmentNames, TICK_NAME];
    const values = [...this.endowmentValues(compartment), budget.tick];
    const wrapped = `(function (${names.join(", ")}) { "use strict"; return (function () { ${code}\n;return ${ENTRY_NAME}; })(); })`;
    let fn: unknown;
    try {
      const outer = compartment.evaluate(wrapped) as (...args: unknown[]) => unknown;
      budget.open(stepBudget);
      fn = outer(...values);
    } catch (e) {
      const exhausted = budget.close();
      if (exhausted) {
        throw new Failure(withLine({ kind: "timeout", message: `the top-level code exceeded the step budget of ${stepBudget} loop iterations and calls` }, e));
      }
      if (isErrorOfType(e, SyntaxError)) {
        // SES rejects some valid code (text looking like `import(`, HTML comments) and names the line itself.
        const text = describeThrown(e);
        const sesLine = /at <unknown>:(\d+)/.exec(text);
        const error: SandboxError = { kind: "syntax", message: clipText(`syntax error: ${text}`) };
        throw new Failure(sesLine ? { ...error, line: Number(sesLine[1]) } : withLine(error, e));
      }
      throw new Failure(withLine(thrownError(e, "the top-level code"), e));
    }
    budget.close();
    if (typeof fn !== "function") {
      throw new Failure({ kind: "syntax", message: `${ENTRY_NAME} must be a function, got ${fn === null ? "null" : typeof fn}` });
    }
    return fn as (...args: unknown[]) => unknown;
  }

  /** The compartment's own values of the allowed standard globals, then the helpers. */
  private endowmentValues(compartment: CompartmentLike): unknown[] {
    return this.endowmentNames.map((name) => {
      if (name === "Math") return this.safeMath;
      if (Object.prototype.hasOwnProperty.call(REWARD_HELPERS, name)) return REWARD_HELPERS[name as keyof typeof REWARD_HELPERS];
      return compartment.globalThis[name];
    });
  }

  private run(fn: (...args: unknown[]) => unknown, batch: WireBatch, stepBudget: number, budget: Budget): RunOutput {
    const { n, discreteActions, actions, info } = batch;
    const inputs = new StepInputs(batch);
    const outputs = new Outputs(n);
    for (let i = 0; i < n; i++) {
      inputs.reset();
      const o = inputs.row(inputs.obs, i);
      const a = discreteActions ? actions[i]! : inputs.row(inputs.action, i);
      const no = inputs.row(inputs.nextObs, i);
      const inf = inputs.info(info, i);
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
      const modified = inputs.modified();
      if (modified !== undefined) {
        throw new Failure({ kind: "runtime", message: `${ENTRY_NAME} modified its input ${modified}; inputs are read-only (copy with .slice() before changing)`, step: i });
      }
      outputs.add(out, i);
    }
    const { rewards, components } = outputs;
    return { rewards, components };
  }
}

interface RunOutput {
  rewards: Float64Array;
  components: Record<string, Float64Array>;
}

function deepFreeze<T>(v: T): T {
  if (v !== null && typeof v === "object" && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const k of Object.keys(v)) deepFreeze((v as Record<string, unknown>)[k]);
  }
  return v;
}

/** One input array of a step: where it was copied from, so changes by the candidate can be detected. */
interface Slot {
  readonly label: string;
  readonly src: ArrayLike<number>;
  readonly width: number;
  readonly asBoolean: boolean;
  readonly make: RowFactory;
  array: unknown[];
  offset: number;
  used: boolean;
}

/**
 * Builds one step's arguments as fresh plain arrays and a frozen info object, and tells afterwards whether
 * the candidate changed any of the arrays. Copies keep every step and the batch itself safe whatever the code
 * does; the check turns a mutation into a clear error. (Freezing each array instead costs more than the whole
 * rest of a typical evaluation: V8 re-boxes the doubles of a frozen array.)
 *
 * Per-step bookkeeping uses named properties of preallocated slot objects, never array element stores:
 * after lockdown V8's element stores lose their fast path (typed arrays ~30x, plain arrays ~8x slower, since
 * the frozen prototypes invalidate its no-elements protector), while named stores and array literals don't.
 */
class StepInputs {
  readonly obs: Slot;
  readonly action: Slot;
  readonly nextObs: Slot;
  private readonly slots: Slot[];
  private readonly columnSlots: (Slot | undefined)[];
  private readonly makeInfo: InfoFactory;

  constructor(batch: WireBatch) {
    const slot = (label: string, src: ArrayLike<number>, width: number, asBoolean = false): Slot => ({
      label,
      src,
      width,
      asBoolean,
      make: rowFactory(width, asBoolean),
      array: [],
      offset: 0,
      used: false,
    });
    this.obs = slot("obs", batch.obs, batch.obsDim);
    this.action = slot("action", batch.actions, batch.actDim);
    this.nextObs = slot("nextObs", batch.nextObs, batch.obsDim);
    this.columnSlots = batch.info.map((c) =>
      c.kind === "numbers" || c.kind === "booleans" ? slot(`info.${c.key}`, c.data, c.width, c.kind === "booleans") : undefined,
    );
    this.slots = [this.obs, this.action, this.nextObs, ...this.columnSlots.filter((x): x is Slot => x !== undefined)];
    this.makeInfo = infoFactory(batch.info);
  }

  reset(): void {
    const slots = this.slots;
    for (let k = 0; k < slots.length; k++) slots[k]!.used = false;
  }

  /** A fresh copy of row `i` of the slot's source. */
  row(s: Slot, i: number): unknown[] {
    s.offset = i * s.width;
    s.array = s.make(s.src, s.offset);
    s.used = true;
    return s.array;
  }

  /** The vector value of info column `k` at step `i` (called by the generated info factory). */
  readonly vector = (k: number, i: number): unknown[] => this.row(this.columnSlots[k]!, i);

  info(columns: WireBatch["info"], i: number): Readonly<Record<string, unknown>> {
    const info = this.makeInfo(columns, i, this.vector);
    for (let k = 0; k < columns.length; k++) {
      const c = columns[k]!;
      if (c.kind === "any" && c.present[i]) {
        Object.defineProperty(info, c.key, { value: deepFreeze(c.values[i]), writable: true, enumerable: true, configurable: true });
      }
    }
    return Object.freeze(info);
  }

  /** The first input the candidate changed (e.g. "obs[3]"), or undefined. */
  modified(): string | undefined {
    try {
      return this.firstChange();
    } catch {
      // An element turned into a getter: its candidate code threw at once (closed budget).
      return "arrays (an element was redefined)";
    }
  }

  private firstChange(): string | undefined {
    const slots = this.slots;
    for (let k = 0; k < slots.length; k++) {
      const s = slots[k]!;
      if (!s.used) continue;
      const a = s.array;
      const src = s.src;
      const off = s.offset;
      const width = s.width;
      if (a.length !== width) return `${s.label} (its length)`;
      if (s.asBoolean) {
        for (let j = 0; j < width; j++) if (a[j] !== (src[off + j] !== 0)) return `${s.label}[${j}]`;
      } else {
        for (let j = 0; j < width; j++) {
          const x = a[j];
          const y = src[off + j]!;
          if (x !== y && !(x !== x && y !== y)) return `${s.label}[${j}]`;
        }
      }
    }
    return undefined;
  }
}

type RowFactory = (src: ArrayLike<number>, offset: number) => unknown[];
const numberRowFactories: RowFactory[] = [];
const booleanRowFactories: RowFactory[] = [];
/** Rows wider than this are built with push. */
const MAX_LITERAL_ROW = 256;

/**
 * A function returning `[src[offset], src[offset + 1], ...]` as one array literal: a single packed
 * allocation, 3-10x faster than push (which grows the array) and far faster than `new Array(width)` (holey
 * arrays lose V8's fast paths once lockdown has frozen Array.prototype). The generated text contains only
 * integers; it is compiled in the sandbox process's own realm, never in a compartment.
 */
function rowFactory(width: number, asBoolean: boolean): RowFactory {
  const cache = asBoolean ? booleanRowFactories : numberRowFactories;
  let f = cache[width];
  if (f === undefined) {
    if (width > MAX_LITERAL_ROW) {
      f = asBoolean
        ? (src, offset) => {
            const a: boolean[] = [];
            for (let j = 0; j < width; j++) a.push(src[offset + j] !== 0);
            return a;
          }
        : (src, offset) => {
            const a: number[] = [];
            for (let j = 0; j < width; j++) a.push(src[offset + j]!);
            return a;
          };
    } else {
      const items = Array.from({ length: width }, (_, j) => (asBoolean ? `s[o + ${j}] !== 0` : `s[o + ${j}]`));
      f = new Function("s", "o", `return [${items.join(", ")}];`) as RowFactory;
    }
    cache[width] = f;
  }
  return f;
}

type InfoFactory = (columns: WireBatch["info"], i: number, vector: (k: number, i: number) => unknown[]) => Record<string, unknown>;
const infoFactories = new Map<string, InfoFactory>();

/**
 * A function building one step's info object as a single object literal with the batch's keys (one hidden
 * class, no per-key transitions). Keys are embedded as JSON string literals; `__proto__` (which a literal
 * would treat as the prototype) and irregular ("any") columns are added afterwards as own properties.
 */
function infoFactory(columns: WireBatch["info"]): InfoFactory {
  const signature = JSON.stringify(columns.map((c) => [c.key, c.kind]));
  let f = infoFactories.get(signature);
  if (f === undefined) {
    const fields: string[] = [];
    columns.forEach((c, k) => {
      if (c.kind === "any" || c.key === "__proto__") return;
      const key = JSON.stringify(c.key);
      if (c.kind === "number") fields.push(`${key}: c[${k}].data[i]`);
      else if (c.kind === "boolean") fields.push(`${key}: c[${k}].data[i] !== 0`);
      else fields.push(`${key}: v(${k}, i)`);
    });
    const late = columns.map((c, k) => (c.key === "__proto__" && c.kind !== "any" ? k : -1)).filter((k) => k >= 0);
    const lateCode = late
      .map((k) => `Object.defineProperty(o, "__proto__", {value: ${columns[k]!.kind === "number" ? `c[${k}].data[i]` : columns[k]!.kind === "boolean" ? `c[${k}].data[i] !== 0` : `v(${k}, i)`}, writable: true, enumerable: true, configurable: true});`)
      .join(" ");
    f = new Function("c", "i", "v", `const o = {${fields.join(", ")}}; ${lateCode} return o;`) as InfoFactory;
    if (infoFactories.size > 64) infoFactories.clear();
    infoFactories.set(signature, f);
  }
  return f;
}

/** Float64Array uses the platform's byte order; DataView writes must match it. */
const LITTLE_ENDIAN = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f;

/** Largest finite float32: rewards and components are stored as float32 by the training code. */
const FLOAT32_MAX = 3.4028234663852886e38;
const FLOAT32_RULE = "it must be finite in float32 (|x| <= 3.4e38): training stores rewards as float32";
function float32Safe(x: number): boolean {
  return Number.isFinite(x) && Math.abs(x) <= FLOAT32_MAX;
}
/** Component names that are properties of every object: they would be dropped or reach the prototype. */
const RESERVED_NAMES = new Set(["__proto__", "constructor", "prototype"]);

function invalidOutput(step: number, message: string): Failure {
  return new Failure({ kind: "invalid-output", message: `step ${step}: ${message}`, step });
}

/**
 * Collects rewards and components, reading each return value through property descriptors only (a getter
 * is an error, never called). Step 0 fixes the component names; every later step must return the same set.
 */
class Outputs {
  readonly rewards: Float64Array;
  readonly components: Record<string, Float64Array> = {};
  private names: string[] | null = null;
  /** Writers of the reward and component arrays: DataView stores keep their speed after lockdown (see StepInputs). */
  private readonly rewardView: DataView;
  private columns: DataView[] = [];
  private readonly nameIndex = new Map<string, number>();

  constructor(private readonly n: number) {
    this.rewards = new Float64Array(n);
    this.rewardView = new DataView(this.rewards.buffer);
  }

  add(out: unknown, step: number): void {
    if (typeof out === "number") {
      if (!float32Safe(out)) throw invalidOutput(step, `the reward is ${out}; ${FLOAT32_RULE}`);
      this.rewardView.setFloat64(step * 8, out, LITTLE_ENDIAN);
      this.componentsAt(step, undefined);
      return;
    }
    if (out === null || typeof out !== "object" || Array.isArray(out)) {
      throw invalidOutput(step, `${ENTRY_NAME} returned ${describeValue(out)}; return a finite number or {reward, components}`);
    }
    // Plain reads are safe here: the budget is closed, so a getter written by the candidate throws at its
    // first instruction instead of running; the descriptors then say which property was a getter.
    let reward: unknown;
    let comps: unknown;
    try {
      reward = (out as { reward?: unknown }).reward;
      comps = (out as { components?: unknown }).components;
    } catch {
      throw accessorError(out, ["reward", "components"], step, "the returned object");
    }
    if (reward === undefined) throw invalidOutput(step, "the returned object has no `reward`; return {reward: number, components: {...}}");
    if (typeof reward !== "number") throw invalidOutput(step, `\`reward\` is ${describeValue(reward)}; it must be a finite number`);
    if (!float32Safe(reward)) throw invalidOutput(step, `\`reward\` is ${reward}; ${FLOAT32_RULE}`);
    if (step === 0 && (isAccessor(out, "reward") || isAccessor(out, "components"))) throw accessorError(out, ["reward", "components"], step, "the returned object");
    this.rewardView.setFloat64(step * 8, reward, LITTLE_ENDIAN);
    if (comps !== undefined && (comps === null || typeof comps !== "object" || Array.isArray(comps))) {
      throw invalidOutput(step, `\`components\` is ${describeValue(comps)}; it must be an object of named numbers`);
    }
    this.componentsAt(step, comps as object | undefined);
  }

  private componentsAt(step: number, comps: object | undefined): void {
    if (this.names === null) this.establish(comps === undefined ? [] : Object.keys(comps), step);
    const names = this.names!;
    if (comps === undefined) {
      if (names.length !== 0) throw this.mismatch([], step);
      return;
    }
    // Object.keys/values return the candidate's own enumerable properties in creation order: usually the
    // same order as step 0, so names are matched by position and only looked up when the order differs.
    let keys: string[];
    let values: unknown[];
    try {
      keys = Object.keys(comps);
      values = Object.values(comps);
    } catch {
      throw accessorError(comps, Object.keys(comps), step, "`components`");
    }
    if (keys.length !== names.length) throw this.mismatch(keys, step);
    for (let j = 0; j < keys.length; j++) {
      let k = j;
      if (keys[j] !== names[j]) {
        k = this.nameIndex.get(keys[j]!) ?? -1;
        if (k < 0) throw this.mismatch(keys, step);
      }
      const v = values[j];
      const name = names[k]!;
      if (typeof v !== "number") throw invalidOutput(step, `component \`${name}\` is ${describeValue(v)}; it must be a finite number`);
      if (!float32Safe(v)) throw invalidOutput(step, `component \`${name}\` is ${v}; ${FLOAT32_RULE}`);
      this.columns[k]!.setFloat64(step * 8, v, LITTLE_ENDIAN);
    }
    if (step === 0) for (const name of names) if (isAccessor(comps, name)) throw accessorError(comps, [name], step, "`components`");
  }

  private establish(keys: string[], step: number): void {
    if (keys.length > MAX_COMPONENTS) throw invalidOutput(step, `${keys.length} components; at most ${MAX_COMPONENTS} are allowed`);
    for (const name of keys) {
      if (RESERVED_NAMES.has(name)) throw invalidOutput(step, `a component may not be named \`${name}\` (reserved by JavaScript objects); rename it`);
      if (name.length > MAX_COMPONENT_NAME) {
        throw invalidOutput(step, `a component name is ${name.length} characters long; at most ${MAX_COMPONENT_NAME} are allowed`);
      }
    }
    this.names = keys;
    keys.forEach((name, k) => this.nameIndex.set(name, k));
    const arrays = keys.map(() => new Float64Array(this.n));
    this.columns = arrays.map((a) => new DataView(a.buffer));
    keys.forEach((name, k) => (this.components[name] = arrays[k]!));
  }

  private mismatch(keys: string[], step: number): Failure {
    const shown = keys.length > MAX_COMPONENTS ? `${keys.length} names` : keys.map((k) => k.slice(0, MAX_COMPONENT_NAME)).join(", ");
    return invalidOutput(step, `returned components {${shown}} but step 0 returned {${this.names!.join(", ")}}; every step must return the same component names`);
  }
}

function isAccessor(obj: object, key: string): boolean {
  const d = Object.getOwnPropertyDescriptor(obj, key);
  return d !== undefined && !("value" in d);
}

function accessorError(obj: object, keys: string[], step: number, where: string): Failure {
  const getter = keys.find((k) => isAccessor(obj, k));
  return invalidOutput(step, getter !== undefined ? `\`${getter}\` is a getter/setter; return plain values` : `reading ${where} ran code (a getter on its prototype?); return plain values`);
}

function describeValue(v: unknown): string {
  if (v === null || v === undefined) return String(v);
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
  return errorTextForLlm(s);
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

/** The error for a value thrown by candidate code (never running any of the candidate's code). */
function thrownError(e: unknown, where: string): SandboxError {
  try {
    return describeThrownValue(e, where);
  } catch {
    return { kind: "runtime", message: `${where} threw a value that cannot be inspected; throw plain Error objects` };
  }
}

function describeThrownValue(e: unknown, where: string): SandboxError {
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
  let stack: PropertyDescriptor | undefined;
  try {
    // V8 formats the stack lazily and reads `message` then: a candidate's getter throws (closed budget).
    stack = Object.getOwnPropertyDescriptor(thrown, "stack");
  } catch {
    return undefined;
  }
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
