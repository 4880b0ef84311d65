/**
 * Optimisers over flat Float32Array parameter groups, with PyTorch's update rules (so SB3 settings carry
 * over): Adam (torch.optim.Adam) and RMSprop (torch.optim.RMSprop, SB3's A2C default), plus global
 * gradient-norm clipping (torch.nn.utils.clip_grad_norm_); and Adam on a single scalar parameter (SAC's
 * entropy coefficient).
 */
import { wasmKernels } from "./gemm-wasm.js";
import { nativeBlas, type NativeBlas } from "./native.js";
import { decodeFloat32, encodeFloat32 } from "./serialize.js";

const kernels = wasmKernels();

/** Parameters and their gradients, same length (e.g. `{params: net.params, grads: net.grads}`). */
export interface ParamGroup {
  params: Float32Array;
  grads: Float32Array;
}

/** Serialisable optimiser state. */
export interface OptimizerState {
  kind: "adam" | "rmsprop";
  step: number;
  /** base64 float32 buffers, one or two per group. */
  buffers: string[];
}

export interface Optimizer {
  readonly groups: readonly ParamGroup[];
  learningRate: number;
  /** Applies one update with the current gradients. */
  step(): void;
  zeroGrad(): void;
  stateDict(): OptimizerState;
  loadStateDict(state: OptimizerState): void;
}

function checkGroups(groups: ParamGroup[]): void {
  if (groups.length === 0) throw new Error("optimizer: no parameter groups");
  for (const g of groups) {
    if (g.params.length !== g.grads.length) throw new Error("optimizer: params and grads differ in length");
  }
}

export interface AdamOptions {
  learningRate?: number;
  beta1?: number;
  beta2?: number;
  /** SB3's policies pass eps = 1e-5 to Adam. */
  eps?: number;
  /**
   * "native": run the update in the native addon when it is built (native.ts; the same numbers, bit for bit,
   * without copying the groups into WebAssembly memory), else as "default" (WebAssembly SIMD, else JS).
   */
  kernels?: "default" | "native";
}

export class Adam implements Optimizer {
  learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  private t = 0;
  private readonly m: Float32Array[];
  private readonly v: Float32Array[];
  private readonly native: NativeBlas | null;

  constructor(readonly groups: ParamGroup[], opts: AdamOptions = {}) {
    checkGroups(groups);
    if (opts.kernels !== undefined && opts.kernels !== "default" && opts.kernels !== "native") {
      throw new Error(`Adam: unknown kernels "${opts.kernels}" (default | native)`);
    }
    this.native = opts.kernels === "native" ? nativeBlas() : null;
    this.learningRate = opts.learningRate ?? 1e-3;
    this.beta1 = opts.beta1 ?? 0.9;
    this.beta2 = opts.beta2 ?? 0.999;
    this.eps = opts.eps ?? 1e-8;
    this.m = groups.map((g) => new Float32Array(g.params.length));
    this.v = groups.map((g) => new Float32Array(g.params.length));
  }

  get stepCount(): number {
    return this.t;
  }

  step(): void {
    this.update(1);
  }

  /**
   * `clipGradNorm(groups, maxNorm)` then `step()`, with the scaling folded into the update pass (same
   * numbers, bit for bit). Returns the gradient norm before clipping.
   */
  clipAndStep(maxNorm: number): number {
    const norm = gradNorm(this.groups);
    const coef = maxNorm / (norm + 1e-6);
    this.update(coef < 1 ? coef : 1);
    return norm;
  }

  /** One Adam step on the gradients scaled by `gradScale` (rounded to float32 and stored back, as clipping does). */
  private update(gradScale: number): void {
    this.t++;
    const b1 = this.beta1;
    const b2 = this.beta2;
    const bc1 = 1 - Math.pow(b1, this.t);
    const bc2Sqrt = Math.sqrt(1 - Math.pow(b2, this.t));
    const stepSize = this.learningRate / bc1;
    const eps = this.eps;
    for (let k = 0; k < this.groups.length; k++) {
      const { params, grads } = this.groups[k];
      const m = this.m[k];
      const v = this.v[k];
      if (this.native && gradScale === 1) {
        this.native.adamUpdate(params, grads, m, v, b1, b2, stepSize, bc2Sqrt, eps);
        continue;
      }
      if (kernels) {
        kernels.adamUpdate(params, grads, m, v, gradScale, b1, b2, stepSize, bc2Sqrt, eps);
        continue;
      }
      for (let i = 0; i < params.length; i++) {
        if (gradScale !== 1) grads[i] *= gradScale;
        const g = grads[i]; // the stored float32 value, as after clipGradNorm
        const mi = (m[i] = b1 * m[i] + (1 - b1) * g);
        const vi = (v[i] = b2 * v[i] + (1 - b2) * g * g);
        params[i] -= (stepSize * mi) / (Math.sqrt(vi) / bc2Sqrt + eps);
      }
    }
  }

