import { test } from "node:test";
import assert from "node:assert/strict";
import { gemmABt } from "../../src/nn/gemm.js";
import { gemmModuleBytes, wasmGemm, wasmKernels } from "../../src/nn/gemm-wasm.js";
import { Random } from "../../src/nn/index.js";

function naive(a: Float32Array, b: Float32Array, c: Float32Array, R: number, N: number, K: number, acc: boolean): void {
  for (let r = 0; r < R; r++) {
    for (let n = 0; n < N; n++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += a[r * K + k] * b[n * K + k];
      c[r * N + n] = (acc ? c[r * N + n] : 0) + s;
    }
  }
}

const SHAPES = [[1, 1, 1], [3, 5, 7], [2, 4, 4], [64, 64, 64], [64, 4, 64], [7, 2, 3], [256, 64, 4], [64, 64, 31], [5, 9, 17]];

test("the assembled WebAssembly module validates (SIMD is available in this Node)", () => {
  assert.ok(WebAssembly.validate(gemmModuleBytes()));
  assert.ok(wasmGemm() !== null);
});

for (const [name, impl] of [["JS", gemmABt], ["wasm SIMD", wasmGemm()!]] as const) {
  test(`${name} A*B^T equals the naive product, with and without accumulation, at offsets`, () => {
    const rng = new Random(9);
    for (const [R, N, K] of SHAPES) {
      for (const acc of [false, true]) {
        const a = new Float32Array(3 + R * K).map(() => rng.normal());
        const b = new Float32Array(5 + N * K).map(() => rng.normal());
        const c = new Float32Array(2 + R * N).map(() => rng.normal());
        const expect = c.slice(2);
        naive(a.subarray(3), b.subarray(5), expect, R, N, K, acc);
        impl(a, 3, b, 5, c, 2, R, N, K, acc);
        for (let i = 0; i < R * N; i++) assert.ok(Math.abs(c[2 + i] - expect[i]) < 1e-4 * Math.max(1, Math.abs(expect[i])), `${R}x${N}x${K} acc=${acc} [${i}]`);
      }
    }
  });
}

test("wasm dense layer: bias + rational tanh within 1e-6 of Math.tanh, relu and identity exact to float rounding", () => {
  const k = wasmKernels()!;
  const rng = new Random(4);
  const R = 5, N = 6, K = 7;
  const x = new Float32Array(R * K).map(() => 3 * rng.normal());
  const p = new Float32Array(3 + N * K + N).map(() => rng.normal());
  const wOff = 3, bOff = 3 + N * K;
  for (const act of ["tanh", "relu", "identity"] as const) {
    const y = new Float32Array(R * N);
    k.dense(x, p, wOff, bOff, y, R, N, K, act);
    const ref = new Float32Array(R * N);
    naive(x, p.subarray(wOff, bOff), ref, R, N, K, false);
    for (let i = 0; i < R * N; i++) {
      const pre = ref[i] + p[bOff + (i % N)];
      const want = act === "tanh" ? Math.tanh(pre) : act === "relu" ? Math.max(0, pre) : pre;
      assert.ok(Math.abs(y[i] - want) < 1e-5 * Math.max(1, Math.abs(want)), `[${i}] ${y[i]} vs ${want}`);
    }
  }
  // the approximation itself, over the whole range including saturation
  const xs = Float32Array.from({ length: 4001 }, (_, i) => -20 + i * 0.01);
  const ys = new Float32Array(xs.length);
  const one = Float32Array.of(1, 0); // W = [1], bias = [0]
  k.dense(xs, one, 0, 1, ys, xs.length, 1, 1, "tanh");
  let worst = 0;
  for (let i = 0; i < xs.length; i++) worst = Math.max(worst, Math.abs(ys[i] - Math.tanh(xs[i])));
  assert.ok(worst < 1e-6, `max |tanh error| ${worst}`);
  // the same through the four-lane path (N = 4 columns, W = [1, 1, 1, 1], zero bias)
  const ys4 = new Float32Array(xs.length * 4);
  k.dense(xs, Float32Array.of(1, 1, 1, 1, 0, 0, 0, 0), 0, 4, ys4, xs.length, 4, 1, "tanh");
  let worst4 = 0;
  for (let i = 0; i < ys4.length; i++) worst4 = Math.max(worst4, Math.abs(ys4[i] - Math.tanh(xs[i >> 2])));
  assert.ok(worst4 < 1e-6, `max |tanh error| (SIMD) ${worst4}`);
});

