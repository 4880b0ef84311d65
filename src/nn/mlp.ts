/**
 * A multi-layer perceptron on plain Float32Arrays: forward, backward and parameter storage in one flat
 * array, written for the small networks of RL (tens to hundreds of units) at the minibatch sizes of rl-zoo.
 *
 * Why not tfjs: at batch 64 a tfjs Adam step on the wasm backend costs ~3 ms, almost all of it per-op
 * dispatch; these loops do the same arithmetic without dispatch (see bench/train.ts --kernel). The layout
 * is PyTorch's (weight: out x in, row-major), so all three products are one primitive, C = A B^T over
 * contiguous rows (gemm-wasm.ts: WebAssembly SIMD; gemm.ts: the plain-JS fallback):
 * y = x W^T + b forward; dW = dY^T X and dX = dY W through transposed scratch copies (the SIMD path runs the
 * whole backward pass in the module's memory: `mlpBackward`). A network built with `backend: "native"` runs
 * its products through the optional native OpenBLAS addon instead (native.ts), when it is built: worth it
 * for wide layers (SAC's 256 units), where the products dominate.
 */
import { decodeFloat32, encodeFloat32 } from "./serialize.js";
import { gemmABt } from "./gemm.js";
import { wasmKernels } from "./gemm-wasm.js";
import { orthogonal, torchDefaultUniform } from "./init.js";
import type { Random } from "./random.js";
import { nativeBlas, type GemmBackend, type GemmCall, type NativeBlas } from "./native.js";

/** The fastest available A*B^T product: WebAssembly SIMD when the runtime has it, else plain JS. */
const kernels = wasmKernels();
const gemm = kernels?.gemm ?? gemmABt;

export type Activation = "tanh" | "relu" | "identity";

export interface MlpSpec {
  /** Layer widths including input and output, e.g. [obsDim, 64, 64, nActions]. */
  sizes: number[];
  /** Activation of the hidden layers; the output layer is linear. */
  activation: Activation;
  /**
   * Which kernels run the products: "default" (WebAssembly SIMD, else plain JS) or "native" (the native
   * BLAS addon when it is built and enabled, else the default kernels; see native.ts).
   */
  backend?: "default" | "native";
}

export interface MlpInit {
  rng: Random;
  /** "orthogonal" (SB3 ortho_init) or "torch" (nn.Linear default uniform). Default orthogonal. */
  init?: "orthogonal" | "torch";
  /** Orthogonal gain of hidden layers; SB3 uses sqrt(2). */
  hiddenGain?: number;
  /** Orthogonal gain of the output layer; SB3 uses 0.01 for policy heads and 1 for value heads. */
  outputGain?: number;
}

/** JSON form of a network: its spec and base64 float32 parameters. */
export interface MlpJSON {
  sizes: number[];
  activation: Activation;
  params: string;
}

interface Workspace {
  capacity: number;
  /** acts[0] is unused (the input is referenced); acts[l] is the output of layer l (post-activation). */
  acts: Float32Array[];
  input: Float32Array;
}

export class Mlp {
  readonly sizes: readonly number[];
  readonly activation: Activation;
  /** All weights and biases: per layer W (out x in) then b (out). */
  readonly params: Float32Array;
  /** Gradients, same layout; `backward` accumulates into them. */
  readonly grads: Float32Array;
  private readonly wOffset: number[] = [];
  private readonly bOffset: number[] = [];
  private train: Workspace;
  private infer: Workspace;
  private lastBatch = 0;
  // Backward scratch
  private wT = new Float32Array(0);
  private xT = new Float32Array(0);
  private dT = new Float32Array(0);
  private delta = new Float32Array(0);
  private deltaPrev = new Float32Array(0);
  // inputGradient scratch
  private gradA = new Float32Array(0);
  private gradB = new Float32Array(0);
  private readonly native: NativeBlas | null;

