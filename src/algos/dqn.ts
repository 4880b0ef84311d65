/**
 * DQN (Mnih et al. 2015) with Stable-Baselines3's semantics, names and defaults, reading top to bottom:
 *
 *   1. options and their SB3 defaults
 *   2. the DQN class: collect `trainFreq` steps with an epsilon-greedy policy -> guide seams -> replay
 *      buffer; then `gradientSteps` Huber-loss updates of the Q-network against a target network that is
 *      copied every `targetUpdateInterval` env steps; optional double DQN.
 *   3. checkpoints: weights, optimiser, replay buffer, generators and counters (resume is exact).
 *
 * The Q-networks are src/nn's Float32Array MLPs: at rl-zoo's CartPole settings ([256, 256], batch 64) one
 * update costs 2.2-2.7 ms of CPU there against 6.5 ms with tfjs on wasm, whose per-kernel overhead dominates
 * at this batch size (measured in one process on this machine).
 */
import { join } from "node:path";
import type { Env } from "../core/env.js";
import { Mlp, type MlpJSON } from "../nn/mlp.js";
import { Adam, clipGradNorm, type OptimizerState } from "../nn/optim.js";
import { Random, type RandomState } from "../nn/random.js";
import { ReplayBuffer } from "./replay-buffer.js";
import { OffPolicyCollector, offPolicyLearn, offPolicySpaces, progressOf, type CollectorState } from "./off-policy.js";
import { loadOptions, readCheckpoint, savedConfig, writeCheckpoint } from "./checkpoint.js";
import { knownOptions, stripUndefined, validatePositive } from "./options.js";
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
// 2. DQN
// ---------------------------------------------------------------------------------------------------

