/**
 * Random-policy statistics against Gymnasium's (random_policy_stats.json): 100 episodes, episode i
 * reset with seed i, actions from the action space seeded 12345 once — Gymnasium's protocol. Box2D 2.4.1
 * is not 2.3, so episodes differ one by one; their distribution must not. Each mean must lie within 4
 * standard errors of the reference mean, the standard error being that of a difference of two
 * independent 100-episode means, sqrt(s_ours²/100 + s_ref²/100).
 *
 * Measured (this run's numbers are printed by the test): return z = -1.6 (LunarLander), -2.6
 * (LunarLanderContinuous), -1.4 (BipedalWalker); lengths |z| < 0.6. Against the reference's own
 * standard error alone, LunarLanderContinuous sits at -4.06: our return distribution has a heavier
 * low tail (24% of episodes below -350 over 300 episodes, Gymnasium 17%), from episodes where a hard
 * leg touchdown sets the lander spinning — contact and joint-limit handling changed between the versions.
 */
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { makeAsync } from "../../src/core/registry.js";
import "../../src/envs/index.js";
import { loadRandomPolicyStats } from "./helpers.js";

const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
const sd = (a: number[]) => {
  const m = mean(a);
  return Math.sqrt(a.reduce((x, y) => x + (y - m) ** 2, 0) / (a.length - 1));
};

const reference = loadRandomPolicyStats();

before(async () => {
  await makeAsync("LunarLander-v3"); // loads box2d-wasm
});

for (const id of ["LunarLander-v3", "LunarLanderContinuous-v3", "BipedalWalker-v3"]) {
  test(`${id}: random-policy return and length within 4 standard errors of Gymnasium's`, async () => {
    const ref = reference.envs[id]!;
    const env = await makeAsync(id);
    const returns: number[] = [];
    const lengths: number[] = [];
    try {
      env.actionSpace.seed(12345);
      for (let i = 0; i < 100; i++) {
        env.reset({ seed: i });
        let total = 0;
        let n = 0;
        for (;;) {
          const r = env.step(env.actionSpace.sample());
          total += r.reward;
          n++;
          if (r.terminated || r.truncated) break;
        }
        returns.push(total);
        lengths.push(n);
      }
    } finally {
      env.close();
    }
    const seReturn = Math.sqrt(sd(returns) ** 2 / 100 + ref.return_std_ddof1 ** 2 / 100);
    const seLength = Math.sqrt(sd(lengths) ** 2 / 100 + ref.length_std ** 2 / 100);
    const zReturn = (mean(returns) - ref.return_mean) / seReturn;
    const zLength = seLength > 0 ? (mean(lengths) - ref.length_mean) / seLength : 0;
    console.log(
      `${id}: return ${mean(returns).toFixed(1)} ± ${sd(returns).toFixed(1)} (Gymnasium ${ref.return_mean.toFixed(1)}), z = ${zReturn.toFixed(2)}; ` +
        `length ${mean(lengths).toFixed(1)} (Gymnasium ${ref.length_mean.toFixed(1)}), z = ${zLength.toFixed(2)}`,
    );
    assert.ok(Math.abs(zReturn) <= 4, `return mean ${mean(returns)} vs ${ref.return_mean}: z = ${zReturn}`);
    assert.ok(Math.abs(zLength) <= 4, `length mean ${mean(lengths)} vs ${ref.length_mean}: z = ${zLength}`);
    assert.ok(Math.max(...lengths) <= ref.max_episode_steps, "the TimeLimit truncates at the registered limit");
  });
}
