/**
 * Proximal Policy Optimization (Schulman et al. 2017) with Stable-Baselines3's semantics, names and
 * defaults. Rollouts, seams, normalisation and checkpoints are in on-policy.ts; this file is the update:
 *
 *   for each epoch, for each shuffled minibatch:
 *     advantages normalised per minibatch (optional)
 *     ratio = exp(log pi(a|s) - log pi_old(a|s))
 *     policy loss  = -mean(min(A ratio, A clip(ratio, 1 - eps, 1 + eps)))
 *     value loss   = mean((R - V)^2), V optionally clipped around the old value
 *     entropy loss = -mean(entropy)
 *     action targets (guide seam, optional) = mean(coef * -log pi(target|s)) over the rows that have one
 *     loss = policy + entCoef entropy + vfCoef value + action targets ; gradients clipped to maxGradNorm ; Adam step
 *   early stop of the epochs when approx KL > 1.5 targetKl.
 *
 * The gradients are written out by hand (the networks are the Float32Array kernels of src/nn) and
 * checked against finite differences in test/algos/ppo.test.ts.
 */
import type { Env } from "../core/env.js";
import { Adam } from "../nn/optim.js";
import { NonFiniteLossError } from "./callbacks.js";
import { OnPolicyAlgorithm, type OnPolicyOptions } from "./on-policy.js";
import { readOnPolicyCheckpoint } from "./checkpoint.js";
import { positiveInt, stripUndefined } from "./options.js";
import { checkSavedPolicy, readSavedPolicy, type SavedPolicy } from "./policy-file.js";
import { type Schedule, toSchedule } from "./schedules.js";

export interface PpoOptions extends OnPolicyOptions {
  batchSize?: number;
  nEpochs?: number;
  clipRange?: Schedule;
  /** Clipping of the value function around the old values; null (default) disables it. */
  clipRangeVf?: Schedule | null;
  targetKl?: number | null;
}

/** SB3's PPO defaults. */
export const PPO_DEFAULTS = {
  learningRate: 3e-4 as Schedule,
  nSteps: 2048,
  batchSize: 64,
  nEpochs: 10,
  gamma: 0.99,
  gaeLambda: 0.95,
  clipRange: 0.2 as Schedule,
  clipRangeVf: null as Schedule | null,
  normalizeAdvantage: true,
  entCoef: 0,
  vfCoef: 0.5,
  maxGradNorm: 0.5,
  targetKl: null as number | null,
  seed: 0,
};

export class PPO extends OnPolicyAlgorithm {
  readonly algo = "ppo" as const;
  protected readonly optimizer: Adam;
  readonly batchSize: number;
  readonly nEpochs: number;
  readonly clipRange: (p: number) => number;
  readonly clipRangeVf: ((p: number) => number) | null;
  readonly normalizeAdvantage: boolean;
  readonly targetKl: number | null;

  /** `env`: one environment or several copies of it (a vector env). */
  constructor(env: Env | Env[], options: PpoOptions = {}) {
    const o = { ...PPO_DEFAULTS, ...stripUndefined(options) };
    super(env, o, PPO_DEFAULTS);
    this.batchSize = positiveInt("batchSize", o.batchSize);
    if (this.batchSize < 2 && o.normalizeAdvantage) throw new Error("PPO: batchSize must be > 1 when normalizeAdvantage is on (SB3 rule)");
    this.nEpochs = positiveInt("nEpochs", o.nEpochs);
    this.clipRange = toSchedule(o.clipRange, "clipRange");
    this.clipRangeVf = o.clipRangeVf === null ? null : toSchedule(o.clipRangeVf, "clipRangeVf");
    this.normalizeAdvantage = o.normalizeAdvantage;
    this.targetKl = o.targetKl;
    // SB3's policies use Adam with eps 1e-5
    this.optimizer = new Adam(this.policy.paramGroups(), { learningRate: this.learningRate(1), eps: 1e-5 });
  }

  /** Rebuilds a PPO model from `dir/ppo.json` on fresh environments (same task and count). */
  static load(dir: string, env: Env | Env[], options: PpoOptions = {}): PPO {
    const ckpt = readOnPolicyCheckpoint(dir, "ppo");
    const saved = Object.fromEntries(Object.entries(ckpt.options).filter(([, v]) => v !== "function")) as PpoOptions;
    const model = new PPO(env, { ...saved, ...stripUndefined(options) });
    model.restore(ckpt);
    return model;
  }

  /**
   * A PPO model on fresh environments whose policy (weights and normaliser statistics) is the saved one:
   * `source` is a policy file, a checkpoint file or folder, or their parsed JSON. The optimiser starts fresh
   * (a new training run from that policy); `options` override the saved options, e.g. a lower learning rate
   * or a guide. SB3's `PPO.load(path, env)` without the training state; `PPO.load` resumes a run exactly.
   */
  static fromPolicyFile(source: string | SavedPolicy, env: Env | Env[], options: PpoOptions = {}): PPO {
    const saved = typeof source === "string" ? readSavedPolicy(source, "ppo") : source;
    checkSavedPolicy(saved, "ppo");
    const model = new PPO(env, { ...(saved.options as PpoOptions), ...options, policyKwargs: (saved.options as PpoOptions).policyKwargs });
    model.loadPolicy(saved);
    return model;
  }

