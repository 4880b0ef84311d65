/**
 * Slow learning check (npm run test:learning): on CartPole with DQN and PPO, LMGT scored by the surrogate
 * at full quality beats the baseline at an early budget (mean over 3 seeds), and chance-quality scores do
 * worse than full-quality ones. The full protocol (5 seeds, 20k steps) is `guided-rl reproduce lmgt --budget full`.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { runLmgtTrial, type LmgtTrialSpec } from "../../src/experiments/lmgt/trial.js";
import { defaultGuideSettings } from "../../src/experiments/lmgt/protocol.js";
import { CHANCE_QUALITY } from "../../src/guides/lmgt/surrogate/handler.js";

const SEEDS = [0, 1, 2];

async function meanReturn(algo: "dqn" | "ppo", arm: "baseline" | "full" | "chance"): Promise<number> {
  let total = 0;
  for (const seed of SEEDS) {
    const guide = defaultGuideSettings("cartpole");
    const spec: LmgtTrialSpec = {
      env: "cartpole", algo, seed, experiment: "learning", variant: arm, totalTimesteps: 2048, checkpoints: [2048], evalEpisodes: 5,
      ...(arm === "baseline" ? {} : { guide: arm === "chance" ? { ...guide, quality: CHANCE_QUALITY } : guide }),
    };
    total += (await runLmgtTrial(spec)).evalReturns[0]!;
  }
  return total / SEEDS.length;
}

for (const algo of ["dqn", "ppo"] as const) {
  test(`CartPole ${algo.toUpperCase()}: LMGT (surrogate, full quality) beats the baseline at 2k steps; chance quality does not match it`, async () => {
    const baseline = await meanReturn(algo, "baseline");
    const full = await meanReturn(algo, "full");
    const chance = await meanReturn(algo, "chance");
    console.log(`${algo}: baseline ${baseline.toFixed(1)}, LMGT full ${full.toFixed(1)}, LMGT chance ${chance.toFixed(1)}`);
    assert.ok(full > baseline, `full ${full} vs baseline ${baseline}`);
    assert.ok(chance < full, `chance ${chance} vs full ${full}`);
  });
}
