/**
 * DQN (Mnih et al. 2015) with Stable-Baselines3's semantics, names and defaults, reading top to bottom:
 *
 *   1. options and their SB3 defaults
 *   2. networks on tfjs (also used by SAC)
 *   3. the DQN class: collect `trainFreq` steps with an epsilon-greedy policy -> guide seams -> replay
 *      buffer; then `gradientSteps` Huber-loss updates of the Q-network against a target network that is
 *      copied every `targetUpdateInterval` env steps; optional double DQN.
 *   4. checkpoints: weights, optimiser, replay buffer, generators and counters (resume is exact).
 *
 * Why tfjs here when src/nn has Float32Array kernels: rl-zoo's DQN for CartPole uses [256, 256] networks;
 * at that width one gradient step is ~35 MFLOP, which the wasm backend's XNNPACK matrix products run
 * ~20x faster than plain JavaScript loops (measured: 23 vs ~1 GFLOP/s at 256x256x256).
 */
import * as tf from "@tensorflow/tfjs";
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import type { Env } from "../core/env.js";
import { selectBackend } from "../nn/backend.js";
import { torchDefaultUniform } from "../nn/init.js";
import { Random, type RandomState } from "../nn/random.js";
import { decodeFloat32, encodeFloat32 } from "../nn/serialize.js";
import { OffPolicyCollector, ReplayBuffer, offPolicySpaces, type CollectorState, type EpisodeStats } from "./replay-buffer.js";
import { NonFiniteLossError, type LearnOptions, type TrainingProgress } from "./callbacks.js";
import { toSchedule, type Schedule } from "./schedules.js";
import type { Guide } from "./seams.js";

// ---------------------------------------------------------------------------------------------------
// 1. Options
// ---------------------------------------------------------------------------------------------------

/** DQN hyperparameters: Stable-Baselines3's names (camelCase) and defaults. */
export interface DqnOptions {
  learningRate?: Schedule; // 1e-4
  bufferSize?: number; // 1_000_000
  /** Env steps of uniformly random actions before learning starts. */
  learningStarts?: number; // 100
  batchSize?: number; // 32
  /** Target-network update coefficient: 1 = hard copy. */
  tau?: number; // 1
  gamma?: number; // 0.99
  /** Env steps (per env) collected between training phases. Only step units are supported. */
  trainFreq?: number; // 4
  /** Gradient steps per training phase; -1 = as many as env steps collected. */
  gradientSteps?: number; // 1
  /** Env steps between target-network updates. */
  targetUpdateInterval?: number; // 10_000
  /** Fraction of training over which epsilon decays linearly. */
  explorationFraction?: number; // 0.1
  explorationInitialEps?: number; // 1
  explorationFinalEps?: number; // 0.05
  maxGradNorm?: number; // 10
  /** Double DQN (van Hasselt et al. 2016): the online network picks the next action, the target evaluates it. */
  doubleDqn?: boolean; // false
  /** Hidden layer widths of the Q-network (SB3 policy_kwargs.net_arch). */
  netArch?: number[]; // [64, 64]
  seed?: number; // 0
  /** The guide whose seams training goes through (reward, action override, extra data). */
  guide?: Guide;
}

const DQN_DEFAULTS = {
  learningRate: 1e-4 as Schedule,
  bufferSize: 1_000_000,
  learningStarts: 100,
  batchSize: 32,
  tau: 1.0,
  gamma: 0.99,
  trainFreq: 4,
  gradientSteps: 1,
  targetUpdateInterval: 10_000,
  explorationFraction: 0.1,
  explorationInitialEps: 1.0,
  explorationFinalEps: 0.05,
  maxGradNorm: 10,
  doubleDqn: false,
  netArch: [64, 64],
  seed: 0,
};

export type DqnConfig = Omit<typeof DQN_DEFAULTS, "learningRate"> & { learningRate: Schedule };

