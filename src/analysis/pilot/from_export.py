"""The participant file read from a case-manager export through its mapping file.

:func:`load_export` reads the person sheets through the mapping
(:mod:`analysis.data.mapped`), derives what the export holds as dated records (statuses on
1 and 16 April and the outflow date from the status history, the ``dv_*`` flags from the
service records, ``functietype`` from ``functie`` when the export has no such column), sorts
the persons by ``deelnemer_id`` and validates the result exactly as a clean participant file
(:data:`analysis.pilot.schema.PARTICIPANTS`). Problems name the export's sheet, row, column
and value; problems of the mapping file name its key.

:func:`analysis.pilot.inputs.load_participants` comes here when it is given a mapping file,
or an export with a ``<stem>.mapping.yml`` beside it.
"""

from __future__ import annotations

import re
import warnings
from datetime import date
from pathlib import Path

import pandas as pd

from analysis import strict_yaml
from analysis.data import processed
from analysis.data.errors import InputError, written
from analysis.data.file_pairs import is_mapping_file, mapping_beside, missing_mapping_rule, source_path
from analysis.data.hidden import HIDDEN_RULE, hidden_parts
from analysis.data.id_likeness import difference, reader_key
from analysis.data.loading import ID_ADVICE, ID_LIKENESS, validate_frame
from analysis.data.mapped import (
    LINE,
    SHEET,
    WRITTEN,
    Stacked,
    lone_row_rule,
    open_sheets,
    read_records,
    stack_participants,
    translate,
)
from analysis.data.mapping import Mapping, MappingError, SheetProblem, mapping_text, read_mapping
from analysis.data.workbook import is_blank
from analysis.files import sha256_file, source_hash
from analysis.pilot import history as hist, schema as ps
from analysis.pilot.copies import copy_problems
from analysis.pilot.history_rules import before_inflow_issues, inflow_dates, late_issues, record_issues
from analysis.strict_yaml import NumberTextLoader


def history_derived() -> tuple[str, ...]:
    """The columns the status history gives (the active study's snapshot columns and the
    outflow date)."""
    return (*ps.STATUS_COLUMNS.values(), "uitstroomdatum")


def mapping_path(path: str | Path) -> Path | None:
    """The mapping that governs ``path``: ``path`` itself when it is a mapping file, the
    ``<stem>.mapping.yml`` beside an export when there is one, else ``None``."""
    path = Path(path)
    if is_mapping_file(path):
        return path
    beside = mapping_beside(path)
    return beside if beside.exists() or beside.is_symlink() else None  # a folder or link there: refused by name


def mapping_study(path: str | Path) -> str | None:
    """The ``study`` a mapping file names (read before the mapping is checked, whose codes
    are that study's); None when it names none (the default study) or cannot be read."""
    try:  # the strict loader: its alias and digit bounds (a 5,000-digit header_row raised here: hostile round 13)
        data = strict_yaml.load(mapping_text(path), "the mapping", NumberTextLoader)
    except (OSError, strict_yaml.YamlLimitError, InputError):
        return None  # the mapping's own check says what is wrong
    return str(data["study"]) if isinstance(data, dict) and data.get("study") else None


def read_participant_mapping(path: str | Path) -> Mapping:
    """The mapping for the active study; an error when it names another study."""
    study = mapping_study(path)
    if (study or ps.DEFAULT_STUDY) != ps.STUDY.id:
        raise MappingError(path, [SheetProblem(
            f"the mapping is for study {study or ps.DEFAULT_STUDY}, but the run's study is {ps.STUDY.id}: give the "
            f"run study: {study or ps.DEFAULT_STUDY} (notebook parameter study, or inspect --study)", key="study")])
    return read_mapping(path, ps.PARTICIPANTS, record_codes={"status": ps.STATUSES, "dienst": ps.SERVICES})


