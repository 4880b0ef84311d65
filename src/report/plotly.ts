/**
 * A figure is a plain plotly JSON spec: `{data, layout, config}`. Nothing here needs a browser to build one;
 * rendering to PNG / SVG is in render.ts.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

export type PlotlyTrace = Record<string, unknown>;

export interface PlotlySpec {
  data: PlotlyTrace[];
  layout?: Record<string, unknown>;
  config?: Record<string, unknown>;
  /** Plotly animation frames, for figures that animate. */
  frames?: Record<string, unknown>[];
}

const require = createRequire(import.meta.url);
let plotlySource: string | undefined;

/** The minified plotly.js bundle (about 4.8 MB), read once. */
export function plotlyJs(): string {
  plotlySource ??= readFileSync(require.resolve("plotly.js-dist-min"), "utf8");
  return plotlySource;
}

export const DEFAULT_WIDTH = 760;
export const DEFAULT_HEIGHT = 440;

/** Width and height a figure is rendered at: its layout's, else the defaults. */
export function figureSize(spec: PlotlySpec): { width: number; height: number } {
  const layout = spec.layout ?? {};
  const width = typeof layout.width === "number" ? layout.width : DEFAULT_WIDTH;
  const height = typeof layout.height === "number" ? layout.height : DEFAULT_HEIGHT;
  return { width, height };
}

/** JSON for embedding inside a <script> element (no `</script>` can close it early). */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

/**
 * plotly.js 3+ ignores a plain-string `title` (it wants `{text}`); figures written for older plotly, or by
 * hand, use strings. This returns a spec whose layout titles (figure, axes, colour bars) are all `{text}` objects.
 */
export function normalizeSpec(spec: PlotlySpec): PlotlySpec {
  if (!spec.layout) return spec;
  return { ...spec, layout: normalizeTitles(spec.layout) as Record<string, unknown> };
}

function normalizeTitles(value: unknown): unknown {
  if (Array.isArray(value) || value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (key === "title" && typeof v === "string") out[key] = { text: v };
    else if (key === "title" || /^(xaxis|yaxis|zaxis)\d*$/.test(key) || key === "scene" || key === "colorbar" || key === "legend") out[key] = normalizeTitles(v);
    else out[key] = v;
  }
  return out;
}
