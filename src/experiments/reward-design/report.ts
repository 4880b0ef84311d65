/** Tables, figures and the animation of a reward-design run. */
import { join } from "node:path";
import type { Env } from "../../core/env.js";
import { makeAsync } from "../../envs/index.js";
import { PPO } from "../../algos/ppo.js";
import { episodeAnimation } from "../../envs/box2d/render/svg.js";
import { evaluateWalker } from "./evaluation.js";
import type { CandidateRecord, RewardDesignResult } from "./loop.js";
import { failureKinds } from "./reflection.js";
import { ENV_ID, type TrainingResult } from "./training.js";
import type { PlotlySpec, PlotlyTrace } from "../../report/plotly.js";
import type { Row } from "../../report/table.js";

/** The metrics compared between guided and native-reward PPO, in column order. */
export const COMPARISON_METRICS = [
  "native_return",
  "distance",
  "forward_speed",
  "fall_rate",
  "energy",
  "energy_per_meter",
  "gait_symmetry",
  "alternation",
  "step_length_symmetry",
  "hull_tilt",
  "double_support",
  "flight",
] as const;

/** Who designed the rewards, as it must be written in captions ("surrogate", never "LLM", for the surrogate). */
export function designerLabel(provider: string, model: string): string {
  return provider === "surrogate" ? `the offline surrogate designer (${model}; hand-written terms, not an LLM)` : `${provider} ${model}`;
}

const label = (c: CandidateRecord) => `iter ${c.iteration} cand ${c.candidate}`;

function metricRow(name: string, r: TrainingResult | undefined): Row {
  const row: Row = { run: name };
  for (const m of COMPARISON_METRICS) row[m] = r?.ok ? (r.metrics[m] ?? NaN) : NaN;
  return row;
}

/** Guided (best) vs the baselines on the behaviour metrics. */
export function comparisonTable(result: RewardDesignResult): Row[] {
  const rows: Row[] = [];
  if (result.nativeBaseline) rows.push(metricRow("PPO, native reward", result.nativeBaseline));
  if (result.firstCandidate) rows.push(metricRow(`first candidate, no iteration (${label(result.firstCandidate)}${result.firstCandidate.status === "rejected" ? ", rejected" : ""})`, result.firstCandidate.result));
  if (result.best) rows.push(metricRow(`best designed reward (${label(result.best)})`, result.best.result));
  return rows;
}

/** Native return per iteration. */
export function iterationTable(result: RewardDesignResult): Row[] {
  return result.iterations.map((s) => ({
    iteration: s.iteration,
    valid: s.valid,
    "fixed after one retry": s.fixed,
    rejected: s.rejected,
    "pre-check rejections": s.precheckRejections ?? 0,
    "failed calls": s.failedCalls ?? 0,
    "best native return": s.bestReturn,
    "mean native return": s.meanReturn,
    "best so far": s.bestSoFarReturn,
    "best so far is": s.bestSoFarId ?? "-",
  }));
}

/** Every candidate: status, components, fitness, failure kinds. */
export function candidateTable(result: RewardDesignResult): Row[] {
  return result.candidates.map((c) => {
    const r = c.result;
    const comps = Object.keys(r?.checkpoints.at(-1)?.components ?? {}).filter((n) => n !== "total");
    return {
      candidate: c.id,
      status: c.status === "no-answer" ? "no answer (call failed)" : c.status === "rejected" ? "rejected" : c.fixed ? "valid after fix" : "valid",
      "pre-check rejections": c.precheckRejections ?? 0,
      components: comps.join(", ") || (c.error ? c.error.slice(0, 80) : "-"),
      "native return": r?.ok ? r.nativeReturn : NaN,
      "distance (m)": r?.ok ? r.distance : NaN,
      "failure kinds": r ? failureKinds(r).map((k) => k.kind).join(", ") || "none" : c.status === "rejected" ? "invalid code" : "-",
      "train steps/s": r?.ok ? r.stepsPerSecond : NaN,
    };
  });
}

const DASHES = ["solid", "dot", "dashdot", "longdash", "longdashdot"];
const PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf"];

