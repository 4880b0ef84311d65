/**
 * Twin Delayed DDPG (Fujimoto et al. 2018) with Stable-Baselines3's semantics, names and defaults, reading
 * top to bottom:
 *
 *   1. options and their SB3 defaults
 *   2. networks: a deterministic actor a = tanh(mu(s)) and twin critics, ReLU MLPs with PyTorch's default
 *      init on src/nn's kernels (native BLAS when built, else WebAssembly SIMD), each with a target copy;
 *      torch's Adam for the actor and one for both critics
 *   3. the TD3 class: collect `trainFreq` steps (uniform random actions before `learningStarts`), the
 *      exploration noise added in [-1, 1] (`actionNoise`, on warm-up actions too, as SB3) -> guide seams ->
 *      replay buffer; then `gradientSteps` updates of
 *        critic:  twin Q regression to r + gamma (1 - done) min_i Q_i'(s', a'),
 *                 a' = clip(mu'(s') + clip(N(0, targetPolicyNoise), +-targetNoiseClip), -1, 1)
 *                 (target policy smoothing), loss = sum_i mse(Q_i, target)
 *        every `policyDelay`-th update: actor minimises -mean Q_1(s, mu(s)); then Polyak averaging with
 *                 `tau` of the critics' and the actor's targets
 *   4. checkpoints (weights, two optimisers, replay buffer, generators, noise, counters: resume is exact).
 *
 * The actor's gradient flows back through critic 1 to the action only (`Mlp.inputGradient`: the critics'
 * weight gradients are not computed in the actor update), then through tanh into the actor.
 */
import type { Env } from "../core/env.js";
import { Mlp } from "../nn/mlp.js";
import { Random } from "../nn/random.js";
import { encodeFloat32 } from "../nn/serialize.js";
import { loadNetworks, loadOptions, readCheckpoint, savedConfig, writeCheckpoint } from "./checkpoint.js";
import { NonFiniteLossError } from "./callbacks.js";
import type { Schedule } from "./schedules.js";
import type { ReplaySample } from "./replay-buffer.js";
import type { OffPolicyState } from "./off-policy.js";
import { OffPolicyActorCritic, REPLAY_SCHEDULE_DEFAULTS, concatRows, targetOf, type ActorCriticOptions, type CriticsState, type GemmChoice } from "./continuous-critic.js";
import { VectorizedActionNoise, type ActionNoiseSpec, type ActionNoiseState } from "./noise.js";
import { join } from "node:path";

// ---------------------------------------------------------------------------------------------------
// 1. Options
// ---------------------------------------------------------------------------------------------------

/** TD3 hyperparameters: Stable-Baselines3's names (camelCase); defaults in TD3_DEFAULTS (SB3's). */
export interface Td3Options extends ActorCriticOptions {
  /** One rate for actor and critics, as SB3. */
  learningRate?: Schedule;
  /**
   * Exploration noise added to the actor's actions in [-1, 1] (SB3's action_noise; rl-zoo's
   * noise_type / noise_std): `{ type: "normal" | "ornstein-uhlenbeck", sigma }`, or null for none.
   */
  actionNoise?: ActionNoiseSpec | null;
  /** The actor and the target networks are updated once every `policyDelay` critic updates. */
  policyDelay?: number;
  /** Standard deviation of the Gaussian noise added to the target policy's actions (smoothing). */
  targetPolicyNoise?: number;
  /** Limit of the absolute value of that noise. */
  targetNoiseClip?: number;
}

const TD3_DEFAULTS = {
  learningRate: 1e-3 as Schedule,
  ...REPLAY_SCHEDULE_DEFAULTS,
  actionNoise: null as ActionNoiseSpec | null,
  policyDelay: 2,
  targetPolicyNoise: 0.2,
  targetNoiseClip: 0.5,
  netArch: [400, 300],
  seed: 0,
  gemmBackend: "auto" as GemmChoice,
};

