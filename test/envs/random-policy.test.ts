import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { make } from "../../src/envs/index.js";
import { referencePath } from "../../src/core/paths.js";
import { rollRandomPolicy } from "../../src/envs/random-policy.js";

interface Stats {
  return_mean: number;
  return_sem: number;
  returns: number[];
  lengths: number[];
}
const reference = JSON.parse(readFileSync(referencePath("gymnasium", "random_policy_stats.json"), "utf8")) as { envs: Record<string, Stats> };

// Rewards are integers for these three, so the seeded episodes must repeat Gymnasium's exactly; Pendulum's
// and MountainCarContinuous's sums of float64 rewards may differ in the last bits (see classic.test.ts).
const tolerance: Record<string, number> = { "CartPole-v1": 0, "MountainCar-v0": 0, "Acrobot-v1": 0, "Pendulum-v1": 1e-8, "MountainCarContinuous-v0": 1e-8 };

for (const [id, tol] of Object.entries(tolerance)) {
  test(`${id}: 100 seeded random-policy episodes reproduce Gymnasium's (mean within 3 SE; every episode's return)`, () => {
    const ref = reference.envs[id]!;
    const r = rollRandomPolicy(make(id));
    assert.ok(Math.abs(r.mean - ref.return_mean) <= 3 * ref.return_sem + 1e-9, `mean ${r.mean} vs ${ref.return_mean} ± 3*${ref.return_sem}`);
    assert.deepEqual(r.lengths, ref.lengths);
    r.returns.forEach((got, i) => assert.ok(Math.abs(got - ref.returns[i]!) <= tol, `episode ${i}: ${got} vs ${ref.returns[i]}`));
  });
}
