/**
 * Step 5 of ULTRA: refinement through the seams. While the policy trains (PPO), every state it meets is
 * looked up among the critical states. The defaults are the paper's form (arXiv 2505.20671, Fig. 1: "the
 * agent follows its original policy at non-critical states, while at critical states it adopts the
 * actions suggested by the LLM and receives the corresponding LLM-generated rewards"; the trajectories so
 * produced are the refinement data):
 *
 *  - ULTRA-A, `actionModulation: "override"` (default; action seam): at a matched state the suggested
 *    action replaces the policy's, every time (`overrideProbability` 1, constant). PPO learns from the
 *    executed actions with their log-probabilities under the current policy (the action seam recomputes
 *    them), so the ratio pi_new / pi_old of an overridden row is that of the suggested action.
 *  - ULTRA-R, `implicitReward: "state"` (default; reward seam): a transition whose state matches a
 *    critical state earns `rewardScale * implicitReward` on top of the environment's reward.
 *  - ULTRA-RA: both seams at once.
 *
 * Our variants, kept as separately labelled rows (measured on Pong; see notebooks/04-ultra.ipynb):
 *
 *  - `actionModulation: "imitation"` (action-target seam): the agent acts on its own; every visited state
 *    that matches a critical state becomes a supervised example, and PPO's loss gets
 *    coef * -log pi(suggested | s) on those rows, coef annealed linearly (default 1 -> 0). The
 *    policy-gradient part stays on-policy and the advice is not clipped away by PPO's trust region: an
 *    override of an action the policy gives little probability moves it by at most the clip range per
 *    update, and it hides the policy's own mistake at that state from the advantage estimate.
 *  - `implicitReward: "judged-action"`: the implicit reward is given only when the action repeats the one
 *    the LLM judged (the reward rates that action); a reward for every visit of a critical state pays or
 *    fines the agent for reaching the state, whatever it does there.
 */
import type { ActionTargets, Guide, SeamContext, TransitionBatch } from "../../algos/seams.js";
import { guideRandom, type Generator } from "../random.js";
import type { ActionSpec } from "./action-spec.js";
import { actionDistance } from "./action-spec.js";
import type { CriticalStateTable } from "./lookup.js";
import type { Action, CriticalState, UltraMode } from "./types.js";

export interface UltraGuideOptions {
  table: CriticalStateTable<CriticalState>;
  mode: UltraMode;
  actionSpec: ActionSpec;
  /** ULTRA-A: how the suggested action reaches the policy (see the module comment). Default "override" (the paper's). */
  actionModulation?: ActionModulation;
  /** ULTRA-A "imitation": weight of -log pi(suggested | s) at the start and end of the refinement (linear in between). Default [1, 0]. */
  imitationCoef?: number | [number, number];
  /** ULTRA-A "override": override probability at the start and at the end of the refinement (linear in between). Default 1 (the paper's: every time). */
  overrideProbability?: number | [number, number];
  /** ULTRA-R: where the implicit reward is paid (see the module comment). Default "state" (the paper's). */
  implicitReward?: ImplicitRewardAt;
  /** ULTRA-R: weight of the implicit reward relative to the environment's (default 0.1). */
  rewardScale?: number;
  /** Box actions: how close (RMS, in units of the action range) an action must be to count as the same (default 0.25). */
  actionMatchRadius?: number;
  /** Seeds the override draws (default 0). */
  seed?: number;
  /** Name shown in logs (default `ultra-<mode>`). */
  name?: string;
}

/** How ULTRA-A's suggested actions reach the policy: a supervised term at matched states, or overriding the actions taken. */
export type ActionModulation = "imitation" | "override";

/** Where ULTRA-R's implicit reward is paid: at every matched state, or only when the judged action is repeated there. */
export type ImplicitRewardAt = "state" | "judged-action";

