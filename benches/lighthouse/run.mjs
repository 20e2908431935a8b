// Lighthouse scores of a built vetted site, desktop and mobile presets.
//
//   node benches/lighthouse/run.mjs SITE_DIR [PAGE ...]
//
// Serves SITE_DIR on 127.0.0.1 (Lighthouse refuses file:// URLs), runs
// Lighthouse with Debian's headless Chromium (CHROMIUM overrides the path)
// on each page (by default the site's representative pages that exist),
// and prints one Markdown table row per page and preset with the
// performance, accessibility and best-practices scores, plus the failing
// audits of any category under 100. Install with `npm ci` in this folder
// (benches/run.py --lighthouse does it). Nothing here reaches the network.
import { createServer } from "node:http";
import { readFileSync, existsSync, statSync } from "node:fs";
import { join, resolve, extname, normalize } from "node:path";
import lighthouse from "lighthouse";
import desktopConfig from "lighthouse/core/config/desktop-config.js";
import * as chromeLauncher from "chrome-launcher";

const site = resolve(process.argv[2] || "");
if (!existsSync(join(site, "index.html"))) {
  console.error(`usage: node run.mjs SITE_DIR [PAGE ...] (no index.html in ${site})`);
  process.exit(2);
}
const DEFAULT_PAGES = [
  "index.html", "vendors/index.html", "findings/index.html", "calendar/index.html",
  "changes/index.html", "questionnaire/index.html", "evidence/index.html",
  "subprocessors/index.html", "products/index.html",
];
let pages = process.argv.slice(3);
if (pages.length === 0) {
  pages = DEFAULT_PAGES.filter((p) => existsSync(join(site, p)));
  // The first vendor page, by name, as the vendors list links them.
  const list = readFileSync(join(site, "vendors/index.html"), "utf8");
  const m = list.match(/href="\.\.\/(vendors\/[^"/]+\/index\.html)"/) || list.match(/href="(?:\.\/)?([^"/]+\/index\.html)"/);
  if (m) pages.push(m[1].startsWith("vendors/") ? m[1] : `vendors/${m[1]}`);
}

const types = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript", ".svg": "image/svg+xml", ".xml": "application/xml", ".atom": "application/atom+xml", ".ics": "text/calendar" };
const server = createServer((req, res) => {
  const url = decodeURIComponent(req.url.split("?")[0].split("#")[0]);
  const path = normalize(join(site, url));
  if (!path.startsWith(site)) { res.writeHead(403); res.end(); return; }
  let file = path;
  if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
  if (!existsSync(file)) { res.writeHead(404); res.end(); return; }
  res.writeHead(200, { "content-type": types[extname(file)] || "application/octet-stream" });
  res.end(readFileSync(file));
});
await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
const base = `http://127.0.0.1:${server.address().port}/`;

const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROMIUM || "/usr/bin/chromium",
  chromeFlags: ["--headless", "--no-sandbox", "--disable-gpu"],
});
const CATS = ["performance", "accessibility", "best-practices"];
console.log("| page | preset | performance | accessibility | best practices |");
console.log("|---|---|---|---|---|");
let worst = 100;
for (const page of pages) {
  for (const preset of ["desktop", "mobile"]) {
    const flags = { port: chrome.port, output: "json", logLevel: "error", onlyCategories: CATS };
    const result = await lighthouse(base + page, flags, preset === "desktop" ? desktopConfig : undefined);
    const lhr = result.lhr;
    const scores = CATS.map((c) => Math.round((lhr.categories[c].score ?? 0) * 100));
    console.log(`| ${page} | ${preset} | ${scores.join(" | ")} |`);
    // Performance depends on the machine's load; accessibility and best
    // practices do not, so only they count towards the exit status.
    worst = Math.min(worst, scores[1], scores[2]);
    // The layout shift and what moved (vetted.js must move nothing, #15).
    const cls = lhr.audits["cumulative-layout-shift"];
    if (cls && cls.numericValue > 0) {
      const moved = ((lhr.audits["layout-shifts"] || {}).details || {}).items || [];
      console.log(`|   | ${preset} CLS ${cls.displayValue}: ${moved.map((m) => `${(m.node && m.node.selector) || "?"} (${m.score.toFixed(3)})`).join(", ")} | | | |`);
    }
    for (const c of CATS) {
      if (lhr.categories[c].score === 1) continue;
      for (const ref of lhr.categories[c].auditRefs) {
        const a = lhr.audits[ref.id];
        if (ref.weight > 0 && a.score !== null && a.score < 1) {
          console.log(`|   | ${preset} ${c}: ${a.id} (${a.displayValue || a.score}) | | | |`);
        }
      }
    }
  }
}
await chrome.kill();
server.close();
process.exit(worst === 100 ? 0 : 1);
