"""A participant's status history in long format, and service records, as an input.

Case managers register a dated history (one row per status change: person, date, status)
and dated services (person, service, date), not the two snapshot columns of the analysis
file. This module derives what the participant schema holds from those records:

- :func:`status_at`: each person's status on any cut-off date (the last status recorded on
  or before it); :func:`snapshot_columns` gives ``status_20210401`` and ``status_20210416``
  (or a column for any other date);
- :func:`outflow_dates`: the date a person first entered work (``uitstroomdatum``);
- :func:`service_flags`: one yes/no column per service (``dv_*``), optionally only for
  services started by a date.

Frames use the schema's names: ``deelnemer_id``, ``datum``, ``status`` for the history and
``deelnemer_id``, ``dienst``, ``datum`` for services. :func:`history_problems` lists what
makes a history unusable (two statuses for one person on one day, a person with no status by
a cut-off date); the mapping route (:mod:`analysis.data.mapping`) reports them with the
sheet and row they come from.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

import pandas as pd

from analysis.pilot import schema as ps

HISTORY_COLUMNS = ("deelnemer_id", "datum", "status")
SERVICE_COLUMNS = ("deelnemer_id", "dienst", "datum")


def snapshot_name(cutoff: str) -> str:
    """The participant file's column name for a cut-off date (``2021-04-01`` ->
    ``status_20210401``)."""
    return ps.STATUS_COLUMNS.get(cutoff, "status_" + pd.Timestamp(cutoff).strftime("%Y%m%d"))


def _sorted(history: pd.DataFrame) -> pd.DataFrame:
    return history.sort_values(["deelnemer_id", "datum"], kind="stable")


def status_at(history: pd.DataFrame, cutoff: str | pd.Timestamp) -> pd.Series:
    """Each person's status on ``cutoff``: the last record dated on or before it. Persons
    without such a record are absent from the result (index ``deelnemer_id``)."""
    known = history[history["datum"] <= pd.Timestamp(cutoff)]
    last = _sorted(known).groupby("deelnemer_id", sort=True).tail(1)
    return last.set_index("deelnemer_id")["status"].rename(snapshot_name(str(pd.Timestamp(cutoff).date())))


def snapshot_columns(history: pd.DataFrame, ids: Iterable[str],
                     cutoffs: Iterable[str] = ps.CUTOFF_DATES) -> pd.DataFrame:
    """One status column per cut-off date for the persons ``ids`` (in that order); a person
    with no status by a date has a missing value there."""
    index = pd.Index(list(ids), name="deelnemer_id")
    return pd.DataFrame({snapshot_name(c): status_at(history, c).reindex(index) for c in cutoffs}, index=index)


def outflow_dates(history: pd.DataFrame, ids: Iterable[str],
                  work: Iterable[str] = ps.WORK_STATUSES) -> pd.Series:
    """The date each person first had a work status (missing for those who never did)."""
    index = pd.Index(list(ids), name="deelnemer_id")
    first = history[history["status"].isin(list(work))].groupby("deelnemer_id")["datum"].min()
    return first.reindex(index).rename("uitstroomdatum")


def service_flags(services: pd.DataFrame, ids: Iterable[str], until: str | None = None,
                  names: Iterable[str] = ps.SERVICES) -> pd.DataFrame:
    """One boolean column per service: True when the person has a record of it (dated on
    or before ``until`` when given; an undated record counts only without ``until``)."""
    index = pd.Index(list(ids), name="deelnemer_id")
    rows = services
    if until is not None:
        rows = rows[rows["datum"].notna() & (rows["datum"] <= pd.Timestamp(until))]
    got = set(zip(rows["deelnemer_id"], rows["dienst"]))
    return pd.DataFrame({s: [(i, s) in got for i in index] for s in names}, index=index)


class Issue(NamedTuple):
    """A problem in a history: ``row`` is the record's position in the history frame, or
    ``None`` when the problem is a record that is missing (then ``person`` says whose)."""

    row: int | None
    person: str
    column: str
    rule: str


def history_problems(history: pd.DataFrame, ids: Iterable[str],
                     cutoffs: Iterable[str] = ps.CUTOFF_DATES) -> list[Issue]:
    """What makes ``history`` unusable:

    - a record of a person who is not among ``ids``;
    - two different statuses for one person on one date (conflicting records);
    - a person with no status recorded on or before a cut-off date."""
    ids = list(ids)
    persons = history["deelnemer_id"].to_numpy()
    out = [Issue(int(i), persons[i], "deelnemer_id", "every person in the status history must be a participant")
           for i in (~history["deelnemer_id"].isin(ids)).to_numpy().nonzero()[0]]
    per_day = history.groupby(["deelnemer_id", "datum"])["status"].transform("nunique")
    out += [Issue(int(i), persons[i], "status", "one status per person per date (this person has another "
                                                "status on the same date)")
            for i in (per_day > 1).to_numpy().nonzero()[0]]
    for cutoff in cutoffs:
        known = set(status_at(history, cutoff).index)
        out += [Issue(None, i, "status", f"every participant needs a status on or before {cutoff}")
                for i in ids if i not in known]
    return out