/** The ULTRA guide: plugs a critical-state table into an algorithm's action and reward seams. */
export class UltraGuide implements Guide {
  readonly name: string;
  readonly mode: UltraMode;
  readonly table: CriticalStateTable<CriticalState>;
  readonly actionModulation: ActionModulation;
  readonly implicitReward: ImplicitRewardAt;
  private readonly spec: ActionSpec;
  private readonly pStart: number;
  private readonly pEnd: number;
  private readonly coefStart: number;
  private readonly coefEnd: number;
  private readonly rewardScale: number;
  private readonly actionMatchRadius: number;
  private readonly rng: Generator;
  private counts = { lookups: 0, overrides: 0, rewardLookups: 0, rewarded: 0, implicitRewardSum: 0, targetLookups: 0, targets: 0, targetsFollowed: 0 };

  constructor(opts: UltraGuideOptions) {
    this.mode = opts.mode;
    if (!["A", "R", "RA"].includes(this.mode)) throw new RangeError(`UltraGuide: mode must be "A", "R" or "RA", got ${String(opts.mode)}`);
    this.name = opts.name ?? `ultra-${this.mode}`;
    this.table = opts.table;
    this.spec = opts.actionSpec;
    const p = opts.overrideProbability ?? 1;
    [this.pStart, this.pEnd] = typeof p === "number" ? [p, p] : p;
    for (const v of [this.pStart, this.pEnd]) if (!(v >= 0 && v <= 1)) throw new RangeError(`UltraGuide: overrideProbability must be in [0, 1], got ${v}`);
    this.actionModulation = opts.actionModulation ?? "override";
    if (this.actionModulation !== "imitation" && this.actionModulation !== "override") {
      throw new RangeError(`UltraGuide: actionModulation must be "imitation" or "override", got ${String(opts.actionModulation)}`);
    }
    const c = opts.imitationCoef ?? [1, 0];
    [this.coefStart, this.coefEnd] = typeof c === "number" ? [c, c] : c;
    for (const v of [this.coefStart, this.coefEnd]) if (!(Number.isFinite(v) && v >= 0)) throw new RangeError(`UltraGuide: imitationCoef must be finite and >= 0, got ${v}`);
    this.implicitReward = opts.implicitReward ?? "state";
    if (this.implicitReward !== "state" && this.implicitReward !== "judged-action") {
      throw new RangeError(`UltraGuide: implicitReward must be "state" or "judged-action", got ${String(opts.implicitReward)}`);
    }
    if (this.mode !== "R" && this.actionModulation === "imitation") this.actionTargets = this.imitationTargets.bind(this);
    this.rewardScale = opts.rewardScale ?? 0.1;
    this.actionMatchRadius = opts.actionMatchRadius ?? 0.25;
    this.rng = guideRandom(opts.seed ?? 0);
  }

  /** Override probability at this point of the refinement. */
  overrideProbabilityAt(ctx: SeamContext): number {
    return this.pStart + (this.pEnd - this.pStart) * progressOf(ctx);
  }

  /** Imitation weight at this point of the refinement. */
  imitationCoefAt(ctx: SeamContext): number {
    return this.coefStart + (this.coefEnd - this.coefStart) * progressOf(ctx);
  }

  /**
   * Action-target seam, present only for ULTRA-A/RA with `actionModulation: "imitation"` (an algorithm
   * refuses a guide with targets it cannot train on, so the seam must not exist otherwise).
   */
  readonly actionTargets?: (batch: TransitionBatch, ctx: SeamContext) => ActionTargets | undefined;