  zeroGrad(): void {
    for (const g of this.groups) g.grads.fill(0);
  }

  stateDict(): OptimizerState {
    const buffers: string[] = [];
    for (let k = 0; k < this.groups.length; k++) buffers.push(encodeFloat32(this.m[k]), encodeFloat32(this.v[k]));
    return { kind: "adam", step: this.t, buffers };
  }

  loadStateDict(state: OptimizerState): void {
    loadBuffers("adam", state, this.groups, [this.m, this.v]);
    this.t = state.step;
  }
}

export interface RmsPropOptions {
  learningRate?: number;
  /** Smoothing constant (torch's alpha). SB3's A2C: 0.99. */
  alpha?: number;
  /** SB3's A2C: rms_prop_eps = 1e-5. */
  eps?: number;
}

export class RmsProp implements Optimizer {
  learningRate: number;
  readonly alpha: number;
  readonly eps: number;
  private t = 0;
  private readonly sq: Float32Array[];

  constructor(readonly groups: ParamGroup[], opts: RmsPropOptions = {}) {
    checkGroups(groups);
    this.learningRate = opts.learningRate ?? 1e-2;
    this.alpha = opts.alpha ?? 0.99;
    this.eps = opts.eps ?? 1e-8;
    this.sq = groups.map((g) => new Float32Array(g.params.length));
  }

  step(): void {
    this.t++;
    const a = this.alpha;
    const lr = this.learningRate;
    const eps = this.eps;
    for (let k = 0; k < this.groups.length; k++) {
      const { params, grads } = this.groups[k];
      const sq = this.sq[k];
      for (let i = 0; i < params.length; i++) {
        const g = grads[i];
        const s = (sq[i] = a * sq[i] + (1 - a) * g * g);
        params[i] -= (lr * g) / (Math.sqrt(s) + eps);
      }
    }
  }

  zeroGrad(): void {
    for (const g of this.groups) g.grads.fill(0);
  }

  stateDict(): OptimizerState {
    return { kind: "rmsprop", step: this.t, buffers: this.sq.map(encodeFloat32) };
  }

  loadStateDict(state: OptimizerState): void {
    loadBuffers("rmsprop", state, this.groups, [this.sq]);
    this.t = state.step;
  }
}

function loadBuffers(kind: OptimizerState["kind"], state: OptimizerState, groups: readonly ParamGroup[], targets: Float32Array[][]): void {
  if (!state || state.kind !== kind) throw new Error(`optimizer: expected a ${kind} state, got ${state?.kind}`);
  const per = targets.length;
  if (!Array.isArray(state.buffers) || state.buffers.length !== groups.length * per) {
    throw new Error(`optimizer: state has ${state.buffers?.length} buffers, expected ${groups.length * per}`);
  }
  for (let k = 0; k < groups.length; k++) {
    for (let t = 0; t < per; t++) {
      const values = decodeFloat32(state.buffers[k * per + t]);
      if (values.length !== groups[k].params.length) throw new Error("optimizer: state buffer size does not match the parameters");
      targets[t][k].set(values);
    }
  }
}

/**
 * Scales all gradients so their global L2 norm is at most `maxNorm` (torch's clip_grad_norm_, including
 * its 1e-6 guard). Returns the norm before clipping.
 */
export function clipGradNorm(groups: readonly ParamGroup[], maxNorm: number): number {
  const norm = gradNorm(groups);
  const coef = maxNorm / (norm + 1e-6);
  if (coef < 1) {
    for (const { grads } of groups) for (let i = 0; i < grads.length; i++) grads[i] *= coef;
  }
  return norm;
}

/** Global L2 norm of the gradients (float64 sum of squares in group then index order). */
function gradNorm(groups: readonly ParamGroup[]): number {
  let sq = 0;
  for (const { grads } of groups) for (let i = 0; i < grads.length; i++) sq += grads[i] * grads[i];
  return Math.sqrt(sq);
}

/** State of a `ScalarAdam`: the step count and both moments. */
export interface ScalarAdamState {
  t: number;
  m: number;
  v: number;
}

/**
 * torch.optim.Adam on one float32 parameter held as a number (SAC's log entropy coefficient), every
 * operation rounded to float32 as torch's float32 tensors are, and the gradient taken at full precision.
 * (`Adam` over a one-element group would round differently: float64 arithmetic, float32 storage of the
 * gradient and moments, which changes SAC's seeded runs in the last bits.)
 */
export class ScalarAdam {
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

  stateDict(): ScalarAdamState {
    return { t: this.t, m: this.m, v: this.v };
  }

  loadStateDict(state: ScalarAdamState): void {
    if (!state || !Number.isInteger(state.t) || typeof state.m !== "number" || typeof state.v !== "number") {
      throw new Error(`ScalarAdam: expected a state {t, m, v}, got ${JSON.stringify(state)}`);
    }
    ({ t: this.t, m: this.m, v: this.v } = state);
  }
}