test("wasm gemmAxpy: op(A) B with and without transposed A, accumulation and offsets", () => {
  const k = wasmKernels()!;
  const rng = new Random(6);
  for (const [R, N, K] of SHAPES) {
    for (const trans of [false, true]) {
      for (const acc of [false, true]) {
        const a = new Float32Array(2 + R * K).map(() => rng.normal());
        const b = new Float32Array(1 + K * N).map(() => rng.normal());
        const c = new Float32Array(3 + R * N).map(() => rng.normal());
        const want = c.slice(3);
        for (let r = 0; r < R; r++) {
          for (let n = 0; n < N; n++) {
            let s = 0;
            for (let kk = 0; kk < K; kk++) s += (trans ? a[2 + kk * R + r] : a[2 + r * K + kk]) * b[1 + kk * N + n];
            want[r * N + n] = (acc ? want[r * N + n] : 0) + s;
          }
        }
        k.gemmAxpy(a, 2, trans, b, 1, c, 3, R, N, K, acc);
        for (let i = 0; i < R * N; i++) assert.ok(Math.abs(c[3 + i] - want[i]) < 1e-4 * Math.max(1, Math.abs(want[i])), `${R}x${N}x${K} trans=${trans} acc=${acc}`);
      }
    }
  }
});

/** The layer-by-layer backward the fused kernel replaced: gemmAxpy calls plus JS loops for bias and activation. */
function layeredBackward(
  sizes: number[], wOff: number[], bOff: number[], p: Float32Array, g: Float32Array, input: Float32Array, acts: Float32Array[],
  dOut: Float32Array, B: number, activation: "tanh" | "relu" | "identity", wantInputGrad: boolean,
): Float32Array | null {
  const k = wasmKernels()!;
  const L = sizes.length - 1;
  const maxWidth = Math.max(...sizes);
  let delta = new Float32Array(B * maxWidth);
  let deltaPrev = new Float32Array(B * maxWidth);
  delta.set(dOut);
  for (let l = L - 1; l >= 0; l--) {
    const nin = sizes[l], nout = sizes[l + 1];
    const x = l === 0 ? input : acts[l];
    for (let b = 0; b < B; b++) for (let j = 0; j < nout; j++) g[bOff[l] + j] += delta[b * nout + j];
    k.gemmAxpy(delta, 0, true, x, 0, g, wOff[l], nout, nin, B, true);
    if (l === 0 && !wantInputGrad) return null;
    k.gemmAxpy(delta, 0, false, p, wOff[l], deltaPrev, 0, B, nin, nout, false);
    if (l > 0) {
      for (let i = 0; i < B * nin; i++) {
        if (activation === "tanh") deltaPrev[i] *= 1 - x[i] * x[i];
        else if (activation === "relu" && x[i] <= 0) deltaPrev[i] = 0;
      }
    }
    [delta, deltaPrev] = [deltaPrev, delta];
  }
  return delta.slice(0, B * sizes[0]);
}

