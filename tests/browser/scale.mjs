// The site at scale in a browser: a generated registry of a few thousand
// vendors, built, then opened in Debian's headless Chromium from file://.
// Lists are filtered (URL-hash state and typing), sorted, paged and searched;
// every RESULT is compared with `vetted export --format json` of the same
// registry (row counts, which rows, their order), never a timing.
// Run by tests/site_scale.rs, which generates, builds and exports.
//
//   node scale.mjs SITE_DIR EXPORT_DIR   (EXPORT_DIR: vendors.json, findings.json, products.json)
//
// The DOM contract of the paginated tables (src/render/table.rs): the table
// has data-table="NAME" (and data-page-size), each row data-key (vendor slug,
// `slug/finding-id`), the count element [data-count] data-shown/data-total,
// the filter controls data-filter="q|tier|status|decision|…" in
// form.filters, sortable headings th[data-sort-key]; the hash keys q, tier,
// status, decision, kind, sort, dir, page.
import { chromium } from "playwright-core";
import { readFileSync, existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const site = resolve(process.argv[2] || "");
const exported = resolve(process.argv[3] || "");
if (!existsSync(join(site, "index.html")) || !existsSync(join(exported, "vendors.json"))) {
  console.error("usage: node scale.mjs SITE_DIR EXPORT_DIR");
  process.exit(2);
}
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
if (!existsSync(executablePath)) {
  console.error(`Chromium not found at ${executablePath}: run scripts/install-browser-deps`);
  process.exit(2);
}
const load = (name) => JSON.parse(readFileSync(join(exported, name), "utf8")).rows;
const vendors = load("vendors.json");
const findings = load("findings.json");
const products = load("products.json");
const tierOf = new Map(vendors.map((v) => [v.slug, v.tier]));

let failures = 0;
let checks = 0;
function check(ok, what) {
  checks++;
  if (!ok) { failures++; console.error(`FAIL ${what}`); }
  return ok;
}
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
const short = (xs) => JSON.stringify(xs.slice(0, 5)) + (xs.length > 5 ? ` … (${xs.length})` : "");

// Names sort either plainly or numerically ("X 9" before "X 10"): both are
// correct; the order shown must be one of them.
const plain = (a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0);
const collator = new Intl.Collator("en", { numeric: true, sensitivity: "base" });
const orders = (rows, dir) => [plain, collator.compare].map((cmp) => {
  const s = [...rows].sort((a, b) => cmp(a.name, b.name) || plain(a.slug, b.slug)).map((r) => r.slug);
  return dir === "desc" ? s.reverse() : s;
});

const browser = await chromium.launch({
  executablePath,
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
context.setDefaultTimeout(10000);
// A step that throws (an element of the contract missing) is one failure;
// the other steps still run.
async function section(fn) {
  try {
    await fn();
  } catch (e) {
    check(false, `${String(e.message || e).split("\n")[0]}`);
    for (const p of context.pages()) await p.close().catch(() => {});
  }
}
const url = (p, hash = "") => pathToFileURL(join(site, p)).href + hash;

async function open(p, hash = "", ctx = context) {
  const page = await ctx.newPage();
  const errors = [];
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("dialog", (d) => { errors.push(`dialog: ${d.message()}`); d.dismiss().catch(() => {}); });
  page.__errors = errors;
  await page.goto(url(p, hash), { waitUntil: "load" });
  return page;
}
async function close(page, what) {
  check(page.__errors.length === 0, `${what}: console errors ${JSON.stringify(page.__errors)}`);
  await page.close();
}

// The count element once it says `shown` (vetted.js may load its rows lazily).
async function counted(page, shown, what) {
  try {
    await page.waitForFunction((n) => {
      const c = document.querySelector("[data-count]");
      return c && c.getAttribute("data-shown") === String(n);
    }, shown, { timeout: 10000 });
  } catch { /* reported below */ }
  const c = await page.$eval("[data-count]", (e) => ({ shown: e.getAttribute("data-shown"), total: e.getAttribute("data-total") })).catch(() => null);
  check(c && c.shown === String(shown), `${what}: data-shown ${c && c.shown}, expected ${shown}`);
  return c;
}
const visibleKeys = (page) => page.$$eval("[data-table] tbody tr[data-key]", (rows) =>
  rows.filter((r) => !r.hidden && r.getClientRects().length > 0).map((r) => r.getAttribute("data-key")));
const pageSizeOf = (page) => page.$eval("[data-table]", (t) => Number(t.getAttribute("data-page-size")) || 0).catch(() => 0);

// ---------------------------------------------------------- vendors, no JS
// The static pages hold every vendor exactly once, page by page.
let pageSize = 0;
await section(async () => {
  const noJs = await browser.newContext({ javaScriptEnabled: false });
  const page = await noJs.newPage();
  let at = url("vendors/index.html");
  const seen = [];
  let pages = 0;
  while (at && pages < 1000) {
    await page.goto(at);
    const keys = await page.$$eval("[data-table] tbody tr[data-key]", (rows) => rows.map((r) => r.getAttribute("data-key")));
    if (pages === 0) pageSize = keys.length;
    check(keys.length > 0 && keys.length <= pageSize, `no-js ${at}: ${keys.length} rows (page size ${pageSize})`);
    seen.push(...keys);
    pages++;
    at = await page.$eval('a[rel="next"]', (a) => a.href).catch(() => null);
  }
  check(pageSize > 0 && pageSize < vendors.length, `no-js: the vendor list is paginated (${pageSize} rows on page 1 of ${vendors.length})`);
  check(pages === Math.ceil(vendors.length / pageSize), `no-js: ${pages} pages for ${vendors.length} vendors at ${pageSize} a page`);
  check(same([...seen].sort(), vendors.map((v) => v.slug).sort()), `no-js: the pages hold every vendor once (${seen.length} rows for ${vendors.length} vendors)`);
  await noJs.close();
});

// ------------------------------------------------------------ vendors, JS
await section(async () => {
  const page = await open("vendors/index.html");
  const c = await counted(page, vendors.length, "vendors");
  check(c && c.total === String(vendors.length), `vendors: data-total ${c && c.total}, expected ${vendors.length}`);
  const size = (await pageSizeOf(page)) || pageSize;
  check(size === pageSize, `vendors: data-page-size ${size} equals the static page's ${pageSize} rows`);
  const keys = await visibleKeys(page);
  check(keys.length === Math.min(pageSize, vendors.length), `vendors: ${keys.length} rows shown, a page is ${pageSize}`);
  await close(page, "vendors");
});

// The shared link of the issue: tier 1, not approved.
await section(async () => {
  const want = vendors.filter((v) => v.tier === 1 && v.decision === "not-approved").map((v) => v.slug);
  check(want.length > 0, "the generated registry has tier-1 vendors not approved");
  const page = await open("vendors/index.html", "#tier=1&decision=not-approved");
  await counted(page, want.length, "vendors#tier=1&decision=not-approved");
  const keys = await visibleKeys(page);
  check(keys.length === Math.min(pageSize, want.length) && keys.every((k) => want.includes(k)),
    `vendors#tier=1&decision=not-approved: rows ${short(keys)}, expected ${want.length} of ${short(want)}`);
  // hashchange: another filter without reloading.
  await page.evaluate(() => { location.hash = "#tier=2"; });
  const tier2 = vendors.filter((v) => v.tier === 2).map((v) => v.slug);
  await counted(page, tier2.length, "vendors, hash changed to #tier=2");
  const keys2 = await visibleKeys(page);
  check(keys2.length === Math.min(pageSize, tier2.length) && keys2.every((k) => tier2.includes(k)), `vendors#tier=2: rows ${short(keys2)}`);
  await close(page, "vendors#tier=1&decision=not-approved");
});

// Typing in the filter: one vendor by its full name, then a name shared by many.
const middle = vendors[Math.floor(vendors.length * 0.62)];
await section(async () => {
  const page = await open("vendors/index.html");
  const input = page.locator('form.filters [data-filter="q"]').first();
  await input.pressSequentially(middle.name, { delay: 5 });
  const one = vendors.filter((v) => v.name.toLowerCase().includes(middle.name.toLowerCase())).map((v) => v.slug);
  await counted(page, one.length, `vendors, typed "${middle.name}"`);
  check(same(await visibleKeys(page), one), `vendors, typed "${middle.name}": rows ${short(await visibleKeys(page))}, expected ${short(one)}`);
  // The hash follows after the frame is painted (vetted.js afterPaint).
  await page.waitForFunction((n) => decodeURIComponent(location.hash.replace(/\+/g, " ")).includes(`q=${n}`), middle.name, { timeout: 5000 }).catch(() => {});
  const hash = decodeURIComponent((await page.evaluate(() => location.hash)).replace(/\+/g, " "));
  check(hash.includes(`q=${middle.name}`), `vendors: typing writes q= into the hash (${hash})`);
  const family = middle.name.replace(/ \d+$/, "");
  await input.fill("");
  await input.pressSequentially(family, { delay: 5 });
  const many = vendors.filter((v) => v.name.toLowerCase().includes(family.toLowerCase())).map((v) => v.slug);
  await counted(page, many.length, `vendors, typed "${family}"`);
  const keys = await visibleKeys(page);
  check(keys.length === Math.min(pageSize, many.length) && keys.every((k) => many.includes(k)), `vendors, typed "${family}": rows ${short(keys)}`);
  await close(page, "vendors, typing");
});

// Sorting by name (hash, then a click on the heading) and paging.
await section(async () => {
  for (const dir of ["asc", "desc"]) {
    const page = await open("vendors/index.html", `#sort=vendor&dir=${dir}`);
    await counted(page, vendors.length, `vendors#sort=vendor&dir=${dir}`);
    const keys = await visibleKeys(page);
    const ok = orders(vendors, dir).some((o) => same(keys, o.slice(0, pageSize)));
    check(ok, `vendors#sort=vendor&dir=${dir}: rows ${short(keys)}, expected ${short(orders(vendors, dir)[0])}`);
    await close(page, `vendors#sort=vendor&dir=${dir}`);
  }
  const page = await open("vendors/index.html", "#sort=vendor&dir=asc&page=2");
  await counted(page, vendors.length, "vendors#sort=vendor&dir=asc&page=2");
  const keys = await visibleKeys(page);
  check(orders(vendors, "asc").some((o) => same(keys, o.slice(pageSize, 2 * pageSize))),
    `vendors#…&page=2: rows ${short(keys)}, expected ${short(orders(vendors, "asc")[0].slice(pageSize))}`);
  await close(page, "vendors#page=2");

  const clicked = await open("vendors/index.html");
  await counted(clicked, vendors.length, "vendors before sorting");
  const th = clicked.locator('[data-table] thead th[data-sort-key="vendor"]');
  check(await th.count() === 1, "vendors: the Name heading is sortable (th[data-sort-key=vendor])");
  if (await th.count() === 1) {
    for (let i = 0; i < 2; i++) {
      await th.locator("button").click();
      const sort = await th.getAttribute("aria-sort");
      const dir = sort === "descending" ? "desc" : "asc";
      check(sort === "ascending" || sort === "descending", `vendors: aria-sort after a click (${sort})`);
      await clicked.waitForFunction((d) => location.hash.includes(`dir=${d}`), dir, { timeout: 5000 }).catch(() => {});
      const got = await visibleKeys(clicked);
      check(orders(vendors, dir).some((o) => same(got, o.slice(0, pageSize))), `vendors: click sorts by name ${dir}: ${short(got)}`);
      check((await clicked.evaluate(() => location.hash)).includes("sort=vendor"), "vendors: the sort is in the hash");
    }
  }
  await close(clicked, "vendors, sorting by click");
});

// Search from the header: a vendor, a product, a finding.
await section(async () => {
  const page = await open("index.html");
  const search = async (q) => {
    await page.fill("#search-input", "");
    await page.fill("#search-input", q);
    await page.waitForSelector("#search-results a", { timeout: 10000 }).catch(() => {});
    return page.$$eval("#search-results a", (as) => as.map((a) => ({ text: a.textContent, href: a.href })));
  };
  const hits = await search(middle.name);
  const hit = hits.find((h) => h.href.includes(`/vendors/${middle.slug}/`));
  check(hit, `search "${middle.name}" finds its vendor page: ${JSON.stringify(hits.slice(0, 3))}`);
  if (hit) {
    await Promise.all([page.waitForNavigation(), page.click(`#search-results a[href*="/vendors/${middle.slug}/"]`)]);
    check((await page.textContent("h1")).includes(middle.name), `search result opens ${middle.name}'s page`);
    await page.goto(url("index.html"));
  }
  const product = products.find((p) => p.vendor === middle.slug) || products[0];
  const ph = await search(product.product);
  check(ph.some((h) => h.text.includes(product.product)), `search "${product.product}" finds the product: ${JSON.stringify(ph.slice(0, 3))}`);
  const finding = findings.find((f) => f.vendor === middle.slug) || findings[0];
  const fh = await search(finding.title);
  check(fh.some((h) => h.text.includes(finding.title)), `search "${finding.title}" finds the finding: ${JSON.stringify(fh.slice(0, 3))}`);
  await close(page, "search");
});

// ---------------------------------------------------------------- findings
await section(async () => {
  const page = await open("findings/index.html");
  const c = await counted(page, findings.length, "findings");
  check(c && c.total === String(findings.length), `findings: data-total ${c && c.total}, expected ${findings.length}`);
  const keys = await visibleKeys(page);
  const all = findings.map((f) => `${f.vendor}/${f.id}`);
  check(keys.length === Math.min(pageSize, findings.length) && keys.every((k) => all.includes(k)), `findings: rows ${short(keys)}`);
  await close(page, "findings");
  for (const [hash, want] of [
    ["#tier=1", findings.filter((f) => tierOf.get(f.vendor) === 1)],
    ["#status=closed", findings.filter((f) => f.state === "closed")],
  ]) {
    const p = await open("findings/index.html", hash);
    await counted(p, want.length, `findings${hash}`);
    const keys = await visibleKeys(p);
    const ids = want.map((f) => `${f.vendor}/${f.id}`);
    check(keys.length === Math.min(pageSize, want.length) && keys.every((k) => ids.includes(k)), `findings${hash}: rows ${short(keys)}, expected ${short(ids)}`);
    await close(p, `findings${hash}`);
  }
});

// ---------------------------------------------------- the cross-vendor pages
await section(async () => {
  const page = await open("products/index.html");
  const c = await counted(page, products.length, "products");
  check(c && c.total === String(products.length), `products: data-total ${c && c.total}, expected ${products.length}`);
  await close(page, "products");
  const tier1 = products.filter((p) => tierOf.get(p.vendor) === 1);
  const p = await open("products/index.html", "#tier=1");
  await counted(p, tier1.length, "products#tier=1");
  await close(p, "products#tier=1");
});
await section(async () => {
  for (const p of ["evidence/index.html", "subprocessors/index.html"]) {
    check(existsSync(join(site, p)), `${p} exists`);
    if (!existsSync(join(site, p))) continue;
    const page = await open(p);
    const c = await page.$eval("[data-count]", (e) => ({ shown: Number(e.getAttribute("data-shown")), total: Number(e.getAttribute("data-total")) })).catch(() => null);
    check(c && c.total > 0 && c.shown === c.total, `${p}: count ${JSON.stringify(c)}`);
    const keys = await visibleKeys(page);
    check(keys.length > 0 && c && keys.length <= c.total && new Set(keys).size === keys.length, `${p}: ${keys.length} distinct rows on the first page`);
    await close(page, p);
    const filtered = await open(p, "#tier=1");
    const f = await filtered.$eval("[data-count]", (e) => Number(e.getAttribute("data-shown"))).catch(() => null);
    check(f !== null && f > 0 && c && f < c.total, `${p}#tier=1: ${f} of ${c && c.total} shown`);
    await close(filtered, `${p}#tier=1`);
  }
});
await section(async () => {
  // A subprocessor's own page opens from the list.
  const page = await open("subprocessors/index.html");
  const href = await page.$eval("[data-table] tbody tr a[href]", (a) => a.href).catch(() => null);
  check(href && existsSync(decodeURIComponent(new URL(href).pathname)), `subprocessors: the first row links to its page (${href})`);
  await close(page, "subprocessors");
});

// ------------------------------------ the other pages, and a sample of vendors
await section(async () => {
  for (const p of ["index.html", "calendar/index.html", "changes/index.html", "questionnaire/index.html"]) {
    const page = await open(p);
    check(await page.$("main") !== null, `${p}: has a main region`);
    await close(page, p);
  }
});
await section(async () => {
  const page = await open("index.html");
  const toList = await page.$$eval("main a[href]", (as) => as.map((a) => a.getAttribute("href")).filter((h) => /vendors\/((index\.html)?#|(tier|decision|status)\/)/.test(h)));
  check(toList.length > 0, "dashboard: links to a pre-filtered vendor list");
  await close(page, "dashboard");
});
await section(async () => {
  for (let i = 0; i < 6; i++) {
    const v = vendors[Math.floor((i * vendors.length) / 6)];
    const page = await open(`vendors/${v.slug}/index.html`);
    check((await page.textContent("h1")).includes(v.name), `vendors/${v.slug}: h1 names ${v.name}`);
    await close(page, `vendors/${v.slug}`);
  }
});

await browser.close();
console.log(`${checks} browser checks at ${vendors.length} vendors, ${failures} failed`);
process.exit(failures ? 1 : 0);
