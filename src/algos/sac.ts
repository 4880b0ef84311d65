/**
 * Soft Actor-Critic (Haarnoja et al. 2018) with Stable-Baselines3's semantics, names and defaults,
 * reading top to bottom:
 *
 *   1. options and their SB3 defaults
 *   2. networks on tfjs: dense layers as one kernel each, with a gradient that avoids the wasm backend's
 *      slow transposed matmul, and torch's Adam on flat moments
 *   3. the squashed Gaussian policy head: a = tanh(mu + sigma * eps), log-prob with the tanh correction
 *   4. the SAC class: collect `trainFreq` steps (uniform random actions before `learningStarts`) ->
 *      guide seams -> replay buffer; then `gradientSteps` updates of
 *        critic:  twin Q regression to r + gamma (1 - done) (min Q_target(s', a') - alpha log pi(a'|s'))
 *        actor:   minimise alpha log pi(a|s) - min Q(s, a), a reparameterised
 *        alpha:   log alpha follows -(log pi + target entropy) (entCoef "auto")
 *        target:  Polyak averaging with tau every `targetUpdateInterval` gradient steps
 *   5. checkpoints (weights, three optimisers, replay buffer, generators, counters: resume is exact).
 *
 * Why tfjs here when src/nn has Float32Array kernels: SAC's [256, 256] networks at batch 256 are matmul
 * bound (~16 products of 256x256x256 per update), where the wasm backend's XNNPACK runs ~25 GFLOP/s;
 * the plain-JS kernel measured ~1.4x slower per product and would also compute the critics' weight
 * gradients in the actor update, which tfjs skips.
 *
 * One gradient step is ordered as SB3's and gives the same mathematics: SB3 computes the actor's sample
 * first, steps alpha, then the critic, then the actor; alpha's step only changes log alpha, whose value for
 * this step was read before it, so here alpha is stepped last, after the actor forward that SB3 would
 * otherwise have to run twice. The actor's gradient flows through the (just updated) critic without
 * computing the critic's weight gradients: tfjs differentiates only with respect to the listed variables.
 */
import * as tf from "@tensorflow/tfjs";
import type { Env } from "../core/env.js";
import { selectBackend } from "../nn/backend.js";
import { Random, type RandomState } from "../nn/random.js";
import { decodeFloat32, encodeFloat32 } from "../nn/serialize.js";
import { torchDefaultUniform } from "../nn/init.js";
import {
  knownOptions,
  progressOf,
  readCheckpoint,
  stripUndefined,
  validatePositive,
  writeCheckpoint,
} from "./dqn.js";
import { NonFiniteLossError, type LearnOptions, type TrainingProgress } from "./callbacks.js";
import { toSchedule, type Schedule } from "./schedules.js";
import { OffPolicyCollector, ReplayBuffer, offPolicyLearn, offPolicySpaces, type CollectorState, type ReplaySample } from "./replay-buffer.js";
import type { Guide } from "./seams.js";
import { join } from "node:path";

// ---------------------------------------------------------------------------------------------------
// 1. Options
// ---------------------------------------------------------------------------------------------------

/** SAC hyperparameters: Stable-Baselines3's names (camelCase) and defaults. */
export interface SacOptions {
  /** One rate for actor, critic and entropy coefficient, as SB3. */
  learningRate?: Schedule; // 3e-4
  bufferSize?: number; // 1_000_000
  learningStarts?: number; // 100
  batchSize?: number; // 256
  tau?: number; // 0.005
  gamma?: number; // 0.99
  /** Env steps (per env) between training phases. Only step units are supported. */
  trainFreq?: number; // 1
  /** Gradient steps per training phase; -1 = as many as env steps collected. */
  gradientSteps?: number; // 1
  /** Entropy coefficient alpha: a number, "auto" (learned, starting at 1) or "auto_<init>" (e.g. "auto_0.1"). */
  entCoef?: number | string; // "auto"
  /** Gradient steps between target-network updates. */
  targetUpdateInterval?: number; // 1
  /** Entropy target of the automatic tuning; "auto" = -(action dimensions). */
  targetEntropy?: number | "auto"; // "auto"
  /** Hidden layer widths of actor and critics (SB3 policy_kwargs.net_arch). */
  netArch?: number[]; // [256, 256]
  seed?: number; // 0
  /** The guide whose seams training goes through (reward, action override, extra data). */
  guide?: Guide;
}

