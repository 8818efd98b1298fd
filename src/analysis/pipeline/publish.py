"""Publishing into ``reports/``: a finished run's staged files, the index page and the
manifest of every published file with its sha256 (made from the run state, so the two
always agree). Promotion itself is all-or-nothing through :mod:`analysis.pipeline.journal`."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from analysis.files import sha256_file, write_text_atomically


def staged_outputs(staging: Path) -> dict[str, str]:
    """Every staged file, by its path relative to the staging folder (= its place under
    ``reports``), with its sha256."""
    return {f.relative_to(staging).as_posix(): sha256_file(f)
            for f in sorted(p for p in staging.rglob("*") if p.is_file())}


def published_files(state: dict[str, Any]) -> dict[str, str]:
    """Every file the state says is published, with its sha256."""
    files: dict[str, str] = {}
    for entry in state.values():
        outputs = entry.get("outputs")
        if isinstance(outputs, dict):
            files.update(outputs)
    return files


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
"""
    out = reports / "html" / "index.html"
    write_text_atomically(out, body)
    return out


def manifest_text(reports: Path, state: dict[str, Any], extra: list[Path]) -> str:
    """The manifest: every run's published files (hashes from the state) plus ``extra``
    files written beside them (the index), hashed now."""
    files = published_files(state)
    files.update({p.relative_to(reports).as_posix(): sha256_file(p) for p in extra if p.is_file()})
    return json.dumps({"files": dict(sorted(files.items()))}, indent=2, sort_keys=True) + "\n"


def write_manifest(reports: Path, state: dict[str, Any], extra: list[Path]) -> Path:
    out = reports / "manifest.json"
    text = manifest_text(reports, state, extra)
    if not out.is_file() or out.read_text(encoding="utf-8") != text:
        write_text_atomically(out, text)
    return out
