/**
 * Action distributions of Stable-Baselines3, batched over rows of flat Float32Arrays, each with the
 * backward pass the algorithms need (gradients with respect to the network outputs).
 *
 *  - Categorical: logits (B x n).
 *  - DiagGaussian: mean (B x k) and a state-independent log std (k), as SB3's PPO/A2C policies.
 *  - SquashedDiagGaussian: tanh(mean + std * eps) with state-dependent mean and log std (B x k), as SB3's
 *    SAC actor, sampled with the reparameterisation trick.
 */
import type { Random } from "./random.js";

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

function ensure(buf: Float32Array, n: number): Float32Array {
  return buf.length >= n ? buf : new Float32Array(n);
}

/** Categorical over `n` actions, parameterised by logits. Actions are stored as floats (the index). */
export class Categorical {
  private logp = new Float32Array(0);
  private batch = 0;

  constructor(readonly n: number) {
    if (!Number.isInteger(n) || n < 1) throw new Error(`Categorical: n must be a positive integer, got ${n}`);
  }

  /** Takes logits (batch x n) and stores their log-softmax for the calls that follow. */
  setLogits(logits: Float32Array, batch: number): this {
    const n = this.n;
    this.logp = ensure(this.logp, batch * n);
    this.batch = batch;
    const lp = this.logp;
    for (let b = 0; b < batch; b++) {
      const o = b * n;
      let max = -Infinity;
      for (let k = 0; k < n; k++) if (logits[o + k] > max) max = logits[o + k];
      let sum = 0;
      for (let k = 0; k < n; k++) sum += Math.exp(logits[o + k] - max);
      const lse = max + Math.log(sum);
      for (let k = 0; k < n; k++) lp[o + k] = logits[o + k] - lse;
    }
    return this;
  }

  /** Log-probabilities of every action (batch x n), scratch space. */
  logProbs(): Float32Array {
    return this.logp.subarray(0, this.batch * this.n);
  }

  sample(rng: Random, out: Float32Array): void {
    const n = this.n;
    for (let b = 0; b < this.batch; b++) {
      const u = rng.random();
      let c = 0;
      let a = n - 1;
      for (let k = 0; k < n; k++) {
        c += Math.exp(this.logp[b * n + k]);
        if (u < c) {
          a = k;
          break;
        }
      }
      out[b] = a;
    }
  }

  /** The most likely action of each row. */
  mode(out: Float32Array): void {
    const n = this.n;
    for (let b = 0; b < this.batch; b++) {
      let best = 0;
      for (let k = 1; k < n; k++) if (this.logp[b * n + k] > this.logp[b * n + best]) best = k;
      out[b] = best;
    }
  }

  logProb(actions: Float32Array, out: Float32Array): void {
    const n = this.n;
    for (let b = 0; b < this.batch; b++) out[b] = this.logp[b * n + this.actionIndex(actions[b])];
  }

  entropy(out: Float32Array): void {
    const n = this.n;
    for (let b = 0; b < this.batch; b++) {
      let h = 0;
      for (let k = 0; k < n; k++) {
        const lp = this.logp[b * n + k];
        h -= Math.exp(lp) * lp;
      }
      out[b] = h;
    }
  }

  /**
   * dLoss/dlogits into `dLogits` (batch x n, overwritten), given dLoss/dlogProb(action) per row and
   * dLoss/dentropy (per row, or one number for all rows).
   */
  backward(actions: Float32Array, gLogProb: Float32Array, gEntropy: Float32Array | number, dLogits: Float32Array): void {
    const n = this.n;
    for (let b = 0; b < this.batch; b++) {
      const o = b * n;
      const a = this.actionIndex(actions[b]);
      const gl = gLogProb[b];
      const ge = typeof gEntropy === "number" ? gEntropy : gEntropy[b];
      let h = 0;
      if (ge !== 0) for (let k = 0; k < n; k++) h -= Math.exp(this.logp[o + k]) * this.logp[o + k];
      for (let k = 0; k < n; k++) {
        const lp = this.logp[o + k];
        const p = Math.exp(lp);
        // d logp(a)/dz_k = 1[k=a] - p_k ;  dH/dz_k = -p_k (log p_k + H)
        dLogits[o + k] = gl * ((k === a ? 1 : 0) - p) - ge * p * (lp + h);
      }
    }
  }

  private actionIndex(a: number): number {
    const k = Math.round(a);
    if (!(k >= 0 && k < this.n)) throw new Error(`Categorical: action ${a} outside 0..${this.n - 1}`);
    return k;
  }
}

/** Diagonal Gaussian with a state-independent log std (SB3 DiagGaussianDistribution). */
export class DiagGaussian {
  private mean = new Float32Array(0);
  private logStd = new Float32Array(0);
  private batch = 0;

  constructor(readonly k: number) {
    if (!Number.isInteger(k) || k < 1) throw new Error(`DiagGaussian: k must be a positive integer, got ${k}`);
  }

  set(mean: Float32Array, logStd: Float32Array, batch: number): this {
    if (logStd.length !== this.k) throw new Error(`DiagGaussian: logStd has ${logStd.length} values, expected ${this.k}`);
    this.mean = mean;
    this.logStd = logStd;
    this.batch = batch;
    return this;
  }

  sample(rng: Random, out: Float32Array): void {
    const k = this.k;
    for (let b = 0; b < this.batch; b++) {
      for (let i = 0; i < k; i++) out[b * k + i] = this.mean[b * k + i] + Math.exp(this.logStd[i]) * rng.normal();
    }
  }