  constructor(spec: MlpSpec) {
    const { sizes, activation } = spec;
    if (!Array.isArray(sizes) || sizes.length < 2 || sizes.some((s) => !Number.isInteger(s) || s <= 0)) {
      throw new Error(`Mlp: sizes must be >= 2 positive integers, got ${JSON.stringify(sizes)}`);
    }
    if (activation !== "tanh" && activation !== "relu" && activation !== "identity") {
      throw new Error(`Mlp: unknown activation "${activation}" (tanh | relu | identity)`);
    }
    if (spec.backend !== undefined && spec.backend !== "default" && spec.backend !== "native") {
      throw new Error(`Mlp: unknown backend "${spec.backend}" (default | native)`);
    }
    this.sizes = sizes.slice();
    this.activation = activation;
    this.native = spec.backend === "native" ? nativeBlas() : null;
    let n = 0;
    for (let l = 0; l + 1 < sizes.length; l++) {
      this.wOffset.push(n);
      n += sizes[l] * sizes[l + 1];
      this.bOffset.push(n);
      n += sizes[l + 1];
    }
    this.params = new Float32Array(n);
    this.grads = new Float32Array(n);
    this.train = this.makeWorkspace(0);
    this.infer = this.makeWorkspace(0);
  }

  /** A network initialised like Stable-Baselines3 (orthogonal weights, zero biases) or like torch's default. */
  static create(spec: MlpSpec, init: MlpInit): Mlp {
    const net = new Mlp(spec);
    const L = net.numLayers;
    for (let l = 0; l < L; l++) {
      const fanIn = net.sizes[l];
      const fanOut = net.sizes[l + 1];
      if ((init.init ?? "orthogonal") === "orthogonal") {
        const gain = l === L - 1 ? init.outputGain ?? 1 : init.hiddenGain ?? Math.SQRT2;
        net.params.set(orthogonal(fanOut, fanIn, gain, init.rng), net.wOffset[l]);
      } else {
        net.params.set(torchDefaultUniform(fanOut * fanIn, fanIn, init.rng), net.wOffset[l]);
        net.params.set(torchDefaultUniform(fanOut, fanIn, init.rng), net.bOffset[l]);
      }
    }
    return net;
  }

  /** The kernels that run this network's products. */
  get gemmBackend(): GemmBackend {
    return this.native ? "native" : kernels ? "wasm" : "js";
  }

  get numLayers(): number {
    return this.sizes.length - 1;
  }
  get inputSize(): number {
    return this.sizes[0];
  }
  get outputSize(): number {
    return this.sizes[this.sizes.length - 1];
  }

  /** Weight matrix of layer l (out x in), a view into `params`. */
  weight(l: number): Float32Array {
    return this.params.subarray(this.wOffset[l], this.bOffset[l]);
  }
  bias(l: number): Float32Array {
    return this.params.subarray(this.bOffset[l], this.bOffset[l] + this.sizes[l + 1]);
  }

  zeroGrad(): void {
    this.grads.fill(0);
  }

  /**
   * Training forward pass over `batch` rows of `x` (batch x inputSize, row-major). Keeps the activations
   * (and a reference to `x`: don't modify it before `backward`). The returned array is scratch space,
   * valid until the next `forward`.
   */
  forward(x: Float32Array, batch: number): Float32Array {
    this.checkInput(x, batch);
    if (batch > this.train.capacity) this.train = this.makeWorkspace(batch);
    this.train.input = x;
    this.lastBatch = batch;
    return this.run(x, batch, this.train);
  }

  /** Inference-only forward pass; uses its own scratch space, so it doesn't disturb a pending backward. */
  predict(x: Float32Array, batch: number): Float32Array {
    this.checkInput(x, batch);
    if (batch > this.infer.capacity) this.infer = this.makeWorkspace(batch);
    return this.run(x, batch, this.infer);
  }

