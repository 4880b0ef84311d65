/**
 * What SAC and TD3 share (Stable-Baselines3's ContinuousCritic and the MLP builders of its off-policy
 * policies): the kernel choice, ReLU MLPs with torch's default init, the twin Q-networks' (state, action)
 * input and their regression loss, and `OffPolicyActorCritic`, the base class that builds the networks.
 */
import type { Env } from "../core/env.js";
import { scaleActions, unscaleActions } from "../core/space-layout.js";
import { Mlp } from "../nn/mlp.js";
import { Adam, type OptimizerState } from "../nn/optim.js";
import { encodeFloat32 } from "../nn/serialize.js";
import { loadNetworks } from "./checkpoint.js";
import { nativeBlas, nativeUnavailableReason, type GemmBackend } from "../nn/native.js";
import type { Random } from "../nn/random.js";
import { OffPolicyAlgorithm, type OffPolicyConfig } from "./off-policy.js";
import type { Guide } from "./seams.js";
import type { ReplaySample } from "./replay-buffer.js";

export type GemmChoice = "auto" | "native" | "wasm";

/** The Mlp kernel choice for `gemmBackend` (throws when "native" is asked for and unavailable). */
export function mlpBackend(choice: GemmChoice, algo: string): "default" | "native" {
  if (choice === "wasm") return "default";
  if (choice === "native") {
    if (!nativeBlas()) throw new Error(`${algo}: gemmBackend "native" but ${nativeUnavailableReason()}`);
    return "native";
  }
  if (choice === "auto") return "native";
  throw new Error(`${algo}: gemmBackend must be "auto", "native" or "wasm", got "${choice as string}"`);
}

/** A ReLU MLP with PyTorch's default nn.Linear init (U(+-1/sqrt(fanIn)) for weights and biases), as SB3's SAC and TD3. */
export function reluMlp(sizes: number[], rng: Random, backend: "default" | "native"): Mlp {
  return Mlp.create({ sizes, activation: "relu", backend }, { rng, init: "torch" });
}

/** An uninitialised network of `net`'s shape on the same kernels, holding a copy of its parameters (a target network). */
export function targetOf(net: Mlp, backend: "default" | "native"): Mlp {
  const target = new Mlp({ sizes: net.sizes.slice(), activation: net.activation, backend });
  target.copyFrom(net);
  return target;
}

/** out[b] = [a[b] | c[b]]: rows of `a` (width wa) beside rows of `c` (width wc), e.g. Q's (state, action) input. */
export function concatRows(a: Float32Array, wa: number, c: Float32Array, wc: number, batch: number, out: Float32Array): Float32Array {
  const w = wa + wc;
  for (let b = 0; b < batch; b++) {
    out.set(a.subarray(b * wa, (b + 1) * wa), b * w);
    out.set(c.subarray(b * wc, (b + 1) * wc), b * w + wa);
  }
  return out;
}

/**
 * The twin critics' regression loss on `stateAction` rows: sum_i mean_b (Q_i(s, a) - target)^2, halved
 * when `half` (SB3's SAC: 0.5 * sum of F.mse_loss; TD3: the plain sum). Its gradients replace
 * `critic1.grads` and `critic2.grads` (left unapplied); `dQ1`/`dQ2` are scratch (batch values each).
 */
export function twinCriticLoss(
  critic1: Mlp,
  critic2: Mlp,
  stateAction: Float32Array,
  target: Float32Array,
  batch: number,
  dQ1: Float32Array,
  dQ2: Float32Array,
  half: boolean,
): number {
  const B = batch;
  const [q1, q2] = Mlp.forwardPair(critic1, stateAction, critic2, stateAction, B);
  let loss = 0;
  for (const [q, dQ] of [[q1, dQ1], [q2, dQ2]] as const) {
    let sq = 0;
    for (let b = 0; b < B; b++) {
      const err = q[b]! - target[b]!;
      sq += err * err;
      dQ[b] = half ? err / B : (2 * err) / B; // d/dq of (0.5 *) mean(err^2)
    }
    loss += half ? (0.5 * sq) / B : sq / B;
  }
  Mlp.backwardPair(critic1, dQ1, critic2, dQ2, false);
  return loss;
}

