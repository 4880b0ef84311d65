/**
 * A WebAssembly SIMD version of `gemmABt` (C = A B^T, optionally added to C), assembled here from
 * opcodes so the package ships no binary: 1 row of A against 4 rows of B at a time, f32x4 lanes along K
 * and a scalar tail for K % 4. Operands are copied into the module's memory for each call (at RL sizes the
 * copies are a few percent of the arithmetic). `mlpBackward` runs a whole network's backward pass in that
 * memory (one copy in and out instead of several per layer, bias sums and activation derivatives in SIMD
 * too). `wasmGemm()` returns null when the runtime lacks SIMD.
 */
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
 * One Adam update of a parameter group in float64 lanes, exactly as `Adam.step` computes it (see adamBody);
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

// --- a minimal assembler -------------------------------------------------------------------------
function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}
function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}
const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];
const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];
const str = (s: string) => [...uleb(s.length), ...Array.from(s, (ch) => ch.charCodeAt(0))];

const I32 = 0x7f, F32 = 0x7d, F64 = 0x7c, V128 = 0x7b;
const op = {
  block: [0x02, 0x40], loop: [0x03, 0x40], if: [0x04, 0x40], end: [0x0b],
  br: (d: number) => [0x0c, ...uleb(d)], brIf: (d: number) => [0x0d, ...uleb(d)],
  get: (i: number) => [0x20, ...uleb(i)], set: (i: number) => [0x21, ...uleb(i)],
  i32: (v: number) => [0x41, ...sleb(v)],
  add: [0x6a], mul: [0x6c], and: [0x71], shl: [0x74], geS: [0x4e], gtS: [0x4a],
  f32load: [0x2a, 0x02, 0x00], f32store: [0x38, 0x02, 0x00], f32add: [0x92], f32mul: [0x94],
  v128load: [0xfd, 0x00, 0x02, 0x00], v128zero: [0xfd, 0x0c, ...new Array(16).fill(0)],
  f32x4add: [0xfd, ...uleb(0xe4)], f32x4mul: [0xfd, ...uleb(0xe6)],
  lane: (l: number) => [0xfd, 0x1f, l],
  f32: (v: number) => [0x43, ...Array.from(new Uint8Array(Float32Array.of(v).buffer))],
  f32div: [0x95], f32min: [0x96], f32max: [0x97], f32sub: [0x93],
  ltS: [0x48],
  splat: [0xfd, 0x13], f64splat: [0xfd, 0x14], f64le: [0x65], f32le: [0x5f],
  load64zero: [0xfd, 0x5d, 0x03, 0x00], store64lane0: [0xfd, 0x5b, 0x03, 0x00, 0x00],
  promoteLow: [0xfd, 0x5f], demoteZero: [0xfd, 0x5e], f64x2sub: [0xfd, ...uleb(0xf1)], f64x2mul: [0xfd, ...uleb(0xf2)],
  f64x2add: [0xfd, ...uleb(0xf0)], f64x2div: [0xfd, ...uleb(0xf3)], f64x2sqrt: [0xfd, ...uleb(0xef)],
  f64promote: [0xbb], f32demote: [0xb6], f64sub: [0xa1], f64mul: [0xa2], f64one: [0x44, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f], f32x4div: [0xfd, ...uleb(0xe7)], f32x4min: [0xfd, ...uleb(0xe8)], f32x4max: [0xfd, ...uleb(0xe9)], v128store: [0xfd, 0x0b, 0x02, 0x00], f32zero: [0x43, 0, 0, 0, 0],
};

// params: 0 a, 1 b, 2 c (byte offsets), 3 R, 4 N, 5 K, 6 acc
// locals: 7 r, 8 n, 9 k, 10 K4, 11 aRow, 12 b0, 13 b1, 14 b2, 15 b3, 16 cPtr, 17 rowBytes(K*4)
//         18..21 v0..v3 (v128), 22 x (v128), 23..26 s0..s3 (f32), 27 xa (f32)
const [A, B, C, R, N, K, ACC] = [0, 1, 2, 3, 4, 5, 6];
const [r, n, k, K4, aRow, b0, b1, b2, b3, cPtr, rowBytes] = [7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17];
const V = [18, 19, 20, 21], X = 22, S = [23, 24, 25, 26], XA = 27;

// second A row (row pairs): 28 aRow1, 29 cPtr1 (i32); 30..33 w0..w3, 34 x1 (v128); 35..38 t0..t3, 39 xa1 (f32); 40 bv (v128)
const [aRow1, cPtr1] = [28, 29];
const V1 = [30, 31, 32, 33], X1 = 34, S1 = [35, 36, 37, 38], XA1 = 39, BV = 40;

