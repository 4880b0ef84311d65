// Slow learning check (npm run test:learning): A2C with rl-zoo's CartPole-v1 settings (8 envs, SB3
// defaults otherwise) reaches an evaluation return >= 400 within 200k env steps.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { trainRun } from "../../src/algos/index.js";

test("A2C CartPole-v1 (zoo): eval >= 400 by 200k steps", { timeout: 3_600_000 }, async () => {
  const base = mkdtempSync(join(tmpdir(), "guided-rl-a2c-cartpole-"));
  const t0 = performance.now();
  const r = await trainRun({ env: "CartPole-v1", algo: "a2c", seed: 0, totalTimesteps: 200_000, evalFreq: 10_000, out: join(base, "s0") });
  const line = `evals ${r.evals.map((e) => `${e.step}:${e.meanReturn.toFixed(0)}`).join(" ")} | ${r.stepsPerSecond.toFixed(0)} steps/s | ${((performance.now() - t0) / 1000).toFixed(0)} s`;
  console.log(line);
  assert.ok(Math.max(...r.evals.map((e) => e.meanReturn)) >= 400, line);
});
