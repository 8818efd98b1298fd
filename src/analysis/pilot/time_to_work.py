"""Time to work from the status history: one row per person with the time from the start of
the trajectory (or inflow) to the first outcome status, the first competing exit or the
follow-up end. The pilot's part of the duration analysis; the estimators are
:mod:`analysis.stats.survival`."""

from __future__ import annotations

import weakref

import numpy as np
import pandas as pd

from analysis.pilot import outcomes, schema as ps
from analysis.pilot.history import history_span, person_codes
from analysis.stats.survival import CENSORED, COMPETING, COMPETING_STATUSES, EVENT, ORIGINS


def durations(participants: pd.DataFrame, history: pd.DataFrame, definition: str = "work", origin: str = "start",
              follow_up_end=None) -> pd.DataFrame:
    """One row per person with an origin date: ``time`` (days from the origin to the
    first outcome status, the first competing exit, or ``follow_up_end``), ``status``
    (1 outcome, 2 competing exit, 0 censored), and the groupings ``triage`` (``geen`` when
    never triaged) and ``opleiding``. A status recorded before the origin counts at time 0.
    ``follow_up_end``: default the active study's (looked up at call)."""
    if definition not in outcomes.DEFINITIONS:
        raise ValueError(f"definition must be one of {list(outcomes.DEFINITIONS)}, got {definition!r}")
    if origin not in ORIGINS:
        raise ValueError(f"origin must be one of {list(ORIGINS)}, got {origin!r}")
    end = pd.Timestamp(ps.FOLLOW_UP_END if follow_up_end is None else follow_up_end)
    last = history_span(history)[1]
    if end > last:
        raise ValueError(f"follow_up_end {end.date()} is after the status history's last vouched date {last.date()}: "
                         "nobody's status is known then")
    people = participants.set_index("deelnemer_id")
    start = pd.to_datetime(people[ORIGINS[origin]])
    person = _person_codes(history["deelnemer_id"], participants["deelnemer_id"], people.index)  # -1: none
    known = (history["datum"] <= end).to_numpy() & (person >= 0)
    day = history["datum"].to_numpy(dtype="datetime64[ns]").view(np.int64)
    status_of = history["status"]
    event = _first(person, day, known & status_of.isin(outcomes.DEFINITIONS[definition]).to_numpy(bool), len(people))
    exit_ = _first(person, day, known & status_of.isin(COMPETING_STATUSES).to_numpy(bool), len(people))
    has_event, has_exit = event != _NEVER, exit_ != _NEVER
    status = np.where(has_event & ~(has_exit & (exit_ < event)), EVENT, np.where(has_exit, COMPETING, CENSORED))
    when = np.where(status == EVENT, event, np.where(status == COMPETING, exit_, end.value))
    begin = start.to_numpy(dtype="datetime64[ns]").view(np.int64)
    triage = people["triage"].astype("Int64")
    out = pd.DataFrame({
        "time": np.maximum((when - begin) // _DAY, 0).astype(float),
        "status": status,
        "triage": triage.astype(str).where(triage.notna(), "geen").astype(str),
        "opleiding": people["opleidingsniveau"].astype(str),
    }, index=people.index)
    return out[start.notna().to_numpy()].reset_index()


_KEPT: dict = {}  # the last person codes: (weak references to both id columns, the codes)


def _person_codes(history_ids: pd.Series, participant_ids: pd.Series, index: pd.Index) -> np.ndarray:
    """:func:`~analysis.pilot.history.person_codes` of the history's ids in the participants'
    (``index``, made from ``participant_ids``; -1: not a participant, which the validation
    refuses). Notebook 04 asks for the durations of every definition and origin of one history
    and one file: the codes are made once while both id columns live, when both are held in
    Arrow (immutable: a change to either makes a new column), 0.3 s of CPU per call at 1,000,000."""
    columns = [getattr(ids.array, "_pa_array", None) for ids in (history_ids, participant_ids)]
    if any(c is None for c in columns):
        return person_codes(history_ids, index)
    kept = _KEPT.get("codes")
    if kept is not None and all(ref() is c for ref, c in zip(kept[0], columns)):
        return kept[1]
    codes = person_codes(history_ids, index)
    codes.setflags(write=False)
    _KEPT["codes"] = ([weakref.ref(c) for c in columns], codes)
    return codes


_NEVER = np.iinfo(np.int64).max  # no such status in the history
_DAY = 86_400 * 10**9  # nanoseconds


def _first(person: np.ndarray, day: np.ndarray, which: np.ndarray, n: int) -> np.ndarray:
    """Per participant (0..n-1) the earliest ``day`` (nanoseconds) of the records ``which``,
    :data:`_NEVER` without one: one pass over the history, no group-by on the string ids."""
    out = np.full(n, _NEVER, dtype=np.int64)
    np.minimum.at(out, person[which], day[which])
    return out