def derived_columns(mapping: Mapping) -> set[str]:
    """Spec columns the route fills itself instead of reading them from a column."""
    read = set(mapping.columns.values()) | set(mapping.constants)
    out = set()
    if "status_history" in mapping.records:
        out |= {c for c in history_derived() if c not in read}
    if "services" in mapping.records:
        out |= {s for s in ps.SERVICES if s not in read}
    if "functietype" not in read and "functie" in read:
        out.add("functietype")
    return out


def _iso(values: pd.Series) -> list[str]:
    return ["" if pd.isna(v) else pd.Timestamp(v).strftime("%Y-%m-%d") for v in values]


def window_problems(stacked: Stacked) -> list[SheetProblem]:
    """Each participant row whose inflow date lies outside the study's inflow window, in the
    words of the participant rules (:mod:`analysis.data.pandera_bridge`): the status history's
    problems are raised before those rules run, and an inflow typed after the window showed only
    as statuses dated before the inflow (hostile round 16), never as the window's rule."""
    col = next(c for c in ps.PARTICIPANTS.columns if c.name == "instroomdatum")
    days = pd.to_datetime(stacked.text["instroomdatum"], format="%Y-%m-%d", errors="coerce").dt.date
    out = []
    for r, day in enumerate(days):
        if pd.isna(day) or col.min <= day <= col.max:
            continue
        which = "min" if day < col.min else "max"
        rule = (f"'instroomdatum' must be >= {col.min}" if which == "min" else
                f"'instroomdatum' must be <= {col.max}") + col.bound_advice(which)
        sheet = stacked.text.at[r, SHEET]
        out.append(SheetProblem(rule, value=stacked.raw.at[r, "instroomdatum"], sheet=sheet,
                                sheet_row=int(stacked.text.at[r, LINE]),
                                header=stacked.headers.get((sheet, "instroomdatum"))))
    return out


def _history_problems(issues: list[hist.Issue], records: pd.DataFrame, stacked: Stacked,
                      mapping: Mapping) -> list[SheetProblem]:
    """History issues located: a record's own cell, or the person's row for a missing record."""
    header_of = {role: h for h, role in mapping.records["status_history"].columns.items()}
    row_of = {i: r for r, i in enumerate(stacked.text["deelnemer_id"])}
    sheets, lines = records[SHEET].to_numpy(dtype=object), records[LINE].to_numpy()  # not .at per issue (slow)
    cells = {c: records[WRITTEN + c].to_numpy(dtype=object) for c in {i.column for i in issues if i.row is not None}}
    out = []
    for issue in issues:
        value = issue.person
        if issue.row is not None:
            sheet, line = sheets[issue.row], lines[issue.row]
            header = header_of[issue.column]
            value = cells[issue.column][issue.row]  # the status as written, not the person
            rule = f"{issue.rule} (participant {issue.person})" if issue.column != "deelnemer_id" else issue.rule
        else:
            r = row_of[issue.person]
            sheet, line = stacked.text.at[r, SHEET], stacked.text.at[r, LINE]
            header = stacked.headers.get((sheet, "deelnemer_id"))
            rule = issue.rule
        out.append(SheetProblem(rule, value=value, sheet=sheet, sheet_row=int(line), header=header))
    return out


def id_rule() -> tuple[str, str]:
    """The pattern of a participant id and its rule, as the CSV route checks it (the schema's)."""
    column = next(c for c in ps.PARTICIPANTS.columns if c.name == "deelnemer_id")
    pattern = column.pattern or r"^.+$"
    return pattern, (f"'deelnemer_id' must match {pattern} (letters, digits, '-' and '_', as in a participant "
                     "file): write the id without spaces, punctuation or other characters")


# A first cell that reads as a total ("Totaal", "Totaal: 62 deelnemers", "Aantal ..."): no person
# (inspect's profile lists such rows; its draft proposes skip_rows for them).
# A subtotal per employer or case manager ("Subtotaal Drukkerij De Pers", "Sub-totaal", "Eindtotaal")
# is one too (H41n: it drew the id rule, whose advice made it a person).
TOTALS = re.compile(r"^((sub|eind)[- ]?)?(totaal|totalen|total)\b|^(som|aantal)\b", re.IGNORECASE)


