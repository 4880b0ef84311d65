import { test } from "node:test";
import assert from "node:assert/strict";
import { planLmgtTrials } from "../../src/experiments/lmgt/protocol.js";
import { costReduction, costTable, formatMeanStd, lmgtGainTable, meanStd, sampleEfficiencyTable, scorerLabel, learningCurveFigure } from "../../src/experiments/lmgt/summary.js";
import { lmgtHeadlines, lmgtTables } from "../../src/experiments/lmgt/report.js";
import { parseReproduceLmgtArgs } from "../../src/cli/reproduce-lmgt.js";
import type { LmgtTrialResult, LmgtTrialSpec } from "../../src/experiments/lmgt/trial.js";
import type { LmgtStatsSnapshot } from "../../src/guides/lmgt/stats.js";

test("the plan: baseline and LMGT per algorithm and seed, then the ablations on one algorithm", () => {
  const trials = planLmgtTrials({ envs: ["cartpole"], budget: "full" });
  const main = trials.filter((t) => t.experiment === "main");
  assert.equal(main.length, 3 * 5 * 2); // DQN, PPO, A2C x 5 seeds x 2 arms
  assert.deepEqual([...new Set(main.map((t) => t.algo))], ["dqn", "ppo", "a2c"]);
  assert.ok(main.filter((t) => t.variant === "baseline").every((t) => t.guide === undefined));
  assert.ok(main.filter((t) => t.variant === "lmgt-efficient").every((t) => t.guide && t.guide.quality.accuracy === 1 && t.guide.cache !== false));
  assert.equal(main.filter((t) => t.variant === "lmgt-efficient").length, 15, "the default arm is the efficient preset");
  const cost = trials.filter((t) => t.experiment === "cost");
  const perStep = cost.find((t) => t.variant === "per-step")!;
  assert.equal(perStep.guide!.pairsPerCall, 1);
  assert.equal(perStep.guide!.cache, false);
  assert.deepEqual([...new Set(trials.filter((t) => t.experiment === "quality").map((t) => t.variant))], ["full", "good", "small", "chance"]);
  assert.deepEqual([...new Set(trials.filter((t) => t.experiment === "prompt-style").map((t) => t.variant))], ["zero-shot", "chain-of-thought", "few-shot"]);
  // A real provider has no quality knob: no quality ablation.
  const real = planLmgtTrials({ envs: ["cartpole"], budget: "smoke", llm: { provider: "anthropic" } });
  assert.equal(real.filter((t) => t.experiment === "quality").length, 0);
  assert.equal(planLmgtTrials({ envs: ["pendulum"], budget: "smoke", experiments: ["main"] }).every((t) => t.algo === "sac"), true);
  assert.throws(() => planLmgtTrials({ envs: ["cartpole"], budget: "smoke", qualityLevels: ["huge"] }), /unknown quality level/);
});

function stats(calls: number, transitions: number, extra: Partial<LmgtStatsSnapshot> = {}): LmgtStatsSnapshot {
  return {
    transitions, queried: transitions, calls, responseCacheHits: 0, callErrors: 0, pairsScored: calls, cacheHits: 0, parseFailures: 0,
    shiftHistogram: { "-1": 1, "0": 0, "+1": 3 }, inputTokens: calls * 100, outputTokens: calls * 5, costUsd: 0, ...extra,
  };
}

function result(experiment: string, variant: string, algo: "dqn" | "ppo", seed: number, evalReturns: number[], s?: LmgtStatsSnapshot): LmgtTrialResult {
  const spec: LmgtTrialSpec = { env: "cartpole", algo, seed, experiment, variant, totalTimesteps: 2000, checkpoints: [1024, 2048], evalEpisodes: 2 };
  return {
    spec, evalReturns, curve: [{ step: 500, epRewMean: evalReturns[0]! }, { step: 2000, epRewMean: evalReturns[1]! }], wallSeconds: 1,
    ...(s ? { stats: s, llmProvider: "surrogate", llmModel: "surrogate/heuristic" } : {}),
  };
}

const results: LmgtTrialResult[] = [
  result("main", "baseline", "ppo", 0, [20, 100]),
  result("main", "baseline", "ppo", 1, [30, 120]),
  result("main", "lmgt", "ppo", 0, [60, 200], stats(10, 2000)),
  result("main", "lmgt", "ppo", 1, [80, 300], stats(12, 2000)),
  result("cost", "per-step", "ppo", 0, [60, 210], stats(2000, 2000)),
  result("cost", "batched+cache", "ppo", 0, [60, 200], stats(10, 2000)),
];

