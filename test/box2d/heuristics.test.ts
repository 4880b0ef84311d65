/**
 * Gymnasium's own hand-written controllers as a physics check: on the real environments the lander
 * heuristic lands (Gymnasium's heuristic scores roughly 200-300 per episode) and the walker heuristic
 * walks a good part of the course. Measured here: lander returns 181-319 on 19 of 20 seeds (one crash,
 * -75), mean 245; continuous 248-307; the walker covers 70-82 m of the 88.7 m course on seeds 1 and 2.
 */
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { makeAsync } from "../../src/envs/index.js";
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

/*
 * The walking heuristic is a state machine on contacts and joint angles, and a small physics difference
 * decides whether a given episode stumbles: there is no recorded Gymnasium figure for it, so this is a
 * sanity check of motors, contacts and the limit rule, not a fidelity bound. Measured hull x at the end over
 * seeds 0..9 (start 4.7 m, half the course 46.7 m): 14.5, 12.6, 11.9, 13.7, 39.5, 14.3, 78.9, 37.0, 42.8,
 * 11.4 (with 2.4's own joint-limit rule it was 4.3, 85.8, 74.1, 25.8, 42.4, 15.6, 4.1, 3.4, 4.6, 30.1).
 */
test("BipedalWalker-v3: Gymnasium's heuristic gait walks forward", async () => {
  const env = await makeAsync("BipedalWalker-v3");
  const distances: number[] = [];
  for (let seed = 0; seed < 10; seed++) {
    const walker = new BipedalWalkerHeuristic();
    const run = recordEpisode(env, { seed, policy: (obs: Float32Array) => walker.act(obs), maxSteps: 1600, every: 1600 });
    distances.push(run.frames.at(-1)!.viewX + 600 / 30 / 5); // the camera sits 4 m behind the hull
  }
  env.close();
  const shown = distances.map((d) => d.toFixed(1)).join(", ");
  assert.ok(distances.filter((d) => d > 10).length >= 8, `hull x at the end (8 of 10 must pass 10 m): ${shown}`);
  assert.ok(distances.some((d) => d > 46.7), `hull x at the end (one must pass half the course, 46.7 m): ${shown}`);
});