// ---------------------------------------------------------------------------------------------------
// 2. Networks on tfjs (shared with SAC)
// ---------------------------------------------------------------------------------------------------

/** A ReLU/tanh MLP whose parameters are tfjs variables; weights are [in, out] so `x W + b`. */
export class TfMlp {
  readonly sizes: readonly number[];
  readonly activation: "relu" | "tanh";
  readonly weights: tf.Variable[] = [];
  readonly biases: tf.Variable[] = [];

  /** PyTorch's default nn.Linear init (U(+-1/sqrt(fanIn)) for weights and biases), which SB3's DQN and SAC keep. */
  constructor(sizes: readonly number[], activation: "relu" | "tanh", rng: Random) {
    if (sizes.length < 2 || sizes.some((s) => !Number.isInteger(s) || s < 1)) throw new Error(`TfMlp: bad layer sizes [${sizes.join(", ")}]`);
    this.sizes = sizes.slice();
    this.activation = activation;
    for (let l = 0; l + 1 < sizes.length; l++) {
      const fanIn = sizes[l]!, fanOut = sizes[l + 1]!;
      this.weights.push(tf.variable(tf.tensor2d(torchDefaultUniform(fanIn * fanOut, fanIn, rng), [fanIn, fanOut])));
      this.biases.push(tf.variable(tf.tensor1d(torchDefaultUniform(fanOut, fanIn, rng))));
    }
  }

  /** Output of the network for a [batch, in] input (call inside tf.tidy). */
  apply(x: tf.Tensor2D): tf.Tensor2D {
    const L = this.weights.length;
    let h = x;
    for (let l = 0; l < L; l++) {
      const hidden = l < L - 1;
      h = dense(h, this.weights[l]! as tf.Tensor2D, this.biases[l]! as tf.Tensor1D, hidden && this.activation === "relu");
      if (hidden && this.activation === "tanh") h = tf.tanh(h);
    }
    return h;
  }

  variables(): tf.Variable[] {
    const out: tf.Variable[] = [];
    for (let l = 0; l < this.weights.length; l++) out.push(this.weights[l]!, this.biases[l]!);
    return out;
  }

  /** target <- (1 - tau) target + tau source (SB3 polyak_update; tau = 1 copies). */
  polyakFrom(source: TfMlp, tau: number): void {
    const mine = this.variables();
    const theirs = source.variables();
    tf.tidy(() => {
      for (let i = 0; i < mine.length; i++) {
        mine[i]!.assign(tau === 1 ? theirs[i]!.clone() : tf.add(tf.mul(mine[i]!, 1 - tau), tf.mul(theirs[i]!, tau)));
      }
    });
  }

  /** All parameters, flattened (base64 float32 per variable). */
  save(): string[] {
    return this.variables().map((v) => encodeFloat32(v.dataSync() as Float32Array));
  }

  load(params: string[]): void {
    const vars = this.variables();
    if (!Array.isArray(params) || params.length !== vars.length) throw new Error(`TfMlp.load: expected ${vars.length} tensors, got ${params?.length}`);
    for (let i = 0; i < vars.length; i++) {
      const values = decodeFloat32(params[i]!);
      if (values.length !== vars[i]!.size) throw new Error(`TfMlp.load: tensor ${i} has ${values.length} values, expected ${vars[i]!.size}`);
      vars[i]!.assign(tf.tensor(values, vars[i]!.shape));
    }
  }

  dispose(): void {
    for (const v of this.variables()) v.dispose();
  }
}

/**
 * One dense layer, `x W + b` (then ReLU when `relu`), as a tfjs kernel of its own: the forward pass is the
 * backend's fused matmul+bias+activation, and the gradient transposes explicitly before multiplying. The
 * wasm backend hands products with a transposed operand (which tfjs's own matMul gradient uses) to a slow
 * generic loop: at 256x256x256, 15-21 ms instead of 1.2-1.5 ms (+0.2 ms for the transpose). Registering
 * new kernel names leaves tfjs's global gradients untouched.
 */
