"""Time to work from the status history: one row per person with the time from the start of
the trajectory (or inflow) to the first outcome status, the first competing exit or the
follow-up end. The pilot's part of the duration analysis; the estimators are
:mod:`analysis.stats.survival`."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.pilot import outcomes, schema as ps
from analysis.pilot.history import history_span
from analysis.stats.survival import CENSORED, COMPETING, COMPETING_STATUSES, EVENT, ORIGINS


def durations(participants: pd.DataFrame, history: pd.DataFrame, definition: str = "work", origin: str = "start",
              follow_up_end=ps.FOLLOW_UP_END) -> pd.DataFrame:
    """One row per person with an origin date: ``time`` (days from the origin to the
    first outcome status, the first competing exit, or ``follow_up_end``), ``status``
    (1 outcome, 2 competing exit, 0 censored), and the groupings ``triage`` (``geen`` when
    never triaged) and ``opleiding``. A status recorded before the origin counts at time 0."""
    if definition not in outcomes.DEFINITIONS:
        raise ValueError(f"definition must be one of {list(outcomes.DEFINITIONS)}, got {definition!r}")
    if origin not in ORIGINS:
        raise ValueError(f"origin must be one of {list(ORIGINS)}, got {origin!r}")
    end = pd.Timestamp(follow_up_end)
    last = history_span(history)[1]
    if end > last:
        raise ValueError(f"follow_up_end {end.date()} is after the status history's last vouched date {last.date()}: "
                         "nobody's status is known then")
    people = participants.set_index("deelnemer_id")
    start = pd.to_datetime(people[ORIGINS[origin]])
    known = history[history["datum"] <= end]
    first_event = known[known["status"].isin(outcomes.DEFINITIONS[definition])].groupby("deelnemer_id")["datum"].min()
    first_exit = known[known["status"].isin(COMPETING_STATUSES)].groupby("deelnemer_id")["datum"].min()
    event, exit_ = first_event.reindex(people.index), first_exit.reindex(people.index)
    status = np.where(event.notna() & ~(exit_ < event), EVENT, np.where(exit_.notna(), COMPETING, CENSORED))
    when = pd.Series(np.where(status == EVENT, event, np.where(status == COMPETING, exit_, end)), index=people.index)
    out = pd.DataFrame({
        "time": (pd.to_datetime(when) - start).dt.days.clip(lower=0).astype(float),
        "status": status,
        "triage": people["triage"].astype("Int64").map(lambda t: "geen" if pd.isna(t) else str(t)).astype(str),
        "opleiding": people["opleidingsniveau"].astype(str),
    }, index=people.index)
    return out[start.notna().to_numpy()].reset_index()
