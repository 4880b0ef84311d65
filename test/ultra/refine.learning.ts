/**
 * Slow check (`npm run test:learning`): the whole ULTRA protocol on Pong at smoke size, from the shipped
 * starting policy, with the surrogate. It checks that every stage does its job: critical states are
 * found, the seams act during refinement in the form each row names, every refined row uses the same env
 * steps, and refinement learns (continued PPO improves the starting policy). Whether ULTRA beats the
 * baselines is the experiment's finding (see `guided-rl reproduce ultra --budget full`), not asserted here.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import "../../src/envs/index.js";
import { SurrogateProvider } from "../../src/llm/providers/surrogate.js";
import { registerUltraSurrogate } from "../../src/guides/ultra/index.js";
import { ULTRA_PRESETS, ultraBudget } from "../../src/experiments/ultra/presets.js";
import { readPolicyFile, shippedPolicyPath } from "../../src/experiments/ultra/policy-file.js";
import { runUltraExperiment } from "../../src/experiments/ultra/protocol.js";

test("ULTRA protocol on Pong (smoke size, 2 seeds): stages work and refinement learns", { timeout: 900_000 }, async () => {
  registerUltraSurrogate();
  const preset = ULTRA_PRESETS.pong;
  const budget = { ...ultraBudget("pong", "smoke"), envSteps: 20_480, evalEpisodes: 4 };
  const result = await runUltraExperiment({ env: preset, budget, llm: new SurrogateProvider(), startPolicy: readPolicyFile(shippedPolicyPath(preset.policyName)) });
  for (const a of result.artifacts) {
    assert.ok(a.criticalStates.length >= 10, `seed ${a.seed}: only ${a.criticalStates.length} critical states`);
    assert.equal(a.randomStates.length, a.criticalStates.length, "the random baseline has as many states as ULTRA-RA");
    assert.ok(a.transcript.every((e) => /surrogate/.test(e.answer)));
  }
  const rows = (v: string) => result.rows.filter((r) => r.variant === v);
  for (const r of result.rows.filter((r) => r.variant !== "none")) assert.equal(r.envSteps, budget.envSteps, `${r.variant} seed ${r.seed}`);
  for (const r of [...rows("ultra-A"), ...rows("ultra-RA"), ...rows("random")]) {
    assert.ok(r.overrideRate > 0, `${r.variant} seed ${r.seed} never executed a suggested action`);
    assert.equal(r.imitationRate, 0);
  }
  for (const r of [...rows("ultra-A-imitation"), ...rows("ultra-RA-imitation")]) {
    assert.ok(r.imitationRate > 0, `${r.variant} seed ${r.seed} never gave PPO an imitation target`);
    assert.equal(r.overrideRate, 0);
  }
  for (const r of [...rows("ultra-R"), ...rows("ultra-RA")]) assert.ok(r.rewardedRate > 0, `${r.variant} seed ${r.seed} never added an implicit reward`);
  for (const r of rows("ultra-R")) assert.equal(r.overrideRate + r.imitationRate, 0);
  for (const r of [...rows("statemask"), ...rows("rice")]) assert.ok(r.restartRate > 0, `${r.variant} seed ${r.seed} never restarted from a critical state`);
  const ppo = result.summary.find((s) => s.variant === "ppo")!;
  assert.ok(ppo.meanImprovement > 0, `continued PPO did not improve the starting policy (${ppo.meanImprovement})`);
});
