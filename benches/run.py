#!/usr/bin/env python3
"""The benchmark harness: reproduces docs/PERFORMANCE.md from nothing.

    python3 benches/run.py [--sizes 1000:5000,10000:50000,100000:10000] [--runs 5]

For each registry size (vendors:commits) it generates a synthetic registry
in a git repository (benches/gen_registry.py, seed 1) and the equivalent Hugo
site (benches/gen_hugo_site.py), then times whole processes side by side on
this machine with hyperfine (median, min, max over repeated runs) and records
peak memory with /usr/bin/time:

  vetted check                     vs  tomllib parsing the same TOML files
  vetted history (cold, no cache)  vs  git log --format= --name-only
  vetted history after one commit  vs  the cold history pass
  vetted build (cold, no cache)    vs  hugo build of as many pages + git log
  vetted build after one commit    vs  hugo build (incremental: one vendor
                                       changed and one new commit; see
                                       measure_incremental)
It installs Debian's hugo and hyperfine when they are missing, builds vetted
in release mode, and writes the table with ratios to docs/PERFORMANCE.md.
"""
import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
from pathlib import Path

sys.dont_write_bytecode = True  # no benches/__pycache__ from the import below
import site_budget  # noqa: E402  (benches/site_budget.py, beside this file)

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "target" / "bench"
VETTED = ROOT / "target" / "release" / "vetted"
TODAY = "2026-11-22"
# Everything in docs/PERFORMANCE.md from this line on is hand-written analysis,
# kept when the tables above it are measured again.
ANALYSIS = "<!-- analysis: written by hand, kept by benches/run.py -->"


def sh(cmd, **kw):
    return subprocess.run(cmd, shell=True, check=True, text=True, **kw)


def ensure_tools():
    missing = [t for t in ("hugo", "hyperfine") if shutil.which(t) is None]
    if missing:
        sudo = "" if os.geteuid() == 0 else "sudo "
        sh(f"{sudo}apt-get install -y -qq {' '.join(missing)} >/dev/null")
    if not Path("/usr/bin/time").exists():
        sudo = "" if os.geteuid() == 0 else "sudo "
        sh(f"{sudo}apt-get install -y -qq time >/dev/null")
    sh(f"cd {ROOT} && cargo build --release --quiet")


def generate(vendors, commits):
    d = WORK / f"r{vendors}-{commits}"
    repo, hugo = d / "repo", d / "hugo"
    done = d / "generated"
    if not done.exists():
        if d.exists():
            shutil.rmtree(d)
        d.mkdir(parents=True)
        sh(f"python3 {ROOT}/benches/gen_registry.py --vendors {vendors} --commits {commits} --seed 1 {repo}")
        sh(f"python3 {ROOT}/benches/gen_hugo_site.py {repo}/registry {hugo}")
        head = sh(f"git -C {repo} rev-parse HEAD", capture_output=True).stdout.strip()
        done.write_text(head + "\n")
    # Warm runs add commits: start every measurement from the generated state.
    head = done.read_text().strip()
    sh(f"git -C {repo} reset -q --hard {head} && git -C {repo} clean -qfd")
    return d, repo, hugo


def probe(cmd, prepare=None, limit=None):
    """One run under /usr/bin/time: (seconds, peak KiB, failure or None).

    A command that fails, or runs past `limit` seconds, is recorded as such
    instead of stopping the harness: at 100k pages Hugo runs out of memory on
    a 24 GiB machine, and the table says so.
    """
    if prepare:
        sh(prepare)
    timed = f"timeout {limit} sh -c {json.dumps(cmd)}" if limit else f"sh -c {json.dumps(cmd)}"
    p = subprocess.run(f"/usr/bin/time -f '%e %M %x' {timed} > /dev/null 2> {WORK}/probe.err",
                       shell=True, text=True, capture_output=True)
    err = (WORK / "probe.err").read_text(errors="replace").strip().splitlines()
    try:
        secs, kb, status = err[-1].split()[-3:]
        secs, kb, status = float(secs), int(kb), int(status)
    except (ValueError, IndexError):
        return None, None, "could not be timed"
    signal = next((l for l in err if "terminated by signal" in l), None)
    if signal:
        return secs, kb, f"killed ({signal.strip()}) after {secs:.0f} s at {kb / 2**20:.1f} GiB peak"
    if status == 137:
        return secs, kb, f"killed by SIGKILL after {secs:.0f} s at {kb / 2**20:.1f} GiB peak (exit 137, as the kernel's out-of-memory killer does)"
    if status == 124:
        return secs, kb, f"did not finish in {limit} s (peak {kb / 2**20:.1f} GiB)"
    # vetted check exits 1 when it reports errors: that is its answer, not a failure.
    if status != 0 and not (status == 1 and cmd.startswith(f"{VETTED} check")):
        why = next((l for l in err[:-1] if "rror" in l), f"exit status {status}")
        return secs, kb, f"failed after {secs:.0f} s at {kb / 2**20:.1f} GiB peak: {why.strip()[:160]}"
    return secs, kb, None


