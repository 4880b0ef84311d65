/**
 * Static checks of candidate reward code, before anything runs, and the step-budget instrumentation.
 *
 * Parsed with acorn as a module (strict mode, so `import`/`export` are recognised and reported as forbidden).
 * A scope analysis resolves every identifier: a name not declared by the code must be in `ALLOWED_GLOBALS`.
 * Property names that lead to constructors or prototypes (`constructor`, `prototype`, `__proto__`, ...) are
 * rejected, as are async code, dynamic `import()`, `import.meta`, `debugger`, `Math.random` and names with the
 * sandbox's reserved prefix (which would shadow the budget counter).
 *
 * Instrumentation inserts a call to the budget counter at the start of every function body and every loop
 * body, without adding line breaks, so line numbers in errors are the candidate's own.
 */
import { parse } from "acorn";
import { ALLOWED_GLOBALS } from "./helpers.js";
import type { SandboxError } from "./types.js";

/** Name of the budget counter inside the compartment; any identifier with this prefix is rejected. */
export const RESERVED_PREFIX = "__gr_";
export const TICK_NAME = `${RESERVED_PREFIX}tick`;
/** The function the candidate must define. */
export const ENTRY_NAME = "computeReward";

const FORBIDDEN_PROPERTIES = new Set([
  "constructor",
  "prototype",
  "__proto__",
  "__defineGetter__",
  "__defineSetter__",
  "__lookupGetter__",
  "__lookupSetter__",
  "caller",
  "callee",
]);

/** Names worth a specific explanation when used. */
const EXPLAINED_NAMES: Record<string, string> = {
  process: "there is no process object in reward code",
  require: "modules cannot be loaded in reward code",
  module: "modules cannot be loaded in reward code",
  fetch: "reward code has no network access",
  globalThis: "reward code cannot reach the global object",
  window: "reward code cannot reach the global object",
  global: "reward code cannot reach the global object",
  self: "reward code cannot reach the global object",
  eval: "code generation is not allowed",
  Function: "code generation is not allowed",
  Date: "time is nondeterministic; rewards must depend only on the transition",
  performance: "time is nondeterministic; rewards must depend only on the transition",
  Promise: "reward code must be synchronous",
  setTimeout: "reward code must be synchronous",
  setInterval: "reward code must be synchronous",
  queueMicrotask: "reward code must be synchronous",
  Proxy: "Proxy is not available",
  Reflect: "Reflect is not available",
  WebAssembly: "WebAssembly is not available",
  console: "there is no console; return components to report intermediate values",
};

export interface CheckedSource {
  ok: true;
  /** The instrumented code, ready for the sandbox process (same line numbers as the source). */
  code: string;
}

export type CheckResult = CheckedSource | { ok: false; error: SandboxError };

interface Violation {
  line: number;
  message: string;
}

/** Largest number of violations listed in one error message. */
const MAX_LISTED = 8;

/** Checks `source` and, when it passes, instruments it with the step budget. */
export function checkAndInstrument(source: string, maxSourceLength = 100_000): CheckResult {
  if (typeof source !== "string") return fail("syntax", `the source must be a string, got ${typeof source}`);
  if (source.length > maxSourceLength) {
    return fail("forbidden", `the source is ${source.length} characters long; the limit is ${maxSourceLength}`);
  }
  let program: AnyNode;
  try {
    program = parse(source, { ecmaVersion: 2023, sourceType: "module", locations: true }) as unknown as AnyNode;
  } catch (e) {
    const err = e as { message?: string; loc?: { line: number } };
    const message = String(err.message ?? e).replace(/\s*\(\d+:\d+\)$/, "");
    return fail("syntax", `syntax error: ${message}`, err.loc?.line);
  }
  const analysis = new Analysis();
  try {
    analysis.program(program);
  } catch (e) {
    if (e instanceof RangeError) return fail("forbidden", "the code is nested too deeply to be checked; flatten it");
    throw e;
  }
  if (analysis.violations.length > 0) {
    const v = analysis.violations;
    const listed = v.slice(0, MAX_LISTED).map((x) => `line ${x.line}: ${x.message}`);
    if (v.length > MAX_LISTED) listed.push(`... and ${v.length - MAX_LISTED} more`);
    return fail("forbidden", listed.join("; "), v[0]!.line);
  }
  const entries = analysis.entryDeclarations;
  if (entries.length !== 1) {
    const found = entries.length === 0 ? "found none" : `found ${entries.length} (lines ${entries.map((e) => e.line).join(", ")})`;
    return fail(
      "syntax",
      `the source must define exactly one top-level function ${ENTRY_NAME}(obs, action, nextObs, info); ${found}`,
      entries[1]?.line,
    );
  }
  return { ok: true, code: applyEdits(source, analysis.edits) };
}

