"""Publishing into ``reports/``: promotion of staged files, the index page and the
manifest of every output file with its sha256."""

from __future__ import annotations

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
    """The landing page and the files it links to (see :mod:`analysis.pipeline.site`)."""
    from analysis.pipeline.site import write_site

    return write_site(reports, state)


def write_manifest(reports: Path) -> Path:
    files = sorted(p for p in reports.rglob("*") if p.is_file()
                   and not any(part.startswith(".") for part in p.relative_to(reports).parts)
                   and p.name != "manifest.json")
    manifest = {p.relative_to(reports).as_posix(): sha256_file(p) for p in files}
    out = reports / "manifest.json"
    write_text_atomically(out, json.dumps({"files": manifest}, indent=2, sort_keys=True) + "\n")
    return out
