"""Validate a GitLab Code Quality report against the JSON Schema beside
this script (written from GitLab's documented fields), and check that
fingerprints are unique (GitLab merges issues that share one).

Usage: validate_gitlab.py REPORT.json   (prints a JSON summary on success)
"""
import json
import pathlib
import sys

import jsonschema

here = pathlib.Path(__file__).resolve().parent
schema = json.loads((here / "gitlab-codequality.schema.json").read_text(encoding="utf-8"))
report = json.loads(pathlib.Path(sys.argv[1]).read_text(encoding="utf-8"))

jsonschema.Draft202012Validator.check_schema(schema)
errors = list(jsonschema.Draft202012Validator(schema).iter_errors(report))
if errors:
    for e in errors[:20]:
        print(f"schema: {list(e.absolute_path)}: {e.message}", file=sys.stderr)
    sys.exit(1)

fingerprints = [i["fingerprint"] for i in report]
assert len(fingerprints) == len(set(fingerprints)), "duplicate fingerprints"
severities = {}
for i in report:
    severities[i["severity"]] = severities.get(i["severity"], 0) + 1
print(json.dumps({"issues": len(report), "severities": severities}))
