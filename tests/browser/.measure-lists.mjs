// Scratch: time the vendor list's filter and sort in Chromium from file:// (not committed).
import { chromium } from "playwright-core";
import { pathToFileURL } from "node:url";
import { join, resolve } from "node:path";
const site = resolve(process.argv[2]);
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
const page = await browser.newPage();
for (const list of ["vendors", "findings"]) {
  const t0 = Date.now();
  await page.goto(pathToFileURL(join(site, list, "index.html")).href, { waitUntil: "load" });
  const load = Date.now() - t0;
  const input = list === "vendors" ? "#vendor-filter" : "#finding-filter";
  // First keystroke loads rows.js.
  const first = await page.evaluate(async (sel) => {
    const el = document.querySelector(sel); const t = performance.now();
    el.value = "a"; el.dispatchEvent(new Event("input", { bubbles: true }));
    await new Promise((ok) => { const c = () => window.VETTED_ROWS ? ok() : setTimeout(c, 1); c(); });
    await new Promise((ok) => requestAnimationFrame(() => ok()));
    return performance.now() - t;
  }, input);
  const keys = [];
  for (const q of ["ac", "acm", "med", "in", "x"]) {
    keys.push(await page.evaluate(async ([sel, q]) => {
      const el = document.querySelector(sel); const t = performance.now();
      el.value = q; el.dispatchEvent(new Event("input", { bubbles: true }));
      await new Promise((ok) => requestAnimationFrame(() => ok()));
      return performance.now() - t;
    }, [input, q]));
  }
  const sorts = [];
  for (const k of ["tier", "tier", list === "vendors" ? "findings" : "severity"]) {
    sorts.push(await page.evaluate(async (k) => {
      const t = performance.now();
      document.querySelector(`th[data-sort-key="${k}"] button`).click();
      await new Promise((ok) => requestAnimationFrame(() => ok()));
      return performance.now() - t;
    }, k));
  }
  const shown = await page.getAttribute("[data-count]", "data-total");
  console.log(`${list}: ${shown} rows; load ${load} ms; first keystroke (loads rows.js) ${first.toFixed(0)} ms; keystrokes ${keys.map((x) => x.toFixed(1)).join(", ")} ms; sorts ${sorts.map((x) => x.toFixed(1)).join(", ")} ms`);
}
await browser.close();
