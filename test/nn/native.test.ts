import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { Adam, Mlp, Random, nativeAddonPath } from "../../src/nn/index.js";
import { gemmABt } from "../../src/nn/gemm.js";
import { wasmKernels } from "../../src/nn/gemm-wasm.js";
import type { GemmCall } from "../../src/nn/native.js";
import { nativeOrSkip } from "./native-available.js";

function randomArray(n: number, rng: Random): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.normal();
  return out;
}

/**
 * Float64 reference of C = alpha op(A) op(B) + beta C0 and, per element, sum_k |a_ik b_kj| (+ |beta c0|):
 * the scale of float32 rounding error for any summation order.
 */
function reference(transA: boolean, transB: boolean, M: number, N: number, K: number, alpha: number,
  A: Float32Array, aOff: number, lda: number, B: Float32Array, bOff: number, ldb: number, beta: number, C0: Float32Array, cOff: number, ldc: number) {
  const value = new Float64Array(M * N);
  const scale = new Float64Array(M * N);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0, a = 0;
      for (let k = 0; k < K; k++) {
        const x = transA ? A[aOff + k * lda + i] : A[aOff + i * lda + k];
        const y = transB ? B[bOff + j * ldb + k] : B[bOff + k * ldb + j];
        s += x * y;
        a += Math.abs(x * y);
      }
      const c = C0[cOff + i * ldc + j];
      value[i * N + j] = alpha * s + beta * c;
      scale[i * N + j] = Math.abs(alpha) * a + Math.abs(beta * c);
    }
  }
  return { value, scale };
}

// Float32 sums of K products in any order are within ~K * 2^-24 * sum|terms| of the exact value (a loose
// worst case; blocked BLAS summation is usually far closer). Use that bound with K floored at 8.
const bound = (K: number, scale: number) => Math.max(K, 8) * 2 ** -23 * scale + 1e-30;

test("native sgemm equals the float64 product within float32 summation error: transposes, odd sizes, offsets, leading dimensions, views", (t) => {
  const blas = nativeOrSkip(t);
  if (!blas) return;
  const rng = new Random(11);
  const shapes = [[1, 1, 1], [3, 5, 7], [17, 1, 33], [256, 256, 256], [256, 3, 4], [4, 256, 256], [65, 129, 31], [2, 9, 0]];
  let cases = 0;
  for (const [M, N, K] of shapes) {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        const pad = (1 + rng.integer(3));
        const aRows = transA ? K : M, aCols = transA ? M : K;
        const bRows = transB ? N : K, bCols = transB ? K : N;
        const lda = aCols + pad, ldb = bCols + pad, ldc = N + pad;
        const aOff = rng.integer(5), bOff = rng.integer(5), cOff = rng.integer(5);
        // A lives in a view with a byte offset inside a larger buffer; C on a WebAssembly.Memory.
        const backing = new Float32Array(3 + aOff + Math.max(1, aRows) * lda);
        backing.set(randomArray(backing.length, rng));
        const A = new Float32Array(backing.buffer, 12, backing.length - 3);
        const B = randomArray(bOff + Math.max(1, bRows) * ldb, rng);
        const memory = new WebAssembly.Memory({ initial: Math.ceil(((cOff + M * ldc) * 4 + 64) / 65536) });
        const C = new Float32Array(memory.buffer, 32, cOff + M * ldc);
        C.set(randomArray(C.length, rng));
        const C0 = C.slice();
        const alpha = rng.integer(2) ? 1 : 0.75, beta = rng.integer(2) ? 0 : 0.5;
        blas.sgemm(transA, transB, M, N, K, alpha, A, aOff, lda, B, bOff, ldb, beta, C, cOff, ldc);
        const ref = reference(transA, transB, M, N, K, alpha, A, aOff, lda, B, bOff, ldb, beta, C0, cOff, ldc);
        for (let i = 0; i < M; i++) {
          for (let j = 0; j < ldc; j++) {
            const idx = cOff + i * ldc + j;
            if (j >= N) {
              assert.equal(C[idx], C0[idx], "padding between rows is left alone");
              continue;
            }
            const err = Math.abs(C[idx] - ref.value[i * N + j]);
            assert.ok(err <= bound(K, ref.scale[i * N + j]), `${M}x${N}x${K} tA=${transA} tB=${transB} [${i},${j}]: error ${err}`);
          }
        }
        for (let i = 0; i < cOff; i++) assert.equal(C[i], C0[i], "values before cOff untouched");
        cases++;
      }
    }
  }
  assert.equal(cases, shapes.length * 4);
});

