import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { spawnSync } from "node:child_process";
import { gemmModuleBytes } from "../../src/nn/gemm-wasm.js";

test("the committed kernels.wasm is exactly what src/nn/wasm/kernels.ts compiles to (npm run build:kernels)", () => {
  const res = spawnSync(process.execPath, ["scripts/build-kernels.mjs", "--check"], { encoding: "utf8" });
  assert.equal(res.status, 0, res.stderr + res.stdout);
});

/**
 * Runs every export of the kernels module on fixed pseudo-random memory (including zeros, denormals, large
 * values and non-finite ones; NaNs compared as NaN) over many shapes and hashes the memory after each call. The hash was recorded
 * with the hand-assembled module these kernels replaced: a change to the source that alters any bit of any
 * result (operation order, lane order, a fused multiply-add) fails here.
 */
function kernelOutputsDigest(bytes: Uint8Array): string {
  const k = new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports as Record<string, (...args: number[]) => void> & { memory: WebAssembly.Memory };
  const WORDS = 13000; // A at word 4, B at 4200, C at 8400: room for 64 x 64 operands
  const [A, B, C] = [16, 4 * 4200, 4 * 8400];
  if (k.memory.buffer.byteLength < 4 * WORDS) k.memory.grow(1);
  const special = [0, -0, 1e-40, -1e-40, 1e30, -1e30, 9, -9, 7.9053111, NaN, Infinity, -Infinity];
  let seed = 12345;
  const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const inputs = [false, true].map((withSpecial) => Float32Array.from({ length: WORDS },
    () => (withSpecial && rnd() < 0.05 ? special[Math.floor(rnd() * special.length)] : (rnd() - 0.5) * (rnd() < 0.1 ? 40 : 4))));
  const hash = createHash("sha256");
  const run = (input: Float32Array, call: () => void) => {
    new Float32Array(k.memory.buffer, 0, WORDS).set(input);
    call();
    // NaN bits are left to the platform by the WebAssembly spec: hash every NaN as one value
    const out = new Float32Array(k.memory.buffer, 0, WORDS).map((x) => (Number.isNaN(x) ? NaN : x));
    hash.update(new Uint8Array(out.buffer));
  };
  const dims = [1, 2, 3, 4, 5, 8, 9, 64];
  for (const input of inputs) {
    for (const R of dims) for (const N of dims) {
      for (const K of [1, 3, 4, 5, 8, 9, 64]) {
        for (const acc of [0, 1]) {
          run(input, () => k.gemm(A, B, C, R, N, K, acc));
          for (const trans of [0, 1]) run(input, () => k.gemmAxpy(A, B, C, R, N, K, acc, trans));
        }
      }
      for (const act of [0, 1, 2]) run(input, () => k.biasAct(A, B, R, N, act));
      run(input, () => k.biasGrad(A, B, R, N));
    }
    for (const n of [...dims, 101, 4096]) for (const act of [0, 1, 2]) run(input, () => k.actGrad(A, C, n, act));
    for (const n of [2, 6, 64, 1002]) for (const scaleOn of [0, 1]) for (const t of [1, 1000]) {
      const b1 = 0.9, b2 = 0.999;
      run(input, () => k.adamStep(A, A + 4 * 1002, A + 8 * 1002, A + 12 * 1002, n, scaleOn, 0.37, b1, 1 - b1, b2, 1 - b2, 3e-4 / (1 - b1 ** t), Math.sqrt(1 - b2 ** t), 1e-8));
    }
  }
  return hash.digest("hex");
}

test("every kernel's results are bit for bit those of the hand-assembled module they replaced", () => {
  assert.equal(kernelOutputsDigest(gemmModuleBytes()), "88bc8c7a2661b8c086aee52bec5760d114e27e1b56b7ae3183cde9ffd3fc0894");
});