/**
 * Dot products of `rows` A rows (1 or 2) with `m` B rows (b0..b(m-1)), SIMD then scalar tail, stored to C.
 * With two A rows each load of B feeds both; every output is still (lane0 + lane1) + (lane2 + lane3) of its
 * own f32x4 partial sums plus the tail in k order, so the blocking does not change a bit.
 */
function dots(rows: 1 | 2, m: number): number[] {
  const bs = [b0, b1, b2, b3].slice(0, m);
  const aRows = [aRow, aRow1].slice(0, rows), xs = [X, X1], xas = [XA, XA1], cPtrs = [cPtr, cPtr1];
  const Vs = [V, V1], Ss = [S, S1];
  const code: number[] = [];
  for (let q = 0; q < rows; q++) for (let i = 0; i < m; i++) code.push(...op.v128zero, ...op.set(Vs[q][i]));
  code.push(...op.i32(0), ...op.set(k));
  code.push(...op.block, ...op.loop, ...op.get(k), ...op.get(K4), ...op.geS, ...op.brIf(1));
  for (let q = 0; q < rows; q++) code.push(...op.get(aRows[q]), ...op.get(k), ...op.i32(2), ...op.shl, ...op.add, ...op.v128load, ...op.set(xs[q]));
  for (let i = 0; i < m; i++) {
    code.push(...op.get(bs[i]), ...op.get(k), ...op.i32(2), ...op.shl, ...op.add, ...op.v128load, ...op.set(BV));
    for (let q = 0; q < rows; q++) code.push(...op.get(Vs[q][i]), ...op.get(xs[q]), ...op.get(BV), ...op.f32x4mul, ...op.f32x4add, ...op.set(Vs[q][i]));
  }
  code.push(...op.get(k), ...op.i32(4), ...op.add, ...op.set(k), ...op.br(0), ...op.end, ...op.end);
  for (let q = 0; q < rows; q++) {
    for (let i = 0; i < m; i++) {
      const v = Vs[q][i];
      code.push(...op.get(v), ...op.lane(0), ...op.get(v), ...op.lane(1), ...op.f32add,
        ...op.get(v), ...op.lane(2), ...op.get(v), ...op.lane(3), ...op.f32add, ...op.f32add, ...op.set(Ss[q][i]));
    }
  }
  // scalar tail k in [K4, K)
  code.push(...op.block, ...op.loop, ...op.get(k), ...op.get(K), ...op.geS, ...op.brIf(1));
  for (let q = 0; q < rows; q++) code.push(...op.get(aRows[q]), ...op.get(k), ...op.i32(2), ...op.shl, ...op.add, ...op.f32load, ...op.set(xas[q]));
  for (let i = 0; i < m; i++) {
    for (let q = 0; q < rows; q++) {
      code.push(...op.get(Ss[q][i]), ...op.get(xas[q]), ...op.get(bs[i]), ...op.get(k), ...op.i32(2), ...op.shl, ...op.add, ...op.f32load,
        ...op.f32mul, ...op.f32add, ...op.set(Ss[q][i]));
    }
  }
  code.push(...op.get(k), ...op.i32(1), ...op.add, ...op.set(k), ...op.br(0), ...op.end, ...op.end);
  // store (adding the old value when accumulating)
  for (let q = 0; q < rows; q++) {
    for (let i = 0; i < m; i++) {
      const addr = [...op.get(cPtrs[q]), ...op.get(n), ...op.i32(i), ...op.add, ...op.i32(2), ...op.shl, ...op.add];
      code.push(...op.get(ACC), ...op.if, ...addr, ...op.f32load, ...op.get(Ss[q][i]), ...op.f32add, ...op.set(Ss[q][i]), ...op.end);
      code.push(...addr, ...op.get(Ss[q][i]), ...op.f32store);
    }
  }
  return code;
}

