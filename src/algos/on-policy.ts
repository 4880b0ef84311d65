/**
 * What PPO and A2C share, as in Stable-Baselines3's OnPolicyAlgorithm: rollout collection over a vector
 * of environments with the guide seams, optional VecNormalize, GAE, the learn loop, and checkpoints.
 * Subclasses implement `train()` (the update) and read top to bottom in ppo.ts / a2c.ts.
 *
 * One training phase:
 *   1. collect nSteps x nEnvs transitions with the current policy (batched forward over all envs);
 *      the action seam may override actions (their log-probs are recomputed);
 *   2. reward seam: the guide may replace the rollout's rewards (raw env rewards in, rewards out);
 *   3. reward normalisation (VecNormalize semantics), time-limit bootstrapping r += gamma V(final obs);
 *   4. GAE(lambda) advantages and returns; action-target seam: supervised targets on chosen rows (kept
 *      beside the buffer for `train()`); data seam: extra transitions get one-step advantages;
 *   5. `train()`; callbacks; checkpoint.
 */
import type { Env, Info } from "../core/env.js";
import type { Optimizer, OptimizerState } from "../nn/optim.js";
import { Random, type RandomState } from "../nn/random.js";
import type { LearnOptions, TrainingProgress } from "./callbacks.js";
import { ActorCriticPolicy, type PolicyJSON, type PolicyKwargs } from "./policy.js";
import type { SavedPolicy } from "./policy-file.js";
import { RolloutBuffer } from "./rollout-buffer.js";
import { type Schedule, toSchedule } from "./schedules.js";
import type { ActionTargets, Guide, SeamContext, TransitionBatch } from "./seams.js";
import { describeSpace } from "../core/space-layout.js";
import { SyncVecEnv, type VecEnvState } from "../envs/vector.js";
import { type NormalizeOptions, type NormalizerState, VecNormalize } from "../envs/wrappers/vec-normalize.js";
import { writeJsonAtomic } from "./checkpoint.js";
import { finite, inRange, jsonSafe, knownOptions, positiveInt, stripUndefined, type StoredOptions } from "./options.js";

/** Hyperparameters common to PPO and A2C (SB3 names, camelCase). */
export interface OnPolicyOptions {
  learningRate?: Schedule;
  nSteps?: number;
  gamma?: number;
  gaeLambda?: number;
  entCoef?: number;
  vfCoef?: number;
  maxGradNorm?: number;
  normalizeAdvantage?: boolean;
  /** rl-zoo's `normalize`: true for VecNormalize defaults, or its options. */
  normalize?: boolean | NormalizeOptions;
  policyKwargs?: PolicyKwargs;
  seed?: number;
  /** The guide whose seams training goes through (reward, action override, extra data). */
  guide?: Guide;
}

export interface OnPolicyCheckpoint {
  algo: string;
  version: 1;
  options: StoredOptions;
  numEnvs: number;
  numTimesteps: number;
  totalTimesteps: number;
  nUpdates: number;
  policy: PolicyJSON;
  optimizer: OptimizerState;
  rng: RandomState;
  predictRng: RandomState;
  vecEnv: VecEnvState;
  normalizer: NormalizerState | null;
  lastEpisodeStarts: number[];
  /** Raw observations the replay must reproduce (checked on restore). */
  lastObs: number[];
  recentReturns: number[];
  recentLengths: number[];
  episodes: number;
  collectSeconds: number;
  updateSeconds: number;
}

