#!/usr/bin/env python3
"""Generate the Hugo reference site for the benchmark: one Markdown page per
vendor of a generated registry, holding the same text (vendor.toml, answers,
artifacts, findings as definition lists and tables, notes as Markdown), with a
minimal theme that lists all pages on the home page and renders each page
with a table of contents. Hugo then builds the same number of pages of
equivalent size and content.

    gen_hugo_site.py REGISTRY OUT
"""
import sys
import tomllib
from pathlib import Path

reg, out = Path(sys.argv[1]), Path(sys.argv[2])
(out / "content" / "vendors").mkdir(parents=True, exist_ok=True)
(out / "layouts" / "_default").mkdir(parents=True, exist_ok=True)
(out / "config.toml").write_text('baseURL = "/"\ntitle = "Registry"\ndisableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n')
(out / "layouts" / "_default" / "baseof.html").write_text(
    "<!doctype html><html><head><title>{{ .Title }}</title></head><body><main>{{ block \"main\" . }}{{ end }}</main></body></html>\n")
(out / "layouts" / "_default" / "single.html").write_text(
    "{{ define \"main\" }}<h1>{{ .Title }}</h1><nav>{{ .TableOfContents }}</nav>{{ .Content }}{{ end }}\n")
(out / "layouts" / "_default" / "list.html").write_text(
    "{{ define \"main\" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n")
(out / "layouts" / "index.html").write_text(
    "<!doctype html><html><body><ul>{{ range .Site.RegularPages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul></body></html>\n")

def section(title, value, depth=2):
    lines = [f"{'#' * depth} {title}", ""]
    if isinstance(value, dict):
        for k, v in value.items():
            if isinstance(v, (dict, list)) and v and all(isinstance(x, dict) for x in (v if isinstance(v, list) else [v])):
                lines += section(k, v, depth + 1)
            else:
                lines.append(f"- **{k}**: {v}")
    elif isinstance(value, list):
        for item in value:
            lines += section(item.get("title") or item.get("name") or item.get("id") or title, item, depth + 1)
    lines.append("")
    return lines

n = 0
for d in sorted((reg / "vendors").iterdir()):
    v = tomllib.loads((d / "vendor.toml").read_text())
    body = [f'---\ntitle: "{v["name"]}"\n---', ""]
    body += section("Profile", v)
    for f in ["answers.toml", "artifacts.toml", "findings.toml", "exceptions.toml"]:
        if (d / f).exists():
            body += section(f[:-5].capitalize(), tomllib.loads((d / f).read_text()))
    if (d / "notes.md").exists():
        body += ["## Notes", "", (d / "notes.md").read_text()]
    (out / "content" / "vendors" / f"{d.name}.md").write_text("\n".join(body))
    n += 1
print(f"{n} pages", file=sys.stderr)
