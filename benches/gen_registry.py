#!/usr/bin/env python3
"""Generate a synthetic vetted registry in a git repository.

    gen_registry.py --vendors N --commits M --seed S OUT

Same arguments, same repository (byte for byte: fixed authors, dates and
content). Vendors are copies of the example registry's vendors with new names
and slugs, so every generated file is valid and of realistic size
(vendor.toml ~40-55 lines, answers ~80, a few artifacts, notes ~30 lines).
Half the vendors exist in the first commit; the rest are added over time.
The other commits touch 1-3 files of 1-3 vendors with realistic messages,
authors and dates over five years; about one in ten is a pull-request merge.
The stream goes through `git fast-import`, so 50,000 commits take seconds.
"""

import argparse
import random
import re
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "registry"
FILES = ["vendor.toml", "answers.toml", "artifacts.toml", "findings.toml", "exceptions.toml", "notes.md"]
AUTHORS = [
    ("Ana Okafor", "ana.okafor"), ("Ben Lindqvist", "ben.lindqvist"), ("Chloe Marchetti", "chloe.marchetti"),
    ("Dev Raman", "dev.raman"), ("Elif Demir", "elif.demir"), ("Farid Haddad", "farid.haddad"),
    ("Grace Whitlow", "grace.whitlow"), ("Hiro Tanaka", "hiro.tanaka"), ("Ines Duarte", "ines.duarte"),
    ("Jonas Berg", "jonas.berg"), ("Kemi Adeyemi", "kemi.adeyemi"), ("Luis Ortega", "luis.ortega"),
]
START = date(2021, 11, 1)
DAYS = 5 * 365


def templates():
    out = []
    for d in sorted((EXAMPLE / "vendors").iterdir()):
        files = {f: (d / f).read_text() for f in FILES if (d / f).exists()}
        # Evidence files (`file =` of artifacts.toml) byte for byte, so the
        # generated artifacts find them.
        for extra in sorted(p for p in d.rglob("*") if p.is_file()):
            rel = extra.relative_to(d).as_posix()
            if rel not in FILES:
                files[rel] = extra.read_bytes()
        name = re.search(r'^name = "(.*)"', files["vendor.toml"], re.M).group(1)
        out.append((d.name, name, files))
    return out


