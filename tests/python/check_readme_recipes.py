"""Read the README's CI recipes as their consumers would: every ```yaml
block of the "CI recipes" section parses (PyYAML); the GitHub workflow's
step that uses this repository's action (`uses: ./`) passes only inputs
action.yml declares; the pre-commit configuration is valid for pre-commit
(`pre-commit validate-config`).

Usage: check_readme_recipes.py README.md action.yml PRE-COMMIT
Prints {"blocks": n, "action_inputs": [...]} on success.
"""
import json
import pathlib
import re
import subprocess
import sys
import tempfile

import yaml

readme = pathlib.Path(sys.argv[1]).read_text(encoding="utf-8")
section = readme.split("### CI recipes\n", 1)[1].split("\n## ", 1)[0]
blocks = re.findall(r"```yaml\n(.*?)```", section, re.S)
assert len(blocks) == 3, f"expected GitHub, GitLab and pre-commit recipes, found {len(blocks)}"
docs = [yaml.safe_load(b) for b in blocks]

declared = set(yaml.safe_load(pathlib.Path(sys.argv[2]).read_text(encoding="utf-8"))["inputs"])
workflow = docs[0]
steps = [s for job in workflow["jobs"].values() for s in job["steps"]]
uses_action = [s for s in steps if s.get("uses") == "./"]
assert len(uses_action) == 1, "the workflow does not use the action"
used = set(uses_action[0].get("with", {}))
assert used <= declared, f"inputs action.yml does not declare: {sorted(used - declared)}"

gitlab = docs[1]["vetted"]
reports = gitlab["artifacts"]["reports"]
assert reports == {"codequality": "gl-code-quality-report.json", "junit": "junit.xml"}, reports

with tempfile.TemporaryDirectory() as tmp:
    config = pathlib.Path(tmp) / ".pre-commit-config.yaml"
    config.write_text(blocks[2], encoding="utf-8")
    proc = subprocess.run([sys.argv[3], "validate-config", str(config)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr

print(json.dumps({"blocks": len(blocks), "action_inputs": sorted(used)}))
