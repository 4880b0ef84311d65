/**
 * Tables and figures of the LMGT protocol, from trial results: the sample-efficiency table (return at
 * fixed step budgets: mean with its 95% bootstrap interval over seeds, IQM beside it at the early and final
 * budgets), the ablations, and the cost table. Every table says who scored the pairs: "surrogate" (offline
 * heuristics) or the real model's id — never "LLM" for the surrogate.
 */
import type { PlotlySpec, PlotlyTrace } from "../../report/plotly.js";
import type { Row } from "../../report/table.js";
import { iqm, meanCi } from "../../report/stats.js";
import { profileFigure, rgba, SERIES_COLORS } from "../../report/profile.js";
import { lmgtPreset } from "./presets.js";
import { LMGT_PAPER_FIGURES } from "./paper-figures.js";
import type { LmgtTrialResult } from "./trial.js";

/** Mean and standard deviation (numpy's default, ddof = 0). */
export function meanStd(xs: readonly number[]): { mean: number; std: number; n: number } {
  const n = xs.length;
  if (n === 0) return { mean: NaN, std: NaN, n: 0 };
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const std = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
  return { mean, std, n };
}

/**
 * `123.4 ± 5.6`; returns of small magnitude (Blackjack's are in [-1, 1]) get 3 decimals. One seed has no
 * spread to report, so it shows the value alone rather than a misleading `± 0`.
 */
export function formatMeanStd(xs: readonly number[], digits?: number): string {
  const { mean, std, n } = meanStd(xs);
  digits ??= Math.max(...xs.map(Math.abs)) < 5 ? 3 : 1;
  if (n === 0) return "";
  return n === 1 ? mean.toFixed(digits) : `${mean.toFixed(digits)} ± ${std.toFixed(digits)}`;
}

/** Returns of small magnitude (Blackjack's are in [-1, 1]) get 3 decimals. */
function digitsFor(xs: readonly number[]): number {
  return Math.max(...xs.map(Math.abs)) < 5 ? 3 : 1;
}

/**
 * `123.4 [118.0, 130.2]`: the mean over seeds with its 95% percentile-bootstrap interval (seeded, so tables
 * are reproducible). One seed shows its value alone.
 */
export function formatMeanCi(xs: readonly number[], digits?: number): string {
  if (xs.length === 0) return "";
  digits ??= digitsFor(xs);
  if (xs.length === 1) return xs[0]!.toFixed(digits);
  const ci = meanCi(xs);
  return `${ci.estimate.toFixed(digits)} [${ci.low.toFixed(digits)}, ${ci.high.toFixed(digits)}]`;
}

/** The interquartile mean over seeds (rliable's IQM), formatted like the mean. */
export function formatIqm(xs: readonly number[], digits?: number): string {
  if (xs.length === 0) return "";
  return iqm(xs).toFixed(digits ?? digitsFor(xs));
}

function kLabel(step: number): string {
  return step % 1024 === 0 && step >= 1024 ? `${step / 1024}k` : step >= 1000 ? `${(step / 1000).toFixed(step % 1000 ? 1 : 0)}k` : String(step);
}

/** Who scored the pairs in these results: "surrogate", a model id, or "none". */
export function scorerLabel(results: readonly LmgtTrialResult[]): string {
  const models = new Set<string>();
  for (const r of results) if (r.llmProvider) models.add(r.llmProvider === "surrogate" ? "surrogate" : (r.llmModel ?? r.llmProvider));
  return models.size === 0 ? "none" : [...models].join(", ");
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const it of items) {
    const k = key(it);
    const list = out.get(k);
    if (list) list.push(it);
    else out.set(k, [it]);
  }
  return out;
}

/** Column label of a budget: the paper's step counts exactly ("1000 (paper)"), ours as "2k". */
function budgetLabel(env: string, step: number): string {
  return lmgtPreset(env).paperSteps.includes(step) ? `${step} (paper)` : kLabel(step);
}

/**
 * Return columns: `return@<budget>` is the mean with its 95% bootstrap interval over seeds at every budget;
 * `IQM@<budget>` beside it at the early (first) and final budgets.
 */
