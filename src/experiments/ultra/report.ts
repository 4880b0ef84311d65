/**
 * ULTRA results as tables and figures: the results table (final return mean ± std over seeds per
 * variant), refinement curves, a trajectory plot with the critical states and their rationale, and
 * Pong frames with the critical state highlighted.
 */
import { readFileSync } from "node:fs";
import { ensureDir } from "../../core/fs.js";
import { writeText } from "../../core/secrets.js";
import { packagePath } from "../../core/paths.js";
import { join } from "node:path";
import type { Env, EnvDescription } from "../../core/env.js";
import { renderPongSvg } from "../../envs/toy/pong.js";
import type { CriticalState, Episode } from "../../guides/ultra/index.js";
import { actionToText } from "../../guides/ultra/index.js";
import type { PlotlySpec, PlotlyTrace } from "../../report/plotly.js";
import { formatTable, type Row } from "../../report/table.js";
import { formatInterval } from "../../report/stats.js";
import { saveFigure } from "../../report/figure.js";
import { meanStd } from "../../report/stats.js";
import { profileFigure } from "../../report/profile.js";
import { ULTRA_ROWS, type UltraResult, type UltraVariant } from "./protocol.js";
import { requireRestorable } from "./restart.js";

const LABEL = (v: UltraVariant): string => ULTRA_ROWS[v].label;

/** Who answered: "surrogate" output is never to be called an LLM's. */
export function guideLabel(result: Pick<UltraResult, "llm">): string {
  return result.llm.provider === "surrogate" ? `surrogate (${result.llm.model}, hand-written heuristics, not an LLM)` : `${result.llm.provider} ${result.llm.model}`;
}

/**
 * One row per variant: final return over seeds (mean and 95% bootstrap interval), the paired improvement over
 * the start, the env steps
 * (equal for every refined row, analysis included), failed LLM calls, and what the seams did.
 */
export function ultraResultsRows(result: UltraResult): Row[] {
  const mean = (xs: number[]) => meanStd(xs).mean;
  return result.summary.map((s) => {
    const mine = result.rows.filter((r) => r.variant === s.variant);
    const lpStart = mean(mine.map((r) => r.adviceLogProbStart));
    const lpEnd = mean(mine.map((r) => r.adviceLogProbEnd));
    return {
      variant: LABEL(s.variant),
      seeds: s.seeds,
      "final return [95% CI]": formatInterval(s.returnCi, 2),
      "vs start, paired [95% CI]": s.variant === "none" ? "—" : formatInterval(s.improvementCi, 2),
      "env steps": Math.round(mean(mine.map((r) => r.envSteps))),
      "of which analysis": Math.round(mean(mine.map((r) => r.analysisSteps))),
      "critical states": Math.round(mean(mine.map((r) => r.criticalStates))),
      "failed calls": mine.reduce((t, r) => t + r.failedCalls, 0),
      "override rate": Number(mean(mine.map((r) => r.overrideRate)).toFixed(4)),
      "rewarded rate": Number(mean(mine.map((r) => r.rewardedRate)).toFixed(4)),
      "imitation rate": Number(mean(mine.map((r) => r.imitationRate)).toFixed(4)),
      "restart rate": Number(mean(mine.map((r) => r.restartRate)).toFixed(3)),
      "log π(advice) start → end": Number.isFinite(lpStart) ? `${lpStart.toFixed(2)} → ${lpEnd.toFixed(2)}` : "—",
    };
  });
}

/** Mean evaluation return over seeds against env steps, one line per refined variant. */
export function ultraCurvesFigure(result: UltraResult): PlotlySpec {
  const data: PlotlyTrace[] = [];
  const variants = [...new Set(result.curves.map((c) => c.variant))];
  for (const v of variants) {
    const bySeed = new Map<number, { envSteps: number; meanReturn: number }[]>();
    for (const c of result.curves.filter((c) => c.variant === v)) {
      const list = bySeed.get(c.seed) ?? [];
      list.push(c);
      bySeed.set(c.seed, list);
    }
    const lists = [...bySeed.values()];
    const n = Math.min(...lists.map((l) => l.length));
    const x: number[] = [], y: number[] = [], lo: number[] = [], hi: number[] = [];
    for (let k = 0; k < n; k++) {
      const s = meanStd(lists.map((l) => l[k]!.meanReturn));
      x.push(Math.round(meanStd(lists.map((l) => l[k]!.envSteps)).mean));
      y.push(s.mean);
      lo.push(s.mean - s.std);
      hi.push(s.mean + s.std);
    }
    data.push({ type: "scatter", mode: "lines+markers", name: LABEL(v), x, y, error_y: { type: "data", symmetric: false, array: hi.map((h, i) => h - y[i]!), arrayminus: y.map((m, i) => m - lo[i]!), visible: true, thickness: 1 } });
  }
  return {
    data,
    layout: {
      title: `${result.envId}: refinement curves (mean ± std over ${result.budget.seeds.length} seeds; guide: ${guideName(result)})`,
      xaxis: { title: "env steps (ULTRA's recorded rollouts included)" },
      yaxis: { title: `evaluation return (${result.budget.evalEpisodes} episodes)` },
      width: 820, height: 460,
    },
  };
}

