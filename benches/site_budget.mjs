// Browser half of benches/site_budget.py: opens pages of a built site in
// Debian's headless Chromium from file:// (playwright-core from
// tests/browser/node_modules) and prints one JSON object with, per page:
//
//   interactive_ms  navigation start to interactive: the later of the load
//                   event's end and the end of the last long task (>50 ms of
//                   main-thread work) before 500 ms of quiet; median of runs
//   memory_mib      the browser's memory with that page open and used: the
//                   proportional set size (PSS) of every Chromium process
//   filter_ms       a keystroke in the page's text filter (a character typed,
//                   then Backspace) to the first frame painted after the
//                   page changed; median of runs
//   sort_ms         a click on the first sortable column heading to the first
//                   frame painted after the rows changed; median of runs
//   redraw_ms       the filter keystroke that redraws every shown row: with a
//                   row's heading as the query (at most 5 rows shown), the
//                   text selected, then Backspace (a full page of rows back);
//                   median of runs
//
// Figures, never assertions.
//
//   node benches/site_budget.mjs SITE_DIR RUNS PAGE...
import { createRequire } from "node:module";
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { join, resolve, dirname } from "node:path";
import { pathToFileURL, fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, "..", "tests", "browser", "package.json"));
const { chromium } = require("playwright-core");

const [siteArg, runsArg, ...pages] = process.argv.slice(2);
const site = resolve(siteArg || "");
const runs = Math.max(1, parseInt(runsArg || "5", 10));
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
if (!existsSync(join(site, "index.html")) || !pages.length) {
  console.error("usage: node benches/site_budget.mjs SITE_DIR RUNS PAGE...");
  process.exit(2);
}

// Long tasks are recorded from the first byte of every document.
const PROBE = `
  window.__longtasks = [];
  try {
    new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__longtasks.push(e.startTime + e.duration); })
      .observe({ type: "longtask", buffered: true });
  } catch (e) {}
`;

const median = (xs) => {
  const s = xs.filter((x) => x !== null).sort((a, b) => a - b);
  if (!s.length) return null;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// Chromium's processes are this process's descendants.
function descendants(root) {
  const parent = new Map();
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, "utf8");
      parent.set(Number(d), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch { /* gone */ }
  }
  const out = [];
  const want = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, ppid] of parent) {
      if (want.has(ppid) && !want.has(pid)) { want.add(pid); out.push(pid); grew = true; }
    }
  }
  return out;
}

function browserMemoryMiB() {
  let kb = 0;
  for (const pid of descendants(process.pid)) {
    try {
      const m = /^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"));
      if (m) kb += Number(m[1]);
    } catch { /* gone */ }
  }
  return kb / 1024;
}

async function interactive(page) {
  // Wait for 500 ms without a long task (at most 60 s), then read the clock.
  return page.evaluate(async () => {
    const start = performance.now();
    const last = () => Math.max(0, ...window.__longtasks);
    while (performance.now() - last() < 500 && performance.now() - start < 60000) {
      await new Promise((r) => setTimeout(r, 100));
    }
    const nav = performance.getEntriesByType("navigation")[0];
    return Math.max(nav ? nav.loadEventEnd : 0, nav ? nav.domContentLoadedEventEnd : 0, last());
  });
}

// Arms a probe: the time from the next `trigger` event to the first frame
// painted after the document changed (null when nothing changed in 10 s).
async function arm(page, trigger) {
  await page.evaluate((trigger) => {
    window.__timing = new Promise((done) => {
      let t0 = null;
      const start = (e) => { if (t0 === null) t0 = e.timeStamp || performance.now(); };
      document.addEventListener(trigger, start, { capture: true, once: true });
      const obs = new MutationObserver(() => {
        obs.disconnect();
        requestAnimationFrame(() => setTimeout(() => done(t0 === null ? null : performance.now() - t0), 0));
      });
      obs.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
      setTimeout(() => { obs.disconnect(); done(null); }, 10000);
    });
  }, trigger);
}
const result = (page) => page.evaluate(() => window.__timing);

