/**
 * The vector environment: several copies of an environment stepped in lockstep, like SB3's DummyVecEnv.
 * Observations come back as one flat Float32Array (numEnvs x obsDim, each observation flattened by the one
 * rule of core/space-layout.ts: Box as is, Discrete one-hot, Tuple concatenated — SB3's preprocessing), and
 * a finished episode is reset at once, its last observation kept in `finalObs` for bootstrapping at time
 * limits. Every algorithm trains on it; `makeVec(id, n, {seed})` builds one from a registered id.
 *
 * Every episode starts from an explicit seed (env i's first episode: seed + i, as SB3; later ones drawn
 * from this object's generator), and the actions of each env's current episode are recorded. Together
 * that makes the whole batch's state restorable: `restore()` resets each env with its episode seed and
 * replays the recorded actions, which is how a checkpoint resumes mid-episode exactly (environments are
 * deterministic given seed and actions).
 */
import type { Env } from "../core/env.js";
import { type ActionLayout, type ObservationLayout, envAction, spacesOf } from "../core/space-layout.js";
import { Random, type RandomState } from "../nn/random.js";
import { make, prepareEnv, type MakeOptions } from "./registration.js";

export interface VecStepResult {
  /** Observations after the step (after an automatic reset for finished envs), numEnvs x obsDim. */
  obs: Float32Array;
  rewards: Float32Array;
  terminated: Uint8Array;
  truncated: Uint8Array;
  /** For each env that finished this step, its final observation (row); null otherwise. */
  finalObs: (Float32Array | null)[];
  infos: Record<string, unknown>[];
}

/** A finished episode. */
export interface EpisodeRecord {
  return: number;
  length: number;
}

/** Restorable state (JSON-safe). */
export interface VecEnvState {
  rng: RandomState;
  episodeSeeds: number[];
  /** Per env: the flat actions applied in the current episode. */
  episodeActions: number[][];
  episodeReturns: number[];
  episodeLengths: number[];
}

export class SyncVecEnv {
  readonly envs: Env[];
  readonly numEnvs: number;
  readonly obsLayout: ObservationLayout;
  readonly actLayout: ActionLayout;
  private readonly rng: Random;
  private episodeSeeds: number[];
  private episodeActions: number[][];
  private episodeReturns: Float64Array;
  private episodeLengths: Int32Array;
  private obsBuf: Float32Array;
  /** Episodes finished since the last `drainEpisodes()`. */
  private finished: EpisodeRecord[] = [];

  /** `envs`: copies of one task (fresh, or to be restored from a checkpoint). */
  constructor(envs: Env[], readonly seed: number) {
    if (!Array.isArray(envs) || envs.length < 1) throw new Error("SyncVecEnv: needs at least one environment");
    this.envs = envs;
    const numEnvs = (this.numEnvs = envs.length);
    const { obs, act } = spacesOf(this.envs[0]);
    this.obsLayout = obs;
    this.actLayout = act;
    this.rng = new Random(seed ^ 0x5eed);
    this.episodeSeeds = this.envs.map((_, i) => seed + i);
    this.episodeActions = this.envs.map(() => []);
    this.episodeReturns = new Float64Array(numEnvs);
    this.episodeLengths = new Int32Array(numEnvs);
    this.obsBuf = new Float32Array(numEnvs * obs.dim);
    for (const e of this.envs) e.actionSpace.seed(seed);
  }

  get obsDim(): number {
    return this.obsLayout.dim;
  }

  /** Resets every env (env i with seed + i). */
  reset(): Float32Array {
    for (let i = 0; i < this.numEnvs; i++) this.resetOne(i, this.episodeSeeds[i]);
    return this.obsBuf.slice();
  }

