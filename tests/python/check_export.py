"""Read what `vetted export` wrote with independent readers (Python's `csv`
and `json` modules, and `openpyxl` for the workbook) and check it.

    python check_export.py agree CHECK_JSON REGISTRY DIR
        DIR holds <table>.csv, <table>.json and <table>.xlsx for the four
        tables. The three formats hold the same values; the vendor table
        agrees with `check --format json` (CHECK_JSON) vendor by vendor, and
        the other tables with the registry's own files (read with tomllib).
    python check_export.py hostile DIR TABLE TEXT...
        Every TEXT (registry text that starts like a formula) is a string
        cell in DIR/<TABLE>.xlsx, never a formula; it is in DIR/<TABLE>.csv
        with a single quote before it, and in DIR/<TABLE>.json as written.

Prints a JSON summary; any failed check raises (exit status 1).
"""

import csv
import datetime
import json
import pathlib
import re
import sys
import tomllib

import openpyxl
from openpyxl.utils import get_column_letter

GUARDED = ("=", "+", "-", "@", "\t", "\r")

DATE_COLUMNS = {
    "vendors": {"next_review", "earliest_expiry"},
    "artifacts": {"issued", "period_end", "expires", "valid_until"},
    "findings": {"opened", "due", "closed"},
    "products": {"end_of_support"},
}


def guard(text):
    return "'" + text if text.startswith(GUARDED) else text


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def read_json(path, table):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    assert doc["version"] == 1 and doc["export"] == table, (doc["version"], doc["export"])
    columns = doc["columns"]
    for row in doc["rows"]:
        assert list(row) == columns, f"keys out of column order: {list(row)}"
    return doc, columns


