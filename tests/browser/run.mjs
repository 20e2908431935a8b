// Browser tests: drive Debian's headless Chromium (through playwright-core)
// against a site built by vetted, from file:// and from a local server under
// a sub-path. Every page must load with no console error and no request that
// leaves the site; sorting, filtering and search must work; the table must be
// complete with JavaScript off; axe-core must find no serious or critical
// WCAG 2.1 A/AA violation.
//
//   node run.mjs SITE_DIR
import { chromium } from "playwright-core";
import { createServer } from "node:http";
import { readFileSync, readdirSync, statSync, existsSync } from "node:fs";
import { join, relative, extname, resolve } from "node:path";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

const site = resolve(process.argv[2] || "");
// --paged: the site was built with a small `[site] rows_per_page`, so the
// lists have several pages and the paging checks must run.
const paged = process.argv.includes("--paged");
if (!existsSync(join(site, "index.html"))) {
  console.error(`usage: node run.mjs SITE_DIR (no index.html in ${site})`);
  process.exit(2);
}
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
if (!existsSync(executablePath)) {
  console.error(`Chromium not found at ${executablePath}: run scripts/test, which installs it`);
  process.exit(2);
}
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

const pages = [];
(function walk(dir) {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (name.endsWith(".html")) pages.push(relative(site, p));
  }
})(site);

// Cross-vendor pages of #15 the dashboard links to by their contract paths,
// built on other branches: a link to one may dangle only until they are
// merged. Remove this list at the merge.
const PAGES_OF_OTHER_BRANCHES = ["evidence/index.html", "subprocessors/index.html", "products/index.html"];
const laterPage = (target) => PAGES_OF_OTHER_BRANCHES.some((p) => target === join(site, p));

const types = { ".html": "text/html", ".css": "text/css", ".js": "text/javascript", ".svg": "image/svg+xml", ".xml": "application/atom+xml" };
const SUB = "/intranet/compliance/vendors-site/";
const server = createServer((req, res) => {
  const url = decodeURIComponent(req.url.split("?")[0]);
  if (!url.startsWith(SUB)) { res.writeHead(404); return res.end(); }
  let file = join(site, url.slice(SUB.length));
  if (!file.startsWith(site)) { res.writeHead(403); return res.end(); }
  if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
  if (!existsSync(file)) { res.writeHead(404); return res.end(); }
  res.writeHead(200, { "content-type": types[extname(file)] || "application/octet-stream" });
  res.end(readFileSync(file));
});
await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
const base = `http://127.0.0.1:${server.address().port}${SUB}`;

