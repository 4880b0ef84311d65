/**
 * State restore for the refinement baselines: recording the environment's state at every recorded step,
 * and a wrapper that starts episodes from recorded states (StateMask's refinement: always; RICE: with
 * probability p, the default initial distribution otherwise).
 *
 * An environment can be restored when its innermost env has `getState()` and `setState(state)` (Pong-v0,
 * the MuJoCo envs). `setState` may return the restored observation; otherwise the recorded one is used.
 */
import type { Env, ResetOptions, ResetResult, StepResult, Wrapper } from "../../core/env.js";
import { npRandom, type Generator } from "../../core/rng.js";

/** An environment whose state can be saved and restored. */
export interface RestorableEnv<S = unknown> {
  getState(): S;
  setState(state: S): unknown;
}

/** The restorable innermost env of `env`, or undefined when it cannot restore states. */
export function restorableOf(env: Env): RestorableEnv | undefined {
  const inner = (env.unwrapped ?? env) as Partial<RestorableEnv>;
  return typeof inner.getState === "function" && typeof inner.setState === "function" ? (inner as RestorableEnv) : undefined;
}

/** The restorable innermost env of `env`; throws a clear error when there is none. */
export function requireRestorable(env: Env, who: string): RestorableEnv {
  const r = restorableOf(env);
  if (!r) throw new Error(`${who}: ${env.spec?.id ?? "this environment"} cannot save and restore its state (it needs getState() and setState())`);
  return r;
}

/** A recorded state to start from: the env's saved state and the observation the agent saw there. */
export interface StartState {
  state: unknown;
  obs: Float32Array;
}

export interface RestartOptions {
  /** The states episodes restart from (drawn uniformly). */
  states: readonly StartState[];
  /** Probability that a reset restores a recorded state instead of the default initial state. */
  probability: number;
  /** Seeds the draws (default 0). */
  seed?: number;
}

/**
 * Resets like the wrapped env, then with probability p restores one of the recorded states (uniformly
 * drawn). The time limit restarts with the episode; `info.restarted` says which reset was a restore.
 */
export class RestartWrapper implements Wrapper<Float32Array, unknown> {
  readonly env: Env<Float32Array, unknown>;
  readonly observationSpace;
  readonly actionSpace;
  readonly spec;
  readonly renderModes;
  private readonly target: RestorableEnv;
  private readonly states: readonly StartState[];
  private readonly probability: number;
  private readonly rng: Generator;
  /** Resets so far, and how many of them restored a recorded state. */
  resets = 0;
  restarts = 0;

  constructor(env: Env<Float32Array, unknown>, opts: RestartOptions) {
    if (!(opts.probability >= 0 && opts.probability <= 1)) throw new RangeError(`RestartWrapper: probability must be in [0, 1], got ${opts.probability}`);
    if (opts.probability > 0 && opts.states.length === 0) throw new Error("RestartWrapper: no states to restart from");
    this.env = env;
    this.observationSpace = env.observationSpace;
    this.actionSpace = env.actionSpace;
    this.spec = env.spec;
    this.renderModes = env.renderModes;
    this.target = requireRestorable(env, "RestartWrapper");
    this.states = opts.states;
    this.probability = opts.probability;
    this.rng = npRandom(opts.seed ?? 0)[0];
  }

  get unwrapped(): Env<unknown, unknown> {
    return this.env.unwrapped ?? this.env;
  }

  reset(opts?: ResetOptions): ResetResult<Float32Array> {
    const res = this.env.reset(opts);
    this.resets++;
    if (this.probability === 0 || this.rng.random() >= this.probability) return { obs: res.obs, info: { ...res.info, restarted: false } };
    const start = this.states[Math.floor(this.rng.random() * this.states.length)]!;
    const restored = this.target.setState(structuredClone(start.state));
    this.restarts++;
    const obs = restored instanceof Float32Array ? restored : Float32Array.from(start.obs);
    return { obs, info: { ...res.info, restarted: true } };
  }

  step(action: unknown): StepResult<Float32Array> {
    return this.env.step(action);
  }

  render(): string {
    if (!this.env.render) throw new Error("RestartWrapper: the wrapped env cannot render");
    return this.env.render();
  }

  close(): void {
    this.env.close();
  }
}