function fail(kind: SandboxError["kind"], message: string, line?: number): { ok: false; error: SandboxError } {
  return { ok: false, error: line === undefined ? { kind, message } : { kind, message, line } };
}

// ---------------------------------------------------------------------------------------------------------
// AST access. acorn's ESTree nodes are walked generically; the few fields used are read through AnyNode.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyNode = { type: string; start: number; end: number; loc: { start: { line: number } }; [key: string]: any };

function isNode(x: unknown): x is AnyNode {
  return x !== null && typeof x === "object" && typeof (x as { type?: unknown }).type === "string";
}

class Scope {
  readonly names = new Set<string>();
  constructor(
    readonly parent: Scope | null,
    readonly isFunction: boolean,
  ) {}
  resolves(name: string): boolean {
    for (let s: Scope | null = this; s !== null; s = s.parent) if (s.names.has(name)) return true;
    return false;
  }
}

interface Edit {
  pos: number;
  text: string;
  /** Opening inserts go outermost first, closing inserts innermost first. */
  closing: boolean;
  depth: number;
}

class Analysis {
  readonly violations: Violation[] = [];
  readonly edits: Edit[] = [];
  readonly entryDeclarations: { line: number }[] = [];
  private readonly allowed = new Set(ALLOWED_GLOBALS);
  private depth = 0;

  program(node: AnyNode): void {
    const scope = new Scope(null, true);
    for (const stmt of node.body as AnyNode[]) this.topLevel(stmt);
    this.hoistVars(node.body, scope);
    this.declareLexical(node.body, scope);
    for (const stmt of node.body as AnyNode[]) this.visit(stmt, scope);
  }

  /** Records top-level declarations of the entry function. */
  private topLevel(stmt: AnyNode): void {
    if (stmt.type === "FunctionDeclaration" && stmt.id?.name === ENTRY_NAME) {
      this.entryDeclarations.push({ line: stmt.loc.start.line });
    } else if (stmt.type === "VariableDeclaration") {
      for (const d of stmt.declarations as AnyNode[]) {
        if (d.id.type === "Identifier" && d.id.name === ENTRY_NAME) this.entryDeclarations.push({ line: d.loc.start.line });
      }
    }
  }

  private violate(node: AnyNode, message: string): void {
    this.violations.push({ line: node.loc.start.line, message });
  }

  // --- declarations -------------------------------------------------------------------------------------

  private declare(id: AnyNode, scope: Scope): void {
    for (const name of this.patternNames(id)) {
      if (name.node.name.startsWith(RESERVED_PREFIX)) this.violate(name.node, `the name ${name.node.name} is reserved`);
      scope.names.add(name.node.name);
    }
  }

  /** Binding identifiers of a pattern. */
  private patternNames(p: AnyNode | null): { node: AnyNode }[] {
    const out: { node: AnyNode }[] = [];
    const walk = (n: AnyNode | null): void => {
      if (!n) return;
      switch (n.type) {
        case "Identifier":
          out.push({ node: n });
          break;
        case "ObjectPattern":
          for (const prop of n.properties as AnyNode[]) walk(prop.type === "RestElement" ? prop.argument : prop.value);
          break;
        case "ArrayPattern":
          for (const el of n.elements as (AnyNode | null)[]) walk(el);
          break;
        case "RestElement":
          walk(n.argument);
          break;
        case "AssignmentPattern":
          walk(n.left);
          break;
      }
    };
    walk(p);
    return out;
  }