export type Td3Config = Omit<typeof TD3_DEFAULTS, "learningRate"> & { learningRate: Schedule };

// ---------------------------------------------------------------------------------------------------
// 2. Scratch arrays of one gradient step
// ---------------------------------------------------------------------------------------------------

class StepBuffers {
  readonly action: Float32Array;
  readonly stateAction: Float32Array;
  readonly target: Float32Array;
  readonly dQ1: Float32Array;
  readonly dQ2: Float32Array;
  readonly dHead: Float32Array;

  constructor(readonly batch: number, obsDim: number, k: number) {
    this.action = new Float32Array(batch * k);
    this.stateAction = new Float32Array(batch * (obsDim + k));
    this.target = new Float32Array(batch);
    this.dQ1 = new Float32Array(batch);
    this.dQ2 = new Float32Array(batch);
    this.dHead = new Float32Array(batch * k);
  }
}

// ---------------------------------------------------------------------------------------------------
// 3. TD3
// ---------------------------------------------------------------------------------------------------

export const TD3_CHECKPOINT_FORMAT = 1;

export interface Td3Checkpoint extends OffPolicyState, CriticsState {
  algo: "td3";
  format: number;
  config: Omit<Td3Config, "learningRate" | "gemmBackend"> & { learningRate: number | string };
  /** base64 float32 parameters of each network in src/nn's Mlp layout. */
  actor: string;
  actorTarget: string;
  actionNoise: ActionNoiseState | null;
}

/** The actor outputs mu(s) before the tanh: the action in [-1, 1] is tanh of its output. */
export class TD3 extends OffPolicyActorCritic<Td3Config, StepBuffers> {
  protected readonly halfCriticLoss = false;
  readonly actorTarget: Mlp;
  /** The exploration noise (its own generator), or null without `actionNoise`. */
  readonly actionNoise: VectorizedActionNoise | null;

  /** `env` is one environment or several (a vector of the same task). */
  constructor(env: Env<unknown, unknown> | Env<unknown, unknown>[], options: Td3Options = {}) {
    const positive: (keyof Td3Config)[] = ["bufferSize", "batchSize", "trainFreq", "policyDelay"];
    const validate = (config: Td3Config) => {
      if (!(config.targetPolicyNoise >= 0)) throw new Error(`TD3: targetPolicyNoise must be >= 0, got ${config.targetPolicyNoise}`);
      if (!(config.targetNoiseClip >= 0)) throw new Error(`TD3: targetNoiseClip must be >= 0, got ${config.targetNoiseClip}`);
    };
    super("TD3", env, options, TD3_DEFAULTS, { positive, validate }, (k) => k);
    const config = this.config;
    const k = this.actDim;
    this.actorTarget = targetOf(this.actor, this.backend);
    this.actionNoise = config.actionNoise ? new VectorizedActionNoise(config.actionNoise, this.envs.length, k, new Random(config.seed + 0x5bd1e995)) : null;
  }

  protected newScratch(batch: number): StepBuffers {
    return new StepBuffers(batch, this.obsDim, this.actDim);
  }

  /** Builds the model (async for symmetry with the other algorithms' factories). */
  static async create(env: Env<unknown, unknown> | Env<unknown, unknown>[], options: Td3Options = {}): Promise<TD3> {
    return new TD3(env, options);
  }

  /** Env-space actions tanh(mu(s)) for `obs` rows (batch x obsDim); always deterministic, as SB3's TD3. */
  predict(obs: Float32Array, _deterministic = true): Float32Array {
    const batch = obs.length / this.obsDim;
    if (!Number.isInteger(batch) || batch < 1) throw new Error(`TD3.predict: expected rows of ${this.obsDim} observation values, got ${obs.length} values`);
    const head = this.actor.predict(obs, batch);
    const scaled = new Float32Array(batch * this.actDim);
    for (let i = 0; i < scaled.length; i++) scaled[i] = Math.tanh(head[i]!);
    return this.unscaleActions(scaled);
  }

