"""Run a composite GitHub Action's shell steps the way a runner does.

Reads action.yml with PyYAML, fills every input (given or default; an
unknown input is an error), and runs each `shell: bash` step in order with
`bash --noprofile --norc -eo pipefail SCRIPT` in $GITHUB_WORKSPACE, with
fresh GITHUB_OUTPUT, GITHUB_ENV and GITHUB_PATH files per step whose
contents reach the later steps (environment, PATH, step outputs) and one
GITHUB_STEP_SUMMARY file. `${{ inputs.NAME }}` in a step's `run` and `env`
is replaced by the input's value; any other `${{ … }}` there is an error,
since only a real runner can evaluate it. `uses:` steps are not run: they
are listed with their `if` and inputs-substituted `with`. After a failing
shell step the run stops, as a runner skips later steps that have no
`if: always()` (shell steps here must have no `if`).

The caller provides the runner's environment (GITHUB_ACTION_PATH,
GITHUB_WORKSPACE, RUNNER_TEMP, RUNNER_OS, RUNNER_ARCH, HOME, PATH).

Usage: run_action.py ACTION.yml INPUTS.json
Prints {"status", "steps": [...], "outputs": {id: {...}}, "summary"}.
"""
import json
import os
import pathlib
import re
import subprocess
import sys

import yaml

INPUT = re.compile(r"\$\{\{\s*inputs\.([A-Za-z0-9_-]+)\s*\}\}")


def substitute(text, inputs, where):
    def value(m):
        name = m.group(1)
        if name not in inputs:
            sys.exit(f"{where}: unknown input {name!r}")
        return inputs[name]

    out = INPUT.sub(value, str(text))
    if "${{" in out:
        sys.exit(f"{where}: expression other than inputs.NAME left: {out!r}")
    return out


def read_env_file(path):
    """GITHUB_ENV / GITHUB_OUTPUT lines: NAME=value or NAME<<DELIM … DELIM."""
    values = {}
    lines = pathlib.Path(path).read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delim = line.split("<<", 1)
            j = lines.index(delim, i + 1)
            values[name] = "\n".join(lines[i + 1 : j])
            i = j + 1
        elif "=" in line:
            name, val = line.split("=", 1)
            values[name] = val
            i += 1
        else:
            sys.exit(f"malformed line in {path}: {line!r}")
    return values


def main():
    action = yaml.safe_load(pathlib.Path(sys.argv[1]).read_text(encoding="utf-8"))
    given = json.loads(sys.argv[2])
    declared = action["inputs"]
    unknown = set(given) - set(declared)
    if unknown:
        sys.exit(f"unknown inputs {sorted(unknown)}")
    inputs = {k: str(given.get(k, v.get("default", ""))) for k, v in declared.items()}
    if action["runs"]["using"] != "composite":
        sys.exit("not a composite action")

    temp = pathlib.Path(os.environ["RUNNER_TEMP"])
    workspace = os.environ["GITHUB_WORKSPACE"]
    summary = temp / "step-summary.md"
    summary.write_text("")
    env = dict(os.environ, GITHUB_STEP_SUMMARY=str(summary))
    extra_path = []
    outputs, steps, status = {}, [], 0
    for n, step in enumerate(action["runs"]["steps"]):
        name = step.get("name", f"step {n}")
        if "uses" in step:
            if status != 0 and "always()" not in str(step.get("if", "")):
                steps.append({"name": name, "skipped": True})
                continue
            with_ = {k: INPUT.sub(lambda m: inputs[m.group(1)], str(v))
                     for k, v in step.get("with", {}).items()}
            steps.append({"name": name, "uses": step["uses"], "if": step.get("if"), "with": with_})
            continue
        if status != 0:
            steps.append({"name": name, "skipped": True})
            continue
        if step.get("shell") != "bash" or "if" in step:
            sys.exit(f"{name}: shell steps must be `shell: bash` with no `if`")
        script = substitute(step["run"], inputs, name)
        step_env = {k: substitute(v, inputs, f"{name} env {k}") for k, v in step.get("env", {}).items()}
        files = {}
        for var in ("GITHUB_OUTPUT", "GITHUB_ENV", "GITHUB_PATH"):
            files[var] = temp / f"{var.lower()}-{n}"
            files[var].write_text("")
        script_file = temp / f"step-{n}.sh"
        script_file.write_text(script, encoding="utf-8")
        run_env = dict(env, **step_env, **{k: str(v) for k, v in files.items()})
        run_env["PATH"] = os.pathsep.join(extra_path + [env["PATH"]])
        proc = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script_file)],
            cwd=workspace, env=run_env, capture_output=True, text=True,
        )
        steps.append({"name": name, "exit": proc.returncode, "stdout": proc.stdout, "stderr": proc.stderr})
        status = proc.returncode
        env.update(read_env_file(files["GITHUB_ENV"]))
        extra_path = [p for p in files["GITHUB_PATH"].read_text().splitlines() if p] + extra_path
        if "id" in step:
            outputs[step["id"]] = read_env_file(files["GITHUB_OUTPUT"])
    print(json.dumps({"status": status, "steps": steps, "outputs": outputs,
                      "summary": summary.read_text(encoding="utf-8")}))


main()
