"""Schema of the catering pilot's participant file (case managers' administration).

Column names and codes are those of a Dutch case-management administration; the codebook
(``data/raw/README.md``) is generated from :data:`PARTICIPANTS` and explains each in
English. Fact ids (F.., C.., S..) refer to ``docs/pilot_published_facts.md``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from analysis.data.spec import Column, RowRule, TableSpec

PILOT_START = date(2020, 9, 1)
INFLOW_END = date(2020, 12, 31)
PILOT_END = date(2021, 4, 1)
FOLLOW_UP_END = date(2021, 4, 16)
CUTOFF_DATES = ("2021-04-01", "2021-04-16")

EMPLOYERS = ("Hutten", "Maison van den Boer", "Hotel Central")
CASE_MANAGER_ORGS = ("UWV", "Gemeente Meierijstad")
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
FUNCTIONS_OPERATIONAL = ("kok", "souschef", "cateringmedewerker", "gastvrouw")
FUNCTIONS_STAFF = ("locatiemanager", "administratief medewerker", "accountmanager",
                   "medewerker marketing en communicatie")
FUNCTIONS = FUNCTIONS_OPERATIONAL + FUNCTIONS_STAFF
TRIAGE_PATHS = (1, 2, 3)
STATUSES = ("nieuwe_baan", "werk_en_scholing", "opleiding", "oude_werkgever",
            "in_bemiddeling", "gestopt", "niet_gestart")
WORK_STATUSES = ("nieuwe_baan", "werk_en_scholing")
STAYED_STATUSES = ("nieuwe_baan", "werk_en_scholing", "opleiding", "in_bemiddeling")
SAME_SECTOR = "horeca_catering"
SECTORS = (SAME_SECTOR, "zorg", "onderwijs", "techniek", "logistiek", "detailhandel",
           "schoonmaak", "overheid", "zakelijke_dienstverlening")
CONTRACTS = ("vast", "tijdelijk", "uitzend", "zzp")
FOUND_VIA = ("eigen_netwerk", "vacature_casemanager", "uitzendbureau", "team_match")
STOP_REASONS = ("privéomstandigheden",)
GENDERS = ("man", "vrouw")
SERVICES = ("dv_coaching", "dv_talentenscan", "dv_loopbaantest", "dv_rouwverwerking",
            "dv_social_media", "dv_zzp_ondersteuning", "dv_sollicitatietraining",
            "dv_videopitch", "dv_team_match")
STATUS_COLUMNS = {"2021-04-01": "status_20210401", "2021-04-16": "status_20210416"}

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
    unknown = values.isna().any() or (values.astype(object) == UNKNOWN).any()
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


STATUS_END = status_column(CUTOFF_DATES[0])  # 1 April 2021, end of the pilot
STATUS_FOLLOW_UP = status_column(CUTOFF_DATES[1])  # 16 April 2021, footnotes 6 and 11


def _work_has_job_details(df: pd.DataFrame) -> pd.Series:
    working = df[STATUS_FOLLOW_UP].isin(WORK_STATUSES)
    filled = df["sector_nieuw"].notna() & df["contract_nieuw"].notna() & df["uitstroomdatum"].notna()
    return (working & filled) | (~working & df["sector_nieuw"].isna() & df["contract_nieuw"].isna())


def _april_changes_only_into_work(df: pd.DataFrame) -> pd.Series:
    same = df[STATUS_END] == df[STATUS_FOLLOW_UP]
    into_work = (df[STATUS_END].isin(("in_bemiddeling", "opleiding"))
                 & df[STATUS_FOLLOW_UP].isin(WORK_STATUSES))
    return same | into_work


def _start_after_inflow(df: pd.DataFrame) -> pd.Series:
    return df["startdatum"].isna() | (df["startdatum"] >= df["instroomdatum"])


def _not_started_has_no_trajectory(df: pd.DataFrame) -> pd.Series:
    ns = df[STATUS_END] == "niet_gestart"
    return ~ns | (df["startdatum"].isna() & df["triage"].isna() & df["casemanager_org"].isna())


def _started_has_case_manager(df: pd.DataFrame) -> pd.Series:
    started = df["startdatum"].notna()
    return ~started | df["casemanager_org"].notna()


def _outflow_date_matches_status(df: pd.DataFrame) -> pd.Series:
    working_0401 = df[STATUS_END].isin(WORK_STATUSES)
    working_0416 = df[STATUS_FOLLOW_UP].isin(WORK_STATUSES)
    d = df["uitstroomdatum"]
    by_0401 = d <= pd.Timestamp(PILOT_END)
    ok_0401 = ~working_0401 | by_0401.fillna(False)
    late = working_0416 & ~working_0401
    ok_late = ~late | (d > pd.Timestamp(PILOT_END)).fillna(False)
    return ok_0401 & ok_late


def _function_matches_type(df: pd.DataFrame) -> pd.Series:
    staff = df["functie"].isin(FUNCTIONS_STAFF)
    unknown = df["functie"] == UNKNOWN
    return unknown | (staff & (df["functietype"] == "staf")) | (~staff & (df["functietype"] == "uitvoerend"))


def function_type_of(functie: pd.Series) -> pd.Series:
    """``functietype`` follows from ``functie`` (staf for the staff functions, onbekend
    when the function is unknown); used where an export does not hold it."""
    staff = functie.isin(FUNCTIONS_STAFF)
    return pd.Series(["staf" if s else UNKNOWN if f == UNKNOWN else "uitvoerend" for s, f in zip(staff, functie)],
                     index=functie.index, dtype=object)


PARTICIPANTS = TableSpec(
    name="pilot_participants",
    description=(
        "One row per participant of the pilot *Van Werk Naar Werk in de contractcatering* "
        "(Noordoost Brabant, September 2020 - April 2021), as held in the case managers' "
        "administration (F03, F04). The file in `data/raw/` is SYNTHETIC: generated by "
        "`python -m analysis synthetic` to match every published fact; it describes no real person."),
    columns=(
        Column("deelnemer_id", "str", "Anonymous participant key.", unique=True,
               pattern=r"^[A-Za-z0-9_-]{1,32}$", source="F03"),
        Column("synthetisch", "bool", "True when the row is synthetic (never true in the real file).",
               source="this repository"),
        Column("werkgever", "category", "Dismissing employer (latende werkgever).", EMPLOYERS, source="F16"),
        Column("instroomdatum", "date", "Date of registration in the pilot.", min=PILOT_START,
               max=INFLOW_END, source="F05 (inflow Sep-Dec 2020)"),
        Column("startdatum", "date", "Start of the trajectory (intake); empty if never started.",
               nullable=True, min=PILOT_START, max=PILOT_END, source="F08, T1"),
        Column("casemanager_org", "category", "Organisation of the case manager.", CASE_MANAGER_ORGS,
               nullable=True, source="F43"),
        Column("geslacht", "category", "Sex.", with_unknown(GENDERS), source="topic list (Bijlage 3)"),
        Column("leeftijd", "int", "Age in years at inflow; empty when unknown.", nullable=True, min=16, max=70,
               source="F31"),
        Column("opleidingsniveau", "category", "Education level (laag = up to mbo-1/vmbo).",
               with_unknown(EDUCATION_LEVELS), source="F31, F37, F38"),
        Column("dienstjaren", "float", "Years of service with the dismissing employer; empty when unknown.",
               nullable=True, min=0, max=55,
               source="F33"),
        Column("functie", "category", "Job at inflow.", with_unknown(FUNCTIONS), source="F35"),
        Column("functietype", "category", "Staff (staf) or operational (uitvoerend) job.",
               with_unknown(FUNCTION_TYPES),
               source="F35, Figuur 9"),
        Column("ontslagaanzegging", "bool", "Dismissal notice received at inflow.", source="F27"),
        Column("triage", "category", "Triage path, implementation coding: 1 = high chance of work "
               "(own direction), 2 = short services + job matching, 3 = tailored intensive support. "
               "Empty if never triaged.", TRIAGE_PATHS, nullable=True, source="F44-F46, T12"),
        *(Column(s, "bool", f"Service received (referral by the case manager): {s[3:]}.", source="F48, F52, Figuur 11")
          for s in SERVICES),
        Column(STATUS_END, "category", "Outflow status on 1 April 2021 (end of pilot).", STATUSES,
               source="F60, Figuur 12"),
        Column(STATUS_FOLLOW_UP, "category", "Outflow status on 16 April 2021.", STATUSES, source="F10, F69"),
        Column("uitstroomdatum", "date", "Date of outflow into work.", nullable=True, min=PILOT_START,
               max=FOLLOW_UP_END, source="F10"),
        Column("sector_nieuw", "category", "Sector of the new job.", with_unknown(SECTORS), nullable=True,
               source="F64, Figuur 13"),
        Column("contract_nieuw", "category", "Contract of the new job.", with_unknown(CONTRACTS), nullable=True,
               source="F62"),
        Column("gevonden_via", "category", "How the new job was found.", with_unknown(FOUND_VIA), nullable=True,
               source="F62"),
        Column("certificeringscursus", "bool", "Follows a short certification course for the new job.",
               source="F62"),
        Column("reden_stoppen", "category", "Reason for stopping or not starting.", STOP_REASONS,
               nullable=True, source="F60"),
        Column("beschut_werk_aanvraag", "bool", "Application for sheltered work pending.", source="F08"),
        Column("geinterviewd", "bool", "Interviewed twice by the researchers (research flag).", source="F74"),
    ),
    row_rules=(
        RowRule("a participant working on 16 April has sector, contract and outflow date; others have no "
                "sector or contract", (STATUS_FOLLOW_UP, "sector_nieuw", "contract_nieuw", "uitstroomdatum"),
                _work_has_job_details),
        RowRule("between 1 and 16 April a status may only change from in_bemiddeling/opleiding into work",
                (STATUS_END, STATUS_FOLLOW_UP), _april_changes_only_into_work),
        RowRule("startdatum is on or after instroomdatum", ("instroomdatum", "startdatum"), _start_after_inflow),
        RowRule("a participant who never started (niet_gestart) has no startdatum, triage or case manager",
                (STATUS_END, "startdatum", "triage", "casemanager_org"), _not_started_has_no_trajectory),
        RowRule("a participant who started has a case manager", ("startdatum", "casemanager_org"),
                _started_has_case_manager),
        RowRule("uitstroomdatum is on or before 1 April for work on 1 April, after 1 April for the late movers",
                (STATUS_END, STATUS_FOLLOW_UP, "uitstroomdatum"), _outflow_date_matches_status),
        RowRule("functietype is staf exactly for the staff functions (any value when functie is onbekend)",
                ("functie", "functietype"),
                _function_matches_type),
    ),
)


def load_participants(path, processed_dir=None) -> pd.DataFrame:
    """Load and validate a participant file (CSV, ``;``-CSV, Excel or Parquet); with
    ``processed_dir``, keep the validated frame there as Parquet (see ``analysis.processed``).

    A case managers' export is read through its mapping (:mod:`analysis.pilot.from_export`)
    when ``path`` is the mapping file (``.yml``) or the export has ``<stem>.mapping.yml``
    beside it: the notebooks need no other change than their ``participants_path``."""
    from analysis.pilot.from_export import load_export_cached, mapping_path

    if mapping_path(path) is not None:
        return load_export_cached(path, processed_dir)
    from analysis.data.errors import InputError, Problem
    from analysis.data.loading import load_table

    try:
        return load_table(path, PARTICIPANTS, processed_dir)
    except InputError as err:
        if not _looks_like_an_export(err):  # a clean file with a mistake
            raise
        hint = Problem(f"a file with headers of its own is read through a mapping: `python -m analysis inspect "
                       f"{Path(path).name}` drafts one to complete and save as {Path(path).stem}.mapping.yml")
        raise InputError(err.file, [hint, *err.problems]) from None


def _looks_like_an_export(err) -> bool:
    """Most of the codebook's columns are missing: headers of the file's own."""
    import re

    missing = [sum(p.rule.startswith("required column") for p in err.problems)]
    missing += [int(m.group(1)) for p in err.problems if (m := re.search(r"(\d+) of \d+ are missing", p.rule))]
    return max(missing) >= len(PARTICIPANTS.columns) / 2


def participant_inputs(path) -> dict:
    """The files a participant load reads, for provenance: the file itself, and with the
    mapping route the export and its mapping."""
    from analysis.data.file_pairs import source_path
    from analysis.pilot.from_export import mapping_path

    mapping = mapping_path(path)
    if mapping is None:
        return {"participants": path}
    return {"participants": source_path(mapping), "participants_mapping": mapping}