/** One pass over the columns of C for `rows` (1 or 2) A rows starting at row r. */
function rowPass(rows: 1 | 2): number[] {
  const code: number[] = [];
  code.push(...op.get(A), ...op.get(r), ...op.get(rowBytes), ...op.mul, ...op.add, ...op.set(aRow));
  code.push(...op.get(C), ...op.get(r), ...op.get(N), ...op.mul, ...op.i32(2), ...op.shl, ...op.add, ...op.set(cPtr));
  if (rows === 2) {
    code.push(...op.get(aRow), ...op.get(rowBytes), ...op.add, ...op.set(aRow1));
    code.push(...op.get(cPtr), ...op.get(N), ...op.i32(2), ...op.shl, ...op.add, ...op.set(cPtr1));
  }
  code.push(...op.i32(0), ...op.set(n));
  // blocks of 4 B rows
  code.push(...op.block, ...op.loop, ...op.get(n), ...op.i32(3), ...op.add, ...op.get(N), ...op.geS, ...op.brIf(1));
  code.push(...op.get(B), ...op.get(n), ...op.get(rowBytes), ...op.mul, ...op.add, ...op.set(b0));
  code.push(...op.get(b0), ...op.get(rowBytes), ...op.add, ...op.set(b1));
  code.push(...op.get(b1), ...op.get(rowBytes), ...op.add, ...op.set(b2));
  code.push(...op.get(b2), ...op.get(rowBytes), ...op.add, ...op.set(b3));
  code.push(...dots(rows, 4));
  code.push(...op.get(n), ...op.i32(4), ...op.add, ...op.set(n), ...op.br(0), ...op.end, ...op.end);
  // remaining B rows one at a time
  code.push(...op.block, ...op.loop, ...op.get(n), ...op.get(N), ...op.geS, ...op.brIf(1));
  code.push(...op.get(B), ...op.get(n), ...op.get(rowBytes), ...op.mul, ...op.add, ...op.set(b0));
  code.push(...dots(rows, 1));
  code.push(...op.get(n), ...op.i32(1), ...op.add, ...op.set(n), ...op.br(0), ...op.end, ...op.end);
  return code;
}

function body(): number[] {
  const code: number[] = [];
  code.push(...op.get(K), ...op.i32(-4), ...op.and, ...op.set(K4));
  code.push(...op.get(K), ...op.i32(2), ...op.shl, ...op.set(rowBytes));
  code.push(...op.i32(0), ...op.set(r));
  // pairs of A rows
  code.push(...op.block, ...op.loop, ...op.get(r), ...op.i32(1), ...op.add, ...op.get(R), ...op.geS, ...op.brIf(1));
  code.push(...rowPass(2));
  code.push(...op.get(r), ...op.i32(2), ...op.add, ...op.set(r), ...op.br(0), ...op.end, ...op.end);
  // the last row when R is odd
  code.push(...op.get(r), ...op.get(R), ...op.ltS, ...op.if, ...rowPass(1), ...op.end);
  code.push(...op.end);
  const locals = vec([[...uleb(11), I32], [...uleb(5), V128], [...uleb(5), F32], [...uleb(2), I32], [...uleb(5), V128], [...uleb(5), F32], [...uleb(1), V128]]);
  const fn = [...locals, ...code];
  return [...uleb(fn.length), ...fn];
}

// Eigen's rational approximation of tanh for float (max error ~3e-7 against Math.tanh, tested).
const TANH_CLAMP = 7.90531110763549805;
const TANH_P = [-2.76076847742355e-16, 2.00018790482477e-13, -8.60467152213735e-11, 5.12229709037114e-8, 1.48572235717979e-5, 6.37261928875436e-4, 4.89352455891786e-3];
const TANH_Q = [1.19825839466702e-6, 1.18534705686654e-4, 2.268434632439e-3, 4.89352518554385e-3];

/**
 * biasAct(c, bias, R, N, act): c[r, n] += bias[n], then tanh when act = 1, relu when act = 2 (c and bias are byte offsets).
 * locals: 5 r, 6 n, 7 ptr, 8 x (f32), 9 x2 (f32), 10 p (f32), 11 q (f32)
 */
