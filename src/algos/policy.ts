/**
 * Stable-Baselines3's ActorCriticPolicy for MLPs: separate actor and critic networks (net_arch
 * pi=[64,64], vf=[64,64], tanh by default), orthogonal init with gains sqrt(2) / 0.01 (action head) / 1
 * (value head), a Categorical head for Discrete actions and a diagonal Gaussian with a state-independent
 * log std (initialised to logStdInit) for Box actions. Batched over rows of flat Float32Arrays.
 */
import { Categorical, DiagGaussian } from "../nn/distributions.js";
import { Mlp, type Activation, type MlpJSON } from "../nn/mlp.js";
import type { ParamGroup } from "../nn/optim.js";
import type { Random } from "../nn/random.js";
import { decodeFloat32, encodeFloat32 } from "../nn/serialize.js";
import type { ActionLayout } from "../core/space-layout.js";

export interface PolicyKwargs {
  /** Hidden layers: one list for both networks, or separate `pi` (actor) and `vf` (critic) lists. */
  netArch?: number[] | { pi: number[]; vf: number[] };
  activationFn?: Activation;
  /** SB3's ortho_init (default true); false uses torch's default Linear init. */
  orthoInit?: boolean;
  /** Initial log std of the Gaussian (Box actions). */
  logStdInit?: number;
}

export interface PolicyJSON {
  actor: MlpJSON;
  critic: MlpJSON;
  logStd: string | null;
}

function hidden(kwargs: PolicyKwargs): { pi: number[]; vf: number[] } {
  const arch = kwargs.netArch ?? [64, 64];
  if (Array.isArray(arch)) return { pi: arch.slice(), vf: arch.slice() };
  if (!arch || !Array.isArray(arch.pi) || !Array.isArray(arch.vf)) throw new Error("policyKwargs.netArch: expected a list or {pi, vf}");
  return { pi: arch.pi.slice(), vf: arch.vf.slice() };
}

export class ActorCriticPolicy {
  readonly actor: Mlp;
  readonly critic: Mlp;
  /** Box actions only: the state-independent log std and its gradient. */
  readonly logStd: Float32Array | null;
  readonly logStdGrad: Float32Array | null;
  readonly categorical: Categorical | null;
  readonly gaussian: DiagGaussian | null;
  readonly actDim: number;
  // scratch
  private dHead = new Float32Array(0);
  private dValue = new Float32Array(0);

  constructor(readonly obsDim: number, readonly action: ActionLayout, kwargs: PolicyKwargs, rng: Random) {
    const { pi, vf } = hidden(kwargs);
    const activation = kwargs.activationFn ?? "tanh";
    const init = kwargs.orthoInit === false ? "torch" : "orthogonal";
    const headSize = action.kind === "discrete" ? action.n : action.dim;
    this.actDim = action.dim;
    this.actor = Mlp.create({ sizes: [obsDim, ...pi, headSize], activation }, { rng, init, hiddenGain: Math.SQRT2, outputGain: 0.01 });
    this.critic = Mlp.create({ sizes: [obsDim, ...vf, 1], activation }, { rng, init, hiddenGain: Math.SQRT2, outputGain: 1 });
    if (action.kind === "discrete") {
      this.categorical = new Categorical(action.n);
      this.gaussian = null;
      this.logStd = null;
      this.logStdGrad = null;
    } else {
      this.categorical = null;
      this.gaussian = new DiagGaussian(action.dim);
      this.logStd = new Float32Array(action.dim).fill(kwargs.logStdInit ?? 0);
      this.logStdGrad = new Float32Array(action.dim);
    }
  }

  /** Parameter groups for the optimiser (actor, critic, log std). */
  paramGroups(): ParamGroup[] {
    const groups: ParamGroup[] = [
      { params: this.actor.params, grads: this.actor.grads },
      { params: this.critic.params, grads: this.critic.grads },
    ];
    if (this.logStd && this.logStdGrad) groups.push({ params: this.logStd, grads: this.logStdGrad });
    return groups;
  }