/** Per-iteration learning curves: native return of training episodes, and deterministic evaluations. */
export function learningCurvesFigure(result: RewardDesignResult, title = "Reward design: native return while training on each candidate"): PlotlySpec {
  const data: PlotlyTrace[] = [];
  for (const c of result.candidates) {
    const r = c.result;
    if (!r?.ok) continue;
    // colour = iteration, dash = candidate slot; the thin training-episode curve shares the candidate's legend entry
    const color = PALETTE[(c.iteration - 1) % PALETTE.length];
    const dash = DASHES[(c.candidate - 1) % DASHES.length];
    const train = r.rollouts.filter((p) => Number.isFinite(p.epRewMean));
    data.push({ type: "scatter", mode: "lines+markers", name: `${label(c)}`, legendgroup: c.id, x: r.checkpoints.map((p) => p.step), y: r.checkpoints.map((p) => p.nativeReturn), line: { color, dash, width: 2 } });
    data.push({ type: "scatter", mode: "lines", name: `${label(c)} (training episodes)`, legendgroup: c.id, showlegend: false, x: train.map((p) => p.step), y: train.map((p) => p.epRewMean), line: { color, dash, width: 1 }, opacity: 0.45 });
  }
  const b = result.nativeBaseline;
  if (b?.ok) {
    const train = b.rollouts.filter((p) => Number.isFinite(p.epRewMean));
    data.push({ type: "scatter", mode: "lines+markers", name: "PPO, native reward", legendgroup: "baseline", x: b.checkpoints.map((p) => p.step), y: b.checkpoints.map((p) => p.nativeReturn), line: { color: "black", dash: "dash", width: 2 } });
    data.push({ type: "scatter", mode: "lines", name: "PPO, native reward (training episodes)", legendgroup: "baseline", showlegend: false, x: train.map((p) => p.step), y: train.map((p) => p.epRewMean), line: { color: "black", dash: "dash", width: 1 }, opacity: 0.45 });
  }
  return {
    data,
    layout: {
      title: { text: title },
      xaxis: { title: { text: "environment steps" } },
      yaxis: { title: { text: "native return: evaluation (markers), training episodes (thin)" } },
      width: 900,
      height: 520,
    },
  };
}

/** Best and mean native return per iteration, with the native-reward baseline. */
export function iterationFigure(result: RewardDesignResult, title = "Native return per iteration"): PlotlySpec {
  const it = result.iterations;
  const data: PlotlyTrace[] = [
    { type: "scatter", mode: "lines+markers", name: "best candidate", x: it.map((s) => s.iteration), y: it.map((s) => s.bestReturn) },
    { type: "scatter", mode: "lines+markers", name: "mean of candidates", x: it.map((s) => s.iteration), y: it.map((s) => s.meanReturn) },
    { type: "scatter", mode: "lines", name: "best so far", x: it.map((s) => s.iteration), y: it.map((s) => s.bestSoFarReturn), line: { dash: "dot" } },
  ];
  const b = result.nativeBaseline;
  if (b?.ok) data.push({ type: "scatter", mode: "lines", name: "PPO, native reward", x: [1, Math.max(1, it.length)], y: [b.nativeReturn, b.nativeReturn], line: { color: "black", dash: "dash" } });
  return { data, layout: { title: { text: title }, xaxis: { title: { text: "iteration" }, dtick: 1 }, yaxis: { title: { text: "native return (deterministic evaluation)" } }, width: 760, height: 420 } };
}

/** Loads a trained candidate's policy (or the baseline's) from its run folder. */
export async function loadTrainedPolicy(dir: string, nEnvs: number): Promise<PPO> {
  const envs: Env[] = [];
  for (let i = 0; i < nEnvs; i++) envs.push(await makeAsync(ENV_ID));
  return PPO.load(join(dir, "model"), envs);
}

export interface AnimationSettings {
  seed?: number;
  maxSteps?: number;
  /** Keep every n-th frame (default 2). */
  every?: number;
}

/** An animated SVG of one deterministic episode of the policy trained in `dir`. */
export async function policyAnimation(dir: string, nEnvs: number, settings: AnimationSettings = {}): Promise<{ svg: string; nativeReturn: number; distance: number; steps: number }> {
  const model = await loadTrainedPolicy(dir, nEnvs);
  const env = await makeAsync(ENV_ID);
  try {
    const ev = evaluateWalker(model, env, { nEpisodes: 1, seed: settings.seed ?? 10_000, maxSteps: settings.maxSteps ?? 600, recordFrames: true });
    return { svg: episodeAnimation(ev.frames!, { every: settings.every ?? 2 }), nativeReturn: ev.nativeReturn, distance: ev.distance, steps: ev.episodes[0]!.steps.length };
  } finally {
    env.close();
    model.close();
  }
}