export abstract class OnPolicyAlgorithm {
  abstract readonly algo: "ppo" | "a2c";
  readonly vecEnv: SyncVecEnv;
  readonly numEnvs: number;
  readonly obsDim: number;
  readonly policy: ActorCriticPolicy;
  readonly normalizer: VecNormalize | null;
  readonly rolloutBuffer: RolloutBuffer;
  readonly guide: Guide | undefined;
  /** Sampling actions and shuffling minibatches. */
  readonly rng: Random;
  /** Stochastic `predict` calls draw from here, so predictions never disturb training's stream. */
  readonly predictRng: Random;
  protected abstract readonly optimizer: Optimizer;
  readonly seed: number;
  readonly nSteps: number;
  readonly gamma: number;
  readonly gaeLambda: number;
  readonly entCoef: number;
  readonly vfCoef: number;
  readonly maxGradNorm: number;
  readonly learningRate: (progressRemaining: number) => number;
  numTimesteps = 0;
  nUpdates = 0;
  totalTimesteps = 0;
  /** Seconds spent collecting rollouts and updating, this process and before (restored from checkpoints). */
  collectSeconds = 0;
  updateSeconds = 0;
  protected progressRemaining = 1;
  private lastObs: Float32Array | null = null;
  private lastEpisodeStarts: Uint8Array;
  private recentReturns: number[] = [];
  private recentLengths: number[] = [];
  private episodes = 0;
  protected lastFiniteMetrics: Record<string, number> = {};
  /**
   * Action-target seam, per rollout row: the weight of -log pi(target | s) (0: no target) and the target
   * action. Rows beyond the rollout (data-seam extras) never have one.
   */
  protected readonly targetCoefs: Float32Array;
  protected readonly targetActions: Float32Array;
  /** Whether the current rollout has any action target (lets `train()` skip the extra work). */
  protected hasActionTargets = false;
  private storedOptions: StoredOptions;

  constructor(env: Env | Env[], opts: OnPolicyOptions, defaults: Required<Omit<OnPolicyOptions, "guide" | "normalize" | "policyKwargs">>) {
    const envs = Array.isArray(env) ? env : [env];
    const given = stripUndefined(opts);
    const o = { ...defaults, ...given };
    knownOptions(this.constructor.name, given, defaults, ["guide", "normalize", "policyKwargs"]);
    this.seed = o.seed;
    if (!Number.isInteger(this.seed)) throw new Error(`seed must be an integer, got ${this.seed}`);
    for (const e of envs) {
      const k = e.actionSpace.kind;
      if (k !== "discrete" && k !== "box") {
        throw new Error(`${this.constructor.name}: unsupported action space ${describeSpace(e.actionSpace)} (Discrete or Box only)`);
      }
    }
    this.vecEnv = new SyncVecEnv(envs, this.seed);
    this.numEnvs = envs.length;
    this.obsDim = this.vecEnv.obsDim;
    this.nSteps = positiveInt("nSteps", o.nSteps);
    this.gamma = inRange("gamma", o.gamma, 0, 1);
    this.gaeLambda = inRange("gaeLambda", o.gaeLambda, 0, 1);
    this.entCoef = finite("entCoef", o.entCoef);
    this.vfCoef = finite("vfCoef", o.vfCoef);
    this.maxGradNorm = finite("maxGradNorm", o.maxGradNorm);
    this.learningRate = toSchedule(o.learningRate, "learningRate");
    this.guide = opts.guide;
    this.rng = new Random(this.seed);
    this.predictRng = new Random(this.seed + 7919);
    this.policy = new ActorCriticPolicy(this.obsDim, this.vecEnv.actLayout, opts.policyKwargs ?? {}, this.rng);
    const norm = opts.normalize;
    this.normalizer = norm ? new VecNormalize(this.obsDim, this.numEnvs, { gamma: this.gamma, ...(norm === true ? {} : norm) }) : null;
    this.rolloutBuffer = new RolloutBuffer(this.nSteps, this.numEnvs, this.obsDim, this.vecEnv.actLayout.dim);
    this.lastEpisodeStarts = new Uint8Array(this.numEnvs).fill(1);
    this.targetCoefs = new Float32Array(this.nSteps * this.numEnvs);
    this.targetActions = new Float32Array(this.nSteps * this.numEnvs * this.vecEnv.actLayout.dim);
    if (this.guide?.actionTargets && !this.supportsActionTargets) {
      throw new Error(`${this.constructor.name}: guide "${this.guide.name}" provides action targets, which this algorithm's update does not support`);
    }
    this.storedOptions = jsonSafe({ ...o, normalize: norm ?? false, policyKwargs: opts.policyKwargs ?? {} });
  }

