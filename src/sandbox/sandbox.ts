/**
 * The sandbox for LLM-written reward code, as seen from the training process.
 *
 *     const sb = await Sandbox.start({ timeoutMs: 2000, heapMb: 128 });
 *     const r = await sb.evaluate(source, transitions);   // {ok: true, rewards, components} | {ok: false, error}
 *     const v = await sb.validate(source, sample);        // same, plus determinism (run twice)
 *     await sb.close();
 *
 * Code runs in a child process (a worker thread does not survive a memory bomb; a child process with a heap
 * cap dies alone). The parent checks and instruments the source (static-check.ts), sends one message per
 * batch, and enforces the wall clock: past `timeoutMs` the child is killed and a new one started, so the next
 * candidate is still served. Requests are served one at a time, in call order.
 */
import { childEnv } from "../core/child-env.js";
import { fork, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { errorTextForLlm } from "./error-text.js";
import type { ChildMessage, EvaluateRequest } from "./protocol.js";
import { checkAndInstrument, type CheckResult } from "./static-check.js";
import type { EvaluateResult, SandboxError, SandboxOptions, TransitionsInput } from "./types.js";
import { encodeTransitions } from "./wire.js";

const DEFAULTS: Required<SandboxOptions> = {
  timeoutMs: 2000,
  heapMb: 128,
  stepBudget: 100_000,
  maxSourceLength: 100_000,
  startTimeoutMs: 30_000,
};

/** How many checked sources are kept (a training run evaluates the same source on every batch). */
const CHECK_CACHE_SIZE = 32;
const STDERR_TAIL = 8192;

interface Pending {
  id: number;
  resolve: (r: EvaluateResult) => void;
  timer: NodeJS.Timeout;
}

/** A running sandbox process and its bookkeeping. */
interface Child {
  process: ChildProcess;
  ready: Promise<void>;
  stderr: string;
  exited: boolean;
}

export class Sandbox {
  readonly options: Readonly<Required<SandboxOptions>>;
  private child: Child | undefined;
  private pending: Pending | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly checks = new Map<string, CheckResult>();
  private nextId = 1;
  private closed = false;
  private restartCount = 0;

  private constructor(options: SandboxOptions) {
    const o = { ...DEFAULTS, ...definedOnly(options) };
    for (const key of Object.keys(DEFAULTS) as (keyof SandboxOptions)[]) {
      const v = o[key];
      if (typeof v !== "number" || !Number.isFinite(v) || v <= 0) throw new RangeError(`Sandbox option ${key} must be a positive number, got ${v}`);
    }
    if (o.heapMb < 16) throw new RangeError(`Sandbox option heapMb must be at least 16, got ${o.heapMb}`);
    this.options = Object.freeze(o);
  }

  /** Starts the sandbox process and waits until it is ready. */
  static async start(options: SandboxOptions = {}): Promise<Sandbox> {
    const sb = new Sandbox(options);
    await sb.spawn().ready;
    return sb;
  }

  /** Process id of the current sandbox process (diagnostics, benchmarks). */
  get pid(): number | undefined {
    return this.child?.exited === false ? this.child.process.pid : undefined;
  }

  /** How many times the sandbox process was killed (timeout, memory) and started again. */
  get restarts(): number {
    return this.restartCount;
  }

  /**
   * Evaluates `computeReward` of `source` on every transition of the batch, in a fresh compartment.
   * Rejects only for caller errors (malformed transitions, closed sandbox); anything the candidate does wrong
   * is an `{ok: false, error}` result. Calls are served one at a time in call order; the batch's arrays are
   * read when the call's turn comes, so don't change them before its promise settles.
   */
  evaluate(source: string, transitions: TransitionsInput): Promise<EvaluateResult> {
    return this.enqueue(source, transitions, 1);
  }

  /**
   * The validation run for a new candidate: evaluates `sample` twice in the same fresh compartment and
   * requires finite outputs, the same component names at every step, and identical results both times
   * (catching hidden state between calls).
   */
  validate(source: string, sample: TransitionsInput): Promise<EvaluateResult> {
    return this.enqueue(source, sample, 2, true);
  }

  /** The static checks alone (no process involved): syntax, forbidden names, exactly one computeReward. */
  check(source: string): { ok: true } | { ok: false; error: SandboxError } {
    const r = this.checked(source);
    return r.ok ? { ok: true } : { ok: false, error: { ...r.error, message: errorTextForLlm(r.error.message) } };
  }

  /** Stops the sandbox process. Pending requests finish first. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue.catch(() => {});
    const child = this.child;
    this.child = undefined;
    if (child && !child.exited) {
      const exited = new Promise<void>((resolve) => child.process.once("exit", () => resolve()));
      ref(child.process, true);
      if (child.process.connected) child.process.disconnect();
      const timer = setTimeout(() => child.process.kill("SIGKILL"), 1000);
      await exited;
      clearTimeout(timer);
    }
  }

  private enqueue(source: string, transitions: TransitionsInput, runs: 1 | 2, requireSteps = false): Promise<EvaluateResult> {
    if (this.closed) return Promise.reject(new Error("the sandbox is closed"));
    const task = this.queue.then(() => this.request(source, transitions, runs, requireSteps));
    this.queue = task.catch(() => {});
    return task;
  }

  private checked(source: string): CheckResult {
    let r = this.checks.get(source);
    if (r === undefined) {
      r = checkAndInstrument(source, this.options.maxSourceLength);
      if (this.checks.size >= CHECK_CACHE_SIZE) this.checks.delete(this.checks.keys().next().value!);
      this.checks.set(source, r);
    }
    return r;
  }

  private async request(source: string, transitions: TransitionsInput, runs: 1 | 2, requireSteps: boolean): Promise<EvaluateResult> {
    const batch = encodeTransitions(transitions);
    if (requireSteps && batch.n === 0) throw new RangeError("validate needs at least one sample transition");
    const checked = this.checked(source);
    if (!checked.ok) return { ok: false, error: { ...checked.error, message: errorTextForLlm(checked.error.message) } };
    let child = this.child;
    if (!child || child.exited) child = this.spawn();
    await child.ready;
    if (child.exited) {
      // It died while idle (killed from outside?): start another once.
      child = this.spawn();
      await child.ready;
    }
    const id = this.nextId++;
    const message: EvaluateRequest = { type: "evaluate", id, code: checked.code, batch, stepBudget: this.options.stepBudget, runs };
    return new Promise<EvaluateResult>((resolve) => {
      const timer = setTimeout(() => this.onTimeout(child!), this.options.timeoutMs);
      this.pending = { id, resolve, timer };
      ref(child!.process, true);
      child!.process.send(message, (err) => {
        if (err && this.pending?.id === id) this.finish({ ok: false, error: { kind: "runtime", message: `could not send the batch to the sandbox process: ${err.message}` } });
      });
    });
  }

  private finish(result: EvaluateResult): void {
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    clearTimeout(p.timer);
    if (this.child) ref(this.child.process, false);
    p.resolve(result.ok ? result : { ok: false, error: { ...result.error, message: errorTextForLlm(result.error.message) } });
  }

  private onTimeout(child: Child): void {
    if (!this.pending) return;
    const memory = outOfMemory(child.stderr);
    this.finish({
      ok: false,
      error: memory
        ? { kind: "memory", message: `the code ran out of memory (heap cap ${this.options.heapMb} MB)` }
        : { kind: "timeout", message: `the evaluation took longer than ${this.options.timeoutMs} ms of wall-clock time and was stopped (a catastrophic regular expression or a very long built-in operation?)` },
    });
    this.replace(child);
  }

  /** Kills a child that can no longer serve and starts a fresh one. */
  private replace(child: Child): void {
    if (!child.exited) child.process.kill("SIGKILL");
    if (this.child === child && !this.closed) {
      this.restartCount++;
      this.spawn();
    }
  }

  private onExit(child: Child, code: number | null, signal: NodeJS.Signals | null): void {
    child.exited = true;
    if (this.child !== child) return;
    if (this.pending) {
      const error: SandboxError = outOfMemory(child.stderr)
        ? { kind: "memory", message: `the code ran out of memory (heap cap ${this.options.heapMb} MB)` }
        : { kind: "runtime", message: `the sandbox process exited unexpectedly (${signal ?? `exit code ${code}`})${lastLine(child.stderr)}` };
      this.finish({ ok: false, error });
      this.replace(child);
    }
  }

  private spawn(): Child {
    const { entry, execArgv } = childEntry();
    const proc = fork(entry, [], {
      execArgv: [...execArgv, `--max-old-space-size=${Math.round(this.options.heapMb)}`],
      serialization: "advanced",
      stdio: ["ignore", "ignore", "pipe", "ipc"],
      // Nothing of the parent's environment (API keys...) is needed in the sandbox.
      env: childEnv(["PATH"], { NODE_ENV: "production" }),
    });
    const child: Child = { process: proc, ready: Promise.resolve(), stderr: "", exited: false };
    proc.stderr!.setEncoding("utf8");
    proc.stderr!.on("data", (chunk: string) => {
      child.stderr = (child.stderr + chunk).slice(-STDERR_TAIL);
    });
    child.ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        proc.kill("SIGKILL");
        reject(new Error(`the sandbox process did not start within ${this.options.startTimeoutMs} ms${lastLine(child.stderr)}`));
      }, this.options.startTimeoutMs);
      const onEarlyExit = (code: number | null, signal: NodeJS.Signals | null): void => {
        clearTimeout(timer);
        reject(new Error(`the sandbox process exited while starting (${signal ?? `exit code ${code}`})${lastLine(child.stderr)}`));
      };
      proc.once("exit", onEarlyExit);
      proc.on("message", (msg: ChildMessage) => {
        if (msg.type === "ready") {
          clearTimeout(timer);
          proc.off("exit", onEarlyExit);
          ref(proc, false);
          resolve();
        } else if (msg.type === "result" && this.pending?.id === msg.id) {
          this.finish(msg.result);
        }
      });
    });
    // A failed start is reported by the request that awaits it; don't let it become an unhandled rejection.
    child.ready.catch(() => {});
    proc.on("exit", (code, signal) => this.onExit(child, code, signal));
    proc.on("error", () => {});
    this.child = child;
    return child;
  }
}

