/**
 * Advantage Actor-Critic (Mnih et al. 2016, synchronous) with Stable-Baselines3's semantics, names and
 * defaults: short rollouts (nSteps 5), one gradient step on the whole rollout, RMSprop (alpha 0.99,
 * eps 1e-5), no advantage normalisation. Rollouts, seams and checkpoints are in on-policy.ts.
 *
 *   policy loss  = -mean(A log pi(a|s))
 *   value loss   = mean((R - V)^2)
 *   entropy loss = -mean(entropy)
 *   loss = policy + entCoef entropy + vfCoef value ; gradients clipped to maxGradNorm ; one step
 */
import type { Env } from "../core/env.js";
import { Adam, RmsProp, clipGradNorm, type Optimizer } from "../nn/optim.js";
import { NonFiniteLossError } from "./callbacks.js";
import { OnPolicyAlgorithm, type OnPolicyOptions } from "./on-policy.js";
import { readOnPolicyCheckpoint } from "./checkpoint.js";
import { stripUndefined } from "./options.js";
import { explainedVariance } from "./ppo.js";
import type { Schedule } from "./schedules.js";

export interface A2cOptions extends OnPolicyOptions {
  /** RMSprop (SB3 default) or Adam. */
  useRmsProp?: boolean;
  rmsPropEps?: number;
}

/** SB3's A2C defaults. */
export const A2C_DEFAULTS = {
  learningRate: 7e-4 as Schedule,
  nSteps: 5,
  gamma: 0.99,
  gaeLambda: 1.0,
  entCoef: 0,
  vfCoef: 0.5,
  maxGradNorm: 0.5,
  rmsPropEps: 1e-5,
  useRmsProp: true,
  normalizeAdvantage: false,
  seed: 0,
};

export class A2C extends OnPolicyAlgorithm {
  readonly algo = "a2c" as const;
  protected readonly optimizer: Optimizer;
  readonly normalizeAdvantage: boolean;

  /** `env`: one environment or several copies of it (a vector env). */
  constructor(env: Env | Env[], options: A2cOptions = {}) {
    const o = { ...A2C_DEFAULTS, ...stripUndefined(options) };
    super(env, o, A2C_DEFAULTS);
    this.normalizeAdvantage = o.normalizeAdvantage;
    const lr = this.learningRate(1);
    this.optimizer = o.useRmsProp
      ? new RmsProp(this.policy.paramGroups(), { learningRate: lr, alpha: 0.99, eps: o.rmsPropEps })
      : new Adam(this.policy.paramGroups(), { learningRate: lr, eps: 1e-5 });
  }

  /** Rebuilds an A2C model from `dir/a2c.json` on fresh environments (same task and count). */
  static load(dir: string, env: Env | Env[], options: A2cOptions = {}): A2C {
    const ckpt = readOnPolicyCheckpoint(dir, "a2c");
    const saved = Object.fromEntries(Object.entries(ckpt.options).filter(([, v]) => v !== "function")) as A2cOptions;
    const model = new A2C(env, { ...saved, ...stripUndefined(options) });
    model.restore(ckpt);
    return model;
  }

  protected train(): Record<string, number> {
    const lr = this.learningRate(this.progressRemaining);
    this.optimizer.learningRate = lr;
    const buf = this.rolloutBuffer;
    const B = buf.size;
    // The whole rollout is one batch (SB3 shuffles it; the loss does not depend on the order).
    const adv = buf.advantages.slice(0, B);
    if (this.normalizeAdvantage && B > 1) {
      let mean = 0;
      for (let i = 0; i < B; i++) mean += adv[i];
      mean /= B;
      let v = 0;
      for (let i = 0; i < B; i++) v += (adv[i] - mean) ** 2;
      const std = Math.sqrt(v / (B - 1));
      for (let i = 0; i < B; i++) adv[i] = (adv[i] - mean) / (std + 1e-8);
    }
    const values = new Float32Array(B);
    const logProb = new Float32Array(B);
    const entropy = new Float32Array(B);
    const obs = buf.obs.subarray(0, B * this.obsDim);
    const actions = buf.actions.subarray(0, B * this.vecEnv.actLayout.dim);
    this.policy.evaluateActions(obs, actions, B, values, logProb, entropy);
    let pg = 0, vl = 0, ent = 0;
    const gLogProb = new Float32Array(B);
    const gValue = new Float32Array(B);
    for (let i = 0; i < B; i++) {
      pg -= adv[i] * logProb[i];
      gLogProb[i] = -adv[i] / B;
      const err = values[i] - buf.returns[i];
      vl += err * err;
      gValue[i] = (this.vfCoef * 2 * err) / B;
      ent += entropy[i];
    }
    pg /= B;
    vl /= B;
    const entropyLoss = -ent / B;
    const loss = pg + this.entCoef * entropyLoss + this.vfCoef * vl;
    if (!Number.isFinite(loss)) {
      throw new NonFiniteLossError("a2c", this.numTimesteps, Number.isFinite(pg) ? (Number.isFinite(vl) ? "entropy loss" : "value loss") : "policy loss", this.lastFiniteMetrics);
    }
    this.policy.zeroGrad();
    this.policy.backward(actions, B, gLogProb, -this.entCoef / B, gValue);
    clipGradNorm(this.policy.paramGroups(), this.maxGradNorm);
    this.optimizer.step();
    this.nUpdates++;
    return {
      "train/learning_rate": lr,
      "train/policy_loss": pg,
      "train/value_loss": vl,
      "train/entropy_loss": entropyLoss,
      "train/loss": loss,
      "train/explained_variance": explainedVariance(buf.values, buf.returns, B),
      "train/n_updates": this.nUpdates,
      ...(this.policy.logStd ? { "train/std": this.policy.logStd.reduce((s, v) => s + Math.exp(v), 0) / this.policy.logStd.length } : {}),
    };
  }
}
