/**
 * The hostile corpus of issue 7: every case must end in the right error kind while the same sandbox keeps
 * serving the next candidate (the kill cases respawn its process). After the corpus, a clean candidate still
 * evaluates correctly, nothing leaked between candidates, and the caller's batch is unchanged.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Sandbox, type SandboxErrorKind, type Transitions } from "../../src/sandbox/index.js";
import { WALKER_REWARD, walkerBatch } from "./walker-fixture.js";

interface Case {
  name: string;
  source: string;
  kind: SandboxErrorKind;
  /** Expected line in the candidate's source, when the error should carry one. */
  line?: number;
  /** Text the message must contain (case-insensitive). */
  says?: RegExp;
  /** Run as a validation (twice, determinism checked). */
  validate?: boolean;
  /** The case kills the sandbox process (wall clock or heap): it must be respawned. */
  kills?: boolean;
  /** The step budget normally ends it, but its steps are slow: on a loaded machine the wall clock may win (a kill). */
  mayKill?: boolean;
}

const fn = (body: string): string => `function computeReward(obs, action, nextObs, info) {\n${body}\n}`;

const CASES: Case[] = [
  // --- endless work -------------------------------------------------------------------------------------
  { name: "infinite while loop", source: fn("  let s = 0;\n  while (true) s++;"), kind: "timeout", line: 3, says: /step budget/ },
  { name: "infinite for(;;) with an empty body", source: fn("  for (;;);"), kind: "timeout", line: 2 },
  { name: "infinite loop that swallows the budget error", source: fn("  for (;;) {\n    try { while (true) {} } catch (e) {}\n  }"), kind: "timeout" },
  { name: "budget error caught and a normal return", source: fn("  try { while (true) {} } catch (e) {}\n  return 1;"), kind: "timeout", says: /caught/ },
  { name: "endless loop in top-level code", source: "let k = 0;\nwhile (true) k++;\n" + fn("  return 0;"), kind: "timeout", line: 2, says: /top-level/ },
  { name: "deep recursion", source: "function down(n) { return down(n + 1) + 1; }\n" + fn("  return down(0);"), kind: "runtime", line: 1, says: /call stack|recursion/ },
  {
    name: "recursion that catches stack overflows and keeps going",
    source: "function f(n) { try { return f(n + 1); } catch (e) { return f(n + 1); } }\n" + fn("  return f(0);"),
    kind: "timeout",
    mayKill: true, // every caught stack overflow is expensive: with 2 cores shared by ~25 processes it outlasted 2.5 s
  },
  { name: "callbacks of built-ins are counted too", source: fn("  return [1].concat(Array(1e6).fill(0)).map((x) => x + 1).length;"), kind: "timeout" },
  { name: "catastrophic regular expression", source: fn('  return /^(a+)+$/.test("a".repeat(40) + "!") ? 1 : 0;'), kind: "timeout", says: /wall-clock/, kills: true },
  // --- memory -------------------------------------------------------------------------------------------
  { name: "memory bomb", source: fn("  const keep = [];\n  for (;;) keep.push(new Array(100000).fill(1.5));"), kind: "memory", kills: true },
  { name: "string doubling past the maximum length", source: fn('  let s = "x";\n  for (let i = 0; i < 40; i++) s += s;\n  return s.length;'), kind: "memory" },
  { name: "huge string output", source: fn('  return "x".repeat(1e7);'), kind: "invalid-output", says: /string of length 10000000/ },
  { name: "huge component name", source: fn('  return {reward: 0, components: {["c".repeat(100000)]: 1}};'), kind: "invalid-output", says: /name/ },
  {
    name: "thousands of components",
    source: fn("  const c = {};\n  for (let i = 0; i < 5000; i++) c['k' + i] = i;\n  return {reward: 0, components: c};"),
    kind: "invalid-output",
    says: /at most/,
  },
  // --- reaching out -------------------------------------------------------------------------------------
  { name: "process", source: fn("  return process.pid;"), kind: "forbidden", line: 2, says: /process/ },
  { name: "require", source: fn('  const fs = require("fs");\n  return 0;'), kind: "forbidden", line: 2, says: /require/ },
  { name: "dynamic import()", source: fn('  import("node:fs");\n  return 0;'), kind: "forbidden", line: 2, says: /import\(\)/ },
  { name: "static import", source: 'import fs from "node:fs";\n' + fn("  return 0;"), kind: "forbidden", line: 1, says: /import/ },
  { name: "export", source: "export " + fn("  return 0;"), kind: "forbidden", line: 1, says: /export/ },
  { name: "fetch", source: fn('  fetch("http://127.0.0.1/");\n  return 0;'), kind: "forbidden", line: 2, says: /network/ },
  { name: "globalThis", source: fn("  return globalThis.process ? 1 : 0;"), kind: "forbidden", line: 2, says: /global object/ },
  { name: "typeof on an unavailable global", source: fn('  return typeof window === "undefined" ? 0 : 1;'), kind: "forbidden", line: 2 },
  { name: "shadowing trick: block-scoped name used outside its block", source: fn("  { let globalThis = 1; }\n  return globalThis;"), kind: "forbidden", line: 3 },
  { name: "Function constructor", source: fn('  return Function("return this")();'), kind: "forbidden", line: 2, says: /code generation/ },
  { name: "indirect eval", source: fn('  return (0, eval)("1");'), kind: "forbidden", line: 2, says: /code generation/ },
  { name: "constructor property", source: fn('  return (() => 0).constructor("return 1")();'), kind: "forbidden", line: 2, says: /constructor/ },
  {
    name: "constructor reached through a computed name",
    source: fn('  const key = "constr" + "uctor";\n  return (() => 0)[key]("return process")().pid;'),
    kind: "runtime",
    line: 3,
    says: /not a valid constructor/,
  },
  { name: "async code", source: "async function later() { return 1; }\n" + fn("  later();\n  return 0;"), kind: "forbidden", line: 1, says: /synchronous/ },
  { name: "Promise", source: fn("  Promise.resolve().then(() => { for (;;); });\n  return 0;"), kind: "forbidden", line: 2, says: /synchronous/ },
  { name: "shadowing the budget counter", source: fn("  const __gr_tick = () => {};\n  for (;;);"), kind: "forbidden", line: 2, says: /reserved/ },
  { name: "arguments.callee", source: fn("  return arguments.callee ? 1 : 0;"), kind: "forbidden", line: 2, says: /callee/ },
  { name: "top-level this", source: "const g = this.process;\n" + fn("  return 0;"), kind: "runtime", line: 1 },
  // --- prototype pollution and shared state --------------------------------------------------------------
  { name: "Object.prototype pollution (static)", source: fn("  Object.prototype.polluted = 1;\n  return 0;"), kind: "forbidden", line: 2, says: /prototype/ },
  { name: "__proto__ literal", source: fn("  const o = {__proto__: null};\n  return 0;"), kind: "forbidden", line: 2, says: /__proto__/ },
  {
    name: "Object.prototype pollution through getPrototypeOf",
    source: fn('  Object.getPrototypeOf({})["pol" + "luted"] = 1;\n  return 0;'),
    kind: "runtime",
    line: 2,
    says: /not extensible|read.only|Cannot add/i,
  },
  {
    name: "Array.prototype pollution through an input",
    source: fn("  Object.getPrototypeOf(obs).sum = function () { return 42; };\n  return 0;"),
    kind: "runtime",
    line: 2,
  },
  { name: "overwriting Math.abs", source: fn("  Math.abs = (x) => 0;\n  return 0;"), kind: "runtime", line: 2 },
  { name: "mutating a helper", source: fn("  clip.cache = {};\n  return 0;"), kind: "runtime", line: 2 },
  { name: "mutating the input obs", source: fn("  obs[0] = 99;\n  return 0;"), kind: "runtime", says: /modified its input obs\[0\]/ },
  { name: "mutating an info vector", source: fn("  info.torques.push(1);\n  return 0;"), kind: "runtime", says: /info\.torques/ },
  {
    name: "turning an input element into a getter",
    source: fn("  Object.defineProperty(obs, 0, { get() { for (;;); } });\n  return 0;"),
    kind: "runtime",
    says: /modified its input/,
  },
  { name: "mutating the info object", source: fn("  info.v = 7;\n  return 0;"), kind: "runtime", line: 2 },
  // --- what is thrown -----------------------------------------------------------------------------------
  { name: "throwing a number", source: fn("  throw 42;"), kind: "runtime", says: /non-Error value: 42/ },
  { name: "throwing null", source: fn("  throw null;"), kind: "runtime", says: /null/ },
  { name: "throwing a string", source: fn('  throw "nope";'), kind: "runtime", says: /string instead of an Error/ },
  { name: "throwing an object whose toString never ends", source: fn("  throw { toString() { for (;;); } };"), kind: "runtime", says: /non-Error object/ },
  {
    name: "throwing an Error whose message getter never ends",
    source: "class Sneaky extends Error { get message() { for (;;); } }\n" + fn("  throw new Sneaky();"),
    kind: "runtime",
    says: /threw Error/,
  },
  { name: "a TypeError with its line", source: fn("  const a = info.missing;\n  return a.x;"), kind: "runtime", line: 3, says: /TypeError/ },
  // --- what is returned ---------------------------------------------------------------------------------
  { name: "returning NaN", source: fn("  return 0 / 0;"), kind: "invalid-output", says: /NaN/ },
  { name: "returning Infinity", source: fn("  return 1 / 0;"), kind: "invalid-output", says: /Infinity/ },
  { name: "returning nothing", source: fn("  const r = 1;"), kind: "invalid-output", says: /undefined/ },
  { name: "returning an object without reward", source: fn("  return {value: 1};"), kind: "invalid-output", says: /no `reward`/ },
  { name: "returning a reward with valueOf", source: fn("  return {reward: {valueOf() { return 1; }}};"), kind: "invalid-output", says: /an object/ },
  { name: "returning a NaN component", source: fn("  return {reward: 1, components: {a: NaN}};"), kind: "invalid-output", says: /component `a`/ },
  {
    name: "a getter with side effects",
    source: "let reads = 0;\n" + fn("  return { get reward() { reads++; return reads; } };"),
    kind: "invalid-output",
    says: /getter/,
  },
  {
    name: "a getter on a component",
    source: fn("  const c = {};\n  Object.defineProperty(c, 'a', { get() { return 1; }, enumerable: true });\n  return {reward: 1, components: c};"),
    kind: "invalid-output",
    says: /getter/,
  },
  {
    name: "a getter inherited from a class",
    source: "class R { get reward() { return 1; } }\n" + fn("  return new R();"),
    kind: "invalid-output",
  },
  {
    name: "component names that change between steps",
    source: fn("  return info.v === 0 ? {reward: 0, components: {a: 1}} : {reward: 0, components: {b: 1}};"),
    kind: "invalid-output",
    says: /same component names/,
  },
  // --- nondeterminism -----------------------------------------------------------------------------------
  { name: "Date.now", source: fn("  return Date.now();"), kind: "forbidden", line: 2, says: /time/ },
  { name: "Math.random", source: fn("  return Math.random();"), kind: "forbidden", line: 2, says: /deterministic/ },
  { name: "Math.random through a computed name", source: fn('  return Math["ran" + "dom"]();'), kind: "runtime", line: 2, says: /deterministic/ },
  { name: "hidden state between calls", source: "let calls = 0;\n" + fn("  calls++;\n  return calls;"), kind: "invalid-output", says: /nondeterministic/, validate: true },
  // --- shape of the source ------------------------------------------------------------------------------
  { name: "syntax error", source: fn("  const x = ;\n  return x;"), kind: "syntax", line: 2 },
  { name: "with statement", source: fn("  with (obs) { return 0; }"), kind: "syntax", line: 2 },
  { name: "text that SES takes for an import expression", source: fn('  const s = "import(x)";\n  return s.length;'), kind: "syntax", line: 2, says: /import/ },
  { name: "HTML comment", source: "<!-- hi\n" + fn("  return 0;"), kind: "syntax", line: 1 },
  { name: "missing function", source: "function reward(obs) { return 0; }", kind: "syntax", says: /found none/ },
  { name: "two computeReward", source: fn("  return 0;") + "\n" + "const computeReward = () => 1;", kind: "syntax", line: 4 },
  { name: "computeReward is not a function", source: "var computeReward = 5;", kind: "syntax", says: /must be a function/ },
  { name: "source that is too long", source: fn("  return 0;") + "\n//" + "x".repeat(200_000), kind: "forbidden", says: /limit/ },
  { name: "not a string", source: 42 as unknown as string, kind: "syntax" },
];