const SAC_DEFAULTS = {
  learningRate: 3e-4 as Schedule,
  bufferSize: 1_000_000,
  learningStarts: 100,
  batchSize: 256,
  tau: 0.005,
  gamma: 0.99,
  trainFreq: 1,
  gradientSteps: 1,
  entCoef: "auto" as number | string,
  targetUpdateInterval: 1,
  targetEntropy: "auto" as number | "auto",
  netArch: [256, 256],
  seed: 0,
};

export type SacConfig = Omit<typeof SAC_DEFAULTS, "learningRate"> & { learningRate: Schedule };

// ---------------------------------------------------------------------------------------------------
// 2. Networks on tfjs
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

// ---------------------------------------------------------------------------------------------------
// 3. Squashed Gaussian policy head
// ---------------------------------------------------------------------------------------------------

/** SB3's clamp of the actor's log standard deviation. */
export const SAC_LOG_STD_MIN = -20;
export const SAC_LOG_STD_MAX = 2;
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * From the actor's output [mean | log std] (batch x 2k) and standard normal noise `eps` (batch x k):
 * the squashed action tanh(mean + std eps) and its log-probability (batch x 1), with SB3's 1e-6 guard in
 * the tanh correction. Call inside tf.tidy.
 */
export function squashedGaussianSample(out: tf.Tensor2D, eps: tf.Tensor2D, k: number): { action: tf.Tensor2D; logProb: tf.Tensor2D } {
  const mean = tf.slice(out, [0, 0], [-1, k]);
  const logStd = tf.clipByValue(tf.slice(out, [0, k], [-1, k]), SAC_LOG_STD_MIN, SAC_LOG_STD_MAX);
  const action = tf.tanh(tf.add(mean, tf.mul(tf.exp(logStd), eps)));
  // log N(u; mean, std) with u - mean = std * eps
  const gaussian = tf.sum(tf.sub(tf.mul(tf.square(eps), -0.5), tf.add(logStd, HALF_LOG_2PI)), 1, true);
  const correction = tf.sum(tf.log(tf.add(tf.sub(1, tf.square(action)), 1e-6)), 1, true);
  return { action: action as tf.Tensor2D, logProb: tf.sub(gaussian, correction) as tf.Tensor2D };
}

// ---------------------------------------------------------------------------------------------------
// 4. SAC
// ---------------------------------------------------------------------------------------------------

export interface SacCheckpoint {
  algo: "sac";
  config: Omit<SacConfig, "learningRate"> & { learningRate: number | string };
  actor: string[];
  critic1: string[];
  critic2: string[];
  critic1Target: string[];
  critic2Target: string[];
  actorOptimizer: ReturnType<TfAdam["save"]>;
  criticOptimizer: ReturnType<TfAdam["save"]>;
  logEntCoef: number | null;
  entCoefAdam: ScalarAdamState | null;
  rng: RandomState;
  collector: CollectorState;
  totalTimesteps: number;
  nUpdates: number;
}

export class SAC {
  readonly config: SacConfig;
  readonly envs: Env<unknown, unknown>[];
  readonly obsDim: number;
  readonly actDim: number;
  /** Outputs [mean | log std] of the pre-tanh Gaussian. */
  readonly actor: TfMlp;
  readonly critic1: TfMlp;
  readonly critic2: TfMlp;
  readonly critic1Target: TfMlp;
  readonly critic2Target: TfMlp;
  readonly actorOptimizer: TfAdam;
  readonly criticOptimizer: TfAdam;
  readonly replayBuffer: ReplayBuffer;
  readonly collector: OffPolicyCollector;
  /** Replay sampling and the policy's Gaussian noise. */
  readonly rng: Random;
  readonly targetEntropy: number;
  /** log alpha when tuned automatically (a float32 value, as torch's parameter), else null. */
  logEntCoef: number | null;
  private readonly entCoefAdam: ScalarAdam | null;
  private readonly fixedEntCoef: number;
  nUpdates = 0;
  /** Seconds spent collecting experience and in gradient updates (for throughput reports). */
  collectSeconds = 0;
  updateSeconds = 0;
  private totalTimesteps = 0;
  private readonly learningRate: (progressRemaining: number) => number;
  private lastFiniteMetrics: Record<string, number> = {};
  private readonly low: Float32Array;
  private readonly high: Float32Array;
  private readonly guide: Guide | undefined;