/**
 * The options SAC and TD3 share (Stable-Baselines3's names, camelCase); each algorithm's `*_DEFAULTS`
 * holds SB3's defaults, which differ between the two (e.g. netArch [256, 256] vs [400, 300]).
 */
export interface ActorCriticOptions {
  bufferSize?: number;
  learningStarts?: number;
  batchSize?: number;
  tau?: number;
  gamma?: number;
  /** Env steps (per env) between training phases. Only step units are supported. */
  trainFreq?: number;
  /** Gradient steps per training phase; -1 = as many as env steps collected. */
  gradientSteps?: number;
  /** Hidden layer widths of actor and critics (SB3 policy_kwargs.net_arch). */
  netArch?: number[];
  seed?: number;
  /**
   * Kernels for the networks' products (not an SB3 option; not saved in checkpoints): "auto" = the native
   * BLAS addon when built and enabled (GUIDED_RL_NATIVE), else WebAssembly; "native" = the addon or an
   * error; "wasm" = WebAssembly SIMD kernels.
   */
  gemmBackend?: GemmChoice;
  /** The guide whose seams training goes through (reward, action override, extra data). */
  guide?: Guide;
}

/**
 * The defaults SAC and TD3 have in common (SB3 gives both the same replay and update schedule); each
 * algorithm's `*_DEFAULTS` spreads these between its learning rate and its own options, in SB3's order.
 */
export const REPLAY_SCHEDULE_DEFAULTS = {
  bufferSize: 1_000_000,
  learningStarts: 100,
  batchSize: 256,
  tau: 0.005,
  gamma: 0.99,
  trainFreq: 1,
  gradientSteps: 1,
};

/** The settings of an off-policy actor-critic for Box actions (SAC, TD3): see `ActorCriticOptions`. */
export interface ActorCriticConfig extends OffPolicyConfig {
  gemmBackend: GemmChoice;
}

/** The twin critics and both optimisers in a checkpoint. */
export interface CriticsState {
  critic1: string;
  critic2: string;
  critic1Target: string;
  critic2Target: string;
  actorOptimizer: OptimizerState;
  criticOptimizer: OptimizerState;
}

/** The scratch arrays of a gradient step that the critics' update uses (an algorithm's own hold more). */
export interface CriticScratch {
  readonly batch: number;
  readonly stateAction: Float32Array;
  readonly dQ1: Float32Array;
  readonly dQ2: Float32Array;
}

/**
 * What SAC and TD3 share: Box actions rescaled to [-1, 1] for the buffer and the networks, an actor and twin
 * critics (ReLU MLPs with torch's init, built in this order from `rng`) with target copies of the critics,
 * one Adam for the actor and one over both critics (SB3's critic optimiser), and per-batch-size scratch.
 */
export abstract class OffPolicyActorCritic<C extends ActorCriticConfig, Scratch extends CriticScratch> extends OffPolicyAlgorithm<C> {
  readonly actDim: number;
  readonly actor: Mlp;
  readonly critic1: Mlp;
  readonly critic2: Mlp;
  readonly critic1Target: Mlp;
  readonly critic2Target: Mlp;
  readonly actorOptimizer: Adam;
  /** One optimiser over both critics, as SB3's critic (its q_networks share one Adam). */
  readonly criticOptimizer: Adam;
  protected readonly backend: "default" | "native";
  private readonly low: Float32Array;
  private readonly high: Float32Array;
  private readonly scratch: { current?: Scratch; next?: Scratch } = {};

