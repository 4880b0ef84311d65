/**
 * The WebAssembly SIMD kernels behind the MLPs: `gemmABt` (C = A B^T, optionally added to C), a dense layer,
 * `gemmAxpy`, a whole network's backward pass in the module's memory (one copy in and out instead of several
 * per layer, bias sums and activation derivatives in SIMD too) and Adam's update. The module is compiled from
 * readable AssemblyScript, src/nn/wasm/kernels.ts, to the committed src/nn/wasm/kernels.wasm
 * (`npm run build:kernels`; a test checks the two match). Operands are copied into the module's memory for
 * each call (at RL sizes the copies are a few percent of the arithmetic). `wasmKernels()` returns null when
 * the runtime lacks SIMD.
 */
import { readFileSync } from "node:fs";
import { packagePath } from "../core/paths.js";

type Gemm = (a: Float32Array, aOff: number, b: Float32Array, bOff: number, c: Float32Array, cOff: number, R: number, N: number, K: number, accumulate: boolean) => void;

/**
 * A dense layer in one call: Y (R x N) = act(X (R x K) W^T + bias), W (N x K) read at `wOff`, bias at `bOff`
 * of the same array.
 */
export type Dense = (x: Float32Array, p: Float32Array, wOff: number, bOff: number, y: Float32Array, R: number, N: number, K: number, activation: "tanh" | "relu" | "identity") => void;

/** C (R x N) (+)= op(A) B: op(A) = A (R x K) at aOff, or A^T of A stored K x R when `transA`; B stored K x N. */
export type GemmAxpy = (a: Float32Array, aOff: number, transA: boolean, b: Float32Array, bOff: number, c: Float32Array, cOff: number, R: number, N: number, K: number, accumulate: boolean) => void;

/**
 * A whole MLP backward pass in one call, inside the module's memory (no copy per layer): accumulates
 * dLoss/dparams into `grads` and, when `inputGrad` is given, writes dLoss/dinput into it. `sizes`, `wOffset`
 * and `bOffset` describe the flat parameter layout; `acts[l]` (l = 1..L-1) are the hidden outputs of the
 * last forward (post-activation), `input` its input and `dOut` (B x sizes[L]) dLoss/doutput.
 */
export type MlpBackward = (
  sizes: readonly number[], wOffset: readonly number[], bOffset: readonly number[],
  params: Float32Array, grads: Float32Array, input: Float32Array, acts: readonly Float32Array[], dOut: Float32Array,
  B: number, activation: "tanh" | "relu" | "identity", inputGrad: Float32Array | null,
) => void;

/**
 * One Adam update of a parameter group in float64 lanes, exactly as `Adam.step` computes it (see adamStep in wasm/kernels.ts);
 * `gradScale` !== 1 first scales the gradients (rounded to float32 and written back), as gradient clipping does.
 */
export type AdamUpdate = (
  params: Float32Array, grads: Float32Array, m: Float32Array, v: Float32Array, gradScale: number,
  beta1: number, beta2: number, stepSize: number, bc2Sqrt: number, eps: number,
) => void;

export interface WasmKernels {
  adamUpdate: AdamUpdate;
  gemm: Gemm;
  dense: Dense;
  gemmAxpy: GemmAxpy;
  mlpBackward: MlpBackward;
}

/** The compiled module's bytes (src/nn/wasm/kernels.wasm). */
export function gemmModuleBytes(): Uint8Array {
  return readFileSync(packagePath("src", "nn", "wasm", "kernels.wasm"));
}

let cached: WasmKernels | null | undefined;