  /** The update on the collected rollout; returns metrics. Throws NonFiniteLossError before a bad step. */
  protected abstract train(): Record<string, number>;

  /** True when `train()` adds the action-target term (see seams.ts); guides with targets are refused otherwise. */
  protected get supportsActionTargets(): boolean {
    return false;
  }

  /** Hyperparameters as stored in checkpoints (schedules given as functions appear as "function"). */
  get options(): StoredOptions {
    return this.storedOptions;
  }

  // ---------------------------------------------------------------------------------------------
  // Learn loop
  // ---------------------------------------------------------------------------------------------

  /** Trains until `totalTimesteps` env steps in all (a loaded model continues from its step count). */
  async learn(opts: LearnOptions): Promise<this> {
    const total = (this.totalTimesteps = opts.totalTimesteps);
    if (!(total > 0)) throw new Error(`totalTimesteps must be positive, got ${total}`);
    if (this.lastObs === null) this.lastObs = this.resetEnvs();
    let nextCheckpoint = opts.checkpointInterval ? (Math.floor(this.numTimesteps / opts.checkpointInterval) + 1) * opts.checkpointInterval : Infinity;
    while (this.numTimesteps < total) {
      const t0 = performance.now();
      const guideMetrics = await this.collectRollouts();
      const t1 = performance.now();
      this.progressRemaining = 1 - this.numTimesteps / total;
      const metrics = this.train();
      const t2 = performance.now();
      this.collectSeconds += (t1 - t0) / 1000;
      this.updateSeconds += (t2 - t1) / 1000;
      this.lastFiniteMetrics = metrics;
      if (opts.checkpointDir && this.numTimesteps >= nextCheckpoint) {
        this.save(opts.checkpointDir);
        while (nextCheckpoint <= this.numTimesteps) nextCheckpoint += opts.checkpointInterval!;
      }
      const keepGoing = await opts.callback?.(this.progress(metrics, guideMetrics));
      if (keepGoing === false) break;
    }
    return this;
  }

  progress(metrics: Record<string, number>, guideMetrics?: Record<string, number>): TrainingProgress {
    const mean = (a: number[]) => (a.length ? a.reduce((s, v) => s + v, 0) / a.length : NaN);
    return {
      numTimesteps: this.numTimesteps,
      totalTimesteps: this.totalTimesteps,
      nUpdates: this.nUpdates,
      episodes: this.episodes,
      epRewMean: mean(this.recentReturns),
      epLenMean: mean(this.recentLengths),
      metrics: {
        ...metrics,
        "time/collect_seconds": this.collectSeconds,
        "time/update_seconds": this.updateSeconds,
      },
      ...(guideMetrics ? { guideMetrics } : {}),
    };
  }

  /** Actions for rows of raw observations (normalised as in training); discrete actions as indices. */
  predict(obs: Float32Array, deterministic = true): Float32Array {
    const B = obs.length / this.obsDim;
    if (!Number.isInteger(B) || B < 1) throw new Error(`predict: ${obs.length} values is not a whole number of ${this.obsDim}-wide observations`);
    const x = this.normalizer ? this.normalizer.normalizeObs(obs, B) : obs;
    const actions = new Float32Array(B * this.vecEnv.actLayout.dim);
    this.policy.act(x, B, deterministic ? null : this.predictRng, actions);
    this.clipActions(actions);
    return actions;
  }

  // ---------------------------------------------------------------------------------------------
  // Rollout collection
  // ---------------------------------------------------------------------------------------------

  private resetEnvs(): Float32Array {
    const obs = this.vecEnv.reset();
    this.normalizer?.observe(obs, this.numEnvs);
    return obs;
  }

  private normalized(obs: Float32Array, B: number): Float32Array {
    return this.normalizer ? this.normalizer.normalizeObs(obs, B) : obs;
  }

  protected clipActions(actions: Float32Array): void {
    const a = this.vecEnv.actLayout;
    if (a.kind !== "box") return;
    const k = a.dim;
    for (let i = 0; i < actions.length; i++) {
      const lo = a.low[i % k];
      const hi = a.high[i % k];
      const v = actions[i];
      actions[i] = v < lo ? lo : v > hi ? hi : v;
    }
  }

