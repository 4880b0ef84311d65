/**
 * Showing and saving plotly figures.
 *
 * In a notebook, `await figure(spec)` sends one output with three representations: the plotly JSON
 * (JupyterLab renders it natively), HTML that draws it with plotly.js (the classic notebook, nbconvert's
 * HTML export; it shows the PNG where scripts don't run), and a PNG (static viewers such as GitHub).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { dirname, extname } from "node:path";
import { displayBundle, inNotebook, type MimeBundle } from "./display.js";
import { figureSize, normalizeSpec, plotlyJs, scriptSafeJson, type PlotlySpec } from "./plotly.js";
import { renderFigure } from "./render.js";

export interface FigureOptions {
  /** Skip the PNG (faster; static exports then show no picture). */
  png?: boolean;
}

let plotlyEmbedded = false;

function titleText(spec: PlotlySpec): string | undefined {
  const title = spec.layout?.title;
  if (typeof title === "string") return title;
  const text = (title as { text?: unknown } | undefined)?.text;
  return typeof text === "string" ? text : undefined;
}

/**
 * HTML that draws the figure. The first figure of a kernel session carries plotly.js itself (the page
 * keeps it for later figures); later ones reuse `window.Plotly`. `fallbackPng` shows where scripts don't run.
 */
export function figureHtml(input: PlotlySpec, fallbackPng?: Uint8Array, embedPlotly = true): string {
  const spec = normalizeSpec(input);
  const id = `grl-${randomBytes(6).toString("hex")}`;
  const { width, height } = figureSize(spec);
  const img = fallbackPng ? `<img alt="figure" src="data:image/png;base64,${Buffer.from(fallbackPng).toString("base64")}">` : "";
  const library = embedPlotly ? `<script type="text/javascript">${plotlyJs()}</script>` : "";
  const payload = scriptSafeJson({ data: spec.data, layout: spec.layout ?? {}, config: { responsive: true, ...(spec.config ?? {}) }, frames: spec.frames });
  return `${library}<div id="${id}" style="width:${width}px;height:${height}px">${img}</div>
<script type="text/javascript">(function(){var el=document.getElementById("${id}");if(!window.Plotly||!el)return;var f=${payload};el.innerHTML="";window.Plotly.newPlot(el,f.data,f.layout,f.config).then(function(){if(f.frames)window.Plotly.addFrames(el,f.frames);});})();</script>`;
}

/** The mime bundle `figure()` sends: plotly JSON, HTML, plain text, and a PNG when Chromium is available. */
export async function figureBundle(input: PlotlySpec, options: FigureOptions = {}, embedPlotly = true): Promise<MimeBundle> {
  const spec = normalizeSpec(input);
  const png = options.png === false ? undefined : await renderFigure(spec, "png");
  const bundle: MimeBundle = {
    "application/vnd.plotly.v1+json": { data: spec.data, layout: spec.layout ?? {}, config: spec.config ?? {}, frames: spec.frames },
    "text/html": figureHtml(spec, png, embedPlotly),
    "text/plain": `<plotly figure: ${spec.data.length} trace(s)${titleText(spec) ? `, ${titleText(spec)}` : ""}>`,
  };
  if (png) bundle["image/png"] = Buffer.from(png).toString("base64");
  return bundle;
}

/**
 * Shows a figure inline in tslab (resolves to nothing, so a cell ending in `await figure(...)` prints nothing).
 * Outside a notebook it does nothing: use `saveFigure` there.
 */
export async function figure(spec: PlotlySpec, options: FigureOptions = {}): Promise<void> {
  if (!inNotebook()) return;
  displayBundle(await figureBundle(spec, options, !plotlyEmbedded));
  plotlyEmbedded = true;
}

/**
 * Saves a figure by extension: `.html` (self-contained, plotly.js inlined), `.png`, `.svg`, `.json` (the spec).
 * Returns false when a PNG/SVG could not be rendered (no Chromium: one warning was printed).
 */
export async function saveFigure(spec: PlotlySpec, path: string): Promise<boolean> {
  mkdirSync(dirname(path), { recursive: true });
  const ext = extname(path).toLowerCase();
  switch (ext) {
    case ".html": {
      const title = (titleText(spec) ?? "figure").replace(/</g, "&lt;");
      writeFileSync(path, `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body>${figureHtml(spec)}</body></html>\n`);
      return true;
    }
    case ".json":
      writeFileSync(path, JSON.stringify(spec) + "\n");
      return true;
    case ".png": {
      const png = await renderFigure(spec, "png", 2);
      if (!png) return false;
      writeFileSync(path, png);
      return true;
    }
    case ".svg": {
      const svg = await renderFigure(spec, "svg");
      if (svg === undefined) return false;
      writeFileSync(path, svg);
      return true;
    }
    default:
      throw new Error(`saveFigure: unsupported extension "${ext}" in ${path} (use .html, .png, .svg or .json)`);
  }
}
