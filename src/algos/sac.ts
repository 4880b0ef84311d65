/**
 * Soft Actor-Critic (Haarnoja et al. 2018) with Stable-Baselines3's semantics, names and defaults,
 * reading top to bottom:
 *
 *   1. options and their SB3 defaults
 *   2. networks: src/nn's Float32Array MLPs (PyTorch's default nn.Linear init, as SB3's SAC keeps), their
 *      products on the native BLAS addon when it is built (native/, `npm run build:native`), else on the
 *      WebAssembly SIMD kernels; torch's Adam over flat parameter groups
 *   3. the squashed Gaussian policy head: the actor outputs [mean | log std] per row; a = tanh(mean + std eps),
 *      log-prob with the tanh correction (src/nn SquashedDiagGaussian, with its backward pass)
 *   4. the SAC class: collect `trainFreq` steps (uniform random actions before `learningStarts`) ->
 *      guide seams -> replay buffer; then `gradientSteps` updates of
 *        critic:  twin Q regression to r + gamma (1 - done) (min Q_target(s', a') - alpha log pi(a'|s'))
 *        actor:   minimise alpha log pi(a|s) - min Q(s, a), a reparameterised
 *        alpha:   log alpha follows -(log pi + target entropy) (entCoef "auto")
 *        target:  Polyak averaging with tau every `targetUpdateInterval` gradient steps
 *   5. checkpoints (weights, three optimisers, replay buffer, generators, counters: resume is exact).
 *
 * One gradient step is ordered as SB3's and gives the same mathematics: SB3 computes the actor's sample
 * first, steps alpha, then the critic, then the actor; alpha's step only changes log alpha, whose value for
 * this step was read before it, and the actor's sample depends only on the actor's weights, which the
 * critic step leaves alone; so here the actor is sampled after the critic step and alpha is stepped last.
 * The actor's gradient flows back through the (just updated) critics to the action only: their weight
 * gradients are not computed in the actor update (`Mlp.inputGradient`).
 *
 * Where the time goes at rl-zoo's Pendulum settings ([256, 256], batch 256): sixteen 256x256x256 products
 * per update (critic target: actor + 2 target critics; critic: 2 forward + 2x2 backward; actor: forward,
 * 2 critics forward + 2 back to the action, 2 backward), ~0.37 ms each on one core with OpenBLAS here. The
 * twin critics' products go through Mlp's pair operations, which run them concurrently when the native
 * kernels may use two threads (the default on a machine with two cores); one thread makes the same OpenBLAS
 * calls one after the other, so a seeded run gives the same numbers on 1 or 2 threads (native.ts). Measured (bench/train.ts, 20k steps,
 * this 2-core machine, load ~1): native 2 threads 4.74 ms per update (2.22x SB3's steps/s, two threads against
 * SB3's "one torch thread", whose OpenBLAS products may themselves use two), native 1 thread 7.28 ms (1.45x),
 * WebAssembly 26.5 ms (0.40x).
 */
import type { Env } from "../core/env.js";
import { Mlp } from "../nn/mlp.js";
import { ScalarAdam, type ScalarAdamState } from "../nn/optim.js";
import { SquashedDiagGaussian } from "../nn/distributions.js";
import type { Random } from "../nn/random.js";
import { encodeFloat32 } from "../nn/serialize.js";
import { loadOptions, readCheckpoint, savedConfig, writeCheckpoint } from "./checkpoint.js";
import { NonFiniteLossError } from "./callbacks.js";
import type { Schedule } from "./schedules.js";
import type { ReplaySample } from "./replay-buffer.js";
import type { OffPolicyState } from "./off-policy.js";
import { OffPolicyActorCritic, REPLAY_SCHEDULE_DEFAULTS, concatRows, type ActorCriticOptions, type CriticsState, type GemmChoice } from "./continuous-critic.js";
import { join } from "node:path";

// ---------------------------------------------------------------------------------------------------
// 1. Options
// ---------------------------------------------------------------------------------------------------

/** SAC hyperparameters: Stable-Baselines3's names (camelCase); defaults in SAC_DEFAULTS (SB3's). */
export interface SacOptions extends ActorCriticOptions {
  /** One rate for actor, critic and entropy coefficient, as SB3. */
  learningRate?: Schedule;
  /** Entropy coefficient alpha: a number, "auto" (learned, starting at 1) or "auto_<init>" (e.g. "auto_0.1"). */
  entCoef?: number | string;
  /** Gradient steps between target-network updates. */
  targetUpdateInterval?: number;
  /** Entropy target of the automatic tuning; "auto" = -(action dimensions). */
  targetEntropy?: number | "auto";
}