  /**
   * Backpropagates `dOut` (batch x outputSize, dLoss/dOutput for the rows of the last `forward`) and adds
   * the parameter gradients to `grads` (or, with `accumulate` false, writes them there: the same as
   * `zeroGrad()` first, which the native kernels do without a separate pass). Returns dLoss/dInput when
   * `inputGrad` is set (scratch space).
   */
  backward(dOut: Float32Array, inputGrad = false, accumulate = true): Float32Array | undefined {
    if (!accumulate && !this.native) this.zeroGrad();
    const B = this.lastBatch;
    if (B === 0) throw new Error("Mlp.backward: call forward first");
    const L = this.numLayers;
    if (dOut.length < B * this.outputSize) {
      throw new Error(`Mlp.backward: dOut has ${dOut.length} values, expected ${B * this.outputSize}`);
    }
    if (this.native) return this.backwardNative(dOut, B, inputGrad, accumulate);
    if (kernels) return this.backwardWasm(dOut, B, inputGrad);
    const maxWidth = Math.max(...this.sizes);
    if (this.delta.length < B * maxWidth) {
      this.delta = new Float32Array(B * maxWidth);
      this.deltaPrev = new Float32Array(B * maxWidth);
      this.xT = new Float32Array(B * maxWidth);
      this.dT = new Float32Array(B * maxWidth);
    }
    if (this.wT.length < maxWidth * maxWidth) this.wT = new Float32Array(maxWidth * maxWidth);
    let delta = this.delta;
    let deltaPrev = this.deltaPrev;
    delta.set(dOut.subarray(0, B * this.outputSize));
    const p = this.params;
    const g = this.grads;
    const xT = this.xT;
    const dT = this.dT;
    const wT = this.wT;
    for (let l = L - 1; l >= 0; l--) {
      const nin = this.sizes[l];
      const nout = this.sizes[l + 1];
      const x = l === 0 ? this.train.input : this.train.acts[l];
      const wo = this.wOffset[l];
      const bo = this.bOffset[l];
      // Transposes: dT (nout x B), xT (nin x B).
      for (let b = 0; b < B; b++) {
        const rowD = b * nout;
        for (let j = 0; j < nout; j++) dT[j * B + b] = delta[rowD + j];
        const rowX = b * nin;
        for (let i = 0; i < nin; i++) xT[i * B + b] = x[rowX + i];
      }
      // dW (nout x nin) += dT (nout x B) * xT (nin x B)^T;  db[j] += sum_b dT[j,b]
      for (let j = 0; j < nout; j++) {
        const dj = j * B;
        let sb = 0;
        for (let b = 0; b < B; b++) sb += dT[dj + b];
        g[bo + j] += sb;
      }
      gemm(dT, 0, xT, 0, g, wo, nout, nin, B, true);
      if (l === 0 && !inputGrad) break;
      // dX[b,i] = sum_j delta[b,j] W[j,i] through wT (nin x nout)
      for (let j = 0; j < nout; j++) {
        const wrow = wo + j * nin;
        for (let i = 0; i < nin; i++) wT[i * nout + j] = p[wrow + i];
      }
      // dX (B x nin) = delta (B x nout) * wT (nin x nout)^T
      gemm(delta, 0, wT, 0, deltaPrev, 0, B, nin, nout, false);
      if (l > 0) {
        // Through the hidden activation: x holds post-activation values of layer l.
        const n = B * nin;
        if (this.activation === "tanh") {
          for (let k = 0; k < n; k++) deltaPrev[k] *= 1 - x[k] * x[k];
        } else if (this.activation === "relu") {
          for (let k = 0; k < n; k++) if (x[k] <= 0) deltaPrev[k] = 0;
        }
      }
      const t = delta;
      delta = deltaPrev;
      deltaPrev = t;
    }
    if (!inputGrad) return undefined;
    return delta.subarray(0, B * this.inputSize);
  }