  /** SB3's _sample_action: the action scaled to [-1, 1], plus the exploration noise, clipped, back in env space. */
  protected override explore(envActions: Float32Array): Float32Array {
    if (!this.actionNoise) return envActions;
    const n = envActions.length / this.actDim;
    const scaled = this.scaleActions(envActions, n);
    const noise = this.actionNoise.sample();
    for (let i = 0; i < scaled.length; i++) {
      const v = scaled[i]! + noise[i]!;
      scaled[i] = v < -1 ? -1 : v > 1 ? 1 : v;
    }
    return this.unscaleActions(scaled);
  }

  /** SB3 resets a finished env's noise process after the step that ended its episode. */
  protected override onStep(): void {
    const noise = this.actionNoise;
    if (noise) this.collector.lastDones.forEach((done, e) => void (done && noise.reset(e)));
  }

  /**
   * `gradientSteps` updates on minibatches of `batchSize` (SB3's TD3.train). A non-finite loss stops
   * training before its update is applied (NonFiniteLossError, with the last finite metrics).
   */
  train(gradientSteps: number, batchSize: number): Record<string, number> {
    const lr = this.currentLearningRate();
    this.actorOptimizer.learningRate = lr;
    this.criticOptimizer.learningRate = lr;
    const f32 = Math.fround;
    let criticLoss = 0, actorLoss = 0, actorUpdates = 0;
    for (let step = 0; step < gradientSteps; step++) {
      const s = this.replayBuffer.sample(batchSize, this.rng);
      const target = this.criticTargets(s, this.rng);
      // Losses are summed in float64 here, float32 in torch: beyond float32's range counts as non-finite.
      const c = f32(this.criticLossAndGradients(s, target));
      if (!Number.isFinite(c)) throw new NonFiniteLossError("td3", this.numTimesteps, "criticLoss", this.lastFiniteMetrics);
      this.criticOptimizer.step();
      this.nUpdates++;
      criticLoss += c;
      if (this.nUpdates % this.config.policyDelay === 0) {
        const a = f32(this.actorLossAndGradients(s.obs, s.n));
        if (!Number.isFinite(a)) throw new NonFiniteLossError("td3", this.numTimesteps, "actorLoss", this.lastFiniteMetrics);
        this.actorOptimizer.step();
        actorLoss += a;
        actorUpdates++;
        const tau = this.config.tau;
        this.critic1Target.polyakUpdate(this.critic1, tau);
        this.critic2Target.polyakUpdate(this.critic2, tau);
        this.actorTarget.polyakUpdate(this.actor, tau);
      }
    }
    const metrics: Record<string, number> = { criticLoss: criticLoss / gradientSteps, nUpdates: this.nUpdates, learningRate: lr };
    if (actorUpdates > 0) metrics.actorLoss = actorLoss / actorUpdates;
    this.lastFiniteMetrics = metrics;
    return metrics;
  }

  /**
   * The critics' regression targets (batch values): r + gamma (1 - done) min_i Q_i'(s', a') with the
   * smoothed target action a' = clip(tanh(mu'(s')) + clip(targetPolicyNoise N(0, 1), +-targetNoiseClip), -1, 1),
   * the noise drawn from `rng`. Scratch space, valid until the next call.
   */
  criticTargets(s: ReplaySample, rng: Random): Float32Array {
    const B = s.n, k = this.actDim, obsDim = this.obsDim;
    const { targetPolicyNoise: sigma, targetNoiseClip: clip, gamma } = this.config;
    const buf = this.stepBuffers(B, "next");
    const head = this.actorTarget.predict(s.nextObs, B);
    for (let i = 0; i < B * k; i++) {
      const e = sigma * rng.normal();
      const noise = e < -clip ? -clip : e > clip ? clip : e;
      const a = Math.tanh(head[i]!) + noise;
      buf.action[i] = a < -1 ? -1 : a > 1 ? 1 : a;
    }
    const nextIn = concatRows(s.nextObs, obsDim, buf.action, k, B, buf.stateAction);
    const [q1, q2] = Mlp.predictPair(this.critic1Target, nextIn, this.critic2Target, nextIn, B);
    for (let b = 0; b < B; b++) buf.target[b] = s.rewards[b]! + (1 - s.dones[b]!) * gamma * Math.min(q1[b]!, q2[b]!);
    return buf.target;
  }