  /** Steps every env with its row of `actions` (numEnvs x actDim, already clipped to the action space). */
  step(actions: Float32Array): VecStepResult {
    const n = this.numEnvs;
    const d = this.obsLayout.dim;
    const actDim = this.actLayout.dim;
    if (actions.length !== n * actDim) throw new RangeError(`SyncVecEnv: expected ${n * actDim} action values (${n} envs x ${actDim}), got ${actions.length}`);
    const rewards = new Float32Array(n);
    const terminated = new Uint8Array(n);
    const truncated = new Uint8Array(n);
    const finalObs: (Float32Array | null)[] = new Array(n).fill(null);
    const infos: Record<string, unknown>[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const r = this.envs[i].step(envAction(this.actLayout, actions, i));
      const rec = this.episodeActions[i];
      for (let k = 0; k < actDim; k++) rec.push(actions[i * actDim + k]);
      rewards[i] = r.reward;
      terminated[i] = r.terminated ? 1 : 0;
      truncated[i] = r.truncated ? 1 : 0;
      infos[i] = r.info;
      this.episodeReturns[i] += r.reward;
      this.episodeLengths[i]++;
      if (r.terminated || r.truncated) {
        const last = new Float32Array(d);
        this.obsLayout.write(r.obs, last, 0);
        finalObs[i] = last;
        this.finished.push({ return: this.episodeReturns[i], length: this.episodeLengths[i] });
        this.resetOne(i, this.rng.nextUint32());
      } else {
        this.obsLayout.write(r.obs, this.obsBuf, i * d);
      }
    }
    return { obs: this.obsBuf.slice(), rewards, terminated, truncated, finalObs, infos };
  }

  /** Episodes completed since the previous call. */
  drainEpisodes(): EpisodeRecord[] {
    const out = this.finished;
    this.finished = [];
    return out;
  }

  getState(): VecEnvState {
    return {
      rng: this.rng.getState(),
      episodeSeeds: this.episodeSeeds.slice(),
      episodeActions: this.episodeActions.map((a) => a.slice()),
      episodeReturns: Array.from(this.episodeReturns),
      episodeLengths: Array.from(this.episodeLengths),
    };
  }

  /**
   * Puts every env back where `state` was taken: reset with the episode's seed, then replay its actions.
   * Returns the current observations (numEnvs x obsDim).
   */
  restore(state: VecEnvState): Float32Array {
    if (!state || state.episodeSeeds?.length !== this.numEnvs) {
      throw new Error(`checkpoint holds ${state?.episodeSeeds?.length} environments, this run has ${this.numEnvs}`);
    }
    this.rng.setState(state.rng);
    const actDim = this.actLayout.dim;
    const d = this.obsLayout.dim;
    for (let i = 0; i < this.numEnvs; i++) {
      this.resetOne(i, state.episodeSeeds[i]);
      const acts = state.episodeActions[i];
      const row = new Float32Array(actDim);
      for (let t = 0; t * actDim < acts.length; t++) {
        for (let k = 0; k < actDim; k++) row[k] = acts[t * actDim + k];
        const r = this.envs[i].step(envAction(this.actLayout, row, 0));
        if (r.terminated || r.truncated) {
          throw new Error(`restoring env ${i}: the episode ended during replay at step ${t + 1}; the environment is not deterministic`);
        }
        this.obsLayout.write(r.obs, this.obsBuf, i * d);
      }
      this.episodeActions[i] = acts.slice();
      this.episodeReturns[i] = state.episodeReturns[i];
      this.episodeLengths[i] = state.episodeLengths[i];
    }
    this.finished = [];
    return this.obsBuf.slice();
  }

  close(): void {
    for (const e of this.envs) e.close();
  }

  private resetOne(i: number, seed: number): void {
    const r = this.envs[i].reset({ seed });
    this.episodeSeeds[i] = seed;
    this.episodeActions[i] = [];
    this.episodeReturns[i] = 0;
    this.episodeLengths[i] = 0;
    this.obsLayout.write(r.obs, this.obsBuf, i * this.obsLayout.dim);
  }
}

export interface MakeVecOptions extends MakeOptions {
  /** Env i's first episode resets with seed + i; later episodes with seeds drawn from this seed. Default 0. */
  seed?: number;
}

/** Makes `n` copies of a registered env (each wrapped as `make` does) in a SyncVecEnv. */
export function makeVec(id: string, n: number, opts: MakeVecOptions = {}): SyncVecEnv {
  if (!Number.isInteger(n) || n <= 0) throw new RangeError(`makeVec: n must be a positive integer, got ${n}`);
  const { seed = 0, ...makeOpts } = opts;
  if (!Number.isSafeInteger(seed) || seed < 0) throw new RangeError(`makeVec: seed must be a non-negative integer, got ${seed}`);
  return new SyncVecEnv(Array.from({ length: n }, () => make(id, makeOpts)), seed);
}

/** Awaits the id's `prepare()` (e.g. Box2D's wasm), then `makeVec`. */
export async function makeVecAsync(id: string, n: number, opts: MakeVecOptions = {}): Promise<SyncVecEnv> {
  await prepareEnv(id);
  return makeVec(id, n, opts);
}
