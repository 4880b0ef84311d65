/**
 * Slow check (`npm run test:learning`): the whole ULTRA protocol on Pong at smoke size, from the shipped
 * starting policy, with the surrogate. It checks that every stage does its job: critical states are
 * found, the seams act during refinement, no guided variant uses more env steps than continued PPO, and
 * refinement learns (continued PPO improves the starting policy). Whether ULTRA beats continued PPO is
 * the experiment's finding (see `guided-rl reproduce ultra --budget full`), not asserted here.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import "../../src/envs/index.js";
import { SurrogateProvider } from "../../src/llm/providers/surrogate.js";
import { registerUltraSurrogate } from "../../src/guides/ultra/index.js";
import { PONG_CONFIG, budgetConfig } from "../../src/experiments/ultra/configs.js";
import { readPolicyFile, shippedPolicyPath } from "../../src/experiments/ultra/policy-file.js";
import { runUltraExperiment } from "../../src/experiments/ultra/protocol.js";

test("ULTRA protocol on Pong (smoke size, 2 seeds): stages work and refinement learns", { timeout: 600_000 }, async () => {
  registerUltraSurrogate();
  const budget = { ...budgetConfig("pong", "smoke"), envSteps: 20_000, evalEpisodes: 4 };
  const result = await runUltraExperiment({
    env: PONG_CONFIG, budget, llm: new SurrogateProvider(), startPolicy: readPolicyFile(shippedPolicyPath(PONG_CONFIG.policyName)),
  });
  for (const a of result.artifacts) {
    assert.ok(a.criticalStates.length >= 10, `seed ${a.seed}: only ${a.criticalStates.length} critical states`);
    assert.equal(a.randomStates.length, a.criticalStates.length, "the random baseline has as many states as ULTRA-RA");
    assert.ok(a.transcript.every((e) => /surrogate/.test(e.answer)));
  }
  const rows = (v: string) => result.rows.filter((r) => r.variant === v);
  for (const seed of budget.seeds) {
    const ppoSteps = rows("ppo").find((r) => r.seed === seed)!.envSteps;
    for (const v of ["random", "ultra-A", "ultra-R", "ultra-RA"]) assert.ok(rows(v).find((r) => r.seed === seed)!.envSteps <= ppoSteps, `${v} used more env steps than continued PPO`);
  }
  // ULTRA-A's suggestions act through the configured form: imitation targets (default) or overrides
  const imitation = PONG_CONFIG.guide.actionModulation === "imitation";
  for (const r of [...rows("ultra-A"), ...rows("ultra-RA")]) {
    if (imitation) {
      assert.ok(r.imitationRate > 0, `${r.variant} seed ${r.seed} never gave PPO an imitation target`);
      assert.equal(r.overrideRate, 0, `${r.variant} seed ${r.seed} overrode actions in imitation mode`);
    } else {
      assert.ok(r.overrideRate > 0, `${r.variant} seed ${r.seed} never overrode an action`);
    }
  }
  for (const r of [...rows("ultra-R"), ...rows("ultra-RA")]) assert.ok(r.rewardedRate > 0, `${r.variant} seed ${r.seed} never added an implicit reward`);
  for (const r of rows("ultra-R")) assert.equal(r.overrideRate + r.imitationRate, 0);
  const ppo = result.summary.find((s) => s.variant === "ppo")!;
  assert.ok(ppo.meanImprovement > 0, `continued PPO did not improve the starting policy (${ppo.meanImprovement})`);
});
