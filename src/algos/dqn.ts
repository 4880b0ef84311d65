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
import type { Env } from "../core/env.js";
import { Mlp, type MlpJSON } from "../nn/mlp.js";
import { Adam, clipGradNorm, type OptimizerState } from "../nn/optim.js";
import { OffPolicyAlgorithm, type OffPolicyState } from "./off-policy.js";
import { loadOptions, readCheckpoint, savedConfig, writeCheckpoint } from "./checkpoint.js";
import { NonFiniteLossError } from "./callbacks.js";
import type { Schedule } from "./schedules.js";
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

export interface DqnCheckpoint extends OffPolicyState {
  algo: "dqn";
  config: Omit<DqnConfig, "learningRate"> & { learningRate: number | string };
  qNet: MlpJSON;
  qNetTarget: MlpJSON;
  optimizer: OptimizerState;
  nCalls: number;
  explorationRate: number;
}

export class DQN extends OffPolicyAlgorithm<DqnConfig> {
  readonly nActions: number;
  readonly qNet: Mlp;
  readonly qNetTarget: Mlp;
  readonly optimizer: Adam;
  explorationRate = 0;
  private nCalls = 0;
  private dOut: Float32Array;
  private target = new Float64Array(0);

  /** `env` is one environment or several (a vector of the same task). */
  constructor(env: Env<unknown, unknown> | Env<unknown, unknown>[], options: DqnOptions = {}) {
    super("DQN", env, options, DQN_DEFAULTS, {
      positive: ["bufferSize", "batchSize", "trainFreq", "targetUpdateInterval"],
      actions: "discrete",
      validate: (config) => {
        if (!(config.explorationFraction > 0 && config.explorationFraction <= 1)) throw new Error(`DQN: explorationFraction must be in (0, 1]`);
      },
    });
    const config = this.config;
    const nActions = (this.nActions = this.act.kind === "discrete" ? this.act.n : 0);
    const spec = { sizes: [this.obsDim, ...config.netArch, nActions], activation: "relu" as const };
    this.qNet = Mlp.create(spec, { rng: this.rng, init: "torch" });
    this.qNetTarget = new Mlp(spec);
    this.qNetTarget.copyFrom(this.qNet);
    this.optimizer = new Adam([{ params: this.qNet.params, grads: this.qNet.grads }], { learningRate: this.learningRate(1), eps: 1e-8 });
    this.dOut = new Float32Array(config.batchSize * nActions);
  }

  /** Builds the model (async for symmetry with the other algorithms' factories). */
  static async create(env: Env<unknown, unknown> | Env<unknown, unknown>[], options: DqnOptions = {}): Promise<DQN> {
    return new DQN(env, options);
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

  /** SB3's DQN._on_step: the target update counted in vector steps, then the exploration rate. */
  protected override onStep(): void {
    this.nCalls++;
    if (this.nCalls % Math.max(Math.floor(this.config.targetUpdateInterval / this.envs.length), 1) === 0) this.updateTarget();
    this.explorationRate = this.epsilon(1 - this.numTimesteps / this.totalTimesteps);
  }

  protected override phaseMetrics(): Record<string, number> {
    return { explorationRate: this.explorationRate };
  }

  /**
   * `gradientSteps` updates on minibatches of `batchSize` (SB3's DQN.train). A non-finite loss stops
   * training before its update is applied (NonFiniteLossError, with the last finite metrics).
   */
  train(gradientSteps: number, batchSize: number): Record<string, number> {
    const cfg = this.config;
    this.optimizer.learningRate = this.currentLearningRate();
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

  /** SB3's polyak_update of the target network (tau = 1 copies). */
  private updateTarget(): void {
    if (this.config.tau === 1) this.qNetTarget.copyFrom(this.qNet);
    else this.qNetTarget.polyakUpdate(this.qNet, this.config.tau);
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
      // Listed one by one (not baseState()) to keep the saved key order, which the pinned checkpoint hashes see.
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
    model.restoreBaseState(dir, ckpt);
    model.nCalls = ckpt.nCalls;
    model.explorationRate = ckpt.explorationRate;
    return model;
  }

}

/** Index of the largest of `n` values starting at `offset` (first one on ties, as torch.argmax). */
function argMax(values: Float32Array, offset: number, n: number): number {
  let best = 0;
  for (let i = 1; i < n; i++) if (values[offset + i]! > values[offset + best]!) best = i;
  return best;
}
