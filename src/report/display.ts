/**
 * Sending rich output to a notebook. tslab's public `display` sends one mime type per output; a figure
 * needs several (plotly JSON for JupyterLab, HTML for the classic notebook, PNG for static exports), so
 * this writes a display_data message through tslab's own writer. Outside a tslab kernel nothing is sent.
 */
import { createRequire } from "node:module";

/** mime type -> content (strings; binary content already base64-encoded, as Jupyter expects). */
export type MimeBundle = Record<string, unknown>;

type DisplayWriter = (data: { data: MimeBundle; metadata: Record<string, unknown>; transient: Record<string, unknown> }, update: boolean) => void;

const require = createRequire(import.meta.url);

function tslabWriter(): DisplayWriter | undefined {
  try {
    const jupyter = require("tslab/dist/jupyter") as { lastWriteDisplayData?: DisplayWriter };
    return jupyter.lastWriteDisplayData ?? undefined;
  } catch {
    return undefined;
  }
}

/** True when running inside a tslab kernel that is executing a cell. */
export function inNotebook(): boolean {
  return tslabWriter() !== undefined;
}

/**
 * Displays a mime bundle in the current tslab cell; returns false (and sends nothing) outside a notebook.
 * With `transient.display_id`, a later call with the same id and `update` true replaces that output in place.
 */
export function displayBundle(bundle: MimeBundle, metadata: Record<string, unknown> = {}, transient: { display_id?: string } = {}, update = false): boolean {
  const write = tslabWriter();
  if (!write) return false;
  write({ data: bundle, metadata, transient }, update);
  return true;
}

/**
 * An SVG picture or animation as a bundle every viewer draws: image/svg+xml, the same SVG inline as
 * text/html (Debian's nbconvert 6.5 empties image/svg+xml outputs in its HTML export) and a text caption.
 */
export function svgBundle(svg: string, caption: string): MimeBundle {
  return { "image/svg+xml": svg, "text/html": `<div class="guided-rl-svg">${svg}</div>`, "text/plain": caption };
}

/** Shows an SVG (a frame, an episode animation) in the current cell; see `svgBundle`. */
export function showSvg(svg: string, caption: string): boolean {
  return displayBundle(svgBundle(svg, caption));
}
