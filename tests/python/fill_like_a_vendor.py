"""Fill a questionnaire workbook from `vetted questionnaire export` the way a
vendor does, with openpyxl (independent of vetted), for tests/round_trip.rs.

  fill_like_a_vendor.py IN OUT RESPONDENT EMAIL COMPLETED TEXT

Every question row of the "Questionnaire" sheet gets an answer read off its
own "type" and "allowed values" columns, as a person reading the sheet
would: yes/no as a boolean cell, a choice as its first allowed value, a
multi answer as its first two values one per line, dates as date cells,
whole numbers as numbers, links as an https URL, free text as TEXT. The
"Instructions" sheet's respondent cells are filled in too. Prints the
number of answers written.
"""
import datetime
import sys

import openpyxl


def answer(kind, allowed, text):
    options = [v for v in (allowed or "").split("\n") if v]
    if kind == "yes/no":
        return True
    if kind.startswith("choice"):
        return options[0]
    if kind.startswith("multi"):
        return "\n".join(options[:2])
    if kind.startswith("date"):
        return datetime.date(2026, 10, 1)
    if kind.startswith("integer") or kind.startswith("whole"):
        return 24
    if kind.startswith("url") or kind.startswith("link"):
        return "https://vendor.example/security"
    if kind.startswith("list"):
        return "first item\nsecond item"
    return text


def main():
    src, dst, respondent, email, completed, text = sys.argv[1:7]
    wb = openpyxl.load_workbook(src)
    ws = wb["Questionnaire"]
    header = [c.value for c in ws[1]]
    col = {name: header.index(name) for name in ("id", "answer", "type", "allowed values")}
    written = 0
    for row in ws.iter_rows(min_row=2):
        if not row[col["id"]].value:
            continue
        row[col["answer"]].value = answer(
            str(row[col["type"]].value), row[col["allowed values"]].value, text
        )
        written += 1
    info = wb["Instructions"]
    labels = {
        "Respondent name": respondent,
        "Respondent email": email,
        "Date completed": datetime.date.fromisoformat(completed),
    }
    for row in info.iter_rows():
        label = row[0].value
        if label in labels:
            row[1].value = labels.pop(label)
    if labels:
        sys.exit(f"no cell for {sorted(labels)} on the Instructions sheet")
    wb.save(dst)
    print(written)


main()