function biasActBody(): number[] {
  const [cP, biasP, Rp, Np, actP, rr, nn, ptr, x, x2, p, q] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  // SIMD part: 12 N4 (i32), 13 v (v128), 14 v2, 15 vp, 16 vq, 17 hi, 18 lo, 19.. constants P (7) and Q (4)
  const [N4, v, v2, vp, vq, HI, LO] = [12, 13, 14, 15, 16, 17, 18];
  const VP = TANH_P.map((_, i) => 19 + i);
  const VQ = TANH_Q.map((_, i) => 19 + TANH_P.length + i);
  const code: number[] = [];
  const splatConst = (c: number, local: number) => code.push(...op.f32(c), ...op.splat, ...op.set(local));
  splatConst(TANH_CLAMP, HI);
  splatConst(-TANH_CLAMP, LO);
  TANH_P.forEach((c, i) => splatConst(c, VP[i]));
  TANH_Q.forEach((c, i) => splatConst(c, VQ[i]));
  code.push(...op.get(Np), ...op.i32(-4), ...op.and, ...op.set(N4));
  code.push(...op.get(cP), ...op.set(ptr), ...op.i32(0), ...op.set(rr));
  code.push(...op.block, ...op.loop, ...op.get(rr), ...op.get(Rp), ...op.geS, ...op.brIf(1));
  code.push(...op.i32(0), ...op.set(nn));
  // four columns at a time
  code.push(...op.block, ...op.loop, ...op.get(nn), ...op.get(N4), ...op.geS, ...op.brIf(1));
  code.push(...op.get(ptr), ...op.v128load, ...op.get(biasP), ...op.get(nn), ...op.i32(2), ...op.shl, ...op.add, ...op.v128load, ...op.f32x4add, ...op.set(v));
  code.push(...op.get(actP), ...op.i32(2), 0x46 /* i32.eq */, ...op.if, ...op.get(v), ...op.v128zero, ...op.f32x4max, ...op.set(v), ...op.end);
  code.push(...op.get(actP), ...op.i32(1), 0x46 /* i32.eq */, ...op.if);
  code.push(...op.get(v), ...op.get(HI), ...op.f32x4min, ...op.get(LO), ...op.f32x4max, ...op.set(v));
  code.push(...op.get(v), ...op.get(v), ...op.f32x4mul, ...op.set(v2));
  code.push(...op.get(VP[0]), ...op.set(vp));
  for (const l of VP.slice(1)) code.push(...op.get(vp), ...op.get(v2), ...op.f32x4mul, ...op.get(l), ...op.f32x4add, ...op.set(vp));
  code.push(...op.get(VQ[0]), ...op.set(vq));
  for (const l of VQ.slice(1)) code.push(...op.get(vq), ...op.get(v2), ...op.f32x4mul, ...op.get(l), ...op.f32x4add, ...op.set(vq));
  code.push(...op.get(v), ...op.get(vp), ...op.f32x4mul, ...op.get(vq), ...op.f32x4div, ...op.set(v));
  code.push(...op.end);
  code.push(...op.get(ptr), ...op.get(v), ...op.v128store);
  code.push(...op.get(ptr), ...op.i32(16), ...op.add, ...op.set(ptr));
  code.push(...op.get(nn), ...op.i32(4), ...op.add, ...op.set(nn), ...op.br(0), ...op.end, ...op.end);
  // remaining columns one at a time
  code.push(...op.block, ...op.loop, ...op.get(nn), ...op.get(Np), ...op.geS, ...op.brIf(1));
  code.push(...op.get(ptr), ...op.f32load, ...op.get(biasP), ...op.get(nn), ...op.i32(2), ...op.shl, ...op.add, ...op.f32load, ...op.f32add, ...op.set(x));
  code.push(...op.get(actP), ...op.i32(2), 0x46, ...op.if, ...op.get(x), ...op.f32zero, ...op.f32max, ...op.set(x), ...op.end);
  code.push(...op.get(actP), ...op.i32(1), 0x46, ...op.if);
  code.push(...op.get(x), ...op.f32(TANH_CLAMP), ...op.f32min, ...op.f32(-TANH_CLAMP), ...op.f32max, ...op.set(x));
  code.push(...op.get(x), ...op.get(x), ...op.f32mul, ...op.set(x2));
  code.push(...op.f32(TANH_P[0]), ...op.set(p));
  for (const c of TANH_P.slice(1)) code.push(...op.get(p), ...op.get(x2), ...op.f32mul, ...op.f32(c), ...op.f32add, ...op.set(p));
  code.push(...op.f32(TANH_Q[0]), ...op.set(q));
  for (const c of TANH_Q.slice(1)) code.push(...op.get(q), ...op.get(x2), ...op.f32mul, ...op.f32(c), ...op.f32add, ...op.set(q));
  code.push(...op.get(x), ...op.get(p), ...op.f32mul, ...op.get(q), ...op.f32div, ...op.set(x));
  code.push(...op.end);
  code.push(...op.get(ptr), ...op.get(x), ...op.f32store);
  code.push(...op.get(ptr), ...op.i32(4), ...op.add, ...op.set(ptr));
  code.push(...op.get(nn), ...op.i32(1), ...op.add, ...op.set(nn), ...op.br(0), ...op.end, ...op.end);
  code.push(...op.get(rr), ...op.i32(1), ...op.add, ...op.set(rr), ...op.br(0), ...op.end, ...op.end);
  code.push(...op.end);
  const fn = [...vec([[...uleb(3), I32], [...uleb(4), F32], [...uleb(1), I32], [...uleb(6 + VP.length + VQ.length), V128]]), ...code];
  return [...uleb(fn.length), ...fn];
}

