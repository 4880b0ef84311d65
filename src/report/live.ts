/**
 * Live curves for long training cells: one figure that updates in place while the work runs, with a
 * progress line above it; the same progress line on a terminal (`\r`-updated on a TTY, a line per 10%
 * otherwise), so the CLI and the notebooks say the same thing.
 *
 *     const live = liveCurve({ title: "PPO on CartPole-v1", total: 50_000 });
 *     await trainRun({ ..., onProgress: (p) => live.run(p) });   // or live.point(series, x, y) + live.progress(done)
 *     await live.done();                                           // the final figure, with its PNG
 *
 * In a notebook the figure is one display (tslab's display_data, then update_display_data with the same id),
 * redrawn at most once per `intervalMs`; only the final one renders a PNG.
 */
import { randomBytes } from "node:crypto";
import { displayBundle, inNotebook, type MimeBundle } from "./display.js";
import { ensurePlotlyLoaded, figureBundle, figureHtml } from "./figure.js";
import type { PlotlySpec } from "./plotly.js";

export interface LiveCurveOptions {
  title?: string;
  /** Default "environment steps". */
  xTitle?: string;
  /** Default "return". */
  yTitle?: string;
  /** The amount of work the progress line counts towards (e.g. total env steps). */
  total?: number;
  /** What `total` counts (default "steps"). */
  unit?: string;
  /** Least milliseconds between two redraws (default 1000). */
  intervalMs?: number;
  /** Where the terminal line goes outside a notebook (default process.stderr; null: nowhere). */
  stream?: NodeJS.WriteStream | null;
}

/** The part of a training run's progress report the curve reads (algos' RunProgress has these fields). */
export interface ProgressLike {
  numTimesteps: number;
  totalTimesteps: number;
  epRewMean?: number;
  lastEval?: { step: number; meanReturn: number };
}

const num = (x: number) => (Number.isFinite(x) ? Math.round(x).toLocaleString("en-US") : "-");