def measure_one(name, cmd, runs, prepare=None, limit=None):
    """A probe run (also the peak memory), then hyperfine for the timing.

    Commands taking over a minute get 3 runs: the 100k registry would
    otherwise take hours for no extra information.
    """
    secs, kb, failed = probe(cmd, prepare, limit)
    if failed:
        print(f"  {name}: {failed}", file=sys.stderr)
        return {"failed": failed, "peak_kb": kb}
    if secs is not None and secs > 60:
        runs = min(runs, 3)
    res = WORK / f"{name}.json"
    args = ["hyperfine", "--style", "none", "-i", "--runs", str(runs), "--export-json", str(res)]
    if prepare:
        args += ["--prepare", prepare]
    else:
        args += ["--warmup", "1"]
    args.append(cmd + " > /dev/null")
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
    r = json.loads(res.read_text())["results"][0]
    m = {"median": r["median"], "min": r["min"], "max": r["max"], "runs": len(r["times"]), "peak_kb": kb}
    print(f"  {name}: {m['median']:.2f} s median, {kb / 1024:.0f} MiB peak", file=sys.stderr)
    return m


def one_commit(repo):
    # Touch one vendor's notes and commit: what a merged pull request does.
    return (f"cd {repo} && f=$(ls registry/vendors | head -1) && "
            f"echo '- benchmark follow-up' >> registry/vendors/$f/notes.md && "
            f"git add -A && git -c user.name=Bench -c user.email=bench@example commit -qm 'Benchmark change'")


