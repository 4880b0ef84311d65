/**
 * The environment contract, exactly Gymnasium 1.0's:
 *
 *   reset({seed, options}) -> {obs, info}
 *   step(action)           -> {obs, reward, terminated, truncated, info}
 *
 * `terminated` means the MDP reached a terminal state (no bootstrapping past it);
 * `truncated` means the episode was cut short (time limit) and the value of `obs` still counts.
 *
 * Observations of Box spaces are Float32Array (a fresh array per call: callers may keep it);
 * observations of Discrete spaces are integers; Tuple observations are arrays of their parts.
 * Actions follow the same rule: a number for Discrete, a Float32Array (or number[]) for Box.
 */
import type { Space } from "./spaces.js";

/** Free-form per-step information. Environments document their keys in `EnvSpec.describe()`. */
export type Info = Record<string, unknown>;

export interface ResetOptions {
  /** Seeds the environment's numpy-compatible generator; the same seed gives Gymnasium's initial state. */
  seed?: number;
  /** Environment-specific reset options (Gymnasium's `options` dict). */
  options?: Record<string, unknown>;
}

export interface ResetResult<Obs> {
  obs: Obs;
  info: Info;
}

export interface StepResult<Obs> {
  obs: Obs;
  reward: number;
  terminated: boolean;
  truncated: boolean;
  info: Info;
}

/** One named field of an observation or action vector, for prompts and plots. */
export interface FieldDescription {
  name: string;
  /** Index range in the flat vector: [start, end). Scalars have end = start + 1. */
  index: [number, number];
  description: string;
  unit?: string;
  low?: number;
  high?: number;
}

/** An environment's self-description: the guides render states and actions to text from it. */
export interface EnvDescription {
  id: string;
  summary: string;
  observation: FieldDescription[];
  action: FieldDescription[];
  /** For Discrete action spaces: the meaning of each action index. */
  actionMeanings?: string[];
  reward: string;
  termination: string;
  /** Documented `info` keys, name -> meaning. */
  info?: Record<string, string>;
}

export interface EnvSpec {
  id: string;
  /** Episode step limit applied by the registry's TimeLimit wrapper (Gymnasium's max_episode_steps). */
  maxEpisodeSteps?: number;
  /** Return at which the task counts as solved. */
  rewardThreshold?: number;
  /** Whether the env is deterministic given its seed and the actions. */
  nondeterministic?: boolean;
  /** Keyword arguments the env was made with. */
  kwargs?: Record<string, unknown>;
  describe(): EnvDescription;
}

export interface Env<Obs = unknown, Act = unknown> {
  readonly observationSpace: Space<Obs>;
  readonly actionSpace: Space<Act>;
  /** Set by `make()`; undefined for an env constructed directly. */
  spec?: EnvSpec;
  /** The innermost environment (itself for a bare env); wrappers forward it. Optional for hand-written envs. */
  readonly unwrapped?: Env<unknown, unknown>;
  /** Render modes supported by `render()`. */
  readonly renderModes?: readonly string[];
  reset(opts?: ResetOptions): ResetResult<Obs>;
  step(action: Act): StepResult<Obs>;
  /** A picture of the current state; environments that can draw return an SVG string. */
  render?(): string;
  close(): void;
}

/** An environment that wraps another and forwards what it does not change. */
export interface Wrapper<Obs = unknown, Act = unknown, InnerObs = Obs, InnerAct = Act> extends Env<Obs, Act> {
  readonly env: Env<InnerObs, InnerAct>;
  /** The innermost environment. */
  readonly unwrapped: Env<unknown, unknown>;
}
