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

As an input of its own (the clean route beside the participant file,
``data/raw/pilot_status_history_synthetic.csv``), a history is a CSV with the columns of
:data:`HISTORY`, validated on load like every input (:func:`load_history`): the column rules
by the spec route of :mod:`analysis.data`, then :func:`history_problems` and the agreement
with the participant file (its snapshot columns and ``uitstroomdatum`` are the history's),
each problem naming file, row, column, value and rule.

Cut-off dates: :func:`history_span` is the range of dates on which every participant has a
status the history vouches for (from the last first record to the last record, or the
follow-up date of the administration, 16 April 2021, when that is later);
:func:`with_cutoffs` checks each ``cutoff_date`` against it and adds its status column to
the participant frame, so the tables read any cut-off like the two snapshot columns.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analysis.data import processed
from analysis.data.digests import sha256_of
from analysis.data.errors import InputError, Problem
from analysis.data.loading import load_table
from analysis.data.spec import Column, TableSpec
from analysis.data.validate_once import one_at_a_time
from analysis.pilot import schema as ps
from analysis.pilot.history_rules import record_issues  # copies, a status before inflow or long after follow-up
from analysis.study.model import WORK_KINDS

HISTORY_COLUMNS = ("deelnemer_id", "datum", "status")
SERVICE_COLUMNS = ("deelnemer_id", "dienst", "datum")

def history_spec() -> TableSpec:
    """The status history's columns for the active study (its statuses and start date)."""
    return TableSpec(
    name="pilot_status_history",
    description=(
        "The participants' status history in long format: one row per status change (person, date, "
        "status), as a case managers' administration registers it. The status on any cut-off date is "
        "the last one recorded on or before it; the participant file's status_20210401, "
        "status_20210416 and uitstroomdatum (the first work status) must agree with it. The file in "
        "`data/raw/` is SYNTHETIC, the history of the synthetic participants."),
    columns=(
        Column("deelnemer_id", "str", "Participant key (as in the participant file).",
               pattern=r"^[A-Za-z0-9_-]{1,32}$"),
        Column("datum", "date", "Date from which the status holds.", min=ps.PILOT_START),
        Column("status", "category", "Status from that date on (codes of the participant file).", ps.STATUSES),
    ),
    )


HISTORY = history_spec()  # the default study's


def snapshot_name(cutoff: str) -> str:
    """The participant file's column name for a cut-off date (``2021-04-01`` ->
    ``status_20210401``)."""
    return ps.status_column(cutoff)


def _sorted(history: pd.DataFrame) -> pd.DataFrame:
    return history.sort_values(["deelnemer_id", "datum"], kind="stable")


def status_at(history: pd.DataFrame, cutoff: str | pd.Timestamp) -> pd.Series:
    """Each person's status on ``cutoff``: the last record dated on or before it. Persons
    without such a record are absent from the result (index ``deelnemer_id``, sorted)."""
    known = np.flatnonzero(history["datum"].to_numpy("datetime64[ns]") <= np.datetime64(pd.Timestamp(cutoff), "ns"))
    code = pd.factorize(history["deelnemer_id"].iloc[known], sort=True)[0]
    order = np.lexsort((known, history["datum"].to_numpy("datetime64[ns]")[known], code))
    last = known[order[np.r_[code[order][1:] != code[order][:-1], True]]] if len(known) else known
    rows = history.iloc[last]
    return pd.Series(rows["status"].to_numpy(), index=pd.Index(rows["deelnemer_id"], name="deelnemer_id"),
                     name=snapshot_name(str(pd.Timestamp(cutoff).date()))).astype(history["status"].dtype)


def stayed_in_work(history: pd.DataFrame, cutoff: str, follow_up: str) -> pd.Series:
    """True (index ``deelnemer_id``) where a person's status is work on ``cutoff`` and on
    ``follow_up`` and every record between the two dates is work too: the same job, as far as
    the history tells (a placement that ended and another that began are not)."""
    lo, hi = sorted((pd.Timestamp(cutoff), pd.Timestamp(follow_up)))
    work = list(ps.WORK_STATUSES)
    at_lo, at_hi = status_at(history, lo), status_at(history, hi)
    both = at_lo.isin(work) & at_hi.reindex(at_lo.index).isin(work).to_numpy()
    dates = history["datum"]
    left = history.loc[(dates > lo) & (dates <= hi) & ~history["status"].isin(work), "deelnemer_id"]
    return pd.Series(both.to_numpy() & ~at_lo.index.isin(pd.unique(left)), index=at_lo.index)


def snapshot_columns(history: pd.DataFrame, ids: Iterable[str],
                     cutoffs: Iterable[str] | None = None) -> pd.DataFrame:
    """One status column per cut-off date for the persons ``ids`` (in that order); a person
    with no status by a date has a missing value there."""
    index = pd.Index(list(ids), name="deelnemer_id")
    cutoffs = ps.CUTOFF_DATES if cutoffs is None else cutoffs
    return pd.DataFrame({snapshot_name(c): status_at(history, c).reindex(index) for c in cutoffs}, index=index)


def outflow_dates(history: pd.DataFrame, ids: Iterable[str],
                  work: Iterable[str] | None = None) -> pd.Series:
    """The date each person first had a work status (missing for those who never did)."""
    index = pd.Index(list(ids), name="deelnemer_id")
    work = ps.WORK_STATUSES if work is None else work
    first = history[history["status"].isin(list(work))].groupby("deelnemer_id")["datum"].min()
    return first.reindex(index).rename("uitstroomdatum")


def service_flags(services: pd.DataFrame, ids: Iterable[str], until: str | None = None,
                  names: Iterable[str] | None = None) -> pd.DataFrame:
    """One boolean column per service: True when the person has a record of it (dated on
    or before ``until`` when given; an undated record counts only without ``until``)."""
    index = pd.Index(list(ids), name="deelnemer_id")
    rows = services
    if until is not None:
        rows = rows[rows["datum"].notna() & (rows["datum"] <= pd.Timestamp(until))]
    got = set(zip(rows["deelnemer_id"], rows["dienst"]))
    names = ps.SERVICES if names is None else names
    return pd.DataFrame({s: [(i, s) in got for i in index] for s in names}, index=index)


def may_follow(earlier, later) -> bool:
    """Whether status ``later`` may be recorded after ``earlier``: outflow statuses are
    final (the study's :data:`~analysis.pilot.schema.FINAL_STATUSES`: after a return to the
    old employer, stopping or never starting, and after work unless the study lets an outflow
    end, a person's status does not change); elementwise on Series."""
    final = ps.FINAL_STATUSES
    if isinstance(earlier, pd.Series):
        return (earlier == later) | ~earlier.isin(final)
    return earlier == later or earlier not in final


class Issue(NamedTuple):
    """A problem in a history: ``row`` is the record's position in the history frame, or
    ``None`` when the problem is a record that is missing (then ``person`` says whose)."""

    row: int | None
    person: str
    column: str
    rule: str


class _Records(NamedTuple):
    """A history indexed once for validation. Persons are integer codes: a participant's
    position in ``ids``, after them one code per non-participant (found by Arrow's hash
    join, ``pyarrow.compute.index_in``, not a Python dict of a million strings); statuses are
    category codes. The records are sorted once by person, date and row (``order``), and
    ``person``, ``day`` and ``status`` are in that order."""

    ids: pd.Index
    persons: pd.api.extensions.ExtensionArray | np.ndarray  # each record's deelnemer_id, in the frame's order
    unknown: np.ndarray  # each record, in the frame's order: not a participant's
    order: np.ndarray
    person: np.ndarray
    day: np.ndarray
    status: np.ndarray  # codes into ``statuses`` (-1: empty)
    statuses: np.ndarray


def _as_ids(ids: Iterable[str]) -> pd.Index:
    values = ids.to_numpy(dtype=object) if isinstance(ids, pd.Series | pd.Index) else list(ids)
    return pd.Index(values, dtype=object).drop_duplicates()


def person_codes(persons: pd.Series, index: pd.Index) -> np.ndarray:
    """Each of ``persons``' position in ``index`` (-1: absent)."""
    try:
        found = pc.index_in(pa.array(persons, type=pa.string()),
                            value_set=pa.array(index.to_numpy(), type=pa.string()))
        return found.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # ids that are not text: pandas' own hash table
        return index.get_indexer(persons.to_numpy(dtype=object))


def _records(history: pd.DataFrame, ids: Iterable[str]) -> _Records:
    index = _as_ids(ids)
    code = person_codes(history["deelnemer_id"], index)
    unknown = code < 0
    if unknown.any():  # each non-participant a code of its own, after the participants'
        code[unknown] = len(index) + pd.factorize(history["deelnemer_id"].to_numpy(dtype=object)[unknown])[0]
    day = history["datum"].to_numpy("datetime64[ns]")
    order = np.lexsort((day, code))  # stable: by person, then date, then row
    status = history["status"].astype("category")
    return _Records(index, history["deelnemer_id"].array, unknown, order, code[order], day[order],
                    status.cat.codes.to_numpy()[order], np.asarray(status.cat.categories, dtype=object))


def _last_on_or_before(rec: _Records, cutoff) -> np.ndarray:
    """For each of ``rec.ids``, the sorted position of its last record dated on or before
    ``cutoff`` (-1: none)."""
    last = np.full(len(rec.ids), -1)
    k = np.flatnonzero((rec.day <= np.datetime64(pd.Timestamp(cutoff), "ns")) & (rec.person < len(rec.ids)))
    last[rec.person[k]] = k  # later records overwrite earlier ones: positions ascend within a person
    return last


def _status_names(rec: _Records, at: np.ndarray) -> np.ndarray:
    """The status of the sorted records at positions ``at`` (NaN where ``at`` is -1 or the
    status is empty)."""
    code = rec.status[np.maximum(at, 0)] if len(rec.status) else np.full(len(at), -1)
    return np.where((at >= 0) & (code >= 0), rec.statuses[np.maximum(code, 0)] if len(rec.statuses) else np.nan,
                    np.nan)


def history_problems(history: pd.DataFrame, ids: Iterable[str],
                     cutoffs: Iterable[str] | None = None) -> list[Issue]:
    """What makes ``history`` unusable:

    - a record of a person who is not among ``ids``;
    - two different statuses for one person on one date (conflicting records);
    - a status after a final one (:data:`FINAL_STATUSES`) that differs from it;
    - a person with no status recorded on or before a cut-off date.

    Written on arrays, not group-bys: the history is sorted once by person code (a position
    in ``ids``), date and row, and each rule compares neighbours (at 1,000,000 participants
    a sixth of the group-by version's time; ``benchmarks/history_validation.py`` compares
    the two)."""
    return _problems(_records(history, ids), ps.CUTOFF_DATES if cutoffs is None else cutoffs)


def _problems(rec: _Records, cutoffs: Iterable[str]) -> list[Issue]:
    persons, order, p, d, s = rec.persons, rec.order, rec.person, rec.day, rec.status
    out = [Issue(int(i), persons[i], "deelnemer_id", "every person in the status history must be a participant")
           for i in np.flatnonzero(rec.unknown)]
    same_person = p[1:] == p[:-1]
    same_day = same_person & (d[1:] == d[:-1])
    start = np.flatnonzero(np.r_[True, ~same_day]) if len(s) else np.zeros(0, int)
    # more than one status (empty ones aside) among a person's records of one day
    high = np.maximum.reduceat(s, start) if len(s) else s
    low = np.minimum.reduceat(np.where(s >= 0, s, np.iinfo(s.dtype).max), start) if len(s) else s
    conflict = np.repeat((high >= 0) & (low < high), np.diff(np.r_[start, len(s)]))
    out += [Issue(int(i), persons[i], "status", "one status per person per date (this person has another "
                                                "status on the same date)") for i in np.sort(order[conflict])]
    final = np.flatnonzero(pd.Index(rec.statuses).isin(list(ps.FINAL_STATUSES)))
    after_final = np.flatnonzero(same_person & np.isin(s[:-1], final) & (s[:-1] != s[1:])) + 1
    after_final = sorted(after_final, key=lambda j: (persons[order[j]], d[j], order[j]))  # by id, date, row
    out += [Issue(int(order[j]), persons[order[j]], "status", final_rule(ps.STUDY, rec.statuses[s[j - 1]]))
            for j in after_final]
    for cutoff in cutoffs:
        out += [Issue(None, rec.ids[i], "status", f"every participant needs a status on or before {cutoff}")
                for i in np.flatnonzero(_last_on_or_before(rec, cutoff) < 0)]
    return out


def final_rule(study, status: str) -> str:
    """Why no status may follow ``status`` in ``study``, in the study file's words: a
    placement is final only where the study says ``outflow_can_end: false`` (the advice names
    the key and its file), any other outflow (stopped, back with the old employer, never
    started) in every study, whatever ``outflow_can_end`` says (newpilot2's F8a: the message
    said ``outflow_can_end: false`` of a study that says ``true``)."""
    kind = study.status_kinds.get(status, "?")
    if kind in WORK_KINDS and not study.outflow_can_end:
        return (f"an outflow status ({status}, a placement) is final in this study ({study.id}, outflow_can_end: "
                f"false in {Path(study.source).name}): no other status may follow it; where a placement can end "
                "(a return to the trajectory, e.g. in the probation period), set outflow_can_end: true")
    return (f"an outflow status ({status}, kind {kind}) is final in every study: no other status may follow it "
            "(outflow_can_end lets only a placement end); record the later status only if the outflow was wrong")


def history_span(history: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The dates on which the history gives every person a status: from the latest first
    record (before it someone has none) to the latest record, or the administration's
    follow-up date (:data:`~analysis.pilot.schema.FOLLOW_UP_END`) when that is later (the
    registration ran until then; after it nothing is known)."""
    return latest_first_record(history), max(history["datum"].max(), pd.Timestamp(ps.FOLLOW_UP_END))


def latest_first_record(history: pd.DataFrame) -> pd.Timestamp:
    """The latest of the persons' first record dates. A history sorted by person and date (as
    :func:`load_history` returns it; checked here, not assumed) gives each person's first date
    on the row where the person changes, without the group-by on the text ids (0.8 s of CPU
    per call at 1,000,000 participants, and setup called it five times per kernel)."""
    day = history["datum"].to_numpy()
    try:
        ids = pa.array(history["deelnemer_id"], type=pa.string())
        ids = ids.combine_chunks() if isinstance(ids, pa.ChunkedArray) else ids
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        ids = None
    if ids is not None and len(ids) > 1 and ids.null_count == 0 and np.issubdtype(day.dtype, np.datetime64) \
            and pc.all(pc.greater_equal(ids[1:], ids[:-1])).as_py():  # equal ids are neighbours
        same = pc.equal(ids[1:], ids[:-1]).to_numpy(zero_copy_only=False)
        if np.all(~same | (day[1:] >= day[:-1])):  # dates ascend within a person (NaT compares false)
            return history["datum"].iloc[np.r_[0, np.flatnonzero(~same) + 1]].max()
    return history.groupby("deelnemer_id")["datum"].min().max()


def check_cutoff(cutoff: str, history: pd.DataFrame | None,
                 span: tuple[pd.Timestamp, pd.Timestamp] | None = None) -> str:
    """``cutoff`` as an ISO date, or a clear error naming ``cutoff_date``: not a date, no
    history and not a snapshot date of the participant file, or outside the history's span
    (``span``: :func:`history_span` when already known)."""
    try:
        day = pd.Timestamp(str(cutoff))
    except ValueError:
        raise ValueError(f"cutoff_date {cutoff!r} is not a date (write it as YYYY-MM-DD)") from None
    iso = str(day.date())
    if iso != str(cutoff):
        raise ValueError(f"cutoff_date {cutoff!r}: write the date as YYYY-MM-DD ({iso})")
    if history is None:
        if iso not in ps.CUTOFF_DATES:
            raise ValueError(f"cutoff_date {iso}: without a status history (status_history_path, or a "
                             f"status_history sheet in the export's mapping) only the participant file's snapshot "
                             f"dates {list(ps.CUTOFF_DATES)} can be used")
        return iso
    first, last = history_span(history) if span is None else span
    if not first <= day <= last:
        raise ValueError(f"cutoff_date {iso} is outside the status history's span {first.date()} to "
                         f"{last.date()} (from the date by which every participant has a status to the last "
                         "record or the follow-up date)")
    return iso


def with_cutoffs(df: pd.DataFrame, history: pd.DataFrame | None, cutoffs: Iterable[str]) -> pd.DataFrame:
    """The participant frame with a status column for each of ``cutoffs`` (checked by
    :func:`check_cutoff`; the snapshot dates keep the file's own columns). The status
    columns of other dates are the history's status on that date (:func:`status_at`). The
    dates are kept in ``attrs["published_cutoffs"]``: the disclosure control protects them
    jointly (:func:`analysis.pilot.tables.joint_figure_tables`). For a date where the job may
    be another than on the follow-up date (:func:`analysis.pilot.schema.job_may_differ`), a
    column :func:`~analysis.pilot.schema.job_column` tells who held the follow-up job then
    (:func:`stayed_in_work`)."""
    span = history_span(history) if history is not None else None  # one group-by, not one per date
    checked = [check_cutoff(c, history, span) for c in cutoffs]
    out = df.copy(deep=False)  # copy-on-write: the new columns are the copy's; no copy of the file's columns
    out.attrs = {**copy.deepcopy(df.attrs), "published_cutoffs": checked}
    for cutoff in dict.fromkeys(checked):
        name = ps.status_column(cutoff)
        if name not in out.columns:
            at = status_at(history, cutoff)
            where = person_codes(out["deelnemer_id"], at.index)
            values = at.to_numpy()
            column = pd.Series(values[np.maximum(where, 0)] if len(values) else np.full(len(where), np.nan),
                               dtype=at.dtype)
            out[name] = column.where(where >= 0).to_numpy()
    for cutoff in dict.fromkeys([*ps.CUTOFF_DATES, *checked]):  # the release always holds the snapshot dates
        if history is not None and ps.job_may_differ(cutoff):
            same = stayed_in_work(history, cutoff, ps.CUTOFF_DATES[1])
            out[ps.job_column(cutoff)] = same.reindex(out["deelnemer_id"]).fillna(False).to_numpy(dtype=bool)
    return out


def agreement_problems(history: pd.DataFrame, participants: pd.DataFrame) -> list[Issue]:
    """Where the participant file disagrees with the history it should be derived from:
    each snapshot column against the status on its date, and ``uitstroomdatum`` against
    the first work status (row: the participant's row)."""
    return _disagreements(_records(history, participants["deelnemer_id"]), participants)


def _disagreements(rec: _Records, participants: pd.DataFrame) -> list[Issue]:
    ids = participants["deelnemer_id"].to_numpy(dtype=object)
    same = len(ids) == len(rec.ids) and rec.ids.equals(pd.Index(ids, dtype=object))
    position = np.arange(len(ids)) if same else rec.ids.get_indexer(ids)
    out = []
    for cutoff, col in ps.STATUS_COLUMNS.items():
        want = _status_names(rec, _last_on_or_before(rec, cutoff)[position])
        out += [Issue(int(i), ids[i], col, f"must be the status history's status on {cutoff} ({want[i]})")
                for i in (participants[col].astype(object).to_numpy() != want).nonzero()[0]]
    first = np.full(len(rec.ids), np.datetime64("NaT"), dtype="datetime64[ns]")
    work = np.flatnonzero(pd.Index(rec.statuses).isin(list(ps.WORK_STATUSES)))
    work = np.flatnonzero(np.isin(rec.status, work) & (rec.person < len(rec.ids)))[::-1]
    first[rec.person[work]] = rec.day[work]  # the earliest work record of each person is written last
    first = first[position]
    have = participants["uitstroomdatum"].to_numpy("datetime64[ns]")
    differ = ~((pd.isna(first) & pd.isna(have)) | (first == have))
    out += [Issue(int(i), ids[i], "uitstroomdatum", "must be the date of the first work status in the status "
                                                    f"history ({'none' if pd.isna(first[i]) else str(first[i])[:10]})")
            for i in differ.nonzero()[0]]
    return out


def load_history(path, participants: pd.DataFrame) -> pd.DataFrame:
    """Load and validate a status history CSV (:data:`HISTORY`) for the participant frame
    ``participants``: column rules, then :func:`history_problems` (unknown person, two
    statuses on one day, no status by a snapshot date) and :func:`agreement_problems`, on
    one sorted index of the records. Returns the records sorted by person and date."""
    history = load_table(path, history_spec())
    rec = _records(history, participants["deelnemer_id"])
    issues = _problems(rec, ps.CUTOFF_DATES) + record_issues(history, participants, lambda r: f"data row {r + 1}",
                                                             ps.FOLLOW_UP_END, date.today(), ps.LATE_RECORDS_MONTHS)
    cells = {c: history[c].to_numpy(dtype=object) for c in {i.column for i in issues}}  # not .at per issue (slow)
    problems = [Problem(i.rule, i.column, i.row, i.person if i.column == "deelnemer_id" or i.row is None
                        else cells[i.column][i.row])
                for i in issues]
    if problems:
        raise InputError(path, [Problem(p.rule + ("" if p.row is not None else f" (participant {p.value})"),
                                        p.column, p.row, p.value if p.row is not None else None)
                                for p in problems])
    mismatch = _disagreements(rec, participants)
    if mismatch:
        raise InputError(path, [Problem(f"participant {i.person}: the participant file's {i.column} {i.rule}",
                                        i.column, None, participants.at[i.row, i.column]) for i in mismatch])
    return _sorted(history).reset_index(drop=True)


def load_history_cached(path: Path, participants_path: Path, participants: pd.DataFrame,
                        processed_dir: Path) -> pd.DataFrame:
    """:func:`load_history`, validated once: the result is kept in ``processed_dir`` as
    Parquet (:mod:`analysis.data.processed`) under a key of the history file's bytes, the
    participant file's bytes and study (the history is validated against them) and the
    validation code; a kernel validating it holds its lock
    (:func:`analysis.data.validate_once.one_at_a_time`), so parallel kernels of one run
    validate it once."""
    against = f"{history_spec().name}.{ps.PARTICIPANTS.name}.{sha256_of(participants_path)}"
    key = processed.cache_key(path, against)
    with one_at_a_time(path, processed_dir):
        cached = processed.read_if_current(path, key, processed_dir)
        if cached is not None:
            return cached
        history = load_history(path, participants)
        processed.write(history, path, key, processed_dir)
        return history