  /**
   * dLoss/dInput (batch x inputSize, scratch space) for the rows of the last `forward`, given dOut: the
   * backward pass through the activations only, without the parameter gradients (`grads` is untouched).
   * E.g. SAC's actor update differentiates the critics with respect to the action, not their weights.
   */
  inputGradient(dOut: Float32Array): Float32Array {
    const B = this.lastBatch;
    if (B === 0) throw new Error("Mlp.inputGradient: call forward first");
    if (dOut.length < B * this.outputSize) {
      throw new Error(`Mlp.inputGradient: dOut has ${dOut.length} values, expected ${B * this.outputSize}`);
    }
    const maxWidth = Math.max(...this.sizes);
    if (this.gradA.length < B * maxWidth) {
      this.gradA = new Float32Array(B * maxWidth);
      this.gradB = new Float32Array(B * maxWidth);
    }
    let delta = dOut;
    for (let l = this.numLayers - 1; l >= 0; l--) {
      const nin = this.sizes[l];
      const nout = this.sizes[l + 1];
      const wo = this.wOffset[l];
      const next = delta === this.gradA ? this.gradB : this.gradA;
      // dX (B x nin) = delta (B x nout) W (nout x nin)
      if (this.native) this.native.gemm([false, false, B, nin, nout, 1, delta, 0, nout, this.params, wo, nin, 0, next, 0, nin]);
      else if (kernels) kernels.gemmAxpy(delta, 0, false, this.params, wo, next, 0, B, nin, nout, false);
      else {
        if (this.wT.length < nin * nout) this.wT = new Float32Array(maxWidth * maxWidth);
        const wT = this.wT;
        for (let j = 0; j < nout; j++) for (let i = 0; i < nin; i++) wT[i * nout + j] = this.params[wo + j * nin + i];
        gemm(delta, 0, wT, 0, next, 0, B, nin, nout, false);
      }
      if (l > 0) this.activationGrad(next, this.train.acts[l], B * nin);
      delta = next;
    }
    return delta.subarray(0, B * this.inputSize);
  }

  /** d *= f'(.) through the hidden activation, given its outputs x (n values). */
  private activationGrad(d: Float32Array, x: Float32Array, n: number): void {
    if (this.native) {
      this.native.actGrad(d, x, n, this.activation);
    } else if (this.activation === "tanh") {
      for (let k = 0; k < n; k++) d[k] *= 1 - x[k] * x[k];
    } else if (this.activation === "relu") {
      for (let k = 0; k < n; k++) if (x[k] <= 0) d[k] = 0;
    }
  }

  /** `backward` on the native BLAS: per layer db, dW = delta^T X, dX = delta W, straight on the arrays (no copies). */
  private backwardNative(dOut: Float32Array, B: number, inputGrad: boolean, accumulate: boolean): Float32Array | undefined {
    const blas = this.native!;
    const maxWidth = Math.max(...this.sizes);
    if (this.delta.length < B * maxWidth) {
      this.delta = new Float32Array(B * maxWidth);
      this.deltaPrev = new Float32Array(B * maxWidth);
    }
    let delta = dOut;
    for (let l = this.numLayers - 1; l >= 0; l--) {
      const nin = this.sizes[l];
      const nout = this.sizes[l + 1];
      const x = l === 0 ? this.train.input : this.train.acts[l];
      const next = delta === this.delta ? this.deltaPrev : this.delta;
      if (!accumulate) this.grads.fill(0, this.bOffset[l], this.bOffset[l] + nout);
      blas.biasGrad(delta, B, nout, this.grads, this.bOffset[l]);
      // dW (nout x nin) (+)= delta^T (nout x B) X (B x nin)
      blas.gemm([true, false, nout, nin, B, 1, delta, 0, nout, x, 0, nin, accumulate ? 1 : 0, this.grads, this.wOffset[l], nin]);
      if (l === 0 && !inputGrad) return undefined;
      // dX (B x nin) = delta (B x nout) W (nout x nin)
      blas.gemm([false, false, B, nin, nout, 1, delta, 0, nout, this.params, this.wOffset[l], nin, 0, next, 0, nin]);
      if (l > 0) blas.actGrad(next, x, B * nin, this.activation);
      delta = next;
    }
    return delta.subarray(0, B * this.inputSize);
  }

