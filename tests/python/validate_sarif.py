"""Validate a SARIF log against the OASIS SARIF 2.1.0 JSON Schema (the copy
beside this script), then check what GitHub code scanning relies on: every
result's rule is declared, locations are relative to %SRCROOT%, lines and
columns start at 1, fingerprints are unique.

Usage: validate_sarif.py REPORT.sarif   (prints a JSON summary on success)
"""
import json
import pathlib
import sys

import jsonschema

here = pathlib.Path(__file__).resolve().parent
schema = json.loads((here / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
log = json.loads(pathlib.Path(sys.argv[1]).read_text(encoding="utf-8"))

jsonschema.Draft4Validator.check_schema(schema)
errors = sorted(jsonschema.Draft4Validator(schema).iter_errors(log), key=str)
if errors:
    for e in errors[:20]:
        print(f"schema: {list(e.absolute_path)}: {e.message}", file=sys.stderr)
    sys.exit(1)

assert log["version"] == "2.1.0", log["version"]
assert len(log["runs"]) == 1
run = log["runs"][0]
driver = run["tool"]["driver"]
assert driver["name"] == "vetted"
rules = [r["id"] for r in driver["rules"]]
assert len(rules) == len(set(rules)), "duplicate rules"
fingerprints = set()
levels = {}
for r in run["results"]:
    assert r["ruleId"] in rules, r["ruleId"]
    assert rules[r["ruleIndex"]] == r["ruleId"]
    assert r["level"] in ("error", "warning", "note")
    loc = r["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
    assert not loc["artifactLocation"]["uri"].startswith("/")
    assert loc["region"]["startLine"] >= 1 and loc["region"]["startColumn"] >= 1
    fp = r["partialFingerprints"]["vetted/v1"]
    assert fp not in fingerprints, f"duplicate fingerprint {fp}"
    fingerprints.add(fp)
    levels[r["level"]] = levels.get(r["level"], 0) + 1

print(json.dumps({"rules": sorted(rules), "results": len(run["results"]), "levels": levels}))
