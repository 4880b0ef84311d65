#!/usr/bin/env node
// Opens nbconvert HTML exports of executed notebooks in headless Chromium and checks what a reader sees:
// every plotly figure drawn (its element holds plotly's SVG), no empty <svg> (Debian's nbconvert 6.5 empties
// image/svg+xml outputs), no error output. `node scripts/check-notebook-html.mjs out/notebooks/*.html`
// (`npm run notebooks` runs it); needs `npm run build`. GUIDED_RL_SCREENSHOTS=<dir> also saves a full-page PNG
// of each. Without Chromium it says so and exits 0 (CI installs Chromium, so it runs there).
import { mkdirSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const { chromiumLaunchOptions } = await import(pathToFileURL(resolve("dist/report/render.js")).href);
const files = process.argv.slice(2);
const launch = chromiumLaunchOptions();
if (!launch) {
  console.log("check-notebook-html: no Chromium found; HTML exports not checked");
  process.exit(0);
}
const { chromium } = await import("playwright-core");
const browser = await chromium.launch(launch);
const shots = process.env.GUIDED_RL_SCREENSHOTS;
if (shots) mkdirSync(shots, { recursive: true });
let failed = false;
try {
  for (const file of files) {
    const started = performance.now();
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const errors = [];
    page.on("pageerror", (err) => errors.push(err.message));
    await page.goto(pathToFileURL(resolve(file)).href, { waitUntil: "load", timeout: 120_000 });
    // plotly draws asynchronously: wait until every figure holds its SVG (or 30 s)
    await page.waitForFunction(() => [...document.querySelectorAll(".guided-rl-figure")].every((el) => el.querySelector(".main-svg")), null, { timeout: 30_000 }).catch(() => undefined);
    const r = await page.evaluate(() => {
      const figures = [...document.querySelectorAll(".guided-rl-figure")];
      const svgs = [...document.querySelectorAll("svg")].filter((s) => !s.closest(".guided-rl-figure") && !s.closest(".js-plotly-plot"));
      return {
        figures: figures.length,
        drawn: figures.filter((el) => el.querySelector(".main-svg")).length,
        svgs: svgs.length,
        emptySvgs: svgs.filter((s) => s.childElementCount === 0).length,
        errors: document.querySelectorAll(".output_error, .jp-RenderedText[data-mime-type='application/vnd.jupyter.error']").length,
        images: document.querySelectorAll("img[src^='data:image/png']").length,
      };
    });
    if (shots) await page.screenshot({ path: join(shots, basename(file, ".html") + ".png"), fullPage: true });
    await page.close();
    const ok = r.drawn === r.figures && r.emptySvgs === 0 && r.errors === 0;
    failed ||= !ok;
    console.log(
      `check-notebook-html: ${basename(file)} ${ok ? "ok" : "FAILED"}: ${r.drawn}/${r.figures} figures drawn, ${r.svgs - r.emptySvgs}/${r.svgs} other SVGs non-empty, ` +
        `${r.images} PNG images, ${r.errors} error outputs${errors.length ? `, page errors: ${errors.slice(0, 3).join(" | ")}` : ""} (${((performance.now() - started) / 1000).toFixed(1)} s)`,
    );
  }
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
