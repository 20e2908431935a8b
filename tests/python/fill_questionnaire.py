"""The vendor's side of `vetted questionnaire` (tests/questionnaire_xlsx.rs),
with openpyxl, a reader and writer independent of vetted's.

  fill_questionnaire.py inspect WORKBOOK
      prints JSON: for every question row (by its id) the answer cell's value
      (typed: dates as {"date": ...}), whether it is locked, its number
      format and data validation (type and, for lists, the values, resolved
      from a range when the list is one); the sheets, which are hidden, the
      protection of each sheet, the frozen pane and the hidden metadata.

  fill_questionnaire.py fill IN OUT EDITS_JSON
      writes the edits as a vendor would and saves OUT. EDITS_JSON is a list
      of [sheet, where, value]: `where` is a question id (its answer cell on
      the Questionnaire sheet), a cell reference ("B10"), or a label in
      column A (its cell in column B); `value` is a string, number, bool,
      null (cleared), {"date": "YYYY-MM-DD"}, {"text": "=literal text"} (a
      string cell even when it starts with "=") or {"delete_row": true}.
      A string starting with "=" is written as a formula, as a user typing
      it would.
"""

import datetime
import json
import sys

import openpyxl


def cell_json(value):
    if isinstance(value, datetime.datetime):
        return {"date": value.date().isoformat(), "time": value.time() != datetime.time()}
    if isinstance(value, datetime.date):
        return {"date": value.isoformat()}
    return value


def answer_column(ws):
    header = [c.value for c in ws[1]]
    return header.index("id") + 1, header.index("answer") + 1


def list_values(wb, formula):
    if formula.startswith('"'):
        return formula.strip('"').split(",")
    ref = formula.lstrip("=")
    sheet, cells = ref.split("!")
    return [c[0].value for c in wb[sheet.strip("'")][cells.replace("$", "")]]


def validations(wb, ws):
    out = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            for row in ws.iter_rows(min_row=rng.min_row, max_row=rng.max_row,
                                    min_col=rng.min_col, max_col=rng.max_col):
                for c in row:
                    entry = {"type": dv.type, "prompt": dv.prompt}
                    if dv.type == "list":
                        entry["values"] = list_values(wb, dv.formula1)
                    out[c.coordinate] = entry
    return out


def inspect(path):
    wb = openpyxl.load_workbook(path)
    ws = wb["Questionnaire"]
    id_col, ans_col = answer_column(ws)
    dvs = validations(wb, ws)
    rows = {}
    for row in ws.iter_rows(min_row=2):
        qid = row[id_col - 1].value
        if qid is None:
            continue
        cell = row[ans_col - 1]
        rows[qid] = {
            "cell": cell.coordinate,
            "value": cell_json(cell.value),
            "is_date": cell.is_date,
            "data_type": cell.data_type,
            "locked": cell.protection.locked,
            "id_locked": row[id_col - 1].protection.locked,
            "number_format": cell.number_format,
            "validation": dvs.get(cell.coordinate),
            "required": row[6].value,
            "texts": [[c.value, c.data_type] for c in row[:8] if c.column != ans_col],
        }
    meta = wb["vetted"]
    info = wb["Instructions"]
    labels = {
        r[0].value: {"cell": r[1].coordinate, "locked": r[1].protection.locked,
                     "validation": validations(wb, info).get(r[1].coordinate)}
        for r in info.iter_rows(min_row=1) if r[0].value
    }
    print(json.dumps({
        "sheets": wb.sheetnames,
        "hidden": [s.title for s in wb.worksheets if s.sheet_state != "visible"],
        "protected": {s.title: bool(s.protection.sheet) for s in wb.worksheets},
        "freeze": ws.freeze_panes,
        "rows": rows,
        "meta": {r[0].value: r[1].value for r in meta.iter_rows()},
        "instructions": labels,
        "created": wb.properties.created.isoformat() if wb.properties.created else None,
    }, sort_keys=True))


def locate(ws, where):
    if ws.title == "Questionnaire":
        id_col, ans_col = answer_column(ws)
        for row in ws.iter_rows(min_row=2):
            if row[id_col - 1].value == where:
                return row[ans_col - 1]
    for row in ws.iter_rows():
        if row[0].value == where:
            return ws.cell(row=row[0].row, column=2)
    return ws[where]


def fill(src, dst, edits):
    wb = openpyxl.load_workbook(src)
    for sheet, where, value in edits:
        ws = wb[sheet]
        cell = locate(ws, where)
        if isinstance(value, dict) and value.get("delete_row"):
            ws.delete_rows(cell.row)
        elif isinstance(value, dict) and "text" in value:
            cell.value = value["text"]
            cell.data_type = "s"
        elif isinstance(value, dict) and "date" in value:
            cell.value = datetime.date.fromisoformat(value["date"])
            cell.number_format = "yyyy-mm-dd"
        else:
            cell.value = value
    wb.save(dst)


if __name__ == "__main__":
    if sys.argv[1] == "inspect":
        inspect(sys.argv[2])
    elif sys.argv[1] == "fill":
        fill(sys.argv[2], sys.argv[3], json.loads(sys.argv[4]))
    else:
        sys.exit("usage: fill_questionnaire.py inspect WORKBOOK | fill IN OUT EDITS_JSON")
