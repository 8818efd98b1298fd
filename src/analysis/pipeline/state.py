"""Fingerprints and run state: what a run was made from (notebook cells, parameters,
input files, package sources and the lock) and whether its published outputs are current.

The state (``reports/.runner-state.json``) records, per run, the fingerprint and every
published file with its sha256; ``manifest.json`` is made from it. A run is current only when
its fingerprint matches and every file it published still has the recorded hash, so a file
changed or removed by hand makes its run rerun."""

from __future__ import annotations

import hashlib
import hmac
import json
from pathlib import Path
from typing import Any

from analysis import paths
from analysis.data.digests import sha256_of
from analysis.data.errors import written
from analysis.files import sha256_bytes, sha256_file, sha256_published, source_hash, write_text_atomically
from analysis.pipeline.bookkeeping_limits import BookkeepingTooLarge, read_bounded_json, set_aside_command
from analysis.pipeline.errors import ReportError
from analysis.pipeline.fs_safety import leaves
from analysis.pipeline.runs import NotebookRun
from analysis.private_data import is_shipped, key
from analysis.study.load import study_files

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
    """What decides whether a run is current. A run that reads a private input (anything
    but a shipped file) gets a keyed fingerprint (HMAC under the provenance key): the state
    lies in the published folder, and a plain hash over the file's bytes and name would let
    anyone holding a near-copy confirm a guess of its contents."""
    files = run.input_files()
    private = any(not is_shipped(p) for p in files)
    parts = {
        "notebook": notebook_source_hash(run.notebook),
        "parameters": json.dumps(run.parameters, sort_keys=True, default=str),
        "inputs": {p.as_posix(): sha256_of(p) for p in files},  # once per process (data.digests)
        # the study's own files (study, exhibits, facts): an edited study file makes its runs stale
        "study": {p.as_posix(): sha256_of(p) for p in study_files(run.parameters.get("study"))},
        "code": shared_code_hash,
    }
    payload = json.dumps(parts, sort_keys=True).encode()
    return "hmac:" + hmac.new(key(), payload, hashlib.sha256).hexdigest() if private else sha256_bytes(payload)


def state_problem(data: Any) -> str | None:
    """What is wrong with a state read from disk (None: well formed)."""
    if not isinstance(data, dict):
        return "it is not a JSON object"
    for name, entry in data.items():
        if not isinstance(entry, dict):
            return f"the entry of run {written(name[:40])} is not an object"
        outputs = entry.get("outputs")
        if outputs is not None and not (isinstance(outputs, dict) and all(
                isinstance(k, str) and isinstance(v, str) for k, v in outputs.items())):
            return f"the outputs of run {written(name[:40])} are not a mapping of paths to hashes"
        if outputs and (out := next((rel for rel in outputs if leaves(rel)), None)) is not None:
            return (f"run {written(name[:40])} lists an output outside the reports folder ({written(out[:80])}); "
                    "the runner writes none there")
        if not isinstance(entry.get("parameters", {}), dict) or not isinstance(entry.get("notebook", ""), str):
            return f"the parameters or notebook of run {written(name[:40])} are malformed"
    return None


def read_state(reports: Path, log=None) -> dict[str, Any]:
    """The run state; a damaged one (unreadable or of the wrong shape) is ``{}``: every run
    runs again. With ``log`` the damaged file is set aside as ``.runner-state.damaged.json``
    and one line says so."""
    f = reports / STATE_FILE
    data, problem = _read(f)
    if problem is None:
        return data or {}
    if log is not None:
        f.replace(reports / ".runner-state.damaged.json")
        log(f"report: {f} was damaged ({problem}); set aside as .runner-state.damaged.json: every run "
            "runs again and republishes its files")
    return {}


def _read(f: Path) -> tuple[Any, str | None]:
    """The state in ``f`` and what is wrong with it (None: sound, or no state yet). A state
    beyond the runner's bounds (:mod:`analysis.pipeline.bookkeeping_limits`) is refused, not
    read: a :class:`ReportError` with the command that sets it aside."""
    if not f.is_file():
        return {}, None
    try:
        data = read_bounded_json(f)
        return data, state_problem(data)
    except BookkeepingTooLarge as exc:
        raise ReportError(f"{f} is not a run state the runner wrote ({exc}). Nothing was run. Set it aside "
                          f"({set_aside_command(f, str(f))}) and run again: every run then runs again and "
                          "republishes its files.") from None
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError):
        return None, "it is not valid JSON"


def state_damage(reports: Path) -> str | None:
    """What is wrong with the state of ``reports`` (None: sound or none), read without
    setting anything aside (a dry run says it; the next real run sets the file aside)."""
    return _read(reports / STATE_FILE)[1]


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
        if sha256_published(f) != digest:
            return f"{rel} was changed after publication (hash differs from the manifest)"
    return None
