"""Parse a YAML file with PyYAML (safe_load) and print it as JSON, for the
Rust test to inspect: the CI workflows `vetted init --ci` writes.

Usage: read_yaml.py FILE.yml
"""
import json
import sys

import yaml

with open(sys.argv[1], encoding="utf-8") as f:
    doc = yaml.safe_load(f)


def keys_as_text(node):
    # YAML 1.1 reads GitHub's `on:` key as the boolean true: name it as written.
    if isinstance(node, dict):
        return {("on" if k is True else str(k)): keys_as_text(v) for k, v in node.items()}
    if isinstance(node, list):
        return [keys_as_text(v) for v in node]
    return node


json.dump(keys_as_text(doc), sys.stdout)
