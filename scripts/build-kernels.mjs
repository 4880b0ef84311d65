#!/usr/bin/env node
/**
 * Compiles the WebAssembly SIMD kernels from their AssemblyScript source (src/nn/wasm/kernels.ts) to the
 * committed src/nn/wasm/kernels.wasm: `npm run build:kernels`. `--check` compiles in memory and exits 1
 * when the committed file differs (test/nn/kernels-build.test.ts runs it). AssemblyScript is a pinned
 * devDependency and its output is deterministic, so the same source gives the same bytes everywhere.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import asc from "assemblyscript/asc";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const source = join("src", "nn", "wasm", "kernels.ts");
const output = join(root, "src", "nn", "wasm", "kernels.wasm");
// -O3 keeps every float operation as written (Binaryen only folds what is exact); no runtime, no imports,
// one page of memory the host grows as it needs.
const FLAGS = ["-O3", "--enable", "simd", "--runtime", "stub", "--noAssert", "--use", "abort=", "--initialMemory", "1"];

let wasm;
const { error, stderr } = await asc.main([source, ...FLAGS, "--outFile", "kernels.wasm"], {
  baseDir: root,
  writeFile(name, contents) {
    if (name.endsWith(".wasm")) wasm = contents;
  },
});
if (error || !wasm) {
  console.error(`build-kernels: asc failed: ${error?.message ?? "no output"}\n${stderr.toString()}`);
  process.exit(1);
}
if (process.argv.includes("--check")) {
  const committed = readFileSync(output);
  if (!Buffer.from(wasm).equals(committed)) {
    console.error(`build-kernels: ${output} (${committed.length} bytes) is not what ${source} compiles to (${wasm.length} bytes): run npm run build:kernels and commit both`);
    process.exit(1);
  }
  console.log(`build-kernels: ${source} compiles to the committed kernels.wasm (${wasm.length} bytes)`);
} else {
  writeFileSync(output, wasm);
  console.log(`build-kernels: wrote ${output} (${wasm.length} bytes)`);
}
