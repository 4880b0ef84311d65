/**
 * Experience replay for off-policy algorithms (DQN, SAC): a ring of the last `bufferSize` transitions in
 * flat typed arrays, sampled uniformly with replacement.
 *
 * Stable-Baselines3 lays its buffer out as [step][env] and draws a step index and then an env index; when
 * every env has added the same number of steps that is the same distribution as a uniform draw over all
 * stored transitions, which is what this ring does. The flat ring also lets a guide add any number of extra
 * transitions (the data seam) without padding rows.
 *
 * The rest of the file is shared by DQN and SAC: the collector that fills the buffer from environments
 * through the guide seams, and the off-policy training loop around it.
 *
 * `dones` holds `terminated` only: a time-limit truncation keeps bootstrapping from the next observation
 * (SB3's `handle_timeout_termination=True`).
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Env, Info } from "../core/env.js";
import type { Random, RandomState } from "../nn/random.js";
import type { Guide, TransitionBatch } from "./seams.js";
import { type ActionLayout, type ObservationLayout, describeSpace, spacesOf } from "../core/space-layout.js";
import { SyncVecEnv, type VecEnvState } from "../envs/vector.js";
import type { TrainingProgress } from "./callbacks.js";

export interface ReplayBufferOptions {
  /** Maximum number of transitions kept; the oldest are overwritten first. */
  bufferSize: number;
  obsDim: number;
  /** 1 for Discrete actions (the index stored as a float), the Box size otherwise. */
  actDim: number;
}

/** A sampled minibatch, row-major. The arrays are reused by the next `sample` call of the same size. */
export interface ReplaySample {
  n: number;
  obs: Float32Array;
  actions: Float32Array;
  rewards: Float32Array;
  nextObs: Float32Array;
  /** 1 where the transition ended in a terminal state (no bootstrapping), else 0. */
  dones: Float32Array;
}

/** Everything needed to rebuild a buffer exactly (for checkpoints). Arrays hold only the filled rows. */
export interface ReplayBufferState {
  bufferSize: number;
  obsDim: number;
  actDim: number;
  /** Next row to write. */
  pos: number;
  /** Rows filled so far (== bufferSize once the ring has wrapped). */
  size: number;
  obs: Float32Array;
  actions: Float32Array;
  rewards: Float32Array;
  nextObs: Float32Array;
  dones: Float32Array;
}

export class ReplayBuffer {
  readonly bufferSize: number;
  readonly obsDim: number;
  readonly actDim: number;
  private obs: Float32Array;
  private actions: Float32Array;
  private rewards: Float32Array;
  private nextObs: Float32Array;
  private dones: Float32Array;
  private pos = 0;
  private filled = 0;
  private sampleOut: ReplaySample | undefined;

  constructor(opts: ReplayBufferOptions) {
    for (const key of ["bufferSize", "obsDim", "actDim"] as const) {
      const v = opts[key];
      if (!Number.isInteger(v) || v < 1) throw new Error(`ReplayBuffer: ${key} must be a positive integer, got ${v}`);
    }
    this.bufferSize = opts.bufferSize;
    this.obsDim = opts.obsDim;
    this.actDim = opts.actDim;
    // Grown on demand up to bufferSize, so a 1e6 default does not allocate ~100 MB for a short run.
    const initial = Math.min(this.bufferSize, 4096);
    this.obs = new Float32Array(initial * this.obsDim);
    this.nextObs = new Float32Array(initial * this.obsDim);
    this.actions = new Float32Array(initial * this.actDim);
    this.rewards = new Float32Array(initial);
    this.dones = new Float32Array(initial);
  }

  /** Number of transitions stored. */
  get size(): number {
    return this.filled;
  }

  /** Whether the ring has wrapped (old transitions are being overwritten). */
  get full(): boolean {
    return this.filled === this.bufferSize;
  }