  /** `var` declarations anywhere below `body`, not inside nested functions, belong to the function scope. */
  private hoistVars(body: AnyNode | AnyNode[], scope: Scope): void {
    const walk = (n: unknown): void => {
      if (Array.isArray(n)) {
        for (const c of n) walk(c);
        return;
      }
      if (!isNode(n)) return;
      if (isFunction(n) || n.type === "StaticBlock" || n.type === "ClassBody") return;
      if (n.type === "VariableDeclaration" && n.kind === "var") {
        for (const d of n.declarations as AnyNode[]) this.declare(d.id, scope);
      }
      for (const key of Object.keys(n)) if (key !== "loc") walk(n[key]);
    };
    walk(body);
  }

  /** `let`, `const`, `class` and (strict mode) function declarations directly in a statement list. */
  private declareLexical(statements: AnyNode[], scope: Scope): void {
    for (const s of statements) {
      if (s.type === "VariableDeclaration" && s.kind !== "var") for (const d of s.declarations as AnyNode[]) this.declare(d.id, scope);
      else if ((s.type === "FunctionDeclaration" || s.type === "ClassDeclaration") && s.id) this.declare(s.id, scope);
    }
  }

  // --- references and structure ---------------------------------------------------------------------------

  private reference(id: AnyNode, scope: Scope): void {
    const name: string = id.name;
    if (name.startsWith(RESERVED_PREFIX)) {
      this.violate(id, `the name ${name} is reserved`);
      return;
    }
    if (scope.resolves(name) || this.allowed.has(name)) return;
    const why = EXPLAINED_NAMES[name];
    this.violate(
      id,
      why ? `\`${name}\` is not available: ${why}` : `\`${name}\` is not defined here and is not an allowed global`,
    );
  }

  private propertyName(node: AnyNode, name: string): void {
    if (FORBIDDEN_PROPERTIES.has(name)) this.violate(node, `access to the property \`${name}\` is not allowed`);
  }

  /** Patterns in binding position: their default values and computed keys are expressions. */
  private patternExpressions(p: AnyNode | null, scope: Scope): void {
    if (!p) return;
    switch (p.type) {
      case "ObjectPattern":
        for (const prop of p.properties as AnyNode[]) {
          if (prop.type === "RestElement") this.patternExpressions(prop.argument, scope);
          else {
            if (prop.computed) this.visit(prop.key, scope);
            else this.propertyName(prop.key, keyName(prop.key));
            this.patternExpressions(prop.value, scope);
          }
        }
        break;
      case "ArrayPattern":
        for (const el of p.elements as (AnyNode | null)[]) this.patternExpressions(el, scope);
        break;
      case "RestElement":
        this.patternExpressions(p.argument, scope);
        break;
      case "AssignmentPattern":
        this.patternExpressions(p.left, scope);
        this.visit(p.right, scope);
        break;
      case "Identifier":
        break;
      default:
        // Member expressions as assignment targets (`[a.b] = x`).
        this.visit(p, scope);
    }
  }

  /** Assignment targets (`x = ...`, `[a, b] = ...`, `for (x of ...)`): identifiers in them are references. */
  private target(p: AnyNode, scope: Scope): void {
    switch (p.type) {
      case "Identifier":
        this.reference(p, scope);
        break;
      case "ObjectPattern":
        for (const prop of p.properties as AnyNode[]) {
          if (prop.type === "RestElement") this.target(prop.argument, scope);
          else {
            if (prop.computed) this.visit(prop.key, scope);
            else this.propertyName(prop.key, keyName(prop.key));
            this.target(prop.value, scope);
          }
        }
        break;
      case "ArrayPattern":
        for (const el of p.elements as (AnyNode | null)[]) if (el) this.target(el, scope);
        break;
      case "RestElement":
        this.target(p.argument, scope);
        break;
      case "AssignmentPattern":
        this.target(p.left, scope);
        this.visit(p.right, scope);
        break;
      default:
        this.visit(p, scope);
    }
  }

  private mathRandom(node: AnyNode, name: string, scope: Scope): void {
    if (name === "random" && node.object.type === "Identifier" && node.object.name === "Math" && !scope.resolves("Math")) {
      this.violate(node, "Math.random is not available: rewards must be deterministic");
    }
  }

