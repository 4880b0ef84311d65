// Slow learning check (npm run test:learning): DQN with rl-zoo's CartPole-v1 settings ([256, 256] Q-network,
// lr 2.3e-3, batch 64, train_freq 256 with 128 gradient steps, target update every 10 steps, epsilon to
// 0.04 over 16% of training) reaches an evaluation return >= 475 within 100k env steps for 3 of 3 seeds.
// Evaluation: 5 deterministic episodes every 10k steps on a separate env (as the SB3 reference runs).
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { trainRun } from "../../src/algos/index.js";

test("DQN CartPole-v1 (zoo): eval >= 475 by 100k steps, 3 of 3 seeds", { timeout: 7_200_000 }, async () => {
  const base = mkdtempSync(join(tmpdir(), "guided-rl-dqn-cartpole-"));
  const rows: string[] = [];
  let passed = 0;
  for (const seed of [0, 1, 2]) {
    const t0 = performance.now();
    const r = await trainRun({ env: "CartPole-v1", algo: "dqn", seed, totalTimesteps: 100_000, evalFreq: 10_000, out: join(base, `s${seed}`) });
    const best = Math.max(...r.evals.map((e) => e.meanReturn));
    const first = r.evals.find((e) => e.meanReturn >= 475);
    if (best >= 475) passed++;
    rows.push(`seed ${seed}: evals ${r.evals.map((e) => `${e.step}:${e.meanReturn.toFixed(0)}`).join(" ")} | first >= 475 at ${first?.step ?? "-"} | ${r.stepsPerSecond.toFixed(0)} steps/s | ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    console.log(rows.at(-1));
  }
  assert.equal(passed, 3, rows.join("\n"));
});