def measure(vendors, commits, runs, limit):
    d, repo, hugo = generate(vendors, commits)
    reg = repo / "registry"
    out, hout = d / "out", d / "hugo-out"
    cache, hcache = d / "cache", d / "history-cache"
    m = {"vendors": vendors, "commits": commits}
    v = f"{VETTED}"
    m["check"] = measure_one("check", f"{v} check --registry {reg} --today {TODAY}", runs)
    m["tomllib"] = measure_one("tomllib", f"python3 {ROOT}/benches/parse_tomllib.py {reg}", max(3, runs // 2))
    m["gitlog"] = measure_one("gitlog", f"git -C {repo} log --format= --name-only", runs)
    m["history_cold"] = measure_one("history_cold", f"{v} history --registry {reg} --no-cache", runs)
    sh(f"rm -rf {hcache} && {v} history --registry {reg} --cache-dir {hcache} > /dev/null 2>&1")
    m["history_warm"] = measure_one("history_warm", f"{v} history --registry {reg} --cache-dir {hcache}", runs, prepare=one_commit(repo))
    build = f"{v} build --registry {reg} --today {TODAY} --out {out} --cache-dir {cache} 2>/dev/null"
    m["build_cold"] = measure_one("build_cold", build, runs, prepare=f"rm -rf {out} {cache}")
    sh(build + " > /dev/null")
    m["build_warm"] = measure_one("build_warm", build, runs, prepare=one_commit(repo))
    m["site"] = measure_site(out, vendors)
    m.update(measure_incremental(build, repo, runs))
    hugo_cmd = f"hugo --quiet -s {hugo} -d {hout}"
    m["hugo"] = measure_one("hugo", hugo_cmd, runs, prepare=f"rm -rf {hout}", limit=limit)
    # The generated site is large (9 GB at 100k vendors): keep the disk free.
    sh(f"rm -rf {hout}")
    return m


def measure_site(out, vendors):
    """The site budgets of #15 (benches/site_budget.py) on the 10,000-vendor site."""
    if vendors != 10000:
        return None
    fig = site_budget.measure(out, f"{vendors:,} vendors, this build", runs=3)
    (WORK / "site-budget.json").write_text(json.dumps(fig, indent=2) + "\n")
    return fig


def site_section(results):
    """The budgets table, beside the site before #15 (benches/site_budget_base15.json)."""
    base = json.loads((ROOT / "benches" / "site_budget_base15.json").read_text())
    lines = []
    for m in results:
        if m.get("site"):
            lines += ["", "## The site's budgets at 10,000 vendors (#15)", "",
                      "Measured by benches/site_budget.py in Chromium from file:// (medians), beside the site before #15.", "",
                      site_budget.table(m["site"], base).rstrip("\n")]
    return lines


def measure_incremental(build, repo, runs):
    """The warm build in detail: how many files one changed vendor plus one
    new commit rewrites (the rest are hard links kept from the previous
    site), and a rebuild with nothing changed (what every warm build pays:
    load, assess, view data and hashing, the history cache, publishing)."""
    sh(one_commit(repo))
    p = subprocess.run(build.replace(" 2>/dev/null", " 2>&1"), shell=True, check=True,
                       text=True, capture_output=True)
    line = next((l for l in p.stdout.splitlines() if l.startswith("built ")), "")
    words = line.replace("(", " ").replace(",", " ").split()
    files = {"pages": int(words[1]) if len(words) > 1 and words[1].isdigit() else None,
             "unchanged": next((int(words[i - 1]) for i, w in enumerate(words)
                                if w == "files" and i + 1 < len(words) and words[i + 1].startswith("unchanged")
                                and words[i - 1].isdigit()), None)}
    print(f"  warm build files: {files}", file=sys.stderr)
    return {"build_noop": measure_one("build_noop", build, runs), "warm_files": files}


def incremental_rows(m):
    """Target rows for the incremental build (#15): warm ≤ 10 % of Hugo."""
    rows = [("warm build ≤ 10 % of hugo (#15)", ratio(m, "build_warm", "hugo"), 0.10)]
    if "build_noop" in m:
        rows.append(("rebuild, nothing changed ≤ 10 % of hugo", ratio(m, "build_noop", "hugo"), 0.10))
    return rows


def fmt(t):
    if "failed" in t:
        return f"{t['failed']}"
    return f"{t['median']:.2f} s ({t['min']:.2f}–{t['max']:.2f}, {t['runs']} runs)"


def mib(t):
    kb = t.get("peak_kb")
    return "n/a" if kb is None else f"{kb / 1024:.0f} MiB"


def ratio(m, num, *den):
    """vetted/reference from medians, or n/a when a reference did not finish."""
    if any("failed" in m[k] for k in (num, *den)):
        return None
    return m[num]["median"] / sum(m[k]["median"] for k in den)


def r2(x):
    return "n/a" if x is None else f"{x:.2f}"


def verdict(ok):
    return "met" if ok else "**missed**"


def report(results, runs):
    cpu = "unknown"
    try:
        cpu = next(l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    git_v = sh("git --version", capture_output=True).stdout.strip()
    hugo_v = sh("hugo version", capture_output=True).stdout.split()[1]
    vetted_v = sh(f"{VETTED} --version", capture_output=True).stdout.strip()
    lines = [
        "# Performance",
        "",
        "Whole-process timings, side by side on one machine in one run, medians (min–max) over repeated runs by hyperfine; peak resident memory from `/usr/bin/time`. Targets are ratios against references measured in the same run, never timed assertions in tests.",
        "",
        f"Machine: {os.cpu_count()} cores ({cpu}), {mem:.0f} GiB RAM, {platform.system()} {platform.release()}; {vetted_v}, {git_v}, hugo {hugo_v}, Python {platform.python_version()}.",
        "",
        f"Reproduce from nothing: `python3 benches/run.py` (sizes and runs: `--sizes 1000:5000,10000:50000,100000:10000 --runs {runs}`).",
        "",
        "## Results",
        "",
        "| registry | vetted check | tomllib parse | git log --name-only | history cold | history +1 commit | build cold | build +1 commit | hugo build |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for m in results:
        lines.append(f"| {m['vendors']:,} vendors / {m['commits']:,} commits | {fmt(m['check'])} | {fmt(m['tomllib'])} | {fmt(m['gitlog'])} | {fmt(m['history_cold'])} | {fmt(m['history_warm'])} | {fmt(m['build_cold'])} | {fmt(m['build_warm'])} | {fmt(m['hugo'])} |")
    lines += ["", "Peak memory (from the first run of each command):", "", "| registry | vetted build (cold) | hugo build | vetted check | vetted history (cold) | git log |", "| --- | --- | --- | --- | --- | --- |"]
    for m in results:
        lines.append(f"| {m['vendors']:,} / {m['commits']:,} | {mib(m['build_cold'])} | {mib(m['hugo'])} | {mib(m['check'])} | {mib(m['history_cold'])} | {mib(m['gitlog'])} |")
    lines += ["", "## Scaling", "", "How each vetted figure grows against its reference from one size to the next (vetted/reference ratios; a constant ratio means vetted grows as git or hugo does). Per-vendor and per-commit costs show the same from the other side.", "",
              "| registry | history / git log | cold build / (hugo + git log) | warm build / hugo | check / tomllib | check per vendor | history per commit | git log per commit | cold build per vendor |", "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for m in results:
        per = lambda k, n: "n/a" if "failed" in m[k] else f"{m[k]['median'] / n * 1e6:.0f} µs"
        lines.append(f"| {m['vendors']:,} / {m['commits']:,} | {r2(ratio(m, 'history_cold', 'gitlog'))} | {r2(ratio(m, 'build_cold', 'hugo', 'gitlog'))} | {r2(ratio(m, 'build_warm', 'hugo'))} | {r2(ratio(m, 'check', 'tomllib'))} | {per('check', m['vendors'])} | {per('history_cold', m['commits'])} | {per('gitlog', m['commits'])} | {per('build_cold', m['vendors'])} |")
    lines += ["", "## Targets (on 10,000 vendors / 50,000 commits, as the issue sets them)", "", "| registry | target | measured | |", "| --- | --- | --- | --- |"]
    for m in [m for m in results if (m["vendors"], m["commits"]) == (10000, 50000)]:
        md = lambda k: m[k]["median"]
        name = f"{m['vendors']:,} / {m['commits']:,}"
        mem_hugo = m["hugo"].get("peak_kb") or 1
        rows = [
            ("cold build ≤ 1.0 × (hugo + git log)", ratio(m, "build_cold", "hugo", "gitlog"), 1.0),
            ("cold build memory ≤ 1/3 × hugo's", (m["build_cold"].get("peak_kb") or 0) / mem_hugo, 1 / 3),
            ("warm build ≤ 1.0 × hugo", ratio(m, "build_warm", "hugo"), 1.0),
            ("history ≤ 1.0 × git log", ratio(m, "history_cold", "gitlog"), 1.0),
            ("history +1 commit ≤ 5 % of cold", ratio(m, "history_warm", "history_cold"), 0.05),
            ("check ≤ 1 s", m["check"].get("median"), 1.0),
            ("check ≥ 10 × faster than tomllib", None if ratio(m, "check", "tomllib") is None else 1 / ratio(m, "check", "tomllib"), None),
        ] + incremental_rows(m)
        for label, value, limit in rows:
            if value is None:
                lines.append(f"| {name} | {label} | n/a | **not measured** |")
                continue
            ok = value >= 10 if limit is None else value <= limit
            if limit is None:
                shown = f"{value:.1f} ×"
            elif label.startswith("check ≤"):
                shown = f"{value:.2f} s"
            elif "%" in label:
                shown = f"{100 * value:.1f} %"
            else:
                shown = f"{value:.2f}"
            lines.append(f"| {name} | {label} | {shown} | {verdict(ok)} |")
    lines += site_section(results)
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000:5000,10000:50000,100000:10000")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--limit", type=int, default=1800, help="seconds a reference (Hugo) may run before it counts as not finishing")
    ap.add_argument("--out", default=str(ROOT / "docs" / "PERFORMANCE.md"))
    a = ap.parse_args()
    ensure_tools()
    WORK.mkdir(parents=True, exist_ok=True)
    results = []
    for size in a.sizes.split(","):
        vendors, commits = (int(x) for x in size.split(":"))
        print(f"measuring {vendors} vendors / {commits} commits", file=sys.stderr)
        results.append(measure(vendors, commits, a.runs, a.limit))
        (WORK / "results.json").write_text(json.dumps(results, indent=2))
    text = report(results, a.runs)
    out = Path(a.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    # Keep the hand-written analysis that follows the measured tables.
    if out.exists():
        old = out.read_text()
        marks = [old.find(m) for m in (f"\n{ANALYSIS}", "\n## What profiling found")]
        marks = [m for m in marks if m >= 0]
        if marks:
            text = text.rstrip("\n") + "\n" + old[min(marks):]
    out.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
