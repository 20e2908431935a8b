"""Validate every TOML file of a registry against the JSON Schemas that
`vetted schema` wrote, the way an editor does: each file read with Python's
own TOML parser (tomllib), turned into JSON as Taplo does (dates and times
become ISO 8601 strings), and checked with `jsonschema`'s Draft 2020-12
validator, formats included.

Usage: validate_schemas.py SCHEMA_DIR REGISTRY_DIR

Every schema is checked against the 2020-12 meta-schema first (exit 2 when
one is not a valid schema). Then prints a JSON summary:
{"schemas": [names], "files": {"<path in the registry>": [errors]}},
an empty list for a valid file; the Rust test decides what must pass.
"""
import datetime
import json
import pathlib
import sys
import tomllib

import jsonschema

DRAFT = "https://json-schema.org/draft/2020-12/schema"
POLICY = ["vetted", "questionnaire", "tiers", "artifact-kinds"]
VENDOR = ["vendor", "answers", "artifacts", "findings", "exceptions"]


def as_json(value):
    """A tomllib value as Taplo's JSON view has it."""
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return value


def load_schemas(folder):
    schemas = {}
    for kind in POLICY + VENDOR:
        path = folder / f"{kind}.schema.json"
        schema = json.loads(path.read_text(encoding="utf-8"))
        try:
            jsonschema.Draft202012Validator.check_schema(schema)
        except jsonschema.SchemaError as e:
            print(f"{path.name} is not a valid schema: {e.message}", file=sys.stderr)
            sys.exit(2)
        if schema.get("$schema") != DRAFT:
            print(f"{path.name} does not declare draft 2020-12", file=sys.stderr)
            sys.exit(2)
        schemas[kind] = jsonschema.Draft202012Validator(
            schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
        )
    return schemas


def errors_of(validator, path):
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        return [f"not TOML: {e}"]
    found = validator.iter_errors(as_json(doc))
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in found]


def main():
    schema_dir, registry = (pathlib.Path(a) for a in sys.argv[1:3])
    schemas = load_schemas(schema_dir)
    files = {}
    for kind in POLICY:
        path = registry / f"{kind}.toml"
        files[f"{kind}.toml"] = errors_of(schemas[kind], path)
    for folder in sorted(p for p in (registry / "vendors").iterdir() if p.is_dir()):
        for kind in VENDOR:
            path = folder / f"{kind}.toml"
            if path.is_file():
                rel = path.relative_to(registry).as_posix()
                files[rel] = errors_of(schemas[kind], path)
    print(json.dumps({"schemas": sorted(schemas), "files": files}, indent=1))


main()
