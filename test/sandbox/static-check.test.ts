/** Static checks and step-budget instrumentation of candidate reward code (no process involved). */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse } from "acorn";
import { checkAndInstrument, type CheckResult } from "../../src/sandbox/index.js";
import { TICK_NAME } from "../../src/sandbox/static-check.js";

function ok(source: string): string {
  const r: CheckResult = checkAndInstrument(source);
  assert.ok(r.ok, `expected the source to pass, got ${JSON.stringify(!r.ok && r.error)}\n${source}`);
  return r.ok ? r.code : "";
}

function rejected(source: string): { kind: string; message: string; line?: number } {
  const r = checkAndInstrument(source);
  assert.equal(r.ok, false, `expected a rejection:\n${source}`);
  return r.ok ? { kind: "", message: "" } : r.error;
}

const ticks = (code: string): number => code.split(`${TICK_NAME}()`).length - 1;

/** Legitimate code in many syntactic forms: each must pass, and instrument to valid code on the same lines. */
const LEGIT: { name: string; source: string; ticks: number }[] = [
  { name: "plain function", source: "function computeReward(o, a, n, info) {\n  return n[0] - o[0];\n}", ticks: 1 },
  { name: "arrow with expression body", source: "const computeReward = (o) => o[0] * 2;", ticks: 1 },
  { name: "arrow returning an object literal", source: "const computeReward = (o) => ({reward: o[0]});", ticks: 1 },
  { name: "function expression with a name", source: "const computeReward = function f(o) { return o.length ? 1 : f([1]); };", ticks: 1 },
  {
    name: "loops of every kind, with and without blocks",
    source: [
      "function computeReward(o, a) {",
      "  let s = 0;",
      "  for (let i = 0; i < o.length; i++) s += o[i];",
      "  for (const x of a) { s += x; }",
      "  for (const k in {a: 1}) s += k.length;",
      "  let j = 0;",
      "  while (j < 3) j++;",
      "  do j--; while (j > 0);",
      "  outer: for (;;) { for (;;) break outer; }",
      "  for (;;) break;",
      "  return s;",
      "}",
    ].join("\n"),
    ticks: 1 + 8,
  },
  {
    name: "destructuring, defaults, rest, spread",
    source: [
      "const W = {forward: 1.5, upright: 0.5};",
      "function computeReward([angle, , vx, ...rest], action, next, {contacts = [false, false], ...others} = {}) {",
      "  const {forward, upright: up = 0} = W;",
      "  const [a0 = 0] = action;",
      "  let x, y;",
      "  [x, y] = [1, 2];",
      "  ({x, y} = {x: 3, y: 4});",
      "  return forward * vx + up * Math.max(...[angle, a0]) + x + y + rest.length + Object.keys(others).length + (contacts[0] ? 1 : 0);",
      "}",
    ].join("\n"),
    ticks: 1,
  },
  {
    name: "classes, getters, static blocks, private fields",
    source: [
      "class Acc {",
      "  #total = 0;",
      "  static zero = 0;",
      "  static { Acc.zero = 0; }",
      "  constructor(x) { this.#total = x; }",
      "  get total() { return this.#total; }",
      "  has(o) { return #total in o; }",
      "}",
      "function computeReward(o) { return new Acc(o[0]).total; }",
    ].join("\n"),
    ticks: 3 + 1,
  },
  {
    name: "switch, labels, try/catch/finally, optional chaining, templates, regex literal",
    source: [
      "function computeReward(o, a, n, info) {",
      "  let r = 0;",
      "  switch (o.length) { case 0: { const z = 1; r = z; break; } default: r = 2; }",
      "  try { r += info?.bonus ?? 0; } catch ({message}) { r = message.length; } finally { r += 0; }",
      "  const s = `${r}`;",
      "  return /\\d/.test(s) ? r : 0;",
      "}",
    ].join("\n"),
    ticks: 1,
  },
  {
    name: "local names that shadow forbidden globals are fine",
    source: "function computeReward(process, require, fetch) { const Date = 1; return Date + process[0]; }",
    ticks: 1,
  },
  { name: "generators are allowed", source: "function* g() { yield 1; }\nfunction computeReward() { let s = 0; for (const x of g()) s += x; return s; }", ticks: 3 },
  { name: "helpers and allowed globals", source: "function computeReward(o) { return clip(o[0], -1, 1) + tolerance(o[1], {margin: 1}) + Number.EPSILON + JSON.stringify([]).length + Math.PI; }", ticks: 1 },
  { name: "a comment on the last line", source: "function computeReward() { return 1; } // done", ticks: 1 },
  { name: "a string that merely mentions process", source: 'function computeReward() { const s = "process.exit()"; return s.length; }', ticks: 1 },
  { name: "a class method called constructor is a constructor", source: "class A { constructor() { this.v = 1; } }\nfunction computeReward() { return new A().v; }", ticks: 2 },
];

