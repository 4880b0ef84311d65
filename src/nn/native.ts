/**
 * The optional native matrix-product backend: native/build/blas.node, a small N-API addon over the system's
 * OpenBLAS (`cblas_sgemm`), built by `npm run build:native` (scripts/build-native.mjs). It pays off where
 * products are large, e.g. SAC's [256, 256] networks at batch 256: one 256x256x256 product takes ~0.35 ms
 * there on one thread against ~1.7 ms in the WebAssembly kernel (gemm-wasm.ts).
 *
 * Loaded on first request, once per process, and the outcome logged once:
 *   GUIDED_RL_NATIVE=0          never use it (the WebAssembly kernels serve everything)
 *   GUIDED_RL_NATIVE=1          require it: a missing or broken addon is an error, not a fallback
 *   (unset)                     use it when built, else fall back to the WebAssembly kernels
 *   GUIDED_RL_NATIVE_THREADS=n  threads for the products: 1, or 2 = our helper thread runs the second of two
 *                               independent products, or half of one large product; one thread makes the
 *                               very same one-thread OpenBLAS calls one after the other, so results do not
 *                               depend on the thread count, whatever kernel OpenBLAS picks (more than 2
 *                               counts as 2). Default: 2 where the machine has two or more cores, as torch
 *                               uses the machine's cores by default; set 1 to leave a core free. Products
 *                               too small to gain from a second thread stay on one (`PAIR_MIN_WORK`).
 *
 * The algorithms decide where it is used (`Mlp` with `backend: "native"`); PPO, A2C and DQN keep the
 * WebAssembly path so their seeded results do not depend on whether the addon is built.
 */
import { createRequire } from "node:module";
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { info } from "../core/log.js";
import { packageRoot } from "../core/paths.js";

/** The addon's functions (see native/blas.c); shapes are checked by the wrappers below. */
interface BlasAddon {
  sgemm(
    transA: boolean, transB: boolean, M: number, N: number, K: number, alpha: number,
    A: Float32Array, aOff: number, lda: number, B: Float32Array, bOff: number, ldb: number,
    beta: number, C: Float32Array, cOff: number, ldc: number,
  ): void;
  sgemmPair(...args: [...GemmCall, ...GemmCall]): void;
  biasAct(Y: Float32Array, R: number, N: number, P: Float32Array, biasOff: number, act: number): void;
  biasGrad(D: Float32Array, R: number, N: number, G: Float32Array, gOff: number): void;
  actGrad(D: Float32Array, X: Float32Array, n: number, act: number): void;
  adam(P: Float32Array, G: Float32Array, M: Float32Array, V: Float32Array, n: number, b1: number, b2: number, stepSize: number, bc2Sqrt: number, eps: number): void;
  polyak(T: Float32Array, S: Float32Array, n: number, tau: number): void;
  setThreads(n: number): void;
  getThreads(): number;
  config(): string;
}

/** The arguments of one product: transA, transB, M, N, K, alpha, A, aOff, lda, B, bOff, ldb, beta, C, cOff, ldc. */
export type GemmCall = [
  transA: boolean, transB: boolean, M: number, N: number, K: number, alpha: number,
  A: Float32Array, aOff: number, lda: number, B: Float32Array, bOff: number, ldb: number,
  beta: number, C: Float32Array, cOff: number, ldc: number,
];

/** Activation codes shared with the C side. */
export const ACT_CODE = { identity: 0, tanh: 1, relu: 2 } as const;