test("native sgemm agrees with the WebAssembly and plain-JS A*B^T kernels (different summation orders, same bound)", (t) => {
  const blas = nativeOrSkip(t);
  if (!blas) return;
  const rng = new Random(5);
  const wasm = wasmKernels();
  for (const [R, N, K] of [[7, 13, 29], [256, 256, 256], [1, 64, 3], [31, 1, 257]]) {
    const A = randomArray(R * K, rng), B = randomArray(N * K, rng);
    const native = new Float32Array(R * N), js = new Float32Array(R * N), w = new Float32Array(R * N);
    blas.sgemm(false, true, R, N, K, 1, A, 0, K, B, 0, K, 0, native, 0, N);
    gemmABt(A, 0, B, 0, js, 0, R, N, K, false);
    wasm?.gemm(A, 0, B, 0, w, 0, R, N, K, false);
    for (let i = 0; i < R; i++) {
      for (let j = 0; j < N; j++) {
        let scale = 0;
        for (let k = 0; k < K; k++) scale += Math.abs(A[i * K + k] * B[j * K + k]);
        const tol = 2 * bound(K, scale);
        assert.ok(Math.abs(native[i * N + j] - js[i * N + j]) <= tol, `${R}x${N}x${K} native vs JS at ${i},${j}`);
        if (wasm) assert.ok(Math.abs(native[i * N + j] - w[i * N + j]) <= tol, `${R}x${N}x${K} native vs wasm at ${i},${j}`);
      }
    }
  }
});

