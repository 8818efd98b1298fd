"""Published files changed by hand: a file under the reports folder whose bytes differ from
the hash ``manifest.json`` lists for it, or that is gone. The next run replaces each (its run
runs again; the landing page and its downloads are rewritten), and says so first: which file,
what happened to it, and where a changed file's hand-made copy is kept (hostile round 13,
issue 28: the next run repaired such a file without a word, and the edit was lost)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from analysis.files import replace_atomically, sha256_published
from analysis.pipeline.fs_safety import inside
from analysis.pipeline.publish import last_manifest, manifest_problem
from analysis.terminal_text import visible

TAMPERED = ".tampered"  # the changed files' copies, by their place under the reports folder
SHOWN = 5  # files named in the line; the rest are counted


def tampered_files(reports: Path) -> list[tuple[str, str]]:
    """``(path, 'changed' | 'removed')`` for every file of the last publication that no longer
    has the hash the manifest lists (none when there is no sound manifest: a damaged one is
    refused on its own, :func:`analysis.pipeline.publish.manifest_problem`)."""
    if not (reports / "manifest.json").is_file() or manifest_problem(reports):
        return []
    found = []
    for rel, digest in sorted(last_manifest(reports).items()):
        path = reports / rel
        if not path.is_file():
            found.append((rel, "removed"))
        elif sha256_published(path) != digest:
            found.append((rel, "changed"))
    return found


def keep_copies(reports: Path, tampered: list[tuple[str, str]]) -> Path:
    """A copy of every changed file under ``reports/.tampered/`` (replacing earlier copies of
    the same file), so the hand-made edit outlives the run that replaces it."""
    kept = reports / TAMPERED
    for rel, how in tampered:
        if how == "changed":
            target = inside(kept, rel)
            target.parent.mkdir(parents=True, exist_ok=True)
            replace_atomically(target, lambda tmp, src=reports / rel: shutil.copyfile(src, tmp))  # never into a link
    return kept


def left_alone(tampered: list[tuple[str, str]], state: dict[str, Any], invoked: set[str]) -> list[str]:
    """The tampered files of runs this invocation does not run (``--only``, a configuration
    without them): they stay as they are until a run that includes theirs."""
    owner = {rel: name for name, entry in state.items() for rel in (entry.get("outputs") or {})}
    return [rel for rel, _ in tampered if rel in owner and owner[rel] not in invoked]


def tamper_message(tampered: list[tuple[str, str]], kept: str | None, alone: list[str] = ()) -> str:
    """One line: what changed and what the run does about it (``kept``: where the copies are;
    None: a dry run, which keeps none; ``alone``: files of runs not in this invocation)."""
    named = ", ".join(f"{visible(rel)} ({how})" for rel, how in tampered[:SHOWN])
    more = f" and {len(tampered) - SHOWN} more" if len(tampered) > SHOWN else ""
    changed = any(how == "changed" for _, how in tampered)
    if kept is None:
        done = ("the next report run replaces each with what the runner publishes"
                + (" and keeps a copy of each changed file in .tampered/" if changed else ""))
    else:
        done = ("each is replaced with what the runner publishes (its run runs again; the landing page is "
                "rewritten)" + (f"; a copy of each changed file is kept in {kept}" if changed else ""))
    if alone:
        done += (f". {len(alone)} of them belong to runs this invocation does not run ({visible(alone[0])}"
                 f"{', ...' if len(alone) > 1 else ''}) and stay as they are until a report run that includes them")
    return (f"report: {len(tampered)} published file(s) differ from manifest.json (changed or removed by hand "
            f"after publication): {named}{more}; {done}")