def totals_rule(written: object) -> str | None:
    """The rule for an id cell that reads as a totals row: leave the row out with
    ``participants.skip_rows`` (a pattern of its first filled cell), never edit it into an id
    (newpilot2's F10, hostile round 14's e24: the id rule told the evaluator to write the
    totals text as an id); None for any other cell."""
    found = TOTALS.match(" ".join(str(written or "").split()))
    if found is None:
        return None
    return (f"this row reads as totals, not a person: leave it out with participants.skip_rows: "
            f"[\"^{found.group(0).lower()}\"] in the mapping (a pattern of the row's first filled cell); the export "
            "itself stays as it is")


def heading_rule(written: object) -> str:
    """The rule for an id cell that is not an id and the only filled cell of its row: a
    heading between groups of persons (``Drukkerij De Pers`` above that employer's people),
    left out with ``participants.skip_rows`` (the id rule's advice would make it a person)."""
    return lone_row_rule(str(written), "participants.skip_rows")


# A cell that is a totals word and nothing else ("Totaal", "Eindtotaal", "Sub-totaal"): a totals row even
# where the study's id pattern takes it for an id (hostile round 18: a pivot's "Eindtotaal" row drew the
# status rule, "every participant needs a status", not the skip_rows advice)
TOTAL_WORD = re.compile(r"^((sub|eind)[- ]?)?(totaal|totalen|total)$", re.IGNORECASE)


def id_problems(ids, written, sheets, lines, header_of, alone=lambda _i: False) -> list[SheetProblem]:
    """Ids that break the schema's pattern or are a totals word, each located with the cell as
    written (a totals row with :func:`totals_rule`'s advice, a row whose other cells are empty,
    ``alone(i)`` for its position ``i``, with :func:`heading_rule`'s)."""
    pattern, rule = id_rule()
    return [SheetProblem(totals_rule(w) or (heading_rule(w) if alone(n) else rule), value=w, sheet=sh,
                         sheet_row=int(line), header=header_of(sh))
            for n, (i, w, sh, line) in enumerate(zip(ids, written, sheets, lines))
            if i and (not re.match(pattern, i) or TOTAL_WORD.match(" ".join(str(w or "").split())))]


def _alone(stacked: Stacked, n: int) -> bool:
    """Whether the id cell is the only filled cell of the ``n``-th stacked row among its sheet's
    mapped columns (a constant of the mapping is no cell of the row)."""
    sheet = stacked.text[SHEET].iloc[n]
    return all(is_blank(stacked.raw[c].iloc[n]) for (s, c), header in stacked.headers.items()
               if s == sheet and c != "deelnemer_id" and c in stacked.raw and not header.startswith("("))


def _check_ids(stacked: Stacked, source: Path) -> None:
    """Identifiers are required, of the schema's characters and unique (also when case, spaces,
    separators, look-alike characters and leading zeros are ignored), checked before anything
    is joined on them."""
    t = stacked.text
    header = lambda r: stacked.headers.get((t.at[r, SHEET], "deelnemer_id"))  # noqa: E731
    problems = [SheetProblem("'deelnemer_id' must not be empty (identifiers are required)", sheet=t.at[r, SHEET],
                             sheet_row=int(t.at[r, LINE]), header=header(r)) for r in t.index[t["deelnemer_id"] == ""]]
    problems += id_problems(t["deelnemer_id"], stacked.raw["deelnemer_id"], t[SHEET], t[LINE],
                            lambda sh: stacked.headers.get((sh, "deelnemer_id")), lambda n: _alone(stacked, n))
    first: dict[str, int] = {}
    for r, i in zip(t.index, t["deelnemer_id"]):
        key = reader_key(i)
        if i and key in first:
            f = first[key]
            same = t.at[f, "deelnemer_id"] == i
            rule = ("'deelnemer_id' must be unique" if same else
                    f"'deelnemer_id' must be unique also when {ID_LIKENESS} are ignored "
                    f"({written(t.at[f, 'deelnemer_id'])}, which it differs from only by "
                    f"{difference(i, t.at[f, 'deelnemer_id'])}); {ID_ADVICE}")
            problems.append(SheetProblem(f"{rule} (value already in sheet '{t.at[f, SHEET]}', row {t.at[f, LINE]})",
                                         value=i, sheet=t.at[r, SHEET], sheet_row=int(t.at[r, LINE]), header=header(r)))
        first.setdefault(key, r)
    if problems:
        raise MappingError(source, problems)


