#!/usr/bin/env python3
"""Regenerate the checked-in seed corpora in fuzz/corpus/<target>/.

Run it from anywhere (`python3 fuzz/make_seeds.py`) after the example
registry or the test fixtures change; commit what it writes. scripts/fuzz
does not need it: it fuzzes from the checked-in seeds.

Sources: the example registry (registry/vendors/*), the `minimal` and
`hostile` fixtures, every fixture case under tests/fixtures/{invalid,assess}
applied to `minimal` (as tests/common does), and a few hand-written inputs
for the known-dangerous corners (multi-byte spans, workflow commands,
escape sequences, script links). The `history` seeds come from the target
itself (it builds its repository and writes them when VETTED_FUZZ_HISTORY_SEEDS
is set), so this needs `cargo +nightly fuzz` for that one target; so do the
`questionnaire_import` seeds: the workbooks `vetted questionnaire export`
writes for the `minimal` fixture's vendors (written by the target when
VETTED_FUZZ_QUESTIONNAIRE_SEEDS is set), plus copies edited here (answers
changed in the sheet's XML, a formula cell, a truncated zip) and one filled
and saved by openpyxl (from target/pyvenv, made by scripts/install-test-deps;
left out, with a note, when openpyxl is not installed).

Input format of vendor_check and diff_markdown: see fuzz/src/lib.rs.
"""

import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from pathlib import Path

FUZZ = Path(__file__).resolve().parent
ROOT = FUZZ.parent
CORPUS = FUZZ / "corpus"
FIXTURES = ROOT / "tests" / "fixtures"
VENDOR_FILES = [
    "vendor.toml",
    "answers.toml",
    "artifacts.toml",
    "findings.toml",
    "exceptions.toml",
    "notes.md",
]


def vendor_from_dir(d: Path) -> dict:
    files = {}
    for name in VENDOR_FILES:
        p = d / name
        if p.is_file():
            files[name] = p.read_bytes()
    return files


def encode(files: dict, folder: bytes) -> bytes:
    # NUL separates the chunks; a file's own NUL bytes would shift them.
    parts = [files.get(n, b"").replace(b"\0", b"") for n in VENDOR_FILES]
    return b"\0".join(parts + [folder])


def minimal_registry() -> dict:
    """The minimal fixture as {relative path: bytes}."""
    reg = {}
    base = FIXTURES / "minimal"
    for p in sorted(base.rglob("*")):
        if p.is_file():
            reg[str(p.relative_to(base))] = p.read_bytes()
    return reg


def apply_case(reg: dict, case: dict) -> dict:
    """tests/common's case operations, on an in-memory registry; symbolic
    links and folders-as-files are left out, padding is capped."""
    reg = dict(reg)
    for e in case.get("edit", []):
        text = reg[e["file"]].decode()
        assert e["find"] in text, (e, text)
        reg[e["file"]] = text.replace(e["find"], e["replace"], 1).encode()
    for w in case.get("write", []):
        reg[w["file"]] = w["content"].encode()
    for w in case.get("write_bytes", []):
        reg[w["file"]] = bytes(w["bytes"])
    for w in case.get("prepend_bytes", []):
        reg[w["file"]] = bytes(w["bytes"]) + reg[w["file"]]
    for w in case.get("pad", []):
        # The 1 MiB limit is tested by the test suite; a seed stays small.
        reg[w["file"]] = reg.get(w["file"], b"") + b"x" * 4096
    for r in case.get("remove", []):
        reg.pop(r, None)
    for m in case.get("rename", []) + case.get("copy", []):
        for k in list(reg):
            if k.startswith(m["from"] + "/"):
                reg[m["to"] + k[len(m["from"]):]] = reg[k]
                if m in case.get("rename", []):
                    del reg[k]
    return reg


def vendors_of(reg: dict) -> dict:
    """{folder: {file: bytes}} of an in-memory registry."""
    out = {}
    for k, v in reg.items():
        parts = k.split("/")
        if len(parts) == 3 and parts[0] == "vendors" and parts[2] in VENDOR_FILES:
            out.setdefault(parts[1], {})[parts[2]] = v
    return out


def cases():
    for kind in ["invalid", "assess"]:
        for d in sorted((FIXTURES / kind).iterdir()):
            case_file = d / "case.toml"
            if case_file.is_file():
                yield d.name, tomllib.loads(case_file.read_text())


def write(target: str, name: str, data: bytes, seen: set):
    if data in seen:
        return
    seen.add(data)
    out = CORPUS / target
    out.mkdir(parents=True, exist_ok=True)
    (out / name).write_bytes(data)


MINIMAL_ACME = None