  /**
   * `env` is one environment or several (a vector of the same task). Call `await selectBackend()` (or
   * use `SAC.create`) first so tfjs runs on the fastest backend.
   */
  constructor(env: Env<unknown, unknown> | Env<unknown, unknown>[], options: SacOptions = {}) {
    const { guide, ...rest } = options;
    const config: SacConfig = { ...SAC_DEFAULTS, ...knownOptions("SAC", stripUndefined(rest), SAC_DEFAULTS) };
    validatePositive("SAC", config, ["bufferSize", "batchSize", "trainFreq", "targetUpdateInterval"]);
    if (!(config.gamma >= 0 && config.gamma <= 1)) throw new Error(`SAC: gamma must be in [0, 1], got ${config.gamma}`);
    if (!(config.tau > 0 && config.tau <= 1)) throw new Error(`SAC: tau must be in (0, 1], got ${config.tau}`);
    this.config = config;
    this.guide = guide;
    this.envs = Array.isArray(env) ? env : [env];
    const { obs, act } = offPolicySpaces(this.envs[0]!, "SAC", "box");
    if (act.kind !== "box") throw new Error("SAC: needs a Box action space");
    const obsDim = (this.obsDim = obs.dim);
    const k = (this.actDim = act.dim);
    this.low = act.low;
    this.high = act.high;
    this.rng = new Random(config.seed);
    const hidden = config.netArch;
    this.actor = new TfMlp([obsDim, ...hidden, 2 * k], "relu", this.rng);
    this.critic1 = new TfMlp([obsDim + k, ...hidden, 1], "relu", this.rng);
    this.critic2 = new TfMlp([obsDim + k, ...hidden, 1], "relu", this.rng);
    this.critic1Target = new TfMlp(this.critic1.sizes, "relu", this.rng);
    this.critic2Target = new TfMlp(this.critic2.sizes, "relu", this.rng);
    this.critic1Target.polyakFrom(this.critic1, 1);
    this.critic2Target.polyakFrom(this.critic2, 1);
    this.learningRate = toSchedule(config.learningRate, "SAC learningRate");
    const lr = this.learningRate(1);
    this.actorOptimizer = new TfAdam(this.actor.variables(), lr);
    this.criticOptimizer = new TfAdam([...this.critic1.variables(), ...this.critic2.variables()], lr);

    this.targetEntropy = config.targetEntropy === "auto" ? -k : Number(config.targetEntropy);
    if (!Number.isFinite(this.targetEntropy)) throw new Error(`SAC: targetEntropy must be "auto" or a number, got ${config.targetEntropy}`);
    const ent = config.entCoef;
    if (typeof ent === "string") {
      const m = /^auto(?:_([0-9.eE+-]+))?$/.exec(ent);
      const init = m ? (m[1] === undefined ? 1 : Number(m[1])) : NaN;
      if (!(init > 0)) throw new Error(`SAC: entCoef must be a positive number, "auto" or "auto_<init>", got "${ent}"`);
      this.logEntCoef = Math.fround(Math.log(init));
      this.entCoefAdam = new ScalarAdam();
      this.fixedEntCoef = NaN;
    } else {
      if (!(ent > 0)) throw new Error(`SAC: entCoef must be positive, got ${ent}`);
      this.logEntCoef = null;
      this.entCoefAdam = null;
      this.fixedEntCoef = ent;
    }

    this.replayBuffer = new ReplayBuffer({ bufferSize: config.bufferSize, obsDim, actDim: k });
    this.collector = new OffPolicyCollector(
      { envs: this.envs, seed: config.seed, ...(guide ? { guide } : {}), toBufferActions: (a, n) => this.scaleActions(a, n) },
      new Random(config.seed + 0x9e3779b9),
    );
  }

  /** Selects the tfjs backend, then builds the model. */
  static async create(env: Env<unknown, unknown> | Env<unknown, unknown>[], options: SacOptions = {}): Promise<SAC> {
    await selectBackend();
    return new SAC(env, options);
  }

  get numTimesteps(): number {
    return this.collector.numTimesteps;
  }

