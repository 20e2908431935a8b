"""Parse a JUnit XML report with junitparser and check that its counts
agree with its test cases; print, per suite, its cases and failures as
junitparser reads them, for the Rust test to compare with the JSON report.

Usage: validate_junit.py REPORT.xml
"""
import json
import sys

from junitparser import Failure, JUnitXml, Skipped, Error

xml = JUnitXml.fromfile(sys.argv[1])
suites = {}
total_tests = total_failures = 0
for suite in xml:
    cases = list(suite)
    failures = [c for c in cases if any(isinstance(r, Failure) for r in c.result)]
    assert not any(isinstance(r, (Skipped, Error)) for c in cases for r in c.result)
    assert suite.tests == len(cases), (suite.name, suite.tests, len(cases))
    assert suite.failures == len(failures), (suite.name, suite.failures, len(failures))
    assert suite.errors == 0 and suite.skipped == 0
    for c in failures:
        f = next(r for r in c.result if isinstance(r, Failure))
        assert f.type == c.name.split(" ")[0], (f.type, c.name)
        assert f.message and f.text
    props = {p.name: p.value for p in suite.properties()}
    suites[suite.name] = {
        "cases": sorted(c.name.split(" ")[0] for c in cases),
        "failed": sorted(c.name.split(" ")[0] for c in failures),
        "decision": props.get("decision"),
        "system_out": "".join(c.system_out or "" for c in cases),
        "failure_text": "".join(
            r.text or "" for c in failures for r in c.result if isinstance(r, Failure)
        ),
    }
    total_tests += len(cases)
    total_failures += len(failures)
assert xml.tests == total_tests, (xml.tests, total_tests)
assert xml.failures == total_failures, (xml.failures, total_failures)
print(json.dumps({"tests": total_tests, "failures": total_failures, "suites": suites}))
