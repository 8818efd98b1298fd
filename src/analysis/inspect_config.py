"""Which runs of a run configuration ``inspect --check --config FILE`` checks an export
against, and what each run's cut-off date must be (hostile round 20: a cut-off written
``2024-10-1`` was read as 2024-10-01, a list gave a pandas message, and a configuration whose
runs read another file was checked against this export without a word)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from analysis import paths
from analysis.data.errors import written
from analysis.pipeline.errors import ReportError
from analysis.pipeline.parameter_rules import shape_problem, value_problem


def run_name(stem: str, entry: dict[str, Any]) -> str:
    """The run's name as the runner gives it: the notebook's stem and the entry's suffix."""
    suffix = entry.get("suffix") or ""
    return f"{stem}-{suffix}" if suffix else stem


def cutoff_problem(config: Path, name: str, value: Any) -> str | None:
    """Why ``value``, the ``cutoff_date`` of run ``name`` of ``config``, is not one date
    written YYYY-MM-DD (the runner's own rule, :func:`~analysis.pipeline.parameter_rules.value_problem`)."""
    if value is None:
        return None  # the notebook's default
    problem = shape_problem("cutoff_date", value)
    if problem is None and not isinstance(value, str):
        problem = f"cutoff_date must be a date written YYYY-MM-DD; got {written(str(value)[:40])}"
    problem = problem or value_problem("cutoff_date", value)
    return None if problem is None else f"{config}: run '{name}': {problem}"


def reads_other_file(parameters: dict[str, Any], source: Path) -> str | None:
    """The participant file a run reads (``parameters``: the notebook's defaults and the run's
    own) when it is not ``source``."""
    named = parameters.get("participants_path")
    if not isinstance(named, str) or not named.strip():
        return None
    return None if Path(paths.resolve(named)).resolve() == Path(source).resolve() else named


def other_file_note(config: Path, source: Path, others: list[tuple[str, str]], kept: int) -> str | None:
    """Said when runs ``others`` (``(name, file)``) of ``config`` read another participant file
    than ``source``: a :class:`ReportError` when no run of the active study reads ``source``
    (``kept`` is 0), else a note naming the runs left out (their cut-off dates are protected with
    their own file, not with this one)."""
    if not others:
        return None
    listed = ", ".join(f"'{name}' reads {written(named)}" for name, named in others[:5])
    listed += f" and {len(others) - 5} more" if len(others) > 5 else ""
    if not kept:
        raise ReportError(f"{config} is a configuration for another file: no run of notebooks 02 or 03 of this "
                          f"study in it reads {source} ({listed}); name the configuration whose runs read this "
                          "file (participants_path), or check the file its runs read")
    return f"note: {config}: runs that read another file than {source} are not checked here: {listed}"