const SAC_DEFAULTS = {
  learningRate: 3e-4 as Schedule,
  ...REPLAY_SCHEDULE_DEFAULTS,
  entCoef: "auto" as number | string,
  targetUpdateInterval: 1,
  targetEntropy: "auto" as number | "auto",
  netArch: [256, 256],
  seed: 0,
  gemmBackend: "auto" as GemmChoice,
};

export type SacConfig = Omit<typeof SAC_DEFAULTS, "learningRate"> & { learningRate: Schedule };

// ---------------------------------------------------------------------------------------------------
// 2. Networks
// ---------------------------------------------------------------------------------------------------

// The kernel choice, the ReLU MLPs and the twin critics' loss are continuous-critic.ts's (shared with TD3).

// ---------------------------------------------------------------------------------------------------
// 3. Squashed Gaussian policy head
// ---------------------------------------------------------------------------------------------------

/** The actor's output rows [mean (k) | log std (k)] split into two batch x k arrays. */
function splitHead(head: Float32Array, batch: number, k: number, mean: Float32Array, logStd: Float32Array): void {
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < k; i++) {
      mean[b * k + i] = head[b * 2 * k + i];
      logStd[b * k + i] = head[b * 2 * k + k + i];
    }
  }
}

/** Gradients for the mean and log std joined back into the actor's output layout [mean | log std]. */
function joinHeadGrad(dMean: Float32Array, dLogStd: Float32Array, batch: number, k: number, dHead: Float32Array): void {
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < k; i++) {
      dHead[b * 2 * k + i] = dMean[b * k + i];
      dHead[b * 2 * k + k + i] = dLogStd[b * k + i];
    }
  }
}

/** Per-batch-size scratch arrays of one gradient step. */
class StepBuffers {
  readonly mean: Float32Array;
  readonly logStd: Float32Array;
  readonly action: Float32Array;
  readonly logProb: Float32Array;
  readonly stateAction: Float32Array;
  readonly target: Float32Array;
  readonly dQ1: Float32Array;
  readonly dQ2: Float32Array;
  readonly gAction: Float32Array;
  readonly gLogProb: Float32Array;
  readonly dMean: Float32Array;
  readonly dLogStd: Float32Array;
  readonly dHead: Float32Array;

  constructor(readonly batch: number, obsDim: number, k: number) {
    const f = (n: number) => new Float32Array(n);
    this.mean = f(batch * k);
    this.logStd = f(batch * k);
    this.action = f(batch * k);
    this.logProb = f(batch);
    this.stateAction = f(batch * (obsDim + k));
    this.target = f(batch);
    this.dQ1 = f(batch);
    this.dQ2 = f(batch);
    this.gAction = f(batch * k);
    this.gLogProb = f(batch);
    this.dMean = f(batch * k);
    this.dLogStd = f(batch * k);
    this.dHead = f(batch * 2 * k);
  }
}

// ---------------------------------------------------------------------------------------------------
// 4. SAC
// ---------------------------------------------------------------------------------------------------

/** Version of the checkpoint layout; 1 was the tfjs implementation ([in, out] weights per variable). */
export const SAC_CHECKPOINT_FORMAT = 2;

export interface SacCheckpoint extends OffPolicyState, CriticsState {
  algo: "sac";
  format: number;
  config: Omit<SacConfig, "learningRate" | "gemmBackend"> & { learningRate: number | string };
  /** base64 float32 parameters of each network in src/nn's Mlp layout. */
  actor: string;
  logEntCoef: number | null;
  entCoefAdam: ScalarAdamState | null;
}

/** The actor outputs [mean | log std] of the pre-tanh Gaussian (2k values). */
export class SAC extends OffPolicyActorCritic<SacConfig, StepBuffers> {
  protected readonly halfCriticLoss = true;
  readonly targetEntropy: number;
  /** log alpha when tuned automatically (a float32 value, as torch's parameter), else null. */
  logEntCoef: number | null;
  private readonly entCoefAdam: ScalarAdam | null;
  private readonly fixedEntCoef: number;
  // One distribution object per use: each keeps its last sample for its backward pass.
  private readonly nextPolicy: SquashedDiagGaussian;
  private readonly currentPolicy: SquashedDiagGaussian;
  private readonly behaviourPolicy: SquashedDiagGaussian;