function returnColumns(group: readonly LmgtTrialResult[]): Row {
  const row: Row = {};
  const { env, checkpoints } = group[0]!.spec;
  checkpoints.forEach((c, j) => {
    const xs = group.map((r) => r.evalReturns[j]!);
    const label = budgetLabel(env, c);
    row[`return@${label}`] = formatMeanCi(xs);
    if (j === 0 || j === checkpoints.length - 1) row[`IQM@${label}`] = formatIqm(xs);
  });
  return row;
}

/** How a main-comparison arm is shown: the paper's name only for the paper's form. */
export function armLabel(variant: string, scorer: string): string {
  if (variant === "lmgt" || variant.startsWith("lmgt, ")) return `LMGT${variant.slice(4)} (${scorer})`;
  if (variant.startsWith("lmgt-efficient")) return `LMGT-efficient: bucket cache, ours${variant.slice(14)} (${scorer})`;
  return variant;
}

/** Rows of an experiment, one per (env, algorithm, variant), returns as `mean ± std` per budget. */
function experimentRows(results: readonly LmgtTrialResult[], experiment: string, extra?: (group: LmgtTrialResult[]) => Row): Row[] {
  const rows: Row[] = [];
  const selected = results.filter((r) => r.spec.experiment === experiment);
  for (const group of groupBy(selected, (r) => `${r.spec.env}|${r.spec.algo}|${r.spec.variant}`).values()) {
    const s = group[0]!.spec;
    const arm = experiment === "main" ? armLabel(s.variant, scorerLabel(group)) : s.variant;
    rows.push({
      env: lmgtPreset(s.env).envId,
      algorithm: s.algo.toUpperCase(),
      [experiment === "main" ? "arm" : experiment]: arm,
      seeds: group.length,
      ...returnColumns(group),
      ...(extra ? extra(group) : {}),
      // LLM calls that gave no answer (tolerated failures; the pairs of each score 0); "-" where no LLM ran.
      "failed calls": group.some((r) => r.stats) ? sum(group, (r) => r.stats?.callErrors ?? 0) : "-",
    });
  }
  return rows;
}

/** The sample-efficiency table: baseline vs LMGT, return at each step budget (mean [95% CI], IQM). */
export function sampleEfficiencyTable(results: readonly LmgtTrialResult[]): Row[] {
  return experimentRows(results, "main");
}

/**
 * An arm's mean return minus the baseline's at each budget, per (env, algorithm), on the seeds both arms ran.
 * Without `arm`: every LMGT arm of `experiment` (the main comparison's "lmgt" and "lmgt-efficient").
 */
export function lmgtGainTable(results: readonly LmgtTrialResult[], experiment = "main", arm?: string): Row[] {
  if (arm === undefined) {
    const arms = [...new Set(results.filter((r) => r.spec.experiment === experiment && r.spec.variant.startsWith("lmgt")).map((r) => r.spec.variant))];
    return arms.flatMap((a) => lmgtGainTable(results, experiment, a));
  }
  const rows: Row[] = [];
  const main = results.filter((r) => r.spec.experiment === "main" || r.spec.experiment === experiment);
  for (const [key, group] of groupBy(main, (r) => `${r.spec.env}|${r.spec.algo}`)) {
    // Compared on the seeds both arms ran (ablations run fewer seeds than the main comparison).
    const guidedAll = group.filter((r) => r.spec.experiment === experiment && r.spec.variant === arm);
    const baseAll = group.filter((r) => r.spec.experiment === "main" && r.spec.variant === "baseline");
    const seeds = new Set(guidedAll.map((r) => r.spec.seed).filter((s) => baseAll.some((b) => b.spec.seed === s)));
    const base = baseAll.filter((r) => seeds.has(r.spec.seed));
    const guided = guidedAll.filter((r) => seeds.has(r.spec.seed));
    if (base.length === 0 || guided.length === 0) continue;
    const [env, algo] = key.split("|");
    const row: Row = { env: lmgtPreset(env!).envId, algorithm: algo!.toUpperCase(), arm, seeds: Math.min(base.length, guided.length) };
    base[0]!.spec.checkpoints.forEach((c, j) => {
      const b = meanStd(base.map((r) => r.evalReturns[j]!)).mean;
      const g = meanStd(guided.map((r) => r.evalReturns[j]!)).mean;
      const digits = Math.max(Math.abs(b), Math.abs(g)) < 5 ? 3 : 1;
      row[`gain@${budgetLabel(env!, c)}`] = `${g - b >= 0 ? "+" : ""}${(g - b).toFixed(digits)}`;
    });
    row["failed calls"] = sum(guided, (r) => r.stats?.callErrors ?? 0);
    rows.push(row);
  }
  return rows;
}