  /**
   * Stores `n` transitions given row-major: `obs`/`nextObs` hold `n * obsDim` values, `actions`
   * `n * actDim`, `rewards` and `terminated` `n`.
   */
  add(
    n: number,
    obs: ArrayLike<number>,
    actions: ArrayLike<number>,
    rewards: ArrayLike<number>,
    nextObs: ArrayLike<number>,
    terminated: ArrayLike<number | boolean>,
  ): void {
    const { obsDim, actDim } = this;
    if (obs.length < n * obsDim || nextObs.length < n * obsDim || actions.length < n * actDim || rewards.length < n || terminated.length < n) {
      throw new Error(`ReplayBuffer.add: arrays too short for ${n} transitions (obsDim ${obsDim}, actDim ${actDim})`);
    }
    for (let i = 0; i < n; i++) {
      const row = this.pos;
      if (row >= this.rewards.length) this.grow(row + 1);
      for (let d = 0; d < obsDim; d++) {
        this.obs[row * obsDim + d] = obs[i * obsDim + d]!;
        this.nextObs[row * obsDim + d] = nextObs[i * obsDim + d]!;
      }
      for (let d = 0; d < actDim; d++) this.actions[row * actDim + d] = actions[i * actDim + d]!;
      this.rewards[row] = rewards[i]!;
      this.dones[row] = terminated[i] ? 1 : 0;
      this.pos = (row + 1) % this.bufferSize;
      if (this.filled < this.bufferSize) this.filled++;
    }
  }

  /** Stores a whole `TransitionBatch` (the seams' format); `rewards` replaces the batch's own when given. */
  addBatch(batch: TransitionBatch, rewards?: ArrayLike<number>): void {
    if (batch.obsDim !== this.obsDim || batch.actDim !== this.actDim) {
      throw new Error(
        `ReplayBuffer.addBatch: batch has obsDim ${batch.obsDim}, actDim ${batch.actDim}; buffer expects ${this.obsDim}, ${this.actDim}`,
      );
    }
    const r = rewards ?? batch.rewards;
    if (r.length !== batch.n) throw new Error(`ReplayBuffer.addBatch: ${r.length} rewards for ${batch.n} transitions`);
    this.add(batch.n, batch.obs, batch.actions, r, batch.nextObs, batch.terminated);
  }