  /** `env` is one environment or several (a vector of the same task). */
  constructor(env: Env<unknown, unknown> | Env<unknown, unknown>[], options: SacOptions = {}) {
    super("SAC", env, options, SAC_DEFAULTS, { positive: ["bufferSize", "batchSize", "trainFreq", "targetUpdateInterval"] }, (k) => 2 * k);
    const config = this.config;
    const k = this.actDim;
    this.nextPolicy = new SquashedDiagGaussian(k);
    this.currentPolicy = new SquashedDiagGaussian(k);
    this.behaviourPolicy = new SquashedDiagGaussian(k);

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
  }

  protected newScratch(batch: number): StepBuffers {
    return new StepBuffers(batch, this.obsDim, this.actDim);
  }

  /** Builds the model (async for symmetry with the other algorithms' factories). */
  static async create(env: Env<unknown, unknown> | Env<unknown, unknown>[], options: SacOptions = {}): Promise<SAC> {
    return new SAC(env, options);
  }

  /** The current entropy coefficient alpha. */
  get entCoef(): number {
    return this.logEntCoef === null ? this.fixedEntCoef : Math.fround(Math.exp(this.logEntCoef));
  }

  /** Env-space actions for `obs` rows (batch x obsDim): tanh(mean) when deterministic, else a policy sample. */
  predict(obs: Float32Array, deterministic = true): Float32Array {
    const batch = obs.length / this.obsDim;
    if (!Number.isInteger(batch) || batch < 1) throw new Error(`SAC.predict: expected rows of ${this.obsDim} observation values, got ${obs.length} values`);
    const k = this.actDim;
    const head = this.actor.predict(obs, batch);
    const mean = new Float32Array(batch * k);
    const logStd = new Float32Array(batch * k);
    splitHead(head, batch, k, mean, logStd);
    const scaled = new Float32Array(batch * k);
    if (deterministic) for (let i = 0; i < scaled.length; i++) scaled[i] = Math.tanh(mean[i]!);
    else this.behaviourPolicy.rsample(mean, logStd, batch, this.rng, scaled);
    return this.unscaleActions(scaled);
  }

  /**
   * `gradientSteps` updates on minibatches of `batchSize` (SB3's SAC.train). A non-finite loss stops
   * training before its update is applied (NonFiniteLossError, with the last finite metrics).
   */
  train(gradientSteps: number, batchSize: number): Record<string, number> {
    const lr = this.currentLearningRate();
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
        this.critic1Target.polyakUpdate(this.critic1, this.config.tau);
        this.critic2Target.polyakUpdate(this.critic2, this.config.tau);
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
    // The losses are summed in float64 here; torch's are float32, so a loss beyond float32's range is
    // non-finite there: the NaN stop treats it as such too.
    const f32 = Math.fround;
    const target = this.criticTargets(s, entCoef, this.rng);
    const criticLoss = f32(this.criticLossAndGradients(s, target));
    if (!Number.isFinite(criticLoss)) return [criticLoss, 0, 0];
    this.criticOptimizer.step();
    const [actorLoss, meanLogProb] = this.actorLossAndGradients(s.obs, s.n, entCoef, this.rng);
    if (Number.isFinite(f32(actorLoss))) this.actorOptimizer.step();
    return [criticLoss, f32(actorLoss), meanLogProb];
  }

  /**
   * The critics' regression targets (batch values): r + gamma (1 - done) (min_i Q_i'(s', a') - alpha log pi(a'|s')),
   * a' ~ pi(.|s') drawn with `rng`. Scratch space, valid until the next call.
   */
  criticTargets(s: ReplaySample, entCoef: number, rng: Random): Float32Array {
    const B = s.n, k = this.actDim, obsDim = this.obsDim;
    const buf = this.stepBuffers(B, "next");
    splitHead(this.actor.predict(s.nextObs, B), B, k, buf.mean, buf.logStd);
    this.nextPolicy.rsample(buf.mean, buf.logStd, B, rng, buf.action, buf.logProb);
    const nextIn = concatRows(s.nextObs, obsDim, buf.action, k, B, buf.stateAction);
    const [q1, q2] = Mlp.predictPair(this.critic1Target, nextIn, this.critic2Target, nextIn, B);
    const gamma = this.config.gamma;
    for (let b = 0; b < B; b++) {
      const nextQ = Math.min(q1[b]!, q2[b]!) - entCoef * buf.logProb[b]!;
      buf.target[b] = s.rewards[b]! + (1 - s.dones[b]!) * gamma * nextQ;
    }
    return buf.target;
  }

