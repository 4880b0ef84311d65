/** Writing an LMGT protocol's results: tables printed and saved, figures as plotly JSON / HTML / PNG. */
import { ensureDir } from "../../core/fs.js";
import { writeText } from "../../core/secrets.js";
import { join } from "node:path";
import { formatTable, type Row } from "../../report/table.js";
import { saveFigure } from "../../report/figure.js";
import type { PlotlySpec } from "../../report/plotly.js";
import {
  budgetBarsFigure,
  costFigure,
  costReduction,
  costTable,
  learningCurveFigure,
  lmgtGainTable,
  modelTable,
  paperComparisonTable,
  performanceProfileFigure,
  promptStyleTable,
  qualityTable,
  sampleEfficiencyTable,
  scorerLabel,
} from "./summary.js";
import type { LmgtTrialResult } from "./trial.js";

export interface LmgtReportTable {
  name: string;
  caption: string;
  rows: Row[];
}

/** Every table of the protocol that has rows, with captions that name who scored the pairs. */
export function lmgtTables(results: readonly LmgtTrialResult[]): LmgtReportTable[] {
  const scorer = scorerLabel(results);
  const who = scorer === "surrogate" ? "scores by the offline surrogate (heuristics, not an LLM)" : `scores by ${scorer}`;
  const tables: LmgtReportTable[] = [
    {
      name: "sample-efficiency",
      caption: `LMGT vs baseline: deterministic evaluation return at each step budget, mean [95% bootstrap CI] over seeds, IQM at the early and final budgets; "(paper)" marks the paper's step counts. LMGT = the paper's form (every pair asked, lambda = 1); LMGT-efficient = ours (bucket cache) (${who})`,
      rows: sampleEfficiencyTable(results),
    },
    { name: "gain", caption: `LMGT minus baseline (mean return) at each budget (${who})`, rows: lmgtGainTable(results) },
    {
      name: "paper",
      caption: "The paper's published figures beside ours at the same setting. The paper's PDF is not available here: its figures are as quoted by a third-party summary (see paper-figures.ts); any other cell of the paper's tables is not available here",
      rows: results.some((r) => r.spec.experiment === "main" || r.spec.experiment === "prompt-style") ? paperComparisonTable(results) : [],
    },
    {
      name: "prompt-style",
      caption:
        scorer === "surrogate"
          ? "Prompt-style ablation (surrogate: its judgement does not depend on the style, so this measures the format, parsing and token cost of each style, not a model's reasoning)"
          : `Prompt-style ablation (${who})`,
      rows: promptStyleTable(results),
    },
    { name: "models", caption: `Model ablation over real models: one row per model with its calls, tokens, cost and failed calls; a failed model is credited with no return`, rows: modelTable(results) },
    { name: "quality", caption: `Model-quality ablation: the surrogate's quality knob (full / good / small / chance), emulating weaker models`, rows: qualityTable(results) },
    {
      name: "cost",
      caption: `Cost: requests per 1000 env steps, per-step querying vs batching (the paper preset) vs batching + bucket cache (the efficient preset) vs schedules, and "distilled" (ours, beyond the paper: a small classifier trained on a sample of the scorer's labels scores the rest; agreement measured on held-out labels) (${who})`,
      rows: costTable(results),
    },
  ];
  return tables.filter((t) => t.rows.length > 0);
}

/** The figures of the protocol, by file stem. */
export function lmgtFigures(results: readonly LmgtTrialResult[]): { name: string; spec: PlotlySpec }[] {
  const figures: { name: string; spec: PlotlySpec }[] = [];
  const pairs = new Set(results.filter((r) => r.spec.experiment === "main").map((r) => `${r.spec.env}|${r.spec.algo}`));
  for (const key of pairs) {
    const [env, algo] = key.split("|") as [string, string];
    figures.push({ name: `${env}-${algo}-curves`, spec: learningCurveFigure(results, env, algo) });
    figures.push({ name: `${env}-${algo}-profile`, spec: performanceProfileFigure(results, env, algo) });
  }
  for (const env of new Set(results.map((r) => r.spec.env))) {
    for (const experiment of ["main", "quality", "prompt-style"]) {
      if (results.some((r) => r.spec.env === env && r.spec.experiment === experiment)) {
        figures.push({ name: `${env}-${experiment}-budgets`, spec: budgetBarsFigure(results, env, experiment) });
      }
    }
  }
  if (results.some((r) => r.spec.experiment === "cost")) figures.push({ name: "cost", spec: costFigure(results) });
  return figures;
}