# Hand-written vendor files for the corners most likely to break output.
HOSTILE_VENDOR = [
    ("multibyte-span-in-key", {"vendor.toml": 'name 💩= "x"\n'.encode()}),
    (
        "multibyte-string-error",
        {"vendor.toml": 'name = "Zürich 💩\n'.encode(), "answers.toml": b"[standards]\n"},
    ),
    (
        "workflow-commands-in-values",
        {
            "vendor.toml": b'name = "::error file=x::owned"\nstatus = "##[group]x"\ncategory = "a\\n::stop-commands::t"\n',
        },
    ),
    (
        "workflow-command-line",
        {"vendor.toml": b"::error::x\n##[warning]y\n  ::add-mask::z\n"},
    ),
    (
        "escape-sequences",
        {"vendor.toml": b'name = "\x1b[31mred\x1b]8;;https://x\x07"\nowner = "\xe2\x80\xaeevil"\n'},
    ),
    ("tab-and-cr", {"vendor.toml": b'name\t= "x"\r\nstatus = "active"\r\n\r'}),
]


def main():
    if CORPUS.exists():
        for target in ["vendor_check", "diff_markdown", "markdown", "history", "questionnaire_import"]:
            shutil.rmtree(CORPUS / target, ignore_errors=True)
    minimal = minimal_registry()
    minimal_vendors = vendors_of(minimal)

    # vendor_check ----------------------------------------------------------
    seen = set()
    for d in sorted((ROOT / "registry" / "vendors").iterdir()):
        write("vendor_check", f"example-{d.name}", encode(vendor_from_dir(d), d.name.encode()), seen)
    for fixture in ["minimal", "hostile"]:
        for d in sorted((FIXTURES / fixture / "vendors").iterdir()):
            write("vendor_check", f"{fixture}-{d.name}", encode(vendor_from_dir(d), d.name.encode()), seen)
    for name, case in cases():
        after = vendors_of(apply_case(minimal, case))
        for folder, files in sorted(after.items()):
            if minimal_vendors.get(folder) != files or folder not in minimal_vendors:
                slug = folder.replace(" ", "_")
                write("vendor_check", f"case-{name}-{slug}", encode(files, folder.encode()), seen)
    for name, files in HOSTILE_VENDOR:
        write("vendor_check", f"hand-{name}", encode(files, b""), seen)
    write("vendor_check", "hand-control-folder-name",
          encode(minimal_vendors["cloudsched"], b"evil\x1b[31m\n::error::x"), seen)

    # diff_markdown: base vendor, then head vendor ------------------------
    seen = set()
    acme = minimal_vendors["acme-infusion"]
    for name, case in cases():
        after = vendors_of(apply_case(minimal, case))
        for folder, files in sorted(after.items()):
            before = minimal_vendors.get(folder)
            if before is not None and before != files:
                data = encode(before, folder.encode()) + b"\0" + encode(files, folder.encode())
                write("diff_markdown", f"case-{name}-{folder}", data, seen)
    examples = sorted((ROOT / "registry" / "vendors").iterdir())
    for a, b in zip(examples, examples[1:]):
        # The same folder with another vendor's files: many field changes.
        data = encode(vendor_from_dir(a), a.name.encode()) + b"\0" + encode(vendor_from_dir(b), a.name.encode())
        write("diff_markdown", f"example-{a.name}-becomes-{b.name}", data, seen)
    for d in sorted((FIXTURES / "hostile" / "vendors").iterdir()):
        data = encode(minimal_vendors[d.name], d.name.encode()) + b"\0" + encode(vendor_from_dir(d), d.name.encode())
        write("diff_markdown", f"hostile-{d.name}", data, seen)
    data = encode(acme, b"acme-infusion") + b"\0" + encode(minimal_vendors["cloudsched"], b"cloudsched")
    write("diff_markdown", "vendor-added-and-removed", data, seen)
    links = dict(acme)
    links["vendor.toml"] = acme["vendor.toml"].replace(
        b'name = "Acme Infusion Systems"',
        b'name = "Acme <img src=x onerror=alert(1)> [x](https://evil.example) @octocat www.evil.example ![i](http://e.example/i.png)"',
    )
    links["findings.toml"] = (
        b'[[finding]]\nid = "F-1"\ntitle = "see https://evil.example and @security-team\\n::error::x ##[group]"\n'
        b'severity = "high"\nopened = 2026-01-05\n'
    )
    data = encode(acme, b"acme-infusion") + b"\0" + encode(links, b"acme-infusion")
    write("diff_markdown", "hand-links-html-mentions", data, seen)
    data = encode(acme, b"x`<b>`\n::error::y") + b"\0" + encode(acme, b"acme-infusion")
    write("diff_markdown", "hand-folder-name-markup", data, seen)

    # markdown --------------------------------------------------------------
    seen = set()
    for d in sorted((ROOT / "registry" / "vendors").iterdir()):
        if (d / "notes.md").is_file():
            write("markdown", f"example-{d.name}", (d / "notes.md").read_bytes(), seen)
    for fixture in ["minimal", "hostile"]:
        for p in sorted((FIXTURES / fixture / "vendors").glob("*/notes.md")):
            write("markdown", f"{fixture}-{p.parent.name}", p.read_bytes(), seen)
    q = tomllib.loads((ROOT / "registry" / "questionnaire.toml").read_text())
    guidance = "\n\n".join(
        qq.get("guidance", "") for s in q.get("section", []) for qq in s.get("question", [])
    )
    write("markdown", "example-question-guidance", guidance.encode(), seen)
    hand = {
        "links": b"[a](javascript:alert(1)) [b](JaVaScRiPt:x) [c](java\tscript:x) [d](data:text/html,x) "
                 b"[e](vbscript:x) [f](https://ok.example/x) [g](mailto:a@b.example) [h](../x.html) [i](#frag) "
                 b"<javascript:alert(1)> <https://auto.example> [ref][r]\n\n[r]: jav&#x61;script:alert(1)\n",
        "raw-html": b'<a href="&#106;avascript:alert(1)" onclick=x()>a</a><svg onload=alert(1)><math>'
                    b"<style>*{}</style><iframe srcdoc=x></iframe><object data=x><form action=javascript:x>"
                    b'<div style="x" id="clobber" name="n"><img src=x onerror=alert(1)><p>unclosed',
        "gfm": b"# H1\n## H2\n\n| a | b |\n|---|---|\n| <b>x</b> | `y` |\n\n- [ ] task\n- [x] done\n\n"
               b"~~strike~~ ![img](https://i.example/x.png \"t\") footnote[^1]\n\n[^1]: note\n\n```html\n<script>x</script>\n```\n",
        "nesting": b"> <details><summary>s</summary>\n> *a **b <i>c</b> d* e\n\n<table><tr><td>x</table>\n"
                   b"<ul><li><p>a<li>b</ul></ol></div>\n",
    }
    for name, text in hand.items():
        write("markdown", f"hand-{name}", text, seen)

    # history: written by the target itself ----------------------------------
    out = CORPUS / "history"
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as empty:
        env = dict(os.environ, VETTED_FUZZ_HISTORY_SEEDS=str(out))
        subprocess.run(
            ["cargo", "+nightly", "fuzz", "run", "history", empty, "--", "-runs=1"],
            cwd=FUZZ,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    questionnaire_seeds()
    for target in sorted(CORPUS.iterdir()):
        files = list(target.iterdir())
        size = sum(f.stat().st_size for f in files)
        print(f"{target.name}: {len(files)} seeds, {size // 1024} KiB")


def run_target(target: str, env_var: str, out: Path):
    """Run `target` once with `env_var=out`: its setup writes seeds there."""
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as empty:
        env = dict(os.environ, **{env_var: str(out)})
        subprocess.run(
            ["cargo", "+nightly", "fuzz", "run", target, empty, "--", "-runs=1"],
            cwd=FUZZ,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )


def rezip(xlsx: bytes, edit) -> bytes:
    """The workbook with each part's text passed through edit(name, text)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.endswith(".xml"):
                data = edit(info.filename, data.decode()).encode()
            dst.writestr(info.filename, data)
    return out.getvalue()


# Fills the prefilled export as a vendor would, with openpyxl (argv: in, out).
OPENPYXL_FILL = """
import datetime, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
q = wb["Questionnaire"]
answers = {
    "standards.frameworks": "soc2-type2\\niso27001",
    "incident_response.notification_hours": 24,
    "incident_response.dr_last_tested": datetime.date(2026, 9, 1),
    "incident_response.patch_cadence": "quarterly",
    "incident_response.status_page": "https://status.acme.example",
}
for row in q.iter_rows(min_row=2):
    if row[0].value in answers:
        row[3].value = answers[row[0].value]
i = wb["Instructions"]
for row in i.iter_rows():
    label = row[0].value
    if label == "Respondent name":
        row[1].value = "Dana Vendor"
    elif label == "Respondent email":
        row[1].value = "dana@acme.example"
    elif label == "Date completed":
        row[1].value = datetime.date(2026, 11, 20)
wb.save(sys.argv[2])
"""


def openpyxl_python():
    for py in [sys.executable, str(ROOT / "target" / "pyvenv" / "bin" / "python")]:
        if Path(py).is_file() and subprocess.run([py, "-c", "import openpyxl"], capture_output=True).returncode == 0:
            return py
    return None


# The parts the questionnaire_import target's second input form replaces
# (its PARTS).
QUESTIONNAIRE_PARTS = [
    "xl/worksheets/sheet2.xml",
    "xl/sharedStrings.xml",
    "xl/worksheets/sheet1.xml",
    "xl/worksheets/sheet3.xml",
    "xl/workbook.xml",
    "xl/_rels/workbook.xml.rels",
    "xl/styles.xml",
]


def questionnaire_seeds():
    out = CORPUS / "questionnaire_import"
    run_target("questionnaire_import", "VETTED_FUZZ_QUESTIONNAIRE_SEEDS", out)
    prefilled = (out / "export-prefilled.xlsx").read_bytes()

    def changed(name, text):
        if name == "xl/worksheets/sheet2.xml":
            # notification_hours 48 -> 24, and the empty status_page answered inline.
            text = text.replace('<c r="D4" s="4"><v>48</v></c>', '<c r="D4" s="4"><v>24</v></c>')
            text = text.replace('<c r="D7" s="4"/>', '<c r="D7" s="4" t="inlineStr"><is><t>https://status.acme.example</t></is></c>')
        if name == "xl/worksheets/sheet1.xml":
            text = text.replace('<c r="B9" s="4"/>', '<c r="B9" s="4" t="inlineStr"><is><t>Dana Vendor</t></is></c>')
            text = text.replace('<c r="B11" s="5"/>', '<c r="B11" s="5"><v>46346</v></c>')
        return text

    def formula(name, text):
        if name == "xl/worksheets/sheet2.xml":
            text = text.replace('<c r="D4" s="4"><v>48</v></c>', '<c r="D4" s="4"><f>SUM(24,24)</f><v>48</v></c>')
        return text

    edited = rezip(prefilled, changed)
    assert edited != prefilled
    (out / "edited-answers-changed.xlsx").write_bytes(edited)
    with_formula = rezip(prefilled, formula)
    assert with_formula != prefilled
    (out / "damaged-formula-cell.xlsx").write_bytes(with_formula)
    (out / "damaged-truncated-zip.xlsx").write_bytes(prefilled[: len(prefilled) // 2])

    # The target's other input form: the XML parts in its PARTS order, split
    # at NUL (the target zips them itself, so mutations get past the zip's
    # checksums).
    def parts_seed(name, edit):
        with zipfile.ZipFile(io.BytesIO(prefilled)) as z:
            texts = [edit(p, z.read(p).decode()) for p in QUESTIONNAIRE_PARTS]
        (out / name).write_bytes("\0".join(texts).encode())

    def hostile_cells(name, text):
        if name == "xl/worksheets/sheet2.xml":
            text = text.replace('<c r="D7" s="4"/>', '<c r="D7" s="4" t="inlineStr"><is><t>javascript:alert(1)</t></is></c>')
            text = text.replace('<c r="D4" s="4"><v>48</v></c>', '<c r="D4" s="4" t="inlineStr"><is><t>=cmd|\' /c calc\'!A0</t></is></c>')
        return text

    def hostile_respondent(name, text):
        if name == "xl/worksheets/sheet2.xml":
            text = changed(name, text)
        if name == "xl/worksheets/sheet1.xml":
            text = text.replace('<c r="B9" s="4"/>', '<c r="B9" s="4" t="inlineStr"><is><t>Dana&#x1b;[31m\u202e\n::error::x ##[group]</t></is></c>')
            text = text.replace('<c r="B10" s="4"/>', '<c r="B10" s="4" t="inlineStr"><is><t>@octocat https://evil.example</t></is></c>')
        return text

    def far_cell(name, text):
        if name == "xl/worksheets/sheet2.xml":
            text = text.replace("</sheetData>", '<row r="9999"><c r="XFD9999" t="inlineStr"><is><t>x</t></is></c></row></sheetData>')
        return text

    parts_seed("parts-prefilled", lambda n, t: t)
    parts_seed("parts-answers-changed", changed)
    parts_seed("parts-formula-cell", formula)
    parts_seed("parts-hostile-cells", hostile_cells)
    parts_seed("parts-hostile-respondent", hostile_respondent)
    parts_seed("parts-far-cell", far_cell)
    py = openpyxl_python()
    if py is None:
        print("questionnaire_import: openpyxl not installed (scripts/install-test-deps): no openpyxl seed", file=sys.stderr)
        return
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.xlsx"
        src.write_bytes(prefilled)
        subprocess.run([py, "-c", OPENPYXL_FILL, str(src), str(out / "openpyxl-filled.xlsx")], check=True)


if __name__ == "__main__":
    sys.exit(main())