export function dense(x: tf.Tensor2D, w: tf.Tensor2D, bias: tf.Tensor1D, relu: boolean): tf.Tensor2D {
  ensureKernels();
  return tf.engine().runKernel(DENSE, { x, w, bias }, { relu }) as tf.Tensor2D;
}

/** `a @ b` with the explicit-transpose gradient (see `dense`). */
export function matMulNN(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  ensureKernels();
  return tf.engine().runKernel(MATMUL_NN, { a, b }, {}) as tf.Tensor2D;
}

const DENSE = "GuidedRlDense";
const MATMUL_NN = "GuidedRlMatMulNN";
const kernelBackends = new Set<string>();

function ensureKernels(): void {
  const backend = tf.getBackend();
  if (kernelBackends.has(backend)) return;
  const matMul = tf.getKernel("BatchMatMul", backend);
  const fused = tf.getKernel("_FusedMatMul", backend);
  const reshape = tf.getKernel("Reshape", backend);
  if (!matMul || !fused || !reshape) throw new Error(`tfjs backend "${backend}" lacks BatchMatMul, _FusedMatMul or Reshape`);
  // The wasm kernels' one-time setup already ran when the backend started; their functions are reused.
  tf.registerKernel({
    kernelName: MATMUL_NN,
    backendName: backend,
    kernelFunc: (args) => matMul.kernelFunc({ ...args, attrs: { transposeA: false, transposeB: false } }),
  });
  tf.registerKernel({
    kernelName: DENSE,
    backendName: backend,
    kernelFunc: ({ inputs, backend: b, attrs }) => {
      const { x, w, bias } = inputs as { x: tf.TensorInfo; w: tf.TensorInfo; bias: tf.TensorInfo };
      const be = b as tf.KernelBackend;
      // _FusedMatMul works on rank-3 operands.
      const x3 = reshape.kernelFunc({ inputs: { x }, backend: b, attrs: { shape: [1, ...x.shape] } }) as tf.TensorInfo;
      const w3 = reshape.kernelFunc({ inputs: { x: w }, backend: b, attrs: { shape: [1, ...w.shape] } }) as tf.TensorInfo;
      const out = fused.kernelFunc({
        inputs: { a: x3, b: w3, bias },
        backend: b,
        attrs: { transposeA: false, transposeB: false, activation: (attrs as { relu: boolean }).relu ? "relu" : "linear", leakyreluAlpha: 0 },
      }) as tf.TensorInfo;
      be.disposeData(x3.dataId);
      be.disposeData(w3.dataId);
      const out2 = reshape.kernelFunc({ inputs: { x: out }, backend: b, attrs: { shape: [x.shape[0]!, w.shape[1]!] } }) as tf.TensorInfo;
      be.disposeData(out.dataId);
      return out2;
    },
  });
  if (kernelBackends.size === 0) {
    tf.registerGradient({
      kernelName: MATMUL_NN,
      inputsToSave: ["a", "b"],
      gradFunc: (dy, saved) => {
        const [a, b] = saved as [tf.Tensor2D, tf.Tensor2D];
        return {
          a: () => matMulNN(dy as tf.Tensor2D, tf.transpose(b)),
          b: () => matMulNN(tf.transpose(a), dy as tf.Tensor2D),
        };
      },
    });
    tf.registerGradient({
      kernelName: DENSE,
      inputsToSave: ["x", "w"],
      outputsToSave: [true],
      gradFunc: (dy, saved, attrs) => {
        const [x, w, y] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
        const g = (attrs as { relu: boolean }).relu ? tf.mul(dy as tf.Tensor2D, tf.step(y)) : (dy as tf.Tensor2D);
        return {
          x: () => matMulNN(g as tf.Tensor2D, tf.transpose(w)),
          w: () => matMulNN(tf.transpose(x), g as tf.Tensor2D),
          bias: () => tf.sum(g, 0),
        };
      },
    });
  }
  kernelBackends.add(backend);
}