  /**
   * Actor loss -mean_b Q_1(s, tanh(mu(s))); its gradient replaces `actor.grads` (through critic 1 to the
   * action only: the critics' `grads` are not touched). Returns the loss (the gradient is left unapplied).
   */
  actorLossAndGradients(obs: Float32Array, B: number): number {
    const k = this.actDim, obsDim = this.obsDim;
    const buf = this.stepBuffers(B, "current");
    const head = this.actor.forward(obs, B);
    for (let i = 0; i < B * k; i++) buf.action[i] = Math.tanh(head[i]!);
    const piIn = concatRows(obs, obsDim, buf.action, k, B, buf.stateAction);
    const q1 = this.critic1.forward(piIn, B);
    let loss = 0;
    for (let b = 0; b < B; b++) {
      loss -= q1[b]!;
      buf.dQ1[b] = -1 / B;
    }
    const g = this.critic1.inputGradient(buf.dQ1);
    const w = obsDim + k;
    for (let b = 0; b < B; b++) {
      for (let i = 0; i < k; i++) {
        const a = buf.action[b * k + i]!;
        buf.dHead[b * k + i] = g[b * w + obsDim + i]! * (1 - a * a); // through tanh
      }
    }
    this.actor.backward(buf.dHead, false, false);
    return loss / B;
  }

  // -------------------------------------------------------------------------------------------------
  // 4. Checkpoints
  // -------------------------------------------------------------------------------------------------

  /** Writes everything needed to continue training exactly: `dir/td3.json` and `dir/replay/`. */
  save(dir: string): void {
    const ckpt: Td3Checkpoint = {
      algo: "td3",
      format: TD3_CHECKPOINT_FORMAT,
      config: savedConfig(this.config, ["gemmBackend"]),
      actor: encodeFloat32(this.actor.params),
      actorTarget: encodeFloat32(this.actorTarget.params),
      ...this.criticsState(),
      actionNoise: this.actionNoise?.getState() ?? null,
      ...this.baseState(),
    };
    writeCheckpoint(dir, "td3.json", ckpt, this.replayBuffer);
  }

  /**
   * Rebuilds a model from `dir` on fresh environments (same task and count). Options given here override
   * the saved hyperparameters (needed for a learning-rate schedule, which is a function and not saved).
   */
  static async load(dir: string, env: Env<unknown, unknown> | Env<unknown, unknown>[], options: Td3Options = {}): Promise<TD3> {
    const file = join(dir, "td3.json");
    const ckpt = readCheckpoint<Td3Checkpoint>(dir, "td3.json", "td3");
    if (ckpt.format !== TD3_CHECKPOINT_FORMAT) throw new Error(`${file} is a TD3 checkpoint of format ${ckpt.format}; this version reads format ${TD3_CHECKPOINT_FORMAT}`);
    const model = new TD3(env, loadOptions("TD3", ckpt.config, options));
    model.restoreActorCritics(file, ckpt);
    loadNetworks("TD3", file, [[model.actorTarget, ckpt.actorTarget, "actorTarget"]]);
    if ((ckpt.actionNoise === null) !== (model.actionNoise === null)) throw new Error(`TD3.load: actionNoise (on vs off) differs from the checkpoint ${file}`);
    if (ckpt.actionNoise) model.actionNoise!.setState(ckpt.actionNoise);
    model.restoreBaseState(dir, ckpt);
    return model;
  }
}
