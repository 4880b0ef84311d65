/**
 * Loads box2d-wasm (Box2D 2.4.1 compiled to WebAssembly) once per process.
 *
 * The package's own loader fetches the .wasm file with `fetch`, which fails in Node (a file path is not a
 * URL) and in tslab. So the binary is read from disk here and handed over as `wasmBinary`; the SIMD build
 * is chosen when this runtime validates a SIMD probe module, as box2d-wasm's browser entry does.
 *
 *     await loadBox2D();          // once, before making a Box2D environment
 *     const env = make("BipedalWalker-v3");
 */
/// <reference types="box2d-wasm" />
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/** The loaded box2d-wasm module: Box2D's classes plus the Emscripten heap views. */
export type Box2DModule = typeof Box2D & EmscriptenModule;

/** Which build was loaded and from where. */
export interface Box2DBuildInfo {
  simd: boolean;
  wasmPath: string;
}

// A minimal module using one SIMD instruction (i8x16.splat / v128 ops), the probe wasm-feature-detect uses.
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11,
]);

let loaded: Box2DModule | undefined;
let loading: Promise<Box2DModule> | undefined;
let buildInfo: Box2DBuildInfo | undefined;

/** Whether this runtime supports WebAssembly SIMD (then the faster `.simd.wasm` build is used). */
export function wasmSimdSupported(): boolean {
  try {
    return WebAssembly.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

/**
 * Loads box2d-wasm if it is not loaded yet and resolves to the module. Safe to call many times and
 * concurrently. `simd: false` forces the plain build (only honoured by the first call).
 */
export function loadBox2D(opts: { simd?: boolean } = {}): Promise<Box2DModule> {
  if (loaded) return Promise.resolve(loaded);
  if (loading) return loading;
  loading = (async () => {
    const require = createRequire(import.meta.url);
    // The package's "main" is dist/umd/entry.js; the CommonJS builds sit beside it.
    const dir = dirname(require.resolve("box2d-wasm"));
    const simd = opts.simd ?? wasmSimdSupported();
    const base = simd ? "Box2D.simd" : "Box2D";
    const wasmPath = join(dir, `${base}.wasm`);
    const factory = require(join(dir, `${base}.js`)) as (init: Partial<EmscriptenModule>) => Promise<Box2DModule>;
    const bytes = readFileSync(wasmPath);
    const wasmBinary = new ArrayBuffer(bytes.byteLength);
    new Uint8Array(wasmBinary).set(bytes);
    const module = await factory({ wasmBinary });
    buildInfo = { simd, wasmPath };
    loaded = module;
    return module;
  })();
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}

/** True once `loadBox2D()` has resolved. */
export function isBox2DLoaded(): boolean {
  return loaded !== undefined;
}

/** Which build is loaded (undefined before `loadBox2D()` resolves). */
export function box2dBuildInfo(): Box2DBuildInfo | undefined {
  return buildInfo;
}

/**
 * The loaded module, for synchronous code (environment constructors). Throws a clear error when
 * `loadBox2D()` has not finished: `make()` is synchronous and cannot wait for WebAssembly.
 */
export function box2d(): Box2DModule {
  if (!loaded) {
    throw new Error(
      "box2d-wasm is not loaded yet: `await loadBox2D()` once before making a Box2D environment " +
        "(or use `await makeAsync(id)`, which loads it for you).",
    );
  }
  return loaded;
}
