/**
 * What the off-policy algorithms (DQN, SAC, TD3) share, as Stable-Baselines3's OffPolicyAlgorithm: the
 * collector that steps the environments through the guide seams into the replay buffer (resumable
 * exactly), and the training loop around it. Each algorithm's own file is its update (`train`).
 *
 * One training phase: collect `trainFreq` steps of every env (uniform random actions before
 * `learningStarts`, the algorithm's exploring policy afterwards, exploration noise on top where the
 * algorithm has it) -> reward seam on the whole chunk -> replay buffer (+ the data seam's transitions);
 * then `gradientSteps` updates; checkpoint; callback.
 *
 * `dones` in the buffer hold `terminated` only: a time-limit truncation keeps bootstrapping from the next
 * observation (SB3's `handle_timeout_termination=True`).
 */
import { join } from "node:path";
import type { Env, Info } from "../core/env.js";
import { Random, type RandomState } from "../nn/random.js";
import type { Guide, TransitionBatch } from "./seams.js";
import { type ActionLayout, type ObservationLayout, describeSpace, spacesOf } from "../core/space-layout.js";
import { SyncVecEnv, type VecEnvState } from "../envs/vector.js";
import type { LearnOptions, TrainingProgress } from "./callbacks.js";
import { ReplayBuffer } from "./replay-buffer.js";
import { toSchedule, type Schedule } from "./schedules.js";
import { knownOptions, stripUndefined, validatePositive } from "./options.js";

// ---------------------------------------------------------------------------------------------------
// Filling the buffer: stepping the environments, the guide seams, resumable state
// ---------------------------------------------------------------------------------------------------

/**
 * The spaces as the off-policy algorithms see them (observations flattened as SB3 does; a Discrete action
 * is stored as its 0-based index), or a clear error for the wrong kind of action space.
 */
export function offPolicySpaces(env: Env, algo: string, want: "discrete" | "box"): { obs: ObservationLayout; act: ActionLayout } {
  const id = env.spec?.id ?? "this environment";
  const kind = env.actionSpace.kind;
  if (want === "discrete" && kind !== "discrete") {
    throw new Error(`${algo}: needs a Discrete action space; ${id} has ${describeSpace(env.actionSpace)} (use SAC, PPO or A2C)`);
  }
  if (want === "box" && (kind !== "box" || env.actionSpace.shape.length !== 1)) {
    throw new Error(`${algo}: needs a 1-D Box action space; ${id} has ${describeSpace(env.actionSpace)} (use DQN, PPO or A2C)`);
  }
  const spaces = spacesOf(env);
  if (spaces.act.kind === "box" && ![...spaces.act.low, ...spaces.act.high].every(Number.isFinite)) {
    throw new Error(`${algo}: the action space of ${id} must be bounded`);
  }
  return spaces;
}

/** Statistics of the episodes finished so far (environment rewards, before any guide). */
export interface EpisodeStats {
  /** Returns of the last 100 finished episodes (SB3's ep_info_buffer). */
  recentReturns: number[];
  recentLengths: number[];
  episodes: number;
}

/** What `learn`'s callback receives: counters, the recent episodes' statistics, the phase's metrics. */
export function progressOf(
  stats: EpisodeStats,
  numTimesteps: number,
  totalTimesteps: number,
  nUpdates: number,
  metrics: Record<string, number>,
  guide: Guide | undefined,
): TrainingProgress {
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
  return {
    numTimesteps,
    totalTimesteps,
    nUpdates,
    episodes: stats.episodes,
    epRewMean: mean(stats.recentReturns),
    epLenMean: mean(stats.recentLengths),
    metrics,
    ...(guide?.metrics ? { guideMetrics: guide.metrics() } : {}),
  };
}

/** The collector's resumable state: counters, generator, and the environments' episode seeds and actions. */
export interface CollectorState {
  numTimesteps: number;
  rng: RandomState;
  vecEnv: VecEnvState;
  stats: EpisodeStats;
  /** The observations the replay must reproduce (checked on restore). */
  lastObs: number[];
}

export interface CollectorOptions {
  envs: Env[];
  /** Env i's first episode is reset with seed + i (as SB3's DummyVecEnv). */
  seed: number;
  guide?: Guide;
  /** Maps env-space actions (n rows) to what the buffer stores, e.g. SAC's rescaling to [-1, 1]. */
  toBufferActions?: (envActions: Float32Array, n: number) => Float32Array;
}

