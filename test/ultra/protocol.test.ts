import { test } from "node:test";
import assert from "node:assert/strict";
import "../../src/envs/index.js";
import { SurrogateProvider } from "../../src/llm/providers/surrogate.js";
import { registerUltraSurrogate } from "../../src/guides/ultra/index.js";
import { ULTRA_PRESETS, type UltraBudget, type UltraEnvPreset } from "../../src/experiments/ultra/presets.js";
import { readPolicyFile, shippedPolicyPath } from "../../src/experiments/ultra/policy-file.js";
import { runUltraExperiment, ULTRA_ROWS, ULTRA_VARIANTS } from "../../src/experiments/ultra/protocol.js";
import { readUltraResult, shippedUltraResultPath, ultraCaption, ultraResultsRows, writeUltraReport } from "../../src/experiments/ultra/report.js";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

test("ULTRA protocol, every row at toy size: equal env steps for every refined row (recorded rollouts and mask training counted), each row's seams act", { timeout: 120_000 }, async () => {
  registerUltraSurrogate();
  const base = ULTRA_PRESETS.pong;
  const small = { nSteps: 16, batchSize: 32, nEpochs: 1 };
  const preset: UltraEnvPreset = {
    ...base, envKwargs: { pointsToWin: 2 },
    refine: { numEnvs: 2, options: { ...base.refine.options, ...small } },
    mask: { ...base.mask, numEnvs: 2, options: { ...base.mask.options, ...small } },
    llm: { ...base.llm, segmentLength: 20, maxSegments: 4 },
  };
  const budget: UltraBudget = { seeds: [0], envSteps: 192, rolloutSteps: 64, rolloutMaxSteps: 64, maskSteps: 64, evalEpisodes: 1, evalEvery: 1_000 };
  const file = { ...readPolicyFile(shippedPolicyPath(base.policyName)), envKwargs: { pointsToWin: 2 } };
  const result = await runUltraExperiment({ env: preset, budget, llm: new SurrogateProvider(), startPolicy: file });
  const row = (v: string) => result.rows.find((r) => r.variant === v)!;
  for (const v of ULTRA_VARIANTS) assert.ok(row(v), `row ${v} missing`);
  for (const v of ULTRA_VARIANTS.filter((v) => v !== "none")) assert.equal(row(v).envSteps, 192, `${v}: ${row(v).envSteps} env steps`);
  assert.equal(row("ppo").analysisSteps, 0);
  assert.equal(row("ultra-RA").analysisSteps, 64, "ULTRA pays its recorded rollouts");
  assert.equal(row("rice").analysisSteps, 128, "RICE pays the recorded rollouts and the mask network's training");
  const a = result.artifacts[0]!;
  assert.ok(a.criticalStates.length > 0, "the surrogate found critical states");
  assert.equal(a.maskStates.length, row("ultra-A").criticalStates, "the mask network gets the LLM's state budget");
  assert.equal(row("statemask").restartRate, 1, "StateMask-R restarts every episode from a critical state");
  assert.ok(row("rice").restartRate < 1, "RICE mixes in the default initial states");
  assert.equal(row("ultra-R").overrideRate + row("ultra-R").imitationRate, 0);
  assert.equal(row("ultra-A-imitation").overrideRate, 0, "the imitation rows never override");
  assert.ok(Number.isFinite(row("ultra-A").adviceLogProbStart) && Number.isFinite(row("ultra-A").adviceLogProbEnd));
  assert.ok(Number.isNaN(row("ppo").adviceLogProbStart));
  const table = ultraResultsRows(result);
  assert.deepEqual(table.map((r) => r.variant), ULTRA_VARIANTS.map((v) => ULTRA_ROWS[v].label));
  assert.ok(table.some((r) => r.variant === "ULTRA-RA (imitation)") && table.some((r) => r.variant === "ULTRA-RA"), "paper form and imitation are separate rows");
  assert.ok(table.every((r) => "failed calls" in r));
  // the small shipped form reads back to the same table (NaN log-probs survive the JSON round trip)
  const dir = mkdtempSync(join(tmpdir(), "grl-ultra-"));
  await writeUltraReport(result, dir, { png: false });
  for (const f of ["curves.html", "profile.html"]) assert.ok(existsSync(join(dir, f)), `${f} written`);
  assert.deepEqual(ultraResultsRows(readUltraResult(join(dir, "summary.json"))), table);
  assert.deepEqual(ultraResultsRows(readUltraResult(join(dir, "results.json"))), table);
});

test("the shipped full-run results read back as tables: every row of the protocol, equal env steps, surrogate named", () => {
  const r = readUltraResult(shippedUltraResultPath("pong"));
  assert.equal(r.llm.provider, "surrogate");
  assert.equal(r.budget.seeds.length, 5);
  assert.deepEqual(r.summary.map((s) => s.variant), ULTRA_VARIANTS);
  for (const row of r.rows.filter((x) => x.variant !== "none")) assert.equal(row.envSteps, r.budget.envSteps);
  assert.match(ultraCaption(r), /surrogate/);
  assert.match(r.command ?? "", /reproduce ultra --env pong --budget full/);
});