def _check_record_ids(records: pd.DataFrame, mapping: Mapping, kind: str) -> None:
    """Ids of the status history or the service records: the schema's characters."""
    header = next(h for h, role in mapping.records[kind].columns.items() if role == "deelnemer_id")
    problems = id_problems(records["deelnemer_id"], records[WRITTEN + "deelnemer_id"], records[SHEET],
                           records[LINE], lambda _sheet: header)
    if problems:
        raise MappingError(mapping.source, problems)


def _history_columns(mapping: Mapping, grids, stacked: Stacked, derived: set[str]) -> None:
    """Fill the snapshot columns and the outflow date from the status history."""
    records = read_records(mapping, grids, "status_history", {"status": set(ps.STATUSES)})
    _check_record_ids(records, mapping, "status_history")
    ids = stacked.text["deelnemer_id"].tolist()
    issues = hist.history_problems(records, ids) + record_issues(
        records, stacked.text, lambda r: f"sheet '{records.at[r, SHEET]}', row {records.at[r, LINE]}",
        ps.FOLLOW_UP_END, date.today(), ps.LATE_RECORDS_MONTHS)
    if issues:  # an inflow outside the study's window is listed beside the records it puts before it
        raise MappingError(mapping.source, window_problems(stacked) + _history_problems(issues, records, stacked,
                                                                                        mapping))
    snaps = hist.snapshot_columns(records, ids)
    if problems := snapshot_record_problems(records, snaps, mapping):
        raise MappingError(mapping.source, problems)
    given = {**{c: snaps[c].fillna("").to_list() for c in ps.STATUS_COLUMNS.values()},
             "uitstroomdatum": _iso(hist.outflow_dates(records, ids))}
    if problems := _read_beside_history(given, stacked, derived):
        raise MappingError(mapping.source, problems)
    for col, values in given.items():
        if col in derived:
            stacked.text[col] = values


def snapshot_record_problems(records: pd.DataFrame, snaps: pd.DataFrame, mapping: Mapping) -> list[SheetProblem]:
    """The study's rule between its two snapshot dates (``follow_up_moves``), applied to the
    statuses the history gives, each break named at the history record that gives the follow-up
    status (its sheet, row, status column and status as written): the participant's row, which
    the rule named before (hostile round 20), holds no status of its own on this route."""
    end, follow = (snaps[hist.snapshot_name(c)] for c in ps.CUTOFF_DATES)
    both = end.notna() & follow.notna()
    bad = both & ~ps.snapshot_change_allowed(end.fillna(""), follow.fillna(""))
    if not bad.any():
        return []
    rule = next(r.name for r in ps.PARTICIPANTS.row_rules if set(r.columns) == set(ps.STATUS_COLUMNS.values()))
    header = next(h for h, role in mapping.records["status_history"].columns.items() if role == "status")
    dated = records[records["datum"] <= pd.Timestamp(ps.CUTOFF_DATES[1])]
    last = dated.sort_values("datum", kind="stable").groupby("deelnemer_id").tail(1).set_index("deelnemer_id")
    return [SheetProblem(f"{rule} (participant {person}: {end[person]} on {ps.CUTOFF_DATES[0]}, {follow[person]} "
                         f"on {ps.CUTOFF_DATES[1]} by this record)", value=last.at[person, WRITTEN + "status"],
                         sheet=last.at[person, SHEET], sheet_row=int(last.at[person, LINE]), header=header)
            for person in bad.index[bad]]


