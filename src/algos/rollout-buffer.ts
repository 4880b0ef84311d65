/**
 * On-policy storage for one rollout of `nSteps` x `numEnvs` transitions plus optional extra transitions
 * from the data seam, with SB3's GAE (compute_returns_and_advantage) and shuffled minibatches.
 * Rows are stored step-major: row = step * numEnvs + env.
 */
import type { Random } from "../nn/random.js";

export class RolloutBuffer {
  readonly capacity: number;
  obs: Float32Array;
  actions: Float32Array;
  rewards: Float32Array;
  /** 1 where the observation starts an episode (SB3 episode_starts). */
  episodeStarts: Float32Array;
  values: Float32Array;
  logProbs: Float32Array;
  advantages: Float32Array;
  returns: Float32Array;
  /** Rows in use: nSteps * numEnvs after a rollout, plus extra rows. */
  size = 0;
  private perm: Int32Array;

  constructor(readonly nSteps: number, readonly numEnvs: number, readonly obsDim: number, readonly actDim: number, extraCapacity = 0) {
    this.capacity = nSteps * numEnvs + extraCapacity;
    const n = this.capacity;
    this.obs = new Float32Array(n * obsDim);
    this.actions = new Float32Array(n * actDim);
    this.rewards = new Float32Array(n);
    this.episodeStarts = new Float32Array(n);
    this.values = new Float32Array(n);
    this.logProbs = new Float32Array(n);
    this.advantages = new Float32Array(n);
    this.returns = new Float32Array(n);
    this.perm = new Int32Array(n);
  }

  get rolloutSize(): number {
    return this.nSteps * this.numEnvs;
  }

  /** Grows the arrays so `extra` rows fit beyond the rollout. */
  reserveExtra(extra: number): void {
    const need = this.rolloutSize + extra;
    if (need <= this.capacity) return;
    const grow = (a: Float32Array, w: number) => {
      const b = new Float32Array(need * w);
      b.set(a);
      return b;
    };
    this.obs = grow(this.obs, this.obsDim);
    this.actions = grow(this.actions, this.actDim);
    this.rewards = grow(this.rewards, 1);
    this.episodeStarts = grow(this.episodeStarts, 1);
    this.values = grow(this.values, 1);
    this.logProbs = grow(this.logProbs, 1);
    this.advantages = grow(this.advantages, 1);
    this.returns = grow(this.returns, 1);
    this.perm = new Int32Array(need);
    (this as { capacity: number }).capacity = need;
  }

  /**
   * GAE(lambda) over the rollout rows (SB3): `lastValues` are V(obs after the last step), `lastDones` the
   * done flags of the last step. Sets advantages and returns = advantages + values.
   */
  computeReturnsAndAdvantage(lastValues: Float32Array, lastDones: Uint8Array, gamma: number, gaeLambda: number): void {
    const E = this.numEnvs;
    for (let e = 0; e < E; e++) {
      let lastGae = 0;
      for (let t = this.nSteps - 1; t >= 0; t--) {
        const row = t * E + e;
        let nextNonTerminal: number;
        let nextValue: number;
        if (t === this.nSteps - 1) {
          nextNonTerminal = 1 - lastDones[e];
          nextValue = lastValues[e];
        } else {
          nextNonTerminal = 1 - this.episodeStarts[row + E];
          nextValue = this.values[row + E];
        }
        const delta = this.rewards[row] + gamma * nextValue * nextNonTerminal - this.values[row];
        lastGae = delta + gamma * gaeLambda * nextNonTerminal * lastGae;
        this.advantages[row] = lastGae;
        this.returns[row] = lastGae + this.values[row];
      }
    }
  }

  /** A fresh random order of the rows in use. */
  shuffle(rng: Random): Int32Array {
    const p = this.perm.subarray(0, this.size);
    rng.permutation(this.size, p);
    return p;
  }
}