  /** The current entropy coefficient alpha. */
  get entCoef(): number {
    return this.logEntCoef === null ? this.fixedEntCoef : Math.fround(Math.exp(this.logEntCoef));
  }

  /** Env-space actions -> [-1, 1] (SB3's scale_action), clipped: what the buffer and the critics see. */
  scaleActions(envActions: Float32Array, n: number): Float32Array {
    const { low, high } = this;
    const k = this.actDim;
    const out = new Float32Array(n * k);
    for (let i = 0; i < n * k; i++) {
      const d = i % k;
      const v = (2 * (envActions[i]! - low![d]!)) / (high![d]! - low![d]!) - 1;
      out[i] = v < -1 ? -1 : v > 1 ? 1 : v;
    }
    return out;
  }

  /** [-1, 1] -> env-space actions (SB3's unscale_action). */
  unscaleActions(scaled: Float32Array): Float32Array {
    const { low, high } = this;
    const k = this.actDim;
    const out = new Float32Array(scaled.length);
    for (let i = 0; i < scaled.length; i++) {
      const d = i % k;
      out[i] = low![d]! + 0.5 * (scaled[i]! + 1) * (high![d]! - low![d]!);
    }
    return out;
  }

  /** Env-space actions for `obs` rows (batch x obsDim): tanh(mean) when deterministic, else a policy sample. */
  predict(obs: Float32Array, deterministic = true): Float32Array {
    const batch = obs.length / this.obsDim;
    if (!Number.isInteger(batch) || batch < 1) throw new Error(`SAC.predict: expected rows of ${this.obsDim} observation values, got ${obs.length} values`);
    const k = this.actDim;
    const scaled = tf.tidy(() => {
      const out = this.actor.apply(tf.tensor2d(obs, [batch, this.obsDim]));
      if (deterministic) return tf.tanh(tf.slice(out, [0, 0], [-1, k])).dataSync();
      const eps = new Float32Array(batch * k);
      this.rng.fillNormal(eps);
      return squashedGaussianSample(out, tf.tensor2d(eps, [batch, k]), k).action.dataSync();
    }) as Float32Array;
    return this.unscaleActions(scaled);
  }

  /** Trains for `totalTimesteps` env steps in all (a resumed model continues from its step count). */
  async learn(opts: LearnOptions): Promise<this> {
    this.totalTimesteps = opts.totalTimesteps;
    await offPolicyLearn(this, this.config, opts, (m) => this.progress(m));
    return this;
  }

  /**
   * `gradientSteps` updates on minibatches of `batchSize` (SB3's SAC.train). A non-finite loss stops
   * training before its update is applied (NonFiniteLossError, with the last finite metrics).
   */
  train(gradientSteps: number, batchSize: number): Record<string, number> {
    const lr = this.learningRate(1 - this.numTimesteps / Math.max(this.totalTimesteps, 1));
    this.actorOptimizer.learningRate = lr;
    this.criticOptimizer.learningRate = lr;
    let criticLoss = 0, actorLoss = 0, entCoefSum = 0, entCoefLoss = 0;
    for (let step = 0; step < gradientSteps; step++) {
      const entCoef = this.entCoef;
      const s = this.replayBuffer.sample(batchSize, this.rng);
      const [c, a, meanLogProb] = this.gradientStep(s, entCoef);
      if (!Number.isFinite(c)) throw new NonFiniteLossError("sac", this.numTimesteps, "criticLoss", this.lastFiniteMetrics);
      if (!Number.isFinite(a)) throw new NonFiniteLossError("sac", this.numTimesteps, "actorLoss", this.lastFiniteMetrics);
      this.nUpdates++;
      criticLoss += c;
      actorLoss += a;
      entCoefSum += entCoef;
      if (this.logEntCoef !== null) {
        // loss = -log_alpha * mean(log pi + target entropy)  =>  d loss / d log_alpha = -(mean log pi + target)
        const grad = -(meanLogProb + this.targetEntropy);
        entCoefLoss += -this.logEntCoef * (meanLogProb + this.targetEntropy);
        this.logEntCoef = this.entCoefAdam!.step(this.logEntCoef, grad, lr);
      }
      if (step % this.config.targetUpdateInterval === 0) {
        this.critic1Target.polyakFrom(this.critic1, this.config.tau);
        this.critic2Target.polyakFrom(this.critic2, this.config.tau);
      }
    }
    const metrics: Record<string, number> = {
      criticLoss: criticLoss / gradientSteps,
      actorLoss: actorLoss / gradientSteps,
      entCoef: entCoefSum / gradientSteps,
      nUpdates: this.nUpdates,
      learningRate: lr,
    };
    if (this.logEntCoef !== null) metrics.entCoefLoss = entCoefLoss / gradientSteps;
    this.lastFiniteMetrics = metrics;
    return metrics;
  }

