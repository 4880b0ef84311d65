/**
 * The data ULTRA passes between its steps: recorded episodes, critical states and their modulation.
 */
import type { Info } from "../../core/env.js";

/** A Discrete action index or a Box action vector. */
export type Action = number | Float32Array;

/** Which modulation the LLM provides at critical states (ULTRA-A, ULTRA-R or both). */
export type UltraMode = "A" | "R" | "RA";

/** One recorded episode. `obs[t]` is the observation the agent acted on at step t. */
export interface Episode {
  obs: Float32Array[];
  actions: Action[];
  rewards: number[];
  infos?: Info[];
  /** The environment's saved state before step t (`getState()`), when it was recorded (restarts from recorded states). */
  states?: unknown[];
  /** The reset seed, when known. */
  seed?: number;
  /** Sum of rewards. */
  return: number;
  terminated: boolean;
  truncated: boolean;
}

/** A contiguous part of an episode shown to the LLM in one prompt: steps [start, end). */
export interface Segment {
  episode: number;
  start: number;
  end: number;
}

/** A state the LLM marked as critical, with what it suggested there. */
export interface CriticalState {
  /** Index of the episode in the rollouts, and the step within it. */
  episode: number;
  step: number;
  obs: Float32Array;
  /** The action the sub-optimal policy took there. */
  takenAction: Action;
  /** Why the LLM judged the state critical. */
  rationale: string;
  /** ULTRA-A: the action the LLM suggests instead. */
  suggestedAction?: Action;
  /** ULTRA-R: the LLM's implicit reward in [-1, 1] for the action the policy took there. */
  implicitReward?: number;
  /** The LLM's short justification of its suggestion and reward. */
  reason?: string;
}