/** The native kernels with argument checks; each throws a clear error for shapes that do not fit. */
export interface NativeBlas {
  /** OpenBLAS's configuration line (version, kernel family), e.g. "OpenBLAS 0.3.21 ... | core Cooperlake". */
  readonly config: string;
  /** Threads the products may use (1 or 2; see GUIDED_RL_NATIVE_THREADS). */
  threads(): number;
  setThreads(n: number): void;
  /**
   * C (M x N, row-major, leading dimension ldc, from cOff) = alpha op(A) op(B) + beta C, where op(A) is
   * M x K (A stored K x M when transA) and op(B) is K x N (B stored N x K when transB).
   */
  sgemm(
    transA: boolean, transB: boolean, M: number, N: number, K: number, alpha: number,
    A: Float32Array, aOff: number, lda: number, B: Float32Array, bOff: number, ldb: number,
    beta: number, C: Float32Array, cOff: number, ldc: number,
  ): void;
  /**
   * Two independent products (see `sgemm`): concurrently when `threads()` >= 2 (the second on a helper
   * thread), else one after the other. Either way the same one-thread OpenBLAS calls (a large product in
   * its two row halves, see `blocks`), so results are bit for bit the same on 1 or 2 threads.
   */
  sgemmPair(first: GemmCall, second: GemmCall): void;
  /**
   * `sgemm` for the MLPs: a large product is computed in its two row halves, side by side when `threads()`
   * >= 2, else one after the other: the same OpenBLAS calls, so bit for bit the same result on 1 or 2 threads.
   */
  gemm(call: GemmCall): void;
  /** Y[r, n] += P[biasOff + n] for r < R, n < N, then the activation (Y holds R x N rows from index 0). */
  biasAct(Y: Float32Array, R: number, N: number, P: Float32Array, biasOff: number, activation: keyof typeof ACT_CODE): void;
  /** G[gOff + n] += sum over r < R of D[r, n]. */
  biasGrad(D: Float32Array, R: number, N: number, G: Float32Array, gOff: number): void;
  /** D[i] *= f'(.) for i < n, from the activation's outputs X: 1 - X^2 (tanh) or X > 0 (ReLU). */
  actGrad(D: Float32Array, X: Float32Array, n: number, activation: keyof typeof ACT_CODE): void;
  /**
   * One torch.optim.Adam step over a whole group: float32 storage, float64 arithmetic, the expressions and
   * order of optim.ts's Adam (bit for bit the same result).
   */
  adamUpdate(params: Float32Array, grads: Float32Array, m: Float32Array, v: Float32Array, beta1: number, beta2: number, stepSize: number, bc2Sqrt: number, eps: number): void;
  /** target = target (1 - tau) + source tau (float64 arithmetic, as Mlp.polyakUpdate). */
  polyak(target: Float32Array, source: Float32Array, tau: number): void;
}

/** Which kernel family serves an MLP's products. */
export type GemmBackend = "native" | "wasm" | "js";

let loaded: NativeBlas | null | undefined;
let reason = "";

const log = (message: string) => info("gemm-backend", `guided-rl: ${message}`);

/** Where the addon is expected: <package root>/native/build/blas.node. */
export function nativeAddonPath(): string {
  return join(packageRoot(), "native", "build", "blas.node");
}

function readThreads(): number {
  const text = process.env.GUIDED_RL_NATIVE_THREADS;
  if (text === undefined || text === "") return Math.min(2, availableParallelism());
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`GUIDED_RL_NATIVE_THREADS must be a positive integer, got "${text}"`);
  return n;
}

const dim = (name: string, v: number) => {
  if (!Number.isInteger(v) || v < 0) throw new Error(`native sgemm: ${name} must be a non-negative integer, got ${v}`);
};

/** Checks that a rows x cols matrix with leading dimension ld from `off` lies inside `arr`. */
function checkMatrix(op: string, name: string, arr: Float32Array, off: number, rows: number, cols: number, ld: number): void {
  if (!(arr instanceof Float32Array)) throw new Error(`native ${op}: ${name} must be a Float32Array`);
  if (!Number.isInteger(off) || off < 0) throw new Error(`native ${op}: ${name} offset must be a non-negative integer, got ${off}`);
  if (!Number.isInteger(ld) || ld < Math.max(1, cols)) throw new Error(`native ${op}: leading dimension of ${name} must be >= ${Math.max(1, cols)}, got ${ld}`);
  const need = rows === 0 || cols === 0 ? off : off + (rows - 1) * ld + cols;
  if (need > arr.length) {
    throw new Error(`native ${op}: ${name} (${rows} x ${cols}, leading dimension ${ld}, from ${off}) needs ${need} values, has ${arr.length}`);
  }
}

function checkGemm([transA, transB, M, N, K, , A, aOff, lda, B, bOff, ldb, , C, cOff, ldc]: GemmCall): void {
  dim("M", M);
  dim("N", N);
  dim("K", K);
  checkMatrix("sgemm", "A", A, aOff, transA ? K : M, transA ? M : K, lda);
  checkMatrix("sgemm", "B", B, bOff, transB ? N : K, transB ? K : N, ldb);
  checkMatrix("sgemm", "C", C, cOff, M, N, ldc);
}

/** Products below this many multiply-adds are computed in one block (a hand-off to a second thread would cost more). */
const SPLIT_MIN_WORK = 1 << 20;

