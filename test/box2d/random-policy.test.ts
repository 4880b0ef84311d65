/**
 * Random-policy statistics against Gymnasium's (random_policy_stats.json): 100 episodes, episode i
 * reset with seed i, actions from the action space seeded 12345 once — Gymnasium's protocol. Box2D 2.4.1
 * is not 2.3, so episodes differ one by one after the first contacts; their distribution must not. The
 * issue's criterion: each mean within 4 of the reference's own standard errors (std / sqrt(100)).
 *
 * Measured (this run's numbers are printed by the test), return z: LunarLander -1.6, LunarLanderContinuous
 * -0.7, BipedalWalker -1.4. Before the joint limits followed Box2D 2.3's rule (JointLimits23 in physics.ts)
 * LunarLanderContinuous sat at -4.06: 2.4's speculative limits stopped a leg swinging up on touchdown within
 * the step and set the lander spinning. Over 1000 episodes (seeds 0..999) the shift of our mean from
 * Gymnasium's is -24 ± 4 (LunarLanderContinuous) and -12 ± 4 (LunarLander), was -36 and -19.
 */
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { makeAsync } from "../../src/envs/index.js";
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
    const seReturn = ref.return_sem;
    const seLength = ref.length_std / Math.sqrt(100);
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
