/**
 * Experience replay for off-policy algorithms (DQN, SAC, TD3): a ring of the last `bufferSize` transitions in
 * flat typed arrays, sampled uniformly with replacement.
 *
 * Stable-Baselines3 lays its buffer out as [step][env] and draws a step index and then an env index; when
 * every env has added the same number of steps that is the same distribution as a uniform draw over all
 * stored transitions, which is what this ring does. The flat ring also lets a guide add any number of extra
 * transitions (the data seam) without padding rows.
 *
 * The collector that fills it from environments through the guide seams, and the off-policy training loop
 * around it, are in off-policy.ts.
 *
 * `dones` holds `terminated` only: a time-limit truncation keeps bootstrapping from the next observation
 * (SB3's `handle_timeout_termination=True`).
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Random } from "../nn/random.js";
import type { TransitionBatch } from "./seams.js";

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
