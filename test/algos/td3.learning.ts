// Slow learning check (npm run test:learning): TD3 with rl-zoo's Pendulum-v1 settings (gamma 0.98, lr 1e-3,
// buffer 200k, 10k random warm-up steps, normal action noise 0.1, [400, 300] nets, SB3 defaults otherwise:
// batch 256, policy delay 2, target smoothing 0.2 clipped at 0.5) reaches an evaluation return >= -200
// within 20k env steps. Evaluation: 5 deterministic episodes every 5k steps on a separate env.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { trainRun } from "../../src/algos/index.js";

test("TD3 Pendulum-v1 (zoo): eval >= -200 by 20k steps", { timeout: 7_200_000 }, async () => {
  const t0 = performance.now();
  const r = await trainRun({ env: "Pendulum-v1", algo: "td3", seed: 0, totalTimesteps: 20_000, evalFreq: 5_000, out: join(mkdtempSync(join(tmpdir(), "guided-rl-td3-pendulum-")), "s0") });
  const best = Math.max(...r.evals.map((e) => e.meanReturn));
  const row = `seed 0: evals ${r.evals.map((e) => `${e.step}:${e.meanReturn.toFixed(0)}`).join(" ")} | ${r.stepsPerSecond.toFixed(1)} steps/s | ${((performance.now() - t0) / 1000).toFixed(0)} s`;
  console.log(row);
  assert.ok(best >= -200, row);
});