/**
 * torch.optim.Adam over tfjs variables. Moments live in one flat tensor and the update runs on the
 * concatenated gradient: ~12 + 2n kernels per step instead of ~13n, which matters because each wasm
 * kernel call costs tens of microseconds. Bias corrections are computed in float64 from the step count, as
 * torch does, so a restored optimiser continues bit for bit.
 */
export class TfAdam {
  learningRate: number;
  t = 0;
  private m: tf.Tensor1D;
  private v: tf.Tensor1D;
  private readonly sizes: number[];

  constructor(
    readonly vars: tf.Variable[],
    learningRate: number,
    readonly beta1 = 0.9,
    readonly beta2 = 0.999,
    readonly eps = 1e-8,
  ) {
    this.learningRate = learningRate;
    this.sizes = vars.map((x) => x.size);
    const total = this.sizes.reduce((a, b) => a + b, 0);
    this.m = tf.keep(tf.zeros([total]));
    this.v = tf.keep(tf.zeros([total]));
  }

  /** One update with `grads[i]` the gradient of `vars[i]` (call inside tf.tidy). */
  step(grads: tf.Tensor[]): void {
    this.t++;
    const bc1 = 1 - Math.pow(this.beta1, this.t);
    const bc2Sqrt = Math.sqrt(1 - Math.pow(this.beta2, this.t));
    const stepSize = this.learningRate / bc1;
    const g = tf.concat(grads.map((x) => tf.reshape(x, [-1])));
    const m = tf.keep(tf.add(tf.mul(this.m, this.beta1), tf.mul(g, 1 - this.beta1))) as tf.Tensor1D;
    const v = tf.keep(tf.add(tf.mul(this.v, this.beta2), tf.mul(tf.square(g), 1 - this.beta2))) as tf.Tensor1D;
    this.m.dispose();
    this.v.dispose();
    this.m = m;
    this.v = v;
    const update = tf.mul(tf.div(m, tf.add(tf.div(tf.sqrt(v), bc2Sqrt), this.eps)), stepSize);
    const pieces = tf.split(update, this.sizes);
    for (let i = 0; i < this.vars.length; i++) {
      const x = this.vars[i]!;
      x.assign(tf.sub(x, tf.reshape(pieces[i]!, x.shape)));
    }
  }

  save(): { t: number; m: string; v: string } {
    return { t: this.t, m: encodeFloat32(this.m.dataSync() as Float32Array), v: encodeFloat32(this.v.dataSync() as Float32Array) };
  }

  load(state: { t: number; m: string; v: string }): void {
    const m = decodeFloat32(state?.m);
    const v = decodeFloat32(state?.v);
    if (!Number.isInteger(state.t) || m.length !== this.m.size || v.length !== this.v.size) {
      throw new Error("TfAdam.load: optimiser state does not match the parameters");
    }
    this.t = state.t;
    this.m.dispose();
    this.v.dispose();
    this.m = tf.keep(tf.tensor1d(m));
    this.v = tf.keep(tf.tensor1d(v));
  }

  dispose(): void {
    this.m.dispose();
    this.v.dispose();
  }
}

/** Gradients of `loss()` with respect to `vars`, in the same order, plus the loss value (call inside tf.tidy). */
export function gradients(loss: () => tf.Scalar, vars: tf.Variable[]): { value: tf.Scalar; grads: tf.Tensor[] } {
  const { value, grads } = tf.variableGrads(loss, vars);
  return { value, grads: vars.map((v) => grads[v.name]!) };
}

/** torch.nn.utils.clip_grad_norm_: scales the gradients so their global L2 norm is at most maxNorm. */
export function clipByGlobalNorm(grads: tf.Tensor[], maxNorm: number): tf.Tensor[] {
  const norm = tf.sqrt(tf.addN(grads.map((g) => tf.sum(tf.square(g)))));
  const coef = tf.minimum(tf.div(maxNorm, tf.add(norm, 1e-6)), 1);
  return grads.map((g) => tf.mul(g, coef));
}