/** What happened in one `collect` call. */
export interface CollectResult {
  steps: number;
  episodes: number;
  /** Mean of the rewards stored (after the reward seam), for logging. */
  meanStoredReward: number;
}

/**
 * Steps the environments (a SyncVecEnv: same-step auto-reset, so the stored next observation of a
 * finished episode is its final observation), batches each chunk of transitions through the guide's reward
 * seam, stores them, then adds the guide's extra transitions. The vector env records each episode's seed
 * and actions, so a checkpoint rebuilds every environment's exact state: a killed run resumes on the same
 * trajectory.
 */
export class OffPolicyCollector {
  readonly vecEnv: SyncVecEnv;
  readonly nEnvs: number;
  readonly obsDim: number;
  readonly actDim: number;
  readonly act: ActionLayout;
  /** Warm-up actions (uniform over the action space) come from here, so they are part of the checkpoint. */
  readonly rng: Random;
  numTimesteps = 0;
  /** Current observation of every env (nEnvs x obsDim). */
  lastObs: Float32Array;
  /** 1 for every env whose episode ended (terminated or truncated) at the last step, else 0. */
  readonly lastDones: Uint8Array;
  readonly stats: EpisodeStats = { recentReturns: [], recentLengths: [], episodes: 0 };
  private readonly guide: Guide | undefined;
  private readonly toBufferActions: ((a: Float32Array, n: number) => Float32Array) | undefined;

  constructor(opts: CollectorOptions, rng: Random) {
    this.vecEnv = new SyncVecEnv(opts.envs, opts.seed);
    this.nEnvs = this.vecEnv.numEnvs;
    this.obsDim = this.vecEnv.obsDim;
    this.act = this.vecEnv.actLayout;
    this.actDim = this.act.dim;
    this.guide = opts.guide;
    this.toBufferActions = opts.toBufferActions;
    this.rng = rng;
    this.lastObs = this.vecEnv.reset();
    this.lastDones = new Uint8Array(this.nEnvs);
  }

  /** Uniformly random env-space actions for every env (the warm-up before `learningStarts`). */
  randomActions(): Float32Array {
    const out = new Float32Array(this.nEnvs * this.actDim);
    const a = this.act;
    for (let e = 0; e < this.nEnvs; e++) {
      if (a.kind === "discrete") out[e] = this.rng.integer(a.n);
      else for (let d = 0; d < a.dim; d++) out[e * a.dim + d] = a.low[d]! + this.rng.random() * (a.high[d]! - a.low[d]!);
    }
    return out;
  }

