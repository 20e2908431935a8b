#!/usr/bin/env python3
"""The site's budgets (issue #15), measured on a built site.

    python3 benches/site_budget.py measure --site DIR [--label L] [--json F]
    python3 benches/site_budget.py measure --vetted BIN --registry REG [--today D] [--label L]
    python3 benches/site_budget.py table NEW.json [--baseline OLD.json] [--doc docs/PERFORMANCE.md]

`measure` reads the files of a site (or builds one with BIN into
target/bench/site-budget/LABEL, deleted afterwards unless --keep): number of
HTML pages, the largest one, how many are over 1 MiB, the average vendor page
(`vendors/SLUG/index.html`), the whole site's size (sum of file sizes); then
benches/site_budget.mjs opens the representative pages in Debian's headless
Chromium from file:// (time until interactive, filter keystroke, sort,
browser memory; medians of --runs runs). It writes a JSON file
(target/bench/site-budget/LABEL.json by default).

`table` prints a markdown table of a measurement against the budgets, with a
baseline measurement beside it; with --doc it replaces the table between the
`<!-- site-budget -->` markers of that file. benches/run.py calls both for
its 10,000-vendor registry. Budgets are figures to read, never test
assertions.
"""
import argparse
import json
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "target" / "bench" / "site-budget"
MIB = 2**20
# The pages a reader starts from; the new cross-vendor pages when present.
PAGES = ["index.html", "vendors/index.html", "findings/index.html", "calendar/index.html",
         "changes/index.html", "questionnaire/index.html", "VENDOR",
         "evidence/index.html", "subprocessors/index.html", "products/index.html"]
LIST_PAGES = ["vendors/index.html", "findings/index.html", "evidence/index.html",
              "subprocessors/index.html", "products/index.html"]
# The budgets of issue #15 at 10,000 vendors.
MAX_PAGE = 1 * MIB
VENDOR_AVG = 30_000
INTERACTIVE_MS = 1000
INPUT_MS = 100
SITE_BYTES = 280_000_000  # a third of the 837 MB the issue measured before #15


def files_of(site):
    html, total = {}, 0
    for p in site.rglob("*"):
        if p.is_file():
            size = p.stat().st_size
            total += size
            if p.suffix == ".html":
                html[p.relative_to(site).as_posix()] = size
    return html, total


def vendor_pages(html):
    return {p: s for p, s in html.items()
            if p.startswith("vendors/") and p.count("/") == 2 and p.endswith("/index.html")
            and p != "vendors/page/index.html"}


