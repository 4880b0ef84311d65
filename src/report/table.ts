/**
 * Tables for notebooks and the terminal. `table()` accepts plain rows or a danfo DataFrame and shows an
 * HTML table (with a plain-text fallback) inline in tslab; outside a notebook it prints the text form.
 */
import { createRequire } from "node:module";
import { displayBundle } from "./display.js";

export type Cell = string | number | boolean | null | undefined;
export type Row = Record<string, Cell>;

/** The part of danfo's DataFrame that tables need (duck-typed, so danfo is only loaded when used). */
export interface DataFrameLike {
  columns: string[];
  values: unknown[];
}

export interface TableOptions {
  /** Shown above the table. */
  caption?: string;
  /** Significant decimals for non-integer numbers (default 3). */
  digits?: number;
}

const require = createRequire(import.meta.url);

/** Builds a danfo DataFrame from rows (danfojs-node is loaded on first use). */
export function dataFrame(rows: Row[]): DataFrameLike {
  const dfd = require("danfojs-node") as { DataFrame: new (data: Row[]) => DataFrameLike };
  return new dfd.DataFrame(rows);
}

function isDataFrame(x: unknown): x is DataFrameLike {
  return typeof x === "object" && x !== null && Array.isArray((x as DataFrameLike).columns) && "values" in x;
}

/** Rows from plain rows or a DataFrame; column order is first-seen order. */
export function toRows(input: Row[] | DataFrameLike): { columns: string[]; rows: Row[] } {
  if (isDataFrame(input)) {
    const columns = [...input.columns];
    const rows = (input.values as Cell[][]).map((vals) => Object.fromEntries(columns.map((c, j) => [c, vals[j]])));
    return { columns, rows };
  }
  const columns: string[] = [];
  for (const row of input) for (const key of Object.keys(row)) if (!columns.includes(key)) columns.push(key);
  return { columns, rows: input };
}

export function formatCell(value: Cell, digits = 3): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "NaN";
    if (Number.isInteger(value)) return String(value);
    const abs = Math.abs(value);
    if (abs !== 0 && (abs < 10 ** -digits || abs >= 1e7)) return value.toExponential(digits - 1);
    return value.toFixed(digits);
  }
  return String(value);
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** A fixed-width text table (for terminals, logs and the text/plain fallback). */
export function formatTable(input: Row[] | DataFrameLike, options: TableOptions = {}): string {
  const { columns, rows } = toRows(input);
  const digits = options.digits ?? 3;
  const cells = rows.map((r) => columns.map((c) => formatCell(r[c], digits)));
  const widths = columns.map((c, j) => Math.max(c.length, ...cells.map((r) => r[j]!.length)));
  const numeric = columns.map((c) => rows.every((r) => r[c] === undefined || r[c] === null || typeof r[c] === "number"));
  const pad = (s: string, j: number) => (numeric[j] ? s.padStart(widths[j]!) : s.padEnd(widths[j]!));
  const lines = [
    columns.map((c, j) => pad(c, j)).join("  "),
    widths.map((w) => "-".repeat(w)).join("  "),
    ...cells.map((r) => r.map((s, j) => pad(s, j)).join("  ")),
  ];
  return (options.caption ? `${options.caption}\n` : "") + lines.join("\n");
}

/** An HTML table with numbers right-aligned. */
export function tableHtml(input: Row[] | DataFrameLike, options: TableOptions = {}): string {
  const { columns, rows } = toRows(input);
  const digits = options.digits ?? 3;
  const head = columns.map((c) => `<th>${escapeHtml(c)}</th>`).join("");
  const body = rows
    .map((r) => {
      const tds = columns.map((c) => {
        const v = r[c];
        const align = typeof v === "number" ? ' style="text-align:right"' : "";
        return `<td${align}>${escapeHtml(formatCell(v, digits))}</td>`;
      });
      return `<tr>${tds.join("")}</tr>`;
    })
    .join("\n");
  const caption = options.caption ? `<caption style="caption-side:top;text-align:left">${escapeHtml(options.caption)}</caption>` : "";
  return `<table class="guided-rl-table">${caption}<thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

/** Shows a table inline in a notebook (HTML + text), or prints it to stdout outside one. */
export function table(input: Row[] | DataFrameLike, options: TableOptions = {}): void {
  const text = formatTable(input, options);
  const shown = displayBundle({ "text/html": tableHtml(input, options), "text/plain": text });
  if (!shown) console.log(text);
}
