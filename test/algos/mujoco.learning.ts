// CI sanity check of learning on MuJoCo (npm run test:learning): PPO with rl-zoo's InvertedPendulum settings
// (VecNormalize, 1 env, nSteps 32, batch 64, 5 epochs, lr 2.2e-4, clip 0.4, gamma 0.999) balances
// InvertedPendulum-v5 for the whole 1000-step episode (evaluation return 1000) within 25k env steps.
// The long MuJoCo checks (Hopper, HalfCheetah at 1M steps) are bench/learning-checks.ts.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { trainRun } from "../../src/algos/index.js";

test("PPO InvertedPendulum-v5 (zoo): eval 1000 within 25k steps", { timeout: 1_800_000 }, async () => {
  const t0 = performance.now();
  const out = join(mkdtempSync(join(tmpdir(), "guided-rl-ppo-invpend-")), "s0");
  const r = await trainRun({
    env: "InvertedPendulum-v5", algo: "ppo", seed: 0, totalTimesteps: 25_000, evalFreq: 5_000, out,
    callback: (p) => !(p.epRewMean >= 1000),
  });
  // Training stops once the mean training return reaches 1000; the final evaluation is then made at that step.
  const best = Math.max(r.finalEval.meanReturn, ...r.evals.map((e) => e.meanReturn));
  const row = `seed 0: evals ${r.evals.map((e) => `${e.step}:${e.meanReturn.toFixed(0)}`).join(" ")} final ${r.finalEval.step}:${r.finalEval.meanReturn.toFixed(0)} | ${r.stepsPerSecond.toFixed(0)} steps/s | ${((performance.now() - t0) / 1000).toFixed(0)} s`;
  console.log(row);
  assert.ok(best >= 1000, row);
});