def static_figures(site):
    html, total = files_of(site)
    vendors = vendor_pages(html)
    largest = max(html.items(), key=lambda kv: (kv[1], kv[0])) if html else ("", 0)
    # The vendor page of median size stands for "a vendor page".
    by_size = sorted(vendors.items(), key=lambda kv: (kv[1], kv[0]))
    median_vendor = by_size[len(by_size) // 2][0] if by_size else None
    return {
        "html_pages": len(html),
        "largest_page": {"path": largest[0], "bytes": largest[1]},
        "pages_over_1mib": sum(1 for s in html.values() if s > MAX_PAGE),
        "vendor_pages": len(vendors),
        "vendor_page_avg_bytes": statistics.mean(vendors.values()) if vendors else 0,
        "site_bytes": total,
        "page_bytes": {p: html[p] for p in [*PAGES, median_vendor] if p in html},
        "vendor_page": median_vendor,
    }


def browser_figures(site, pages, runs):
    cmd = ["node", str(ROOT / "benches" / "site_budget.mjs"), str(site), str(runs), *pages]
    out = subprocess.run(cmd, check=True, text=True, stdout=subprocess.PIPE)
    return json.loads(out.stdout)


def measure(site, label, runs, extra_pages=()):
    print(f"site budget: {label} ({site})", file=sys.stderr)
    fig = static_figures(site)
    pages = [fig["vendor_page"] if p == "VENDOR" else p for p in PAGES]
    pages = [p for p in [*pages, *extra_pages] if p and (site / p).is_file()]
    fig["browser"] = browser_figures(site, pages, runs)
    fig["label"] = label
    return fig


def build(vetted, registry, today, out):
    if out.exists():
        shutil.rmtree(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([vetted, "build", "--registry", str(registry), "--today", today, "--out", str(out),
                    "--cache-dir", str(out.parent / f"{out.name}-cache")], check=True, stdout=subprocess.DEVNULL)


# ----------------------------------------------------------------- the table

def mb(n):
    return f"{n / 1e6:.1f} MB"


def kb(n):
    return f"{n / 1e3:.1f} KB"


def ms(x):
    if x is None:
        return "n/a"
    return f"{x / 1000:.1f} s" if x >= 1000 else f"{x:.0f} ms"


def verdict(ok):
    return "met" if ok else "**missed**"


def rows_for(new, old):
    """(measure, budget, baseline text, new text, met) rows."""
    old = old or {}
    # Each side's vendor page (of median size) is a different file: one row.
    pages = lambda f: {("VENDOR" if p == f.get("vendor_page") else p): v
                       for p, v in f.get("browser", {}).get("pages", {}).items()}
    ob, nb = pages(old), pages(new)
    rows = [
        ("HTML pages", "", f"{old['html_pages']:,}" if old else "", f"{new['html_pages']:,}", None),
        ("largest HTML page", "≤ 1 MiB",
         f"{mb(old['largest_page']['bytes'])} (`{old['largest_page']['path']}`)" if old else "",
         f"{mb(new['largest_page']['bytes'])} (`{new['largest_page']['path']}`)", new["largest_page"]["bytes"] <= MAX_PAGE),
        ("HTML pages over 1 MiB", "0", f"{old['pages_over_1mib']:,}" if old else "", f"{new['pages_over_1mib']:,}", new["pages_over_1mib"] == 0),
        ("vendor page, average", "< 30 KB", kb(old["vendor_page_avg_bytes"]) if old else "",
         kb(new["vendor_page_avg_bytes"]), new["vendor_page_avg_bytes"] < VENDOR_AVG),
        ("whole site (sum of file sizes)", "< 280 MB (⅓ of the issue's 837 MB)", mb(old["site_bytes"]) if old else "",
         mb(new["site_bytes"]), new["site_bytes"] < SITE_BYTES),
    ]
    if old:
        ratio = new["site_bytes"] / old["site_bytes"]
        rows.append(("whole site against the baseline", "< 0.33", "1", f"{ratio:.2f}", ratio < 1 / 3))
    keys = list(dict.fromkeys([*nb.keys(), *ob.keys()]))
    for p in keys:
        n, o = nb.get(p, {}), ob.get(p, {})
        name = "a vendor page (median size)" if p == "VENDOR" else f"`{p}`"
        nt = n.get("interactive_ms")
        path = lambda f: f.get("vendor_page") if p == "VENDOR" else p
        size = lambda f: f" ({mb(f['page_bytes'][path(f)])})" if path(f) in f.get("page_bytes", {}) else ""
        rows.append((f"{name} interactive", "< 1 s", ms(o.get("interactive_ms")) + size(old) if o else "absent",
                     ms(nt) + size(new) if n else "absent", None if nt is None else nt < INTERACTIVE_MS))
    for what, key in (("filter keystroke", "filter_ms"), ("sort", "sort_ms")):
        for p in keys:
            n, o = (nb.get(p) or {}).get(key), (ob.get(p) or {}).get(key)
            if not n and not o:
                continue
            nt = n and n.get("median")
            name = "a vendor page" if p == "VENDOR" else f"`{p}`"
            rows.append((f"{name} {what}", "< 100 ms", ms(o and o.get("median")) if o else "n/a",
                         ms(nt) if n else "n/a", None if nt is None else nt < INPUT_MS))
    mem = lambda b: max((v.get("memory_mib") or 0 for v in b.values()), default=0)
    if nb or ob:
        worst = lambda b: (max(b, key=lambda p: b[p].get("memory_mib") or 0) if b else "").replace("VENDOR", "a vendor page")
        rows.append(("browser memory, most for one page (PSS of all Chromium processes)", "",
                     f"{mem(ob):,.0f} MiB (`{worst(ob)}`)" if ob else "",
                     f"{mem(nb):,.0f} MiB (`{worst(nb)}`)" if nb else "", None))
    return rows


def table(new, old=None):
    head_old = old["label"] if old else "baseline"
    lines = [f"| measure | budget | {head_old} | {new['label']} | |", "| --- | --- | --- | --- | --- |"]
    for name, budget, o, n, ok in rows_for(new, old):
        lines.append(f"| {name} | {budget} | {o} | {n} | {'' if ok is None else verdict(ok)} |")
    return "\n".join(lines) + "\n"


def baseline_only(old):
    """The baseline's figures alone, each against the budget."""
    lines = [f"| measure | budget | {old['label']} | |", "| --- | --- | --- | --- |"]
    for name, budget, _, n, ok in rows_for(old, None):
        lines.append(f"| {name} | {budget} | {n} | {'' if ok is None else verdict(ok)} |")
    return "\n".join(lines) + "\n"


def write_doc(doc, text):
    begin, end = "<!-- site-budget -->", "<!-- /site-budget -->"
    old = doc.read_text()
    if begin not in old or end not in old:
        sys.exit(f"{doc}: no {begin} … {end} markers to write the table between")
    head, rest = old.split(begin, 1)
    doc.write_text(head + begin + "\n" + text + rest[rest.index(end):])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    m = sub.add_parser("measure")
    m.add_argument("--site", type=Path)
    m.add_argument("--vetted")
    m.add_argument("--registry", type=Path)
    m.add_argument("--today", default="2026-11-29")
    m.add_argument("--label", default="site")
    m.add_argument("--runs", type=int, default=5)
    m.add_argument("--page", action="append", default=[], help="another page to open (path inside the site)")
    m.add_argument("--json", type=Path)
    m.add_argument("--keep", action="store_true", help="keep the site built with --vetted")
    t = sub.add_parser("table")
    t.add_argument("new", type=Path)
    t.add_argument("--baseline", type=Path)
    t.add_argument("--doc", type=Path)
    a = ap.parse_args()
    if a.cmd == "measure":
        site = a.site
        if site is None:
            if not (a.vetted and a.registry):
                ap.error("measure needs --site, or --vetted and --registry")
            site = WORK / a.label
            build(a.vetted, a.registry.resolve(), a.today, site)
        try:
            fig = measure(site.resolve(), a.label, a.runs, a.page)
        finally:
            if a.site is None and not a.keep:
                shutil.rmtree(site, ignore_errors=True)
        out = a.json or WORK / f"{a.label}.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(fig, indent=2) + "\n")
        print(baseline_only(fig))
        print(f"figures written to {out}", file=sys.stderr)
    else:
        new = json.loads(a.new.read_text())
        old = json.loads(a.baseline.read_text()) if a.baseline else None
        text = table(new, old) if old else baseline_only(new)
        if a.doc:
            write_doc(a.doc, text)
        print(text)


if __name__ == "__main__":
    main()