  protected train(): Record<string, number> {
    const p = this.progressRemaining;
    const lr = this.learningRate(p);
    this.optimizer.learningRate = lr;
    const clip = this.clipRange(p);
    const clipVf = this.clipRangeVf ? this.clipRangeVf(p) : null;
    const buf = this.rolloutBuffer;
    const D = this.obsDim;
    const A = this.vecEnv.actLayout.dim;
    const size = buf.size;
    const Bmax = Math.min(this.batchSize, size);
    const mbObs = new Float32Array(Bmax * D);
    const mbAct = new Float32Array(Bmax * A);
    const mbAdv = new Float32Array(Bmax);
    const mbRet = new Float32Array(Bmax);
    const mbOldV = new Float32Array(Bmax);
    const mbOldLp = new Float32Array(Bmax);
    const values = new Float32Array(Bmax);
    const logProb = new Float32Array(Bmax);
    const entropy = new Float32Array(Bmax);
    const gLogProb = new Float32Array(Bmax);
    const gValue = new Float32Array(Bmax);
    const targets = this.hasActionTargets;
    const mbTarget = targets ? new Float32Array(Bmax * A) : mbAct;
    const gTargetLogProb = new Float32Array(targets ? Bmax : 0);
    const targetLogProb = new Float32Array(targets ? Bmax : 0);
    const noValueGrad = new Float32Array(targets ? Bmax : 0);

    let sumPg = 0, sumV = 0, sumEnt = 0, sumClipFrac = 0, sumTarget = 0, nBatches = 0;
    let approxKl = 0, loss = 0;
    let continueTraining = true;
    for (let epoch = 0; epoch < this.nEpochs && continueTraining; epoch++) {
      const order = buf.shuffle(this.rng);
      const klValues: number[] = [];
      for (let start = 0; start < size; start += this.batchSize) {
        const B = Math.min(this.batchSize, size - start);
        const obs = buf.obs;
        const acts = buf.actions;
        for (let b = 0; b < B; b++) {
          const row = order[start + b];
          for (let i = 0, src = row * D, dst = b * D; i < D; i++) mbObs[dst + i] = obs[src + i];
          for (let i = 0, src = row * A, dst = b * A; i < A; i++) mbAct[dst + i] = acts[src + i];
          mbAdv[b] = buf.advantages[row];
          mbRet[b] = buf.returns[row];
          mbOldV[b] = buf.values[row];
          mbOldLp[b] = buf.logProbs[row];
        }
        if (this.normalizeAdvantage && B > 1) {
          let mean = 0;
          for (let b = 0; b < B; b++) mean += mbAdv[b];
          mean /= B;
          let v = 0;
          for (let b = 0; b < B; b++) v += (mbAdv[b] - mean) ** 2;
          const std = Math.sqrt(v / (B - 1)); // torch's std is unbiased
          for (let b = 0; b < B; b++) mbAdv[b] = (mbAdv[b] - mean) / (std + 1e-8);
        }
        this.policy.evaluateActions(mbObs, mbAct, B, values, logProb, entropy);
        const targetLoss = targets ? this.actionTargetTerm(order, start, B, mbObs, mbAct, mbTarget, targetLogProb, gTargetLogProb) : 0;

        const { loss: pg, clipFraction, approxKl: kl } = clippedSurrogate(logProb, mbOldLp, mbAdv, B, clip, gLogProb);
        // Value loss, optionally clipped around the old values
        let vl = 0;
        for (let b = 0; b < B; b++) {
          let pred = values[b];
          let pass = 1;
          if (clipVf !== null) {
            const d = values[b] - mbOldV[b];
            if (d > clipVf) { pred = mbOldV[b] + clipVf; pass = 0; }
            else if (d < -clipVf) { pred = mbOldV[b] - clipVf; pass = 0; }
          }
          const err = pred - mbRet[b];
          vl += err * err;
          gValue[b] = (this.vfCoef * 2 * err * pass) / B;
        }
        vl /= B;
        let ent = 0;
        for (let b = 0; b < B; b++) ent += entropy[b];
        const entropyLoss = -ent / B;
        loss = pg + this.entCoef * entropyLoss + this.vfCoef * vl + targetLoss;
        if (!Number.isFinite(loss)) {
          throw new NonFiniteLossError("ppo", this.numTimesteps, Number.isFinite(pg) ? (Number.isFinite(vl) ? "entropy loss" : "value loss") : "policy loss", this.lastFiniteMetrics);
        }
        sumPg += pg;
        sumV += vl;
        sumEnt += entropyLoss;
        sumClipFrac += clipFraction;
        sumTarget += targetLoss;
        nBatches++;
        klValues.push(kl);
        approxKl = kl;
        if (this.targetKl !== null && kl > 1.5 * this.targetKl) {
          continueTraining = false;
          break;
        }
        this.policy.zeroGrad();
        this.policy.backward(mbAct, B, gLogProb, -this.entCoef / B, gValue);
        // the target term's gradient flows through log pi(target | s), a second pass over the same forward
        if (targetLoss !== 0) this.policy.backward(mbTarget, B, gTargetLogProb, 0, noValueGrad);
        this.optimizer.clipAndStep(this.maxGradNorm);
        this.nUpdates++;
      }
      if (klValues.length) approxKl = klValues.reduce((a, b) => a + b, 0) / klValues.length;
    }
    return {
      "train/learning_rate": lr,
      "train/clip_range": clip,
      "train/policy_gradient_loss": sumPg / Math.max(1, nBatches),
      "train/value_loss": sumV / Math.max(1, nBatches),
      "train/entropy_loss": sumEnt / Math.max(1, nBatches),
      "train/clip_fraction": sumClipFrac / Math.max(1, nBatches),
      "train/approx_kl": approxKl,
      "train/loss": loss,
      "train/explained_variance": explainedVariance(buf.values, buf.returns, size),
      "train/n_updates": this.nUpdates,
      ...(this.policy.logStd ? { "train/std": meanExp(this.policy.logStd) } : {}),
      ...(targets ? { "train/action_target_loss": sumTarget / Math.max(1, nBatches) } : {}),
    };
  }