def _read_beside_history(given: dict, stacked: Stacked, derived: set[str]) -> list[SheetProblem]:
    """A column the status history gives that the sheet maps too (a placement date mapped to
    uitstroomdatum) must agree with the history, person by person (newpilot19: the export's date
    of a second placement silently replaced the history's first outflow); each row that differs,
    with both values."""
    problems = []
    for col, values in given.items():
        if col in derived or col not in stacked.text:
            continue
        for r, (read, history) in enumerate(zip(stacked.text[col], values)):
            if str(read or "") != str(history or ""):
                sheet = stacked.text.at[r, SHEET]
                problems.append(SheetProblem(
                    f"{col} is also given by the status history, which reads {history or '(none)'} for participant "
                    f"{stacked.text.at[r, 'deelnemer_id']}: the two must agree; list the column under "
                    "participants.ignore to take the history's", value=stacked.raw.at[r, col], sheet=sheet,
                    sheet_row=int(stacked.text.at[r, LINE]), header=stacked.headers.get((sheet, col))))
    return problems


NEW_JOB = ("sector_nieuw", "contract_nieuw")  # the job held on the follow-up date (the rule of job details)
# and how that job was found: filled only for who is in work then (the shipped data; hostile round 16,
# finding 4: an ended job's found-via was read as the follow-up job's)
ENDED_JOB = (*NEW_JOB, "gevonden_via")


def ended_job_rows(text: pd.DataFrame) -> list[int]:
    """Rows whose job ended before the follow-up date (not in work then, an outflow date from
    the history: back in the trajectory, where the study lets a placement end) and whose new
    job's sector, contract or how it was found is still filled: the details of the ended job."""
    if not ps.STUDY.outflow_can_end or not set(NEW_JOB) | {ps.STATUS_FOLLOW_UP, "uitstroomdatum"} <= set(text):
        return []
    ended = ~text[ps.STATUS_FOLLOW_UP].isin(ps.WORK_STATUSES) & (text["uitstroomdatum"].fillna("") != "")
    filled = (text[[c for c in ENDED_JOB if c in text]].fillna("") != "").any(axis=1)
    return [int(i) for i in text.index[(ended & filled).to_numpy()]]


def _ended_job_details(stacked: Stacked) -> None:
    """A person whose job ended and who is back in the trajectory may carry that job's sector,
    contract and how it was found in the export (the case manager left them): read as the ended job's, which
    the file does not record (its columns are the follow-up date's job), with a note naming
    the rows; never an edit of the export (issue 24)."""
    t = stacked.text
    rows = ended_job_rows(t)
    if not rows:
        return
    for col in ENDED_JOB:
        if col in t:
            t.loc[rows, col] = ""
    where = ", ".join(f"sheet '{t.at[r, SHEET]}' row {t.at[r, LINE]}" for r in rows[:10])
    more = f" and {len(rows) - 10} more" if len(rows) > 10 else ""
    warnings.warn(f"{len(rows)} person(s) whose job ended before {ps.CUTOFF_DATES[1]} (back in the trajectory) carry "
                  f"that job's sector, contract or how it was found ({where}{more}): read as the ended job's, not "
                  f"as a job on {ps.CUTOFF_DATES[1]}; the export needs no edit", stacklevel=4)