/**
 * gemmAxpy(a, b, c, R, N, K, acc, transA): C (R x N) (+)= op(A) B with B stored K x N, op(A) = A (R x K)
 * or, with transA, A^T for A stored K x R. Rows of C are built by axpy with f32x4 lanes along N, so
 * neither operand needs a transposed copy (used for dW = dY^T X and dX = dY W). Two rows of C at a time
 * share each load of B; every element still sums its k terms in order (k in blocks of four, then the
 * rest), so the result does not depend on the blocking.
 */
function axpyBody(): number[] {
  const [a, b, c, Rp, Np, Kp, acc, trans] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [rr, kk, nn, N4, K4] = [8, 9, 10, 11, 12];
  const CROW = [13, 14], BR = [15, 16, 17, 18];
  const AV = [[19, 20, 21, 22], [23, 24, 25, 26]], ACCS = [27, 28];
  const SV = [[29, 30, 31, 32], [33, 34, 35, 36]], ACCV = [37, 38], T = 39;
  const rowPlus = (i: number) => [...op.get(rr), ...op.i32(i), ...op.add];
  const kPlus = (j: number) => [...op.get(kk), ...op.i32(j), ...op.add];
  const loadA = (rowExpr: number[], kExpr: number[]) => [
    ...op.get(trans), 0x04, 0x7d,
    ...op.get(a), ...kExpr, ...op.get(Rp), ...op.mul, ...rowExpr, ...op.add, ...op.i32(2), ...op.shl, ...op.add, ...op.f32load,
    0x05,
    ...op.get(a), ...rowExpr, ...op.get(Kp), ...op.mul, ...kExpr, ...op.add, ...op.i32(2), ...op.shl, ...op.add, ...op.f32load,
    ...op.end,
  ];
  const bRowOf = (kExpr: number[]) => [...op.get(b), ...kExpr, ...op.get(Np), ...op.mul, ...op.i32(2), ...op.shl, ...op.add];
  const at = (base: number, idx: number) => [...op.get(base), ...op.get(idx), ...op.i32(2), ...op.shl, ...op.add];
  const code: number[] = [];
  /** One block of m rows of C (rows rr .. rr+m-1), `kb` k terms per pass over the row (4, or 1 for the tail). */
  const kPass = (m: number, kb: number) => {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < kb; j++) code.push(...loadA(rowPlus(i), kPlus(j)), ...op.set(AV[i][j]), ...op.get(AV[i][j]), ...op.splat, ...op.set(SV[i][j]));
    }
    for (let j = 0; j < kb; j++) code.push(...bRowOf(kPlus(j)), ...op.set(BR[j]));
    for (const lanes of [4, 1]) {
      const limit = lanes === 4 ? N4 : Np;
      if (lanes === 4) code.push(...op.i32(0), ...op.set(nn));
      code.push(...op.block, ...op.loop, ...op.get(nn), ...op.get(limit), ...op.geS, ...op.brIf(1));
      const load = lanes === 4 ? op.v128load : op.f32load;
      const mul = lanes === 4 ? op.f32x4mul : op.f32mul;
      const add = lanes === 4 ? op.f32x4add : op.f32add;
      const accs = lanes === 4 ? ACCV : ACCS;
      const scal = lanes === 4 ? SV : AV;
      for (let i = 0; i < m; i++) code.push(...at(CROW[i], nn), ...load, ...op.set(accs[i]));
      for (let j = 0; j < kb; j++) {
        if (lanes === 4) {
          code.push(...at(BR[j], nn), ...op.v128load, ...op.set(T));
          for (let i = 0; i < m; i++) code.push(...op.get(accs[i]), ...op.get(scal[i][j]), ...op.get(T), ...mul, ...add, ...op.set(accs[i]));
        } else {
          for (let i = 0; i < m; i++) code.push(...op.get(accs[i]), ...op.get(scal[i][j]), ...at(BR[j], nn), ...op.f32load, ...mul, ...add, ...op.set(accs[i]));
        }
      }
      for (let i = 0; i < m; i++) code.push(...at(CROW[i], nn), ...op.get(accs[i]), ...(lanes === 4 ? op.v128store : op.f32store));
      code.push(...op.get(nn), ...op.i32(lanes), ...op.add, ...op.set(nn), ...op.br(0), ...op.end, ...op.end);
    }
  };
  const rowBlock = (m: number) => {
    for (let i = 0; i < m; i++) code.push(...op.get(c), ...rowPlus(i), ...op.get(Np), ...op.mul, ...op.i32(2), ...op.shl, ...op.add, ...op.set(CROW[i]));
    // zero the rows unless accumulating
    code.push(...op.get(acc), 0x45 /* i32.eqz */, ...op.if);
    for (let i = 0; i < m; i++) {
      code.push(...op.i32(0), ...op.set(nn));
      code.push(...op.block, ...op.loop, ...op.get(nn), ...op.get(Np), ...op.geS, ...op.brIf(1));
      code.push(...at(CROW[i], nn), ...op.f32zero, ...op.f32store);
      code.push(...op.get(nn), ...op.i32(1), ...op.add, ...op.set(nn), ...op.br(0), ...op.end, ...op.end);
    }
    code.push(...op.end);
    code.push(...op.i32(0), ...op.set(kk));
    code.push(...op.block, ...op.loop, ...op.get(kk), ...op.get(K4), ...op.geS, ...op.brIf(1));
    kPass(m, 4);
    code.push(...op.get(kk), ...op.i32(4), ...op.add, ...op.set(kk), ...op.br(0), ...op.end, ...op.end);
    code.push(...op.block, ...op.loop, ...op.get(kk), ...op.get(Kp), ...op.geS, ...op.brIf(1));
    kPass(m, 1);
    code.push(...op.get(kk), ...op.i32(1), ...op.add, ...op.set(kk), ...op.br(0), ...op.end, ...op.end);
  };
  code.push(...op.get(Np), ...op.i32(-4), ...op.and, ...op.set(N4));
  code.push(...op.get(Kp), ...op.i32(-4), ...op.and, ...op.set(K4));
  code.push(...op.i32(0), ...op.set(rr));
  // pairs of rows
  code.push(...op.block, ...op.loop, ...op.get(rr), ...op.i32(1), ...op.add, ...op.get(Rp), ...op.geS, ...op.brIf(1));
  rowBlock(2);
  code.push(...op.get(rr), ...op.i32(2), ...op.add, ...op.set(rr), ...op.br(0), ...op.end, ...op.end);
  // the last row when R is odd
  code.push(...op.get(rr), ...op.get(Rp), ...op.ltS, ...op.if);
  rowBlock(1);
  code.push(...op.end);
  code.push(...op.end);
  const fn = [...vec([[...uleb(11), I32], [...uleb(10), F32], [...uleb(11), V128]]), ...code];
  return [...uleb(fn.length), ...fn];
}