// ---------------------------------------------------------------------------------------------------
// 3. DQN
// ---------------------------------------------------------------------------------------------------

export interface DqnCheckpoint {
  algo: "dqn";
  config: Omit<DqnConfig, "learningRate"> & { learningRate: number | string };
  qNet: string[];
  qNetTarget: string[];
  optimizer: ReturnType<TfAdam["save"]>;
  rng: RandomState;
  collector: CollectorState;
  totalTimesteps: number;
  nCalls: number;
  nUpdates: number;
  explorationRate: number;
}

export class DQN {
  readonly config: DqnConfig;
  readonly envs: Env<unknown, unknown>[];
  readonly obsDim: number;
  readonly nActions: number;
  readonly qNet: TfMlp;
  readonly qNetTarget: TfMlp;
  readonly optimizer: TfAdam;
  readonly replayBuffer: ReplayBuffer;
  readonly collector: OffPolicyCollector;
  /** Replay sampling and epsilon-greedy draws. */
  readonly rng: Random;
  explorationRate = 0;
  /** Seconds spent collecting experience and in gradient updates (for throughput reports). */
  collectSeconds = 0;
  updateSeconds = 0;
  private readonly learningRate: (progressRemaining: number) => number;
  private nCalls = 0;
  nUpdates = 0;
  private totalTimesteps = 0;
  private readonly guide: Guide | undefined;

  /**
   * `env` is one environment or several (a vector of the same task). Call `await selectBackend()` (or
   * use `DQN.create`) first so tfjs runs on the fastest backend.
   */
  constructor(env: Env<unknown, unknown> | Env<unknown, unknown>[], options: DqnOptions = {}) {
    const { guide, ...rest } = options;
    const config: DqnConfig = { ...DQN_DEFAULTS, ...knownOptions("DQN", stripUndefined(rest), DQN_DEFAULTS) };
    validatePositive("DQN", config, ["bufferSize", "batchSize", "trainFreq", "targetUpdateInterval"]);
    if (!(config.gamma >= 0 && config.gamma <= 1)) throw new Error(`DQN: gamma must be in [0, 1], got ${config.gamma}`);
    if (!(config.tau > 0 && config.tau <= 1)) throw new Error(`DQN: tau must be in (0, 1], got ${config.tau}`);
    if (!(config.explorationFraction > 0 && config.explorationFraction <= 1)) throw new Error(`DQN: explorationFraction must be in (0, 1]`);
    this.config = config;
    this.envs = Array.isArray(env) ? env : [env];
    const { obs, act } = offPolicySpaces(this.envs[0]!, "DQN", "discrete");
    const obsDim = (this.obsDim = obs.dim);
    const nActions = (this.nActions = act.kind === "discrete" ? act.n : 0);
    this.rng = new Random(config.seed);
    this.qNet = new TfMlp([obsDim, ...config.netArch, nActions], "relu", this.rng);
    this.qNetTarget = new TfMlp([obsDim, ...config.netArch, nActions], "relu", this.rng);
    this.qNetTarget.polyakFrom(this.qNet, 1);
    this.learningRate = toSchedule(config.learningRate, "DQN learningRate");
    this.optimizer = new TfAdam(this.qNet.variables(), this.learningRate(1));
    this.replayBuffer = new ReplayBuffer({ bufferSize: config.bufferSize, obsDim, actDim: 1 });
    this.collector = new OffPolicyCollector({ envs: this.envs, seed: config.seed, ...(guide ? { guide } : {}) }, new Random(config.seed + 0x9e3779b9));
    this.guide = guide;
  }