class Gen:
    def __init__(self, vendors, commits, seed):
        self.rng = random.Random(seed)
        self.n, self.m = vendors, commits
        self.tpl = templates()
        self.overrides = {}  # (vendor index, file) -> content
        self.policy = {f: (EXAMPLE / f).read_text() for f in ["vetted.toml", "questionnaire.toml", "tiers.toml", "artifact-kinds.toml"]}
        self.mark = 0
        self.out = sys.stdout.buffer

    def slug(self, i):
        return f"{self.tpl[i % len(self.tpl)][0]}-{i:06d}"

    def vname(self, i):
        return f"{self.tpl[i % len(self.tpl)][1]} {i}"

    def content(self, i, f):
        key = (i, f)
        if key in self.overrides:
            return self.overrides[key]
        t = self.tpl[i % len(self.tpl)]
        text = t[2].get(f)
        if text is None:
            return None
        if f == "vendor.toml":
            text = text.replace(f'name = "{t[1]}"', f'name = "{self.vname(i)}"', 1)
        return text

    def files_of(self, i):
        """The files commits edit."""
        return [f for f in FILES if self.content(i, f) is not None]

    def all_files_of(self, i):
        """Every file of a new vendor: the edited ones and its evidence files."""
        return self.files_of(i) + [f for f in self.tpl[i % len(self.tpl)][2] if f not in FILES]

    # ------------------------------------------------------------ mutations
    def shift_date(self, text, key):
        hits = list(re.finditer(rf"^({key} = )(\d{{4}}-\d{{2}}-\d{{2}})$", text, re.M))
        if not hits:
            return None
        h = self.rng.choice(hits)
        d = date.fromisoformat(h.group(2)) + timedelta(days=self.rng.choice([-30, 30, 90, 180, 365]))
        return text[: h.start(2)] + d.isoformat() + text[h.end(2):]

    def mutate(self, i, f):
        text = self.content(i, f)
        r = self.rng
        new = None
        if f == "vendor.toml":
            new = self.shift_date(text, r.choice(["renewal", "last_assessed", "signed"]))
        elif f == "answers.toml":
            bools = list(re.finditer(r"^(\w+ = )(true|false)$", text, re.M))
            ints = list(re.finditer(r"^(\w+ = )(\d+)$", text, re.M))
            if bools and (not ints or r.random() < 0.6):
                h = r.choice(bools)
                new = text[: h.start(2)] + ("false" if h.group(2) == "true" else "true") + text[h.end(2):]
            elif ints:
                h = r.choice(ints)
                new = text[: h.start(2)] + str(max(1, int(h.group(2)) + r.choice([-12, -4, 4, 12]))) + text[h.end(2):]
        elif f == "artifacts.toml":
            new = self.shift_date(text, r.choice(["period_end", "issued", "expires"]))
        elif f == "notes.md":
            who = r.choice(AUTHORS)[0]
            new = text.rstrip("\n") + f"\n- Follow-up call with the vendor's security team ({who}); no new concerns.\n"
        elif f == "findings.toml":
            new = self.shift_date(text, "due")
        if new is None or new == text:
            new = text.rstrip("\n") + "\n# reviewed\n" if f.endswith(".toml") else text + "\nReviewed again.\n"
        self.overrides[(i, f)] = new
        return new

    # --------------------------------------------------------- fast-import
    def blob_cmd(self, path, text):
        data = text if isinstance(text, bytes) else text.encode()
        return b"M 100644 inline " + path.encode() + b"\ndata " + str(len(data)).encode() + b"\n" + data + b"\n"

    def commit(self, ref, when, author, msg, parent, merge, mods):
        self.mark += 1
        name, user = author
        ts = int((START - date(1970, 1, 1)).total_seconds()) + when
        m = msg.encode()
        head = f"commit {ref}\nmark :{self.mark}\nauthor {name} <{user}@northbridge.example> {ts} +0000\ncommitter {name} <{user}@northbridge.example> {ts} +0000\n".encode()
        head += b"data " + str(len(m)).encode() + b"\n" + m + b"\n"
        if parent:
            head += f"from :{parent}\n".encode()
        if merge:
            head += f"merge :{merge}\n".encode()
        self.out.write(head + b"".join(mods) + b"\n")
        return self.mark

    def run(self):
        r = self.rng
        initial = max(1, self.n // 2)
        add_commits = max(1, self.m // 10) if self.n > initial else 0
        per_add = -(-(self.n - initial) // add_commits) if add_commits else 0
        mods = [self.blob_cmd(f"registry/{f}", t) for f, t in self.policy.items()]
        mods.append(self.blob_cmd("README.md", "# Northbridge vendor registry\n"))
        for i in range(initial):
            for f in self.all_files_of(i):
                mods.append(self.blob_cmd(f"registry/vendors/{self.slug(i)}/{f}", self.content(i, f)))
        tip = self.commit("refs/heads/main", 0, AUTHORS[0], "Import the vendor registry from the spreadsheet", None, None, mods)
        added = initial
        step = DAYS * 86400 // max(1, self.m)
        pr = 100
        for c in range(1, self.m):
            when = c * step + r.randrange(step or 1)
            author = r.choice(AUTHORS)
            if added < self.n and (c % 10 == 5 or c >= self.m - 1):
                batch = range(added, min(self.n, added + per_add))
                mods = [self.blob_cmd(f"registry/vendors/{self.slug(i)}/{f}", self.content(i, f)) for i in batch for f in self.all_files_of(i)]
                added = batch.stop
                msg = f"Add vendor {self.vname(batch.start)}" if len(batch) == 1 else f"Add {len(batch)} vendors from the procurement intake"
                tip = self.commit("refs/heads/main", when, author, msg, tip, None, mods)
                continue
            vendors = r.sample(range(added), k=min(added, r.choice([1, 1, 1, 2, 3])))
            mods = []
            what = []
            for i in vendors:
                for f in r.sample(self.files_of(i), k=min(len(self.files_of(i)), r.choice([1, 1, 2, 3]))):
                    mods.append(self.blob_cmd(f"registry/vendors/{self.slug(i)}/{f}", self.mutate(i, f)))
                    what.append(f)
            v = self.vname(vendors[0])
            msg = {
                "vendor.toml": f"{v}: update contract and review dates",
                "answers.toml": f"{v}: revise questionnaire answers after vendor call",
                "artifacts.toml": f"{v}: file new evidence",
                "notes.md": f"{v}: add assessment notes",
                "findings.toml": f"{v}: move remediation due date",
            }.get(what[0], f"{v}: update record")
            if c % 10 == 7:
                pr += 1
                side = self.commit("refs/heads/review", when - 600, author, msg, tip, None, mods)
                tip = self.commit("refs/heads/main", when, AUTHORS[1], f"Merge pull request #{pr} from review/{self.slug(vendors[0])}\n\n{msg}", tip, side, mods)
            else:
                tip = self.commit("refs/heads/main", when, author, msg, tip, None, mods)
        self.out.flush()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--vendors", type=int, required=True)
    ap.add_argument("--commits", type=int, required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("out", type=Path)
    a = ap.parse_args()
    if a.out.exists():
        sys.exit(f"{a.out} exists; remove it first")
    subprocess.run(["git", "init", "-q", "-b", "main", str(a.out)], check=True)
    fi = subprocess.Popen(["git", "-C", str(a.out), "fast-import", "--quiet", "--done"], stdin=subprocess.PIPE)
    g = Gen(a.vendors, a.commits, a.seed)
    g.out = fi.stdin
    g.run()
    fi.stdin.write(b"done\n")
    fi.stdin.close()
    if fi.wait() != 0:
        sys.exit("git fast-import failed")
    subprocess.run(["git", "-C", str(a.out), "checkout", "-q", "-f", "main"], check=True)


if __name__ == "__main__":
    main()