/** Prompt-style ablation: returns plus what each style costs (tokens per call, parse failures). */
export function promptStyleTable(results: readonly LmgtTrialResult[]): Row[] {
  return experimentRows(results, "prompt-style", (g) => {
    const calls = sum(g, (r) => r.stats?.calls ?? 0);
    return {
      "input tokens/call": round(sum(g, (r) => r.stats?.inputTokens ?? 0) / Math.max(calls, 1), 0),
      "output tokens/call": round(sum(g, (r) => r.stats?.outputTokens ?? 0) / Math.max(calls, 1), 1),
      "parse failures": sum(g, (r) => r.stats?.parseFailures ?? 0),
    };
  });
}

/** Model-quality ablation: returns per quality level, with the share of positive / zero / negative shifts. */
export function qualityTable(results: readonly LmgtTrialResult[]): Row[] {
  return experimentRows(results, "quality", (g) => {
    const h = { neg: sum(g, (r) => r.stats?.shiftHistogram["-1"] ?? 0), zero: sum(g, (r) => r.stats?.shiftHistogram["0"] ?? 0), pos: sum(g, (r) => r.stats?.shiftHistogram["+1"] ?? 0) };
    const n = Math.max(h.neg + h.zero + h.pos, 1);
    return { "shifts -1/0/+1 (%)": `${round((100 * h.neg) / n, 0)}/${round((100 * h.zero) / n, 0)}/${round((100 * h.pos) / n, 0)}`, "parse failures": sum(g, (r) => r.stats?.parseFailures ?? 0) };
  });
}

function sum<T>(xs: readonly T[], f: (x: T) => number): number {
  return xs.reduce((a, x) => a + f(x), 0);
}
function round(x: number, digits: number): number {
  return Number(x.toFixed(digits));
}

/** "12.5x"; ratios below 1 (more calls than the reference) keep two significant digits ("0.0038x"), never "0x". */
function ratioLabel(r: number): string {
  return `${r >= 1 ? round(r, 1) : Number(r.toPrecision(2))}x`;
}

/** Per 1000 env steps, averaged over seeds. */
function per1k(g: readonly LmgtTrialResult[], f: (r: LmgtTrialResult) => number): number {
  return (1000 * sum(g, f)) / Math.max(sum(g, (r) => r.stats?.transitions ?? 0), 1);
}

/**
 * The cost table: LLM calls, pairs and tokens per 1000 env steps for each cost-control setting, the cache
 * hit rate, the reduction in calls against per-step querying, and the return each reached.
 */
export function costTable(results: readonly LmgtTrialResult[]): Row[] {
  const rows = experimentRows(results, "cost", (g) => ({
    "calls/1k steps": round(per1k(g, (r) => r.stats?.calls ?? 0), 2),
    "pairs/1k steps": round(per1k(g, (r) => r.stats?.pairsScored ?? 0), 1),
    "cache hit rate": round(sum(g, (r) => r.stats?.cacheHits ?? 0) / Math.max(sum(g, (r) => r.stats?.queried ?? 0), 1), 3),
    "input tokens/1k steps": round(per1k(g, (r) => r.stats?.inputTokens ?? 0), 0),
    "output tokens/1k steps": round(per1k(g, (r) => r.stats?.outputTokens ?? 0), 0),
    "cost USD/1k steps": round(per1k(g, (r) => r.stats?.costUsd ?? 0), 4),
    "LLM labels": g.some((r) => r.stats?.distill) ? sum(g, (r) => r.stats?.distill?.labels ?? 0) : "",
    "agreement with the LLM (held out)": heldOutAgreement(g),
  }));
  for (const group of groupBy(rows, (r) => `${r.env}|${r.algorithm}`).values()) {
    const perStep = group.find((r) => r.cost === "per-step")?.["calls/1k steps"];
    const cached = group.find((r) => r.cost === "batched+cache")?.["calls/1k steps"];
    for (const r of group) {
      const calls = r["calls/1k steps"] as number;
      r["fewer calls than per-step"] = typeof perStep === "number" && calls > 0 ? ratioLabel(perStep / calls) : "";
      r["fewer calls than bucket cache"] = typeof cached === "number" && calls > 0 ? ratioLabel(cached / calls) : "";
    }
  }
  return rows;
}