/** The headline checks of the issue, as text lines. */
export function lmgtHeadlines(results: readonly LmgtTrialResult[]): string[] {
  const lines: string[] = [];
  const who = scorerLabel(results) === "surrogate" ? "surrogate" : scorerLabel(results);
  for (const row of lmgtGainTable(results)) {
    const first = Object.keys(row).find((k) => k.startsWith("gain@"))!;
    const g = Number(row[first]);
    const arm = row.arm === "lmgt" ? "LMGT" : String(row.arm).replace(/^lmgt-efficient/, "LMGT-efficient");
    lines.push(`${row.env} ${row.algorithm}: ${arm} (${who}) ${g > 0 ? "beats" : "does not beat"} the baseline at the early budget (${first.slice(5)} steps): ${row[first]} over ${row.seeds} seeds`);
  }
  for (const row of lmgtGainTable(results, "quality", "chance")) {
    const first = Object.keys(row).find((k) => k.startsWith("gain@"))!;
    lines.push(`${row.env} ${row.algorithm}: chance-quality scores vs baseline at ${first.slice(5)} steps: ${row[first]} (${row.seeds} seeds)`);
  }
  for (const c of costReduction(results)) {
    lines.push(`${c.env} ${c.algo.toUpperCase()}: ${c.perStep.toFixed(1)} requests/1k steps per-step vs ${c.batchedCached.toFixed(2)} with batching + cache: ${c.factor.toFixed(0)}x fewer`);
  }
  for (const row of costTable(results).filter((r) => r.cost === "distilled")) {
    const returns = Object.keys(row).filter((k) => k.startsWith("return@"));
    const cached = costTable(results).find((r) => r.env === row.env && r.algorithm === row.algorithm && r.cost === "batched+cache");
    const last = returns.at(-1)!;
    lines.push(
      `${row.env} ${row.algorithm}: distilled scorer (ours, beyond the paper) ${row["calls/1k steps"]} requests/1k steps, ${row["fewer calls than bucket cache"] || "?"} fewer than the bucket cache; ` +
        `${last} ${row[last]} vs ${cached?.[last] ?? "?"} with the cache; agreement with the scorer on held-out labels ${row["agreement with the LLM (held out)"]}`,
    );
  }
  return lines;
}

/**
 * Writes `results.json` (every trial), `<table>.txt` and `<table>.json`, and each figure as `.json`,
 * `.html` and `.png` (PNG when Chromium is available) into `outDir`. Returns the text printed for the tables.
 */
export async function writeLmgtReport(results: readonly LmgtTrialResult[], outDir: string, opts: { png?: boolean } = {}): Promise<string> {
  ensureDir(outDir);
  writeText(join(outDir, "results.json"), JSON.stringify(results, null, 1));
  const texts: string[] = [];
  for (const t of lmgtTables(results)) {
    const text = formatTable(t.rows, { caption: t.caption });
    texts.push(text);
    writeText(join(outDir, `${t.name}.txt`), `${text}\n`);
    writeText(join(outDir, `${t.name}.json`), JSON.stringify(t.rows, null, 1));
  }
  const headlines = lmgtHeadlines(results);
  if (headlines.length) {
    texts.push(headlines.join("\n"));
    writeText(join(outDir, "headlines.txt"), `${headlines.join("\n")}\n`);
  }
  for (const f of lmgtFigures(results)) {
    await saveFigure(f.spec, join(outDir, `${f.name}.json`));
    await saveFigure(f.spec, join(outDir, `${f.name}.html`));
    if (opts.png !== false) await saveFigure(f.spec, join(outDir, `${f.name}.png`));
  }
  return texts.join("\n\n");
}