  /** `backward` with the whole pass inside the SIMD module (same arithmetic, bit for bit). */
  private backwardWasm(dOut: Float32Array, B: number, inputGrad: boolean): Float32Array | undefined {
    let out: Float32Array | null = null;
    if (inputGrad) {
      if (this.delta.length < B * this.inputSize) this.delta = new Float32Array(B * Math.max(...this.sizes));
      out = this.delta.subarray(0, B * this.inputSize);
    }
    kernels!.mlpBackward(this.sizes, this.wOffset, this.bOffset, this.params, this.grads, this.train.input, this.train.acts, dOut, B, this.activation, out);
    return out ?? undefined;
  }

  // -------------------------------------------------------------------------------------------------
  // Twin networks (e.g. SAC's two critics): the same operation on two networks of the same sizes. On the
  // native kernels with two or more threads allowed (GUIDED_RL_NATIVE_THREADS), each pair of products runs
  // concurrently, one per thread (each bit for bit its one-thread product); otherwise one after the other.
  // -------------------------------------------------------------------------------------------------

  /** `a.forward(xa, batch)` and `b.forward(xb, batch)`. */
  static forwardPair(a: Mlp, xa: Float32Array, b: Mlp, xb: Float32Array, batch: number): [Float32Array, Float32Array] {
    if (!Mlp.pairable(a, b)) return [a.forward(xa, batch), b.forward(xb, batch)];
    for (const [net, x] of [[a, xa], [b, xb]] as const) {
      net.checkInput(x, batch);
      if (batch > net.train.capacity) net.train = net.makeWorkspace(batch);
      net.train.input = x;
      net.lastBatch = batch;
    }
    return Mlp.runPair(a, xa, a.train, b, xb, b.train, batch);
  }

  /** `a.predict(xa, batch)` and `b.predict(xb, batch)`. */
  static predictPair(a: Mlp, xa: Float32Array, b: Mlp, xb: Float32Array, batch: number): [Float32Array, Float32Array] {
    if (!Mlp.pairable(a, b)) return [a.predict(xa, batch), b.predict(xb, batch)];
    for (const [net, x] of [[a, xa], [b, xb]] as const) {
      net.checkInput(x, batch);
      if (batch > net.infer.capacity) net.infer = net.makeWorkspace(batch);
    }
    return Mlp.runPair(a, xa, a.infer, b, xb, b.infer, batch);
  }

  /** `a.backward(dA, false, accumulate)` and `b.backward(dB, false, accumulate)` (parameter gradients only). */
  static backwardPair(a: Mlp, dA: Float32Array, b: Mlp, dB: Float32Array, accumulate = true): void {
    if (!Mlp.pairable(a, b) || a.lastBatch !== b.lastBatch) {
      a.backward(dA, false, accumulate);
      b.backward(dB, false, accumulate);
      return;
    }
    const B = a.lastBatch;
    if (B === 0) throw new Error("Mlp.backwardPair: call forward first");
    const blas = a.native!;
    const deltas = Mlp.pairDeltas(a, dA, b, dB, B);
    for (let l = a.numLayers - 1; l >= 0; l--) {
      const nin = a.sizes[l];
      const nout = a.sizes[l + 1];
      const calls: GemmCall[] = [];
      for (const [net, delta] of [[a, deltas.a], [b, deltas.b]] as const) {
        if (!accumulate) net.grads.fill(0, net.bOffset[l], net.bOffset[l] + nout);
        blas.biasGrad(delta, B, nout, net.grads, net.bOffset[l]);
        const x = l === 0 ? net.train.input : net.train.acts[l];
        calls.push([true, false, nout, nin, B, 1, delta, 0, nout, x, 0, nin, accumulate ? 1 : 0, net.grads, net.wOffset[l], nin]);
      }
      blas.sgemmPair(calls[0], calls[1]);
      if (l === 0) break;
      Mlp.pairInputStep(a, b, deltas, l, B);
    }
  }

