/**
 * The distilled scorer (beyond the LMGT paper; the practice of Motif and ONI, which distil an LLM's
 * judgements into a small learned model): the LLM labels a sample of (state, action) pairs, a small
 * classifier on the package's nn kernels (state features + action -> {-1, 0, +1}) is trained on those labels
 * and scores every other pair, and pairs the classifier is unsure about are sent back to the LLM
 * periodically, their labels added and the classifier retrained.
 *
 * Every 5th label is held out of training: the classifier's agreement with the LLM on those pairs is the
 * figure to read before trusting its scores.
 */
import { Adam } from "../../nn/optim.js";
import { Mlp } from "../../nn/mlp.js";
import { Random } from "../random.js";
import type { Score } from "./parse.js";

export interface DistillOptions {
  /** LLM-labelled pairs collected before the classifier first scores. Default 256. */
  initialLabels?: number;
  /**
   * Pairs per labelling request. Default 128: labelling asks few pairs in all (hundreds, against thousands for
   * the bucket cache), so it packs them into fewer, larger requests; the cost table shows pairs and tokens too.
   */
  pairsPerCall?: number;
  /** A prediction whose top class probability is below this is "unsure". Default 0.97. */
  confidence?: number;
  /**
   * Env steps from the first training to the first relabelling round; each later interval is `relabelGrowth`
   * times the one before (the classifier needs fewer corrections as it sees more of the state space). Default 3000.
   */
  relabelEvery?: number;
  /** Growth of the interval between relabelling rounds. Default 2. */
  relabelGrowth?: number;
  /** Most pairs sent to the LLM in one relabelling round (the least confident of that batch). Default 64. */
  relabelPairs?: number;
  /** Hidden layer widths of the classifier. Default [32, 32]. */
  hidden?: number[];
  /** Passes over the training labels per (re)training. Default 300. */
  epochs?: number;
  /** Adam's learning rate. Default 3e-3. */
  learningRate?: number;
  /** Seeds the classifier's initialisation and minibatch order. Default 0. */
  seed?: number;
}

/** How the action enters the classifier: one-hot for discrete actions, the raw values for continuous ones. */
export type DistillActionEncoding = { kind: "discrete"; n: number } | { kind: "box"; dim: number };

/** The held-out share: every HOLDOUT_EVERY-th label. */
const HOLDOUT_EVERY = 5;
const CLASSES = 3;
const BATCH = 64;

export class DistilledScorer {
  readonly options: Readonly<Required<DistillOptions>>;
  private readonly trainX: number[][] = [];
  private readonly trainY: number[] = [];
  private readonly heldX: number[][] = [];
  private readonly heldY: number[] = [];
  private labelCount = 0;
  private net: Mlp | undefined;
  private mean: Float64Array;
  private std: Float64Array;
  private readonly rng: Random;
  /** Trainings run so far. */
  trainings = 0;

  constructor(
    readonly obsDim: number,
    readonly action: DistillActionEncoding,
    opts: DistillOptions = {},
  ) {
    const o: Required<DistillOptions> = {
      initialLabels: opts.initialLabels ?? 256,
      pairsPerCall: opts.pairsPerCall ?? 128,
      confidence: opts.confidence ?? 0.97,
      relabelEvery: opts.relabelEvery ?? 3000,
      relabelGrowth: opts.relabelGrowth ?? 2,
      relabelPairs: opts.relabelPairs ?? 64,
      hidden: opts.hidden ?? [32, 32],
      epochs: opts.epochs ?? 300,
      learningRate: opts.learningRate ?? 3e-3,
      seed: opts.seed ?? 0,
    };
    if (!Number.isInteger(o.initialLabels) || o.initialLabels < HOLDOUT_EVERY) throw new RangeError(`distill: initialLabels must be an integer >= ${HOLDOUT_EVERY}, got ${o.initialLabels}`);
    if (!(o.confidence > 1 / CLASSES && o.confidence <= 1)) throw new RangeError(`distill: confidence must be in (1/3, 1], got ${o.confidence}`);
    if (!(o.relabelEvery > 0)) throw new RangeError(`distill: relabelEvery must be > 0, got ${o.relabelEvery}`);
    if (!(o.relabelGrowth >= 1)) throw new RangeError(`distill: relabelGrowth must be >= 1, got ${o.relabelGrowth}`);
    if (!Number.isInteger(o.pairsPerCall) || o.pairsPerCall < 1) throw new RangeError(`distill: pairsPerCall must be an integer >= 1, got ${o.pairsPerCall}`);
    if (!Number.isInteger(o.relabelPairs) || o.relabelPairs < 0) throw new RangeError(`distill: relabelPairs must be an integer >= 0, got ${o.relabelPairs}`);
    this.options = o;
    this.rng = new Random(o.seed);
    this.mean = new Float64Array(obsDim);
    this.std = new Float64Array(obsDim).fill(1);
  }

  /** True once the classifier has been trained and scores pairs. */
  get ready(): boolean {
    return this.net !== undefined;
  }

  /** LLM labels received (training + held out). */
  get labels(): number {
    return this.labelCount;
  }

  get inputSize(): number {
    return this.obsDim + (this.action.kind === "discrete" ? this.action.n : this.action.dim);
  }

