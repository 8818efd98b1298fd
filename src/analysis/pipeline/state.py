"""Fingerprints and run state: what a run was made from (notebook cells, parameters,
input files, package sources and the lock) and whether its published outputs are current.

The state (``reports/.runner-state.json``) records, per run, the fingerprint and every
published file with its sha256; ``manifest.json`` is made from it. A run is current only when
its fingerprint matches and every file it published still has the recorded hash, so a file
changed or removed by hand makes its run rerun."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from analysis import paths
from analysis.files import sha256_bytes, sha256_file, source_hash, write_text_atomically
from analysis.pipeline.runs import NotebookRun

STATE_FILE = ".runner-state.json"


def notebook_source_hash(nb_path: Path) -> str:
    """Hash of what a notebook *does*: cell types, sources and tags, not outputs, so a
    notebook saved from JupyterLab with outputs does not count as changed."""
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    cells = [(c.get("cell_type"), "".join(c.get("source", "")),
              sorted(c.get("metadata", {}).get("tags", []))) for c in nb.get("cells", [])]
    return sha256_bytes(json.dumps(cells, sort_keys=True).encode())


def code_hash(lock: Path = paths.PROJECT_ROOT / "requirements.lock") -> str:
    """Every source file of the package (all subpackages) and the lock file."""
    lock_hash = sha256_file(lock) if lock.is_file() else ""
    return sha256_bytes(f"{source_hash()}:{lock_hash}".encode())


def fingerprint(run: NotebookRun, shared_code_hash: str) -> str:
    parts = {
        "notebook": notebook_source_hash(run.notebook),
        "parameters": json.dumps(run.parameters, sort_keys=True, default=str),
        "inputs": {p.as_posix(): sha256_file(p) for p in run.input_files()},
        "code": shared_code_hash,
    }
    return sha256_bytes(json.dumps(parts, sort_keys=True).encode())


def read_state(reports: Path) -> dict[str, Any]:
    f = reports / STATE_FILE
    if not f.is_file():
        return {}
    try:
        return json.loads(f.read_text(encoding="utf-8"))
    except json.JSONDecodeError:
        return {}


def write_state(reports: Path, state: dict[str, Any]) -> None:
    write_text_atomically(reports / STATE_FILE, json.dumps(state, indent=2, sort_keys=True) + "\n")


def stale_reason(run: NotebookRun, fp: str, state: dict[str, Any], reports: Path) -> str | None:
    """Why ``run`` must run again (``None``: its published outputs are current)."""
    entry = state.get(run.name)
    if not entry:
        return "never run"
    if entry.get("status") != "ok":
        return "last run failed"
    if entry.get("fingerprint") != fp:
        return "notebook, parameters, inputs or code changed"
    outputs = entry.get("outputs")
    if not isinstance(outputs, dict):
        return "made by an older runner (no output hashes)"
    for rel, digest in sorted(outputs.items()):
        f = reports / rel
        if not f.is_file():
            return f"{rel} is missing"
        if sha256_file(f) != digest:
            return f"{rel} was changed after publication (hash differs from the manifest)"
    return None


def is_current(run: NotebookRun, fp: str, state: dict[str, Any], reports: Path) -> bool:
    return stale_reason(run, fp, state, reports) is None
