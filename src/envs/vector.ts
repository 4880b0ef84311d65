/**
 * A synchronous vector environment with Stable-Baselines3's conventions (DummyVecEnv + make_vec_env):
 *
 *  - observations are batched into ONE Float32Array of numEnvs * obsSize values (row i = env i), so a
 *    policy can run one forward pass per step; a fresh array is returned by every reset/step;
 *  - autoreset: when env i terminates or truncates, its final observation goes to
 *    `infos[i].final_observation` (and its final info stays in `infos[i]`, with `episode` statistics from
 *    RecordEpisodeStatistics), and row i of `obs` already holds the first observation of the next episode;
 *  - seeding as SB3's make_vec_env(seed): env i's action space is seeded with seed + i and its first
 *    reset uses seed + i; later resets continue each env's generator.
 *
 *     const venv = makeVec("CartPole-v1", 8, { seed: 0 });
 *     let { obs } = venv.reset();                   // Float32Array(8 * 4)
 *     const step = venv.step(Int32Array.from({ length: 8 }, () => 1));
 */
import type { Env, Info } from "../core/env.js";
import type { Space } from "../core/spaces.js";
import { make, prepareEnv, type MakeOptions } from "./registration.js";
import { RecordEpisodeStatistics } from "./wrappers/record-episode-statistics.js";

export interface VectorResetResult {
  /** numEnvs * obsSize observations, row after row. */
  obs: Float32Array;
  infos: Info[];
}

export interface VectorStepResult {
  obs: Float32Array;
  rewards: Float64Array;
  /** 1 where env i's episode terminated at this step. */
  terminated: Uint8Array;
  /** 1 where env i's episode was truncated at this step. */
  truncated: Uint8Array;
  infos: Info[];
}

/** The interface algorithms train against; SyncVectorEnv and VectorNormalize implement it. */
export interface VectorEnv {
  readonly numEnvs: number;
  readonly singleObservationSpace: Space<any>;
  readonly singleActionSpace: Space<any>;
  /** Values per observation row (1 for Discrete observations). */
  readonly obsSize: number;
  /** Values per action row: 1 for Discrete, the Box size otherwise. */
  readonly actionSize: number;
  reset(opts?: { seed?: number }): VectorResetResult;
  /** Actions for every env: numEnvs integers (Discrete) or numEnvs * actionSize values (Box), row after row. */
  step(actions: ArrayLike<number>): VectorStepResult;
  close(): void;
}

export interface MakeVecOptions extends MakeOptions {
  /** Base seed: env i uses seed + i for its first reset and its action space. */
  seed?: number;
  /** Wrap each env in RecordEpisodeStatistics (SB3's Monitor) so infos carry `episode` at episode ends. Default true. */
  recordEpisodeStatistics?: boolean;
}

/** Steps n environments in turn in this thread, with batched Float32Array observations and SB3 autoreset. */
export class SyncVectorEnv implements VectorEnv {
  readonly envs: readonly Env<any, any>[];
  readonly numEnvs: number;
  readonly singleObservationSpace: Space<any>;
  readonly singleActionSpace: Space<any>;
  readonly obsSize: number;
  readonly actionSize: number;
  private readonly discreteObs: boolean;
  private readonly discreteAction: boolean;
  private pendingSeeds: (number | undefined)[];
  private hasReset = false;
  private readonly actionRows: Float32Array[];

  constructor(envs: readonly Env<any, any>[], opts: { seed?: number } = {}) {
    if (envs.length === 0) throw new RangeError("SyncVectorEnv: needs at least one environment");
    this.envs = envs;
    this.numEnvs = envs.length;
    this.singleObservationSpace = envs[0]!.observationSpace;
    this.singleActionSpace = envs[0]!.actionSpace;
    const obs = this.singleObservationSpace, act = this.singleActionSpace;
    if (obs.kind === "tuple") throw new TypeError("SyncVectorEnv: Tuple observation spaces cannot be batched into a Float32Array; step the envs directly");
    if (act.kind === "tuple") throw new TypeError("SyncVectorEnv: Tuple action spaces are not supported");
    this.discreteObs = obs.kind === "discrete";
    this.discreteAction = act.kind === "discrete";
    this.obsSize = this.discreteObs ? 1 : obs.shape.reduce((a, b) => a * b, 1);
    this.actionSize = this.discreteAction ? 1 : act.shape.reduce((a, b) => a * b, 1);
    for (const e of envs) {
      if (e.observationSpace.kind !== obs.kind || e.actionSpace.kind !== act.kind || String(e.observationSpace.shape) !== String(obs.shape)) {
        throw new TypeError("SyncVectorEnv: all environments must have the same spaces");
      }
    }
    this.actionRows = envs.map(() => new Float32Array(this.actionSize));
    this.pendingSeeds = envs.map((_, i) => (opts.seed === undefined ? undefined : opts.seed + i));
    if (opts.seed !== undefined) envs.forEach((e, i) => e.actionSpace.seed(opts.seed! + i));
  }