  /**
   * Collects `nSteps` steps of every env into `buffer`. `chooseActions(obs)` returns actions (nEnvs x
   * actDim: Discrete indices, or env-space Box values) for the current observations; `onStep()` runs after
   * every vector step (DQN updates its target network and exploration rate there).
   */
  async collect(
    nSteps: number,
    chooseActions: (obs: Float32Array) => Float32Array,
    buffer: ReplayBuffer,
    ctx: { totalTimesteps: number },
    onStep?: () => void,
  ): Promise<CollectResult> {
    const { nEnvs, obsDim, actDim } = this;
    const n = nSteps * nEnvs;
    const batch: TransitionBatch = {
      n,
      obsDim,
      actDim,
      obs: new Float32Array(n * obsDim),
      actions: new Float32Array(n * actDim),
      rewards: new Float32Array(n),
      nextObs: new Float32Array(n * obsDim),
      terminated: new Uint8Array(n),
      truncated: new Uint8Array(n),
      envIndex: new Int32Array(n),
      ...(this.guide?.needsInfos ? { infos: [] as Info[] } : {}),
    };
    let episodes = 0;
    for (let t = 0; t < nSteps; t++) {
      const actions = chooseActions(this.lastObs);
      if (actions.length !== nEnvs * actDim) throw new Error(`collect: expected ${nEnvs * actDim} actions, got ${actions.length}`);
      this.guide?.overrideActions?.(this.lastObs.slice(), actions, nEnvs, { numTimesteps: this.numTimesteps, totalTimesteps: ctx.totalTimesteps });
      const res = this.vecEnv.step(actions);
      const row = t * nEnvs;
      batch.obs.set(this.lastObs, row * obsDim);
      batch.actions.set(actions, row * actDim);
      batch.rewards.set(res.rewards, row);
      batch.nextObs.set(res.obs, row * obsDim);
      batch.terminated.set(res.terminated, row);
      batch.truncated.set(res.truncated, row);
      for (let e = 0; e < nEnvs; e++) {
        batch.envIndex![row + e] = e;
        this.lastDones[e] = res.terminated[e]! | res.truncated[e]!;
        const final = res.finalObs[e];
        if (final) batch.nextObs.set(final, (row + e) * obsDim);
      }
      batch.infos?.push(...res.infos);
      for (const ep of this.vecEnv.drainEpisodes()) {
        this.recordEpisode(ep.return, ep.length);
        episodes++;
      }
      this.lastObs = res.obs;
      this.numTimesteps += nEnvs;
      onStep?.();
    }
    const seamCtx = { numTimesteps: this.numTimesteps, totalTimesteps: ctx.totalTimesteps };
    let rewards: Float32Array = batch.rewards;
    const shaped = await this.guide?.transformRewards?.(batch, seamCtx);
    if (shaped !== undefined) rewards = checkRewards(shaped, n, this.guide!.name);
    buffer.add(n, batch.obs, this.bufferActions(batch.actions, n), rewards, batch.nextObs, batch.terminated);
    let meanStoredReward = 0;
    for (let i = 0; i < n; i++) meanStoredReward += rewards[i]!;
    meanStoredReward /= n;
    const extra = await this.guide?.extraTransitions?.(seamCtx);
    if (extra !== undefined && extra.n > 0) {
      buffer.add(extra.n, extra.obs, this.bufferActions(extra.actions, extra.n), checkRewards(extra.rewards, extra.n, this.guide!.name), extra.nextObs, extra.terminated);
    }
    return { steps: n, episodes, meanStoredReward };
  }

  getState(): CollectorState {
    return {
      numTimesteps: this.numTimesteps,
      rng: this.rng.getState(),
      vecEnv: this.vecEnv.getState(),
      stats: { recentReturns: this.stats.recentReturns.slice(), recentLengths: this.stats.recentLengths.slice(), episodes: this.stats.episodes },
      lastObs: Array.from(this.lastObs),
    };
  }

  /** Restores counters and rebuilds every env's current episode by replaying its actions from its seed. */
  setState(state: CollectorState): void {
    this.numTimesteps = state.numTimesteps;
    this.rng.setState(state.rng);
    Object.assign(this.stats, { recentReturns: state.stats.recentReturns.slice(), recentLengths: state.stats.recentLengths.slice(), episodes: state.stats.episodes });
    this.lastObs = this.vecEnv.restore(state.vecEnv);
    for (let i = 0; i < this.lastObs.length; i++) {
      if (this.lastObs[i] !== Math.fround(state.lastObs[i]!)) {
        throw new Error("resume: replaying the saved episodes did not reproduce the saved observations (is the environment deterministic given its seed?)");
      }
    }
  }

  close(): void {
    this.vecEnv.close();
  }

  private bufferActions(envActions: Float32Array, n: number): Float32Array {
    return this.toBufferActions ? this.toBufferActions(envActions, n) : envActions;
  }

  private recordEpisode(ret: number, length: number): void {
    const s = this.stats;
    s.recentReturns.push(ret);
    s.recentLengths.push(length);
    if (s.recentReturns.length > 100) {
      s.recentReturns.shift();
      s.recentLengths.shift();
    }
    s.episodes++;
  }
}

/** The guide's rewards as stored (float32), or an error naming the guide when any is missing or not finite there. */
function checkRewards(rewards: ArrayLike<number>, n: number, guide: string): Float32Array {
  if (rewards.length !== n) throw new Error(`guide "${guide}" returned ${rewards.length} rewards for ${n} transitions`);
  const stored = rewards instanceof Float32Array ? rewards : Float32Array.from(rewards);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(stored[i]!)) throw new Error(`guide "${guide}" returned a non-finite reward (as float32) at index ${i}: ${rewards[i]}`);
  }
  return stored;
}

