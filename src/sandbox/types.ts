/**
 * The public shapes of the reward-code sandbox: what goes in (source + a batch of transitions) and what
 * comes out (per-step rewards and components, or one precise error for the LLM to read).
 */

/** Why a candidate failed. */
export type SandboxErrorKind = "syntax" | "forbidden" | "runtime" | "timeout" | "memory" | "invalid-output";

export interface SandboxError {
  kind: SandboxErrorKind;
  /** What went wrong, written for the author of the code (an LLM): short, specific, actionable. */
  message: string;
  /** 1-based line in the candidate's own source, when the failure points at one. */
  line?: number;
  /** 0-based index of the transition being evaluated when the failure happened. */
  step?: number;
}

export interface EvaluateSuccess {
  ok: true;
  /** One reward per transition. */
  rewards: Float64Array;
  /** One array per component name returned by the candidate (empty when it returns plain numbers). */
  components: Record<string, Float64Array>;
}

export interface EvaluateFailure {
  ok: false;
  error: SandboxError;
}

export type EvaluateResult = EvaluateSuccess | EvaluateFailure;

/** A float vector in any of the forms the package uses. */
export type NumericArray = Float32Array | Float64Array | ArrayLike<number>;

/**
 * A batch of `n` transitions, row-major in flat arrays (the layout of `TransitionBatch` in algos/seams.ts,
 * which is accepted as is). This is the fast form: it crosses to the sandbox process almost unchanged.
 */
export interface Transitions {
  n: number;
  obsDim: number;
  actDim: number;
  obs: Float32Array | Float64Array;
  /** Named `actions` as in `TransitionBatch`. */
  actions: Float32Array | Float64Array;
  nextObs: Float32Array | Float64Array;
  /** One info record per step (plain data: numbers, booleans, strings, arrays, typed arrays, plain objects). */
  infos?: ReadonlyArray<Readonly<Record<string, unknown>>>;
  /** Pass each action to `computeReward` as a number rather than a 1-element array (Discrete action spaces). */
  discreteActions?: boolean;
}

/** One transition in the convenient per-step form (tests, samples, notebooks). */
export interface TransitionStep {
  obs: NumericArray;
  /** A number for Discrete action spaces, a vector otherwise. */
  action: NumericArray | number;
  nextObs: NumericArray;
  info?: Readonly<Record<string, unknown>>;
}

/** Either batch form. */
export type TransitionsInput = Transitions | ReadonlyArray<TransitionStep>;

export interface SandboxOptions {
  /** Wall-clock limit for one evaluation round trip; the sandbox process is killed and respawned past it. Default 2000. */
  timeoutMs?: number;
  /** Heap cap of the sandbox process (`--max-old-space-size`), in MB. Default 128. */
  heapMb?: number;
  /**
   * Deterministic budget: loop iterations plus function calls allowed in one `computeReward` call (and in the
   * candidate's top-level code). Exceeding it is a `timeout` error. Default 100 000.
   */
  stepBudget?: number;
  /** Longest accepted source, in characters. Default 100 000. */
  maxSourceLength?: number;
  /** How long to wait for the sandbox process to start, in ms. Default 30 000. */
  startTimeoutMs?: number;
}