  /** Selects the tfjs backend, then builds the model. */
  static async create(env: Env<unknown, unknown> | Env<unknown, unknown>[], options: DqnOptions = {}): Promise<DQN> {
    await selectBackend();
    return new DQN(env, options);
  }

  get numTimesteps(): number {
    return this.collector.numTimesteps;
  }

  /** SB3's LinearSchedule for epsilon over the first `explorationFraction` of training. */
  private epsilon(progressRemaining: number): number {
    const { explorationInitialEps: start, explorationFinalEps: end, explorationFraction: fraction } = this.config;
    const done = 1 - progressRemaining;
    return done > fraction ? end : start + (done * (end - start)) / fraction;
  }

  /** Greedy action indices (deterministic) or epsilon-greedy ones for `obs` rows (batch x obsDim, flattened as SB3). */
  predict(obs: Float32Array, deterministic = true): Float32Array {
    const batch = obs.length / this.obsDim;
    if (!Number.isInteger(batch) || batch < 1) throw new Error(`DQN.predict: expected rows of ${this.obsDim} observation values, got ${obs.length} values`);
    const out = new Float32Array(batch);
    // SB3 draws one coin for the whole vector of envs.
    if (!deterministic && this.rng.random() < this.explorationRate) {
      for (let i = 0; i < batch; i++) out[i] = this.rng.integer(this.nActions);
      return out;
    }
    const best = tf.tidy(() => tf.argMax(this.qNet.apply(tf.tensor2d(obs, [batch, this.obsDim])), 1).dataSync());
    out.set(best);
    return out;
  }

  /** Trains for `totalTimesteps` env steps in all (a resumed model continues from its step count). */
  async learn(opts: LearnOptions): Promise<this> {
    const cfg = this.config;
    const total = (this.totalTimesteps = opts.totalTimesteps);
    const nEnvs = this.envs.length;
    let nextCheckpoint = opts.checkpointInterval ? (Math.floor(this.numTimesteps / opts.checkpointInterval) + 1) * opts.checkpointInterval : Infinity;
    const onStep = () => {
      // SB3's DQN._on_step: target update counted in vector steps, then the exploration rate.
      this.nCalls++;
      if (this.nCalls % Math.max(Math.floor(cfg.targetUpdateInterval / nEnvs), 1) === 0) this.qNetTarget.polyakFrom(this.qNet, cfg.tau);
      this.explorationRate = this.epsilon(1 - this.numTimesteps / total);
    };
    const chooseActions = (obs: Float32Array) =>
      this.numTimesteps < cfg.learningStarts ? this.collector.randomActions() : this.predict(obs, false);

    while (this.numTimesteps < total) {
      const t0 = performance.now();
      const rollout = await this.collector.collect(cfg.trainFreq, chooseActions, this.replayBuffer, { totalTimesteps: total }, onStep);
      const t1 = performance.now();
      this.collectSeconds += (t1 - t0) / 1000;
      let metrics: Record<string, number> = { explorationRate: this.explorationRate, meanStoredReward: rollout.meanStoredReward };
      if (this.numTimesteps > cfg.learningStarts) {
        const gradientSteps = cfg.gradientSteps >= 0 ? cfg.gradientSteps : rollout.steps;
        if (gradientSteps > 0) metrics = { ...metrics, ...this.train(gradientSteps, cfg.batchSize) };
        this.updateSeconds += (performance.now() - t1) / 1000;
      }
      if (this.numTimesteps >= nextCheckpoint && opts.checkpointDir) {
        this.save(opts.checkpointDir);
        nextCheckpoint += opts.checkpointInterval!;
      }
      const keepGoing = await opts.callback?.(this.progress(metrics));
      if (keepGoing === false) break;
    }
    return this;
  }

