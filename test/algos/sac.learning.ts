// Slow learning check (npm run test:learning): SAC with rl-zoo's Pendulum-v1 settings (lr 1e-3, SB3 defaults
// otherwise: [256, 256] nets, batch 256, one gradient step per env step, automatic entropy tuning) reaches
// an evaluation return >= -200 within 20k env steps (SB3 here: -98 at 20k, -160 at 5k).
// Evaluation: 5 deterministic episodes every 5k steps on a separate env.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { trainRun } from "../../src/algos/index.js";

test("SAC Pendulum-v1 (zoo): eval >= -200 by 20k steps", { timeout: 7_200_000 }, async () => {
  const t0 = performance.now();
  const r = await trainRun({ env: "Pendulum-v1", algo: "sac", seed: 0, totalTimesteps: 20_000, evalFreq: 5_000, out: join(mkdtempSync(join(tmpdir(), "guided-rl-sac-pendulum-")), "s0") });
  const best = Math.max(...r.evals.map((e) => e.meanReturn));
  const row = `seed 0: evals ${r.evals.map((e) => `${e.step}:${e.meanReturn.toFixed(0)}`).join(" ")} | ${r.stepsPerSecond.toFixed(1)} steps/s | ${((performance.now() - t0) / 1000).toFixed(0)} s`;
  console.log(row);
  assert.ok(best >= -200, row);
});