/**
 * The OpenBLAS calls that compute one product: its two row halves (rows of op(A), so rows of A or columns
 * of A when transposed; the matching rows of C) when it is large, else the product itself. Decided by the
 * shape alone, never by the thread count: a kernel's blocking may make a half's sums differ from the whole
 * product's in the last bit (OpenBLAS's Haswell kernel with OPENBLAS_L2_SIZE=512 does), so the one-thread
 * path makes exactly the calls the two-thread path makes and results are identical on 1 or 2 threads.
 */
function blocks(call: GemmCall): GemmCall[] {
  const [transA, transB, M, N, K, alpha, A, aOff, lda, B, bOff, ldb, beta, C, cOff, ldc] = call;
  if (M < 32 || M * N * K < SPLIT_MIN_WORK) return [call];
  const half = M >> 1;
  return [
    [transA, transB, half, N, K, alpha, A, aOff, lda, B, bOff, ldb, beta, C, cOff, ldc],
    [transA, transB, M - half, N, K, alpha, A, aOff + (transA ? half : half * lda), lda, B, bOff, ldb, beta, C, cOff + half * ldc, ldc],
  ];
}

/**
 * Two products run side by side only when each has at least this many multiply-adds; smaller ones run one
 * after the other on the calling thread. Which calls are made does not change (`blocks` decides that), only
 * whether they overlap, so results are the same either way. Below it the hand-off costs more than it saves:
 * `npx tsx bench/train.ts --sac-update 1000 --net 64,64 --threads 2` (LMGT's Pendulum networks) took
 * 1.02-1.05 ms wall / 1.60-1.66 ms CPU per update pairing every product and 0.82-0.83 / 0.90 with this bound
 * (1 thread: 0.78 / 0.80); with `--net 256,256` 5.05-5.12 / 8.14-8.24 ms and 4.88-4.96 / 7.50-7.67 ms.
 * So a product of 1M-8M multiply-adds is computed in two halves that never overlap: raising SPLIT_MIN_WORK
 * to match would change which calls are made, and with them the last bits of seeded results.
 */
const PAIR_MIN_WORK = 1 << 22;
const work = (call: GemmCall) => call[2] * call[3] * call[4];

function wrap(addon: BlasAddon): NativeBlas {
  // OpenBLAS itself always runs one thread per call: its idle workers spin for a long time after each
  // threaded call and would compete with ours. Two threads here means our own helper thread (sgemmPair):
  // concurrent twin products, or the two halves of one product.
  addon.setThreads(1);
  let threadCount = 1;
  // The OpenBLAS calls are the same whatever the thread count (`blocks` looks at shapes only); two threads
  // only decide which of them run at the same time. Block i of the first product runs beside block i of
  // the second (or, for one product, its two halves side by side) when both are of PAIR_MIN_WORK or more.
  const run = (first: GemmCall[], second: GemmCall[]): void => {
    if (second.length === 0 && first.length === 2) [first, second] = [[first[0]], [first[1]]];
    for (let i = 0; i < Math.max(first.length, second.length); i++) {
      const [p, q] = [first[i], second[i]];
      if (p && q && threadCount >= 2 && Math.min(work(p), work(q)) >= PAIR_MIN_WORK) addon.sgemmPair(...p, ...q);
      else for (const call of [p, q]) if (call) addon.sgemm(...call);
    }
  };
  return {
    config: addon.config(),
    threads: () => threadCount,
    setThreads(n) {
      if (!Number.isInteger(n) || n < 1) throw new Error(`native BLAS: threads must be a positive integer, got ${n}`);
      threadCount = Math.min(n, 2);
    },
    sgemm(transA, transB, M, N, K, alpha, A, aOff, lda, B, bOff, ldb, beta, C, cOff, ldc) {
      checkGemm([transA, transB, M, N, K, alpha, A, aOff, lda, B, bOff, ldb, beta, C, cOff, ldc]);
      addon.sgemm(transA, transB, M, N, K, alpha, A, aOff, lda, B, bOff, ldb, beta, C, cOff, ldc);
    },
    gemm(call) {
      checkGemm(call);
      run(blocks(call), []);
    },
    sgemmPair(first, second) {
      checkGemm(first);
      checkGemm(second);
      const written = ([, , M, N, , , , , , , , , , C, cOff, ldc]: GemmCall): [number, number] =>
        M * N === 0 ? [0, 0] : [C.byteOffset + 4 * cOff, C.byteOffset + 4 * (cOff + (M - 1) * ldc + N)];
      const [s1, e1] = written(first);
      const [s2, e2] = written(second);
      if (first[13].buffer === second[13].buffer && s1 < e2 && s2 < e1) {
        throw new Error("native sgemmPair: the two products write to overlapping memory (they run concurrently)");
      }
      run(blocks(first), blocks(second));
    },
    biasAct(Y, R, N, P, biasOff, activation) {
      checkMatrix("biasAct", "Y", Y, 0, R, N, Math.max(1, N));
      checkMatrix("biasAct", "bias", P, biasOff, 1, N, Math.max(1, N));
      addon.biasAct(Y, R, N, P, biasOff, ACT_CODE[activation]);
    },
    biasGrad(D, R, N, G, gOff) {
      checkMatrix("biasGrad", "D", D, 0, R, N, Math.max(1, N));
      checkMatrix("biasGrad", "G", G, gOff, 1, N, Math.max(1, N));
      addon.biasGrad(D, R, N, G, gOff);
    },
    actGrad(D, X, n, activation) {
      if (!Number.isInteger(n) || n < 0 || n > D.length || n > X.length) throw new Error(`native actGrad: ${n} values do not fit arrays of ${D.length} and ${X.length}`);
      addon.actGrad(D, X, n, ACT_CODE[activation]);
    },
    adamUpdate(params, grads, m, v, beta1, beta2, stepSize, bc2Sqrt, eps) {
      const n = params.length;
      if (grads.length !== n || m.length !== n || v.length !== n) {
        throw new Error(`native adam: params, grads, m and v must have the same length (${n}, ${grads.length}, ${m.length}, ${v.length})`);
      }
      addon.adam(params, grads, m, v, n, beta1, beta2, stepSize, bc2Sqrt, eps);
    },
    polyak(target, source, tau) {
      if (target.length !== source.length) throw new Error(`native polyak: target has ${target.length} values, source ${source.length}`);
      addon.polyak(target, source, target.length, tau);
    },
  };
}

