/**
 * The one matrix product the MLP kernel needs: C (R x N) = A (R x K) * B^T, with B stored N x K, all
 * row-major Float32Arrays, optionally added to C. Register-blocked 2 rows x 4 columns so each loaded
 * element feeds several multiply-adds (V8 does not vectorise; this is what makes plain JS fast here).
 */
export function gemmABt(
  a: Float32Array, aOff: number,
  b: Float32Array, bOff: number,
  c: Float32Array, cOff: number,
  R: number, N: number, K: number,
  accumulate: boolean,
): void {
  let r = 0;
  for (; r + 1 < R; r += 2) {
    const a0 = aOff + r * K;
    const a1 = a0 + K;
    const c0 = cOff + r * N;
    const c1 = c0 + N;
    let n = 0;
    for (; n + 3 < N; n += 4) {
      const b0 = bOff + n * K;
      const b1 = b0 + K;
      const b2 = b1 + K;
      const b3 = b2 + K;
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      for (let k = 0; k < K; k++) {
        const x0 = a[a0 + k];
        const x1 = a[a1 + k];
        const w0 = b[b0 + k];
        const w1 = b[b1 + k];
        const w2 = b[b2 + k];
        const w3 = b[b3 + k];
        s00 += x0 * w0; s01 += x0 * w1; s02 += x0 * w2; s03 += x0 * w3;
        s10 += x1 * w0; s11 += x1 * w1; s12 += x1 * w2; s13 += x1 * w3;
      }
      if (accumulate) {
        c[c0 + n] += s00; c[c0 + n + 1] += s01; c[c0 + n + 2] += s02; c[c0 + n + 3] += s03;
        c[c1 + n] += s10; c[c1 + n + 1] += s11; c[c1 + n + 2] += s12; c[c1 + n + 3] += s13;
      } else {
        c[c0 + n] = s00; c[c0 + n + 1] = s01; c[c0 + n + 2] = s02; c[c0 + n + 3] = s03;
        c[c1 + n] = s10; c[c1 + n + 1] = s11; c[c1 + n + 2] = s12; c[c1 + n + 3] = s13;
      }
    }
    for (; n < N; n++) {
      const b0 = bOff + n * K;
      let s0 = 0, s1 = 0;
      for (let k = 0; k < K; k++) {
        const w = b[b0 + k];
        s0 += a[a0 + k] * w;
        s1 += a[a1 + k] * w;
      }
      if (accumulate) { c[c0 + n] += s0; c[c1 + n] += s1; }
      else { c[c0 + n] = s0; c[c1 + n] = s1; }
    }
  }
  for (; r < R; r++) {
    const a0 = aOff + r * K;
    const c0 = cOff + r * N;
    for (let n = 0; n < N; n++) {
      const b0 = bOff + n * K;
      let s = 0;
      for (let k = 0; k < K; k++) s += a[a0 + k] * b[b0 + k];
      if (accumulate) c[c0 + n] += s;
      else c[c0 + n] = s;
    }
  }
}