  /**
   * Actor loss mean_b(alpha log pi(a|s) - min_i Q_i(s, a)) with a = tanh(mean + std eps), eps from `rng`;
   * its gradient replaces `actor.grads` (through the critics to the action only: their `grads` are not
   * touched). Returns [loss, mean log pi(a|s)] (the gradient is left unapplied).
   */
  actorLossAndGradients(obs: Float32Array, B: number, entCoef: number, rng: Random): [number, number] {
    const k = this.actDim, obsDim = this.obsDim;
    const buf = this.stepBuffers(B, "current");
    splitHead(this.actor.forward(obs, B), B, k, buf.mean, buf.logStd);
    this.currentPolicy.rsample(buf.mean, buf.logStd, B, rng, buf.action, buf.logProb);
    const piIn = concatRows(obs, obsDim, buf.action, k, B, buf.stateAction);
    const [q1, q2] = Mlp.forwardPair(this.critic1, piIn, this.critic2, piIn, B);
    let loss = 0, logProbSum = 0;
    for (let b = 0; b < B; b++) {
      // min over the two critics; its gradient goes to the smaller one (the first on ties, as torch.min).
      const first = q1[b]! <= q2[b]!;
      loss += entCoef * buf.logProb[b]! - (first ? q1[b]! : q2[b]!);
      logProbSum += buf.logProb[b]!;
      buf.dQ1[b] = first ? -1 / B : 0;
      buf.dQ2[b] = first ? 0 : -1 / B;
      buf.gLogProb[b] = entCoef / B;
    }
    // dLoss/daction: the action columns of each critic's input gradient.
    const w = obsDim + k;
    const [g1, g2] = Mlp.inputGradientPair(this.critic1, buf.dQ1, this.critic2, buf.dQ2);
    for (let b = 0; b < B; b++) for (let i = 0; i < k; i++) buf.gAction[b * k + i] = g1[b * w + obsDim + i]!;
    for (let b = 0; b < B; b++) for (let i = 0; i < k; i++) buf.gAction[b * k + i]! += g2[b * w + obsDim + i]!;
    this.currentPolicy.backward(buf.gAction, buf.gLogProb, buf.dMean, buf.dLogStd);
    joinHeadGrad(buf.dMean, buf.dLogStd, B, k, buf.dHead);
    this.actor.backward(buf.dHead, false, false);
    return [loss / B, logProbSum / B];
  }

  // -------------------------------------------------------------------------------------------------
  // 5. Checkpoints
  // -------------------------------------------------------------------------------------------------

  /** Writes everything needed to continue training exactly: `dir/sac.json` and `dir/replay/`. */
  save(dir: string): void {
    const ckpt: SacCheckpoint = {
      algo: "sac",
      format: SAC_CHECKPOINT_FORMAT,
      config: savedConfig(this.config, ["gemmBackend"]),
      actor: encodeFloat32(this.actor.params),
      ...this.criticsState(),
      logEntCoef: this.logEntCoef,
      entCoefAdam: this.entCoefAdam?.stateDict() ?? null,
      ...this.baseState(),
    };
    writeCheckpoint(dir, "sac.json", ckpt, this.replayBuffer);
  }

  /**
   * Rebuilds a model from `dir` on fresh environments (same task and count). Options given here override
   * the saved hyperparameters (needed for a learning-rate schedule, which is a function and not saved).
   */
  static async load(dir: string, env: Env<unknown, unknown> | Env<unknown, unknown>[], options: SacOptions = {}): Promise<SAC> {
    const ckpt = readCheckpoint<SacCheckpoint>(dir, "sac.json", "sac");
    if (ckpt.format !== SAC_CHECKPOINT_FORMAT) {
      throw new Error(
        `${join(dir, "sac.json")} is a SAC checkpoint of format ${ckpt.format ?? 1} (${ckpt.format === undefined ? "the earlier tfjs implementation" : "unknown"}); ` +
          `this version reads format ${SAC_CHECKPOINT_FORMAT} only: start the run again`,
      );
    }
    const model = new SAC(env, loadOptions("SAC", ckpt.config, options));
    model.restoreActorCritics(join(dir, "sac.json"), ckpt);
    if ((ckpt.logEntCoef === null) !== (model.logEntCoef === null)) throw new Error("SAC.load: entCoef mode (auto vs fixed) differs from the checkpoint");
    model.logEntCoef = ckpt.logEntCoef;
    if (ckpt.entCoefAdam) model.entCoefAdam!.loadStateDict(ckpt.entCoefAdam);
    model.restoreBaseState(dir, ckpt);
    return model;
  }
}
