/**
 * tfjs backend selection, once per process: tfjs-node when the real `@tensorflow/tfjs-node` package is
 * installed (danfojs-node installs plain tfjs under that name as an alias: the package.json name tells them
 * apart), else the wasm backend (SIMD when the runtime validates it), else cpu. The choice is logged once.
 *
 * Nothing in the package needs tfjs at run time: the algorithms use the Float32Array kernels in mlp.ts (faster
 * than tfjs at rl-zoo batch sizes, see bench/train.ts --kernel). tfjs is a devDependency for the kernels'
 * cross-check tests and the benchmark, and an optional peer for users' own models: it is loaded only here,
 * only when `selectBackend()` is called.
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { readFileSync } from "node:fs";
import { info } from "../core/log.js";
import { packageRoot } from "../core/paths.js";

export type BackendName = "tensorflow" | "wasm" | "cpu";

let selected: Promise<BackendName> | undefined;
// tfjs's own module type; kept loose so emitted .d.ts does not depend on tfjs types.
let tfModule: unknown;

function requireFromPackage(): NodeRequire {
  try {
    return createRequire(join(packageRoot(), "package.json"));
  } catch {
    return createRequire(process.cwd() + "/");
  }
}

/** Whether the genuine @tensorflow/tfjs-node (not danfo's alias to plain tfjs) can be loaded. */
export function hasRealTfjsNode(): boolean {
  const req = requireFromPackage();
  try {
    const manifest = req.resolve("@tensorflow/tfjs-node/package.json");
    const name = JSON.parse(readFileSync(manifest, "utf8")).name;
    return name === "@tensorflow/tfjs-node";
  } catch {
    return false;
  }
}

/** WebAssembly SIMD support, probed with a minimal module using a v128 instruction. */
export function wasmSimdSupported(): boolean {
  const probe = new Uint8Array([
    0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11,
  ]);
  try {
    return WebAssembly.validate(probe);
  } catch {
    return false;
  }
}

const log = (message: string) => info(`tfjs:${message}`, `guided-rl: ${message}`);

/**
 * Selects and initialises the tfjs backend (idempotent: later calls return the first choice).
 * `prefer` forces one backend (also via GUIDED_RL_TF_BACKEND=tensorflow|wasm|cpu).
 */
export function selectBackend(prefer?: BackendName): Promise<BackendName> {
  if (selected) return selected;
  selected = (async () => {
    const req = requireFromPackage();
    const forced = prefer ?? (process.env.GUIDED_RL_TF_BACKEND as BackendName | undefined);
    const wantNode = forced === undefined || forced === "tensorflow";
    if (wantNode && hasRealTfjsNode()) {
      tfModule = req("@tensorflow/tfjs-node");
      const tf = tfModule as { setBackend(n: string): Promise<boolean>; ready(): Promise<void> };
      await tf.setBackend("tensorflow");
      await tf.ready();
      log("tfjs backend: tensorflow (tfjs-node)");
      return "tensorflow";
    }
    let tf: { setBackend(n: string): Promise<boolean>; ready(): Promise<void> };
    try {
      tf = req("@tensorflow/tfjs");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "MODULE_NOT_FOUND") throw err;
      throw new Error("guided-rl: selectBackend() needs tfjs, which the package itself does not use: npm install @tensorflow/tfjs @tensorflow/tfjs-backend-wasm");
    }
    tfModule = tf;
    if (forced === undefined || forced === "wasm") {
      try {
        const wasm = req("@tensorflow/tfjs-backend-wasm") as { setWasmPaths(p: string | Record<string, string>): void };
        const dir = dirname(req.resolve("@tensorflow/tfjs-backend-wasm/package.json"));
        const dist = join(dir, "dist") + "/";
        wasm.setWasmPaths({
          "tfjs-backend-wasm.wasm": dist + "tfjs-backend-wasm.wasm",
          "tfjs-backend-wasm-simd.wasm": dist + "tfjs-backend-wasm-simd.wasm",
          "tfjs-backend-wasm-threaded-simd.wasm": dist + "tfjs-backend-wasm-threaded-simd.wasm",
        });
        if (await tf.setBackend("wasm")) {
          await tf.ready();
          log(`tfjs backend: wasm${wasmSimdSupported() ? " (SIMD)" : ""}`);
          return "wasm";
        }
      } catch (err) {
        log(`tfjs wasm backend unavailable (${(err as Error).message}); using cpu`);
      }
    }
    await tf.setBackend("cpu");
    await tf.ready();
    log("tfjs backend: cpu");
    return "cpu";
  })();
  return selected;
}

/** The tfjs module after `selectBackend()` (typed loosely; import @tensorflow/tfjs yourself for types). */
export function tfjs(): unknown {
  if (!tfModule) throw new Error("guided-rl: call `await selectBackend()` before using tfjs");
  return tfModule;
}