def _service_columns(mapping: Mapping, grids, stacked: Stacked, derived: set[str]) -> None:
    records = read_records(mapping, grids, "services", {"dienst": set(ps.SERVICES)})
    _check_record_ids(records, mapping, "services")
    ids = stacked.text["deelnemer_id"].tolist()
    unknown = records[~records["deelnemer_id"].isin(ids)]
    if not unknown.empty:
        raise MappingError(mapping.source, [
            SheetProblem("every person in the service records must be a participant", value=r.deelnemer_id,
                         sheet=r[SHEET], sheet_row=int(r[LINE])) for _, r in unknown.iterrows()])
    early = (before_inflow_issues(records, inflow_dates(stacked.text), "a service")
             + late_issues(records, ps.FOLLOW_UP_END, date.today(), "a service", ps.LATE_RECORDS_MONTHS))
    if early:
        header = next(h for h, role in mapping.records["services"].columns.items() if role == "datum")
        raise MappingError(mapping.source, [
            SheetProblem(f"{i.rule} (participant {i.person})", value=records.at[i.row, WRITTEN + "datum"],
                         sheet=records.at[i.row, SHEET], sheet_row=int(records.at[i.row, LINE]), header=header)
            for i in early])
    flags = hist.service_flags(records, ids)
    recorded = set(records["dienst"])
    for s in ps.SERVICES:
        if s in derived:  # a service the sheet never names for anyone is not recorded: empty (onbekend), not false
            stacked.text[s] = ["true" if f else "false" for f in flags[s]] if s in recorded else [""] * len(ids)


def warn_hidden(export: Path) -> None:
    """A warning naming the hidden sheets, rows and columns of the export (file name only):
    a hidden column is read where the mapping names it, which the evaluator may not expect."""
    hidden = hidden_parts(export)
    if hidden:
        parts = "; ".join(f"sheet '{sheet}': {', '.join(p)}" for sheet, p in hidden.items())
        warnings.warn(f"{Path(export).name} has hidden parts {HIDDEN_RULE}: {parts}", stacklevel=4)


def load_export(path: str | Path) -> pd.DataFrame:
    """The validated participant frame of an export read through its mapping (``path`` is
    the mapping file, or an export with its mapping beside it)."""
    return _load_export(path)[0]


def load_export_with_history(path: str | Path) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """:func:`load_export` and, when the mapping has one, :func:`load_status_history`, from one
    reading of the workbook (each sheet unpacked and checked once: ``inspect --check`` of an
    export of 100,000 rows read every sheet twice)."""
    frame, mapping, grids = _load_export(path)
    if "status_history" not in mapping.records:
        return frame, None
    return frame, _history_records(mapping, grids)


def _history_records(mapping, grids) -> pd.DataFrame:
    records = read_records(mapping, grids, "status_history", {"status": set(ps.STATUSES)})
    return records[list(hist.HISTORY_COLUMNS)].sort_values(["deelnemer_id", "datum"], kind="stable",
                                                           ignore_index=True)


def _load_export(path: str | Path):
    """The validated frame, the mapping and the sheets it was read from."""
    found = mapping_path(path)
    if found is None:
        missing, draft = missing_mapping_rule(path), f"`.venv/bin/python -m analysis inspect {Path(path).name}`"
        raise MappingError(path, [SheetProblem(f"a mapping file must exist beside the export ({missing}); {draft} "
                                               "writes a draft")])
    mapping = read_participant_mapping(found)
    _refuse_other_source(path, mapping)
    grids = open_sheets(mapping)  # the source checked first (a FIFO, a folder, a link: refused there)
    warn_hidden(mapping.source)
    derived = derived_columns(mapping)
    stacked = stack_participants(mapping, grids, derived)
    _check_ids(stacked, mapping.source)
    if "status_history" in mapping.records:
        _history_columns(mapping, grids, stacked, derived)
        _ended_job_details(stacked)
    if "services" in mapping.records:
        _service_columns(mapping, grids, stacked, derived)
    if "functietype" in derived:
        stacked.text["functietype"] = ps.function_type_of(stacked.text["functie"]).to_list()
    for sheet in mapping.sheets:
        for col in derived:
            stacked.headers.setdefault((sheet, col), f"({col}, derived)")
    order = sorted(range(len(stacked.text)), key=lambda i: str(stacked.text.at[i, "deelnemer_id"]))
    frame = stacked.text.loc[order, ps.PARTICIPANTS.column_names].reset_index(drop=True)
    try:
        valid = validate_frame(frame, ps.PARTICIPANTS, file=mapping.source)
    except InputError as err:
        raise translate(err, stacked, order) from None
    _check_copies(valid[[c for c in valid.columns if c not in derived]], stacked, order, mapping.source)
    return valid, mapping, grids


