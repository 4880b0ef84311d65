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
import type { Env, Info } from "../core/env.js";
import type { Random, RandomState } from "../nn/random.js";
import type { Guide, TransitionBatch } from "./seams.js";
import { type ActionLayout, type ObservationLayout, describeSpace, spacesOf } from "../core/space-layout.js";
import { SyncVecEnv, type VecEnvState } from "../envs/vector.js";
import type { TrainingProgress } from "./callbacks.js";
import type { ReplayBuffer } from "./replay-buffer.js";

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
// The off-policy training loop (SB3's OffPolicyAlgorithm.learn)
// ---------------------------------------------------------------------------------------------------

/** What the loop needs from an off-policy algorithm. */
export interface OffPolicyLearner {
  readonly collector: OffPolicyCollector;
  readonly replayBuffer: ReplayBuffer;
  collectSeconds: number;
  updateSeconds: number;
  /** Uniform random actions before learning starts, the exploring policy afterwards. */
  predict(obs: Float32Array, deterministic?: boolean): Float32Array;
  train(gradientSteps: number, batchSize: number): Record<string, number>;
  save(dir: string): void;
}

export interface OffPolicyLoopSettings {
  trainFreq: number;
  learningStarts: number;
  gradientSteps: number;
  batchSize: number;
}

/**
 * Until `totalTimesteps`: collect `trainFreq` steps per env (random actions before `learningStarts`), then
 * train once more than `learningStarts` steps were taken; checkpoint and report after every phase.
 * `metrics()` adds the algorithm's own per-phase values; `onStep` runs after every vector step; `explore`
 * adds exploration noise to the chosen env-space actions (TD3's action noise, on warm-up actions too, as SB3).
 */
export async function offPolicyLearn(
  model: OffPolicyLearner,
  cfg: OffPolicyLoopSettings,
  opts: { totalTimesteps: number; checkpointDir?: string; checkpointInterval?: number; callback?: (p: TrainingProgress) => boolean | void | Promise<boolean | void> },
  progress: (metrics: Record<string, number>) => TrainingProgress,
  extra: { metrics?: () => Record<string, number>; onStep?: () => void; explore?: (envActions: Float32Array) => Float32Array } = {},
): Promise<void> {
  const total = opts.totalTimesteps;
  const collector = model.collector;
  const every = opts.checkpointInterval;
  let nextCheckpoint = every ? (Math.floor(collector.numTimesteps / every) + 1) * every : Infinity;
  const chooseActions = (obs: Float32Array) => {
    const actions = collector.numTimesteps < cfg.learningStarts ? collector.randomActions() : model.predict(obs, false);
    return extra.explore ? extra.explore(actions) : actions;
  };
  while (collector.numTimesteps < total) {
    const t0 = performance.now();
    const rollout = await collector.collect(cfg.trainFreq, chooseActions, model.replayBuffer, { totalTimesteps: total }, extra.onStep);
    const t1 = performance.now();
    model.collectSeconds += (t1 - t0) / 1000;
    let metrics: Record<string, number> = { ...extra.metrics?.(), meanStoredReward: rollout.meanStoredReward };
    if (collector.numTimesteps > cfg.learningStarts) {
      const gradientSteps = cfg.gradientSteps >= 0 ? cfg.gradientSteps : rollout.steps;
      if (gradientSteps > 0) metrics = { ...metrics, ...model.train(gradientSteps, cfg.batchSize) };
      model.updateSeconds += (performance.now() - t1) / 1000;
    }
    if (collector.numTimesteps >= nextCheckpoint && opts.checkpointDir) {
      model.save(opts.checkpointDir);
      nextCheckpoint += every!;
    }
    if ((await opts.callback?.(progress(metrics))) === false) break;
  }
}
