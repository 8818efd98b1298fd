"""Which route reads a pilot's input files. A case managers' export is read through its
mapping (:mod:`analysis.pilot.from_export`) when the path is the mapping file (``.yml``) or
the export has ``<stem>.mapping.yml`` beside it; any other file is read in the codebook's
columns (:mod:`analysis.pilot.schema`, :mod:`analysis.pilot.history`). The notebooks need no
other change than their ``participants_path``.

The choice sits above the three modules it chooses between, so that none of them imports
another's route (from_export validates with schema's and history's rules)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.data.errors import InputError, Problem
from analysis.data.file_pairs import source_path
from analysis.pilot import history as pilot_history, schema
from analysis.pilot.from_export import load_export_cached, load_status_history, mapping_path, read_participant_mapping
from analysis.private_data import is_shipped
from analysis.study import load_study


def load_participants(path, processed_dir=None) -> pd.DataFrame:
    """Load and validate a participant file (CSV, ``;``-CSV, Excel or Parquet) or a case
    managers' export through its mapping; with ``processed_dir``, keep the validated frame
    there as Parquet (see ``analysis.data.processed``)."""
    if mapping_path(path) is not None:
        return load_export_cached(path, processed_dir)
    return schema.load_participant_file(path, processed_dir)


def participant_inputs(path) -> dict:
    """The files a participant load reads, for provenance: the file itself, and with the
    mapping route the export and its mapping."""
    mapping = mapping_path(path)
    if mapping is None:
        return {"participants": path}
    return {"participants": source_path(mapping), "participants_mapping": mapping}


def load_history_for(participants_path, status_history_path, participants: pd.DataFrame,
                     processed_dir=None) -> pd.DataFrame | None:
    """The status history that goes with a participant file: the export's own
    ``status_history`` sheet on the mapping route, else the history file
    ``status_history_path`` (validated against ``participants``); ``None`` when there is
    none (empty path, or a mapping without a status history). With ``processed_dir`` the
    validated history is kept there as Parquet like the participant file
    (:func:`analysis.pilot.history.load_history_cached`)."""
    mapping = mapping_path(participants_path)
    if mapping is not None:
        has = "status_history" in read_participant_mapping(mapping).records
        _refuse_history_beside(status_history_path, mapping, has)
        return load_status_history(participants_path) if has else None
    if not status_history_path:
        return None
    if processed_dir is None or not Path(status_history_path).is_file() or not Path(participants_path).is_file():
        return pilot_history.load_history(status_history_path, participants)
    return pilot_history.load_history_cached(Path(status_history_path), Path(participants_path), participants,
                                             Path(processed_dir))


def _refuse_history_beside(status_history_path, mapping: Path, has: bool) -> None:
    """A history file named beside an export read through its mapping is not read (the mapping
    says where the history is): refused, so that nobody believes it was (hostile round 19: another
    study's history was named and ignored without a word). The notebooks' default, a shipped
    synthetic history, is no choice of the evaluator's and passes."""
    if not status_history_path or _notebook_default(status_history_path):
        return
    where = "its status_history sheet" if has else "no status history (the mapping names none)"
    raise InputError(Path(status_history_path), [Problem(
        f"status_history_path is not read when the participants come through the mapping {Path(mapping).name}, which "
        f"gives {where}: leave status_history_path out of the run, or add the history to the mapping")])


def _notebook_default(path) -> bool:
    """Whether ``path`` is the notebooks' default history: the shipped synthetic history of the
    active study or of the default study (recheck of round 19: any shipped file passed, another
    study's history among them)."""
    own = [schema.STUDY.synthetic.get("status_history"),
           load_study(schema.DEFAULT_STUDY).synthetic.get("status_history")]
    target = Path(paths.resolve(str(path))).resolve()
    return is_shipped(path) and any(o and (paths.PROJECT_ROOT / o).resolve() == target for o in own)