  /** `actorOutputs(k)`: the actor's output width for k action dimensions (SAC: mean and log std, 2k). */
  constructor(
    algo: "SAC" | "TD3",
    env: Env<unknown, unknown> | Env<unknown, unknown>[],
    options: Partial<C> & { guide?: Guide },
    defaults: C,
    settings: { positive: (keyof C & string)[]; validate?: (config: C) => void },
    actorOutputs: (k: number) => number,
  ) {
    super(algo, env, options, defaults, {
      positive: settings.positive,
      actions: "box",
      validate: (config) => {
        settings.validate?.(config);
        mlpBackend(config.gemmBackend, algo);
      },
    });
    const backend = (this.backend = mlpBackend(this.config.gemmBackend, algo));
    if (this.act.kind !== "box") throw new Error(`${algo}: needs a Box action space`);
    const obsDim = this.obsDim;
    const k = (this.actDim = this.act.dim);
    this.low = this.act.low;
    this.high = this.act.high;
    const hidden = this.config.netArch;
    this.actor = reluMlp([obsDim, ...hidden, actorOutputs(k)], this.rng, backend);
    this.critic1 = reluMlp([obsDim + k, ...hidden, 1], this.rng, backend);
    this.critic2 = reluMlp([obsDim + k, ...hidden, 1], this.rng, backend);
    this.critic1Target = targetOf(this.critic1, backend);
    this.critic2Target = targetOf(this.critic2, backend);
    const lr = this.learningRate(1);
    const kernels = backend === "native" ? "native" : "default";
    this.actorOptimizer = new Adam([{ params: this.actor.params, grads: this.actor.grads }], { learningRate: lr, kernels });
    this.criticOptimizer = new Adam(
      [{ params: this.critic1.params, grads: this.critic1.grads }, { params: this.critic2.params, grads: this.critic2.grads }],
      { learningRate: lr, kernels },
    );
  }

  /** Which kernels run the networks' products: "native" (BLAS addon), "wasm" or "js". */
  get gemmBackend(): GemmBackend {
    return this.actor.gemmBackend;
  }

  /** Env-space actions -> [-1, 1] (SB3's scale_action), clipped: what the buffer and the critics see. */
  scaleActions(envActions: Float32Array, n: number): Float32Array {
    return scaleActions(this.low, this.high, envActions, n);
  }

  /** [-1, 1] -> env-space actions (SB3's unscale_action). */
  unscaleActions(scaled: Float32Array): Float32Array {
    return unscaleActions(this.low, this.high, scaled);
  }

  protected override toBufferActions(envActions: Float32Array, n: number): Float32Array {
    return this.scaleActions(envActions, n);
  }

  /** The twin critics' part of a checkpoint (base64 float32 parameters) and both optimisers' state. */
  protected criticsState(): CriticsState {
    return {
      critic1: encodeFloat32(this.critic1.params),
      critic2: encodeFloat32(this.critic2.params),
      critic1Target: encodeFloat32(this.critic1Target.params),
      critic2Target: encodeFloat32(this.critic2Target.params),
      actorOptimizer: this.actorOptimizer.stateDict(),
      criticOptimizer: this.criticOptimizer.stateDict(),
    };
  }

  /** Restores `criticsState()` and the actor's parameters, naming the network and `file` when one does not fit. */
  protected restoreActorCritics(file: string, state: CriticsState & { actor: string }): void {
    loadNetworks(this.algo, file, [
      [this.actor, state.actor, "actor"],
      [this.critic1, state.critic1, "critic1"],
      [this.critic2, state.critic2, "critic2"],
      [this.critic1Target, state.critic1Target, "critic1Target"],
      [this.critic2Target, state.critic2Target, "critic2Target"],
    ]);
    this.actorOptimizer.loadStateDict(state.actorOptimizer);
    this.criticOptimizer.loadStateDict(state.criticOptimizer);
  }

  /** SB3's SAC halves the sum of the critics' mean squared errors; its TD3 does not. */
  protected abstract readonly halfCriticLoss: boolean;

  /** Fresh scratch arrays for a gradient step on `batch` rows. */
  protected abstract newScratch(batch: number): Scratch;

  /** Scratch arrays for a gradient step on `batch` rows ("next": the target computation's own set). */
  protected stepBuffers(batch: number, which: "current" | "next"): Scratch {
    const held = this.scratch[which];
    if (held?.batch === batch) return held;
    return (this.scratch[which] = this.newScratch(batch));
  }

  /**
   * Critic loss (0.5 *) sum_i mean_b (Q_i(s, a) - target)^2 for the sampled (s, a) (`halfCriticLoss`); its
   * gradients replace `critic1.grads` and `critic2.grads`. Returns the loss (the gradients are left unapplied).
   */
  criticLossAndGradients(s: ReplaySample, target: Float32Array): number {
    const B = s.n;
    const buf = this.stepBuffers(B, "current");
    const stateAction = concatRows(s.obs, this.obsDim, s.actions, this.actDim, B, buf.stateAction);
    return twinCriticLoss(this.critic1, this.critic2, stateAction, target, B, buf.dQ1, buf.dQ2, this.halfCriticLoss);
  }
}