  /** `a.inputGradient(dA)` and `b.inputGradient(dB)` (each scratch space of its network). */
  static inputGradientPair(a: Mlp, dA: Float32Array, b: Mlp, dB: Float32Array): [Float32Array, Float32Array] {
    if (!Mlp.pairable(a, b) || a.lastBatch !== b.lastBatch) return [a.inputGradient(dA), b.inputGradient(dB)];
    const B = a.lastBatch;
    if (B === 0) throw new Error("Mlp.inputGradientPair: call forward first");
    const deltas = Mlp.pairDeltas(a, dA, b, dB, B);
    for (let l = a.numLayers - 1; l >= 0; l--) Mlp.pairInputStep(a, b, deltas, l, B);
    return [deltas.a.subarray(0, B * a.inputSize), deltas.b.subarray(0, B * b.inputSize)];
  }

  private static pairable(a: Mlp, b: Mlp): boolean {
    if (a === b) throw new Error("Mlp pair operations need two different networks");
    return a.native !== null && b.native !== null && a.native.threads() >= 2 && a.activation === b.activation && a.sizes.join() === b.sizes.join();
  }

  /** Scratch for the pair backward passes: each network's current delta (starting at its dOut). */
  private static pairDeltas(a: Mlp, dA: Float32Array, b: Mlp, dB: Float32Array, B: number): { a: Float32Array; b: Float32Array } {
    for (const [net, d] of [[a, dA], [b, dB]] as const) {
      if (d.length < B * net.outputSize) throw new Error(`Mlp: dOut has ${d.length} values, expected ${B * net.outputSize}`);
      const maxWidth = Math.max(...net.sizes);
      if (net.gradA.length < B * maxWidth) {
        net.gradA = new Float32Array(B * maxWidth);
        net.gradB = new Float32Array(B * maxWidth);
      }
    }
    return { a: dA, b: dB };
  }

  /** dX = delta W through layer l for both networks (then the activation derivative below it), in place of `deltas`. */
  private static pairInputStep(a: Mlp, b: Mlp, deltas: { a: Float32Array; b: Float32Array }, l: number, B: number): void {
    const blas = a.native!;
    const nin = a.sizes[l];
    const nout = a.sizes[l + 1];
    const next = (net: Mlp, delta: Float32Array) => (delta === net.gradA ? net.gradB : net.gradA);
    const nextA = next(a, deltas.a);
    const nextB = next(b, deltas.b);
    blas.sgemmPair(
      [false, false, B, nin, nout, 1, deltas.a, 0, nout, a.params, a.wOffset[l], nin, 0, nextA, 0, nin],
      [false, false, B, nin, nout, 1, deltas.b, 0, nout, b.params, b.wOffset[l], nin, 0, nextB, 0, nin],
    );
    if (l > 0) {
      blas.actGrad(nextA, a.train.acts[l], B * nin, a.activation);
      blas.actGrad(nextB, b.train.acts[l], B * nin, b.activation);
    }
    deltas.a = nextA;
    deltas.b = nextB;
  }

  private static runPair(a: Mlp, xa: Float32Array, wsA: Workspace, b: Mlp, xb: Float32Array, wsB: Workspace, B: number): [Float32Array, Float32Array] {
    const blas = a.native!;
    const L = a.numLayers;
    let inA = xa, inB = xb;
    for (let l = 0; l < L; l++) {
      const nin = a.sizes[l];
      const nout = a.sizes[l + 1];
      const outA = wsA.acts[l + 1], outB = wsB.acts[l + 1];
      blas.sgemmPair(
        [false, true, B, nout, nin, 1, inA, 0, nin, a.params, a.wOffset[l], nin, 0, outA, 0, nout],
        [false, true, B, nout, nin, 1, inB, 0, nin, b.params, b.wOffset[l], nin, 0, outB, 0, nout],
      );
      const act = l < L - 1 ? a.activation : "identity";
      blas.biasAct(outA, B, nout, a.params, a.bOffset[l], act);
      blas.biasAct(outB, B, nout, b.params, b.bOffset[l], act);
      inA = outA;
      inB = outB;
    }
    const n = B * a.outputSize;
    return [wsA.acts[L].subarray(0, n), wsB.acts[L].subarray(0, n)];
  }

