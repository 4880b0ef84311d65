// AssemblyScript source of the WebAssembly SIMD kernels behind src/nn/gemm-wasm.ts.
// Build: `npm run build:kernels` (writes kernels.wasm beside this file; test/nn/kernels-build.test.ts checks
// that the committed kernels.wasm is exactly what this source compiles to).
//
// Every result must stay bit for bit what the algorithms' seeded runs pin, so the float operations here
// are written in the order they must happen: no fused multiply-add (WebAssembly SIMD has none), sums of
// f32x4 partial products reduced as (lane0 + lane1) + (lane2 + lane3), then a scalar tail in k order.
// Pointers are byte offsets into this module's memory; the host copies operands in and results out.

// ---- C (R x N) (+)= A (R x K) B^T, B stored N x K ------------------------------------------------------
// One or two rows of A against four (or one) rows of B at a time: each load of B feeds both A rows.

@inline function sum4(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

@inline function put(p: usize, s: f32, acc: bool): void {
  store<f32>(p, acc ? load<f32>(p) + s : s);
}

@inline function madd(acc: v128, x: v128, w: v128): v128 {
  return f32x4.add(acc, f32x4.mul(x, w));
}

/** Two A rows (a0, a1) against four B rows (b0..b3): eight dot products stored at c0[0..3], c1[0..3]. */
@inline function dots2x4(a0: usize, a1: usize, b0: usize, b1: usize, b2: usize, b3: usize, c0: usize, c1: usize, K4: i32, K: i32, acc: bool): void {
  let v00 = f32x4.splat(0), v01 = f32x4.splat(0), v02 = f32x4.splat(0), v03 = f32x4.splat(0);
  let v10 = f32x4.splat(0), v11 = f32x4.splat(0), v12 = f32x4.splat(0), v13 = f32x4.splat(0);
  let k = 0;
  for (; k < K4; k += 4) {
    const o = <usize>(k << 2);
    const x0 = v128.load(a0 + o), x1 = v128.load(a1 + o);
    let w = v128.load(b0 + o);
    v00 = madd(v00, x0, w); v10 = madd(v10, x1, w);
    w = v128.load(b1 + o);
    v01 = madd(v01, x0, w); v11 = madd(v11, x1, w);
    w = v128.load(b2 + o);
    v02 = madd(v02, x0, w); v12 = madd(v12, x1, w);
    w = v128.load(b3 + o);
    v03 = madd(v03, x0, w); v13 = madd(v13, x1, w);
  }
  let s00 = sum4(v00), s01 = sum4(v01), s02 = sum4(v02), s03 = sum4(v03);
  let s10 = sum4(v10), s11 = sum4(v11), s12 = sum4(v12), s13 = sum4(v13);
  for (; k < K; k++) {
    const o = <usize>(k << 2);
    const x0 = load<f32>(a0 + o), x1 = load<f32>(a1 + o);
    s00 += x0 * load<f32>(b0 + o); s10 += x1 * load<f32>(b0 + o);
    s01 += x0 * load<f32>(b1 + o); s11 += x1 * load<f32>(b1 + o);
    s02 += x0 * load<f32>(b2 + o); s12 += x1 * load<f32>(b2 + o);
    s03 += x0 * load<f32>(b3 + o); s13 += x1 * load<f32>(b3 + o);
  }
  put(c0, s00, acc); put(c0 + 4, s01, acc); put(c0 + 8, s02, acc); put(c0 + 12, s03, acc);
  put(c1, s10, acc); put(c1 + 4, s11, acc); put(c1 + 8, s12, acc); put(c1 + 12, s13, acc);
}

/** Two A rows against one B row. */
@inline function dots2x1(a0: usize, a1: usize, b0: usize, c0: usize, c1: usize, K4: i32, K: i32, acc: bool): void {
  let v0 = f32x4.splat(0), v1 = f32x4.splat(0);
  let k = 0;
  for (; k < K4; k += 4) {
    const o = <usize>(k << 2);
    const x0 = v128.load(a0 + o), x1 = v128.load(a1 + o);
    const w = v128.load(b0 + o);
    v0 = madd(v0, x0, w); v1 = madd(v1, x1, w);
  }
  let s0 = sum4(v0), s1 = sum4(v1);
  for (; k < K; k++) {
    const o = <usize>(k << 2);
    const x0 = load<f32>(a0 + o), x1 = load<f32>(a1 + o);
    s0 += x0 * load<f32>(b0 + o); s1 += x1 * load<f32>(b0 + o);
  }
  put(c0, s0, acc); put(c1, s1, acc);
}

/** One A row against four B rows. */
@inline function dots1x4(a0: usize, b0: usize, b1: usize, b2: usize, b3: usize, c0: usize, K4: i32, K: i32, acc: bool): void {
  let v0 = f32x4.splat(0), v1 = f32x4.splat(0), v2 = f32x4.splat(0), v3 = f32x4.splat(0);
  let k = 0;
  for (; k < K4; k += 4) {
    const o = <usize>(k << 2);
    const x = v128.load(a0 + o);
    v0 = madd(v0, x, v128.load(b0 + o));
    v1 = madd(v1, x, v128.load(b1 + o));
    v2 = madd(v2, x, v128.load(b2 + o));
    v3 = madd(v3, x, v128.load(b3 + o));
  }
  let s0 = sum4(v0), s1 = sum4(v1), s2 = sum4(v2), s3 = sum4(v3);
  for (; k < K; k++) {
    const o = <usize>(k << 2);
    const x = load<f32>(a0 + o);
    s0 += x * load<f32>(b0 + o);
    s1 += x * load<f32>(b1 + o);
    s2 += x * load<f32>(b2 + o);
    s3 += x * load<f32>(b3 + o);
  }
  put(c0, s0, acc); put(c0 + 4, s1, acc); put(c0 + 8, s2, acc); put(c0 + 12, s3, acc);
}

/** One A row against one B row. */
@inline function dots1x1(a0: usize, b0: usize, c0: usize, K4: i32, K: i32, acc: bool): void {
  let v = f32x4.splat(0);
  let k = 0;
  for (; k < K4; k += 4) {
    const o = <usize>(k << 2);
    v = madd(v, v128.load(a0 + o), v128.load(b0 + o));
  }
  let s = sum4(v);
  for (; k < K; k++) {
    const o = <usize>(k << 2);
    s += load<f32>(a0 + o) * load<f32>(b0 + o);
  }
  put(c0, s, acc);
}

export function gemm(a: usize, b: usize, c: usize, R: i32, N: i32, K: i32, acc: bool): void {
  const K4 = K & -4;
  const rowBytes = <usize>(K << 2), cRowBytes = <usize>(N << 2);
  let r = 0;
  for (; r + 1 < R; r += 2) {
    const a0 = a + <usize>r * rowBytes, a1 = a0 + rowBytes;
    const c0 = c + <usize>r * cRowBytes, c1 = c0 + cRowBytes;
    let n = 0;
    for (; n + 3 < N; n += 4) {
      const b0 = b + <usize>n * rowBytes, b1 = b0 + rowBytes, b2 = b1 + rowBytes, b3 = b2 + rowBytes;
      dots2x4(a0, a1, b0, b1, b2, b3, c0 + (<usize>n << 2), c1 + (<usize>n << 2), K4, K, acc);
    }
    for (; n < N; n++) dots2x1(a0, a1, b + <usize>n * rowBytes, c0 + (<usize>n << 2), c1 + (<usize>n << 2), K4, K, acc);
  }
  if (r < R) {
    const a0 = a + <usize>r * rowBytes;
    const c0 = c + <usize>r * cRowBytes;
    let n = 0;
    for (; n + 3 < N; n += 4) {
      const b0 = b + <usize>n * rowBytes, b1 = b0 + rowBytes, b2 = b1 + rowBytes, b3 = b2 + rowBytes;
      dots1x4(a0, b0, b1, b2, b3, c0 + (<usize>n << 2), K4, K, acc);
    }
    for (; n < N; n++) dots1x1(a0, b + <usize>n * rowBytes, c0 + (<usize>n << 2), K4, K, acc);
  }
}

// ---- bias and activation in place: c[r, n] = act(c[r, n] + bias[n]) --------------------------------------
// act: 0 identity, 1 tanh, 2 relu. tanh is Eigen's rational approximation for float (max error ~3e-7
// against Math.tanh, tested): clamp to +-7.905, then x p(x^2) / q(x^2) by Horner's rule.

const TANH_CLAMP: f32 = 7.90531110763549805;
const P0: f32 = -2.76076847742355e-16, P1: f32 = 2.00018790482477e-13, P2: f32 = -8.60467152213735e-11;
const P3: f32 = 5.12229709037114e-8, P4: f32 = 1.48572235717979e-5, P5: f32 = 6.37261928875436e-4, P6: f32 = 4.89352455891786e-3;
const Q0: f32 = 1.19825839466702e-6, Q1: f32 = 1.18534705686654e-4, Q2: f32 = 2.268434632439e-3, Q3: f32 = 4.89352518554385e-3;

@inline function horner4(x2: v128, c: v128, c1: f32): v128 {
  return f32x4.add(f32x4.mul(c, x2), f32x4.splat(c1));
}

@inline function tanh4(v: v128): v128 {
  v = f32x4.max(f32x4.min(v, f32x4.splat(TANH_CLAMP)), f32x4.splat(-TANH_CLAMP));
  const v2 = f32x4.mul(v, v);
  let p = f32x4.splat(P0);
  p = horner4(v2, p, P1); p = horner4(v2, p, P2); p = horner4(v2, p, P3);
  p = horner4(v2, p, P4); p = horner4(v2, p, P5); p = horner4(v2, p, P6);
  let q = f32x4.splat(Q0);
  q = horner4(v2, q, Q1); q = horner4(v2, q, Q2); q = horner4(v2, q, Q3);
  return f32x4.div(f32x4.mul(v, p), q);
}

@inline function tanh1(x: f32): f32 {
  x = max<f32>(min<f32>(x, TANH_CLAMP), -TANH_CLAMP);
  const x2 = x * x;
  let p = P0;
  p = p * x2 + P1; p = p * x2 + P2; p = p * x2 + P3; p = p * x2 + P4; p = p * x2 + P5; p = p * x2 + P6;
  let q = Q0;
  q = q * x2 + Q1; q = q * x2 + Q2; q = q * x2 + Q3;
  return (x * p) / q;
}

export function biasAct(c: usize, bias: usize, R: i32, N: i32, act: i32): void {
  const N4 = N & -4;
  let ptr = c;
  for (let r = 0; r < R; r++) {
    let n = 0;
    for (; n < N4; n += 4) {
      let v = f32x4.add(v128.load(ptr), v128.load(bias + (<usize>n << 2)));
      if (act == 2) v = f32x4.max(v, f32x4.splat(0));
      if (act == 1) v = tanh4(v);
      v128.store(ptr, v);
      ptr += 16;
    }
    for (; n < N; n++) {
      let x = load<f32>(ptr) + load<f32>(bias + (<usize>n << 2));
      if (act == 2) x = max<f32>(x, 0);
      if (act == 1) x = tanh1(x);
      store<f32>(ptr, x);
      ptr += 4;
    }
  }
}

// ---- C (R x N) (+)= op(A) B, B stored K x N; op(A) = A (R x K), or A^T of A stored K x R when trans ----
// Rows of C are built by axpy with f32x4 lanes along N (used for dW = dY^T X and dX = dY W, no transposed
// copies). Two rows of C at a time share each load of B; k runs in blocks of four, then one at a time, and
// every element of C adds its k terms in k order, so the blocking does not change a bit.

@inline function aAt(a: usize, row: i32, k: i32, R: i32, K: i32, trans: bool): f32 {
  return trans ? load<f32>(a + (<usize>(k * R + row) << 2)) : load<f32>(a + (<usize>(row * K + k) << 2));
}

/** c0, c1 (two rows of C) += x0j * B row j, x1j * B row j for the four B rows bj. */
@inline function axpy2x4(c0: usize, c1: usize, x00: f32, x01: f32, x02: f32, x03: f32, x10: f32, x11: f32, x12: f32, x13: f32,
  b0: usize, b1: usize, b2: usize, b3: usize, N4: i32, N: i32): void {
  const s00 = f32x4.splat(x00), s01 = f32x4.splat(x01), s02 = f32x4.splat(x02), s03 = f32x4.splat(x03);
  const s10 = f32x4.splat(x10), s11 = f32x4.splat(x11), s12 = f32x4.splat(x12), s13 = f32x4.splat(x13);
  let n = 0;
  for (; n < N4; n += 4) {
    const o = <usize>(n << 2);
    let y0 = v128.load(c0 + o), y1 = v128.load(c1 + o);
    let w = v128.load(b0 + o);
    y0 = madd(y0, s00, w); y1 = madd(y1, s10, w);
    w = v128.load(b1 + o);
    y0 = madd(y0, s01, w); y1 = madd(y1, s11, w);
    w = v128.load(b2 + o);
    y0 = madd(y0, s02, w); y1 = madd(y1, s12, w);
    w = v128.load(b3 + o);
    y0 = madd(y0, s03, w); y1 = madd(y1, s13, w);
    v128.store(c0 + o, y0); v128.store(c1 + o, y1);
  }
  for (; n < N; n++) {
    const o = <usize>(n << 2);
    let y0 = load<f32>(c0 + o), y1 = load<f32>(c1 + o);
    y0 += x00 * load<f32>(b0 + o); y1 += x10 * load<f32>(b0 + o);
    y0 += x01 * load<f32>(b1 + o); y1 += x11 * load<f32>(b1 + o);
    y0 += x02 * load<f32>(b2 + o); y1 += x12 * load<f32>(b2 + o);
    y0 += x03 * load<f32>(b3 + o); y1 += x13 * load<f32>(b3 + o);
    store<f32>(c0 + o, y0); store<f32>(c1 + o, y1);
  }
}

/** Two rows of C += one B row. */
@inline function axpy2x1(c0: usize, c1: usize, x0: f32, x1: f32, b0: usize, N4: i32, N: i32): void {
  const s0 = f32x4.splat(x0), s1 = f32x4.splat(x1);
  let n = 0;
  for (; n < N4; n += 4) {
    const o = <usize>(n << 2);
    const w = v128.load(b0 + o);
    v128.store(c0 + o, madd(v128.load(c0 + o), s0, w));
    v128.store(c1 + o, madd(v128.load(c1 + o), s1, w));
  }
  for (; n < N; n++) {
    const o = <usize>(n << 2);
    const w = load<f32>(b0 + o);
    store<f32>(c0 + o, load<f32>(c0 + o) + x0 * w);
    store<f32>(c1 + o, load<f32>(c1 + o) + x1 * w);
  }
}

/** One row of C += four B rows. */
@inline function axpy1x4(c0: usize, x0: f32, x1: f32, x2: f32, x3: f32, b0: usize, b1: usize, b2: usize, b3: usize, N4: i32, N: i32): void {
  const s0 = f32x4.splat(x0), s1 = f32x4.splat(x1), s2 = f32x4.splat(x2), s3 = f32x4.splat(x3);
  let n = 0;
  for (; n < N4; n += 4) {
    const o = <usize>(n << 2);
    let y = v128.load(c0 + o);
    y = madd(y, s0, v128.load(b0 + o));
    y = madd(y, s1, v128.load(b1 + o));
    y = madd(y, s2, v128.load(b2 + o));
    y = madd(y, s3, v128.load(b3 + o));
    v128.store(c0 + o, y);
  }
  for (; n < N; n++) {
    const o = <usize>(n << 2);
    let y = load<f32>(c0 + o);
    y += x0 * load<f32>(b0 + o);
    y += x1 * load<f32>(b1 + o);
    y += x2 * load<f32>(b2 + o);
    y += x3 * load<f32>(b3 + o);
    store<f32>(c0 + o, y);
  }
}

/** One row of C += one B row. */
@inline function axpy1x1(c0: usize, x0: f32, b0: usize, N4: i32, N: i32): void {
  const s0 = f32x4.splat(x0);
  let n = 0;
  for (; n < N4; n += 4) {
    const o = <usize>(n << 2);
    v128.store(c0 + o, madd(v128.load(c0 + o), s0, v128.load(b0 + o)));
  }
  for (; n < N; n++) {
    const o = <usize>(n << 2);
    store<f32>(c0 + o, load<f32>(c0 + o) + x0 * load<f32>(b0 + o));
  }
}

export function gemmAxpy(a: usize, b: usize, c: usize, R: i32, N: i32, K: i32, acc: bool, trans: bool): void {
  const N4 = N & -4, K4 = K & -4;
  const bRowBytes = <usize>(N << 2);
  let r = 0;
  for (; r + 1 < R; r += 2) {
    const c0 = c + <usize>r * bRowBytes, c1 = c0 + bRowBytes;
    if (!acc) { memory.fill(c0, 0, bRowBytes); memory.fill(c1, 0, bRowBytes); }
    let k = 0;
    for (; k < K4; k += 4) {
      const b0 = b + <usize>k * bRowBytes, b1 = b0 + bRowBytes, b2 = b1 + bRowBytes, b3 = b2 + bRowBytes;
      axpy2x4(c0, c1,
        aAt(a, r, k, R, K, trans), aAt(a, r, k + 1, R, K, trans), aAt(a, r, k + 2, R, K, trans), aAt(a, r, k + 3, R, K, trans),
        aAt(a, r + 1, k, R, K, trans), aAt(a, r + 1, k + 1, R, K, trans), aAt(a, r + 1, k + 2, R, K, trans), aAt(a, r + 1, k + 3, R, K, trans),
        b0, b1, b2, b3, N4, N);
    }
    for (; k < K; k++) axpy2x1(c0, c1, aAt(a, r, k, R, K, trans), aAt(a, r + 1, k, R, K, trans), b + <usize>k * bRowBytes, N4, N);
  }
  if (r < R) {
    const c0 = c + <usize>r * bRowBytes;
    if (!acc) memory.fill(c0, 0, bRowBytes);
    let k = 0;
    for (; k < K4; k += 4) {
      const b0 = b + <usize>k * bRowBytes, b1 = b0 + bRowBytes, b2 = b1 + bRowBytes, b3 = b2 + bRowBytes;
      axpy1x4(c0, aAt(a, r, k, R, K, trans), aAt(a, r, k + 1, R, K, trans), aAt(a, r, k + 2, R, K, trans), aAt(a, r, k + 3, R, K, trans),
        b0, b1, b2, b3, N4, N);
    }
    for (; k < K; k++) axpy1x1(c0, aAt(a, r, k, R, K, trans), b + <usize>k * bRowBytes, N4, N);
  }
}

// ---- gb[n] += sum over r of d[r, n], r in order (each add a float32 add, as the JS loop `g[j] += d`) ----

export function biasGrad(d: usize, gb: usize, R: i32, N: i32): void {
  const N4 = N & -4;
  const rowBytes = <usize>(N << 2);
  let n = 0;
  for (; n < N4; n += 4) {
    const g = gb + (<usize>n << 2);
    let s = v128.load(g);
    let p = d + (<usize>n << 2);
    for (let r = 0; r < R; r++, p += rowBytes) s = f32x4.add(s, v128.load(p));
    v128.store(g, s);
  }
  for (; n < N; n++) {
    const g = gb + (<usize>n << 2);
    let s = load<f32>(g);
    let p = d + (<usize>n << 2);
    for (let r = 0; r < R; r++, p += rowBytes) s += load<f32>(p);
    store<f32>(g, s);
  }
}

// ---- through the hidden activation, in place on d, given the layer's outputs x --------------------------
// tanh (act 1): d = f32(d * (1 - x * x)) in float64 like the JS expression it replaces, two lanes at a time;
// relu (act 2): d = 0 where x <= 0.

export function actGrad(d: usize, x: usize, n: i32, act: i32): void {
  if (act == 1) {
    const one = f64x2.splat(1);
    const n2 = n & -2;
    let k = 0;
    for (; k < n2; k += 2, d += 8, x += 8) {
      const xv = f64x2.promote_low_f32x4(v128.load64_zero(x));
      const dv = f64x2.promote_low_f32x4(v128.load64_zero(d));
      v128.store64_lane(d, f32x4.demote_f64x2_zero(f64x2.mul(dv, f64x2.sub(one, f64x2.mul(xv, xv)))), 0);
    }
    if (k < n) {
      const xs = <f64>load<f32>(x);
      store<f32>(d, <f32>(<f64>load<f32>(d) * (1 - xs * xs)));
    }
  } else if (act == 2) {
    for (let k = 0; k < n; k++, d += 4, x += 4) if (load<f32>(x) <= 0) store<f32>(d, 0);
  }
}

// ---- one Adam update, float32 storage and float64 arithmetic, exactly the JS expressions of Adam.step -------
// Two float64 lanes at a time over n (even) elements. When scaleOn, g = f32(g * scale) first (gradient
// clipping) and written back; m = b1 m + omb1 g; v = b2 v + (omb2 g) g;
// p -= (stepSize m) / (sqrt(v) / bc2Sqrt + eps), with the unrounded m and v.

@inline function load2(p: usize): v128 {
  return f64x2.promote_low_f32x4(v128.load64_zero(p));
}

@inline function store2(p: usize, v: v128): void {
  v128.store64_lane(p, f32x4.demote_f64x2_zero(v), 0);
}

export function adamStep(p: usize, g: usize, m: usize, v: usize, n: i32, scaleOn: bool,
  scale: f64, b1: f64, omb1: f64, b2: f64, omb2: f64, stepSize: f64, bc2Sqrt: f64, eps: f64): void {
  const SCALE = f64x2.splat(scale), B1 = f64x2.splat(b1), OMB1 = f64x2.splat(omb1), B2 = f64x2.splat(b2), OMB2 = f64x2.splat(omb2);
  const STEP = f64x2.splat(stepSize), BC2 = f64x2.splat(bc2Sqrt), EPS = f64x2.splat(eps);
  const end = <usize>(n << 2);
  for (let o: usize = 0; o < end; o += 8) {
    let gv = load2(g + o);
    if (scaleOn) {
      gv = f64x2.promote_low_f32x4(f32x4.demote_f64x2_zero(f64x2.mul(gv, SCALE)));
      store2(g + o, gv);
    }
    const mv = f64x2.add(f64x2.mul(B1, load2(m + o)), f64x2.mul(OMB1, gv));
    store2(m + o, mv);
    const vv = f64x2.add(f64x2.mul(B2, load2(v + o)), f64x2.mul(f64x2.mul(OMB2, gv), gv));
    store2(v + o, vv);
    const step = f64x2.div(f64x2.mul(STEP, mv), f64x2.add(f64x2.div(f64x2.sqrt(vv), BC2), EPS));
    store2(p + o, f64x2.sub(load2(p + o), step));
  }
}
