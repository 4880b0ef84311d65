/**
 * A StateMask-style explanation (Cheng et al., NeurIPS 2023), in the simplified form RICE (Cheng et al.,
 * ICML 2024) trains it: a mask network looks at the frozen agent's state and chooses "keep" (the agent
 * acts) or "blind" (a uniformly random action replaces the agent's). It is trained with PPO to keep the
 * agent's return while blinding as often as it can (a small bonus per blinded step), so it learns to
 * blind where the agent's action does not matter and to keep where it does. The steps it is least
 * willing to blind, the highest P(keep), are the critical states.
 *
 * Every env step the mask network trains on is a step of the real environment: the rows that use it
 * pay them (see `UltraBudget.maskSteps`).
 */
import type { Env, EnvSpec, ResetOptions, ResetResult, StepResult } from "../../core/env.js";
import { Discrete, type Space } from "../../core/spaces.js";
import { npRandom, type Generator } from "../../core/rng.js";
import { PPO, type PpoOptions } from "../../algos/ppo.js";
import type { Action, CriticalState, Episode } from "../../guides/ultra/types.js";
import type { Predictor } from "../../algos/evaluate.js";
import { actionLayout, envAction } from "../../core/space-layout.js";

export const MASK_KEEP = 0;
export const MASK_BLIND = 1;

/** Draws a uniformly random action of `space` (Discrete or Box) from `rng`. */
export function randomAction(space: Space<unknown>, rng: Generator): Action {
  if (space.kind === "discrete") {
    const d = space as unknown as { n: number; start?: number };
    return (d.start ?? 0) + Math.floor(rng.random() * d.n);
  }
  if (space.kind === "box") {
    const b = space as unknown as { low: ArrayLike<number>; high: ArrayLike<number> };
    const a = new Float32Array(b.low.length);
    for (let i = 0; i < a.length; i++) a[i] = b.low[i]! + (b.high[i]! - b.low[i]!) * rng.random();
    return a;
  }
  throw new Error(`randomAction: unsupported space kind "${space.kind}"`);
}

export interface MaskEnvOptions {
  /** The frozen agent whose actions are kept or blinded. */
  agent: Predictor;
  /** Reward per blinded step, on top of the environment's. */
  blindBonus: number;
  /** Seeds the random actions (default 0). */
  seed?: number;
}

/**
 * The mask network's environment: the wrapped env's observations, actions Discrete(2) (0 keep, 1 blind),
 * reward = env reward + blindBonus * blinded. `info.env_reward` carries the environment's own reward.
 */
export class MaskEnv implements Env<Float32Array, number> {
  readonly observationSpace: Space<Float32Array>;
  readonly actionSpace: Space<number> = new Discrete(2);
  spec?: EnvSpec;
  private obs: Float32Array | null = null;
  private readonly rng: Generator;

  constructor(readonly env: Env<Float32Array, unknown>, private readonly opts: MaskEnvOptions) {
    if (!(opts.blindBonus >= 0)) throw new RangeError(`MaskEnv: blindBonus must be >= 0, got ${opts.blindBonus}`);
    this.observationSpace = env.observationSpace;
    this.rng = npRandom(opts.seed ?? 0)[0];
    if (env.spec) this.spec = { ...env.spec, id: `Mask(${env.spec.id})` };
  }

  reset(opts?: ResetOptions): ResetResult<Float32Array> {
    const res = this.env.reset(opts);
    this.obs = res.obs;
    return res;
  }

  step(mask: number): StepResult<Float32Array> {
    if (!this.obs) throw new Error("MaskEnv: call reset() before step()");
    const blind = mask === MASK_BLIND;
    const action = blind ? randomAction(this.env.actionSpace as Space<unknown>, this.rng) : envAction(actionLayout(this.env.actionSpace as Space<unknown>), this.opts.agent.predict(this.obs, true), 0);
    const res = this.env.step(action);
    this.obs = res.obs;
    return { ...res, reward: res.reward + (blind ? this.opts.blindBonus : 0), info: { ...res.info, env_reward: res.reward, blinded: blind } };
  }

  close(): void {
    this.env.close();
  }
}

export interface TrainMaskOptions {
  /** Makes one copy of the environment (called `numEnvs` times). */
  makeEnv: () => Env<Float32Array, unknown>;
  agent: Predictor;
  /** Env steps of mask training (a whole number of PPO phases, nSteps x numEnvs). */
  steps: number;
  numEnvs: number;
  blindBonus: number;
  options: PpoOptions;
  seed?: number;
}

/** Trains the mask network with PPO for exactly `steps` env steps; returns the trained model. */
export async function trainMaskNetwork(opts: TrainMaskOptions): Promise<PPO> {
  const seed = opts.seed ?? 0;
  const envs = Array.from({ length: opts.numEnvs }, (_, i) => new MaskEnv(opts.makeEnv(), { agent: opts.agent, blindBonus: opts.blindBonus, seed: seed * 1000 + i }));
  const model = new PPO(envs, { ...opts.options, seed });
  const phase = model.nSteps * model.numEnvs;
  if (opts.steps % phase !== 0) throw new Error(`trainMaskNetwork: steps (${opts.steps}) must be a whole number of PPO phases of ${phase} (mask nSteps x numEnvs)`);
  await model.learn({ totalTimesteps: opts.steps });
  return model;
}

/** P(keep | s) for each observation: how much the mask network wants the agent's own action there. */
export function keepProbabilities(mask: PPO, obs: readonly Float32Array[]): Float32Array {
  const n = obs.length;
  const dim = mask.obsDim;
  const rows = new Float32Array(n * dim);
  obs.forEach((o, i) => rows.set(o, i * dim));
  const x = mask.normalizer ? mask.normalizer.normalizeObs(rows, n) : rows;
  const lp = new Float32Array(n);
  mask.policy.logProbOf(x, new Float32Array(n).fill(MASK_KEEP), n, lp);
  return lp.map(Math.exp);
}

/**
 * The `count` recorded steps with the highest P(keep) (ties: the earlier step), as critical states with
 * the mask's judgement as rationale. They carry no suggestion: the baselines restart from them.
 */
export function maskCriticalStates(episodes: readonly Episode[], mask: PPO, count: number): CriticalState[] {
  const all: { episode: number; step: number; keep: number }[] = [];
  episodes.forEach((ep, e) => {
    const keep = keepProbabilities(mask, ep.obs);
    keep.forEach((p, t) => all.push({ episode: e, step: t, keep: p }));
  });
  all.sort((a, b) => b.keep - a.keep || a.episode - b.episode || a.step - b.step);
  return all.slice(0, Math.min(count, all.length)).map(({ episode, step, keep }) => {
    const ep = episodes[episode]!;
    return { episode, step, obs: ep.obs[step]!, takenAction: ep.actions[step]!, rationale: `mask network: P(keep the agent's action) = ${keep.toFixed(3)}` };
  });
}
