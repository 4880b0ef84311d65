/**
 * Rendering plotly figures to PNG and SVG with headless Chromium (Debian's `chromium`) driven by
 * playwright-core: one browser per process, launched on first use (~3 s) and reused. In a notebook kernel it
 * starts launching as soon as the package is imported and stays up for the session (figures come minutes
 * apart there); elsewhere it closes after a few idle seconds so scripts can exit (or call closeRenderer()).
 * Without Chromium, rendering returns undefined after one clear warning.
 */
import { existsSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { inNotebookKernel, warn } from "../core/log.js";
import { figureSize, normalizeSpec, plotlyJs, type PlotlySpec } from "./plotly.js";

export type ImageFormat = "png" | "svg";

const CHROMIUM_CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable"];
// The machines this runs on have no network: these flags stop Chromium's background connections.
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
];
const IDLE_CLOSE_MS = 4000;

let pagePromise: Promise<Page | undefined> | undefined;
let browser: Browser | undefined;
let idleTimer: NodeJS.Timeout | undefined;

/** The Chromium executable: `GUIDED_RL_CHROMIUM` if set, else the first one installed. */
export function findChromium(): string | undefined {
  const fromEnv = process.env.GUIDED_RL_CHROMIUM;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : undefined;
  return CHROMIUM_CANDIDATES.find((p) => existsSync(p));
}

const warnOnce = (message: string) => warn("figure-renderer", `guided-rl: ${message}`);

/** How this package launches Chromium (also used by scripts/check-notebook-html.mjs); undefined without one. */
export function chromiumLaunchOptions(): { executablePath: string; args: string[] } | undefined {
  const executablePath = findChromium();
  return executablePath ? { executablePath, args: [...CHROMIUM_ARGS] } : undefined;
}

async function openPage(): Promise<Page | undefined> {
  const executablePath = findChromium();
  if (!executablePath) {
    warnOnce("no Chromium found (install Debian's `chromium` or set GUIDED_RL_CHROMIUM); figures are shown without PNG images.");
    return undefined;
  }
  try {
    const { chromium } = await import("playwright-core");
    browser = await chromium.launch(chromiumLaunchOptions());
    const page = await browser.newPage();
    await page.setContent("<!doctype html><html><body></body></html>");
    await page.addScriptTag({ content: plotlyJs() });
    return page;
  } catch (err) {
    warnOnce(`Chromium at ${executablePath} could not render figures (${(err as Error).message.split("\n")[0]}); PNG images are skipped.`);
    await browser?.close().catch(() => undefined);
    browser = undefined;
    return undefined;
  }
}

function scheduleIdleClose(): void {
  if (idleTimer) clearTimeout(idleTimer);
  if (inNotebookKernel()) return;
  idleTimer = setTimeout(() => void closeRenderer(), IDLE_CLOSE_MS);
}

/** Starts the browser in the background (no-op when it is up or starting). */
export function warmRenderer(): void {
  pagePromise ??= openPage();
}

if (inNotebookKernel() && findChromium()) warmRenderer();

/** Renders a figure to PNG bytes or an SVG string; undefined when no browser is available. */
export async function renderFigure(spec: PlotlySpec, format: "png", scale?: number): Promise<Uint8Array | undefined>;
export async function renderFigure(spec: PlotlySpec, format: "svg"): Promise<string | undefined>;
export async function renderFigure(spec: PlotlySpec, format: ImageFormat, scale = 1): Promise<Uint8Array | string | undefined> {
  warmRenderer();
  const page = await pagePromise;
  if (!page) return undefined;
  if (idleTimer) clearTimeout(idleTimer);
  try {
    const { width, height } = figureSize(spec);
    const url = await page.evaluate(
      async ({ spec, format, width, height, scale }) => {
        const plotly = (globalThis as unknown as { Plotly: { toImage(fig: unknown, opts: unknown): Promise<string> } }).Plotly;
        const fig = { data: spec.data, layout: spec.layout ?? {} };
        return plotly.toImage(fig, { format, width, height, scale });
      },
      { spec: normalizeSpec({ data: spec.data, layout: spec.layout }), format, width, height, scale },
    );
    const comma = url.indexOf(",");
    const payload = url.slice(comma + 1);
    if (format === "png") return new Uint8Array(Buffer.from(payload, "base64"));
    return url.slice(0, comma).endsWith(";base64") ? Buffer.from(payload, "base64").toString("utf8") : decodeURIComponent(payload);
  } finally {
    scheduleIdleClose();
  }
}

/** Closes the shared browser (scripts call this when done; it also closes itself when idle). */
export async function closeRenderer(): Promise<void> {
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = undefined;
  const b = browser;
  browser = undefined;
  pagePromise = undefined;
  await b?.close().catch(() => undefined);
}
