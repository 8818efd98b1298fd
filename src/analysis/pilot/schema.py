"""Schema of a pilot's participant file (case managers' administration), from its study file.

Everything of one pilot (dates, employers, status vocabulary, services, sectors, functions)
comes from its study (``studies/<id>.yml``, :mod:`analysis.study`); the module-level names
(:data:`STATUSES`, :data:`PARTICIPANTS`, ...) are those of the active study, the default study
(the study file marked ``default: true``) unless :func:`use_study` makes another one active (a
notebook does so first, from its parameter ``study``; a kernel runs one notebook, so one study
per process). Module-level names rather than a study argument everywhere because the table and
figure modules read them.

Column names and codes are those of a Dutch case-management administration; the codebook
(``data/raw/README.md``) is generated from :data:`PARTICIPANTS` and explains each in
English. Fact ids (F.., C.., S..) refer to ``docs/pilot_published_facts.md``.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import paths
from analysis.data.errors import InputError, Problem
from analysis.data.file_pairs import missing_mapping_rule, near_mappings
from analysis.data.loading import load_table
from analysis.data.spec import Column, RowRule, TableSpec, Unrecorded
from analysis.pilot.copies import copy_problems
from analysis.study import DEFAULT_STUDY, Study, StudyError, activate, load_study

EDUCATION_LEVELS = ("laag", "middelbaar", "hoog")
# Free-text education as administrations write it, to a level (regular expressions searched
# in the label, case ignored): laag up to vmbo/mbo-1, middelbaar mbo-2 to 4, havo and vwo,
# hoog hbo and wo. Used by the synthetic export's mapping and suggested by `inspect`; a bare
# "mbo" (level unknown) is left for the evaluator.
EDUCATION_PATTERNS = (
    (r"^(geen (diploma|opleiding)|basis|lagere school|praktijkonderwijs|lbo|vbo|vmbo|mavo|entree"
     r"|mbo[ -]?(niveau )?1\b)", "laag"),
    (r"^(mbo[ -]?(niveau )?[234]\b|havo|vwo|atheneum|gymnasium)", "middelbaar"),
    (r"^(hbo|wo\b|universiteit|bachelor|master)", "hoog"),
)
FUNCTION_TYPES = ("uitvoerend", "staf")
GENDERS = ("man", "vrouw")


def vocabulary(study: Study) -> dict:
    """The module-level names of one study (the default study's until another is used; see
    :func:`use_study`): its dates, employers, statuses and which are work, staying, final,
    its services, sectors and functions."""
    snapshots = tuple(study.snapshots)
    return dict(
        STUDY=study, PILOT_START=study.pilot_start, INFLOW_END=study.inflow_end, PILOT_END=study.pilot_end,
        FOLLOW_UP_END=study.follow_up_end, LATE_RECORDS_MONTHS=study.late_records_months, CUTOFF_DATES=snapshots,
        EMPLOYERS=study.employers,
        CASE_MANAGER_ORGS=study.case_manager_orgs, FUNCTIONS_OPERATIONAL=study.functions_operational,
        FUNCTIONS_STAFF=study.functions_staff, FUNCTIONS=study.functions, TRIAGE_PATHS=study.triage_paths,
        STATUSES=study.statuses, WORK_STATUSES=study.work_statuses, STAYED_STATUSES=study.stayed_statuses,
        FINAL_STATUSES=study.final_statuses, MOVER_STATUSES=study.mover_statuses,
        NOT_STARTED=study.of_kind("not_started"), EDUCATION_STATUSES=study.of_kind("education"),
        SAME_SECTORS=study.same_sector, SAME_SECTOR=study.same_sector[0], SECTORS=study.sectors,
        CONTRACTS=study.contracts, FOUND_VIA=study.found_via, STOP_REASONS=study.stop_reasons,
        SERVICES=study.services, STATUS_COLUMNS={c: "status_" + c.replace("-", "") for c in snapshots},
        STATUS_END="status_" + snapshots[0].replace("-", ""),
        STATUS_FOLLOW_UP="status_" + snapshots[1].replace("-", ""))


# The active study's names (the default study until :func:`use_study` makes another one active).
_default = vocabulary(load_study(DEFAULT_STUDY))
STUDY = _default["STUDY"]
PILOT_START = _default["PILOT_START"]
INFLOW_END = _default["INFLOW_END"]
PILOT_END = _default["PILOT_END"]
FOLLOW_UP_END = _default["FOLLOW_UP_END"]
LATE_RECORDS_MONTHS = _default["LATE_RECORDS_MONTHS"]
CUTOFF_DATES = _default["CUTOFF_DATES"]
EMPLOYERS = _default["EMPLOYERS"]
CASE_MANAGER_ORGS = _default["CASE_MANAGER_ORGS"]
FUNCTIONS_OPERATIONAL = _default["FUNCTIONS_OPERATIONAL"]
FUNCTIONS_STAFF = _default["FUNCTIONS_STAFF"]
FUNCTIONS = _default["FUNCTIONS"]
TRIAGE_PATHS = _default["TRIAGE_PATHS"]
STATUSES = _default["STATUSES"]
WORK_STATUSES = _default["WORK_STATUSES"]
STAYED_STATUSES = _default["STAYED_STATUSES"]
FINAL_STATUSES = _default["FINAL_STATUSES"]
MOVER_STATUSES = _default["MOVER_STATUSES"]
NOT_STARTED = _default["NOT_STARTED"]
EDUCATION_STATUSES = _default["EDUCATION_STATUSES"]
SAME_SECTORS = _default["SAME_SECTORS"]
SAME_SECTOR = _default["SAME_SECTOR"]
SECTORS = _default["SECTORS"]
CONTRACTS = _default["CONTRACTS"]
FOUND_VIA = _default["FOUND_VIA"]
STOP_REASONS = _default["STOP_REASONS"]
SERVICES = _default["SERVICES"]
STATUS_COLUMNS = _default["STATUS_COLUMNS"]
STATUS_END = _default["STATUS_END"]
STATUS_FOLLOW_UP = _default["STATUS_FOLLOW_UP"]

# "Unknown": a value that was never recorded. A category of its own wherever the report's
# figures could have had it (education, function, sector of the new job, ...), counted and
# shown in the tables when it occurs; for age and years of service an empty cell. Identifiers,
# dates of the trajectory and statuses stay required.
UNKNOWN = "onbekend"


def with_unknown(codes: tuple) -> tuple:
    """The allowed codes of a column that may be unknown."""
    return (*codes, UNKNOWN)


def counted_levels(codes, values: pd.Series) -> list:
    """The levels a count table shows: ``codes``, plus :data:`UNKNOWN` when ``values``
    holds it or a missing value (absent from tables of complete data)."""
    distinct = pd.Series(pd.unique(values), dtype=object)  # a few values, not a Python object per row
    unknown = distinct.isna().any() or (distinct == UNKNOWN).any()
    return [*codes, UNKNOWN] if unknown else list(codes)


def status_column(cutoff: str) -> str:
    """The column holding the outflow status at ``cutoff`` (an ISO date): the one place that
    maps a date to a column name. The two snapshot dates of the participant file
    (:data:`CUTOFF_DATES`) have columns of the file; any other date's column is added from
    the status history (:func:`analysis.pilot.history.with_cutoffs`)."""
    try:
        day = pd.Timestamp(str(cutoff))
    except ValueError:
        raise ValueError(f"cutoff_date {cutoff!r} is not a date (write it as YYYY-MM-DD)") from None
    return STATUS_COLUMNS.get(str(cutoff), "status_" + day.strftime("%Y%m%d"))


def status_on(df: pd.DataFrame, cutoff: str) -> pd.Series:
    """Each participant's status at ``cutoff``; a clear error when the frame has no status
    for that date (a date other than the snapshot dates needs the status history)."""
    col = status_column(cutoff)
    if col not in df.columns:
        raise ValueError(f"cutoff_date {cutoff}: the participant frame has no status on this date; only "
                         f"{list(CUTOFF_DATES)} are in the participant file, other dates come from the status "
                         "history (status_history_path; analysis.pilot.history.with_cutoffs)")
    return df[col]


def job_may_differ(cutoff: str) -> bool:
    """Whether someone in work on ``cutoff`` may hold another job than on the follow-up date,
    the job whose sector and contract the file records: where the study lets an outflow end
    (a placement that ended, then another), or on a date after the follow-up date (newpilot2,
    F5: Figuur 13 applied the follow-up job's sector to an earlier job)."""
    follow_up = CUTOFF_DATES[1]
    return str(cutoff) != follow_up and (STUDY.outflow_can_end or str(cutoff) > follow_up)


def job_column(cutoff: str) -> str:
    """The column :func:`analysis.pilot.history.with_cutoffs` adds for a date where
    :func:`job_may_differ`: True where the job held on ``cutoff`` is the follow-up date's."""
    return "zelfde_baan_" + str(cutoff).replace("-", "")


def same_job(df: pd.DataFrame, cutoff: str) -> np.ndarray:
    """True where the person works on ``cutoff`` in the job the file records (that of the
    follow-up date): in work on both dates and, where the status history told
    (:func:`job_column`), in work at every record between them. Without a history, work on
    both dates is taken for one job (the file records one)."""
    working = status_on(df, cutoff).isin(WORK_STATUSES) & df[STATUS_FOLLOW_UP].isin(WORK_STATUSES)
    told = df[job_column(cutoff)].astype(bool) if job_column(cutoff) in df.columns else True
    return (working & told).to_numpy(dtype=bool)


def _work_has_job_details(v: dict):
    def rule(df: pd.DataFrame) -> pd.Series:
        working = df[v["STATUS_FOLLOW_UP"]].isin(v["WORK_STATUSES"])
        filled = df["sector_nieuw"].notna() & df["contract_nieuw"].notna() & df["uitstroomdatum"].notna()
        return (working & filled) | (~working & df["sector_nieuw"].isna() & df["contract_nieuw"].isna())
    return rule


def snapshot_change_allowed(earlier: pd.Series, later: pd.Series, v: dict | None = None) -> pd.Series:
    """Between the two snapshot dates a status stays, or changes from one that is no outflow
    (the study's ``follow_up_moves: any``; newpilot19: a person who stopped between a retail
    pilot's end and its follow-up was refused by the first pilot report's rule), or, with
    ``follow_up_moves: into_work``, moves from in progress or education into work only; where
    the study lets an outflow end (re-entry), work may also lead back into the trajectory."""
    v = v or globals()
    same = earlier == later
    if v["STUDY"].follow_up_moves == "any":
        return same | ~earlier.isin(v["FINAL_STATUSES"])
    into_work = earlier.isin(v["MOVER_STATUSES"]) & later.isin(v["WORK_STATUSES"])
    ok = same | into_work
    if v["STUDY"].outflow_can_end:
        ok |= earlier.isin(v["WORK_STATUSES"]) & later.isin((*v["MOVER_STATUSES"], *v["WORK_STATUSES"]))
    return ok


def _snapshot_changes(v: dict):
    return lambda df: snapshot_change_allowed(df[v["STATUS_END"]], df[v["STATUS_FOLLOW_UP"]], v)


def _start_after_inflow(v: dict):
    """A start date is on or after the inflow date; a participant who never started is
    judged by :func:`_not_started_has_no` alone (a start date there is wrong whatever it is)."""
    def rule(df: pd.DataFrame) -> pd.Series:
        ns = df[v["STATUS_END"]].isin(v["NOT_STARTED"])
        return ns | df["startdatum"].isna() | (df["startdatum"] >= df["instroomdatum"])
    return rule


def _not_started_has_no(v: dict, column: str):
    """A participant who never started has nothing in ``column`` (one rule per column, so a
    message names the one cell to empty)."""
    def rule(df: pd.DataFrame) -> pd.Series:
        return ~df[v["STATUS_END"]].isin(v["NOT_STARTED"]) | df[column].isna()
    return rule


def _started_has_case_manager(v: dict):
    """Who started has a case manager; a start date of one who never started is reported by
    :func:`_not_started_has_no` (not as a missing case manager: H41n, the second message
    asked for a case manager where the start date was the error)."""
    def rule(df: pd.DataFrame) -> pd.Series:
        started = df["startdatum"].notna() & ~df[v["STATUS_END"]].isin(v["NOT_STARTED"])
        return ~started | df["casemanager_org"].notna()
    return rule


def _not_started_rules(v: dict) -> tuple[RowRule, ...]:
    """A participant who never started has no start date, triage or case manager: one rule
    per column, the column first, then the status that makes it wrong."""
    status, said = v["STATUS_END"], "/".join(v["NOT_STARTED"])
    what = {"startdatum": "start date", "triage": "triage outcome", "casemanager_org": "case manager"}
    return tuple(RowRule(f"a participant who never started ({status} {said}) has no {what[c]}: leave the "
                         f"{what[c]} empty, or, if the trajectory did start, record the status the person had",
                         (c, status), _not_started_has_no(v, c)) for c in what)


def _outflow_date_matches_status(v: dict):
    """Work on the first snapshot date: the first work is on or before it; work first seen
    on the second: after it (unless the study lets an outflow end, when a late mover may
    have worked before)."""
    def rule(df: pd.DataFrame) -> pd.Series:
        working_0401 = df[v["STATUS_END"]].isin(v["WORK_STATUSES"])
        working_0416 = df[v["STATUS_FOLLOW_UP"]].isin(v["WORK_STATUSES"])
        d = df["uitstroomdatum"]
        first = pd.Timestamp(v["CUTOFF_DATES"][0])  # the date of the status the rule reads (newpilot19: not pilot_end)
        by_end = d <= first
        ok_end = ~working_0401 | by_end.fillna(False)
        late = working_0416 & ~working_0401
        after = (d > first) | (by_end if v["STUDY"].outflow_can_end else False)
        ok_late = ~late | after.fillna(False)
        return ok_end & ok_late
    return rule


def _function_matches_type(v: dict):
    def rule(df: pd.DataFrame) -> pd.Series:
        staff = df["functie"].isin(v["FUNCTIONS_STAFF"])
        unknown = df["functie"] == UNKNOWN
        return unknown | (staff & (df["functietype"] == "staf")) | (~staff & (df["functietype"] == "uitvoerend"))
    return rule


def function_type_of(functie: pd.Series) -> pd.Series:
    """``functietype`` follows from ``functie`` (staf for the staff functions, onbekend
    when the function is unknown); used where an export does not hold it."""
    staff = functie.isin(FUNCTIONS_STAFF)
    return pd.Series(["staf" if s else UNKNOWN if f == UNKNOWN else "uitvoerend" for s, f in zip(staff, functie)],
                     index=functie.index, dtype=object)


def _file_digest(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:8]


def participants_spec(study: Study) -> TableSpec:
    """The participant file's columns and rules for ``study`` (its vocabulary and dates)."""
    synthetic = study.synthetic.get("participants")
    return TableSpec(
        name=f"pilot_participants.{study.id}.{_file_digest(study.source)}",  # the cache key changes with the file
        description=(
            f"One row per participant of the study *{study.name[0]}* ({study.pilot_start:%B %Y} - "
            f"{study.follow_up_end:%B %Y}), as held in the case managers' administration (study file "
            f"`studies/{study.id}.yml`)."
            + (f" The file `{synthetic}` is SYNTHETIC: generated by `.venv/bin/python -m analysis synthetic`; it "
               "describes no real person." if synthetic else "")),
        columns=_participant_columns(study),
        row_rules=_row_rules(study),
        unrecorded=_unrecorded(study),
    )


def _unrecorded(study: Study) -> tuple[Unrecorded, ...]:
    """An empty sector or contract of someone in work on the follow-up date was not recorded:
    ``onbekend`` (newpilot2, F14: the only way through was typing a label into the export).
    Of anyone else an empty cell means no new job, and stays empty."""
    v = vocabulary(study)
    working = lambda df: df[v["STATUS_FOLLOW_UP"]].isin(v["WORK_STATUSES"])  # noqa: E731
    return tuple(Unrecorded(f"{c}: empty for someone in work is onbekend", c, UNKNOWN, working)
                 for c in ("sector_nieuw", "contract_nieuw"))


def _study_file(study: Study) -> str:
    """The study's file as a command in the project folder names it (for messages)."""
    try:
        return str(Path(study.source).resolve().relative_to(paths.PROJECT_ROOT))
    except ValueError:
        return str(study.source)


def _participant_columns(study: Study) -> tuple[Column, ...]:
    v = vocabulary(study)
    shown = _study_file(study)
    first, second = (pd.Timestamp(c).strftime("%-d %B %Y") for c in v["CUTOFF_DATES"])
    return (
        Column("deelnemer_id", "str", "Anonymous participant key.", unique=True,
               pattern=r"^[A-Za-z0-9_-]{1,32}$", source="F03"),
        Column("synthetisch", "bool", "True when the row is synthetic (never true in the real file).",
               source="this repository"),
        Column("werkgever", "category", "Dismissing employer (latende werkgever).", study.employers,
               source="F16"),
        Column("instroomdatum", "date", "Date of registration in the pilot.", min=study.pilot_start,
               max=study.inflow_end, source="F05 (inflow window of the study)",
               bounds_from=(shown, "dates.pilot_start", "dates.inflow_end")),
        Column("startdatum", "date", "Start of the trajectory (intake); empty if never started.",
               nullable=True, empty_means="never started", min=study.pilot_start, max=study.pilot_end, source="F08, T1",
               bounds_from=(shown, "dates.pilot_start", "dates.pilot_end")),
        Column("casemanager_org", "category", "Organisation of the case manager.", study.case_manager_orgs,
               nullable=True, source="F43", empty_means="no case manager (never started)"),
        Column("geslacht", "category", "Sex.", with_unknown(GENDERS), source="topic list (Bijlage 3)"),
        Column("leeftijd", "int", "Age in years at inflow; empty when unknown.", nullable=True, min=16,
               max=70, source="F31"),
        Column("opleidingsniveau", "category", "Education level (laag = up to mbo-1/vmbo).",
               with_unknown(EDUCATION_LEVELS), source="F31, F37, F38"),
        Column("dienstjaren", "float", "Years of service with the dismissing employer; empty when unknown.",
               nullable=True, min=0, max=55, source="F33"),
        Column("functie", "category", "Job at inflow.", with_unknown(study.functions), source="F35"),
        Column("functietype", "category", "Staff (staf) or operational (uitvoerend) job.",
               with_unknown(FUNCTION_TYPES), source="F35, Figuur 9"),
        Column("ontslagaanzegging", "bool", "Dismissal notice received at inflow; empty when not recorded (onbekend).",
               nullable=True, source="F27"),
        Column("triage", "category", "Triage path, implementation coding: 1 = high chance of work "
               "(own direction), 2 = short services + job matching, 3 = tailored intensive support. "
               "Empty if never triaged.", study.triage_paths, nullable=True, source="F44-F46, T12",
               empty_means="never triaged"),
        *(Column(s, "bool", f"Service received (referral by the case manager): {s[3:]}; empty when the "
                 "administration does not record it (onbekend).", nullable=True,
                 source="F48, F52, Figuur 11") for s in study.services),
        Column(v["STATUS_END"], "category", f"Outflow status on {first} (end of pilot).", study.statuses,
               source="F60, Figuur 12"),
        Column(v["STATUS_FOLLOW_UP"], "category", f"Outflow status on {second}.", study.statuses, source="F10, F69"),
        Column("uitstroomdatum", "date", "Date of the first outflow into work.", nullable=True,
               empty_means="never in work",
               min=study.pilot_start, max=study.follow_up_end, source="F10",
               bounds_from=(shown, "dates.pilot_start", "dates.follow_up_end")),
        Column("sector_nieuw", "category", f"Sector of the new job; empty for someone in work on {second}: not "
               "recorded, read as onbekend.", with_unknown(study.sectors), nullable=True, source="F64, Figuur 13"),
        Column("contract_nieuw", "category", f"Contract of the new job; empty for someone in work on {second}: "
               "not recorded, read as onbekend.", with_unknown(study.contracts), nullable=True, source="F62"),
        Column("gevonden_via", "category", "How the new job was found.", with_unknown(study.found_via),
               nullable=True, source="F62"),
        Column("certificeringscursus", "bool", "Follows a short certification course for the new job; empty when "
               "not recorded (onbekend).", nullable=True, source="F62"),
        Column("reden_stoppen", "category", "Reason for stopping or not starting.", study.stop_reasons,
               nullable=True, source="F60"),
        Column("beschut_werk_aanvraag", "bool", "Application for sheltered work pending; empty when not recorded "
               "(onbekend).", nullable=True, source="F08"),
        Column("geinterviewd", "bool", "Interviewed twice by the researchers (research flag); empty when not "
               "recorded (onbekend).", nullable=True, source="F74"),
    )


def _snapshot_rule(study: Study, v: dict, first: str, second: str) -> str:
    """The rule :func:`snapshot_change_allowed` applies, in words."""
    if study.follow_up_moves == "any":
        return (f"between {first} and {second} a status may change, but not from an outflow, which is final "
                f"({'/'.join(v['FINAL_STATUSES'])}; the study's follow_up_moves: any)")
    return (f"between {first} and {second} a status may only change from {'/'.join(v['MOVER_STATUSES'])} into work"
            + (" or, after work that ended, back into the trajectory" if study.outflow_can_end else "")
            + " (the study's follow_up_moves: into_work)")


def _row_rules(study: Study) -> tuple[RowRule, ...]:
    v = vocabulary(study)
    end, follow = v["STATUS_END"], v["STATUS_FOLLOW_UP"]
    first, second = (pd.Timestamp(c).strftime("%-d %B %Y") for c in v["CUTOFF_DATES"])
    return (
        RowRule(f"a participant working on {second} has an outflow date (an empty sector or contract is read as "
                "onbekend: not recorded); others have no sector or contract",
                (follow, "sector_nieuw", "contract_nieuw", "uitstroomdatum"),
                _work_has_job_details(v)),
        RowRule(_snapshot_rule(study, v, first, second), (end, follow), _snapshot_changes(v)),
        RowRule("startdatum is on or after instroomdatum", ("instroomdatum", "startdatum"), _start_after_inflow(v)),
        *_not_started_rules(v),
        RowRule("a participant who started has a case manager", ("startdatum", "casemanager_org"),
                _started_has_case_manager(v)),
        RowRule(f"uitstroomdatum is on or before {first} for work on {first}, after it for those first in "
                "work later", (end, follow, "uitstroomdatum"), _outflow_date_matches_status(v)),
        RowRule("functietype is staf exactly for the staff functions (any value when functie is onbekend)",
                ("functie", "functietype"), _function_matches_type(v)),
    )


def use_study(study: Study | str) -> Study:
    """Make ``study`` (a :class:`~analysis.study.Study`, or its id or file) the study of
    this module's names (:func:`vocabulary`, :data:`PARTICIPANTS`), which the pilot modules
    read when they are called. A kernel runs one notebook, so one study per process; the
    notebooks call this first (their parameter ``study``). Returns the study."""
    if not isinstance(study, Study):
        study = load_study(study)
    spec = checked_spec(study)
    globals().update(vocabulary(study), PARTICIPANTS=spec)
    return activate(study)


def checked_spec(study: Study) -> TableSpec:
    """:func:`participants_spec` of ``study``, once its ``outcome_linked`` columns are found
    to be columns of that codebook (the study file's check that needs the codebook)."""
    spec = participants_spec(study)
    unknown = sorted(study.outcome_linked - set(spec.column_names))
    if unknown:
        raise StudyError(study.source, [(f"outcome_linked ({name})", None, "must be a column of the participant "
                                         f"file: {', '.join(spec.column_names)}") for name in unknown])
    untold = [c for c in WORK_TIED if c in spec.column_names and c not in study.after_outflow]
    if untold:  # the release refuses a crosstab of them by a model predictor only when declared (hostile round 16)
        raise StudyError(study.source, [("outcome_linked.after_outflow", list(study.after_outflow),
                                         f"must list {', '.join(untold)}: the participant file's rules fill "
                                         f"{'it' if len(untold) == 1 else 'them'} only for who is in work "
                                         "(their values tell the outflow)")])
    return spec


# columns the participant file's own rules fill only for who is in work (``_work_has_job_details``)
WORK_TIED = ("uitstroomdatum", "sector_nieuw", "contract_nieuw")


def study_inputs(participants_path: str, status_history_path: str) -> tuple[str, str]:
    """The run's input files: as given, except that the active study, when it is not the
    default study and the run names the notebooks' default files (the default study's
    synthetic data), reads its own synthetic files (its study file's ``synthetic``
    section). A run of a shipped synthetic study then needs no paths of its own."""
    default = load_study(DEFAULT_STUDY).synthetic
    defaults = (default.get("participants"), default.get("status_history"))
    own = STUDY.synthetic
    if STUDY.id == DEFAULT_STUDY or (participants_path, status_history_path) != defaults or "participants" not in own:
        return participants_path, status_history_path
    return own["participants"], own.get("status_history", "")


def study_label(code: object, lang: str = "nl") -> str | None:
    """The label of ``code`` in ``lang`` from the active study's file (statuses, services,
    sectors and its own labels); None when the study does not label it. For the
    presentation layer (:mod:`analysis.presentation.labels`)."""
    return STUDY.label(code, lang)


PARTICIPANTS = checked_spec(STUDY)


def load_participant_file(path, processed_dir=None) -> pd.DataFrame:
    """Load and validate a participant file in the codebook's columns (CSV, ``;``-CSV, Excel
    or Parquet); with ``processed_dir``, keep the validated frame there as Parquet (see
    ``analysis.processed``). A file with headers of its own is refused with the command that
    drafts its mapping. Callers take :func:`analysis.pilot.inputs.load_participants`, which
    chooses between this route and an export's mapping."""
    try:
        df = load_table(path, PARTICIPANTS, processed_dir)
    except InputError as err:
        if not _looks_like_an_export(err) and not near_mappings(path):
            raise  # a clean file with a mistake, and no mapping under a near name beside it
        hint = Problem(f"{missing_mapping_rule(path, read_plain=True)}. A file with headers of its own is read "
                       f"through a mapping: `.venv/bin/python -m analysis inspect {_shown(path)} --study {STUDY.id}` "
                       f"drafts one to complete and save as {Path(path).stem}.mapping.yml (docs/new-pilot.md)")
        raise InputError(err.file, [hint, *err.problems]) from None
    copies = copy_problems(df, lambda i: Problem("", row=i).where())
    if copies:
        raise InputError(path, copies)
    return df


def _shown(path) -> str:
    """``path`` as a command in the project folder takes it (relative to the project root)."""
    try:
        return str(Path(path).resolve().relative_to(paths.PROJECT_ROOT))
    except ValueError:
        return str(path)


def _looks_like_an_export(err) -> bool:
    """Most of the codebook's columns are missing: headers of the file's own."""
    missing = [sum(p.rule.startswith("required column") for p in err.problems)]
    missing += [int(m.group(1)) for p in err.problems if (m := re.search(r"(\d+) of \d+ are missing", p.rule))]
    return max(missing) >= len(PARTICIPANTS.columns) / 2