def _refuse_other_source(path: str | Path, mapping: Mapping) -> None:
    """An export named beside a mapping whose ``source:`` is another file is refused (hostile
    round 18: last month's mapping copied beside this month's export read last month's file,
    and nothing said so). A mapping file named itself reads the source it names."""
    if is_mapping_file(path) or mapping.source.resolve() == Path(path).resolve():
        return
    raise MappingError(mapping.path, [SheetProblem(
        f"the mapping beside {Path(path).name} names another file as its source ({mapping.source.name}); "
        f"write `source: {Path(path).name}` in it, or name the mapping file itself to read {mapping.source.name}",
        value=mapping.source_written or str(mapping.source), key="source")])


def _check_copies(frame: pd.DataFrame, stacked: Stacked, order: list[int], source: Path) -> None:
    """A person copied under a new id (:mod:`analysis.pilot.copies`), named by sheet and row:
    ``frame`` holds the columns read from the person sheets (a row copied there without the
    person's service records differs only in what those records give)."""
    t = stacked.text
    place = lambda i: (t.at[order[i], SHEET], int(t.at[order[i], LINE]))  # noqa: E731
    problems = copy_problems(frame, lambda i: "sheet '{}', row {}".format(*place(i)))
    if problems:
        located = [(p, *place(p.row)) for p in problems]
        raise MappingError(source, [SheetProblem(p.rule, value=p.value, sheet=sheet, sheet_row=line,
                                                 header=stacked.headers.get((sheet, "deelnemer_id")))
                                    for p, sheet, line in located])


def load_export_cached(path: str | Path, processed_dir: str | Path | None = None) -> pd.DataFrame:
    """:func:`load_export`, kept in ``processed_dir`` as Parquet under a key made of the
    export's and the mapping's hashes (see :mod:`analysis.data.processed`)."""
    if processed_dir is None:
        return load_export(path)

    mapping = mapping_path(path)
    if mapping is None:
        return load_export(path)  # says what is missing
    export = source_path(mapping)
    if not is_mapping_file(path) and export.resolve() != Path(path).resolve():
        return load_export(path)  # a mapping beside the export naming another file: refused there
    if not export.is_file() or export.is_symlink() or not mapping.is_file() or mapping.is_symlink():
        return load_export(path)  # refuses a link, a pipe, a device, a folder with its message
    key = f"{sha256_file(export)}+{sha256_file(mapping)}:{ps.PARTICIPANTS.name}:{source_hash()}"
    cached = processed.read_if_current(export, key, Path(processed_dir))
    if cached is not None:
        return cached
    out = load_export(path)
    processed.write(out, export, key, Path(processed_dir))
    return out


def load_status_history(path: str | Path) -> pd.DataFrame:
    """The export's status history (``deelnemer_id``, ``datum``, ``status``), checked as
    :func:`load_export` checks it, for statuses on other cut-off dates than the two of the
    participant file: ``analysis.pilot.history.status_at(load_status_history(p), "2021-06-01")``."""
    found = mapping_path(path)
    mapping = read_participant_mapping(found if found is not None else path)
    if "status_history" not in mapping.records:
        raise MappingError(mapping.path, [SheetProblem("the mapping has no status_history", key="status_history")])
    _, mapping, grids = _load_export(path)  # the persons and their history pass every check
    return _history_records(mapping, grids)