  /**
   * `gradientSteps` updates on minibatches of `batchSize` (SB3's DQN.train). A non-finite loss stops
   * training before its update is applied (NonFiniteLossError, with the last finite metrics).
   */
  train(gradientSteps: number, batchSize: number): Record<string, number> {
    const cfg = this.config;
    this.optimizer.learningRate = this.learningRate(1 - this.numTimesteps / Math.max(this.totalTimesteps, 1));
    const { obsDim, nActions } = this;
    let lossSum = 0;
    for (let step = 0; step < gradientSteps; step++) {
      const s = this.replayBuffer.sample(batchSize, this.rng);
      const loss = tf.tidy(() => {
        const obs = tf.tensor2d(s.obs, [batchSize, obsDim]);
        const nextObs = tf.tensor2d(s.nextObs, [batchSize, obsDim]);
        const actions = tf.tensor1d(Int32Array.from(s.actions), "int32");
        // Target: r + gamma (1 - done) max_a' Q_target(s', a')  (double DQN: a' chosen by the online net).
        const nextQ = this.qNetTarget.apply(nextObs);
        const nextV = cfg.doubleDqn
          ? tf.sum(tf.mul(nextQ, tf.oneHot(tf.argMax(this.qNet.apply(nextObs), 1), nActions)), 1)
          : tf.max(nextQ, 1);
        const target = tf.add(tf.tensor1d(s.rewards), tf.mul(tf.mul(tf.sub(1, tf.tensor1d(s.dones)), cfg.gamma), nextV));
        const { value, grads } = gradients(() => {
          const q = tf.sum(tf.mul(this.qNet.apply(obs), tf.oneHot(actions, nActions)), 1);
          return huberLoss(q, target);
        }, this.qNet.variables());
        const loss = value.dataSync()[0]!;
        if (Number.isFinite(loss)) this.optimizer.step(clipByGlobalNorm(grads, cfg.maxGradNorm));
        return loss;
      });
      if (!Number.isFinite(loss)) throw new NonFiniteLossError("dqn", this.numTimesteps, "loss", this.lastFiniteMetrics);
      lossSum += loss;
      this.nUpdates++;
    }
    this.lastFiniteMetrics = { loss: lossSum / gradientSteps, nUpdates: this.nUpdates, learningRate: this.optimizer.learningRate };
    return this.lastFiniteMetrics;
  }

  private lastFiniteMetrics: Record<string, number> = {};

  private progress(metrics: Record<string, number>): TrainingProgress {
    return progressOf(this.collector.stats, this.numTimesteps, this.totalTimesteps, this.nUpdates, metrics, this.guide);
  }

  // -------------------------------------------------------------------------------------------------
  // 4. Checkpoints
  // -------------------------------------------------------------------------------------------------

  /** Writes everything needed to continue training exactly: `dir/dqn.json` and `dir/replay/`. */
  save(dir: string): void {
    const { learningRate, ...rest } = this.config;
    const ckpt: DqnCheckpoint = {
      algo: "dqn",
      config: { ...rest, learningRate: typeof learningRate === "function" ? "schedule" : learningRate },
      qNet: this.qNet.save(),
      qNetTarget: this.qNetTarget.save(),
      optimizer: this.optimizer.save(),
      rng: this.rng.getState(),
      collector: this.collector.getState(),
      totalTimesteps: this.totalTimesteps,
      nCalls: this.nCalls,
      nUpdates: this.nUpdates,
      explorationRate: this.explorationRate,
    };
    writeCheckpoint(dir, "dqn.json", ckpt, this.replayBuffer);
  }

