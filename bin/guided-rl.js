#!/usr/bin/env node
// The `guided-rl` command. In a source checkout (src/ and tsx present) it runs the TypeScript sources
// through tsx, so it is never stale; in an installed package it runs the built dist/.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const source = new URL("../src/cli.ts", import.meta.url);
const built = new URL("../dist/cli.js", import.meta.url);

async function main() {
  if (existsSync(fileURLToPath(source))) {
    try {
      const { register } = await import("tsx/esm/api");
      register();
      await import(source.href);
      return;
    } catch (err) {
      if (err?.code !== "ERR_MODULE_NOT_FOUND" || !String(err.message).includes("tsx")) throw err;
    }
  }
  if (!existsSync(fileURLToPath(built))) {
    console.error("guided-rl: neither tsx (for src/) nor a built dist/ is available. Run `npm ci` then `npm run build`.");
    process.exit(1);
  }
  await import(built.href);
}
await main();
