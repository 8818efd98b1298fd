"""Publishing into ``reports/``: promotion of staged files, the index page and the
manifest of every output file with its sha256."""

from __future__ import annotations

import html
import json
import os
from pathlib import Path
from typing import Any

from analysis.files import sha256_file, write_text_atomically


def promote(staging: Path, reports: Path) -> list[str]:
    """Move every staged file to the same relative place under ``reports`` (each file is
    replaced atomically) and return the relative paths."""
    moved = []
    for f in sorted(p for p in staging.rglob("*") if p.is_file()):
        rel = f.relative_to(staging)
        dest = reports / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        os.replace(f, dest)
        moved.append(rel.as_posix())
    return moved


def write_index(reports: Path, state: dict[str, Any]) -> Path:
    rows = []
    for name in sorted(state):
        e = state[name]
        params = html.escape(json.dumps(e.get("parameters", {}), sort_keys=True, ensure_ascii=False))
        status = html.escape(e.get("status", "?"))
        links = (f'<a href="reviewer/{html.escape(name)}.html">reviewer</a> · '
                 f'<a href="full/{html.escape(name)}.html">full</a>') if status == "ok" else "–"
        rows.append(f"<tr><td>{html.escape(name)}</td><td>{links}</td><td><code>{params}</code></td>"
                    f"<td>{e.get('duration', 0):.1f} s</td><td class='{status}'>{status}</td></tr>")
    body = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>VWNW evaluation: rendered notebooks</title><link rel="icon" href="data:,">
<style>body{{font-family:sans-serif;max-width:70em;margin:2em auto}}table{{border-collapse:collapse}}
td,th{{border:1px solid #ccc;padding:.3em .6em;text-align:left}}.ok{{color:#060}}.failed{{color:#b00}}</style>
</head><body>
<h1>VWNW evaluation: rendered notebooks</h1>
<p>Produced by <code>make report</code>. <em>Reviewer</em> pages hide code; <em>full</em> pages show it.
Participant figures are computed from the <strong>synthetic</strong> participant file unless a run's
parameters name another file. Every output file and its sha256 is listed in
<a href="../manifest.json">manifest.json</a>.</p>
<table><thead><tr><th>run</th><th>HTML</th><th>parameters</th><th>run time</th><th>status</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody></table>
</body></html>
"""  # noqa: E501 (HTML)
    out = reports / "html" / "index.html"
    write_text_atomically(out, body)
    return out


def write_manifest(reports: Path) -> Path:
    files = sorted(p for p in reports.rglob("*") if p.is_file()
                   and not any(part.startswith(".") for part in p.relative_to(reports).parts)
                   and p.name != "manifest.json")
    manifest = {p.relative_to(reports).as_posix(): sha256_file(p) for p in files}
    out = reports / "manifest.json"
    write_text_atomically(out, json.dumps({"files": manifest}, indent=2, sort_keys=True) + "\n")
    return out