/** The SIMD kernels, or null when WebAssembly SIMD is unavailable (or GUIDED_RL_NO_WASM_GEMM=1). */
export function wasmKernels(): WasmKernels | null {
  if (cached !== undefined) return cached;
  cached = null;
  if (process.env.GUIDED_RL_NO_WASM_GEMM === "1") return null;
  try {
    const bytes = gemmModuleBytes();
    if (!WebAssembly.validate(bytes)) return null;
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
    const memory = instance.exports.memory as WebAssembly.Memory;
    const gemm = instance.exports.gemm as (a: number, b: number, c: number, R: number, N: number, K: number, acc: number) => void;
    const biasAct = instance.exports.biasAct as (c: number, bias: number, R: number, N: number, act: number) => void;
    const axpy = instance.exports.gemmAxpy as (a: number, b: number, c: number, R: number, N: number, K: number, acc: number, trans: number) => void;
    const biasGrad = instance.exports.biasGrad as (d: number, gb: number, R: number, N: number) => void;
    const actGrad = instance.exports.actGrad as (d: number, x: number, n: number, act: number) => void;
    const adamStep = instance.exports.adamStep as (p: number, g: number, m: number, v: number, n: number, scaleOn: number,
      scale: number, b1: number, omb1: number, b2: number, omb2: number, stepSize: number, bc2Sqrt: number, eps: number) => void;
    let heap = new Float32Array(memory.buffer);
    const reserve = (floats: number) => {
      if (floats > heap.length) {
        memory.grow(Math.ceil((floats * 4 - memory.buffer.byteLength) / 65536));
        heap = new Float32Array(memory.buffer);
      }
    };
    cached = {
      gemm(a, aOff, b, bOff, c, cOff, R, N, K, accumulate) {
        const na = R * K, nb = N * K, nc = R * N;
        reserve(na + nb + nc);
        heap.set(a.subarray(aOff, aOff + na), 0);
        heap.set(b.subarray(bOff, bOff + nb), na);
        const cStart = na + nb;
        if (accumulate) heap.set(c.subarray(cOff, cOff + nc), cStart);
        gemm(0, na * 4, cStart * 4, R, N, K, accumulate ? 1 : 0);
        c.set(heap.subarray(cStart, cStart + nc), cOff);
      },
      gemmAxpy(a, aOff, transA, b, bOff, c, cOff, R, N, K, accumulate) {
        const na = R * K, nb = K * N, nc = R * N;
        reserve(na + nb + nc);
        heap.set(a.subarray(aOff, aOff + na), 0);
        heap.set(b.subarray(bOff, bOff + nb), na);
        const cStart = na + nb;
        if (accumulate) heap.set(c.subarray(cOff, cOff + nc), cStart);
        axpy(0, na * 4, cStart * 4, R, N, K, accumulate ? 1 : 0, transA ? 1 : 0);
        c.set(heap.subarray(cStart, cStart + nc), cOff);
      },
      adamUpdate(params, grads, m, v, gradScale, beta1, beta2, stepSize, bc2Sqrt, eps) {
        const n = params.length;
        const stride = n + (n & 1); // two lanes at a time: an odd group gets one padding element per array
        reserve(4 * stride);
        const arrays = [params, grads, m, v];
        for (let i = 0; i < 4; i++) {
          heap.set(arrays[i], i * stride);
          if (stride > n) heap[i * stride + n] = 0;
        }
        const scaleOn = gradScale !== 1 ? 1 : 0;
        adamStep(0, stride * 4, 2 * stride * 4, 3 * stride * 4, stride, scaleOn, gradScale, beta1, 1 - beta1, beta2, 1 - beta2, stepSize, bc2Sqrt, eps);
        params.set(heap.subarray(0, n));
        if (scaleOn) grads.set(heap.subarray(stride, stride + n));
        m.set(heap.subarray(2 * stride, 2 * stride + n));
        v.set(heap.subarray(3 * stride, 3 * stride + n));
      },
      mlpBackward(sizes, wOffset, bOffset, params, grads, input, acts, dOut, B, activation, inputGrad) {
        const L = sizes.length - 1;
        const P = params.length;
        let maxWidth = 0;
        for (const s of sizes) if (s > maxWidth) maxWidth = s;
        // layout (floats): params | grads | input | acts[1..L-1] | delta | deltaPrev
        const gStart = P;
        const xStart: number[] = [2 * P];
        let end = 2 * P + B * sizes[0];
        for (let l = 1; l < L; l++) {
          xStart.push(end);
          end += B * sizes[l];
        }
        let delta = end;
        let deltaPrev = end + B * maxWidth;
        reserve(deltaPrev + B * maxWidth);
        heap.set(params, 0);
        heap.set(grads, gStart);
        heap.set(input.subarray(0, B * sizes[0]), xStart[0]);
        for (let l = 1; l < L; l++) heap.set(acts[l].subarray(0, B * sizes[l]), xStart[l]);
        heap.set(dOut.subarray(0, B * sizes[L]), delta);
        const act = activation === "tanh" ? 1 : activation === "relu" ? 2 : 0;
        let l = L - 1;
        for (; l >= 0; l--) {
          const nin = sizes[l];
          const nout = sizes[l + 1];
          // db += column sums of delta;  dW (nout x nin) += delta^T X;  dX (B x nin) = delta W
          biasGrad(delta * 4, (gStart + bOffset[l]) * 4, B, nout);
          axpy(delta * 4, xStart[l] * 4, (gStart + wOffset[l]) * 4, nout, nin, B, 1, 1);
          if (l === 0 && !inputGrad) break;
          axpy(delta * 4, wOffset[l] * 4, deltaPrev * 4, B, nin, nout, 0, 0);
          if (l > 0 && act !== 0) actGrad(deltaPrev * 4, xStart[l] * 4, B * nin, act);
          const t = delta;
          delta = deltaPrev;
          deltaPrev = t;
        }
        grads.set(heap.subarray(gStart, gStart + P));
        if (inputGrad) inputGrad.set(heap.subarray(delta, delta + B * sizes[0]));
      },
      dense(x, p, wOff, bOff, y, R, N, K, activation) {
        const nx = R * K, nw = N * K, ny = R * N;
        reserve(nx + nw + N + ny);
        heap.set(x.subarray(0, nx), 0);
        heap.set(p.subarray(wOff, wOff + nw), nx);
        heap.set(p.subarray(bOff, bOff + N), nx + nw);
        const yStart = nx + nw + N;
        gemm(0, nx * 4, yStart * 4, R, N, K, 0);
        biasAct(yStart * 4, (nx + nw) * 4, R, N, activation === "tanh" ? 1 : activation === "relu" ? 2 : 0);
        y.set(heap.subarray(yStart, yStart + ny), 0);
      },
    };
  } catch {
    cached = null;
  }
  return cached;
}

/** The SIMD A*B^T product, or null when unavailable. */
export function wasmGemm(): Gemm | null {
  return wasmKernels()?.gemm ?? null;
}