  /**
   * `batchSize` transitions drawn uniformly with replacement using `rng`. The returned arrays are reused
   * by the next call with the same batch size: copy them if you keep them.
   */
  sample(batchSize: number, rng: Random): ReplaySample {
    if (this.filled === 0) throw new Error("ReplayBuffer.sample: the buffer is empty");
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`ReplayBuffer.sample: bad batch size ${batchSize}`);
    const { obsDim, actDim } = this;
    let out = this.sampleOut;
    if (out === undefined || out.n !== batchSize) {
      out = this.sampleOut = {
        n: batchSize,
        obs: new Float32Array(batchSize * obsDim),
        actions: new Float32Array(batchSize * actDim),
        rewards: new Float32Array(batchSize),
        nextObs: new Float32Array(batchSize * obsDim),
        dones: new Float32Array(batchSize),
      };
    }
    for (let i = 0; i < batchSize; i++) {
      const row = rng.integer(this.filled);
      out.obs.set(this.obs.subarray(row * obsDim, (row + 1) * obsDim), i * obsDim);
      out.nextObs.set(this.nextObs.subarray(row * obsDim, (row + 1) * obsDim), i * obsDim);
      if (actDim === 1) out.actions[i] = this.actions[row]!;
      else out.actions.set(this.actions.subarray(row * actDim, (row + 1) * actDim), i * actDim);
      out.rewards[i] = this.rewards[row]!;
      out.dones[i] = this.dones[row]!;
    }
    return out;
  }

  /** A copy of the filled part of the buffer and its write position. */
  getState(): ReplayBufferState {
    const n = this.filled;
    return {
      bufferSize: this.bufferSize,
      obsDim: this.obsDim,
      actDim: this.actDim,
      pos: this.pos,
      size: n,
      obs: this.obs.slice(0, n * this.obsDim),
      actions: this.actions.slice(0, n * this.actDim),
      rewards: this.rewards.slice(0, n),
      nextObs: this.nextObs.slice(0, n * this.obsDim),
      dones: this.dones.slice(0, n),
    };
  }

  /** Restores a state from `getState()`; the buffer's sizes must match. */
  setState(state: ReplayBufferState): void {
    if (state.bufferSize !== this.bufferSize || state.obsDim !== this.obsDim || state.actDim !== this.actDim) {
      throw new Error(
        `ReplayBuffer.setState: state is for bufferSize ${state.bufferSize}, obsDim ${state.obsDim}, actDim ${state.actDim}; ` +
          `this buffer has ${this.bufferSize}, ${this.obsDim}, ${this.actDim}`,
      );
    }
    const n = state.size;
    if (!(n >= 0 && n <= this.bufferSize) || !(state.pos >= 0 && state.pos < this.bufferSize) || state.rewards.length !== n) {
      throw new Error(`ReplayBuffer.setState: inconsistent state (size ${n}, pos ${state.pos}, ${state.rewards.length} rewards)`);
    }
    this.grow(Math.max(n, 1));
    this.obs.set(state.obs);
    this.actions.set(state.actions);
    this.rewards.set(state.rewards);
    this.nextObs.set(state.nextObs);
    this.dones.set(state.dones);
    this.filled = n;
    this.pos = state.pos;
  }

  /** Writes the buffer into `dir` (a JSON header and one little-endian float32 file per field). */
  save(dir: string): void {
    mkdirSync(dir, { recursive: true });
    const s = this.getState();
    const header = { bufferSize: s.bufferSize, obsDim: s.obsDim, actDim: s.actDim, pos: s.pos, size: s.size };
    for (const field of FIELDS) writeFileSync(join(dir, `${field}.f32`), Buffer.from(s[field].buffer, s[field].byteOffset, s[field].byteLength));
    writeFileSync(join(dir, "replay-buffer.json"), JSON.stringify(header) + "\n");
  }

  /** Reads a buffer written by `save(dir)` into this one. */
  load(dir: string): void {
    let header: Omit<ReplayBufferState, (typeof FIELDS)[number]>;
    try {
      header = JSON.parse(readFileSync(join(dir, "replay-buffer.json"), "utf8"));
    } catch (err) {
      throw new Error(`ReplayBuffer.load: cannot read ${join(dir, "replay-buffer.json")}: ${(err as Error).message}`);
    }
    const arrays = {} as Record<(typeof FIELDS)[number], Float32Array>;
    for (const field of FIELDS) {
      const bytes = readFileSync(join(dir, `${field}.f32`));
      if (bytes.byteLength % 4 !== 0) throw new Error(`ReplayBuffer.load: ${field}.f32 is not a float32 file`);
      const copy = new Uint8Array(bytes.byteLength);
      copy.set(bytes);
      arrays[field] = new Float32Array(copy.buffer);
    }
    this.setState({ ...header, ...arrays });
  }

  private grow(rows: number): void {
    const current = this.rewards.length;
    if (rows <= current) return;
    const next = Math.min(this.bufferSize, Math.max(rows, current * 2));
    const resize = (a: Float32Array, width: number) => {
      const b = new Float32Array(next * width);
      b.set(a);
      return b;
    };
    this.obs = resize(this.obs, this.obsDim);
    this.nextObs = resize(this.nextObs, this.obsDim);
    this.actions = resize(this.actions, this.actDim);
    this.rewards = resize(this.rewards, 1);
    this.dones = resize(this.dones, 1);
  }
}

const FIELDS = ["obs", "actions", "rewards", "nextObs", "dones"] as const;

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
// The off-policy training loop (SB3's OffPolicyAlgorithm.learn), shared by DQN and SAC
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