/** The distilled scorer's agreement with the LLM on its held-out labels, pooled over seeds ("" for other arms). */
function heldOutAgreement(g: readonly LmgtTrialResult[]): number | string {
  const d = g.map((r) => r.stats?.distill).filter((x) => x?.agreement !== undefined);
  if (d.length === 0) return "";
  const held = d.reduce((a, x) => a + x!.heldOut, 0);
  return round(d.reduce((a, x) => a + x!.agreement! * x!.heldOut, 0) / Math.max(held, 1), 3);
}

/** The calls-per-1k reduction of batching + cache against per-step querying, per (env, algorithm). */
export function costReduction(results: readonly LmgtTrialResult[]): { env: string; algo: string; perStep: number; batchedCached: number; factor: number }[] {
  const out: { env: string; algo: string; perStep: number; batchedCached: number; factor: number }[] = [];
  const cost = results.filter((r) => r.spec.experiment === "cost");
  for (const [key, group] of groupBy(cost, (r) => `${r.spec.env}|${r.spec.algo}`)) {
    const a = group.filter((r) => r.spec.variant === "per-step");
    const b = group.filter((r) => r.spec.variant === "batched+cache");
    if (a.length === 0 || b.length === 0) continue;
    const perStep = per1k(a, (r) => r.stats?.calls ?? 0);
    const batchedCached = per1k(b, (r) => r.stats?.calls ?? 0);
    const [env, algo] = key.split("|");
    out.push({ env: lmgtPreset(env!).envId, algo: algo!, perStep, batchedCached, factor: perStep / Math.max(batchedCached, 1e-12) });
  }
  return out;
}

/** A training curve resampled on a grid: the last value recorded at or before each grid step. */
function resample(curve: readonly { step: number; epRewMean: number }[], grid: readonly number[]): number[] {
  const out: number[] = [];
  let j = -1;
  for (const x of grid) {
    while (j + 1 < curve.length && curve[j + 1]!.step <= x) j++;
    out.push(j >= 0 ? curve[j]!.epRewMean : NaN);
  }
  return out;
}

/**
 * Learning curves with bands (mean ± std over seeds of the training-episode return, environment reward
 * only) for one environment and algorithm, one line per variant of `experiment`.
 */
export function learningCurveFigure(results: readonly LmgtTrialResult[], env: string, algo: string, experiment = "main"): PlotlySpec {
  const selected = results.filter((r) => r.spec.env === env && r.spec.algo === algo && r.spec.experiment === experiment);
  const total = Math.max(...selected.map((r) => r.spec.totalTimesteps), 1);
  const grid = Array.from({ length: 41 }, (_, i) => Math.round((i * total) / 40));
  const data: PlotlyTrace[] = [];
  [...groupBy(selected, (r) => r.spec.variant)].forEach(([variant, group], k) => {
    const color = SERIES_COLORS[k % SERIES_COLORS.length]!;
    const curves = group.map((r) => resample(r.curve, grid));
    const stats = grid.map((_, i) => meanStd(curves.map((c) => c[i]!).filter(Number.isFinite)));
    const xs = grid.filter((_, i) => stats[i]!.n > 0);
    const m = stats.filter((s) => s.n > 0);
    const name = variant === "lmgt" ? `LMGT (${scorerLabel(group)})` : variant;
    data.push({ x: [...xs, ...xs.slice().reverse()], y: [...m.map((s) => s.mean + s.std), ...m.map((s) => s.mean - s.std).reverse()], fill: "toself", fillcolor: rgba(color, 0.18), line: { width: 0 }, hoverinfo: "skip", showlegend: false, type: "scatter", name: `${name} ± std` });
    data.push({ x: xs, y: m.map((s) => s.mean), type: "scatter", mode: "lines", line: { color, width: 2 }, name: `${name} (${group.length} seeds)` });
  });
  return {
    data,
    layout: {
      title: { text: `${lmgtPreset(env).envId}, ${algo.toUpperCase()}: training return, mean ± std over seeds${experiment === "main" ? "" : ` (${experiment})`}` },
      xaxis: { title: { text: "environment steps" } },
      yaxis: { title: { text: "mean training-episode return (env reward)" } },
      legend: { orientation: "h", y: -0.2 },
    },
  };
}