/** Who guided the run, for figure titles: "surrogate" (never an LLM's name) or the model. */
function guideName(result: UltraResult): string {
  return result.llm.provider === "surrogate" ? "surrogate" : result.llm.model;
}

/**
 * The performance profile of the final return (rliable's run-score distribution): for each threshold, the
 * fraction of seeds of each row whose final evaluation return is above it, with a 95% bootstrap band.
 */
export function ultraPerformanceProfileFigure(result: UltraResult): PlotlySpec {
  const groups = result.summary.map((s) => ({ name: LABEL(s.variant), scores: result.rows.filter((r) => r.variant === s.variant).map((r) => r.finalReturn) }));
  return profileFigure(groups, {
    title: `${result.envId}: performance profile of the final return<br><sub>${result.budget.seeds.length} seeds, ${result.budget.evalEpisodes} evaluation episodes each; guide: ${guideName(result)}</sub>`,
    width: 1000,
    height: 460,
    // ten rows with long names: a legend beside the plot, clear of the axis title
    legend: { orientation: "v", x: 1.02, y: 1 },
  });
}

/**
 * One episode over time with the critical states marked; hovering a marker shows the rationale, the
 * suggested action and the implicit reward. `fields` picks the plotted observation fields by name.
 */
export function criticalStatesFigure(ep: Episode, states: CriticalState[], desc: EnvDescription, opts: { fields?: string[]; from?: number; to?: number; guide?: string } = {}): PlotlySpec {
  const from = opts.from ?? 0;
  const to = Math.min(opts.to ?? ep.obs.length, ep.obs.length);
  const fields = opts.fields ?? desc.observation.slice(0, 3).map((f) => f.name);
  const t = Array.from({ length: to - from }, (_, i) => from + i);
  const data: PlotlyTrace[] = [];
  for (const name of fields) {
    const f = desc.observation.find((o) => o.name === name);
    if (!f) throw new Error(`criticalStatesFigure: ${desc.id} has no observation field "${name}"`);
    data.push({ type: "scatter", mode: "lines", name, x: t, y: t.map((s) => ep.obs[s]![f.index[0]]!) });
  }
  const lost = t.filter((s) => ep.rewards[s]! < 0);
  const won = t.filter((s) => ep.rewards[s]! > 0);
  const markerY = 1.15;
  if (lost.length) data.push({ type: "scatter", mode: "markers", name: "point lost / penalty", x: lost, y: lost.map(() => -markerY), marker: { symbol: "x", color: "#c00", size: 9 } });
  if (won.length) data.push({ type: "scatter", mode: "markers", name: "point won", x: won, y: won.map(() => markerY), marker: { symbol: "star", color: "#080", size: 9 } });
  const shown = states.filter((s) => s.step >= from && s.step < to);
  const first = desc.observation.find((o) => o.name === fields[0])!;
  data.push({
    type: "scatter", mode: "markers", name: `critical state (${opts.guide ?? "guide"})`,
    x: shown.map((s) => s.step), y: shown.map((s) => s.obs[first.index[0]]!),
    marker: { size: 13, color: "rgba(255,200,0,0.9)", line: { color: "#000", width: 1 } },
    text: shown.map((s) => hoverText(s, desc)), hoverinfo: "text",
  });
  return {
    data,
    layout: { title: `${desc.id}: critical states in a recorded episode (steps ${from}-${to - 1})`, xaxis: { title: "step" }, yaxis: { title: "value" }, width: 900, height: 420, hovermode: "closest" },
  };
}

function wrap(text: string, width = 60): string {
  const words = text.split(/\s+/);
  const lines: string[] = [];
  let line = "";
  for (const w of words) {
    if ((line + " " + w).trim().length > width) { lines.push(line.trim()); line = w; } else line += " " + w;
  }
  if (line.trim()) lines.push(line.trim());
  return lines.join("<br>");
}

function hoverText(s: CriticalState, desc: EnvDescription): string {
  const parts = [`<b>step ${s.step}</b>`, wrap(s.rationale), `agent did: ${actionToText(s.takenAction, desc)}`];
  if (s.suggestedAction !== undefined) parts.push(`suggested: ${actionToText(s.suggestedAction, desc)}`);
  if (s.implicitReward !== undefined) parts.push(`implicit reward: ${s.implicitReward}`);
  return parts.join("<br>");
}

/** Pong frames of critical states (the ball ringed), each with its whole rationale as a wrapped caption (HTML). */
export function pongCriticalFrames(states: CriticalState[], opts: { width?: number; limit?: number } = {}): string[] {
  const width = opts.width ?? 320;
  return states.slice(0, opts.limit ?? 4).map((s) => captionedFrame(renderPongSvg(s.obs, { width, highlight: "" }), `step ${s.step}: ${s.rationale}`, width));
}