/** Keeps the parent alive only while a request is in flight (an idle sandbox doesn't block exit). */
function ref(proc: ChildProcess, on: boolean): void {
  const channel = (proc as ChildProcess & { channel?: { ref(): void; unref(): void } }).channel;
  const stderr = proc.stderr as (NodeJS.ReadableStream & { ref?(): void; unref?(): void }) | null;
  if (on) {
    proc.ref();
    channel?.ref();
    stderr?.ref?.();
  } else {
    proc.unref();
    channel?.unref();
    stderr?.unref?.();
  }
}

function outOfMemory(stderr: string): boolean {
  return /heap out of memory|Reached heap limit|Allocation failed/.test(stderr);
}

function lastLine(stderr: string): string {
  const line = stderr.trim().split("\n").pop();
  return line ? `: ${line.slice(0, 300)}` : "";
}

function definedOnly(o: SandboxOptions): SandboxOptions {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o ?? {})) if (v !== undefined) out[k] = v;
  return out as SandboxOptions;
}

/** The child script beside this module: `child.ts` through tsx from source, `child.js` from dist/. */
function childEntry(): { entry: string; execArgv: string[] } {
  const here = fileURLToPath(import.meta.url);
  const dir = dirname(here);
  if (here.endsWith(".ts")) {
    return { entry: join(dir, "child.ts"), execArgv: ["--import", import.meta.resolve("tsx")] };
  }
  const entry = join(dir, "child.js");
  if (!existsSync(entry)) throw new Error(`guided-rl sandbox: ${entry} is missing (run npm run build)`);
  return { entry, execArgv: [] };
}