const TEXT_FILTER = '[data-filter="q"], [data-filter="text"], form.filters input[type="search"], [data-table-filter] input[type="search"]';
const SORT_BUTTON = "table thead th button";

async function measureFilter(page) {
  const input = await page.$(TEXT_FILTER);
  if (!input || !(await input.isVisible())) return null;
  // The first letter of the first row's heading cell: it narrows the rows.
  const first = await page.$eval("table tbody tr", (r) => (r.cells[0] ? r.cells[0].textContent.trim() : "")).catch(() => "");
  const ch = (first.match(/[a-z0-9]/i) || ["a"])[0].toLowerCase();
  await input.click();
  const times = [];
  for (let i = 0; i < runs; i++) {
    for (const key of [ch, "Backspace"]) {
      await arm(page, "keydown");
      await page.keyboard.press(key);
      times.push(await result(page));
    }
    if (times[0] !== null && times[0] > 5000 && times.length >= 2) break;
  }
  return { median: median(times), samples: times };
}

async function measureRedraw(page) {
  const input = await page.$(TEXT_FILTER);
  if (!input || !(await input.isVisible())) return null;
  await input.fill("");
  await page.waitForTimeout(200);
  // A query that leaves at most 5 rows: the heading of one of the first 20.
  const heads = await page.$$eval("table tbody tr", (rs) => rs.slice(0, 20).map((r) => (r.cells[0] ? r.cells[0].textContent.trim() : "")));
  let query = null;
  for (const h of heads.filter(Boolean)) {
    await input.fill(h);
    await page.waitForTimeout(200);
    if ((await page.$$eval("table tbody tr", (r) => r.length)) <= 5) { query = h; break; }
  }
  if (!query) { await input.fill(""); return null; }
  const times = [];
  for (let i = 0; i < runs; i++) {
    await input.fill(query);
    await page.waitForTimeout(200);
    await input.selectText();
    await arm(page, "keydown");
    await page.keyboard.press("Backspace");
    times.push(await result(page));
  }
  await input.fill("");
  return { median: median(times), samples: times };
}

async function measureSort(page) {
  const button = await page.$(SORT_BUTTON);
  if (!button || !(await button.isVisible())) return null;
  const times = [];
  for (let i = 0; i < runs; i++) {
    await arm(page, "pointerdown");
    await button.click({ timeout: 300000 });
    times.push(await result(page));
    if (times[0] !== null && times[0] > 5000 && times.length >= 2) break;
  }
  return { median: median(times), samples: times };
}

const browser = await chromium.launch({
  executablePath,
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const out = { chromium: browser.version(), runs, pages: {} };
for (const p of pages) {
  const url = pathToFileURL(join(site, p)).href;
  const loads = [];
  let memory = 0;
  let filter = null;
  let sort = null;
  let redraw = null;
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.addInitScript(PROBE);
    const page = await context.newPage();
    page.setDefaultTimeout(300000);
    await page.goto(url, { waitUntil: "load", timeout: 600000 });
    loads.push(await interactive(page));
    memory = Math.max(memory, browserMemoryMiB());
    if (i === 0) {
      filter = await measureFilter(page);
      sort = await measureSort(page);
      redraw = await measureRedraw(page);
      memory = Math.max(memory, browserMemoryMiB());
    }
    await context.close();
    // A page that takes over 10 s is not run again: one run says enough.
    if (loads[0] > 10000) break;
  }
  out.pages[p] = { interactive_ms: median(loads), interactive_samples: loads, memory_mib: memory, filter_ms: filter, sort_ms: sort, redraw_ms: redraw };
  console.error(`  ${p}: interactive ${median(loads).toFixed(0)} ms, ${memory.toFixed(0)} MiB` +
    (filter ? `, filter ${filter.median === null ? "n/a" : filter.median.toFixed(0) + " ms"}` : "") +
    (sort ? `, sort ${sort.median === null ? "n/a" : sort.median.toFixed(0) + " ms"}` : "") +
    (redraw ? `, redraw ${redraw.median === null ? "n/a" : redraw.median.toFixed(0) + " ms"}` : ""));
}
await browser.close();
console.log(JSON.stringify(out, null, 2));