test("wasm mlpBackward is bit for bit the layered backward (bias sums, tanh/relu derivatives, odd sizes, input gradient)", () => {
  const k = wasmKernels()!;
  const rng = new Random(8);
  const cases: [number[], number][] = [[[4, 64, 64, 2], 256], [[3, 5, 7, 1], 7], [[6, 9], 3], [[2, 3, 4], 1]];
  for (const [sizes, B] of cases) {
    for (const activation of ["tanh", "relu", "identity"] as const) {
      for (const wantInputGrad of [false, true]) {
        const wOff: number[] = [], bOff: number[] = [];
        let n = 0;
        for (let l = 0; l + 1 < sizes.length; l++) {
          wOff.push(n);
          n += sizes[l] * sizes[l + 1];
          bOff.push(n);
          n += sizes[l + 1];
        }
        const p = new Float32Array(n).map(() => rng.normal());
        const g0 = new Float32Array(n).map(() => rng.normal());
        const input = new Float32Array(B * sizes[0]).map(() => rng.normal());
        // hidden outputs: in (-1, 1) for tanh; signed for relu so both branches of its derivative run
        const acts = sizes.map((s) => new Float32Array(B * s).map(() => Math.tanh(rng.normal())));
        const dOut = new Float32Array(B * sizes[sizes.length - 1]).map(() => rng.normal());
        const gWant = g0.slice();
        const dxWant = layeredBackward(sizes, wOff, bOff, p, gWant, input, acts, dOut, B, activation, wantInputGrad);
        const gGot = g0.slice();
        const dxGot = wantInputGrad ? new Float32Array(B * sizes[0]) : null;
        k.mlpBackward(sizes, wOff, bOff, p, gGot, input, acts, dOut, B, activation, dxGot);
        const what = `${sizes.join("x")} B=${B} ${activation} inputGrad=${wantInputGrad}`;
        assert.deepEqual(Array.from(gGot), Array.from(gWant), what);
        if (wantInputGrad) assert.deepEqual(Array.from(dxGot!), Array.from(dxWant!), what);
        assert.notDeepEqual(Array.from(gGot), Array.from(g0), `${what}: gradients accumulated`);
      }
    }
  }
});

test("wasm gemmAxpy sums each element's k terms in order in float32 (bit for bit; row pairs, odd rows, k and n tails)", () => {
  const k = wasmKernels()!;
  const rng = new Random(9);
  const f = Math.fround;
  for (const [R, N, K] of [[1, 1, 1], [2, 4, 4], [3, 5, 7], [64, 64, 256], [256, 64, 2], [7, 9, 6], [5, 4, 9]]) {
    for (const trans of [false, true]) {
      for (const acc of [false, true]) {
        const a = new Float32Array(R * K).map(() => rng.normal());
        const b = new Float32Array(K * N).map(() => rng.normal());
        const c = new Float32Array(R * N).map(() => rng.normal());
        const want = new Float32Array(R * N);
        for (let r = 0; r < R; r++) {
          for (let n = 0; n < N; n++) {
            let s = acc ? c[r * N + n] : 0;
            for (let kk = 0; kk < K; kk++) s = f(s + f((trans ? a[kk * R + r] : a[r * K + kk]) * b[kk * N + n]));
            want[r * N + n] = s;
          }
        }
        k.gemmAxpy(a, 0, trans, b, 0, c, 0, R, N, K, acc);
        assert.deepEqual(Array.from(c), Array.from(want), `${R}x${N}x${K} trans=${trans} acc=${acc}`);
      }
    }
  }
});

test("wasm A*B^T is bit for bit its float32 recipe: four lane sums over k, (l0 + l1) + (l2 + l3), then the k tail (row pairs, odd rows)", () => {
  const gemm = wasmGemm()!;
  const rng = new Random(10);
  const f = Math.fround;
  for (const [R, N, K] of [[1, 1, 1], [2, 4, 4], [3, 5, 7], [256, 64, 64], [256, 64, 4], [7, 2, 9], [6, 9, 3]]) {
    for (const acc of [false, true]) {
      const a = new Float32Array(R * K).map(() => rng.normal());
      const b = new Float32Array(N * K).map(() => rng.normal());
      const c = new Float32Array(R * N).map(() => rng.normal());
      const want = new Float32Array(R * N);
      const K4 = K & ~3;
      for (let r = 0; r < R; r++) {
        for (let n = 0; n < N; n++) {
          const lanes = [0, 0, 0, 0];
          for (let kk = 0; kk < K4; kk++) lanes[kk & 3] = f(lanes[kk & 3] + f(a[r * K + kk] * b[n * K + kk]));
          let s = f(f(lanes[0] + lanes[1]) + f(lanes[2] + lanes[3]));
          for (let kk = K4; kk < K; kk++) s = f(s + f(a[r * K + kk] * b[n * K + kk]));
          want[r * N + n] = acc ? f(c[r * N + n] + s) : s;
        }
      }
      gemm(a, 0, b, 0, c, 0, R, N, K, acc);
      assert.deepEqual(Array.from(c), Array.from(want), `${R}x${N}x${K} acc=${acc}`);
    }
  }
});
