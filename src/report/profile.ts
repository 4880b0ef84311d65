/**
 * The performance-profile figure (rliable's practice, Agarwal et al. 2021) that the LMGT and ULTRA reports
 * draw: for each group of runs, the fraction of runs whose score is above each threshold tau (a step curve),
 * with its 95% bootstrap band (drawn as steps too). A curve to the upper right is better on most runs, not just
 * on average.
 */
import type { PlotlySpec, PlotlyTrace } from "./plotly.js";
import { performanceProfile, profileThresholds } from "./stats.js";

/** The series colours of the methods' figures, in order (plotly's ten, reordered so the first two contrast). */
export const SERIES_COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf", "#e377c2", "#7f7f7f", "#bcbd22"];

/** `#rrggbb` with an alpha, as plotly's `rgba(...)`. */
export function rgba(hex: string, alpha: number): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255},${(n >> 8) & 255},${n & 255},${alpha})`;
}

/** One curve of a profile: a name and the score of each of its runs (e.g. the final return of each seed). */
export interface ProfileGroup {
  name: string;
  scores: readonly number[];
}

export interface ProfileFigureOptions {
  title: string;
  /** What the scores are, for the x axis (default "evaluation return threshold tau"). */
  xTitle?: string;
  /** Default "fraction of seeds with return > tau". */
  yTitle?: string;
  /** Thresholds: `count` evenly spaced from the lowest to the highest score over all groups (default 41; `profileThresholds`). */
  count?: number;
  width?: number;
  height?: number;
  /** Plotly legend settings (default: horizontal, under the plot). */
  legend?: Record<string, unknown>;
}

/** The profile of every group on one set of thresholds, legend entries `name (n seeds)`. */
export function profileFigure(groups: readonly ProfileGroup[], opts: ProfileFigureOptions): PlotlySpec {
  const thresholds = profileThresholds(groups.flatMap((g) => g.scores), opts.count ?? 41);
  const data: PlotlyTrace[] = [];
  groups.forEach((g, k) => {
    const color = SERIES_COLORS[k % SERIES_COLORS.length]!;
    const p = performanceProfile(g.scores, thresholds);
    // The band as steps, like the curve ("hv"): each threshold's interval holds until the next threshold.
    const stepX: number[] = [], high: number[] = [], low: number[] = [];
    thresholds.forEach((t, i) => {
      stepX.push(t);
      high.push(p.high[i]!);
      low.push(p.low[i]!);
      if (i + 1 < thresholds.length) {
        stepX.push(thresholds[i + 1]!);
        high.push(p.high[i]!);
        low.push(p.low[i]!);
      }
    });
    data.push({ x: [...stepX, ...stepX.slice().reverse()], y: [...high, ...low.reverse()], fill: "toself", fillcolor: rgba(color, 0.18), line: { width: 0 }, hoverinfo: "skip", showlegend: false, type: "scatter", name: `${g.name} 95% band` });
    data.push({ x: thresholds, y: p.fraction, type: "scatter", mode: "lines", line: { color, width: 2, shape: "hv" }, name: `${g.name} (${g.scores.length} seeds)` });
  });
  const layout: Record<string, unknown> = {
    title: { text: opts.title },
    xaxis: { title: { text: opts.xTitle ?? "evaluation return threshold tau" } },
    yaxis: { title: { text: opts.yTitle ?? "fraction of seeds with return > tau" }, range: [0, 1.02] },
    legend: opts.legend ?? { orientation: "h", y: -0.2 },
  };
  if (opts.width !== undefined) layout.width = opts.width;
  if (opts.height !== undefined) layout.height = opts.height;
  return { data, layout };
}