/**
 * biasGrad(delta, gb, R, N): gb[n] += delta[r, n] for r = 0..R-1 in order, f32 lanes along n. Each add is
 * a float32 add of two float32 values, which is exactly what the JS loop `g[j] += d` stores.
 * locals: 4 n, 5 N4, 6 r, 7 ptr, 8 acc (v128), 9 accS (f32), 10 rowBytes
 */
function biasGradBody(): number[] {
  const [d, gb, Rp, Np, nn, N4, rr, ptr, acc, accS, rowBytes] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const code: number[] = [];
  code.push(...op.get(Np), ...op.i32(-4), ...op.and, ...op.set(N4));
  code.push(...op.get(Np), ...op.i32(2), ...op.shl, ...op.set(rowBytes));
  code.push(...op.i32(0), ...op.set(nn));
  const columnLoop = (lanes: 4 | 1) => {
    const limit = lanes === 4 ? N4 : Np;
    code.push(...op.block, ...op.loop, ...op.get(nn), ...op.get(limit), ...op.geS, ...op.brIf(1));
    code.push(...op.get(gb), ...op.get(nn), ...op.i32(2), ...op.shl, ...op.add, ...(lanes === 4 ? op.v128load : op.f32load), ...op.set(lanes === 4 ? acc : accS));
    code.push(...op.get(d), ...op.get(nn), ...op.i32(2), ...op.shl, ...op.add, ...op.set(ptr), ...op.i32(0), ...op.set(rr));
    code.push(...op.block, ...op.loop, ...op.get(rr), ...op.get(Rp), ...op.geS, ...op.brIf(1));
    if (lanes === 4) code.push(...op.get(acc), ...op.get(ptr), ...op.v128load, ...op.f32x4add, ...op.set(acc));
    else code.push(...op.get(accS), ...op.get(ptr), ...op.f32load, ...op.f32add, ...op.set(accS));
    code.push(...op.get(ptr), ...op.get(rowBytes), ...op.add, ...op.set(ptr));
    code.push(...op.get(rr), ...op.i32(1), ...op.add, ...op.set(rr), ...op.br(0), ...op.end, ...op.end);
    code.push(...op.get(gb), ...op.get(nn), ...op.i32(2), ...op.shl, ...op.add, ...op.get(lanes === 4 ? acc : accS), ...(lanes === 4 ? op.v128store : op.f32store));
    code.push(...op.get(nn), ...op.i32(lanes), ...op.add, ...op.set(nn), ...op.br(0), ...op.end, ...op.end);
  };
  columnLoop(4);
  columnLoop(1);
  code.push(...op.end);
  const fn = [...vec([[...uleb(4), I32], [...uleb(1), V128], [...uleb(1), F32], [...uleb(1), I32]]), ...code];
  return [...uleb(fn.length), ...fn];
}

