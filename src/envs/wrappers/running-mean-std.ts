/**
 * Running mean and variance over batches (Chan et al.'s parallel update), exactly as Stable-Baselines3's
 * `RunningMeanStd`: starts at mean 0, var 1, count epsilon = 1e-4; `update` takes a batch of rows.
 */
export interface RunningMeanStdState {
  mean: number[];
  var: number[];
  count: number;
}

export class RunningMeanStd {
  readonly mean: Float64Array;
  readonly var: Float64Array;
  count: number;
  private readonly batchMean: Float64Array;
  private readonly batchVar: Float64Array;

  constructor(size: number, epsilon = 1e-4) {
    if (!Number.isInteger(size) || size <= 0) throw new RangeError(`RunningMeanStd: size must be a positive integer, got ${size}`);
    this.mean = new Float64Array(size);
    this.var = new Float64Array(size).fill(1);
    this.count = epsilon;
    this.batchMean = new Float64Array(size);
    this.batchVar = new Float64Array(size);
  }

  get size(): number {
    return this.mean.length;
  }

  /** Adds `rows` rows of `size` values each, stored row after row in `batch`. */
  update(batch: ArrayLike<number>, rows = batch.length / this.size): void {
    const d = this.size;
    if (!Number.isInteger(rows) || rows <= 0 || batch.length < rows * d) {
      throw new RangeError(`RunningMeanStd.update: expected rows of ${d} values, got ${batch.length} values`);
    }
    const bm = this.batchMean.fill(0), bv = this.batchVar.fill(0);
    for (let r = 0; r < rows; r++) for (let j = 0; j < d; j++) bm[j] += batch[r * d + j]!;
    for (let j = 0; j < d; j++) bm[j] /= rows;
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < d; j++) {
        const x = batch[r * d + j]! - bm[j]!;
        bv[j] += x * x;
      }
    }
    for (let j = 0; j < d; j++) bv[j] /= rows;
    this.updateFromMoments(bm, bv, rows);
  }

  updateFromMoments(batchMean: ArrayLike<number>, batchVar: ArrayLike<number>, batchCount: number): void {
    const tot = this.count + batchCount;
    for (let j = 0; j < this.size; j++) {
      const delta = batchMean[j]! - this.mean[j]!;
      const mA = this.var[j]! * this.count;
      const mB = batchVar[j]! * batchCount;
      const m2 = mA + mB + ((delta * delta) * this.count * batchCount) / tot;
      this.mean[j] = this.mean[j]! + (delta * batchCount) / tot;
      this.var[j] = m2 / tot;
    }
    this.count = tot;
  }

  getState(): RunningMeanStdState {
    return { mean: Array.from(this.mean), var: Array.from(this.var), count: this.count };
  }

  setState(state: RunningMeanStdState): void {
    if (state.mean?.length !== this.size || state.var?.length !== this.size || !(state.count > 0)) {
      throw new Error(`RunningMeanStd.setState: expected mean and var of length ${this.size} and a positive count`);
    }
    this.mean.set(state.mean);
    this.var.set(state.var);
    this.count = state.count;
  }
}