// ---------------------------------------------------------------------------------------------------
// The off-policy algorithm: what DQN, SAC and TD3 share (SB3's OffPolicyAlgorithm)
// ---------------------------------------------------------------------------------------------------

/** The settings every off-policy algorithm has (SB3's OffPolicyAlgorithm arguments, camelCase). */
export interface OffPolicyConfig {
  learningRate: Schedule;
  bufferSize: number;
  learningStarts: number;
  batchSize: number;
  tau: number;
  gamma: number;
  /** Env steps (per env) between training phases. Only step units are supported. */
  trainFreq: number;
  /** Gradient steps per training phase; -1 = as many as env steps collected. */
  gradientSteps: number;
  netArch: number[];
  seed: number;
}

/** The part of a checkpoint the base class writes and restores. */
export interface OffPolicyState {
  rng: RandomState;
  collector: CollectorState;
  totalTimesteps: number;
  nUpdates: number;
}

/**
 * The base of DQN, SAC and TD3: options checked against the algorithm's defaults, the environments, the
 * replay buffer and its collector, the generator, the counters, and the training loop `learn`. A subclass
 * builds its networks (from `rng`, after this constructor), and implements `predict` and `train`.
 */
export abstract class OffPolicyAlgorithm<C extends OffPolicyConfig> {
  readonly config: C;
  readonly envs: Env<unknown, unknown>[];
  readonly obsDim: number;
  readonly replayBuffer: ReplayBuffer;
  readonly collector: OffPolicyCollector;
  /** Network initialisation and replay sampling (and the algorithm's own draws: epsilon, policy noise). */
  readonly rng: Random;
  nUpdates = 0;
  /** Seconds spent collecting experience and in gradient updates (for throughput reports). */
  collectSeconds = 0;
  updateSeconds = 0;
  protected totalTimesteps = 0;
  protected readonly learningRate: (progressRemaining: number) => number;
  protected readonly act: ActionLayout;
  protected readonly guide: Guide | undefined;
  /** The metrics of the last phase whose losses were all finite (reported with a NaN stop). */
  protected lastFiniteMetrics: Record<string, number> = {};

  /**
   * `env` is one environment or several (a vector of the same task). `positive` names the options that must
   * be positive integers; `validate` checks the algorithm's own options before anything is built.
   */
  constructor(
    readonly algo: "DQN" | "SAC" | "TD3",
    env: Env<unknown, unknown> | Env<unknown, unknown>[],
    options: Partial<C> & { guide?: Guide },
    defaults: C,
    settings: { positive: (keyof C & string)[]; actions: "discrete" | "box"; validate?: (config: C) => void },
  ) {
    const { guide, ...rest } = options;
    const config: C = { ...defaults, ...knownOptions(algo, stripUndefined(rest) as Partial<C>, defaults) };
    validatePositive(algo, config, settings.positive);
    if (!(config.gamma >= 0 && config.gamma <= 1)) throw new Error(`${algo}: gamma must be in [0, 1], got ${config.gamma}`);
    if (!(config.tau > 0 && config.tau <= 1)) throw new Error(`${algo}: tau must be in (0, 1], got ${config.tau}`);
    if (!Array.isArray(config.netArch) || config.netArch.some((w) => !Number.isInteger(w) || w < 1)) {
      throw new Error(`${algo}: netArch must be a list of positive integers, got ${JSON.stringify(config.netArch)}`);
    }
    settings.validate?.(config);
    this.config = config;
    this.guide = guide;
    this.envs = Array.isArray(env) ? env : [env];
    const { obs, act } = offPolicySpaces(this.envs[0]!, algo, settings.actions);
    this.obsDim = obs.dim;
    this.act = act;
    this.rng = new Random(config.seed);
    this.learningRate = toSchedule(config.learningRate, `${algo} learningRate`);
    this.replayBuffer = new ReplayBuffer({ bufferSize: config.bufferSize, obsDim: obs.dim, actDim: act.dim });
    this.collector = new OffPolicyCollector(
      { envs: this.envs, seed: config.seed, ...(guide ? { guide } : {}), toBufferActions: (a, n) => this.toBufferActions(a, n) },
      new Random(config.seed + 0x9e3779b9),
    );
  }

  get numTimesteps(): number {
    return this.collector.numTimesteps;
  }

