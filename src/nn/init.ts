/**
 * Weight initialisation as PyTorch / Stable-Baselines3 do it: `orthogonal_(weight, gain)` and zero biases.
 */
import type { Random } from "./random.js";

/**
 * An orthogonal (rows x cols) matrix scaled by `gain`, row-major, following torch.nn.init.orthogonal_:
 * draw a Gaussian matrix, take Q of its QR decomposition (of the transpose when rows < cols) with the sign
 * convention that makes R's diagonal positive, then scale. Computed in float64 with modified Gram-Schmidt
 * (run twice for numerical orthogonality), which yields exactly that Q.
 */
export function orthogonal(rows: number, cols: number, gain: number, rng: Random): Float32Array {
  const transpose = rows < cols;
  const m = transpose ? cols : rows; // tall side
  const n = transpose ? rows : cols;
  // a[c][r]: column-major columns of the tall m x n matrix
  const cols64: Float64Array[] = [];
  const gaussian = new Float64Array(rows * cols);
  for (let i = 0; i < gaussian.length; i++) gaussian[i] = rng.normal();
  for (let c = 0; c < n; c++) {
    const col = new Float64Array(m);
    for (let r = 0; r < m; r++) col[r] = transpose ? gaussian[c * cols + r] : gaussian[r * cols + c];
    cols64.push(col);
  }
  for (let c = 0; c < n; c++) {
    const v = cols64[c];
    for (let pass = 0; pass < 2; pass++) {
      for (let p = 0; p < c; p++) {
        const q = cols64[p];
        let dot = 0;
        for (let r = 0; r < m; r++) dot += q[r] * v[r];
        for (let r = 0; r < m; r++) v[r] -= dot * q[r];
      }
    }
    let norm = 0;
    for (let r = 0; r < m; r++) norm += v[r] * v[r];
    norm = Math.sqrt(norm);
    if (norm === 0) throw new Error("orthogonal: degenerate Gaussian draw");
    for (let r = 0; r < m; r++) v[r] /= norm;
  }
  const out = new Float32Array(rows * cols);
  for (let c = 0; c < n; c++) {
    const q = cols64[c];
    for (let r = 0; r < m; r++) {
      if (transpose) out[c * cols + r] = gain * q[r];
      else out[r * cols + c] = gain * q[r];
    }
  }
  return out;
}

/** PyTorch's default nn.Linear init: U(-1/sqrt(fanIn), 1/sqrt(fanIn)) for weights and biases. */
export function torchDefaultUniform(count: number, fanIn: number, rng: Random): Float32Array {
  const bound = 1 / Math.sqrt(fanIn);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = (2 * rng.random() - 1) * bound;
  return out;
}