  /**
   * One critic + actor update; returns [critic loss, actor loss, mean log pi(a|s)]. An update whose loss
   * is not finite is not applied (and the actor is left alone after a bad critic loss).
   */
  private gradientStep(s: ReplaySample, entCoef: number): [number, number, number] {
    const B = s.n, k = this.actDim, obsDim = this.obsDim;
    const noise = new Float32Array(2 * B * k);
    this.rng.fillNormal(noise);
    return tf.tidy(() => {
      const obs = tf.tensor2d(s.obs, [B, obsDim]);
      const nextObs = tf.tensor2d(s.nextObs, [B, obsDim]);
      const epsNext = tf.tensor2d(noise.subarray(0, B * k), [B, k]);
      const epsNow = tf.tensor2d(noise.subarray(B * k), [B, k]);

      // Critic target: r + gamma (1 - done) (min_i Q_i'(s', a') - alpha log pi(a'|s')),  a' ~ pi(.|s')
      const next = squashedGaussianSample(this.actor.apply(nextObs), epsNext, k);
      const nextIn = tf.concat([nextObs, next.action], 1);
      const nextQ = tf.sub(tf.minimum(this.critic1Target.apply(nextIn), this.critic2Target.apply(nextIn)), tf.mul(next.logProb, entCoef));
      const notDone = tf.sub(1, tf.tensor2d(s.dones, [B, 1]));
      const target = tf.add(tf.tensor2d(s.rewards, [B, 1]), tf.mul(tf.mul(notDone, this.config.gamma), nextQ));

      // Critic: 0.5 * sum_i MSE(Q_i(s, a), target)
      const stateAction = tf.concat([obs, tf.tensor2d(s.actions, [B, k])], 1);
      const critic = gradients(() => {
        const l1 = tf.mean(tf.squaredDifference(this.critic1.apply(stateAction), target));
        const l2 = tf.mean(tf.squaredDifference(this.critic2.apply(stateAction), target));
        return tf.mul(tf.add(l1, l2), 0.5) as tf.Scalar;
      }, this.criticOptimizer.vars);
      const criticLoss = critic.value.dataSync()[0]!;
      if (!Number.isFinite(criticLoss)) return [criticLoss, 0, 0];
      this.criticOptimizer.step(critic.grads);

      // Actor: mean(alpha log pi(a|s) - min_i Q_i(s, a)),  a = tanh(mean + std eps) through the updated critics
      let meanLogProb: tf.Scalar | undefined;
      const actor = gradients(() => {
        const pi = squashedGaussianSample(this.actor.apply(obs), epsNow, k);
        meanLogProb = tf.keep(tf.mean(pi.logProb) as tf.Scalar);
        const piIn = tf.concat([obs, pi.action], 1);
        const minQ = tf.minimum(this.critic1.apply(piIn), this.critic2.apply(piIn));
        return tf.mean(tf.sub(tf.mul(pi.logProb, entCoef), minQ)) as tf.Scalar;
      }, this.actorOptimizer.vars);
      const actorLoss = actor.value.dataSync()[0]!;
      const meanLp = meanLogProb!.dataSync()[0]!;
      meanLogProb!.dispose();
      if (Number.isFinite(actorLoss)) this.actorOptimizer.step(actor.grads);
      return [criticLoss, actorLoss, meanLp];
    });
  }

  private progress(metrics: Record<string, number>): TrainingProgress {
    return progressOf(this.collector.stats, this.numTimesteps, this.totalTimesteps, this.nUpdates, metrics, this.guide);
  }

  // -------------------------------------------------------------------------------------------------
  // 5. Checkpoints
  // -------------------------------------------------------------------------------------------------