  /**
   * Rollout step for `B` observation rows: samples (or takes the mode of) actions, and writes the
   * values and log-probabilities. Uses inference buffers only.
   */
  act(obs: Float32Array, B: number, rng: Random | null, actions: Float32Array, values?: Float32Array, logProb?: Float32Array): void {
    const head = this.actor.predict(obs, B);
    if (this.categorical) {
      this.categorical.setLogits(head, B);
      if (rng) this.categorical.sample(rng, actions);
      else this.categorical.mode(actions);
      if (logProb) this.categorical.logProb(actions, logProb);
    } else {
      const g = this.gaussian!.set(head, this.logStd!, B);
      if (rng) g.sample(rng, actions);
      else g.mode(actions);
      if (logProb) g.logProb(actions, logProb);
    }
    if (values) values.set(this.critic.predict(obs, B).subarray(0, B));
  }

  /** Critic values for `B` rows. */
  predictValues(obs: Float32Array, B: number, out: Float32Array): void {
    out.set(this.critic.predict(obs, B).subarray(0, B));
  }

  /** Log-probabilities of given actions (used when a guide overrides actions). */
  logProbOf(obs: Float32Array, actions: Float32Array, B: number, out: Float32Array): void {
    const head = this.actor.predict(obs, B);
    if (this.categorical) this.categorical.setLogits(head, B).logProb(actions, out);
    else this.gaussian!.set(head, this.logStd!, B).logProb(actions, out);
  }

  /**
   * Training forward pass (SB3 `evaluate_actions`): values, log-probabilities and entropies of `actions`
   * for `B` rows. Follow with `backward`.
   */
  evaluateActions(obs: Float32Array, actions: Float32Array, B: number, values: Float32Array, logProb: Float32Array, entropy: Float32Array): void {
    const head = this.actor.forward(obs, B);
    if (this.categorical) {
      this.categorical.setLogits(head, B);
      this.categorical.logProb(actions, logProb);
      this.categorical.entropy(entropy);
    } else {
      const g = this.gaussian!.set(head, this.logStd!, B);
      g.logProb(actions, logProb);
      g.entropy(entropy);
    }
    values.set(this.critic.forward(obs, B).subarray(0, B));
  }

  /**
   * Accumulates parameter gradients for the last `evaluateActions`, given dLoss/dlogProb and
   * dLoss/dvalue per row and dLoss/dentropy (one number for all rows).
   */
  backward(actions: Float32Array, B: number, gLogProb: Float32Array, gEntropy: number, gValue: Float32Array): void {
    const headSize = this.actor.outputSize;
    if (this.dHead.length < B * headSize) this.dHead = new Float32Array(B * headSize);
    const dHead = this.dHead.length === B * headSize ? this.dHead : this.dHead.subarray(0, B * headSize);
    if (this.categorical) this.categorical.backward(actions, gLogProb, gEntropy, dHead);
    else this.gaussian!.backward(actions, gLogProb, gEntropy, dHead, this.logStdGrad!);
    this.actor.backward(dHead);
    if (this.dValue.length < B) this.dValue = new Float32Array(B);
    this.dValue.set(gValue.subarray(0, B));
    this.critic.backward(this.dValue);
  }

  zeroGrad(): void {
    this.actor.zeroGrad();
    this.critic.zeroGrad();
    this.logStdGrad?.fill(0);
  }

  toJSON(): PolicyJSON {
    return { actor: this.actor.toJSON(), critic: this.critic.toJSON(), logStd: this.logStd ? encodeFloat32(this.logStd) : null };
  }

  load(json: PolicyJSON): void {
    if (!json?.actor || !json?.critic) throw new Error("policy state: expected {actor, critic, logStd}");
    this.actor.loadParams(Mlp.fromJSON(json.actor).params);
    this.critic.loadParams(Mlp.fromJSON(json.critic).params);
    if (this.logStd) {
      if (typeof json.logStd !== "string") throw new Error("policy state: missing logStd for a Box action space");
      const v = decodeFloat32(json.logStd);
      if (v.length !== this.logStd.length) throw new Error("policy state: logStd size mismatch");
      this.logStd.set(v);
    }
  }
}