  protected override get supportsActionTargets(): boolean {
    return true;
  }

  /**
   * The action-target seam's term for one minibatch: (1 / B) sum over rows with a target of
   * coef * -log pi(target | s). Writes the targets (the row's own action where there is none) and
   * dLoss/dlog pi(target) (0 where there is none); returns the term, 0 when no row has a target.
   */
  private actionTargetTerm(
    order: Int32Array, start: number, B: number, mbObs: Float32Array, mbAct: Float32Array,
    mbTarget: Float32Array, targetLogProb: Float32Array, gTargetLogProb: Float32Array,
  ): number {
    const A = this.vecEnv.actLayout.dim;
    let any = false;
    for (let b = 0; b < B; b++) {
      const row = order[start + b];
      const coef = row < this.targetCoefs.length ? this.targetCoefs[row] : 0;
      gTargetLogProb[b] = -coef / B;
      if (coef !== 0) any = true;
      const src = coef !== 0 ? this.targetActions : mbAct;
      const at = coef !== 0 ? row * A : b * A;
      for (let i = 0; i < A; i++) mbTarget[b * A + i] = src[at + i];
    }
    if (!any) return 0;
    this.policy.logProbOf(mbObs, mbTarget, B, targetLogProb);
    let term = 0;
    for (let b = 0; b < B; b++) term += gTargetLogProb[b] * targetLogProb[b];
    return term;
  }
}

/**
 * PPO's clipped surrogate loss -mean(min(A r, A clip(r, 1 - eps, 1 + eps))) with r = exp(logProb - oldLogProb),
 * its gradient with respect to each row's logProb (written to `gLogProb`), the fraction of clipped ratios
 * and SB3's approximate KL mean((r - 1) - log r).
 */
export function clippedSurrogate(
  logProb: Float32Array, oldLogProb: Float32Array, advantages: Float32Array, B: number, clip: number, gLogProb: Float32Array,
): { loss: number; clipFraction: number; approxKl: number } {
  let loss = 0, clipped = 0, kl = 0;
  for (let b = 0; b < B; b++) {
    const logRatio = logProb[b] - oldLogProb[b];
    const ratio = Math.exp(logRatio);
    const adv = advantages[b];
    const l1 = adv * ratio;
    const inside = ratio >= 1 - clip && ratio <= 1 + clip;
    const l2 = adv * (inside ? ratio : ratio < 1 - clip ? 1 - clip : 1 + clip);
    // -min(l1, l2): the gradient flows through l1 when it is the smaller term or the ratio is unclipped
    const grad = l1 <= l2 || inside ? adv * ratio : 0;
    loss -= Math.min(l1, l2);
    gLogProb[b] = -grad / B;
    if (!inside) clipped++;
    kl += ratio - 1 - logRatio;
  }
  return { loss: loss / B, clipFraction: clipped / B, approxKl: kl / B };
}

/** 1 - Var[y - yPred] / Var[y] (SB3), NaN when Var[y] is 0. */
export function explainedVariance(yPred: Float32Array, y: Float32Array, n: number): number {
  let my = 0, md = 0;
  for (let i = 0; i < n; i++) {
    my += y[i];
    md += y[i] - yPred[i];
  }
  my /= n;
  md /= n;
  let vy = 0, vd = 0;
  for (let i = 0; i < n; i++) {
    vy += (y[i] - my) ** 2;
    vd += (y[i] - yPred[i] - md) ** 2;
  }
  return vy === 0 ? NaN : 1 - vd / vy;
}

function meanExp(a: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.exp(a[i]);
  return s / a.length;
}
