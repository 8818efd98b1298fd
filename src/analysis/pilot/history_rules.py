"""Rules of a status history beside those of :func:`analysis.pilot.history.history_problems`
(a participant's record, one status per day, final outflow, a status by each cut-off), for
both routes (a history CSV beside the participant file; the status sheet of an export):

- **a row recorded twice** (same person, date and status) is an error: a history holds one
  row per change; a copied row, harmless for the statuses, is the mark of an export pasted
  twice or of a change entered twice, and the evaluator corrects the file rather than the
  reading hiding it. The same status on two dates is no copy (it may be re-entered after
  another) and stays accepted;
- **a status dated before the person's inflow** (``instroomdatum``) is an error: a person
  has no status in the pilot before entering it, so the date or the inflow date is wrong (a
  mistyped year), and any count at an earlier cut-off would be wrong with it;
- **a status dated more than a year after the study's follow-up date, or after today** is an
  error: it lies outside every cut-off and would be left out without a word (``2042`` typed
  for ``2024``); a record just after the follow-up date stays accepted.

Both are errors, as the other history rules are, each naming the row, the column, the value
and the rule. A service record dated before the person's inflow is refused the same way (a
service before the pilot is no service of it); a service recorded twice is not refused (two
sessions of one service on one day are no copy, and a service counts once either way).

Kept apart from :mod:`analysis.pilot.history`, which is tuned for speed, and written with
pandas' own vectorised ``duplicated`` and a join on the person.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analysis.study.model import LATE_RECORDS_MONTHS, latest_record

RECORD = ["deelnemer_id", "datum", "status"]


class Issue(NamedTuple):
    """A problem of one record, as :class:`analysis.pilot.history.Issue` has it (``row``: the
    record's position in the history frame); its own class so that this module does not import
    the history module that calls it."""

    row: int
    person: str
    column: str
    rule: str


def duplicate_issues(history: pd.DataFrame, where: Callable[[int], str]) -> list[Issue]:
    """Each row that repeats an earlier row's person, date and status; ``where(i)`` names
    row ``i`` (the frame's position) as the route shows it."""
    frame = history[RECORD].reset_index(drop=True)
    copies = frame.duplicated(RECORD, keep="first").to_numpy()
    if not copies.any():
        return []
    first = frame.reset_index().groupby(RECORD, sort=False, dropna=False, observed=True)["index"].transform("min")
    rows, persons = np.flatnonzero(copies), frame["deelnemer_id"].to_numpy(dtype=object)
    originals = first.to_numpy()[rows]
    named = {int(f): where(int(f)) for f in np.unique(originals)}  # once per original: 100,000 copies took 89 s
    return [Issue(int(i), persons[i], "status",
                  f"a status change is recorded once: this row repeats {named[int(f)]} (the same person, "
                  "date and status); delete the copy")
            for i, f in zip(rows, originals)]


def _positions(persons: pd.Series, index: pd.Index) -> np.ndarray:
    """Each of ``persons``' position in ``index`` (-1: absent), by Arrow's hash join (as the
    history module finds persons: a Python map of a million ids took half a second)."""
    try:
        found = pc.index_in(pa.array(persons, type=pa.string()), value_set=pa.array(index.to_numpy(), type=pa.string()))
        return found.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # ids that are not text
        return index.get_indexer(persons.to_numpy(dtype=object))


def before_inflow_issues(history: pd.DataFrame, inflow: pd.Series, what: str = "a status") -> list[Issue]:
    """Each row dated before its person's inflow (``inflow``: date by ``deelnemer_id``;
    persons without a known inflow and undated rows are not judged here); ``what`` names a
    row in the rule (a status; a service, for the service records)."""
    persons = history["deelnemer_id"].reset_index(drop=True)
    at = _positions(persons, inflow.index)
    start = inflow.to_numpy(dtype="datetime64[ns]")[np.maximum(at, 0)] if len(inflow) else \
        np.full(len(at), np.datetime64("NaT"), dtype="datetime64[ns]")
    day = pd.to_datetime(history["datum"]).to_numpy(dtype="datetime64[ns]")
    early = np.flatnonzero((at >= 0) & (day < start))  # NaT compares False: undated rows are not judged
    return [Issue(int(i), persons[i], "datum",
                  f"{what} may not be dated before the person's inflow (instroomdatum "
                  f"{pd.Timestamp(start[i]).date()}): correct the date, or the participant's instroomdatum")
            for i in early]


def late_issues(history: pd.DataFrame, follow_up_end, today, what: str = "a status change",
                months: int = LATE_RECORDS_MONTHS) -> list[Issue]:
    """Each row dated more than ``months`` (the study's ``dates.late_records_months``, a year by
    default) after the study's ``follow_up_end`` (after
    :func:`~analysis.study.model.latest_record`) or after
    ``today`` (hostile round 16, finding 5: ``10-01-2042`` was read and silently left outside
    every cut-off); a record just after the follow-up date stays accepted (the registration
    runs on). Undated rows are not judged here."""
    end, now = pd.Timestamp(follow_up_end), pd.Timestamp(today)
    last = pd.Timestamp(latest_record(end.date(), months))
    limit = min(last, now)
    day = pd.to_datetime(history["datum"]).to_numpy(dtype="datetime64[ns]")
    late = np.flatnonzero(day > np.datetime64(limit.to_datetime64(), "ns"))  # NaT compares False
    persons = history["deelnemer_id"].reset_index(drop=True)
    period = "a year" if months == 12 else f"{months} month{'s' * (months != 1)}"
    rule = (f"{what} may be dated at most {period} after the study's follow-up date (follow_up_end {end.date()}: "
            f"up to {last.date()}) and not after today ({now.date()}): correct the date (a mistyped year?), "
            "or, where records run on longer, set dates.late_records_months in the study file")
    return [Issue(int(i), persons[i], "datum", rule) for i in late]


def inflow_dates(participants: pd.DataFrame) -> pd.Series:
    """Each participant's inflow date by ``deelnemer_id`` (text dates as ``YYYY-MM-DD``;
    a date that does not read is left out, the participant rules refuse it)."""
    dates = participants["instroomdatum"]
    if not pd.api.types.is_datetime64_any_dtype(dates):
        dates = pd.to_datetime(dates.astype("string"), format="%Y-%m-%d", errors="coerce")
    out = pd.Series(dates.to_numpy(dtype="datetime64[ns]"), index=pd.Index(participants["deelnemer_id"], dtype=object))
    return out[out.notna().to_numpy()]


def record_issues(history: pd.DataFrame, participants: pd.DataFrame, where: Callable[[int], str],
                  follow_up_end, today, months: int = LATE_RECORDS_MONTHS) -> list[Issue]:
    """The rules of this module for ``history`` against ``participants`` (``follow_up_end``: the
    study's; ``today``: the date a record may not follow)."""
    return (duplicate_issues(history, where) + before_inflow_issues(history, inflow_dates(participants))
            + late_issues(history, follow_up_end, today, months=months))