function duration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "-";
  if (seconds < 60) return `${seconds.toFixed(0)} s`;
  const m = Math.floor(seconds / 60);
  return m < 60 ? `${m} min ${Math.round(seconds - 60 * m)} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

/**
 * The progress line: `[#######.......] 50% 25,000/50,000 steps · 1,234 steps/s · ~20 s left · note`
 * (without a total: `25,000 steps · 1,234 steps/s · note`).
 */
export function progressLine(done: number, total: number | undefined, elapsedSeconds: number, unit = "steps", note = "", width = 20): string {
  const rate = elapsedSeconds > 0 ? done / elapsedSeconds : NaN;
  const parts: string[] = [];
  if (total !== undefined && total > 0) {
    const frac = Math.min(1, Math.max(0, done / total));
    const filled = Math.round(frac * width);
    parts.push(`[${"#".repeat(filled)}${".".repeat(width - filled)}] ${(100 * frac).toFixed(0).padStart(3)}% ${num(done)}/${num(total)} ${unit}`);
  } else {
    parts.push(`${num(done)} ${unit}`);
  }
  if (Number.isFinite(rate)) parts.push(`${num(rate)} ${unit}/s`);
  if (total !== undefined && total > done && rate > 0) parts.push(`~${duration((total - done) / rate)} left`);
  if (done >= (total ?? Infinity)) parts.push(`done in ${duration(elapsedSeconds)}`);
  if (note) parts.push(note);
  return parts.join(" · ");
}

const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export class LiveCurve {
  private readonly series = new Map<string, { x: number[]; y: number[] }>();
  private readonly started = performance.now();
  private readonly displayId = `guided-rl-live-${randomBytes(6).toString("hex")}`;
  private readonly notebook = inNotebook();
  private readonly stream: NodeJS.WriteStream | null;
  private done_ = 0;
  private note = "";
  private lastDraw = -Infinity;
  private shown = false;
  private lastTenth = -1;
  private finished = false;

  constructor(private readonly options: LiveCurveOptions = {}) {
    this.stream = options.stream === undefined ? process.stderr : options.stream;
  }

  /** Adds a point to the named series (created on first use) and redraws if the interval has passed. */
  point(series: string, x: number, y: number): void {
    let s = this.series.get(series);
    if (!s) this.series.set(series, (s = { x: [], y: [] }));
    s.x.push(x);
    s.y.push(y);
    this.maybeDraw();
  }

  /** Sets the work done so far (and an optional note for the progress line), redrawing if the interval has passed. */
  progress(done: number, note?: string): void {
    this.done_ = done;
    if (note !== undefined) this.note = note;
    this.maybeDraw();
  }

  /** Feeds a training run's progress report: "episode return" and "evaluation" series and the step count. */
  run(p: ProgressLike, prefix = ""): void {
    this.done_ = p.numTimesteps;
    if (p.epRewMean !== undefined && Number.isFinite(p.epRewMean)) {
      const s = this.series.get(`${prefix}episode return`);
      if (!s || s.x[s.x.length - 1] !== p.numTimesteps) this.point(`${prefix}episode return`, p.numTimesteps, p.epRewMean);
    }
    if (p.lastEval) {
      const s = this.series.get(`${prefix}evaluation`);
      if (!s || s.x[s.x.length - 1] !== p.lastEval.step) this.point(`${prefix}evaluation`, p.lastEval.step, p.lastEval.meanReturn);
    }
    const note = p.lastEval ? `last evaluation ${p.lastEval.meanReturn.toFixed(1)}` : "";
    this.progress(p.numTimesteps, note);
  }

  /** The figure as it stands. */
  spec(): PlotlySpec {
    return {
      data: [...this.series].map(([name, s]) => ({ type: "scatter", mode: s.x.length > 40 ? "lines" : "lines+markers", name, x: s.x, y: s.y })),
      layout: {
        title: this.options.title ?? "",
        xaxis: { title: this.options.xTitle ?? "environment steps" },
        yaxis: { title: this.options.yTitle ?? "return" },
        width: 760, height: 400, margin: { t: 50, r: 20 },
      },
    };
  }

  /** The progress line as it stands. */
  line(): string {
    return progressLine(this.done_, this.options.total, (performance.now() - this.started) / 1000, this.options.unit, this.note);
  }

  /** Draws the final state: the figure with its PNG in a notebook, the last line and a newline on a terminal. */
  async done(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    if (this.notebook) {
      const bundle = await figureBundle(this.spec());
      this.show({ ...bundle, "text/html": this.header() + (bundle["text/html"] as string), "text/plain": `${this.line()}\n${bundle["text/plain"]}` });
      return;
    }
    this.writeTerminal(true);
  }

  private header(): string {
    return `<div style="font-family:monospace;white-space:pre;margin:2px 0 4px">${escapeHtml(this.line())}</div>`;
  }

  private maybeDraw(): void {
    if (this.finished) return;
    const now = performance.now();
    if (this.notebook) {
      if (now - this.lastDraw < (this.options.intervalMs ?? 1000)) return;
      this.lastDraw = now;
      this.show({ "text/html": this.header() + (this.series.size ? figureHtml(this.spec()) : ""), "text/plain": this.line() });
      return;
    }
    this.writeTerminal(false);
  }

  private show(bundle: MimeBundle): void {
    if (!this.shown) ensurePlotlyLoaded();
    displayBundle(bundle, {}, { display_id: this.displayId }, this.shown);
    this.shown = true;
  }

  private writeTerminal(final: boolean): void {
    const out = this.stream;
    if (!out) return;
    if (out.isTTY) {
      const now = performance.now();
      if (!final && now - this.lastDraw < 200) return;
      this.lastDraw = now;
      out.write(`\r${this.line()}\x1b[K${final ? "\n" : ""}`);
      return;
    }
    const total = this.options.total;
    const tenth = total ? Math.floor((10 * this.done_) / total) : -1;
    if (final || tenth > this.lastTenth) {
      this.lastTenth = tenth;
      out.write(this.line() + "\n");
    }
  }
}

/** A live-updating figure with a progress line (see the module comment). */
export function liveCurve(options: LiveCurveOptions = {}): LiveCurve {
  return new LiveCurve(options);
}