/**
 * actGrad(d, x, n, act): through the hidden activation given its outputs x, in place on d:
 * tanh (act 1): d = f32(d * (1 - x * x)) evaluated in float64 like the JS expression it replaces, two
 * lanes at a time; relu (act 2): d = 0 where x <= 0.
 * locals: 4 k, 5 n2, 6 dPtr, 7 xPtr, 8 one (v128), 9 xv (v128)
 */
function actGradBody(): number[] {
  const [d, x, np, act, kk, n2, dPtr, xPtr, one, xv] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const code: number[] = [];
  code.push(...op.get(d), ...op.set(dPtr), ...op.get(x), ...op.set(xPtr), ...op.i32(0), ...op.set(kk));
  code.push(...op.get(act), ...op.i32(1), 0x46, ...op.if);
  code.push(...op.f64one, ...op.f64splat, ...op.set(one));
  code.push(...op.get(np), ...op.i32(-2), ...op.and, ...op.set(n2));
  code.push(...op.block, ...op.loop, ...op.get(kk), ...op.get(n2), ...op.geS, ...op.brIf(1));
  code.push(...op.get(xPtr), ...op.load64zero, ...op.promoteLow, ...op.set(xv));
  code.push(...op.get(dPtr));
  code.push(...op.get(dPtr), ...op.load64zero, ...op.promoteLow);
  code.push(...op.get(one), ...op.get(xv), ...op.get(xv), ...op.f64x2mul, ...op.f64x2sub, ...op.f64x2mul, ...op.demoteZero, ...op.store64lane0);
  code.push(...op.get(dPtr), ...op.i32(8), ...op.add, ...op.set(dPtr), ...op.get(xPtr), ...op.i32(8), ...op.add, ...op.set(xPtr));
  code.push(...op.get(kk), ...op.i32(2), ...op.add, ...op.set(kk), ...op.br(0), ...op.end, ...op.end);
  // odd tail
  code.push(...op.get(kk), ...op.get(np), ...op.ltS, ...op.if);
  code.push(...op.get(dPtr), ...op.get(dPtr), ...op.f32load, ...op.f64promote);
  code.push(...op.f64one, ...op.get(xPtr), ...op.f32load, ...op.f64promote, ...op.get(xPtr), ...op.f32load, ...op.f64promote, ...op.f64mul, ...op.f64sub);
  code.push(...op.f64mul, ...op.f32demote, ...op.f32store, ...op.end);
  code.push(...op.end);
  code.push(...op.get(act), ...op.i32(2), 0x46, ...op.if);
  code.push(...op.block, ...op.loop, ...op.get(kk), ...op.get(np), ...op.geS, ...op.brIf(1));
  code.push(...op.get(xPtr), ...op.f32load, ...op.f32zero, ...op.f32le, ...op.if, ...op.get(dPtr), ...op.f32zero, ...op.f32store, ...op.end);
  code.push(...op.get(dPtr), ...op.i32(4), ...op.add, ...op.set(dPtr), ...op.get(xPtr), ...op.i32(4), ...op.add, ...op.set(xPtr));
  code.push(...op.get(kk), ...op.i32(1), ...op.add, ...op.set(kk), ...op.br(0), ...op.end, ...op.end);
  code.push(...op.end);
  code.push(...op.end);
  const fn = [...vec([[...uleb(4), I32], [...uleb(2), V128]]), ...code];
  return [...uleb(fn.length), ...fn];
}

/**
 * adamStep(p, g, m, v, n, scaleOn, scale, b1, omb1, b2, omb2, stepSize, bc2Sqrt, eps) over n (even) elements,
 * two float64 lanes at a time, exactly the JS expressions of `Adam.step` (float32 storage, float64 arithmetic,
 * same operation order): when scaleOn, g = f32(g * scale) first (gradient clipping) and written back;
 * m = b1 m + omb1 g; v = b2 v + (omb2 g) g; p -= (stepSize m) / (sqrt(v) / bc2Sqrt + eps), with the unrounded m and v.
 * locals: 14 off, 15 end (i32); 16 gv, 17 mv, 18 vv, 19.. splatted constants (v128)
 */
