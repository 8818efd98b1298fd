"""Publishing into ``reports/``: a finished run's staged files, the index page and the
manifest of every published file with its sha256 (made from the run state, so the two
always agree). Promotion itself is all-or-nothing through :mod:`analysis.pipeline.journal`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from analysis.files import sha256_file, sha256_published, write_text_atomically
from analysis.pipeline.bookkeeping_limits import depth_problem, size_problem
from analysis.pipeline.fs_safety import first_link, leaves
from analysis.terminal_text import visible

WRITTEN = ".written"  # analysis.pipeline.export.WRITTEN: what the notebook's writer wrote


def staged_outputs(staging: Path, only_written: bool = False) -> dict[str, str]:
    """Every staged file, by its path relative to the staging folder (= its place under
    ``reports``), with its sha256. A symbolic link (or a pipe, a device) among them is a
    ``ValueError``: it would be published as a link pointing anywhere. With ``only_written``
    (a run on a private input), a table or figure the notebook's writer did not write, or that
    was changed after it wrote it, is a ``ValueError`` too."""
    link = first_link(staging)
    if link is not None:
        raise ValueError(f"it wrote {link.relative_to(staging)} as a symbolic link; outputs must be plain files "
                         "(nothing was published)")
    odd = [p for p in staging.rglob("*") if not p.is_file() and not p.is_dir()]
    if odd:
        raise ValueError(f"it wrote {odd[0].relative_to(staging)}, which is not a plain file (nothing was published)")
    files = {f.relative_to(staging).as_posix(): sha256_file(f)
             for f in sorted(p for p in staging.rglob("*") if p.is_file())}
    written = _written_by_the_writer(staging)
    files.pop(WRITTEN, None)
    for rel, digest in files.items() if only_written else ():
        if rel.split("/", 1)[0] in ("executed", "html"):
            continue  # the runner's own: the executed notebook and its pages
        if written.get(rel) != digest:
            raise ValueError(f"it wrote {rel} other than through run.table/run.figure (ReportOutputs), or changed "
                             "it afterwards; only what the writer wrote, after its checks, is published (nothing "
                             "was published)")
    return files


def _written_by_the_writer(staging: Path) -> dict[str, str]:
    """path -> sha256 of every file ReportOutputs recorded writing (its last write counts)."""
    record = staging / WRITTEN
    out: dict[str, str] = {}
    if record.is_file():
        for line in record.read_text(encoding="utf-8").splitlines():
            digest, _, rel = line.partition("  ")
            out[rel] = digest
    return out


def published_files(state: dict[str, Any]) -> dict[str, str]:
    """Every file the state says is published, with its sha256."""
    files: dict[str, str] = {}
    for entry in state.values():
        outputs = entry.get("outputs")
        if isinstance(outputs, dict):
            files.update(outputs)
    return files


RUN_FOLDERS = ("tables", "figures", "executed", "html/reviewer", "html/full")  # what runs publish, file by file
OWN_FILES = {"manifest.json"}  # the runner's own, beside its dot-files, failed/ and make pdf's pdf/


def orphaned_files(reports: Path, state: dict[str, Any]) -> list[str]:
    """Files of the last publication whose run the state no longer names: ``manifest.json``
    lists them under a run folder with the hash their bytes still have, and no run of
    ``state`` lists them. Only a lost run state leaves such files (``.runner-state.json``
    deleted, or set aside as damaged): they are the publication's, not files no run published
    (hostile round 15, H4: the folder was refused for good). The next run of the whole
    configuration replaces or removes them. Hashed only when the state does not list them."""
    listed = set(published_files(state))
    folders = tuple(f"{folder}/" for folder in RUN_FOLDERS)
    found = []
    for rel, digest in sorted(last_manifest(reports).items()):
        if rel in listed or not rel.startswith(folders) or leaves(rel):
            continue
        f = reports / rel
        if f.is_file() and not f.is_symlink() and sha256_published(f) == digest:
            found.append(rel)
    return found


def stray_files(reports: Path, state: dict[str, Any]) -> list[str]:
    """Files in ``reports`` that no run published and the runner did not write: a notebook
    cell that wrote into the published folder directly (the eighth intruder's debug counts in
    ``reports-private/tables/`` survived every later publication). Under the runs' folders
    every file must be in the state or be one of the last publication's whose run the state
    lost (:func:`orphaned_files`); beside them only the runner's own files."""
    listed = set(published_files(state)) | set(orphaned_files(reports, state))
    found = [f.name for f in reports.iterdir() if f.is_file() and not f.name.startswith(".")
             and f.name not in OWN_FILES] if reports.is_dir() else []
    for folder in RUN_FOLDERS:
        base = reports / folder
        if base.is_dir():
            found += [rel for f in base.rglob("*") if f.is_file()
                      and (rel := f.relative_to(reports).as_posix()) not in listed]
    site = set(last_manifest(reports))  # the landing pages and their downloads, as last published
    if (reports / "html").is_dir():  # beside the runs' pages (found by the fifth hostile tester)
        found += [rel for f in (reports / "html").rglob("*") if f.is_file()
                  and (rel := f.relative_to(reports).as_posix()) not in listed | site
                  and not rel.startswith(("html/reviewer/", "html/full/"))]
    return sorted(found)