  /** The suggested action at every row whose state matches a critical state that has one. */
  private imitationTargets(batch: TransitionBatch, ctx: SeamContext): ActionTargets | undefined {
    const dim = this.table.dim;
    if (batch.obsDim !== dim) throw new Error(`UltraGuide: batch has ${batch.obsDim}-dimensional observations, the table ${dim}`);
    const A = batch.actDim;
    const rows: number[] = [];
    const actions: number[] = [];
    for (let t = 0; t < batch.n; t++) {
      this.counts.targetLookups++;
      const suggestion = this.table.nearest(batch.obs, t * dim)?.entry.suggestedAction;
      if (suggestion === undefined) continue;
      rows.push(t);
      if (typeof suggestion === "number") actions.push(suggestion);
      else for (let i = 0; i < A; i++) actions.push(suggestion[i]!);
      this.counts.targets++;
      const own: Action = this.spec.kind === "discrete" ? batch.actions[t * A]! : batch.actions.subarray(t * A, (t + 1) * A);
      if (actionDistance(own, suggestion, this.spec) <= this.actionMatchRadius) this.counts.targetsFollowed++;
    }
    if (rows.length === 0) return undefined;
    return { rows: Int32Array.from(rows), actions: Float32Array.from(actions), coef: this.imitationCoefAt(ctx) };
  }

  /** Action seam (ULTRA-A and ULTRA-RA with `actionModulation: "override"`; otherwise it changes nothing). */
  overrideActions(obs: Float32Array, actions: Float32Array, numEnvs: number, ctx: SeamContext): number[] {
    if (this.mode === "R" || this.actionModulation !== "override") return [];
    const dim = this.table.dim;
    const actDim = actions.length / numEnvs;
    if (obs.length !== numEnvs * dim) throw new Error(`UltraGuide: expected ${numEnvs} x ${dim} observations, got ${obs.length} numbers`);
    const p = this.overrideProbabilityAt(ctx);
    const changed: number[] = [];
    for (let i = 0; i < numEnvs; i++) {
      this.counts.lookups++;
      const match = this.table.nearest(obs, i * dim);
      const suggestion = match?.entry.suggestedAction;
      if (suggestion === undefined) continue;
      if (this.rng.random() >= p) continue;
      if (typeof suggestion === "number") actions[i * actDim] = suggestion;
      else actions.set(suggestion, i * actDim);
      changed.push(i);
      this.counts.overrides++;
    }
    return changed;
  }

  /** Reward seam (ULTRA-R and ULTRA-RA; ULTRA-A keeps the environment's rewards). */
  transformRewards(batch: TransitionBatch): Float32Array | undefined {
    if (this.mode === "A") return undefined;
    const out = Float32Array.from(batch.rewards);
    const dim = this.table.dim;
    if (batch.obsDim !== dim) throw new Error(`UltraGuide: batch has ${batch.obsDim}-dimensional observations, the table ${dim}`);
    for (let t = 0; t < batch.n; t++) {
      this.counts.rewardLookups++;
      const match = this.table.nearest(batch.obs, t * dim);
      const r = match?.entry.implicitReward;
      if (match === undefined || r === undefined || r === 0) continue;
      if (this.implicitReward === "judged-action") {
        const action: Action = this.spec.kind === "discrete" ? batch.actions[t * batch.actDim]! : batch.actions.subarray(t * batch.actDim, (t + 1) * batch.actDim);
        if (actionDistance(action, match.entry.takenAction, this.spec) > this.actionMatchRadius) continue;
      }
      out[t] = out[t]! + this.rewardScale * r;
      this.counts.rewarded++;
      this.counts.implicitRewardSum += this.rewardScale * r;
    }
    return out;
  }

  metrics(): Record<string, number> {
    const c = this.counts;
    return {
      "ultra/critical_states": this.table.size,
      "ultra/override_rate": c.lookups > 0 ? c.overrides / c.lookups : 0,
      "ultra/overrides": c.overrides,
      "ultra/rewarded_rate": c.rewardLookups > 0 ? c.rewarded / c.rewardLookups : 0,
      "ultra/implicit_reward_sum": c.implicitRewardSum,
      "ultra/imitation_rate": c.targetLookups > 0 ? c.targets / c.targetLookups : 0,
      // how often the policy already took the suggested action where it was advised (rises as it learns)
      "ultra/suggestion_followed_rate": c.targets > 0 ? c.targetsFollowed / c.targets : 0,
    };
  }
}

function progressOf(ctx: SeamContext): number {
  return ctx.totalTimesteps > 0 ? Math.min(1, ctx.numTimesteps / ctx.totalTimesteps) : 0;
}