def json_as_csv(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    assert isinstance(value, str), repr(value)
    return guard(value)


def xlsx_as_csv(cell):
    v = cell.value
    if v is None:
        return ""
    if isinstance(v, bool):
        assert cell.data_type == "b", cell.data_type
        return "true" if v else "false"
    if isinstance(v, datetime.datetime):
        return v.date().isoformat()
    if isinstance(v, (int, float)):
        assert cell.data_type == "n", cell.data_type
        assert float(v).is_integer(), v
        return str(int(v))
    assert cell.data_type == "s", (cell.coordinate, cell.data_type, v)
    return guard(v)


def read_xlsx(path, table, header):
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [table], wb.sheetnames
    ws = wb[table]
    assert ws.freeze_panes == "A2", ws.freeze_panes
    last = f"{get_column_letter(len(header))}{ws.max_row}"
    assert ws.auto_filter.ref == f"A1:{last}", ws.auto_filter.ref
    cells = list(ws.iter_rows())
    assert [c.value for c in cells[0]] == header, [c.value for c in cells[0]]
    assert all(c.font.b for c in cells[0]), "header not bold"
    dates = DATE_COLUMNS[table]
    for row in cells[1:]:
        for name, c in zip(header, row):
            assert c.data_type != "f", f"formula at {c.coordinate}"
            if c.value is None:
                continue
            is_date = isinstance(c.value, datetime.datetime)
            assert is_date == (name in dates), (c.coordinate, name, c.value)
            if is_date:
                assert c.is_date and c.number_format == "yyyy-mm-dd", c.number_format
    for letter, dim in ws.column_dimensions.items():
        assert 6 <= dim.width <= 61, (letter, dim.width)
    created = wb.properties.created
    return [[xlsx_as_csv(c) for c in row] for row in cells[1:]], created


def read_table(directory, table):
    """The table as CSV text rows, after checking JSON and XLSX agree with it."""
    header, rows = read_csv(directory / f"{table}.csv")
    doc, columns = read_json(directory / f"{table}.json", table)
    assert columns == header, (columns, header)
    as_json = [[json_as_csv(r[c]) for c in columns] for r in doc["rows"]]
    assert as_json == rows, "JSON and CSV differ"
    as_xlsx, created = read_xlsx(directory / f"{table}.xlsx", table, header)
    assert as_xlsx == rows, "XLSX and CSV differ"
    assert created.date().isoformat() == doc["today"], (created, doc["today"])
    return [dict(zip(header, r)) for r in rows]


def vendor_files(registry, name, key):
    """{slug: [entries of `key`]} from each vendor's `name` file."""
    out = {}
    for folder in sorted((registry / "vendors").iterdir()):
        path = folder / name
        data = tomllib.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        out[folder.name] = data.get(key, [])
    return out


def agree(check_json, registry, directory):
    with open(check_json, encoding="utf-8") as f:
        check = json.load(f)
    tables = {t: read_table(directory, t) for t in DATE_COLUMNS}
    vendors = tables["vendors"]
    expected = {v["slug"]: v for v in check["vendors"]}
    assert [v["slug"] for v in vendors] == sorted(expected), "one row per vendor, by slug"
    products = vendor_files(registry, "vendor.toml", "product")
    for row in vendors:
        v = expected[row["slug"]]
        assert row["decision"] == v["decision"]["value"], (row["slug"], row["decision"])
        assert row["next_review"] == (v["next_review"] or ""), (row["slug"], row["next_review"])
        assert row["status"] == v["status"] and row["lifecycle"] == v["lifecycle"], row["slug"]
        assert row["tier"] == str(v["tier"]) and row["tier_name"] == v["tier_name"], row["slug"]
        for count in ("errors", "warnings", "red_flags", "open_findings", "overdue_findings"):
            assert row[count] == str(v["counts"][count]), (row["slug"], count)
        assert row["review_overdue"] == ("true" if v["review_overdue"] else "false")
        eos = "; ".join(
            f"{p['name']} {p['version']} ({p['end_of_support'].isoformat()})"
            for p in products[row["slug"]]
            if "end_of_support" in p
        )
        assert row["end_of_support"] == guard(eos), (row["end_of_support"], eos)
        # The earliest expiry is the artifacts table's earliest end of validity.
        ends = [
            a["valid_until"]
            for a in tables["artifacts"]
            if a["vendor"] == row["slug"] and a["valid_until"] and a["status"] != "superseded"
        ]
        assert row["earliest_expiry"] == min(ends, default=""), row["slug"]
    counts = {
        "artifacts": vendor_files(registry, "artifacts.toml", "artifact"),
        "findings": vendor_files(registry, "findings.toml", "finding"),
        "products": products,
    }
    for table, per_vendor in counts.items():
        rows = tables[table]
        assert len(rows) == sum(len(x) for x in per_vendor.values()), table
        keys = [r["vendor"] for r in rows]
        assert keys == sorted(keys), f"{table} not by vendor"
    ids = [(f["vendor"], f["id"]) for f in tables["findings"]]
    assert ids == sorted(ids), "findings not by vendor, then id"
    summary = {t: len(rows) for t, rows in tables.items()}
    summary["decisions"] = {v["slug"]: v["decision"] for v in vendors}
    return summary


def hostile(directory, table, texts):
    header, rows = read_csv(directory / f"{table}.csv")
    fields = [f for r in rows for f in r]
    with open(directory / f"{table}.json", encoding="utf-8") as f:
        values = [v for r in json.load(f)["rows"] for v in r.values()]
    ws = openpyxl.load_workbook(directory / f"{table}.xlsx")[table]
    cells = [c for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"], "a formula cell"
    for text in texts:
        assert text.startswith(GUARDED), text
        found = [c for c in cells if c.value == text]
        assert found and all(c.data_type == "s" for c in found), (text, found)
        assert "'" + text in fields and text not in fields, f"CSV: {text!r} not quoted"
        assert text in values, f"JSON: {text!r} not as written"
    # Numbers (a negative `days_left`) are vetted's own and never quoted.
    unguarded = [f for f in fields if f.startswith(GUARDED) and not re.fullmatch(r"-\d+", f)]
    assert not unguarded, f"unguarded CSV fields: {unguarded}"
    return {"table": table, "checked": len(texts)}


def main():
    mode = sys.argv[1]
    if mode == "agree":
        out = agree(sys.argv[2], pathlib.Path(sys.argv[3]), pathlib.Path(sys.argv[4]))
    elif mode == "hostile":
        out = hostile(pathlib.Path(sys.argv[2]), sys.argv[3], sys.argv[4:])
    else:
        raise SystemExit(f"unknown mode {mode}")
    print(json.dumps(out, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