def manifest_problem(reports: Path) -> str | None:
    """What is wrong with ``reports/manifest.json`` when it exists but is no manifest (not
    JSON, not UTF-8, not a mapping of ``files`` to hashes): the landing pages it lists could
    no longer be told from files no run published. None when it is missing or sound."""
    path = reports / "manifest.json"
    if not path.exists() and not path.is_symlink():
        return None
    if too_large := size_problem(path):
        return too_large
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
        files = data.get("files")
    except (OSError, ValueError, AttributeError, RecursionError) as exc:
        return type(exc).__name__ if not isinstance(exc, ValueError) else "it is not valid JSON"
    if too_deep := depth_problem(data):
        return too_deep
    if not isinstance(files, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in files.items()):
        return "it holds no mapping of 'files' to their hashes"
    if (out := next((rel for rel in files if leaves(rel)), None)) is not None:  # hashed before a run: never outside
        return f"it lists a file outside the reports folder ({visible(out[:80])}); the runner lists none there"
    return None


def last_manifest(reports: Path) -> dict[str, str]:
    """The files of the last publication (``manifest.json``; empty if none, unreadable or
    beyond the bounds of :func:`manifest_problem`, which refuses it first)."""
    if size_problem(reports / "manifest.json"):
        return {}
    try:
        files = json.loads((reports / "manifest.json").read_text(encoding="utf-8")).get("files")
    except (OSError, ValueError, AttributeError):
        return {}
    return files if isinstance(files, dict) else {}


def write_index(reports: Path, state: dict[str, Any]) -> Path:
    """The landing page and the files it links to (see :mod:`analysis.pipeline.site`)."""
    from analysis.pipeline.site import write_site  # on use: the no-op rerun starts without pandas and matplotlib
    return write_site(reports, state)


def manifest_text(reports: Path, state: dict[str, Any], extra: list[Path]) -> str:
    """The manifest: every run's published files (hashes from the state) plus ``extra``
    files written beside them (the index), hashed now."""
    files = published_files(state)
    files.update({p.relative_to(reports).as_posix(): sha256_published(p) for p in extra if p.is_file()})
    return json.dumps({"files": dict(sorted(files.items()))}, indent=2, sort_keys=True) + "\n"


def write_manifest(reports: Path, state: dict[str, Any], extra: list[Path]) -> Path:
    out = reports / "manifest.json"
    text = manifest_text(reports, state, extra)
    if not out.is_file() or out.read_text(encoding="utf-8") != text:
        write_text_atomically(out, text)
    return out