/**
 * The native kernels, or null when disabled (GUIDED_RL_NATIVE=0) or not built (then the reason is logged
 * once and `nativeUnavailableReason()` tells it). Throws when GUIDED_RL_NATIVE=1 and the addon cannot be
 * loaded. The first successful load sets the thread count from GUIDED_RL_NATIVE_THREADS (default: 2 on a machine with two or more cores).
 */
export function nativeBlas(): NativeBlas | null {
  if (loaded !== undefined) return loaded;
  const mode = process.env.GUIDED_RL_NATIVE;
  if (mode !== undefined && mode !== "" && mode !== "0" && mode !== "1") {
    throw new Error(`GUIDED_RL_NATIVE must be 0 (off) or 1 (required), got "${mode}"`);
  }
  if (mode === "0") {
    reason = "native BLAS disabled (GUIDED_RL_NATIVE=0)";
    log(`gemm backend: WebAssembly SIMD kernels (${reason})`);
    return (loaded = null);
  }
  const path = nativeAddonPath();
  let blas: NativeBlas | null = null;
  if (!existsSync(path)) {
    reason = `native BLAS not built: \`npm run build:native\` (needs gcc and OpenBLAS, e.g. apt-get install libopenblas-dev) writes ${path}`;
  } else {
    try {
      blas = wrap(createRequire(join(packageRoot(), "package.json"))(path) as BlasAddon);
      blas.setThreads(readThreads());
    } catch (err) {
      blas = null;
      reason = `native BLAS failed to load from ${path}: ${(err as Error).message}`;
    }
  }
  if (!blas) {
    if (mode === "1") throw new Error(`GUIDED_RL_NATIVE=1 but ${reason}`);
    log(`gemm backend: WebAssembly SIMD kernels (${reason})`);
    return (loaded = null);
  }
  loaded = blas;
  log(`gemm backend: ${describeLoaded(blas)}`);
  return loaded;
}

function describeLoaded(blas: NativeBlas): string {
  const t = blas.threads();
  return `native OpenBLAS (${blas.config}), ${t} thread${t === 1 ? "" : "s"}`;
}

/** Why `nativeBlas()` returned null ("" when it is loaded or was not asked for yet). */
export function nativeUnavailableReason(): string {
  return reason;
}

/** A one-line description of the native backend for reports: "native OpenBLAS ..., 1 thread" or why not. */
export function describeNativeBackend(): string {
  const blas = nativeBlas();
  return blas ? describeLoaded(blas) : `wasm (${reason})`;
}