  /** Adds one LLM label; every 5th is held out of training. */
  addLabel(obs: ArrayLike<number>, action: ArrayLike<number>, score: Score): void {
    const raw = [...Array.from(obs), ...Array.from(action)];
    if ((this.labelCount + 1) % HOLDOUT_EVERY === 0) {
      this.heldX.push(raw);
      this.heldY.push(score);
    } else {
      this.trainX.push(raw);
      this.trainY.push(score);
    }
    this.labelCount++;
  }

  /** Standardised state features, then the action encoded. */
  private encode(raw: readonly number[], out: Float32Array, offset: number): void {
    for (let i = 0; i < this.obsDim; i++) out[offset + i] = (raw[i]! - this.mean[i]!) / this.std[i]!;
    const a = raw.slice(this.obsDim);
    if (this.action.kind === "discrete") {
      for (let k = 0; k < this.action.n; k++) out[offset + this.obsDim + k] = Math.round(a[0]!) === k ? 1 : 0;
    } else {
      for (let k = 0; k < this.action.dim; k++) out[offset + this.obsDim + k] = a[k]!;
    }
  }

  /** (Re)trains the classifier from scratch on every training label (softmax cross-entropy, Adam). */
  train(): void {
    const n = this.trainX.length;
    if (n === 0) throw new Error("distill: no labels to train on");
    for (let i = 0; i < this.obsDim; i++) {
      let m = 0;
      for (const x of this.trainX) m += x[i]!;
      m /= n;
      let v = 0;
      for (const x of this.trainX) v += (x[i]! - m) ** 2;
      this.mean[i] = m;
      this.std[i] = Math.sqrt(v / n) || 1;
    }
    const d = this.inputSize;
    const X = new Float32Array(n * d);
    this.trainX.forEach((x, r) => this.encode(x, X, r * d));
    const net = Mlp.create({ sizes: [d, ...this.options.hidden, CLASSES], activation: "tanh" }, { rng: this.rng, outputGain: 0.01 });
    const opt = new Adam([{ params: net.params, grads: net.grads }], { learningRate: this.options.learningRate });
    const xb = new Float32Array(BATCH * d);
    const dOut = new Float32Array(BATCH * CLASSES);
    for (let epoch = 0; epoch < this.options.epochs; epoch++) {
      const order = this.rng.permutation(n);
      for (let start = 0; start < n; start += BATCH) {
        const b = Math.min(BATCH, n - start);
        for (let r = 0; r < b; r++) xb.set(X.subarray(order[start + r]! * d, (order[start + r]! + 1) * d), r * d);
        const logits = net.forward(xb.subarray(0, b * d), b);
        for (let r = 0; r < b; r++) {
          const p = softmax(logits, r);
          const y = this.trainY[order[start + r]!]! + 1;
          for (let c = 0; c < CLASSES; c++) dOut[r * CLASSES + c] = (p[c]! - (c === y ? 1 : 0)) / b;
        }
        net.backward(dOut.subarray(0, b * CLASSES), false, false);
        opt.step();
      }
    }
    this.net = net;
    this.trainings++;
  }

  /** Scores and confidences (top class probability) of `count` pairs given as rows of obs and actions. */
  predict(obs: Float32Array, actions: Float32Array, count: number, actDim: number): { scores: Int8Array; confidence: Float32Array } {
    if (!this.net) throw new Error("distill: the classifier is not trained yet");
    const d = this.inputSize;
    const X = new Float32Array(count * d);
    for (let r = 0; r < count; r++) {
      const raw = [...obs.subarray(r * this.obsDim, (r + 1) * this.obsDim), ...actions.subarray(r * actDim, (r + 1) * actDim)];
      this.encode(raw, X, r * d);
    }
    const logits = this.net.predict(X, count);
    const scores = new Int8Array(count);
    const confidence = new Float32Array(count);
    for (let r = 0; r < count; r++) {
      const p = softmax(logits, r);
      let best = 0;
      for (let c = 1; c < CLASSES; c++) if (p[c]! > p[best]!) best = c;
      scores[r] = best - 1;
      confidence[r] = p[best]!;
    }
    return { scores, confidence };
  }

  /** Fraction of held-out LLM labels the classifier reproduces (NaN before training or without held-out labels). */
  agreement(): number {
    if (!this.net || this.heldX.length === 0) return NaN;
    const n = this.heldX.length;
    const actDim = this.heldX[0]!.length - this.obsDim;
    const obs = new Float32Array(n * this.obsDim);
    const act = new Float32Array(n * actDim);
    this.heldX.forEach((x, r) => {
      obs.set(x.slice(0, this.obsDim), r * this.obsDim);
      act.set(x.slice(this.obsDim), r * actDim);
    });
    const { scores } = this.predict(obs, act, n, actDim);
    let same = 0;
    for (let r = 0; r < n; r++) if (scores[r] === this.heldY[r]) same++;
    return same / n;
  }

  /** Held-out labels so far. */
  get heldOut(): number {
    return this.heldX.length;
  }
}

function softmax(logits: Float32Array, row: number): number[] {
  const o = row * CLASSES;
  let max = -Infinity;
  for (let c = 0; c < CLASSES; c++) max = Math.max(max, logits[o + c]!);
  const e = [0, 0, 0];
  let s = 0;
  for (let c = 0; c < CLASSES; c++) s += e[c] = Math.exp(logits[o + c]! - max);
  return e.map((v) => v / s);
}