/** Bars of the return at each budget per variant of an experiment (error bars: std over seeds). */
export function budgetBarsFigure(results: readonly LmgtTrialResult[], env: string, experiment: string): PlotlySpec {
  const ablated = results.filter((r) => r.spec.env === env && r.spec.experiment === experiment);
  // Ablations are drawn beside the main comparison's baseline of the same algorithm, for reference.
  const algos = new Set(ablated.map((r) => r.spec.algo));
  const reference = experiment === "main" ? [] : results.filter((r) => r.spec.env === env && r.spec.experiment === "main" && r.spec.variant === "baseline" && algos.has(r.spec.algo));
  const selected = [...reference, ...ablated];
  const data: PlotlyTrace[] = [];
  const groups = [...groupBy(selected, (r) => `${r.spec.algo}|${r.spec.variant}`)];
  groups.forEach(([key, group], k) => {
    const [algo, variant] = key.split("|");
    const labels = group[0]!.spec.checkpoints.map((c) => `${kLabel(c)} steps`);
    const st = group[0]!.spec.checkpoints.map((_, j) => meanStd(group.map((r) => r.evalReturns[j]!)));
    data.push({
      type: "bar",
      name: `${algo!.toUpperCase()} ${variant}`,
      x: labels,
      y: st.map((s) => s.mean),
      error_y: { type: "data", array: st.map((s) => s.std), visible: true },
      marker: { color: SERIES_COLORS[k % SERIES_COLORS.length] },
    });
  });
  return {
    data,
    layout: {
      title: { text: `${lmgtPreset(env).envId}: evaluation return at each step budget (${experiment}; scores by ${scorerLabel(selected)})` },
      barmode: "group",
      yaxis: { title: { text: "mean deterministic evaluation return" } },
      legend: { orientation: "h", y: -0.2 },
    },
  };
}

/** LLM calls per 1000 env steps for each cost setting (log scale). */
export function costFigure(results: readonly LmgtTrialResult[]): PlotlySpec {
  const rows = costTable(results);
  return {
    data: [...groupBy(rows, (r) => `${r.env} ${r.algorithm}`)].map(([label, group], k) => ({
      type: "bar",
      name: label,
      x: group.map((r) => String(r.cost)),
      y: group.map((r) => r["calls/1k steps"] as number),
      marker: { color: SERIES_COLORS[k % SERIES_COLORS.length] },
    })),
    layout: { title: { text: "LMGT cost: requests per 1000 environment steps" }, yaxis: { type: "log", title: { text: "requests / 1k env steps" } }, barmode: "group" },
  };
}

/** Mean of the main comparison's `variant` at the budget `step` (NaN when that run or budget is absent). */
function meanAt(results: readonly LmgtTrialResult[], env: string, algo: string, experiment: string, variant: string, step?: number): { mean: number; n: number; step?: number } {
  const g = results.filter((r) => r.spec.env === env && r.spec.algo === algo && r.spec.experiment === experiment && r.spec.variant === variant);
  if (g.length === 0) return { mean: NaN, n: 0 };
  const cps = g[0]!.spec.checkpoints;
  const j = step === undefined ? cps.length - 1 : cps.indexOf(step);
  if (j < 0) return { mean: NaN, n: 0 };
  return { mean: meanStd(g.map((r) => r.evalReturns[j]!)).mean, n: g.length, step: cps[j] };
}

/**
 * The paper's published figures (as far as they can be sourced here, see paper-figures.ts) beside ours at the
 * same setting. Our columns say "not run" where this run did not include that env, algorithm or arm.
 */