function adamBody(): number[] {
  const [pP, gP, mP, vP, nP, scaleOn] = [0, 1, 2, 3, 4, 5];
  const [off, end] = [14, 15];
  const [gv, mv, vv] = [16, 17, 18];
  const consts = [6, 7, 8, 9, 10, 11, 12, 13]; // scale b1 omb1 b2 omb2 stepSize bc2Sqrt eps (f64 params)
  const CV = consts.map((_, i) => 19 + i);
  const [SCALE, B1, OMB1, B2, OMB2, STEP, BC2, EPS] = CV;
  const code: number[] = [];
  consts.forEach((param, i) => code.push(...op.get(param), ...op.f64splat, ...op.set(CV[i])));
  code.push(...op.get(nP), ...op.i32(2), ...op.shl, ...op.set(end), ...op.i32(0), ...op.set(off));
  const addr = (base: number) => [...op.get(base), ...op.get(off), ...op.add];
  code.push(...op.block, ...op.loop, ...op.get(off), ...op.get(end), ...op.geS, ...op.brIf(1));
  code.push(...addr(gP), ...op.load64zero, ...op.promoteLow, ...op.set(gv));
  code.push(...op.get(scaleOn), ...op.if);
  code.push(...op.get(gv), ...op.get(SCALE), ...op.f64x2mul, ...op.demoteZero, ...op.promoteLow, ...op.set(gv));
  code.push(...addr(gP), ...op.get(gv), ...op.demoteZero, ...op.store64lane0);
  code.push(...op.end);
  code.push(...op.get(B1), ...addr(mP), ...op.load64zero, ...op.promoteLow, ...op.f64x2mul, ...op.get(OMB1), ...op.get(gv), ...op.f64x2mul, ...op.f64x2add, ...op.set(mv));
  code.push(...addr(mP), ...op.get(mv), ...op.demoteZero, ...op.store64lane0);
  code.push(...op.get(B2), ...addr(vP), ...op.load64zero, ...op.promoteLow, ...op.f64x2mul, ...op.get(OMB2), ...op.get(gv), ...op.f64x2mul, ...op.get(gv), ...op.f64x2mul, ...op.f64x2add, ...op.set(vv));
  code.push(...addr(vP), ...op.get(vv), ...op.demoteZero, ...op.store64lane0);
  code.push(...addr(pP));
  code.push(...addr(pP), ...op.load64zero, ...op.promoteLow);
  code.push(...op.get(STEP), ...op.get(mv), ...op.f64x2mul, ...op.get(vv), ...op.f64x2sqrt, ...op.get(BC2), ...op.f64x2div, ...op.get(EPS), ...op.f64x2add, ...op.f64x2div);
  code.push(...op.f64x2sub, ...op.demoteZero, ...op.store64lane0);
  code.push(...op.get(off), ...op.i32(8), ...op.add, ...op.set(off), ...op.br(0), ...op.end, ...op.end);
  code.push(...op.end);
  const fn = [...vec([[...uleb(2), I32], [...uleb(3 + CV.length), V128]]), ...code];
  return [...uleb(fn.length), ...fn];
}

/** The module's bytes. */
export function gemmModuleBytes(): Uint8Array {
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([[0x60, ...vec(new Array(7).fill([I32])), 0x00], [0x60, ...vec(new Array(5).fill([I32])), 0x00], [0x60, ...vec(new Array(8).fill([I32])), 0x00], [0x60, ...vec(new Array(4).fill([I32])), 0x00],
      [0x60, ...vec([...new Array(6).fill([I32]), ...new Array(8).fill([F64])]), 0x00]])),
    ...section(3, vec([[0x00], [0x01], [0x02], [0x03], [0x03], [0x04]])),
    ...section(5, vec([[0x00, 0x01]])),
    ...section(7, vec([[...str("gemm"), 0x00, 0x00], [...str("biasAct"), 0x00, 0x01], [...str("gemmAxpy"), 0x00, 0x02], [...str("biasGrad"), 0x00, 0x03], [...str("actGrad"), 0x00, 0x04], [...str("adamStep"), 0x00, 0x05], [...str("memory"), 0x02, 0x00]])),
    ...section(10, vec([body(), biasActBody(), axpyBody(), biasGradBody(), actGradBody(), adamBody()])),
  ];
  return Uint8Array.from(bytes);
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