  private insert(pos: number, text: string, closing: boolean): void {
    this.edits.push({ pos, text, closing, depth: this.depth });
  }

  /** Puts a budget tick at the start of a loop body. */
  private instrumentLoopBody(body: AnyNode): void {
    if (body.type === "BlockStatement") this.insert(body.start + 1, `${TICK_NAME}();`, false);
    else {
      this.insert(body.start, `{${TICK_NAME}();`, false);
      this.insert(body.end, "}", true);
    }
  }

  private func(node: AnyNode, scope: Scope): void {
    if (node.async) this.violate(node, "async functions are not allowed: reward code must be synchronous");
    const fscope = new Scope(scope, true);
    if (node.type === "FunctionExpression" && node.id) this.declare(node.id, fscope);
    if (node.type !== "ArrowFunctionExpression") fscope.names.add("arguments");
    for (const p of node.params as AnyNode[]) this.declare(p, fscope);
    for (const p of node.params as AnyNode[]) this.patternExpressions(p, fscope);
    const body: AnyNode = node.body;
    if (body.type === "BlockStatement") {
      this.insert(body.start + 1, `${TICK_NAME}();`, false);
      this.hoistVars(body.body, fscope);
      this.declareLexical(body.body, fscope);
      for (const s of body.body as AnyNode[]) this.visit(s, fscope);
    } else {
      this.insert(body.start, `(${TICK_NAME}(), `, false);
      this.insert(body.end, ")", true);
      this.visit(body, fscope);
    }
  }

  private block(statements: AnyNode[], scope: Scope): void {
    const s = new Scope(scope, false);
    this.declareLexical(statements, s);
    for (const stmt of statements) this.visit(stmt, s);
  }

  visit(node: AnyNode | null | undefined, scope: Scope): void {
    if (!node) return;
    this.depth++;
    try {
      this.visitNode(node, scope);
    } finally {
      this.depth--;
    }
  }

