/**
 * What SAC and TD3 share around their networks (Stable-Baselines3's ContinuousCritic and the MLP builders
 * of its off-policy policies): the kernel choice, ReLU MLPs with torch's default init, the twin Q-networks'
 * (state, action) input and their regression loss.
 */
import { Mlp } from "../nn/mlp.js";
import { nativeBlas, nativeUnavailableReason } from "../nn/native.js";
import type { Random } from "../nn/random.js";

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