  /** Steps 1-4 of the phase; returns the guide's metrics. */
  private async collectRollouts(): Promise<Record<string, number> | undefined> {
    const E = this.numEnvs;
    const D = this.obsDim;
    const A = this.vecEnv.actLayout.dim;
    const N = this.nSteps * E;
    const buf = this.rolloutBuffer;
    const guide = this.guide;
    const ctx = (): SeamContext => ({ numTimesteps: this.numTimesteps, totalTimesteps: this.totalTimesteps });
    const batch: TransitionBatch = {
      n: N, obsDim: D, actDim: A,
      obs: new Float32Array(N * D), actions: new Float32Array(N * A), rewards: new Float32Array(N),
      nextObs: new Float32Array(N * D), terminated: new Uint8Array(N), truncated: new Uint8Array(N),
      envIndex: new Int32Array(N),
      ...(guide?.needsInfos ? { infos: new Array<Info>(N) } : {}),
    };
    const dones = new Uint8Array(N);
    const terminalValues = new Float32Array(N);
    const actions = new Float32Array(E * A);
    const envActions = new Float32Array(E * A);
    const values = new Float32Array(E);
    const logProbs = new Float32Array(E);
    const overrideLogProbs = new Float32Array(E);
    const oneValue = new Float32Array(1);
    let rawObs = this.lastObs!;
    let obsN = this.normalized(rawObs, E);
    for (let step = 0; step < this.nSteps; step++) {
      this.policy.act(obsN, E, this.rng, actions, values, logProbs);
      if (guide?.overrideActions) {
        const changed = guide.overrideActions(rawObs, actions, E, ctx());
        if (changed.length > 0) {
          this.policy.logProbOf(obsN, actions, E, overrideLogProbs);
          for (const i of changed) logProbs[i] = overrideLogProbs[i];
        }
      }
      envActions.set(actions);
      this.clipActions(envActions);
      const res = this.vecEnv.step(envActions);
      this.numTimesteps += E;
      const row0 = step * E;
      buf.obs.set(obsN.subarray(0, E * D), row0 * D);
      buf.actions.set(actions, row0 * A);
      buf.values.set(values, row0);
      buf.logProbs.set(logProbs, row0);
      for (let i = 0; i < E; i++) buf.episodeStarts[row0 + i] = this.lastEpisodeStarts[i];
      batch.obs.set(rawObs.subarray(0, E * D), row0 * D);
      batch.actions.set(envActions, row0 * A);
      batch.rewards.set(res.rewards, row0);
      batch.terminated.set(res.terminated, row0);
      batch.truncated.set(res.truncated, row0);
      batch.nextObs.set(res.obs, row0 * D);
      this.normalizer?.observe(res.obs, E);
      for (let i = 0; i < E; i++) {
        const row = row0 + i;
        batch.envIndex![row] = i;
        if (batch.infos) batch.infos[row] = res.infos[i];
        const final = res.finalObs[i];
        dones[row] = res.terminated[i] | res.truncated[i];
        if (final) {
          batch.nextObs.set(final, row * D);
          // SB3: bootstrap at time limits with the value of the final observation
          if (res.truncated[i] && !res.terminated[i]) {
            this.policy.predictValues(this.normalized(final, 1), 1, oneValue);
            terminalValues[row] = oneValue[0];
          }
        }
      }
      for (const ep of this.vecEnv.drainEpisodes()) this.recordEpisode(ep.return, ep.length);
      rawObs = res.obs;
      obsN = this.normalized(rawObs, E);
      this.lastEpisodeStarts = res.terminated.map((t, i) => t | res.truncated[i]);
    }
    this.lastObs = rawObs;

    // 2. reward seam
    let rewards = batch.rewards;
    if (guide?.transformRewards) {
      const shaped = await guide.transformRewards(batch, ctx());
      if (shaped !== undefined) {
        if (shaped.length !== N) throw new Error(`guide "${guide.name}": transformRewards returned ${shaped.length} rewards for ${N} transitions`);
        rewards = Float32Array.from(shaped);
      }
    }
    this.storeActionTargets(guide?.actionTargets ? guide.actionTargets(batch, ctx()) : undefined, N, A);
    // 3. normalisation in time order, then time-limit bootstrapping
    const r = rewards === batch.rewards ? Float32Array.from(rewards) : rewards;
    if (this.normalizer) {
      for (let step = 0; step < this.nSteps; step++) {
        this.normalizer.normalizeRewardsStep(r.subarray(step * E, (step + 1) * E), dones.subarray(step * E, (step + 1) * E));
      }
    }
    for (let row = 0; row < N; row++) buf.rewards[row] = r[row] + this.gamma * terminalValues[row];
    // 4. advantages
    const lastValues = new Float32Array(E);
    this.policy.predictValues(obsN, E, lastValues);
    buf.size = N;
    buf.computeReturnsAndAdvantage(lastValues, this.lastEpisodeStarts, this.gamma, this.gaeLambda);
    if (guide?.extraTransitions) {
      const extra = await guide.extraTransitions(ctx());
      if (extra && extra.n > 0) this.addExtraTransitions(extra);
    }
    return guide?.metrics?.();
  }