  private visitNode(node: AnyNode, scope: Scope): void {
    switch (node.type) {
      case "Identifier":
        this.reference(node, scope);
        return;
      case "FunctionDeclaration":
      case "FunctionExpression":
      case "ArrowFunctionExpression":
        if (node.generator && node.async) this.violate(node, "async generators are not allowed");
        this.func(node, scope);
        return;
      case "BlockStatement":
        this.block(node.body, scope);
        return;
      case "StaticBlock": {
        const s = new Scope(scope, true);
        this.hoistVars(node.body, s);
        this.declareLexical(node.body, s);
        for (const stmt of node.body as AnyNode[]) this.visit(stmt, s);
        return;
      }
      case "VariableDeclaration":
        for (const d of node.declarations as AnyNode[]) {
          this.patternExpressions(d.id, scope);
          this.visit(d.init, scope);
        }
        return;
      case "ForStatement": {
        const s = new Scope(scope, false);
        if (node.init?.type === "VariableDeclaration" && node.init.kind !== "var") this.declareLexical([node.init], s);
        this.visit(node.init, s);
        this.visit(node.test, s);
        this.visit(node.update, s);
        this.instrumentLoopBody(node.body);
        this.visit(node.body, s);
        return;
      }
      case "ForInStatement":
      case "ForOfStatement": {
        if (node.await) this.violate(node, "for await is not allowed: reward code must be synchronous");
        const s = new Scope(scope, false);
        if (node.left.type === "VariableDeclaration") {
          if (node.left.kind !== "var") this.declareLexical([node.left], s);
          this.visit(node.left, s);
        } else this.target(node.left, s);
        this.visit(node.right, s);
        this.instrumentLoopBody(node.body);
        this.visit(node.body, s);
        return;
      }
      case "WhileStatement":
      case "DoWhileStatement":
        this.visit(node.test, scope);
        this.instrumentLoopBody(node.body);
        this.visit(node.body, scope);
        return;
      case "SwitchStatement": {
        this.visit(node.discriminant, scope);
        const s = new Scope(scope, false);
        const all: AnyNode[] = [];
        for (const c of node.cases as AnyNode[]) all.push(...(c.consequent as AnyNode[]));
        this.declareLexical(all, s);
        for (const c of node.cases as AnyNode[]) {
          this.visit(c.test, s);
          for (const stmt of c.consequent as AnyNode[]) this.visit(stmt, s);
        }
        return;
      }
      case "CatchClause": {
        const s = new Scope(scope, false);
        if (node.param) {
          this.declare(node.param, s);
          this.patternExpressions(node.param, s);
        }
        this.visit(node.body, s);
        return;
      }
      case "ClassDeclaration":
      case "ClassExpression": {
        let s = scope;
        if (node.type === "ClassExpression" && node.id) {
          s = new Scope(scope, false);
          this.declare(node.id, s);
        }
        this.visit(node.superClass, s);
        for (const member of node.body.body as AnyNode[]) {
          if (member.type === "StaticBlock") {
            this.visit(member, s);
            continue;
          }
          if (member.computed) this.visit(member.key, s);
          else if (member.key.type !== "PrivateIdentifier" && !(member.type === "MethodDefinition" && member.kind === "constructor")) {
            this.propertyName(member.key, keyName(member.key));
          }
          this.visit(member.value, s);
        }
        return;
      }
      case "MemberExpression": {
        this.visit(node.object, scope);
        if (node.computed) {
          if (node.property.type === "Literal" && typeof node.property.value === "string") {
            this.propertyName(node.property, node.property.value);
            this.mathRandom(node, node.property.value, scope);
          }
          this.visit(node.property, scope);
        } else if (node.property.type !== "PrivateIdentifier") {
          const name: string = node.property.name;
          this.propertyName(node.property, name);
          this.mathRandom(node, name, scope);
        }
        return;
      }
      case "Property": {
        if (node.computed) this.visit(node.key, scope);
        else if (keyName(node.key) === "__proto__") this.violate(node.key, "setting `__proto__` is not allowed");
        this.visit(node.value, scope);
        return;
      }
      case "AssignmentExpression":
        this.target(node.left, scope);
        this.visit(node.right, scope);
        return;
      case "LabeledStatement":
        this.visit(node.body, scope);
        return;
      case "BreakStatement":
      case "ContinueStatement":
        return;
      case "ImportDeclaration":
        this.violate(node, "import is not allowed: reward code cannot load modules");
        return;
      case "ExportNamedDeclaration":
      case "ExportDefaultDeclaration":
      case "ExportAllDeclaration":
        this.violate(node, "export is not allowed: just define computeReward at the top level");
        return;
      case "ImportExpression":
        this.violate(node, "import() is not allowed: reward code cannot load modules");
        return;
      case "MetaProperty":
        if (node.meta.name === "import") this.violate(node, "import.meta is not allowed");
        return;
      case "AwaitExpression":
        this.violate(node, "await is not allowed: reward code must be synchronous");
        return;
      case "DebuggerStatement":
        this.violate(node, "debugger statements are not allowed");
        return;
      case "WithStatement":
        this.violate(node, "with statements are not allowed");
        return;
      default:
        for (const key of Object.keys(node)) {
          if (key === "loc" || key === "type" || key === "start" || key === "end") continue;
          const child = node[key];
          if (Array.isArray(child)) {
            for (const c of child) if (isNode(c)) this.visit(c, scope);
          } else if (isNode(child)) this.visit(child, scope);
        }
    }
  }
}

function isFunction(n: AnyNode): boolean {
  return n.type === "FunctionDeclaration" || n.type === "FunctionExpression" || n.type === "ArrowFunctionExpression";
}

function keyName(key: AnyNode): string {
  if (key.type === "Identifier") return key.name;
  if (key.type === "Literal") return String(key.value);
  return "";
}

function applyEdits(source: string, edits: Edit[]): string {
  const sorted = [...edits].sort(
    (a, b) =>
      a.pos - b.pos ||
      (a.closing === b.closing ? (a.closing ? b.depth - a.depth : a.depth - b.depth) : a.closing ? -1 : 1),
  );
  let out = "";
  let last = 0;
  for (const e of sorted) {
    out += source.slice(last, e.pos) + e.text;
    last = e.pos;
  }
  return out + source.slice(last);
}