  /**
   * Rebuilds a model from `dir` on fresh environments (same task and count). Options given here override
   * the saved hyperparameters (needed for a learning-rate schedule, which is a function and not saved).
   */
  static async load(dir: string, env: Env<unknown, unknown> | Env<unknown, unknown>[], options: DqnOptions = {}): Promise<DQN> {
    await selectBackend();
    const ckpt = readCheckpoint<DqnCheckpoint>(dir, "dqn.json", "dqn");
    const { learningRate, ...saved } = ckpt.config;
    if (learningRate === "schedule" && options.learningRate === undefined) {
      throw new Error("DQN.load: the run used a learning-rate schedule; pass it again as options.learningRate");
    }
    const model = new DQN(env, { ...saved, ...(learningRate === "schedule" ? {} : { learningRate }), ...stripUndefined(options) });
    model.qNet.load(ckpt.qNet);
    model.qNetTarget.load(ckpt.qNetTarget);
    model.optimizer.load(ckpt.optimizer);
    model.rng.setState(ckpt.rng);
    model.replayBuffer.load(join(dir, "replay"));
    model.collector.setState(ckpt.collector);
    model.totalTimesteps = ckpt.totalTimesteps;
    model.nCalls = ckpt.nCalls;
    model.nUpdates = ckpt.nUpdates;
    model.explorationRate = ckpt.explorationRate;
    return model;
  }

  /** Closes the training environments. */
  close(): void {
    this.collector.close();
  }

  /** Frees the tfjs variables. */
  dispose(): void {
    this.qNet.dispose();
    this.qNetTarget.dispose();
    this.optimizer.dispose();
  }
}

/** SB3's F.smooth_l1_loss (Huber with delta 1), mean over the batch. */
export function huberLoss(pred: tf.Tensor, target: tf.Tensor): tf.Scalar {
  // 0.5 d^2 for d < 1, d - 0.5 beyond, written with minimum so it stays differentiable.
  const diff = tf.abs(tf.sub(pred, target));
  const quadratic = tf.minimum(diff, 1);
  return tf.mean(tf.add(tf.mul(tf.square(quadratic), 0.5), tf.sub(diff, quadratic))) as tf.Scalar;
}

// ---------------------------------------------------------------------------------------------------
// Helpers shared with SAC
// ---------------------------------------------------------------------------------------------------

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

export function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Options that rl-zoo files carry for gSDE, which this package does not implement: accepted and ignored. */
const IGNORED_OPTIONS = ["useSde", "sdeSampleFreq", "useSdeAtWarmup", "logStdInit"];

/** Rejects misspelt or unsupported hyperparameters (SB3 raises on unknown keyword arguments too). */
export function knownOptions<T extends object>(algo: string, options: Partial<T>, defaults: T): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options)) {
    if (IGNORED_OPTIONS.includes(k)) continue;
    if (!(k in defaults)) throw new Error(`${algo}: unknown option "${k}" (known: ${Object.keys(defaults).join(", ")}, guide)`);
    out[k] = v;
  }
  return out as Partial<T>;
}

export function validatePositive(algo: string, config: object, keys: string[]): void {
  for (const k of keys) {
    const v = (config as Record<string, unknown>)[k];
    if (typeof v !== "number" || !Number.isInteger(v) || v < 1) throw new Error(`${algo}: ${k} must be a positive integer, got ${String(v)}`);
  }
}

/** Writes the JSON and the replay buffer into a temporary folder, then swaps it in (a kill mid-write keeps the old checkpoint). */
export function writeCheckpoint(dir: string, file: string, json: object, buffer: ReplayBuffer): void {
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  buffer.save(join(tmp, "replay"));
  writeFileSync(join(tmp, file), JSON.stringify(json) + "\n");
  const old = `${dir}.old-${process.pid}`;
  if (existsSync(dir)) renameSync(dir, old);
  renameSync(tmp, dir);
  rmSync(old, { recursive: true, force: true });
}

export function readCheckpoint<T extends { algo: string }>(dir: string, file: string, algo: string): T {
  let ckpt: T;
  try {
    ckpt = JSON.parse(readFileSync(join(dir, file), "utf8"));
  } catch (err) {
    throw new Error(`cannot read the ${algo.toUpperCase()} checkpoint ${join(dir, file)}: ${(err as Error).message}`);
  }
  if (ckpt?.algo !== algo) throw new Error(`${join(dir, file)} is not a ${algo.toUpperCase()} checkpoint`);
  return ckpt;
}