  /** Checks the guide's action targets and spreads them over the rollout rows. */
  private storeActionTargets(t: ActionTargets | undefined, N: number, A: number): void {
    this.targetCoefs.fill(0);
    this.hasActionTargets = false;
    if (t === undefined || t.rows.length === 0) return;
    const who = `guide "${this.guide?.name}": actionTargets`;
    if (!(Number.isFinite(t.coef) && t.coef >= 0)) throw new Error(`${who} coef must be a finite number >= 0, got ${t.coef}`);
    if (t.actions.length !== t.rows.length * A) throw new Error(`${who} has ${t.rows.length} rows but ${t.actions.length} action values (expected ${t.rows.length * A})`);
    if (t.coef === 0) return;
    for (let k = 0; k < t.rows.length; k++) {
      const row = t.rows[k];
      if (!(Number.isInteger(row) && row >= 0 && row < N)) throw new Error(`${who} row ${row} is outside the batch (0..${N - 1})`);
      this.targetCoefs[row] = t.coef;
      for (let i = 0; i < A; i++) this.targetActions[row * A + i] = t.actions[k * A + i];
    }
    this.hasActionTargets = true;
  }

  /**
   * Data seam for on-policy learning: extra transitions join the update with their log-probabilities under
   * the current policy and one-step advantages r + gamma V(s') (1 - terminated) - V(s).
   */
  private addExtraTransitions(extra: TransitionBatch): void {
    const D = this.obsDim;
    const A = this.vecEnv.actLayout.dim;
    if (extra.obsDim !== D || extra.actDim !== A) {
      throw new Error(`guide "${this.guide?.name}": extra transitions are ${extra.obsDim}/${extra.actDim} wide, expected obs ${D} / action ${A}`);
    }
    const buf = this.rolloutBuffer;
    const n = extra.n;
    buf.reserveExtra(n);
    const start = buf.rolloutSize;
    const obs = this.normalized(extra.obs, n);
    const next = this.normalized(extra.nextObs, n);
    const v = new Float32Array(n);
    const vNext = new Float32Array(n);
    const lp = new Float32Array(n);
    this.policy.predictValues(obs, n, v);
    this.policy.predictValues(next, n, vNext);
    this.policy.logProbOf(obs, extra.actions, n, lp);
    buf.obs.set(obs.subarray(0, n * D), start * D);
    buf.actions.set(extra.actions.subarray(0, n * A), start * A);
    for (let i = 0; i < n; i++) {
      const row = start + i;
      const adv = extra.rewards[i] + this.gamma * vNext[i] * (1 - extra.terminated[i]) - v[i];
      buf.values[row] = v[i];
      buf.logProbs[row] = lp[i];
      buf.advantages[row] = adv;
      buf.returns[row] = adv + v[i];
      buf.rewards[row] = extra.rewards[i];
      buf.episodeStarts[row] = 1;
    }
    buf.size = start + n;
  }