  /** Copies the parameters of a network of the same shape. */
  copyFrom(other: Mlp): void {
    this.assertSameShape(other);
    this.params.set(other.params);
  }

  /** Polyak averaging: params = (1 - tau) params + tau * other.params (SB3 `polyak_update`). */
  polyakUpdate(other: Mlp, tau: number): void {
    this.assertSameShape(other);
    if (this.native) return this.native.polyak(this.params, other.params, tau);
    const p = this.params;
    const q = other.params;
    for (let i = 0; i < p.length; i++) p[i] = p[i] * (1 - tau) + q[i] * tau;
  }

  toJSON(): MlpJSON {
    return { sizes: this.sizes.slice(), activation: this.activation, params: encodeFloat32(this.params) };
  }

  static fromJSON(json: MlpJSON): Mlp {
    if (!json || !Array.isArray(json.sizes) || typeof json.params !== "string") {
      throw new Error("Mlp.fromJSON: expected {sizes, activation, params}");
    }
    const net = new Mlp({ sizes: json.sizes, activation: json.activation });
    net.loadParams(decodeFloat32(json.params));
    return net;
  }

  loadParams(values: Float32Array): void {
    if (values.length !== this.params.length) {
      throw new Error(`Mlp: expected ${this.params.length} parameters for sizes ${this.sizes.join("x")}, got ${values.length}`);
    }
    this.params.set(values);
  }

  private assertSameShape(other: Mlp): void {
    if (other.params.length !== this.params.length || other.sizes.join() !== this.sizes.join()) {
      throw new Error(`Mlp: shape mismatch ${this.sizes.join("x")} vs ${other.sizes.join("x")}`);
    }
  }

  private checkInput(x: Float32Array, batch: number): void {
    if (!Number.isInteger(batch) || batch <= 0) throw new Error(`Mlp: batch must be a positive integer, got ${batch}`);
    if (x.length < batch * this.inputSize) {
      throw new Error(`Mlp: input has ${x.length} values, expected batch ${batch} x ${this.inputSize}`);
    }
  }

  private makeWorkspace(capacity: number): Workspace {
    return {
      capacity,
      acts: this.sizes.map((s, l) => (l === 0 ? new Float32Array(0) : new Float32Array(capacity * s))),
      input: new Float32Array(0),
    };
  }

  private run(x: Float32Array, B: number, ws: Workspace): Float32Array {
    const L = this.numLayers;
    const p = this.params;
    let input = x;
    for (let l = 0; l < L; l++) {
      const nin = this.sizes[l];
      const nout = this.sizes[l + 1];
      const out = ws.acts[l + 1];
      const wo = this.wOffset[l];
      const bo = this.bOffset[l];
      // Y (B x nout) = act(X (B x nin) * W (nout x nin)^T + b)
      const hidden = l < L - 1;
      if (this.native) {
        this.native.gemm([false, true, B, nout, nin, 1, input, 0, nin, p, wo, nin, 0, out, 0, nout]);
        this.native.biasAct(out, B, nout, p, bo, hidden ? this.activation : "identity");
      } else if (kernels) {
        kernels.dense(input, p, wo, bo, out, B, nout, nin, hidden ? this.activation : "identity");
      } else {
        gemm(input, 0, p, wo, out, 0, B, nout, nin, false);
        for (let b = 0; b < B; b++) {
          const row = b * nout;
          for (let j = 0; j < nout; j++) out[row + j] += p[bo + j];
        }
        if (hidden) {
          const n = B * nout;
          if (this.activation === "tanh") {
            for (let k = 0; k < n; k++) out[k] = Math.tanh(out[k]);
          } else if (this.activation === "relu") {
            for (let k = 0; k < n; k++) if (out[k] < 0) out[k] = 0;
          }
        }
      }
      input = out;
    }
    const final = ws.acts[L];
    return final.length === B * this.outputSize ? final : final.subarray(0, B * this.outputSize);
  }
}