export function paperComparisonTable(results: readonly LmgtTrialResult[]): Row[] {
  const rows: Row[] = [];
  const fmt = (m: { mean: number; n: number }, digits: number) => (m.n === 0 ? "not run" : `${m.mean.toFixed(digits)} (${m.n} seeds)`);
  for (const f of LMGT_PAPER_FIGURES) {
    const digits = Math.abs(f.baseline) < 5 ? 3 : 1;
    const promptAblation = f.steps === undefined;
    // Ours: the same algorithm where we run it, else the env's ablation algorithm (the paper's tabular TD is not ours).
    const algo = lmgtPreset(f.env).algos.includes(f.algo as never) ? f.algo : lmgtPreset(f.env).budgets.full.ablationAlgo;
    const base = meanAt(results, f.env, algo, "main", "baseline", f.steps);
    const row: Row = {
      env: lmgtPreset(f.env).envId,
      setting: f.setting,
      "paper baseline": f.baseline.toFixed(digits),
      "paper LMGT": f.lmgt.toFixed(digits),
      "ours: algorithm": algo.toUpperCase(),
      "ours: step": f.steps ?? "final budget",
      "ours: baseline": fmt(base, digits),
    };
    if (promptAblation) row["ours: LMGT chain-of-thought"] = fmt(meanAt(results, f.env, algo, "prompt-style", "chain-of-thought"), digits);
    else {
      row["ours: LMGT"] = fmt(meanAt(results, f.env, algo, "main", "lmgt", f.steps), digits);
      row["ours: LMGT-efficient"] = fmt(meanAt(results, f.env, algo, "main", "lmgt-efficient", f.steps), digits);
    }
    rows.push(row);
  }
  return rows;
}

/**
 * A performance profile of the final evaluation return (rliable's run-score distribution): for each
 * threshold, the fraction of seeds of each main arm scoring above it, with a 95% bootstrap band.
 */
export function performanceProfileFigure(results: readonly LmgtTrialResult[], env: string, algo: string): PlotlySpec {
  const selected = results.filter((r) => r.spec.env === env && r.spec.algo === algo && r.spec.experiment === "main");
  const groups = [...groupBy(selected, (r) => r.spec.variant)].map(([variant, group]) => ({ name: armLabel(variant, scorerLabel(group)), scores: group.map((r) => r.evalReturns.at(-1)!) }));
  const steps = selected[0]?.spec.checkpoints.at(-1) ?? 0;
  return profileFigure(groups, { title: `${lmgtPreset(env).envId}, ${algo.toUpperCase()}: performance profile of the return at ${kLabel(steps)} steps (scores by ${scorerLabel(selected)})` });
}

/**
 * The model sweep: one row per (env, algorithm, model) with its returns, calls, tokens, cost and failed calls.
 * A failed model's row says why and shows no return ("—"): a model that did not answer is credited with nothing.
 */
export function modelTable(results: readonly LmgtTrialResult[]): Row[] {
  const rows: Row[] = [];
  const selected = results.filter((r) => r.spec.experiment === "model");
  for (const group of groupBy(selected, (r) => `${r.spec.env}|${r.spec.algo}|${r.spec.variant}`).values()) {
    const s = group[0]!.spec;
    const failed = group.find((r) => r.failed);
    const row: Row = { env: lmgtPreset(s.env).envId, algorithm: s.algo.toUpperCase(), model: s.variant, provider: group[0]!.llmProvider ?? "", status: failed ? `failed: ${failed.failed}` : "ok", seeds: group.length };
    if (failed) s.checkpoints.forEach((c) => (row[`return@${budgetLabel(s.env, c)}`] = "—"));
    else Object.assign(row, returnColumns(group));
    row.calls = sum(group, (r) => r.stats?.calls ?? 0);
    row["failed calls"] = sum(group, (r) => r.stats?.callErrors ?? 0);
    row["input tokens"] = sum(group, (r) => r.stats?.inputTokens ?? 0);
    row["output tokens"] = sum(group, (r) => r.stats?.outputTokens ?? 0);
    row["cost USD"] = round(sum(group, (r) => r.stats?.costUsd ?? 0), 4);
    row["parse failures"] = sum(group, (r) => r.stats?.parseFailures ?? 0);
    rows.push(row);
  }
  return rows;
}