/** An SVG picture with a caption under it that wraps instead of being cut off. */
function captionedFrame(svg: string, caption: string, width: number): string {
  return `<figure style="margin:0;width:${width}px">${svg}<figcaption style="font:12px sans-serif;white-space:normal;overflow-wrap:anywhere">${escapeHtml(caption)}</figcaption></figure>`;
}

/** What the table is: env, who answered (surrogate is never called an LLM), seeds, evaluation, equal env steps. */
export function ultraCaption(result: UltraResult): string {
  return `ULTRA on ${result.envId} — critical states and advice by: ${guideLabel(result)}; final return over ${result.budget.evalEpisodes} ` +
    `evaluation episodes per seed, mean over ${result.budget.seeds.length} seeds [95% bootstrap CI]; every refined row ${result.budget.envSteps} env steps, analysis included`;
}

/**
 * Frames of critical states drawn by the environment itself: each state's recorded env state is restored
 * (`setState`) and rendered (`render()`, SVG), with the rationale as a caption under the picture. Needs
 * episodes recorded with states (`recordSteps` on an env that can restore them, e.g. the MuJoCo envs).
 */
export function restoredCriticalFrames(env: Env, episodes: readonly Episode[], states: readonly CriticalState[], opts: { limit?: number; width?: number } = {}): string[] {
  const target = requireRestorable(env, "restoredCriticalFrames");
  if (!env.render) throw new Error(`restoredCriticalFrames: ${env.spec?.id ?? "this environment"} cannot render`);
  const width = opts.width ?? 320;
  return states.slice(0, opts.limit ?? 4).map((s) => {
    const saved = episodes[s.episode]?.states?.[s.step];
    if (saved === undefined) throw new Error(`restoredCriticalFrames: episode ${s.episode} has no recorded state at step ${s.step} (record it with recordSteps)`);
    env.reset();
    target.setState(structuredClone(saved));
    const svg = env.render!().replace(/<svg([^>]*?)width="[\d.]+"([^>]*?)height="[\d.]+"/, `<svg$1width="${width}"$2height="${Math.round(width * 0.75)}"`);
    return captionedFrame(svg, `step ${s.step}: ${s.rationale}`, width);
  });
}

function escapeHtml(t: string): string {
  return t.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Where a full run's small result file is shipped: `data/results/ultra/<env>-<guide>-full.json`. */
export function shippedUltraResultPath(env: string, guide = "surrogate"): string {
  return packagePath("data", "results", "ultra", `${env}-${guide}-full.json`);
}

/**
 * Reads a result written by `writeUltraReport` (summary.json or results.json) back as an UltraResult without
 * artifacts: tables and curves work on it. JSON has no NaN: the rows' missing log-probabilities come back as NaN.
 */
export function readUltraResult(path: string): UltraResult & { command?: string; machine?: string } {
  const raw = JSON.parse(readFileSync(path, "utf8")) as UltraResult & { critical?: unknown; command?: string; machine?: string };
  if (!Array.isArray(raw.rows) || !Array.isArray(raw.summary) || !Array.isArray(raw.curves)) throw new Error(`${path} is not an ULTRA result (rows, summary and curves expected)`);
  const nan = (v: number | null) => (v === null ? NaN : v);
  const { critical: _critical, ...rest } = raw;
  return { ...rest, rows: raw.rows.map((r) => ({ ...r, adviceLogProbStart: nan(r.adviceLogProbStart), adviceLogProbEnd: nan(r.adviceLogProbEnd) })), artifacts: [] };
}

/** Writes results.json, results.txt and the figures (curves and performance profile: HTML, and PNG when Chromium is available); returns the table text. */
export async function writeUltraReport(result: UltraResult, outDir: string, opts: { png?: boolean } = {}): Promise<string> {
  ensureDir(outDir);
  const text = formatTable(ultraResultsRows(result), { caption: ultraCaption(result) });
  writeText(join(outDir, "results.txt"), text + "\n");
  const { artifacts, ...rest } = result;
  const critical = artifacts.map((a) => ({ seed: a.seed, criticalStates: a.criticalStates.map((s) => ({ ...s, obs: Array.from(s.obs), takenAction: typeof s.takenAction === "number" ? s.takenAction : Array.from(s.takenAction), suggestedAction: s.suggestedAction === undefined || typeof s.suggestedAction === "number" ? s.suggestedAction : Array.from(s.suggestedAction) })) }));
  writeText(join(outDir, "results.json"), JSON.stringify({ ...rest, critical }, null, 1) + "\n");
  // the small form (no critical states, no transcript): what data/results/ultra ships and readUltraResult reads
  writeText(join(outDir, "summary.json"), JSON.stringify(rest) + "\n");
  const transcript = artifacts.flatMap((a) => a.transcript.map((e) => JSON.stringify({ seed: a.seed, ...e })));
  writeText(join(outDir, "llm-exchanges.jsonl"), transcript.join("\n") + "\n");
  for (const [name, figure] of [["curves", ultraCurvesFigure(result)], ["profile", ultraPerformanceProfileFigure(result)]] as const) {
    await saveFigure(figure, join(outDir, `${name}.html`));
    if (opts.png !== false) await saveFigure(figure, join(outDir, `${name}.png`));
  }
  return text;
}
