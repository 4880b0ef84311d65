/**
 * Random network distillation (Burda et al., 2018) as a reward-seam guide, the exploration bonus of
 * RICE's refinement: a fixed random network embeds each next observation, a predictor is trained to
 * match it, and the squared prediction error (large on rarely seen states) is added to the reward.
 *
 * As in RND: observations are whitened with running statistics and clipped to [-5, 5]; the bonus is
 * divided by a running standard deviation of the bonuses so `coef` means the same on every task. The
 * bonus of a batch is computed before the predictor trains on it.
 */
import type { Guide, TransitionBatch } from "../../algos/seams.js";
import { RunningMeanStd } from "../../envs/wrappers/running-mean-std.js";
import { Adam, Mlp, Random } from "../../nn/index.js";

export interface RndOptions {
  obsDim: number;
  /** Weight of the normalised bonus relative to the environment's reward. */
  coef: number;
  /** Hidden widths of target and predictor (default [64, 64]) and the embedding size (default 32). */
  hidden?: number[];
  embedding?: number;
  /** Predictor training per batch: epochs over the batch, minibatch size, learning rate (defaults 1, 256, 1e-3). */
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  seed?: number;
}

export class RndBonus implements Guide {
  readonly name = "rnd";
  readonly coef: number;
  private readonly target: Mlp;
  private readonly predictor: Mlp;
  private readonly optimizer: Adam;
  private readonly obsRms: RunningMeanStd;
  private readonly bonusRms = new RunningMeanStd(1);
  private readonly rng: Random;
  private readonly epochs: number;
  private readonly batchSize: number;
  private last = { bonusMean: 0, loss: 0 };

  constructor(opts: RndOptions) {
    if (!(opts.coef >= 0)) throw new RangeError(`RndBonus: coef must be >= 0, got ${opts.coef}`);
    this.coef = opts.coef;
    this.rng = new Random(opts.seed ?? 0);
    const sizes = [opts.obsDim, ...(opts.hidden ?? [64, 64]), opts.embedding ?? 32];
    this.target = Mlp.create({ sizes, activation: "relu" }, { rng: this.rng, hiddenGain: Math.SQRT2, outputGain: Math.SQRT2 });
    this.predictor = Mlp.create({ sizes, activation: "relu" }, { rng: this.rng, hiddenGain: Math.SQRT2, outputGain: Math.SQRT2 });
    this.optimizer = new Adam([{ params: this.predictor.params, grads: this.predictor.grads }], { learningRate: opts.learningRate ?? 1e-3 });
    this.obsRms = new RunningMeanStd(opts.obsDim);
    this.epochs = opts.epochs ?? 1;
    this.batchSize = opts.batchSize ?? 256;
  }

  /** Per-row squared prediction error of the whitened observations `x` (rows x obsDim). */
  errors(x: Float32Array, rows: number): Float32Array {
    const t = this.target.predict(x, rows);
    const p = this.predictor.predict(x, rows);
    const k = this.target.outputSize;
    const out = new Float32Array(rows);
    for (let r = 0; r < rows; r++) {
      let s = 0;
      for (let j = 0; j < k; j++) { const d = p[r * k + j]! - t[r * k + j]!; s += d * d; }
      out[r] = s / k;
    }
    return out;
  }

  private whiten(obs: Float32Array, rows: number): Float32Array {
    const d = this.obsRms.size;
    const out = new Float32Array(rows * d);
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < d; j++) {
        const v = (obs[r * d + j]! - this.obsRms.mean[j]!) / Math.sqrt(this.obsRms.var[j]! + 1e-8);
        out[r * d + j] = v < -5 ? -5 : v > 5 ? 5 : v;
      }
    }
    return out;
  }

  transformRewards(batch: TransitionBatch): Float32Array {
    const n = batch.n;
    if (batch.obsDim !== this.obsRms.size) throw new Error(`RndBonus: batch has ${batch.obsDim}-dimensional observations, expected ${this.obsRms.size}`);
    this.obsRms.update(batch.nextObs, n);
    const x = this.whiten(batch.nextObs, n);
    const bonus = this.errors(x, n);
    this.bonusRms.update(bonus, n);
    const scale = this.coef / Math.sqrt(this.bonusRms.var[0]! + 1e-8);
    const out = Float32Array.from(batch.rewards);
    let sum = 0;
    for (let i = 0; i < n; i++) { out[i] = out[i]! + scale * bonus[i]!; sum += scale * bonus[i]!; }
    this.last.bonusMean = sum / n;
    this.last.loss = this.train(x, n);
    return out;
  }

  /** Trains the predictor on the whitened rows; returns the mean loss of the last epoch. */
  private train(x: Float32Array, n: number): number {
    const d = this.obsRms.size;
    const k = this.target.outputSize;
    const target = Float32Array.from(this.target.predict(x, n));
    let loss = 0;
    for (let epoch = 0; epoch < this.epochs; epoch++) {
      const order = this.rng.permutation(n);
      loss = 0;
      for (let start = 0; start < n; start += this.batchSize) {
        const rows = Math.min(this.batchSize, n - start);
        const xb = new Float32Array(rows * d);
        const tb = new Float32Array(rows * k);
        for (let r = 0; r < rows; r++) {
          const src = order[start + r]!;
          xb.set(x.subarray(src * d, (src + 1) * d), r * d);
          tb.set(target.subarray(src * k, (src + 1) * k), r * k);
        }
        const out = this.predictor.forward(xb, rows);
        const grad = new Float32Array(rows * k);
        for (let i = 0; i < rows * k; i++) { const e = out[i]! - tb[i]!; grad[i] = (2 * e) / (rows * k); loss += (e * e) / (n * k); }
        this.predictor.backward(grad, false, false);
        this.optimizer.step();
      }
    }
    return loss;
  }

  metrics(): Record<string, number> {
    return { "rnd/bonus_mean": this.last.bonusMean, "rnd/predictor_loss": this.last.loss };
  }
}
