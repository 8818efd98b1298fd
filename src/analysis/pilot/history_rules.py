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
  mistyped year), and any count at an earlier cut-off would be wrong with it.

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

import pandas as pd

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
    copies = frame.duplicated(RECORD, keep="first")
    if not copies.any():
        return []
    first = frame.reset_index().groupby(RECORD, sort=False, dropna=False, observed=True)["index"].transform("min")
    return [Issue(int(i), frame.at[i, "deelnemer_id"], "status",
                  f"a status change is recorded once: this row repeats {where(int(first[i]))} (the same person, "
                  "date and status); delete the copy")
            for i in frame.index[copies]]


def before_inflow_issues(history: pd.DataFrame, inflow: pd.Series, what: str = "a status") -> list[Issue]:
    """Each row dated before its person's inflow (``inflow``: date by ``deelnemer_id``;
    persons without a known inflow and undated rows are not judged here); ``what`` names a
    row in the rule (a status; a service, for the service records)."""
    frame = history[["deelnemer_id", "datum"]].reset_index(drop=True)
    start = frame["deelnemer_id"].map(inflow)
    early = pd.to_datetime(frame["datum"]).lt(pd.to_datetime(start)) & start.notna()
    return [Issue(int(i), frame.at[i, "deelnemer_id"], "datum",
                  f"{what} may not be dated before the person's inflow (instroomdatum "
                  f"{pd.Timestamp(start[i]).date()}): correct the date, or the participant's instroomdatum")
            for i in frame.index[early]]


def inflow_dates(participants: pd.DataFrame) -> pd.Series:
    """Each participant's inflow date by ``deelnemer_id`` (text dates as ``YYYY-MM-DD``;
    a date that does not read is left out, the participant rules refuse it)."""
    dates = participants["instroomdatum"]
    if not pd.api.types.is_datetime64_any_dtype(dates):
        dates = pd.to_datetime(dates.astype("string"), format="%Y-%m-%d", errors="coerce")
    out = pd.Series(dates.to_numpy(), index=participants["deelnemer_id"].to_numpy(dtype=object))
    return out[out.notna() & ~out.index.duplicated()]


def record_issues(history: pd.DataFrame, participants: pd.DataFrame, where: Callable[[int], str]) -> list[Issue]:
    """The rules of this module for ``history`` against ``participants``."""
    return duplicate_issues(history, where) + before_inflow_issues(history, inflow_dates(participants))