function sample(): Transitions {
  const n = 3;
  const obs = Float32Array.from({ length: n * 3 }, (_, i) => i / 8 - 0.5);
  const nextObs = Float32Array.from({ length: n * 3 }, (_, i) => (i + 1) / 8 - 0.5);
  const actions = Float32Array.from({ length: n * 2 }, (_, i) => (i % 2 ? -0.25 : 0.5));
  const infos = Array.from({ length: n }, (_, i) => ({ v: i, contact: i % 2 === 0, torques: [0.1 * i, -0.1 * i] }));
  return { n, obsDim: 3, actDim: 2, obs, actions, nextObs, infos };
}

describe("sandbox: hostile corpus", () => {
  let sb: Sandbox;
  const batch = sample();
  const obsBefore = Float32Array.from(batch.obs);
  const infosBefore = JSON.stringify(batch.infos);

  before(async () => {
    // Generous wall clock: under load the memory bomb must reach the heap cap before the clock runs out.
    sb = await Sandbox.start({ timeoutMs: 2500, heapMb: 64 });
  });
  after(async () => {
    await sb.close();
  });

  it("has at least 30 cases", () => {
    assert.ok(CASES.length >= 30, `${CASES.length} cases`);
  });

  for (const c of CASES) {
    it(`${c.name} -> ${c.kind}`, async () => {
      const restartsBefore = sb.restarts;
      const r = c.validate ? await sb.validate(c.source, batch) : await sb.evaluate(c.source, batch);
      assert.equal(r.ok, false, `expected a ${c.kind} error, got ${JSON.stringify(r)}`);
      if (r.ok) return;
      assert.equal(r.error.kind, c.kind, `wrong kind: ${JSON.stringify(r.error)}`);
      if (c.line !== undefined) assert.equal(r.error.line, c.line, `wrong line: ${JSON.stringify(r.error)}`);
      if (c.says) assert.match(r.error.message, new RegExp(c.says.source, "i"));
      assert.ok(r.error.message.length <= 1000, "messages stay short");
      if (c.mayKill) assert.ok(sb.restarts - restartsBefore <= 1, "at most one restart");
      else assert.equal(sb.restarts, restartsBefore + (c.kills ? 1 : 0), "only the kill cases restart the process");
    });
  }

  it("after the corpus, a clean candidate evaluates correctly", async () => {
    const clean = fn(
      "  const polluted = ({}).polluted !== undefined || [].sum !== undefined || Math.abs(-2) !== 2;\n" +
        "  const progress = nextObs[0] - obs[0];\n" +
        "  const effort = -absSum(action);\n" +
        "  return {reward: polluted ? -1000 : progress + 0.1 * effort + info.v, components: {progress, effort}};",
    );
    const r = await sb.validate(clean, batch);
    assert.ok(r.ok, JSON.stringify(!r.ok && r.error));
    for (let i = 0; i < batch.n; i++) {
      const progress = batch.nextObs[i * 3]! - batch.obs[i * 3]!;
      const effort = -(Math.abs(batch.actions[i * 2]!) + Math.abs(batch.actions[i * 2 + 1]!));
      assert.equal(r.components.progress![i], progress);
      assert.equal(r.components.effort![i], effort);
      assert.equal(r.rewards[i], progress + 0.1 * effort + i);
    }
  });

  it("after the corpus, a full 2048-step walker batch still evaluates in one round trip", async (t) => {
    const walker = walkerBatch(2048);
    const restarts = sb.restarts;
    const t0 = performance.now();
    const r = await sb.evaluate(WALKER_REWARD, walker);
    t.diagnostic(`2048-step walker batch after the corpus: ${(performance.now() - t0).toFixed(1)} ms (first call, cold JIT)`);
    assert.ok(r.ok, JSON.stringify(!r.ok && r.error));
    assert.equal(r.rewards.length, 2048);
    assert.ok(r.rewards.every(Number.isFinite));
    assert.deepEqual(Object.keys(r.components), ["forward", "upright", "spin", "energy", "contacts", "fall"]);
    assert.equal(sb.restarts, restarts);
  });

  it("no candidate changed the caller's batch", () => {
    assert.deepEqual(batch.obs, obsBefore);
    assert.equal(JSON.stringify(batch.infos), infosBefore);
  });
});
