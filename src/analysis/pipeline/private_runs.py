"""Runs on private inputs: where they publish and where their failed notebooks go.

A run is *private* when one of its input path parameters (a name ending in ``_path`` or
``_file``) points outside the repository's shipped data, that is outside ``data/raw/`` or
into ``data/raw/private/``. Then, unless ``--reports`` names a folder, the invocation
publishes into ``reports-private/`` (git-ignored) instead of ``reports/``, so synthetic and
real outputs never mix in one folder; the executed notebook of a failed private run (which
may quote a private value) is kept beside the private data, in a ``failed/`` folder next to
the first private input, never in a published folder."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from analysis import paths

INPUT_SUFFIXES = ("_path", "_file")
PRIVATE_REPORTS = "reports-private"


def shipped_data() -> Path:
    return (paths.PROJECT_ROOT / "data" / "raw").resolve()


def private_inputs(parameters: dict[str, Any]) -> list[Path]:
    """The input paths of ``parameters`` outside the shipped data, in name order."""
    shipped, private = shipped_data(), shipped_data() / "private"
    found = []
    for name, value in sorted(parameters.items()):
        if not name.endswith(INPUT_SUFFIXES) or not isinstance(value, str) or not value.strip():
            continue
        target = Path(paths.resolve(value)).resolve()
        if shipped not in target.parents or private == target or private in target.parents:
            found.append(target)
    return found


def is_private(run: Any) -> bool:
    return bool(private_inputs(run.parameters))


def default_reports(runs: Iterable[Any], asked: Path | None) -> Path:
    """The reports folder of an invocation: ``asked`` (``--reports``) when given, else
    ``reports-private/`` when any run is private, else ``reports/``."""
    if asked is not None:
        return Path(asked)
    if any(is_private(r) for r in runs):
        return paths.PROJECT_ROOT / PRIVATE_REPORTS
    return paths.REPORTS


def failed_folder(run: Any, reports: Path) -> Path:
    """Where the executed notebook of a failed ``run`` is kept."""
    private = private_inputs(run.parameters)
    if private:
        return private[0].parent / "failed"
    return Path(reports) / "failed"