export interface DqnCheckpoint {
  algo: "dqn";
  config: Omit<DqnConfig, "learningRate"> & { learningRate: number | string };
  qNet: MlpJSON;
  qNetTarget: MlpJSON;
  optimizer: OptimizerState;
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
  readonly qNet: Mlp;
  readonly qNetTarget: Mlp;
  readonly optimizer: Adam;
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
   * `env` is one environment or several (a vector of the same task).
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
    const spec = { sizes: [obsDim, ...config.netArch, nActions], activation: "relu" as const };
    this.qNet = Mlp.create(spec, { rng: this.rng, init: "torch" });
    this.qNetTarget = new Mlp(spec);
    this.qNetTarget.copyFrom(this.qNet);
    this.learningRate = toSchedule(config.learningRate, "DQN learningRate");
    this.optimizer = new Adam([{ params: this.qNet.params, grads: this.qNet.grads }], { learningRate: this.learningRate(1), eps: 1e-8 });
    this.dOut = new Float32Array(config.batchSize * nActions);
    this.replayBuffer = new ReplayBuffer({ bufferSize: config.bufferSize, obsDim, actDim: 1 });
    this.collector = new OffPolicyCollector({ envs: this.envs, seed: config.seed, ...(guide ? { guide } : {}) }, new Random(config.seed + 0x9e3779b9));
    this.guide = guide;
  }

  /** Builds the model (async for symmetry with SAC.create, which must load a tfjs backend first). */
  static async create(env: Env<unknown, unknown> | Env<unknown, unknown>[], options: DqnOptions = {}): Promise<DQN> {
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
    const q = this.qNet.predict(obs, batch);
    for (let i = 0; i < batch; i++) out[i] = argMax(q, i * this.nActions, this.nActions);
    return out;
  }

  /** Trains for `totalTimesteps` env steps in all (a resumed model continues from its step count). */
  async learn(opts: LearnOptions): Promise<this> {
    const cfg = this.config;
    const total = (this.totalTimesteps = opts.totalTimesteps);
    const nEnvs = this.envs.length;
    const onStep = () => {
      // SB3's DQN._on_step: target update counted in vector steps, then the exploration rate.
      this.nCalls++;
      if (this.nCalls % Math.max(Math.floor(cfg.targetUpdateInterval / nEnvs), 1) === 0) this.updateTarget();
      this.explorationRate = this.epsilon(1 - this.numTimesteps / total);
    };
    await offPolicyLearn(this, cfg, opts, (m) => this.progress(m), { onStep, metrics: () => ({ explorationRate: this.explorationRate }) });
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
    const qNetGroups = [{ params: this.qNet.params, grads: this.qNet.grads }];
    let lossSum = 0;
    for (let step = 0; step < gradientSteps; step++) {
      const s = this.replayBuffer.sample(batchSize, this.rng);
      // Target: r + gamma (1 - done) max_a' Q_target(s', a')  (double DQN: a' chosen by the online net).
      const nextQ = this.qNetTarget.predict(s.nextObs, batchSize);
      const target = this.target.length >= batchSize ? this.target : (this.target = new Float64Array(batchSize));
      const onlineNext = cfg.doubleDqn ? this.qNet.predict(s.nextObs, batchSize) : undefined;
      for (let b = 0; b < batchSize; b++) {
        const row = b * nActions;
        const next = onlineNext ? nextQ[row + argMax(onlineNext, row, nActions)]! : nextQ[row + argMax(nextQ, row, nActions)]!;
        target[b] = s.rewards[b]! + (1 - s.dones[b]!) * cfg.gamma * next;
      }
      // Huber (smooth L1) loss on Q(s, a) and its gradient, which is nonzero only at the taken action.
      const q = this.qNet.forward(s.obs, batchSize);
      const dOut = this.dOut.length >= batchSize * nActions ? this.dOut : (this.dOut = new Float32Array(batchSize * nActions));
      dOut.fill(0, 0, batchSize * nActions);
      let loss = 0;
      for (let b = 0; b < batchSize; b++) {
        const k = b * nActions + s.actions[b]!;
        const d = q[k]! - target[b]!;
        const ad = Math.abs(d);
        loss += ad < 1 ? 0.5 * d * d : ad - 0.5;
        dOut[k] = (ad < 1 ? d : Math.sign(d)) / batchSize;
      }
      loss /= batchSize;
      if (!Number.isFinite(loss)) throw new NonFiniteLossError("dqn", this.numTimesteps, "loss", this.lastFiniteMetrics);
      this.qNet.zeroGrad();
      this.qNet.backward(dOut);
      clipGradNorm(qNetGroups, cfg.maxGradNorm);
      this.optimizer.step();
      lossSum += loss;
      this.nUpdates++;
    }
    this.lastFiniteMetrics = { loss: lossSum / gradientSteps, nUpdates: this.nUpdates, learningRate: this.optimizer.learningRate };
    return this.lastFiniteMetrics;
  }

  private lastFiniteMetrics: Record<string, number> = {};
  private dOut: Float32Array;
  private target = new Float64Array(0);

  /** SB3's polyak_update of the target network (tau = 1 copies). */
  private updateTarget(): void {
    if (this.config.tau === 1) this.qNetTarget.copyFrom(this.qNet);
    else this.qNetTarget.polyakUpdate(this.qNet, this.config.tau);
  }

  private progress(metrics: Record<string, number>): TrainingProgress {
    return progressOf(this.collector.stats, this.numTimesteps, this.totalTimesteps, this.nUpdates, metrics, this.guide);
  }

  // -------------------------------------------------------------------------------------------------
  // 3. Checkpoints
  // -------------------------------------------------------------------------------------------------

  /** Writes everything needed to continue training exactly: `dir/dqn.json` and `dir/replay/`. */
  save(dir: string): void {
    const ckpt: DqnCheckpoint = {
      algo: "dqn",
      config: savedConfig(this.config),
      qNet: this.qNet.toJSON(),
      qNetTarget: this.qNetTarget.toJSON(),
      optimizer: this.optimizer.stateDict(),
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
    const ckpt = readCheckpoint<DqnCheckpoint>(dir, "dqn.json", "dqn");
    const model = new DQN(env, loadOptions("DQN", ckpt.config, options));
    model.qNet.loadParams(Mlp.fromJSON(ckpt.qNet).params);
    model.qNetTarget.loadParams(Mlp.fromJSON(ckpt.qNetTarget).params);
    model.optimizer.loadStateDict(ckpt.optimizer);
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

  /** Nothing to free: the networks are plain typed arrays (kept for symmetry with SAC). */
  dispose(): void {}
}

/** Index of the largest of `n` values starting at `offset` (first one on ties, as torch.argmax). */
function argMax(values: Float32Array, offset: number, n: number): number {
  let best = 0;
  for (let i = 1; i < n; i++) if (values[offset + i]! > values[offset + best]!) best = i;
  return best;
}
