"""What a pilot run reads: the participant file, its status history, and the cut-off dates
protected together. Pure functions of the run's parameters (no configuration file is read:
the runner passes the invocation's dates as ``joint_cutoffs``)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from analysis import paths, synthetic_seal
from analysis.data.file_pairs import data_files
from analysis.pilot import history as pilot_history, tables as pilot_tables
from analysis.pilot.inputs import load_history_for, load_participants, participant_inputs
from analysis.pilot.schema import study_inputs, use_study
from analysis.pilot.study_synthetic import generate_for_active_study
from analysis.private_data import in_private_folder, private_dir
from analysis.study import DEFAULT_STUDY


def participants_and_history(p: dict[str, Any]) -> tuple[pd.DataFrame, pd.DataFrame | None, dict]:
    """The validated participant frame, its status history (or None) and the input files
    for provenance. ``synthetic_n > 0`` (notebook 03's scale check) draws a synthetic file
    of that size in memory instead."""
    study = use_study(str(p.get("study") or DEFAULT_STUDY))  # first: the pilot modules read its vocabulary
    if int(p.get("synthetic_n") or 0) > 0:
        return generate_for_active_study(int(p["synthetic_n"])), None, {"study": study.source}
    read = paths_read(p)
    participants_path, history_path = read["participants_path"], read.get("status_history_path", "")
    path = paths.resolve(participants_path)
    processed = cache_folder(p, path)
    participants = load_participants(path, processed)
    history_path = history_path and paths.resolve(history_path)
    history = load_history_for(path, history_path, participants, processed)
    inputs = participant_inputs(path)
    if history is not None and history_path and "participants_mapping" not in inputs:
        inputs["status_history"] = history_path
    return participants, history, {**inputs, "study": study.source}


def paths_read(p: dict[str, Any]) -> dict[str, str]:
    """The run's ``participants_path`` and ``status_history_path`` (those it has) as the run
    reads them: a study's own synthetic files in place of the default study's
    (:func:`analysis.pilot.schema.study_inputs`; the study must be active). The run's
    parameters take these, so that its provenance names the files read (hostile round 15, H12)."""
    participants_path, history_path = study_inputs(p["participants_path"], p.get("status_history_path") or "")
    read = {"participants_path": participants_path}
    return read | ({"status_history_path": history_path} if "status_history_path" in p else {})


def cache_folder(p: dict[str, Any], participants: Path):
    """Where the validated copy of the input is kept: ``processed_dir``; for a private input
    (in the private folder, or a file the project did not make: the runner's rule,
    ``pipeline.private_runs.makes_run_private``), the private folder's ``processed/`` (a copy
    of personal data belongs nowhere else: found by the hostile tester, who put one in ``/``).
    A generated file's copy goes where asked: its run's kernel may not open the private folder."""
    given = p.get("processed_dir")
    if not given:
        return None
    if any(in_private_folder(f) or not synthetic_seal.made_by_project(f) for f in data_files(participants)):
        folder = private_dir()
        asked = paths.resolve(given).resolve()
        return asked if asked == folder or folder in asked.parents else folder / "processed"
    return paths.resolve(given)


def joint_dates(p: dict[str, Any], history: pd.DataFrame | None, recorded: Iterable[str] = ()) -> list[str]:
    """The cut-off dates protected together: the snapshot dates, the run's own, those the
    runner passes for the invocation (``joint_cutoffs``) and those earlier releases of the
    study published (``recorded``, from the ledger). Each must lie within the history."""
    span = pilot_history.history_span(history) if history is not None else None  # once for every date
    own = pilot_history.check_cutoff(str(p.get("cutoff_date")), history, span)
    extra = [*_as_dates(p.get("joint_cutoffs")), *recorded]
    checked = []
    for date in extra:
        try:
            checked.append(pilot_history.check_cutoff(date, history, span))
        except ValueError as exc:
            raise ValueError(f"the cut-off date {date}, published for this study by this invocation or an earlier "
                             f"release (the private ledger), cannot be protected together with this run: {exc}. A "
                             "release at a date the file cannot give its status on could be differenced with the "
                             "earlier one; give the file its status history (status_history_path) that covers "
                             f"{date}.") from None
    return pilot_tables.joint_cutoffs([own, *checked])


def _as_dates(value) -> list[str]:
    if value in (None, "", []):
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    return [str(v) for v in value]


def with_dates(participants: pd.DataFrame, history: pd.DataFrame | None, dates: list[str]) -> pd.DataFrame:
    """The participant frame with a status column for every date."""
    return pilot_history.with_cutoffs(participants, history, dates)
