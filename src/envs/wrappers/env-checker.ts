/**
 * `EnvChecker`: turns misuse into a clear error at the call that caused it, instead of a NaN later.
 * It combines what Gymnasium's `OrderEnforcing` and `PassiveEnvChecker` watch for, made strict:
 * `step()` before `reset()`, `step()` after the episode ended (terminated or truncated) without a reset,
 * an action outside the action space (or containing NaN), and a non-finite reward from the env.
 * `make()` puts it outermost, so it sees TimeLimit's truncation too.
 */
import type { Env, ResetOptions, ResetResult, StepResult } from "../../core/env.js";
import type { Space } from "../../core/spaces.js";
import { BaseWrapper } from "../../core/wrapper.js";

export class EnvChecker<Obs = unknown, Act = unknown> extends BaseWrapper<Obs, Act> {
  private hasReset = false;
  private ended: "terminated" | "truncated" | undefined;

  constructor(env: Env<Obs, Act>) {
    super(env);
  }

  override reset(opts?: ResetOptions): ResetResult<Obs> {
    if (opts !== undefined && (opts === null || typeof opts !== "object")) {
      throw new TypeError(`${this.name()}: reset() takes an options object like {seed: 0}, got ${String(opts)}`);
    }
    const seed = opts?.seed;
    if (seed !== undefined && (!Number.isSafeInteger(seed) || seed < 0)) {
      throw new RangeError(`${this.name()}: reset seed must be a non-negative integer, got ${String(seed)}`);
    }
    const result = this.env.reset(opts);
    this.hasReset = true;
    this.ended = undefined;
    return result;
  }

  override step(action: Act): StepResult<Obs> {
    if (!this.hasReset) throw new Error(`${this.name()}: step() called before reset(); call reset() first`);
    if (this.ended !== undefined) {
      throw new Error(`${this.name()}: step() called after the episode ended (${this.ended}); call reset() to start a new episode`);
    }
    if (!this.actionSpace.contains(action)) {
      const hint = this.actionSpace.kind === "box" ? " (clip continuous actions to the bounds first, or wrap the env in ClipAction)" : "";
      throw new RangeError(`${this.name()}: action ${formatValue(action)} is not in the action space ${describeSpace(this.actionSpace)}${hint}`);
    }
    const result = this.env.step(action);
    if (typeof result.reward !== "number" || Number.isNaN(result.reward)) {
      throw new Error(`${this.name()}: the environment returned a non-numeric reward ${String(result.reward)}`);
    }
    if (result.terminated) this.ended = "terminated";
    else if (result.truncated) this.ended = "truncated";
    return result;
  }

  private name(): string {
    return this.spec?.id ?? "environment";
  }
}

/** A short printable form of an action or observation for error messages. */
export function formatValue(x: unknown): string {
  if (typeof x === "number") return String(x);
  if (ArrayBuffer.isView(x) && !(x instanceof DataView)) {
    const arr = Array.from(x as unknown as ArrayLike<number>);
    return `${x.constructor.name}[${arr.slice(0, 8).join(", ")}${arr.length > 8 ? ", ..." : ""}]`;
  }
  if (Array.isArray(x)) return `[${x.slice(0, 8).map(formatValue).join(", ")}${x.length > 8 ? ", ..." : ""}]`;
  if (x === undefined) return "undefined";
  try {
    return JSON.stringify(x) ?? String(x);
  } catch {
    return String(x);
  }
}

export function describeSpace(space: Space<unknown>): string {
  const s = String(space);
  return s === "[object Object]" ? `${space.kind}(${space.shape.join("x")})` : s;
}