  mode(out: Float32Array): void {
    out.set(this.mean.subarray(0, this.batch * this.k));
  }

  logProb(actions: Float32Array, out: Float32Array): void {
    const k = this.k;
    for (let b = 0; b < this.batch; b++) {
      let s = 0;
      for (let i = 0; i < k; i++) {
        const z = (actions[b * k + i] - this.mean[b * k + i]) * Math.exp(-this.logStd[i]);
        s += -0.5 * z * z - this.logStd[i] - HALF_LOG_2PI;
      }
      out[b] = s;
    }
  }

  /** Entropy per row (the same for every row). */
  entropy(out: Float32Array): void {
    let h = 0;
    for (let i = 0; i < this.k; i++) h += 0.5 + HALF_LOG_2PI + this.logStd[i];
    out.fill(h, 0, this.batch);
  }

  /**
   * dLoss/dmean into `dMean` (batch x k, overwritten) and dLoss/dlogStd added to `dLogStd` (k), given
   * dLoss/dlogProb per row and dLoss/dentropy (per row or one number).
   */
  backward(actions: Float32Array, gLogProb: Float32Array, gEntropy: Float32Array | number, dMean: Float32Array, dLogStd: Float32Array): void {
    const k = this.k;
    let geSum = 0;
    for (let b = 0; b < this.batch; b++) {
      const gl = gLogProb[b];
      geSum += typeof gEntropy === "number" ? gEntropy : gEntropy[b];
      for (let i = 0; i < k; i++) {
        const invVar = Math.exp(-2 * this.logStd[i]);
        const d = actions[b * k + i] - this.mean[b * k + i];
        dMean[b * k + i] = gl * d * invVar;
        dLogStd[i] += gl * (d * d * invVar - 1);
      }
    }
    for (let i = 0; i < k; i++) dLogStd[i] += geSum;
  }
}

/** SB3's SAC clamps the actor's log std to this range. */
export const LOG_STD_MIN = -20;
export const LOG_STD_MAX = 2;

/**
 * tanh-squashed diagonal Gaussian with state-dependent log std (SB3 SquashedDiagGaussianDistribution).
 * `rsample` draws actions in (-1, 1) with the reparameterisation trick; `backward` turns dLoss/daction and
 * dLoss/dlogProb into gradients for the mean and (unclamped) log-std outputs.
 */
export class SquashedDiagGaussian {
  private mean = new Float32Array(0);
  private logStd = new Float32Array(0);
  private eps = new Float32Array(0);
  private act = new Float32Array(0);
  private batch = 0;
  /** Added inside log(1 - tanh^2 + epsilon), as SB3. */
  static readonly epsilon = 1e-6;

  constructor(readonly k: number) {
    if (!Number.isInteger(k) || k < 1) throw new Error(`SquashedDiagGaussian: k must be a positive integer, got ${k}`);
  }

  /**
   * Samples actions into `outActions` (batch x k) and their log-probabilities into `outLogProb` (batch).
   * `logStd` is clamped to [LOG_STD_MIN, LOG_STD_MAX]. With `deterministic` the noise is zero.
   */
  rsample(mean: Float32Array, logStd: Float32Array, batch: number, rng: Random | null, outActions: Float32Array, outLogProb?: Float32Array): void {
    const k = this.k;
    const n = batch * k;
    this.mean = mean;
    this.logStd = logStd;
    this.batch = batch;
    this.eps = ensure(this.eps, n);
    this.act = ensure(this.act, n);
    for (let b = 0; b < batch; b++) {
      let lp = 0;
      for (let i = 0; i < k; i++) {
        const j = b * k + i;
        const ls = Math.min(LOG_STD_MAX, Math.max(LOG_STD_MIN, logStd[j]));
        const e = rng ? rng.normal() : 0;
        this.eps[j] = e;
        const a = Math.tanh(mean[j] + Math.exp(ls) * e);
        this.act[j] = a;
        outActions[j] = a;
        lp += -0.5 * e * e - ls - HALF_LOG_2PI - Math.log(1 - a * a + SquashedDiagGaussian.epsilon);
      }
      if (outLogProb) outLogProb[b] = lp;
    }
  }

  /** dLoss/dmean and dLoss/dlogStd (both batch x k, overwritten) for the last `rsample`. */
  backward(gAction: Float32Array | null, gLogProb: Float32Array | null, dMean: Float32Array, dLogStd: Float32Array): void {
    const k = this.k;
    const delta = SquashedDiagGaussian.epsilon;
    for (let b = 0; b < this.batch; b++) {
      const gl = gLogProb ? gLogProb[b] : 0;
      for (let i = 0; i < k; i++) {
        const j = b * k + i;
        const a = this.act[j];
        const oneMinus = 1 - a * a;
        // u = mean + std * eps; a = tanh(u); logp = sum(-eps^2/2 - logStd - c - log(1 - a^2 + delta))
        const du = (gAction ? gAction[j] : 0) * oneMinus + (gl * 2 * a * oneMinus) / (oneMinus + delta);
        dMean[j] = du;
        const raw = this.logStd[j];
        const clamped = raw < LOG_STD_MIN || raw > LOG_STD_MAX;
        dLogStd[j] = clamped ? 0 : du * Math.exp(raw) * this.eps[j] - gl;
      }
    }
  }
}