test("native kernels reject shapes that do not fit their arrays, with clear errors", (t) => {
  const blas = nativeOrSkip(t);
  if (!blas) return;
  const a = new Float32Array(6), b = new Float32Array(6), c = new Float32Array(4);
  assert.throws(() => blas.sgemm(false, false, 2, 2, 4, 1, a, 0, 4, b, 0, 2, 0, c, 0, 2), /A \(2 x 4, leading dimension 4, from 0\) needs 8 values, has 6/);
  assert.throws(() => blas.sgemm(false, true, 2, 2, 3, 1, a, 0, 3, b, 0, 3, 0, c, 1, 2), /C \(2 x 2, leading dimension 2, from 1\) needs 5 values, has 4/);
  assert.throws(() => blas.sgemm(false, false, 2, 2, 3, 1, a, 0, 2, b, 0, 2, 0, c, 0, 2), /leading dimension of A must be >= 3, got 2/);
  assert.throws(() => blas.sgemm(false, false, -1, 2, 3, 1, a, 0, 3, b, 0, 2, 0, c, 0, 2), /M must be a non-negative integer/);
  assert.throws(() => blas.sgemm(false, false, 1, 1, 1, 1, [1] as unknown as Float32Array, 0, 1, b, 0, 1, 0, c, 0, 1), /A must be a Float32Array/);
  assert.throws(() => blas.biasAct(c, 3, 2, a, 0, "relu"), /Y \(3 x 2/);
  assert.throws(() => blas.biasGrad(c, 2, 2, a, 5, ), /G \(1 x 2, leading dimension 2, from 5\) needs 7 values, has 6/);
  assert.throws(() => blas.setThreads(0), /threads must be a positive integer/);
});

test("native MLP: forward, parameter and input gradients agree with the WebAssembly MLP; inputGradient leaves grads alone", (t) => {
  const blas = nativeOrSkip(t);
  if (!blas) return;
  const rng = new Random(3);
  for (const activation of ["relu", "tanh"] as const) {
    const sizes = [5, 64, 33, 3];
    const native = new Mlp({ sizes, activation, backend: "native" });
    const wasm = new Mlp({ sizes, activation });
    assert.equal(native.gemmBackend, "native");
    native.params.set(randomArray(native.params.length, rng).map((x) => x * 0.3));
    wasm.copyFrom(native);
    const B = 37;
    const x = randomArray(B * 5, rng);
    const dOut = randomArray(B * 3, rng);
    const yN = native.forward(x, B).slice();
    const yW = wasm.forward(x, B).slice();
    const close = (p: ArrayLike<number>, q: ArrayLike<number>, what: string) => {
      let worst = 0, scale = 0;
      for (let i = 0; i < p.length; i++) {
        worst = Math.max(worst, Math.abs(p[i] - q[i]));
        scale = Math.max(scale, Math.abs(q[i]));
      }
      assert.ok(worst <= 1e-5 * Math.max(1, scale), `${activation} ${what}: max difference ${worst} (scale ${scale})`);
    };
    close(yN, yW, "output");
    native.zeroGrad();
    wasm.zeroGrad();
    const dxN = native.backward(dOut, true)!.slice();
    const dxW = wasm.backward(dOut, true)!.slice();
    close(native.grads, wasm.grads, "parameter gradients");
    close(dxN, dxW, "input gradient");
    const gradsBefore = native.grads.slice();
    close(native.inputGradient(dOut), dxN, "inputGradient (native) vs backward's");
    close(wasm.inputGradient(dOut), dxW, "inputGradient (wasm) vs backward's");
    assert.deepEqual(native.grads, gradsBefore, "inputGradient does not touch grads");
  }
});

test("native Adam and Polyak averaging are bit for bit the default kernels' (same float64 expressions, float32 storage)", (t) => {
  if (!nativeOrSkip(t)) return;
  const rng = new Random(21);
  const n = 1001; // odd: no lane padding to hide behind
  const make = () => ({ params: randomArray(n, rng), grads: randomArray(n, rng) });
  const a = make();
  const b = { params: a.params.slice(), grads: a.grads.slice() };
  const plain = new Adam([a], { learningRate: 3e-3 });
  const native = new Adam([b], { learningRate: 3e-3, kernels: "native" });
  for (let step = 0; step < 5; step++) {
    const g = randomArray(n, rng);
    a.grads.set(g);
    b.grads.set(g);
    plain.step();
    native.step();
  }
  assert.deepEqual(b.params, a.params);
  assert.deepEqual(native.stateDict(), plain.stateDict());

  const sizes = [7, 33, 5];
  const source = Mlp.create({ sizes, activation: "relu" }, { rng, init: "torch" });
  const js = new Mlp({ sizes, activation: "relu" });
  const nat = new Mlp({ sizes, activation: "relu", backend: "native" });
  js.params.set(randomArray(js.params.length, rng));
  nat.copyFrom(js);
  js.polyakUpdate(source, 0.005);
  nat.polyakUpdate(source, 0.005);
  assert.deepEqual(nat.params, js.params);
  assert.throws(() => new Adam([a], { kernels: "gpu" as "native" }), /Adam: unknown kernels "gpu"/);
});

test("native Mlp.backward with accumulate = false equals zeroGrad + backward", (t) => {
  if (!nativeOrSkip(t)) return;
  const rng = new Random(4);
  const net = Mlp.create({ sizes: [3, 9, 2], activation: "relu", backend: "native" }, { rng, init: "torch" });
  const x = randomArray(15, rng);
  const d = randomArray(10, rng);
  net.forward(x, 5);
  net.zeroGrad();
  net.backward(d);
  const fresh = net.grads.slice();
  net.backward(d);
  assert.ok(net.grads.some((g, i) => g !== fresh[i]));
  net.backward(d, false, false);
  assert.deepEqual(net.grads, fresh);
});

/** Runs `fn` with the native kernels allowed two threads, then back to one. */
function withTwoThreads<T>(blas: NonNullable<ReturnType<typeof nativeOrSkip>>, fn: () => T): T {
  blas.setThreads(2);
  try {
    return fn();
  } finally {
    blas.setThreads(1);
  }
}

test("one and two native threads give bit for bit the same products: a large product in row halves, a pair of products", (t) => {
  const blas = nativeOrSkip(t);
  if (!blas) return;
  const rng = new Random(31);
  // Large (split in row halves), odd-sized, transposed, and small (one block) products.
  for (const [M, N, K, transA] of [[256, 256, 256, false], [256, 256, 256, true], [257, 130, 255, false], [129, 256, 64, true], [33, 7, 5, false]] as const) {
    const A = randomArray(M * K, rng), B = randomArray(N * K, rng);
    const lda = transA ? M : K;
    const call = (C: Float32Array): GemmCall => [transA, true, M, N, K, 1, A, 0, lda, B, 0, K, 0, C, 0, N];
    const one = new Float32Array(M * N), two = new Float32Array(M * N);
    blas.gemm(call(one));
    withTwoThreads(blas, () => blas.gemm(call(two)));
    assert.deepEqual(two, one, `${M}x${N}x${K} transA=${transA}: gemm on 2 threads vs 1`);
    // The same product twice into two arrays: concurrently (2 threads) and one after the other (1 thread).
    const p1 = new Float32Array(M * N), p2 = new Float32Array(M * N), q1 = new Float32Array(M * N), q2 = new Float32Array(M * N);
    withTwoThreads(blas, () => blas.sgemmPair(call(p1), call(p2)));
    blas.sgemmPair(call(q1), call(q2));
    for (const [c, what] of [[p1, "pair, 2 threads, first"], [p2, "pair, 2 threads, second"], [q1, "pair, 1 thread, first"], [q2, "pair, 1 thread, second"]] as const) {
      assert.deepEqual(c, one, `${M}x${N}x${K} transA=${transA}: ${what}`);
    }
    // Whatever the blocking, every element stays within float32 summation error of the exact product.
    const ref = reference(transA, true, M, N, K, 1, A, 0, lda, B, 0, K, 0, new Float32Array(M * N), 0, N);
    for (let i = 0; i < M * N; i++) assert.ok(Math.abs(one[i] - ref.value[i]) <= bound(K, ref.scale[i]), `${M}x${N}x${K} element ${i}`);
  }
  const c = new Float32Array(64);
  const a = new Float32Array(16), b = new Float32Array(16);
  assert.throws(() => blas.sgemmPair([false, false, 4, 4, 4, 1, a, 0, 4, b, 0, 4, 0, c, 0, 4], [false, false, 4, 4, 4, 1, a, 0, 4, b, 0, 4, 0, c, 12, 4]), /overlapping memory/);
  assert.doesNotThrow(() => blas.sgemmPair([false, false, 4, 4, 4, 1, a, 0, 4, b, 0, 4, 0, c, 0, 4], [false, false, 4, 4, 4, 1, a, 0, 4, b, 0, 4, 0, c, 16, 4]));
});

test("twin networks: forwardPair, predictPair, backwardPair and inputGradientPair equal the single operations bit for bit (one and two threads)", (t) => {
  const blas = nativeOrSkip(t);
  if (!blas) return;
  const rng = new Random(32);
  const sizes = [4, 256, 256, 1];
  const make = () => Mlp.create({ sizes, activation: "relu", backend: "native" }, { rng, init: "torch" });
  const [a, b, refA, refB] = [make(), make(), make(), make()];
  refA.copyFrom(a);
  refB.copyFrom(b);
  const B = 256;
  const x = randomArray(B * 4, rng), dA = randomArray(B, rng), dB = randomArray(B, rng);
  const single = () => {
    const out = [refA.forward(x, B).slice(), refB.forward(x, B).slice(), refA.predict(x, B).slice()];
    refA.backward(dA, false, false);
    refB.backward(dB, false, false);
    return { out, grads: [refA.grads.slice(), refB.grads.slice()], dx: [refA.inputGradient(dA).slice(), refB.inputGradient(dB).slice()] };
  };
  const paired = () => {
    const [ya, yb] = Mlp.forwardPair(a, x, b, x, B).map((y) => y.slice());
    const [pa] = Mlp.predictPair(a, x, b, x, B).map((y) => y.slice());
    Mlp.backwardPair(a, dA, b, dB, false);
    const dx = Mlp.inputGradientPair(a, dA, b, dB).map((g) => g.slice());
    return { out: [ya, yb, pa], grads: [a.grads.slice(), b.grads.slice()], dx };
  };
  const expected = single();
  assert.deepEqual(paired(), expected, "one thread (sequential fallback)");
  assert.deepEqual(withTwoThreads(blas, paired), expected, "two threads (concurrent pairs)");
  assert.throws(() => Mlp.forwardPair(a, x, a, x, B), /two different networks/);
});

test("the addon itself refuses extents outside its arrays (RangeError, before any memory is touched)", (t) => {
  if (!nativeOrSkip(t)) return;
  const addon = createRequire(import.meta.url)(nativeAddonPath()) as { sgemm(...args: unknown[]): void; biasAct(...args: unknown[]): void };
  const a = new Float32Array(4), c = new Float32Array(4);
  assert.throws(() => addon.sgemm(false, false, 2, 2, 3, 1, a, 0, 3, a, 0, 2, 0, c, 0, 2), /A is too short/);
  assert.throws(() => addon.sgemm(false, false, 2, 2, 2, 1, a, 0, 2, a, 0, 2, 0, c, 1, 2), /C is too short/);
  assert.throws(() => addon.sgemm(false, false, 2, 2, 2, 1, new Float64Array(4), 0, 2, a, 0, 2, 0, c, 0, 2), /A must be a Float32Array/);
  assert.throws(() => addon.biasAct(c, 3, 2, a, 0, 2), /biasAct arrays too short/);
});
