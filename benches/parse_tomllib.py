#!/usr/bin/env python3
"""Reference for `vetted check`: only parse every TOML file of a registry with tomllib."""
import sys
import tomllib
from pathlib import Path

n = 0
for p in sorted(Path(sys.argv[1]).rglob("*.toml")):
    with open(p, "rb") as f:
        tomllib.load(f)
    n += 1
print(f"parsed {n} files", file=sys.stderr)