test("tables: mean [95% bootstrap CI] and IQM over seeds, gains, cost per 1k steps and the reduction factor", () => {
  assert.deepEqual(meanStd([1, 3]), { mean: 2, std: 1, n: 2 });
  assert.equal(formatMeanStd([169.66]), "169.7", "one seed has no spread: no ± 0");
  assert.equal(formatMeanStd([1, 3]), "2.000 ± 1.000");
  const eff = sampleEfficiencyTable(results);
  assert.equal(eff.length, 2);
  // two seeds {20, 30}: resampled means are 20, 25 or 30, so the 2.5th / 97.5th percentiles are the extremes
  assert.equal(eff[0]!["return@1k"], "25.0 [20.0, 30.0]");
  assert.equal(eff[0]!["IQM@1k"], "25.0");
  assert.equal(eff[1]!.arm, "LMGT (surrogate)");
  assert.equal(eff[1]!["return@2k"], "250.0 [200.0, 300.0]");
  assert.equal(eff[1]!["IQM@2k"], "250.0");
  const gain = lmgtGainTable(results);
  assert.equal(gain[0]!["gain@1k"], "+45.0");
  assert.equal(gain[0]!["gain@2k"], "+140.0");
  const cost = costTable(results);
  assert.equal(cost.find((r) => r.cost === "per-step")!["calls/1k steps"], 1000);
  assert.equal(cost.find((r) => r.cost === "batched+cache")!["calls/1k steps"], 5);
  assert.equal(cost.find((r) => r.cost === "batched+cache")!["fewer calls than per-step"], "200x");
  assert.deepEqual(costReduction(results), [{ env: "CartPole-v1", algo: "ppo", perStep: 1000, batchedCached: 5, factor: 200 }]);
  assert.equal(scorerLabel(results), "surrogate");
  const headlines = lmgtHeadlines(results).join("\n");
  assert.match(headlines, /LMGT \(surrogate\) beats the baseline at the early budget \(1k steps\): \+45\.0 over 2 seeds/);
  assert.match(headlines, /200x fewer/);
  assert.ok(!/\bLLM\b/.test(lmgtTables(results).map((t) => t.caption).join(" ").replace(/not an LLM/g, "")), "surrogate results are never captioned as LLM results");
  const fig = learningCurveFigure(results, "cartpole", "ppo");
  assert.equal(fig.data.length, 4); // band + line per arm
});

test("CLI arguments", () => {
  const a = parseReproduceLmgtArgs(["--env", "all", "--llm", "openai", "--budget", "smoke", "--seeds", "3", "--out", "x/", "--experiments", "main,cost", "--no-png"]);
  assert.deepEqual(a.envs, ["cartpole", "pendulum", "blackjack"]);
  assert.equal(a.provider, "openai-compatible");
  assert.equal(a.budget, "smoke");
  assert.equal(a.seeds, 3);
  assert.equal(a.out, "x/");
  assert.deepEqual(a.experiments, ["main", "cost"]);
  assert.equal(a.png, false);
  assert.deepEqual(parseReproduceLmgtArgs(["--env=blackjack"]).envs, ["blackjack"]);
  assert.throws(() => parseReproduceLmgtArgs(["--env", "mujoco"]), /unknown --env "mujoco"/);
  assert.throws(() => parseReproduceLmgtArgs(["--llm", "gpt"]), /unknown --llm/);
  assert.throws(() => parseReproduceLmgtArgs(["--seeds", "0"]), /--seeds/);
  assert.throws(() => parseReproduceLmgtArgs(["--frobnicate"]), /unknown option/);
});

test("the paper's figures beside ours, arm labels, and the performance profile", async () => {
  const { paperComparisonTable, armLabel, performanceProfileFigure } = await import("../../src/experiments/lmgt/summary.js");
  assert.equal(armLabel("lmgt", "surrogate"), "LMGT (surrogate)");
  assert.equal(armLabel("lmgt-efficient", "surrogate"), "LMGT-efficient: bucket cache, ours (surrogate)");
  assert.equal(armLabel("lmgt, lambda=0.5", "m"), "LMGT, lambda=0.5 (m)");
  const at1000 = (variant: string, seed: number, v: number): LmgtTrialResult => {
    const r = result("main", variant, "ppo", seed, [v, v + 10]);
    return { ...r, spec: { ...r.spec, algo: "a2c", checkpoints: [1000, 2048] } };
  };
  const rows = paperComparisonTable([at1000("baseline", 0, 30), at1000("baseline", 1, 50), at1000("lmgt", 0, 80)]);
  const a2c = rows.find((r) => r.env === "CartPole-v1")!;
  assert.equal(a2c["paper baseline"], "40.7");
  assert.equal(a2c["paper LMGT"], "78.9");
  assert.equal(a2c["ours: baseline"], "40.0 (2 seeds)");
  assert.equal(a2c["ours: LMGT"], "80.0 (1 seeds)");
  assert.equal(a2c["ours: LMGT-efficient"], "not run");
  assert.equal(rows.find((r) => r.env === "Pendulum-v1")!["ours: baseline"], "not run");
  const fig = performanceProfileFigure(results, "cartpole", "ppo");
  const lines = fig.data.filter((d) => d.mode === "lines");
  assert.equal(lines.length, 2);
  // final returns: baseline {100, 120}, LMGT {200, 300}; at the lowest threshold (100) one baseline seed is above it
  assert.equal((lines[0]!.y as number[])[0], 0.5);
  assert.equal((lines[1]!.y as number[])[0], 1);
});

test("the distilled row: labels, held-out agreement, reduction against the bucket cache, and its headline", () => {
  const distilled = result("cost", "distilled", "ppo", 0, [70, 190], { ...stats(1, 2000), distill: { labels: 256, heldOut: 51, trainings: 2, agreement: 0.96 } });
  const all = [...results, distilled];
  const row = costTable(all).find((r) => r.cost === "distilled")!;
  assert.equal(row["calls/1k steps"], 0.5);
  assert.equal(row["LLM labels"], 256);
  assert.equal(row["agreement with the LLM (held out)"], 0.96);
  assert.equal(row["fewer calls than bucket cache"], "10x");
  assert.equal(costTable(all).find((r) => r.cost === "batched+cache")!["agreement with the LLM (held out)"], "");
  assert.equal(costTable(all).find((r) => r.cost === "per-step")!["fewer calls than bucket cache"], "0.005x", "more calls than the cache: a ratio below 1, not 0x");
  assert.match(lmgtHeadlines(all).join("\n"), /distilled scorer \(ours, beyond the paper\) 0\.5 requests\/1k steps, 10x fewer than the bucket cache; return@2k 190\.0 vs 200\.0 with the cache; agreement .* 0\.96/);
});