describe("sandbox static checks: legitimate code", () => {
  for (const c of LEGIT) {
    it(`${c.name}: passes, instruments to valid code on the same lines`, () => {
      const code = ok(c.source);
      assert.doesNotThrow(() => parse(code, { ecmaVersion: 2023, sourceType: "module" }), code);
      assert.equal(code.split("\n").length, c.source.split("\n").length, "no line breaks added");
      assert.equal(ticks(code), c.ticks, code);
    });
  }

  it("every line keeps its original text apart from inserted ticks", () => {
    const c = LEGIT[4]!;
    const code = ok(c.source);
    const strip = (s: string): string => s.split(`${TICK_NAME}();`).join("").replace(/[{}\s]/g, "");
    code.split("\n").forEach((line, i) => assert.equal(strip(line), strip(c.source.split("\n")[i]!)));
  });
});

describe("sandbox static checks: rejections", () => {
  it("syntax errors carry the line and no acorn position suffix", () => {
    const e = rejected("function computeReward() {\n  return 1 +;\n}");
    assert.equal(e.kind, "syntax");
    assert.equal(e.line, 2);
    assert.doesNotMatch(e.message, /\(\d+:\d+\)$/);
  });

  it("lists every violation with its line, first line first", () => {
    const e = rejected("function computeReward() {\n  process.exit();\n  const x = require('fs');\n  return fetch;\n}");
    assert.equal(e.kind, "forbidden");
    assert.equal(e.line, 2);
    assert.match(e.message, /line 2: `process`/);
    assert.match(e.message, /line 3: `require`/);
    assert.match(e.message, /line 4: `fetch`/);
  });

  it("unknown names are forbidden (typos included)", () => {
    const e = rejected("function computeReward(obs) { return obss[0]; }");
    assert.equal(e.kind, "forbidden");
    assert.match(e.message, /`obss` is not defined/);
  });

  it("block scoping is resolved exactly: a let in an inner block does not declare the name outside", () => {
    assert.equal(rejected("function computeReward() { if (true) { const Date = 1; } return Date.now(); }").kind, "forbidden");
    ok("function computeReward() { if (true) { var v = 1; } return v; }");
    assert.equal(rejected("function computeReward() { for (let i = 0; i < 1; i++) {} return i; }").kind, "forbidden");
    assert.equal(rejected("function computeReward() { try {} catch (globalThis) {} return globalThis; }").kind, "forbidden");
  });

  it("a function declared in a nested function does not leak", () => {
    assert.equal(rejected("function outer() { function inner() {} }\nfunction computeReward() { return inner(); }").line, 2);
  });

  it("forbidden property names, also as string keys and in destructuring", () => {
    for (const src of [
      "function computeReward(o) { return o['constructor']; }",
      "function computeReward(o) { const {constructor} = o; return 0; }",
      "function computeReward(o) { return o.__proto__; }",
      "function computeReward(o) { return Array.prototype.length; }",
      "function computeReward(o) { return o.__lookupGetter__('x'); }",
    ]) {
      assert.equal(rejected(src).kind, "forbidden", src);
    }
  });

  it("exactly one top-level computeReward", () => {
    assert.match(rejected("function other() { return 0; }").message, /found none/);
    const redeclared = rejected("function computeReward() { return 0; }\nfunction computeReward() { return 1; }");
    assert.equal(redeclared.kind, "syntax");
    assert.equal(redeclared.line, 2);
    const two = rejected("var computeReward = () => 0;\nvar computeReward = () => 1;");
    assert.equal(two.kind, "syntax");
    assert.equal(two.line, 2);
    assert.match(two.message, /found 2/);
    assert.match(rejected("function f() { function computeReward() { return 0; } }").message, /found none/);
  });

  it("new.target is allowed, import.meta is not", () => {
    ok("function computeReward() { return new.target === undefined ? 1 : 0; }");
    assert.equal(rejected("function computeReward() { return import.meta.url; }").kind, "forbidden");
  });

  it("the source length limit is configurable", () => {
    const src = "function computeReward() { return 1; }";
    assert.equal(checkAndInstrument(src, 10).ok, false);
    assert.equal(checkAndInstrument(src, 1000).ok, true);
  });
});
