#!/usr/bin/env node
/**
 * Builds the optional native BLAS addon (native/blas.c -> native/build/blas.node) with the system compiler
 * and OpenBLAS: `npm run build:native`. No node-gyp, no downloads: the Node headers come from the running
 * node's installation (<prefix>/include/node), OpenBLAS from the system (Debian: apt-get install
 * libopenblas-dev). Override with CC, NODE_INCLUDE_DIR, BLAS_CFLAGS and BLAS_LIBS.
 *
 * Exits non-zero with the reason when something is missing; the package still works without the addon
 * (src/nn falls back to its WebAssembly kernels).
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const source = join(root, "native", "blas.c");
const outDir = join(root, "native", "build");
const output = join(outDir, "blas.node");

const nodeInclude = process.env.NODE_INCLUDE_DIR ?? join(dirname(process.execPath), "..", "include", "node");
if (!existsSync(join(nodeInclude, "node_api.h"))) {
  console.error(`build-native: node_api.h not found in ${nodeInclude} (set NODE_INCLUDE_DIR to the Node headers)`);
  process.exit(1);
}
const cc = process.env.CC ?? "gcc";
const split = (s) => s.split(/\s+/).filter(Boolean);
const blasCflags = split(process.env.BLAS_CFLAGS ?? "");
const blasLibs = split(process.env.BLAS_LIBS ?? "-lopenblas");

mkdirSync(outDir, { recursive: true });
// -ffp-contract=off: no fused multiply-adds, so Adam and Polyak stay bit for bit the JS expressions;
// -fno-math-errno lets sqrt vectorise (errno is never read; IEEE results are unchanged).
const args = ["-O3", "-ffp-contract=off", "-fno-math-errno", "-shared", "-fPIC", "-Wall", "-I", nodeInclude, ...blasCflags, "-o", output, source, ...blasLibs, "-lm", "-lpthread"];
console.log(`build-native: ${cc} ${args.join(" ")}`);
try {
  execFileSync(cc, args, { stdio: "inherit" });
} catch (err) {
  console.error(`build-native: compilation failed (${err.message}). Is OpenBLAS installed (Debian: apt-get install libopenblas-dev)?`);
  process.exit(1);
}
console.log(`build-native: wrote ${output}`);
