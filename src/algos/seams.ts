/**
 * The three seams through which a guide touches training (see DESIGN.md). An algorithm calls these and
 * never knows which guide is active; a guide implements any subset.
 *
 *  - reward:  `transformRewards(batch)` once per collected batch of transitions, before advantages are
 *             computed (on-policy) or before the transitions are stored (off-policy). It may be async
 *             (LLM calls are batched here) and returns the rewards to learn from.
 *  - action:  `overrideActions(obs, actions, ctx)` at every environment step, before the actions are
 *             applied. It returns the indices it changed; on-policy algorithms recompute the log-prob of
 *             the overridden actions under the current policy.
 *  - data:    `extraTransitions(ctx)` after each collection; the algorithm adds them to its training data.
 *  - action targets (an extension of the action seam): `actionTargets(batch, ctx)` once per collected
 *             batch; the guide names rows and a target action for each, and the update adds a supervised
 *             term coef * mean over the minibatch of -log pi(target | s) on those rows (zero elsewhere).
 *             The executed actions stay the policy's own, so the policy-gradient part is unchanged; the
 *             advice reaches the policy as a signal to imitate instead of as a behaviour to evaluate.
 */
import type { Info } from "../core/env.js";

/** A batch of `n` transitions stored row-major in flat typed arrays. */
export interface TransitionBatch {
  n: number;
  obsDim: number;
  /** Action width: 1 for Discrete (the action index stored as a float), the Box size otherwise. */
  actDim: number;
  obs: Float32Array;
  actions: Float32Array;
  /** The environment's rewards (before any normalisation). */
  rewards: Float32Array;
  nextObs: Float32Array;
  terminated: Uint8Array;
  truncated: Uint8Array;
  /** Which vector-env slot each transition came from. */
  envIndex?: Int32Array;
  /** Per-transition info dicts, present only when the guide sets `needsInfos`. */
  infos?: Info[];
}

/** Supervised action targets on chosen rows of a collected batch (see `Guide.actionTargets`). */
export interface ActionTargets {
  /** Rows of the batch (indices in `0 .. batch.n - 1`, no repeats) that get a target. */
  rows: Int32Array;
  /** The target actions, `rows.length x batch.actDim`, row-major (Discrete: the index as a float). */
  actions: Float32Array;
  /**
   * Weight of the term in the loss: coef * (1 / minibatch size) * sum over the minibatch's target rows of
   * -log pi(target | s). Per target row, coef 1 weighs about as much as a policy-gradient row with a
   * unit normalised advantage. Annealing is the guide's job (it sees `SeamContext`).
   */
  coef: number;
}

export interface SeamContext {
  /** Environment steps taken so far (all envs counted). */
  numTimesteps: number;
  /** Total steps the run was asked for (for annealed schedules). */
  totalTimesteps: number;
}

export interface Guide {
  /** Shown in logs and metrics. */
  readonly name: string;
  /** Ask the algorithm to collect per-step info dicts into `TransitionBatch.infos`. */
  readonly needsInfos?: boolean;
  /** Reward seam. Return the rewards to learn from (length `batch.n`), or undefined to keep them. */
  transformRewards?(batch: TransitionBatch, ctx: SeamContext): Float32Array | undefined | Promise<Float32Array | undefined>;
  /**
   * Action seam. `obs` holds one row per env (`numEnvs * obsDim`), `actions` one row per env
   * (`numEnvs * actDim`), both row-major; overwrite rows of `actions` in place and return the env indices
   * whose action changed.
   */
  overrideActions?(obs: Float32Array, actions: Float32Array, numEnvs: number, ctx: SeamContext): number[];
  /**
   * Action-target seam: supervised targets for rows of the batch just collected (raw observations, the
   * actions applied). Return undefined or no rows for none. Algorithms that cannot honour it refuse the
   * guide with an error rather than ignore it.
   */
  actionTargets?(batch: TransitionBatch, ctx: SeamContext): ActionTargets | undefined;
  /** Data seam: extra transitions to train on, after each collection. */
  extraTransitions?(ctx: SeamContext): TransitionBatch | undefined | Promise<TransitionBatch | undefined>;
  /** Metrics the guide wants logged with the algorithm's (e.g. LLM calls, cache hits). */
  metrics?(): Record<string, number>;
}