  /** Sets the seeds the next reset uses (seed + i), as SB3's VecEnv.seed; returns them. */
  seed(seed: number): number[] {
    this.pendingSeeds = this.envs.map((_, i) => seed + i);
    return this.pendingSeeds as number[];
  }

  reset(opts: { seed?: number } = {}): VectorResetResult {
    if (opts.seed !== undefined) this.seed(opts.seed);
    const obs = new Float32Array(this.numEnvs * this.obsSize);
    const infos: Info[] = [];
    this.envs.forEach((env, i) => {
      const seed = this.pendingSeeds[i];
      const r = env.reset(seed === undefined ? undefined : { seed });
      this.write(obs, i, r.obs);
      infos.push(r.info);
    });
    this.pendingSeeds = this.envs.map(() => undefined);
    this.hasReset = true;
    return { obs, infos };
  }

  step(actions: ArrayLike<number>): VectorStepResult {
    if (!this.hasReset) throw new Error("SyncVectorEnv: step() called before reset()");
    const n = this.numEnvs;
    if (actions == null || typeof actions !== "object" || actions.length !== n * this.actionSize) {
      throw new RangeError(`SyncVectorEnv: expected ${n * this.actionSize} action values (${n} envs x ${this.actionSize}), got ${actions == null ? String(actions) : actions.length}`);
    }
    const obs = new Float32Array(n * this.obsSize);
    const rewards = new Float64Array(n);
    const terminated = new Uint8Array(n);
    const truncated = new Uint8Array(n);
    const infos: Info[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const env = this.envs[i]!;
      let action: number | Float32Array;
      if (this.discreteAction) action = actions[i]!;
      else {
        const row = this.actionRows[i]!;
        for (let j = 0; j < this.actionSize; j++) row[j] = actions[i * this.actionSize + j]!;
        action = row;
      }
      const r = env.step(action);
      rewards[i] = r.reward;
      let info = r.info;
      if (r.terminated || r.truncated) {
        terminated[i] = r.terminated ? 1 : 0;
        truncated[i] = r.truncated ? 1 : 0;
        const next = env.reset();
        info = { ...info, final_observation: r.obs, reset_info: next.info };
        this.write(obs, i, next.obs);
      } else this.write(obs, i, r.obs);
      infos[i] = info;
    }
    return { obs, rewards, terminated, truncated, infos };
  }

  close(): void {
    for (const e of this.envs) e.close();
  }

  private write(out: Float32Array, i: number, o: unknown): void {
    if (this.discreteObs) out[i] = o as number;
    else out.set(o as Float32Array, i * this.obsSize);
  }
}

/** Makes `n` copies of a registered env (each wrapped as `make` does, plus RecordEpisodeStatistics) in a SyncVectorEnv. */
export function makeVec(id: string, n: number, opts: MakeVecOptions = {}): SyncVectorEnv {
  if (!Number.isInteger(n) || n <= 0) throw new RangeError(`makeVec: n must be a positive integer, got ${n}`);
  const { seed, recordEpisodeStatistics, ...makeOpts } = opts;
  if (seed !== undefined && (!Number.isSafeInteger(seed) || seed < 0)) throw new RangeError(`makeVec: seed must be a non-negative integer, got ${seed}`);
  const envs = Array.from({ length: n }, () => {
    const env = make(id, makeOpts);
    return recordEpisodeStatistics === false ? env : new RecordEpisodeStatistics(env);
  });
  return new SyncVectorEnv(envs, seed === undefined ? {} : { seed });
}

/** Awaits the id's `prepare()` (e.g. Box2D's wasm), then `makeVec`. */
export async function makeVecAsync(id: string, n: number, opts: MakeVecOptions = {}): Promise<SyncVectorEnv> {
  await prepareEnv(id);
  return makeVec(id, n, opts);
}