  /** Actions for rows of observations: the policy's own (deterministic), or the exploring policy's. */
  abstract predict(obs: Float32Array, deterministic?: boolean): Float32Array;

  /** `gradientSteps` updates on minibatches of `batchSize`; returns the phase's metrics. */
  abstract train(gradientSteps: number, batchSize: number): Record<string, number>;

  /** Writes everything needed to continue training exactly into `dir`. */
  abstract save(dir: string): void;

  /** Env-space actions as the buffer stores them (SAC, TD3: rescaled to [-1, 1]). */
  protected toBufferActions(envActions: Float32Array, _n: number): Float32Array {
    return envActions;
  }

  /** Runs after every vector step (DQN: target update and exploration rate; TD3: noise resets). */
  protected onStep(): void {}

  /** Exploration noise on the chosen env-space actions (TD3's action noise). */
  protected explore(envActions: Float32Array): Float32Array {
    return envActions;
  }

  /** The algorithm's own values reported with every phase (DQN: the exploration rate). */
  protected phaseMetrics(): Record<string, number> {
    return {};
  }

  /** The learning rate for the current progress (SB3's _update_learning_rate). */
  protected currentLearningRate(): number {
    return this.learningRate(1 - this.numTimesteps / Math.max(this.totalTimesteps, 1));
  }

  /**
   * Trains for `totalTimesteps` env steps in all (a resumed model continues from its step count), as SB3's
   * OffPolicyAlgorithm.learn: collect `trainFreq` steps per env (uniform random actions before
   * `learningStarts`), then train once more than `learningStarts` steps were taken; checkpoint and report
   * after every phase.
   */
  async learn(opts: LearnOptions): Promise<this> {
    const total = (this.totalTimesteps = opts.totalTimesteps);
    const cfg = this.config;
    const collector = this.collector;
    const every = opts.checkpointInterval;
    let nextCheckpoint = every ? (Math.floor(collector.numTimesteps / every) + 1) * every : Infinity;
    const chooseActions = (obs: Float32Array) =>
      this.explore(collector.numTimesteps < cfg.learningStarts ? collector.randomActions() : this.predict(obs, false));
    const onStep = () => this.onStep();
    while (collector.numTimesteps < total) {
      const t0 = performance.now();
      const rollout = await collector.collect(cfg.trainFreq, chooseActions, this.replayBuffer, { totalTimesteps: total }, onStep);
      const t1 = performance.now();
      this.collectSeconds += (t1 - t0) / 1000;
      let metrics: Record<string, number> = { ...this.phaseMetrics(), meanStoredReward: rollout.meanStoredReward };
      if (collector.numTimesteps > cfg.learningStarts) {
        const gradientSteps = cfg.gradientSteps >= 0 ? cfg.gradientSteps : rollout.steps;
        if (gradientSteps > 0) metrics = { ...metrics, ...this.train(gradientSteps, cfg.batchSize) };
        this.updateSeconds += (performance.now() - t1) / 1000;
      }
      if (collector.numTimesteps >= nextCheckpoint && opts.checkpointDir) {
        this.save(opts.checkpointDir);
        nextCheckpoint += every!;
      }
      if ((await opts.callback?.(this.progress(metrics))) === false) break;
    }
    return this;
  }

  protected progress(metrics: Record<string, number>): TrainingProgress {
    return progressOf(this.collector.stats, this.numTimesteps, this.totalTimesteps, this.nUpdates, metrics, this.guide);
  }

  /** The base class's part of a checkpoint. */
  protected baseState(): OffPolicyState {
    return { rng: this.rng.getState(), collector: this.collector.getState(), totalTimesteps: this.totalTimesteps, nUpdates: this.nUpdates };
  }

  /** Restores the base class's part of a checkpoint and the replay buffer saved beside it in `dir`. */
  protected restoreBaseState(dir: string, state: OffPolicyState): void {
    this.rng.setState(state.rng);
    this.replayBuffer.load(join(dir, "replay"));
    this.collector.setState(state.collector);
    this.totalTimesteps = state.totalTimesteps;
    this.nUpdates = state.nUpdates;
  }

  /** Closes the training environments. */
  close(): void {
    this.collector.close();
  }

  /** Nothing to free: the networks are plain typed arrays (kept for callers written for the tfjs version). */
  dispose(): void {}
}
