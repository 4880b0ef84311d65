/**
 * Showing and saving plotly figures.
 *
 * In a notebook, `await figure(spec)` sends one output with three representations: the plotly JSON
 * (JupyterLab with plotly's extension, VS Code), HTML that draws it with plotly.js (the classic notebook,
 * nbconvert's HTML export) and a PNG (static viewers such as GitHub). plotly.js itself (4.8 MB) reaches the
 * page once per kernel session, in its own output before the first figure.
 */
import { existsSync, statSync, writeFileSync } from "node:fs";
import { ensureDir } from "../core/fs.js";
import { writeText } from "../core/secrets.js";
import { randomBytes } from "node:crypto";
import { dirname, extname, join } from "node:path";
import { displayBundle, inNotebook, type MimeBundle } from "./display.js";
import { figureSize, normalizeSpec, plotlyJs, scriptSafeJson, type PlotlySpec } from "./plotly.js";
import { renderFigure } from "./render.js";

export interface FigureOptions {
  /** Skip the PNG (faster; static exports then show no picture). */
  png?: boolean;
}

function titleText(spec: PlotlySpec): string | undefined {
  const title = spec.layout?.title;
  if (typeof title === "string") return title;
  const text = (title as { text?: unknown } | undefined)?.text;
  return typeof text === "string" ? text : undefined;
}

/**
 * HTML that draws the figure with `window.Plotly`: a notebook loads plotly.js once (`plotlyLoaderBundle`), a
 * saved page references or inlines it (`library`). Where scripts don't run the element says so; the PNG is
 * not repeated here (static viewers show the bundle's image/png).
 */
export function figureHtml(input: PlotlySpec, library = ""): string {
  const spec = normalizeSpec(input);
  const id = `grl-${randomBytes(6).toString("hex")}`;
  const { width, height } = figureSize(spec);
  const payload = scriptSafeJson({ data: spec.data, layout: spec.layout ?? {}, config: { responsive: true, ...(spec.config ?? {}) }, frames: spec.frames });
  return `${library}<div id="${id}" class="guided-rl-figure" style="width:${width}px;height:${height}px">${NOT_DRAWN}</div>
<script type="text/javascript">(function(){var el=document.getElementById("${id}");if(!window.Plotly||!el)return;var f=${payload};el.innerHTML="";window.Plotly.newPlot(el,f.data,f.layout,f.config).then(function(){if(f.frames)window.Plotly.addFrames(el,f.frames);});})();</script>`;
}

const NOT_DRAWN = `<span style="color:#888">(interactive figure: drawn by plotly.js where scripts run; a trusted notebook or the HTML export)</span>`;

/** Metadata that marks the one output per notebook that loads plotly.js (publishing drops it with the figures' HTML). */
export const PLOTLY_LOADER_METADATA = { "guided-rl": "plotly.js" };

/** The output that loads plotly.js into the notebook page, once per kernel session, before the first figure. */
export function plotlyLoaderBundle(): MimeBundle {
  return { "text/html": `<script type="text/javascript">${plotlyJs()}</script>`, "text/plain": "" };
}

let plotlyLoaded = false;

/** Sends plotly.js to the notebook page if this kernel has not yet (the page keeps it for every later figure). */
export function ensurePlotlyLoaded(): void {
  if (plotlyLoaded || !inNotebook()) return;
  plotlyLoaded = displayBundle(plotlyLoaderBundle(), PLOTLY_LOADER_METADATA);
}

/** The mime bundle `figure()` sends: plotly JSON, HTML, plain text, and a PNG when Chromium is available. */
export async function figureBundle(input: PlotlySpec, options: FigureOptions = {}): Promise<MimeBundle> {
  const spec = normalizeSpec(input);
  const png = options.png === false ? undefined : await renderFigure(spec, "png");
  const bundle: MimeBundle = {
    "application/vnd.plotly.v1+json": { data: spec.data, layout: spec.layout ?? {}, config: spec.config ?? {}, frames: spec.frames },
    "text/html": figureHtml(spec),
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
  ensurePlotlyLoaded();
  displayBundle(await figureBundle(spec, options));
}

/** plotly.js beside the HTML figures of a folder: one copy, written when missing or different. */
function sharedPlotlyFile(dir: string): string {
  const path = join(dir, PLOTLY_FILE);
  const source = plotlyJs();
  if (!existsSync(path) || statSync(path).size !== Buffer.byteLength(source)) writeFileSync(path, source); // the shipped plotly library, not run content
  return PLOTLY_FILE;
}

const PLOTLY_FILE = "plotly.min.js";

/**
 * Saves a figure by extension: `.html` (loads plotly.min.js written once beside it, so a folder of figures
 * carries one copy; `standalone: true` inlines it instead), `.png`, `.svg`, `.json` (the spec).
 * Returns false when a PNG/SVG could not be rendered (no Chromium: one warning was printed).
 */
export async function saveFigure(spec: PlotlySpec, path: string, options: { standalone?: boolean } = {}): Promise<boolean> {
  ensureDir(dirname(path));
  const ext = extname(path).toLowerCase();
  switch (ext) {
    case ".html": {
      const title = (titleText(spec) ?? "figure").replace(/</g, "&lt;");
      const library = options.standalone
        ? `<script type="text/javascript">${plotlyJs()}</script>`
        : `<script type="text/javascript" src="${sharedPlotlyFile(dirname(path))}"></script>`;
      writeText(path, `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body>${figureHtml(spec, library)}</body></html>\n`);
      return true;
    }
    case ".json":
      writeText(path, JSON.stringify(spec) + "\n");
      return true;
    case ".png": {
      const png = await renderFigure(spec, "png", 2);
      if (!png) return false;
      writeFileSync(path, png); // binary: no text to redact
      return true;
    }
    case ".svg": {
      const svg = await renderFigure(spec, "svg");
      if (svg === undefined) return false;
      writeText(path, svg);
      return true;
    }
    default:
      throw new Error(`saveFigure: unsupported extension "${ext}" in ${path} (use .html, .png, .svg or .json)`);
  }
}
