/**
 * Gymnasium's own hand-written controllers as a physics check: on the real environments the lander
 * heuristic lands (Gymnasium's heuristic scores roughly 200-300 per episode) and the walker heuristic
 * walks a good part of the course. Measured here: lander returns 181-319 on 19 of 20 seeds (one crash,
 * -75), mean 245; continuous 248-307; the walker covers 70-82 m of the 88.7 m course on seeds 1 and 2.
 */
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { makeAsync } from "../../src/core/registry.js";
import "../../src/envs/index.js";
import { BipedalWalkerHeuristic, lunarLanderHeuristic } from "../../src/envs/box2d/heuristics.js";
import { recordEpisode } from "../../src/envs/box2d/render/record.js";

before(async () => {
  await makeAsync("LunarLander-v3");
});

for (const id of ["LunarLander-v3", "LunarLanderContinuous-v3"]) {
  test(`${id}: Gymnasium's heuristic lands (mean return over 10 seeds > 200)`, async () => {
    const env = await makeAsync(id);
    const returns: number[] = [];
    let landed = 0;
    for (let seed = 0; seed < 10; seed++) {
      const run = recordEpisode(env, { seed, policy: (obs: Float32Array) => lunarLanderHeuristic(obs, id.includes("Continuous")), maxSteps: 1000 });
      returns.push(run.totalReward);
      if (run.terminated && run.rewards.at(-1) === 100) landed++;
    }
    env.close();
    const mean = returns.reduce((a, b) => a + b, 0) / returns.length;
    assert.ok(mean > 200, `mean heuristic return ${mean.toFixed(1)} (${returns.map((r) => r.toFixed(0)).join(", ")})`);
    assert.ok(landed >= 8, `landed and came to rest in ${landed} of 10 episodes`);
  });
}

test("BipedalWalker-v3: Gymnasium's heuristic gait walks forward", async () => {
  const env = await makeAsync("BipedalWalker-v3");
  const distances: number[] = [];
  for (let seed = 0; seed < 5; seed++) {
    const walker = new BipedalWalkerHeuristic();
    const run = recordEpisode(env, { seed, policy: (obs: Float32Array) => walker.act(obs), maxSteps: 1600, every: 1600 });
    distances.push(run.frames.at(-1)!.viewX + 600 / 30 / 5); // the camera sits 4 m behind the hull
  }
  env.close();
  assert.ok(distances.filter((d) => d > 44).length >= 2, `hull x at the end: ${distances.map((d) => d.toFixed(1)).join(", ")}`);
});