const browser = await chromium.launch({
  executablePath,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
let failures = 0;
let checks = 0;
function check(ok, what) {
  checks++;
  if (!ok) { failures++; console.error(`FAIL ${what}`); }
}

// The URL hash follows a filter or sort after the frame is painted
// (vetted.js, afterPaint): wait for it (at most 2 s), then the URL.
async function hashAfter(page, pred, arg) {
  await page.waitForFunction(pred, arg, { timeout: 2000 }).catch(() => {});
  return new URL(page.url()).hash;
}

async function visit(context, url, inside) {
  const page = await context.newPage();
  const errors = [];
  const outside = [];
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  page.on("pageerror", (e) => errors.push(String(e)));
  // Registry content is untrusted: any dialog means injected script ran.
  page.on("dialog", (d) => { errors.push(`script ran: dialog "${d.message()}"`); d.dismiss().catch(() => {}); });
  page.on("requestfailed", (r) => { if (inside(r.url())) errors.push(`failed: ${r.url()}`); });
  await page.route("**/*", (route) => {
    const u = route.request().url();
    if (inside(u)) return route.continue();
    outside.push(u);
    return route.abort();
  });
  const resp = await page.goto(url, { waitUntil: "load" });
  check(!resp || resp.ok(), `${url}: HTTP ${resp && resp.status()}`);
  return { page, errors, outside };
}

const modes = [
  { name: "file", url: (p) => pathToFileURL(join(site, p)).href, inside: (u) => u.startsWith(pathToFileURL(site).href) || u.startsWith("data:") },
  { name: "http", url: (p) => base + p, inside: (u) => u.startsWith(base) || u.startsWith("data:") },
];

for (const mode of modes) {
  const context = await browser.newContext();
  for (const p of pages) {
    const { page, errors, outside } = await visit(context, mode.url(p), mode.inside);
    check(errors.length === 0, `${mode.name} ${p}: console errors ${JSON.stringify(errors)}`);
    check(outside.length === 0, `${mode.name} ${p}: requests outside the site ${JSON.stringify(outside)}`);
    // Every internal link resolves to a page of the site.
    const hrefs = await page.$$eval("a[href]", (as) => as.map((a) => a.href));
    for (const h of hrefs) {
      if (!mode.inside(h)) continue;
      const target = mode.name === "file" ? decodeURIComponent(new URL(h).pathname) : join(site, decodeURIComponent(new URL(h).pathname).slice(SUB.length));
      check(existsSync(target) || laterPage(target), `${mode.name} ${p}: broken link ${h}`);
    }
    if (mode.name === "http") {
      await page.addScriptTag({ content: axeSource });
      const result = await page.evaluate(async () =>
        await window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }));
      const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
      check(bad.length === 0, `axe ${p}: ${bad.map((v) => `${v.id} (${v.impact}): ${v.nodes.length} nodes`).join("; ")}`);
    }
    await page.close();
  }

  // Dashboard, action first: the ranked list leads to vendor pages; each
  // number opens its list page with the filter in the hash.
  {
    const { page } = await visit(context, mode.url("index.html"), mode.inside);
    const tiers = await page.$$eval("#action tbody tr", (rows) => rows.map((r) => Number(r.querySelector(".tier").className.match(/tier-(\d+)/)[1])));
    const hasTable = (await page.$("#action table")) !== null;
    check(hasTable === tiers.length > 0 && tiers.every((t, i) => i === 0 || tiers[i - 1] <= t), `${mode.name}: action list tier 1 first ${tiers}`);
    // A tier, a decision number, a findings number, the action list's full
    // list and its first vendor (when the registry has one needing action).
    const links = [];
    for (const sel of ["#tiers-h ~ .legend a[href*='#tier=']", ".stat a[href*='#decision=']", ".stat a[href*='findings/index.html#status=']", "#action .more a", "#action tbody th a"]) {
      const href = await page.$eval(sel, (a) => a.href).catch(() => null);
      check(href !== null || (sel.startsWith("#action") && !hasTable), `${mode.name}: dashboard has ${sel}`);
      if (href) links.push([sel, href]);
    }
    check(links.some(([, h]) => /#tier=\d/.test(h)) && links.some(([, h]) => h.includes("#decision=")), `${mode.name}: dashboard filter links ${links.map(([, h]) => h)}`);
    for (const [sel, href] of links) {
      await Promise.all([page.waitForNavigation(), page.click(sel)]);
      check(page.url() === href, `${mode.name}: dashboard ${sel} lands on ${href} (${page.url()})`);
      check(await page.$("main h1") !== null, `${mode.name}: ${href} shows its page`);
      await page.goBack();
    }
    await page.close();
  }

  // Vendors table: sort, filter.
  const { page } = await visit(context, mode.url("vendors/index.html"), mode.inside);
  const names = () => page.$$eval("#vendor-table tbody tr:not([hidden])", (rows) => rows.map((r) => r.querySelector("th").textContent.trim()));
  const all = await names();
  check(all.length > 1, `${mode.name}: vendors table has rows`);
  await page.click("#vendor-table thead th:nth-child(1) button");
  const asc = await names();
  check(JSON.stringify(asc) === JSON.stringify([...all].sort((a, b) => a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0)), `${mode.name}: sort by name ascending ${asc}`);
  await page.click("#vendor-table thead th:nth-child(1) button");
  const desc = await names();
  check(paged || JSON.stringify(desc) === JSON.stringify([...asc].reverse()), `${mode.name}: sort by name descending`);
  check(await page.getAttribute("#vendor-table thead th:nth-child(1)", "aria-sort") === "descending", `${mode.name}: aria-sort set`);
  const first = all[0];
  await page.fill("#vendor-filter", first.slice(0, 6));
  const filtered = await names();
  check(filtered.length >= 1 && filtered.length < all.length && filtered.every((n) => n.toLowerCase().includes(first.slice(0, 6).toLowerCase())), `${mode.name}: text filter ${filtered}`);
  await page.fill("#vendor-filter", "");
  await page.selectOption("#tier-filter", "1");
  const tier1 = await page.$$eval("#vendor-table tbody tr:not([hidden])", (rows) => rows.map((r) => r.getAttribute("data-tier")));
  check(tier1.length > 0 && tier1.every((t) => t === "1") && (paged || tier1.length < all.length), `${mode.name}: tier filter ${tier1}`);


  // Paginated tables (render::table): URL-hash state, decision filter, sort, paging.
  {
    const count = async (pg) => pg.$eval("[data-count]", (c) => [Number(c.getAttribute("data-shown")), Number(c.getAttribute("data-total"))]);
    const keys = async (pg) => pg.$$eval('table[data-table="vendors"] tbody tr', (rows) => rows.map((r) => [r.getAttribute("data-key"), r.getAttribute("data-tier"), r.getAttribute("data-decision")]));
    const script = readFileSync(join(site, "vendors/rows.js"), "utf8");
    const all = JSON.parse(script.slice(script.indexOf("] = ") + 4).replace(/;\s*$/, "").replace(/<\\\//g, "</"));
    const size = Number(await (await visit(context, mode.url("vendors/index.html"), mode.inside)).page.getAttribute("table[data-table]", "data-page-size"));
    const want = (f) => all.rows.filter(f).map((r) => r[0]);
    const { page: hp } = await visit(context, mode.url("vendors/index.html") + "#tier=1&decision=not-approved", mode.inside);
    await hp.waitForFunction(() => document.querySelector("[data-count]").textContent.includes(" of "));
    const expect = want((r) => r[2][0] === "1" && r[2][2] === "not-approved");
    const got = await keys(hp);
    check(JSON.stringify(got.map((k) => k[0])) === JSON.stringify(expect.slice(0, size)), `${mode.name}: #tier=1&decision=not-approved shows ${got.map((k) => k[0])}, want ${expect}`);
    check((await count(hp))[0] === expect.length && (await count(hp))[1] === all.rows.length, `${mode.name}: count ${await count(hp)} for ${expect.length} of ${all.rows.length}`);
    check(await hp.inputValue("#decision-filter") === "not-approved" && await hp.inputValue("#tier-filter") === "1", `${mode.name}: hash state sets the filters`);
    // The table's rows start loading when its filter gets the focus.
    {
      const { page: fp } = await visit(context, mode.url("vendors/index.html"), mode.inside);
      await fp.focus("#vendor-filter");
      const loaded = await fp.waitForFunction(() => window.VETTED_ROWS && window.VETTED_ROWS.vendors, null, { timeout: 5000 }).then(() => true).catch(() => false);
      check(loaded, `${mode.name}: vendors/rows.js loads when the filter gets the focus`);
      await fp.close();
    }
    // The decision filter alone, written back to the hash.
    await hp.selectOption("#tier-filter", "");
    await hp.selectOption("#decision-filter", "approved");
    const approved = want((r) => r[2][2] === "approved");
    check((await count(hp))[0] === approved.length && (await keys(hp)).every((k) => k[2] === "approved"), `${mode.name}: decision filter`);
    check(await hashAfter(hp, () => location.hash === "#decision=approved") === "#decision=approved", `${mode.name}: hash written ${hp.url()}`);
    // Sort by tier, descending on the second click; ties keep name order.
    await hp.selectOption("#decision-filter", "");
    await hp.click('th[data-sort-key="tier"] button');
    await hp.click('th[data-sort-key="tier"] button');
    const byTier = all.rows.map((r, i) => [r, i]).sort((a, b) => b[0][1][1] - a[0][1][1] || a[1] - b[1]).map((x) => x[0][0]);
    check(JSON.stringify((await keys(hp)).map((k) => k[0])) === JSON.stringify(byTier.slice(0, size)), `${mode.name}: sort by tier descending`);
    check(await hashAfter(hp, () => location.hash === "#sort=tier&dir=desc") === "#sort=tier&dir=desc", `${mode.name}: sort in the hash ${hp.url()}`);
    // A filter over the sorted rows keeps their order (vetted.js keeps each
    // sort order); rows drawn by vetted.js carry their mobile labels.
    await hp.selectOption("#decision-filter", "approved");
    const sortedApproved = byTier.filter((k) => approved.includes(k));
    check(JSON.stringify((await keys(hp)).map((k) => k[0])) === JSON.stringify(sortedApproved.slice(0, size)), `${mode.name}: decision filter over the tier sort`);
    const unlabelled = await hp.$$eval('table[data-table="vendors"] tbody td', (tds) => tds.filter((td) => !td.getAttribute("data-label")).length);
    check(unlabelled === 0, `${mode.name}: ${unlabelled} cells drawn by vetted.js without a data-label`);
    await hp.selectOption("#decision-filter", "");
    check(JSON.stringify((await keys(hp)).map((k) => k[0])) === JSON.stringify(byTier.slice(0, size)), `${mode.name}: clearing the filter shows the sorted rows again`);
    check(await hp.getAttribute('th[data-sort-key="tier"]', "aria-sort") === "descending", `${mode.name}: aria-sort on the sorted column`);
    if (paged) {
      check(all.rows.length > size, `${mode.name}: the paged site has more vendors (${all.rows.length}) than a page (${size})`);
      await hp.click('nav[data-pager-for="vendors"] a[rel="next"]');
      await hp.waitForFunction(() => location.hash.includes("page=2"));
      check(JSON.stringify((await keys(hp)).map((k) => k[0])) === JSON.stringify(byTier.slice(size, 2 * size)), `${mode.name}: page 2 of the sorted rows`);
      const { page: p2 } = await visit(context, mode.url("vendors/page/2/index.html"), mode.inside);
      check(JSON.stringify((await keys(p2)).map((k) => k[0])) === JSON.stringify(all.rows.slice(size, 2 * size).map((r) => r[0])), `${mode.name}: static page 2 rows`);
      await p2.close();
    }
    await hp.close();
  }

  // Search from the header: type, see a result, follow it.
  await page.fill("#search-input", first.split(" ")[0]);
  await page.waitForSelector("#search-results a", { timeout: 5000 }).catch(() => {});
  const hits = await page.$$eval("#search-results a", (as) => as.map((a) => a.textContent));
  check(hits.some((h) => h.includes(first.split(" ")[0])), `${mode.name}: search finds ${first} in ${hits}`);
  if (hits.length) {
    await Promise.all([page.waitForNavigation(), page.click("#search-results a")]);
    check(/vendors\/[a-z0-9-]+\/index\.html(#[\w-]+)?$/.test(page.url()), `${mode.name}: search result opens a vendor page (${page.url()})`);
  }
  await page.close();
  await crossVendor(context, mode);
  await context.close();
}

// The cross-vendor pages: hash filters (built from the site's own rows, so
// the same checks run on every registry), the kind and status filters read
// together, end of support before a year, a subprocessor's vendors, and a
// search hit of every kind the index holds.
async function crossVendor(context, mode) {
  const visible = (page, table, attr) => page.$$eval(`#${table} tbody tr:not([hidden])`, (rows, a) => rows.map((r) => r.getAttribute(a)), attr);
  const rowsOf = (page, table, attr) => page.$$eval(`#${table} tbody tr[data-key]`, (rows, a) => rows.map((r) => r.getAttribute(a)), attr);
  {
    const url = mode.url("evidence/index.html");
    let { page } = await visit(context, url, mode.inside);
    const cells = (await rowsOf(page, "evidence-table", "data-cells")).map((c, i) => [i, c.split(" ").filter(Boolean)]);
    const tiers = await rowsOf(page, "evidence-table", "data-tier");
    const pick = cells.find(([, t]) => t.some((x) => x.endsWith(":unmet"))) || cells.find(([, t]) => t.length);
    if (!pick) {
      check(await page.$("#evidence-table td.empty") || cells.length > 0, `${mode.name}: evidence page shows its empty state`);
    } else {
      const token = pick[1].find((x) => x.endsWith(":unmet")) || pick[1][0];
      const [kind, status] = [token.slice(0, token.lastIndexOf(":")), token.slice(token.lastIndexOf(":") + 1)];
      const tier = tiers[pick[0]];
      await page.close();
      ({ page } = await visit(context, `${url}#tier=${tier}&kind=${kind}&status=${status}`, mode.inside));
      const shownTiers = await visible(page, "evidence-table", "data-tier");
      const shownCells = await visible(page, "evidence-table", "data-cells");
      check(shownTiers.length > 0 && shownTiers.every((t) => t === tier), `${mode.name}: evidence hash filter tier=${tier} (${shownTiers})`);
      check(shownCells.every((c) => c.split(" ").includes(token)), `${mode.name}: evidence kind+status filter ${token}: ${shownCells}`);
      check(await page.inputValue("#evidence-kind") === kind, `${mode.name}: evidence kind select follows the hash`);
      const other = await page.$$eval("#evidence-status option", (os) => os.map((o) => o.value).filter(Boolean));
      const next = other.find((v) => v !== status) || status;
      await page.selectOption("#evidence-status", next);
      check((await hashAfter(page, (n) => location.hash.includes(`status=${n}`), next)).includes(`status=${next}`), `${mode.name}: evidence filter written to the hash (${page.url()})`);
      const again = await visible(page, "evidence-table", "data-cells");
      check(again.every((c) => c.split(" ").includes(`${kind}:${next}`)), `${mode.name}: evidence status ${next} in the ${kind} cell: ${again}`);
    }
    await page.close();
  }
  {
    const url = mode.url("products/index.html");
    let { page } = await visit(context, url, mode.inside);
    // data-eos: the end-of-support group and year ("past 2025"); the eos hash
    // key takes a group or a year (before 1 January of it), over all rows.
    const yearOf = (e) => Number((e || "").split(" ").find((t) => /^[0-9]+$/.test(t)) || NaN);
    const years = (await rowsOf(page, "product-table", "data-eos")).map(yearOf).filter((y) => !Number.isNaN(y));
    if (years.length) {
      const before = Math.min(...years) + 1;
      await page.close();
      ({ page } = await visit(context, `${url}#eos=${before}`, mode.inside));
      await page.waitForFunction(() => window.VETTED_ROWS && window.VETTED_ROWS.products).catch(() => {});
      const shown = await visible(page, "product-table", "data-eos");
      check(shown.length > 0 && shown.every((e) => yearOf(e) < before), `${mode.name}: products before ${before}: ${shown}`);
      check(await page.inputValue("#product-eos") === String(before), `${mode.name}: products eos select follows the hash`);
      const tier = (await visible(page, "product-table", "data-tier"))[0];
      await page.selectOption("#product-tier", tier);
      const both = await page.$$eval("#product-table tbody tr", (rows) => rows.map((r) => [r.getAttribute("data-tier"), r.getAttribute("data-eos")]));
      check(both.length > 0 && both.every(([t, e]) => t === tier && yearOf(e) < before), `${mode.name}: tier and eos filters combine: ${JSON.stringify(both)}`);
      check((await hashAfter(page, (t) => location.hash.includes(`tier=${t}`), tier)).includes(`tier=${tier}`), `${mode.name}: products filter written to the hash (${page.url()})`);
    }
    await page.selectOption("#product-eos", "not-stated");
    const stated = await visible(page, "product-table", "data-eos");
    check(stated.every((s) => s === "not-stated"), `${mode.name}: products without a date: ${stated}`);
    await page.close();
  }
  {
    const { page } = await visit(context, mode.url("subprocessors/index.html"), mode.inside);
    const levels = await rowsOf(page, "subprocessor-table", "data-tier");
    if (levels.length) {
      const tier = levels[0].split(" ")[0];
      await page.selectOption("#subprocessor-tier", tier);
      // The table's rows.js loads on the first filter; then every row is filtered.
      await page.waitForFunction(() => window.VETTED_ROWS && window.VETTED_ROWS.subprocessors).catch(() => {});
      const tiers = await visible(page, "subprocessor-table", "data-tier");
      check(tiers.length > 0 && tiers.every((t) => t.split(" ").includes(tier)), `${mode.name}: subprocessors used by tier ${tier}: ${tiers}`);
      await Promise.all([page.waitForNavigation(), page.click("#subprocessor-table tbody tr:not([hidden]) th a")]);
      const users = await page.$$eval("#subprocessor-use-table tbody tr", (r) => r.length);
      check(users > 0 && /subprocessors\/[a-z0-9-]+\/index\.html$/.test(page.url()), `${mode.name}: a subprocessor page lists its vendors (${users})`);
    } else {
      check(await page.$("#subprocessor-table td.empty"), `${mode.name}: subprocessors page shows its empty state`);
    }
    await page.close();
  }
  // Search: one hit of every kind, found by its own title, opens its page.
  const index = { w: {}, e: {} };
  for (const f of readdirSync(join(site, "search/e"))) {
    new Function("window", readFileSync(join(site, "search/e", f), "utf8"))({ VETTED_SEARCH: index });
  }
  const entries = Object.keys(index.e).sort((a, b) => a - b).flatMap((k) => index.e[k]);
  const labels = { v: "Vendor", c: "Category", o: "Owner", p: "Product", s: "Subprocessor", f: "Finding", e: "Evidence", q: "Question" };
  check(entries.some((e) => e[1] === "v"), `${mode.name}: the search index has vendors`);
  const { page } = await visit(context, mode.url("index.html"), mode.inside);
  for (const [code, label] of Object.entries(labels)) {
    const entry = entries.find((e) => e[1] === code && /[\p{L}\p{N}]/u.test(e[0]));
    if (!entry) { console.log(`${mode.name}: no ${label} in this registry's search index`); continue; }
    await page.fill("#search-input", "");
    await page.fill("#search-input", entry[0]);
    await page.waitForFunction((t) => [...document.querySelectorAll("#search-results .r-title")].some((n) => n.textContent === t), entry[0], { timeout: 5000 }).catch(() => {});
    const hits = await page.$$eval("#search-results a", (as) => as.map((a) => [a.querySelector(".r-title").textContent, a.querySelector(".r-meta").textContent, a.href]));
    const hit = hits.find((h) => h[0] === entry[0] && h[1].startsWith(label));
    check(hit, `${mode.name}: search "${entry[0]}" finds the ${label} (${JSON.stringify(hits.slice(0, 3))})`);
    if (hit) {
      const path = decodeURIComponent(new URL(hit[2]).pathname);
      const file = mode.name === "file" ? path : join(site, path.slice(SUB.length));
      check(existsSync(file), `${mode.name}: search hit ${hit[2]} is a page of the site`);
    }
  }
  await page.keyboard.press("ArrowDown");
  check(await page.evaluate(() => document.activeElement && document.activeElement.closest("#search-results") !== null), `${mode.name}: arrow down reaches the results`);
  await page.close();
}

// JavaScript off: the table is complete and navigable; controls are hidden.
{
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(base + "vendors/index.html");
  // Every vendor is on exactly one page of the list, through the pager.
  const vendorPages = pages.filter((p) => /^vendors\/[^/]+\/index\.html$/.test(p) && !/^vendors\/page\//.test(p)).length;
  const listed = [];
  for (let url = base + "vendors/index.html"; url;) {
    await page.goto(url);
    listed.push(...await page.$$eval("#vendor-table tbody tr", (r) => r.map((x) => x.getAttribute("data-key"))));
    const next = await page.$('nav[data-pager-for="vendors"] a[rel="next"]');
    url = next ? new URL(await next.getAttribute("href"), page.url()).href : null;
  }
  check(listed.length === vendorPages && new Set(listed).size === listed.length && listed.length > 0, `no-js: ${listed.length} rows over the pages for ${vendorPages} vendor pages`);
  // The facet pages filter without JavaScript.
  await page.goto(base + "vendors/index.html");
  await page.click('a[data-facet="tier=1"]');
  const tiers = await page.$$eval("#vendor-table tbody tr", (r) => r.map((x) => x.getAttribute("data-tier")));
  check(tiers.length > 0 && tiers.every((t) => t === "1") && /vendors\/tier\/1\//.test(page.url()), `no-js: the tier 1 page lists tier 1 (${tiers})`);
  await page.goto(base + "vendors/index.html");
  check(await page.isHidden("form.filters"), "no-js: filter form hidden");
  await page.click("#vendor-table tbody tr th a");
  check(/vendors\/[a-z0-9-]+\/(index\.html)?$/.test(page.url()), `no-js: a vendor link navigates (${page.url()})`);
  // Dashboard links mean something without JavaScript: they land on the list.
  await page.goto(base + "index.html");
  await page.click(".stat a[href$='#status=non-compliant']");
  check(page.url().endsWith("vendors/index.html#status=non-compliant") && await page.$("#vendor-table") !== null, `no-js: a dashboard number lands on the vendors list (${page.url()})`);
  await context.close();
}

// Print stylesheet: navigation and search disappear on paper.
{
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(base + pages.find((p) => /^vendors\/[^/]+\/index\.html$/.test(p)));
  await page.emulateMedia({ media: "print" });
  const hidden = await page.$eval(".site-header", (n) => getComputedStyle(n).display === "none");
  check(hidden, "print: site header and navigation hidden");
  const mainShown = await page.$eval("main", (n) => getComputedStyle(n).display !== "none");
  check(mainShown, "print: the record itself prints");
  await context.close();
}

// Phones (390 x 844): no page scrolls sideways; tables are stacked rows whose
// cells say which column they are; axe finds nothing at this size either.
{
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  for (const p of pages) {
    const { page, errors } = await visit(context, base + p, (u) => u.startsWith(base) || u.startsWith("data:"));
    check(errors.length === 0, `mobile ${p}: console errors ${JSON.stringify(errors)}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    check(overflow <= 0, `mobile ${p}: the document is ${overflow}px wider than the screen`);
    const rows = await page.$$eval("main table.data tbody tr", (trs) => trs.map((tr) => ({
      display: getComputedStyle(tr).display,
      unlabelled: [...tr.cells].filter((c) => c.tagName === "TD" && c.textContent.trim() && !c.getAttribute("data-label")).length,
    })));
    check(rows.every((r) => r.display === "block"), `mobile ${p}: table rows are stacked`);
    check(rows.every((r) => r.unlabelled === 0), `mobile ${p}: every cell is labelled with its column`);
    await page.addScriptTag({ content: axeSource });
    const result = await page.evaluate(async () =>
      await window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }));
    const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    check(bad.length === 0, `mobile axe ${p}: ${bad.map((v) => `${v.id} (${v.impact}): ${v.nodes.length} nodes`).join("; ")}`);
    await page.close();
  }
  const vendor = pages.find((p) => /^vendors\/[^/]+\/index\.html$/.test(p));
  const { page } = await visit(context, base + vendor, (u) => u.startsWith(base) || u.startsWith("data:"));
  const label = await page.$eval("#profile table.data tbody td[data-label], #tier table.data tbody td[data-label]", (td) => getComputedStyle(td, "::before").content);
  check(/:/.test(label), `mobile ${vendor}: a stacked cell shows its column (${label})`);
  await context.close();
}

// No layout shift when vetted.js runs (Lighthouse CLS): what it adds or
// unhides (the header's search form, the filter forms, the sort buttons, the
// caption hint) has its space before it runs. Each list page is laid out
// with vetted.js withheld (scripting on, the script not loaded: the first
// paint) and with it; the boxes above and around the table must not move.
{
  const boxes = (page) => page.evaluate(() => {
    const box = (sel) => {
      const e = document.querySelector(sel);
      if (!e) return null;
      const b = e.getBoundingClientRect();
      return [b.x, b.y, b.width, b.height].map((v) => Math.round(v)).join(",");
    };
    const wide = window.innerWidth >= 640;
    return { header: box(".site-header"), filters: box("form.filters"), table: wide ? box("main table.data") : (box("main table.data") || "").split(",").slice(0, 2).join(","), thead: wide ? box("main table.data > thead") : null };
  });
  for (const viewport of [{ width: 1280, height: 900 }, { width: 390, height: 844 }]) {
    const context = await browser.newContext({ viewport });
    for (const p of ["index.html", "vendors/index.html", "findings/index.html", "evidence/index.html", "products/index.html", "subprocessors/index.html"].filter((p) => pages.includes(p))) {
      const page = await context.newPage();
      await page.route("**/vetted.js", (route) => route.abort());
      await page.goto(base + p, { waitUntil: "load" });
      const before = await boxes(page);
      await page.unroute("**/vetted.js");
      await page.goto(base + p, { waitUntil: "load" });
      await page.waitForSelector("#search-input", { timeout: 5000 }).catch(() => {});
      const after = await boxes(page);
      check(JSON.stringify(before) === JSON.stringify(after), `layout shift ${viewport.width}px ${p}: before vetted.js ${JSON.stringify(before)}, after ${JSON.stringify(after)}`);
      check(!(await page.isHidden("#search-input")), `${viewport.width}px ${p}: the search form is shown`);
      await page.close();
    }
    await context.close();
  }
}

// The printed vendor record: a running header from the page's own <style>,
// the answers on a page of their own as the appendix.
{
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(base + pages.find((p) => /^vendors\/[^/]+\/index\.html$/.test(p)));
  await page.emulateMedia({ media: "print" });
  const header = await page.$eval("head style", (s) => s.textContent);
  const name = await page.$eval("h1", (h) => h.textContent.trim());
  check(header.includes("@top-left") && header.includes("As of"), `print: running header ${header}`);
  check(/^[\w .,:;()#/-]*$/.test(name) ? header.includes(name) : true, `print: the header names ${name}`);
  const appendix = await page.$eval("#answers", (s) => getComputedStyle(s).breakBefore);
  check(appendix === "page", `print: the answers start a page (${appendix})`);
  await context.close();
}

await browser.close();
server.close();
console.log(`${checks} browser checks on ${pages.length} pages, ${failures} failed`);
process.exit(failures ? 1 : 0);