  private recordEpisode(ret: number, len: number): void {
    this.episodes++;
    this.recentReturns.push(ret);
    this.recentLengths.push(len);
    if (this.recentReturns.length > 100) {
      this.recentReturns.shift();
      this.recentLengths.shift();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Checkpoints
  // ---------------------------------------------------------------------------------------------

  checkpoint(): OnPolicyCheckpoint {
    if (this.lastObs === null) this.lastObs = this.resetEnvs();
    return {
      algo: this.algo,
      version: 1,
      options: this.storedOptions,
      numEnvs: this.numEnvs,
      numTimesteps: this.numTimesteps,
      totalTimesteps: this.totalTimesteps,
      nUpdates: this.nUpdates,
      policy: this.policy.toJSON(),
      optimizer: this.optimizer.stateDict(),
      rng: this.rng.getState(),
      predictRng: this.predictRng.getState(),
      vecEnv: this.vecEnv.getState(),
      normalizer: this.normalizer ? this.normalizer.getState() : null,
      lastEpisodeStarts: Array.from(this.lastEpisodeStarts),
      lastObs: Array.from(this.lastObs),
      recentReturns: this.recentReturns.slice(),
      recentLengths: this.recentLengths.slice(),
      episodes: this.episodes,
      collectSeconds: this.collectSeconds,
      updateSeconds: this.updateSeconds,
    };
  }

  /** Writes `dir/<algo>.json` atomically (a kill mid-write keeps the previous checkpoint). */
  save(dir: string): void {
    writeJsonAtomic(dir, `${this.algo}.json`, this.checkpoint());
  }

  /** Restores everything from a checkpoint made with the same task, number of envs and options. */
  restore(ckpt: OnPolicyCheckpoint): void {
    if (ckpt?.algo !== this.algo) throw new Error(`checkpoint is for "${ckpt?.algo}", not ${this.algo}`);
    if (ckpt.numEnvs !== this.numEnvs) throw new Error(`checkpoint was made with ${ckpt.numEnvs} envs, this model has ${this.numEnvs}`);
    this.policy.load(ckpt.policy);
    this.optimizer.loadStateDict(ckpt.optimizer);
    this.rng.setState(ckpt.rng);
    this.predictRng.setState(ckpt.predictRng);
    if (this.normalizer) this.normalizer.setState(ckpt.normalizer!);
    const obs = this.vecEnv.restore(ckpt.vecEnv);
    for (let i = 0; i < obs.length; i++) {
      if (Math.abs(obs[i] - ckpt.lastObs[i]) > 1e-6 * Math.max(1, Math.abs(ckpt.lastObs[i]))) {
        throw new Error(`restoring: replayed observation differs from the checkpoint at index ${i} (${obs[i]} vs ${ckpt.lastObs[i]}); the environment is not deterministic`);
      }
    }
    this.lastObs = obs;
    this.lastEpisodeStarts = Uint8Array.from(ckpt.lastEpisodeStarts);
    this.numTimesteps = ckpt.numTimesteps;
    this.totalTimesteps = ckpt.totalTimesteps;
    this.nUpdates = ckpt.nUpdates;
    this.recentReturns = ckpt.recentReturns.slice();
    this.recentLengths = ckpt.recentLengths.slice();
    this.episodes = ckpt.episodes;
    this.collectSeconds = ckpt.collectSeconds;
    this.updateSeconds = ckpt.updateSeconds;
  }

  /**
   * Takes the weights and normaliser statistics of a saved policy or a checkpoint; the optimiser,
   * generators and environments stay fresh (a new run from that policy), and the per-env discounted
   * returns of the reward statistics start at zero (the env count may differ).
   */
  loadPolicy(saved: SavedPolicy): void {
    this.policy.load(saved.policy);
    if (this.normalizer) {
      if (!saved.normalizer) throw new Error(`the saved ${saved.algo.toUpperCase()} policy has no normalisation statistics, but this model normalises observations (normalize option)`);
      this.normalizer.setState({ ...saved.normalizer, returns: new Array<number>(this.numEnvs).fill(0) });
    }
  }

  close(): void {
    this.vecEnv.close();
  }
}
