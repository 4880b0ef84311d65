/**
 * Step 5 of ULTRA: refinement through the seams. While the policy trains (PPO), every state it meets is
 * looked up among the critical states:
 *
 *  - ULTRA-A (action seam): at a matched state the LLM's suggested action replaces the policy's, with a
 *    probability that decays linearly over the refinement (default 1 -> 0), so the agent first sees
 *    what the LLM advises and then has to act on its own. PPO learns from the overridden actions with
 *    their log-probabilities under the current policy.
 *  - ULTRA-R (reward seam): a transition whose state matches a critical state and whose action matches
 *    the one the sub-optimal policy took there earns `rewardScale * implicitReward` on top of the
 *    environment's reward (the LLM's judgement of that action, in [-1, 1]).
 *  - ULTRA-RA: both seams at once.
 *
 * The implicit reward is given only for repeating the judged action, never for the suggested one: a
 * bonus for acting well in a bad state pays the agent for getting into bad states (in our first Pong
 * runs that variant refined worse than continued PPO without a guide).
 */
import type { Guide, SeamContext, TransitionBatch } from "../../algos/seams.js";
import { npRandom, type Generator } from "../../core/rng.js";
import type { ActionSpec } from "./action-spec.js";
import { actionDistance } from "./action-spec.js";
import type { CriticalStateTable } from "./lookup.js";
import type { Action, CriticalState, UltraMode } from "./types.js";

export interface UltraGuideOptions {
  table: CriticalStateTable<CriticalState>;
  mode: UltraMode;
  actionSpec: ActionSpec;
  /** ULTRA-A: override probability at the start and at the end of the refinement (linear in between). Default [1, 0]. */
  overrideProbability?: number | [number, number];
  /** ULTRA-R: weight of the implicit reward relative to the environment's (default 0.1). */
  rewardScale?: number;
  /** Box actions: how close (RMS, in units of the action range) an action must be to count as the same (default 0.25). */
  actionMatchRadius?: number;
  /** Seeds the override draws (default 0). */
  seed?: number;
  /** Name shown in logs (default `ultra-<mode>`). */
  name?: string;
}

/** The ULTRA guide: plugs a critical-state table into an algorithm's action and reward seams. */
export class UltraGuide implements Guide {
  readonly name: string;
  readonly mode: UltraMode;
  readonly table: CriticalStateTable<CriticalState>;
  private readonly spec: ActionSpec;
  private readonly pStart: number;
  private readonly pEnd: number;
  private readonly rewardScale: number;
  private readonly actionMatchRadius: number;
  private readonly rng: Generator;
  private counts = { lookups: 0, overrides: 0, rewardLookups: 0, rewarded: 0, implicitRewardSum: 0 };

  constructor(opts: UltraGuideOptions) {
    this.mode = opts.mode;
    if (!["A", "R", "RA"].includes(this.mode)) throw new RangeError(`UltraGuide: mode must be "A", "R" or "RA", got ${String(opts.mode)}`);
    this.name = opts.name ?? `ultra-${this.mode}`;
    this.table = opts.table;
    this.spec = opts.actionSpec;
    const p = opts.overrideProbability ?? [1, 0];
    [this.pStart, this.pEnd] = typeof p === "number" ? [p, p] : p;
    for (const v of [this.pStart, this.pEnd]) if (!(v >= 0 && v <= 1)) throw new RangeError(`UltraGuide: overrideProbability must be in [0, 1], got ${v}`);
    this.rewardScale = opts.rewardScale ?? 0.1;
    this.actionMatchRadius = opts.actionMatchRadius ?? 0.25;
    this.rng = npRandom(opts.seed ?? 0)[0];
  }

  /** Override probability at this point of the refinement. */
  overrideProbabilityAt(ctx: SeamContext): number {
    const progress = ctx.totalTimesteps > 0 ? Math.min(1, ctx.numTimesteps / ctx.totalTimesteps) : 0;
    return this.pStart + (this.pEnd - this.pStart) * progress;
  }

  /** Action seam (ULTRA-A and ULTRA-RA; ULTRA-R changes nothing here). */
  overrideActions(obs: Float32Array, actions: Float32Array, numEnvs: number, ctx: SeamContext): number[] {
    if (this.mode === "R") return [];
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
      if (match === undefined || r === undefined) continue;
      const action: Action = this.spec.kind === "discrete" ? batch.actions[t * batch.actDim]! : batch.actions.subarray(t * batch.actDim, (t + 1) * batch.actDim);
      if (r === 0 || actionDistance(action, match.entry.takenAction, this.spec) > this.actionMatchRadius) continue;
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
    };
  }
}