  /** Writes everything needed to continue training exactly: `dir/sac.json` and `dir/replay/`. */
  save(dir: string): void {
    const { learningRate, ...rest } = this.config;
    const ckpt: SacCheckpoint = {
      algo: "sac",
      config: { ...rest, learningRate: typeof learningRate === "function" ? "schedule" : learningRate },
      actor: this.actor.save(),
      critic1: this.critic1.save(),
      critic2: this.critic2.save(),
      critic1Target: this.critic1Target.save(),
      critic2Target: this.critic2Target.save(),
      actorOptimizer: this.actorOptimizer.save(),
      criticOptimizer: this.criticOptimizer.save(),
      logEntCoef: this.logEntCoef,
      entCoefAdam: this.entCoefAdam?.save() ?? null,
      rng: this.rng.getState(),
      collector: this.collector.getState(),
      totalTimesteps: this.totalTimesteps,
      nUpdates: this.nUpdates,
    };
    writeCheckpoint(dir, "sac.json", ckpt, this.replayBuffer);
  }

  /**
   * Rebuilds a model from `dir` on fresh environments (same task and count). Options given here override
   * the saved hyperparameters (needed for a learning-rate schedule, which is a function and not saved).
   */
  static async load(dir: string, env: Env<unknown, unknown> | Env<unknown, unknown>[], options: SacOptions = {}): Promise<SAC> {
    await selectBackend();
    const ckpt = readCheckpoint<SacCheckpoint>(dir, "sac.json", "sac");
    const { learningRate, ...saved } = ckpt.config;
    if (learningRate === "schedule" && options.learningRate === undefined) {
      throw new Error("SAC.load: the run used a learning-rate schedule; pass it again as options.learningRate");
    }
    const model = new SAC(env, { ...saved, ...(learningRate === "schedule" ? {} : { learningRate }), ...stripUndefined(options) });
    model.actor.load(ckpt.actor);
    model.critic1.load(ckpt.critic1);
    model.critic2.load(ckpt.critic2);
    model.critic1Target.load(ckpt.critic1Target);
    model.critic2Target.load(ckpt.critic2Target);
    model.actorOptimizer.load(ckpt.actorOptimizer);
    model.criticOptimizer.load(ckpt.criticOptimizer);
    if ((ckpt.logEntCoef === null) !== (model.logEntCoef === null)) throw new Error("SAC.load: entCoef mode (auto vs fixed) differs from the checkpoint");
    model.logEntCoef = ckpt.logEntCoef;
    if (ckpt.entCoefAdam) model.entCoefAdam!.load(ckpt.entCoefAdam);
    model.rng.setState(ckpt.rng);
    model.replayBuffer.load(join(dir, "replay"));
    model.collector.setState(ckpt.collector);
    model.totalTimesteps = ckpt.totalTimesteps;
    model.nUpdates = ckpt.nUpdates;
    return model;
  }

  /** Closes the training environments. */
  close(): void {
    this.collector.close();
  }

  /** Frees the tfjs variables. */
  dispose(): void {
    for (const net of [this.actor, this.critic1, this.critic2, this.critic1Target, this.critic2Target]) net.dispose();
    this.actorOptimizer.dispose();
    this.criticOptimizer.dispose();
  }
}

// ---------------------------------------------------------------------------------------------------
// Adam on the single parameter log alpha (float32 arithmetic, as torch's)
// ---------------------------------------------------------------------------------------------------

interface ScalarAdamState {
  t: number;
  m: number;
  v: number;
}

class ScalarAdam {
  private t = 0;
  private m = 0;
  private v = 0;

  /** Returns the updated parameter. */
  step(param: number, grad: number, lr: number, beta1 = 0.9, beta2 = 0.999, eps = 1e-8): number {
    const f = Math.fround;
    this.t++;
    this.m = f(f(beta1 * this.m) + f((1 - beta1) * grad));
    this.v = f(f(beta2 * this.v) + f((1 - beta2) * grad * grad));
    const bc1 = 1 - Math.pow(beta1, this.t);
    const bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, this.t));
    return f(param - (lr / bc1) * (this.m / (f(Math.sqrt(this.v)) / bc2Sqrt + eps)));
  }

  save(): ScalarAdamState {
    return { t: this.t, m: this.m, v: this.v };
  }

  load(state: ScalarAdamState): void {
    if (!state || !Number.isInteger(state.t)) throw new Error("SAC: bad entropy-coefficient optimiser state");
    ({ t: this.t, m: this.m, v: this.v } = state);
  }
}
