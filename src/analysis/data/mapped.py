"""Applying a mapping (:mod:`analysis.data.mapping`) to an export: the sheets stacked, headers
renamed, labels recoded and dates read, giving a frame of text cells in the spec's columns
that :func:`analysis.data.loading.validate_frame` then parses and validates as it would a
clean CSV file. Every problem names the sheet, the spreadsheet row, the export's header and
the value as written; problems the validation finds are translated back to those too.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd

from analysis.data.cells import header_text
from analysis.data.errors import InputError, Problem, written
from analysis.data.label_chars import suspect_rule
from analysis.data.mapping import Derive, Mapping, MappingError, Recode, RecordTable, SheetProblem
from analysis.data.month_names import month_rule, with_month_number
from analysis.data.parsing import _MISSING_TEXT, _TIME_OF_DAY, MISSING_TEXTS, excel_serial_rule
from analysis.data.readers import check_path
from analysis.data.regex_guard import MAX_LABEL
from analysis.data.sheet_grid import sheet_error
from analysis.data.spec import Column
from analysis.data.workbook import (
    LINE,
    SheetTable,
    is_blank,
    named_columns,
    read_sheets,
    repeated_rule,
    sheet_table,
)
from analysis.data.xlsx_parts import column_letter

SHEET = "__sheet__"
WRITTEN = "__written__"  # prefix of a record table's columns holding the cells as written
HEADER_SCAN = 50  # rows searched for the header row (header_row: auto)


def _norm(text: object) -> str:
    return header_text(text).casefold()


def find_header_row(grid: list[tuple], known: set[str], sheet: str, section: str, source=None) -> int:
    """``header_row: auto``: the first row (1-based) holding the most of the ``known``
    headers (note and title rows above the table hold none or fewer); an error when no row
    of the first :data:`HEADER_SCAN` holds any."""
    wanted = {_norm(h) for h in known}
    counts = [sum(_norm(v) in wanted for v in row if not is_blank(v)) for row in grid[:HEADER_SCAN]]
    if not counts or max(counts) == 0:
        rule = (f"header_row auto: none of the first {HEADER_SCAN} rows holds a header the mapping names under "
                f"{section}.columns; set {section}.header_row to the row of the headers")
        raise MappingError(source or sheet, [SheetProblem(rule, sheet=sheet, key=f"{section}.header_row")])
    return counts.index(max(counts)) + 1


def skip_rows(table: SheetTable, patterns: tuple[str, ...], source=None, key: str = "skip_rows") -> SheetTable:
    """``table`` without the rows whose first filled cell matches one of ``patterns``
    (regular expressions, searched, case ignored, in the cell's first 200 characters):
    totals and notes below the data. A first cell that a pattern matches and that holds a
    character that does not show or can be taken for another is refused, naming the row and
    the character (:mod:`analysis.data.label_chars`): a pattern matches part of a cell, so a
    row would be dropped for what shows of it (hostile round 13)."""
    if not patterns or table.rows.empty:
        return table
    cells = table.rows[list(table.headers)]

    def first_text(row) -> str:  # its first MAX_LABEL characters: a pattern's time stays bounded
        return next((" ".join(str(v).split())[:MAX_LABEL] for v in row if not is_blank(v)), "")

    first = cells.apply(first_text, axis=1)
    drop = first.map(lambda t: any(re.search(rx, t, re.IGNORECASE) for rx in patterns))
    hidden = [SheetProblem(f"{suspect_rule(text).replace('the label', 'its first cell', 1)}, and a {key} pattern "
                           "matches that cell; a row is never skipped for what shows of it: remove the character "
                           "from the cell, or narrow the pattern so that the row is read (and checked) as data",
                           value=text, sheet=table.sheet, sheet_row=int(line), key=key)
              for text, line, dropped in zip(first, table.rows[LINE], drop) if dropped and suspect_rule(text)]
    if hidden:
        raise MappingError(source or table.sheet, hidden)
    # the repeated headers kept: a copied header was read as a missing column (hostile round 17)
    return SheetTable(table.sheet, table.header_row, table.headers, table.rows[~drop].reset_index(drop=True),
                      table.repeated)


def completed_years(value: object, until: str, formats: tuple[str, ...]) -> tuple[str, str | None]:
    """Completed years from ``value`` (a date cell, a date in ``formats``, or a year alone:
    ``2001`` or the number 2001) up to ``until`` (``YYYY-MM-DD``; empty: unknown). A year
    alone counts whole calendar years (``until``'s year minus it)."""
    if is_blank(value) or not until:
        return "", None
    end = date.fromisoformat(until)
    text = cell_text(value)
    if re.fullmatch(r"(19|20)\d\d", text):
        years = end.year - int(text)
    else:
        iso = date_text(value, formats)
        if iso is None:
            return "", f"{date_rule(value, formats)}, or a year such as 2001, to count completed years from"
        start = date.fromisoformat(iso)
        years = end.year - start.year - ((end.month, end.day) < (start.month, start.day))
    if years < 0:
        return "", f"must be on or before the date it is counted up to ({until})"
    return str(years), None


def cell_text(value: object) -> str:
    """A cell as the text a CSV file would hold (``""`` for an empty cell)."""
    if is_blank(value):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (datetime, date, pd.Timestamp)):
        return pd.Timestamp(value).strftime("%Y-%m-%d")
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return " ".join(str(value).split())


_CLOCK = re.compile(r"^(?P<date>.*\d)(?:[ T]+)(?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2})(?:\.\d+)?)?$")


def has_time_of_day(value: object, formats: tuple[str, ...] = ()) -> bool:
    """Whether a date cell holds a time of day other than midnight: an Excel date-time, or a
    text ending in a time (``2021-01-23 08:30``, ``23-01-2021T10:00:00``)."""
    if isinstance(value, (datetime, pd.Timestamp)):
        return (value.hour, value.minute, value.second, value.microsecond) != (0, 0, 0, 0)
    if isinstance(value, date) or is_blank(value):
        return False
    text = cell_text(value)
    if len(text) > 40:  # no date with a time is longer; the pattern's time stays bounded
        return False
    m = _CLOCK.match(text)
    return bool(m) and (int(m["h"]), int(m["m"]), int(m["s"] or 0)) != (0, 0, 0)


def _without_midnight(text: str) -> str:
    """``23-01-2021 00:00`` as ``23-01-2021`` (midnight is the date itself)."""
    m = _CLOCK.match(text) if len(text) <= 40 else None
    return m["date"].strip() if m and (int(m["h"]), int(m["m"]), int(m["s"] or 0)) == (0, 0, 0) else text


def parse_date(text: str, fmt: str) -> str | None:
    """``text`` read with ``fmt`` as ``YYYY-MM-DD``; None when it is not in that format or
    holds a time of day other than midnight."""
    for candidate in dict.fromkeys((text, _without_midnight(text))):
        named = with_month_number(candidate, fmt)  # a month name, Dutch or English, in any locale
        try:
            moment = datetime.strptime(*(named or (candidate, fmt)))
        except ValueError:
            continue
        if moment.time() != datetime.min.time():
            return None
        return moment.strftime("%Y-%m-%d")
    return None


def date_text(value: object, formats: tuple[str, ...]) -> str | None:
    """A date cell as ``YYYY-MM-DD`` (``""`` when empty; ``None`` when it is no date in
    one of ``formats``, or holds a time of day: the rules count whole days)."""
    if is_blank(value):
        return ""
    if isinstance(value, (datetime, date, pd.Timestamp)):
        return None if has_time_of_day(value) else pd.Timestamp(value).strftime("%Y-%m-%d")
    text = cell_text(value)
    for fmt in formats:
        found = parse_date(text, fmt)
        if found is not None:
            return found
    return None


def date_rule(value: object, formats: tuple[str, ...]) -> str:
    """Why a date cell was not read: a time of day, or not in the column's format."""
    if has_time_of_day(value):
        return _TIME_OF_DAY
    if cell_text(value).lower() in MISSING_TEXTS:
        return _MISSING_TEXT.format(advice="write the date, or leave the cell empty where it is not known")
    serial = None if isinstance(value, bool) else excel_serial_rule(cell_text(value))
    if serial is not None:
        return serial
    named = month_rule(cell_text(value), formats)
    if named is not None:
        return named
    if len(formats) == 1:
        return (f"a date in the format {formats[0]} (date_formats; a column is read in one format): write the date "
                "so, or as an Excel date")
    return f"a date in one of the formats {', '.join(formats)} (date_formats): write the date so, or as an Excel date"


def column_format(values: pd.Series, formats: tuple[str, ...], where: tuple[str, str],
                  lines: pd.Series) -> tuple[tuple[str, ...], list[Problem]]:
    """The one format of ``date_formats`` a date column is read in, so that no two cells of
    one column are read by different formats (``03-04-2021`` as 3 April in one row and
    ``04-03-2021``... as 4 March in another). The first format that reads every text date of
    the column; when two or more read every one and give some cell different dates, the
    column is ambiguous and each such cell is a problem; when none reads every one, the
    format that reads most (its other cells are then refused). Excel date cells need none."""
    texts = list(dict.fromkeys(cell_text(v) for v in values
                               if not is_blank(v) and not isinstance(v, (datetime, date, pd.Timestamp))))
    if not formats or not texts:
        return formats, []
    reads = {fmt: {t: parse_date(t, fmt) for t in texts} for fmt in formats}
    complete = [fmt for fmt in formats if all(reads[fmt][t] is not None for t in texts)]
    if not complete:
        best = max(formats, key=lambda fmt: sum(reads[fmt][t] is not None for t in texts))
        return (best,), _other_order(values, texts, best, reads[best], where, lines)
    differ = {t for t in texts if len({reads[fmt][t] for fmt in complete}) > 1}
    if not differ:
        return (complete[0],), []
    sheet, header = where
    problems = []
    for value, line in zip(values, lines):
        text = "" if is_blank(value) else cell_text(value)
        if text in differ:
            readings = "; ".join(f"{reads[fmt][text]} as {fmt}" for fmt in complete)
            problems.append(SheetProblem(
                f"the column's dates can be read two ways (every date of the column fits the formats "
                f"{', '.join(complete)} of date_formats, and this one gives {readings}): keep the one format of "
                "this export in date_formats, or write the dates as YYYY-MM-DD", value=value, sheet=sheet,
                sheet_row=int(line), header=header))
    return (), problems


def _swapped(fmt: str) -> str | None:
    """``fmt`` with day and month swapped (``%d-%m-%Y`` -> ``%m-%d-%Y``); None without both."""
    if "%d" not in fmt or "%m" not in fmt:
        return None
    return fmt.replace("%d", "\0").replace("%m", "%d").replace("\0", "%m")


def _other_order(values: pd.Series, texts: list[str], fmt: str, read: dict, where: tuple[str, str],
                 lines: pd.Series) -> list[Problem]:
    """Every date cell of a column that ``fmt`` reads only in part while the other order of day
    and month reads a cell it does not (``10-13-2020`` in a column read as ``%d-%m-%Y``): the
    column writes the month first, so the cells ``fmt`` does read would be misread silently.
    Empty when the column shows no such cell (the same rule as the text route's,
    :mod:`analysis.data.date_order`)."""
    other = _swapped(fmt)
    evidence = [t for t in texts if read[t] is None and other and parse_date(t, other) is not None]
    if not evidence:
        return []
    sheet, header = where
    rule = (f"a date in the one order of day and month of date_formats ({fmt}): the column writes the other order "
            f"in some cells ({written(evidence[0])} reads only as {other}), so each of its dates can be misread; "
            "keep the one format of this export in date_formats, or write the dates as YYYY-MM-DD")
    return [SheetProblem(rule, value=value, sheet=sheet, sheet_row=int(line), header=header)
            for value, line in zip(values, lines)
            if not is_blank(value) and not isinstance(value, (datetime, date, pd.Timestamp))]


@dataclass
class Stacked:
    """Rows of the mapped sheets: ``text`` holds the spec's columns as text, ``raw`` the
    cells as written, ``headers`` the export header of each (sheet, column)."""

    text: pd.DataFrame
    raw: pd.DataFrame
    headers: dict[tuple[str, str], str]


def convert_cell(value: object, kind: str, recode: Recode | None, formats: tuple[str, ...]) -> tuple[str, str | None]:
    """One cell as text (recoded label, date as ``YYYY-MM-DD``) and why it failed, if it did."""
    if recode is not None:
        if is_blank(value):
            return recode.blank or "", None
        code, why = recode.code(cell_text(value))
        return code or "", why
    if kind == "date":
        code = date_text(value, formats)
        return (code, None) if code is not None else ("", date_rule(value, formats))
    return cell_text(value), None


def convert(values: pd.Series, kind: str, recode: Recode | None, formats: tuple[str, ...],
            where: tuple[str, str], lines: pd.Series) -> tuple[list[str], list[Problem]]:
    """Cells of one column to text, each distinct cell converted once (an export of many rows
    has few distinct labels and dates per column)."""
    sheet, header = where
    out, problems = [], []
    if kind == "date" and recode is None:
        formats, problems = column_format(values, formats, where, lines)
        if problems:
            return [""] * len(values), problems
    done: dict[tuple[type, object], tuple[str, str | None]] = {}
    for value, line in zip(values, lines):
        key = (type(value), None if is_blank(value) else value)
        if key not in done:
            done[key] = convert_cell(value, kind, recode, formats)
        text, why = done[key]
        if why is not None:
            problems.append(SheetProblem(why, value=value, sheet=sheet, sheet_row=int(line), header=header))
        out.append(text)
    return out, problems


def open_sheets(mapping: Mapping) -> dict[str, list[tuple]]:
    """The export's sheets; every sheet must be used by the mapping or ignored. An export
    that is no data file (a folder, a pipe, ``/dev/zero``) is refused naming the key
    ``source`` of the mapping that names it."""
    try:
        check_path(mapping.source)
    except InputError as err:
        raise MappingError(mapping.path, [SheetProblem(
            f"{p.rule} (the export the mapping names as its source, {mapping.source}); write the export's file name, "
            "relative to the mapping file", value=mapping.source_written or str(mapping.source), key="source")
            for p in err.problems]) from None
    grids = read_sheets(mapping.source, defer_cells=True)  # a cell's problem: refuse_read_cells
    used = set(mapping.sheets) | {r.sheet for r in mapping.records.values()}
    problems = [SheetProblem(f"the sheet must exist in the export (sheets: {', '.join(grids)})", sheet=s)
                for s in sorted(used - set(grids))]
    problems += [SheetProblem("unknown sheet: map it under participants.sheets or list it under "
                              "ignore_sheets", sheet=s) for s in grids if s not in used | set(mapping.ignore_sheets)]
    if problems:
        raise MappingError(mapping.source, problems)
    return grids


def refuse_read_cells(grids, sheet: str, header_row: int, ignored, source) -> None:
    """The problems of single cells of ``sheet`` (an Excel error, a formula without a computed
    value: deferred by :func:`~analysis.data.workbook.read_sheets`), raised as the reader raises
    them, but for those below the header row in a column the mapping ignores (``ignore``): a
    column that is never read does not stop the run (hostile round 17: '#VALUE!' in an ignored
    notes column was refused)."""
    grid = grids[sheet]  # read first: its cell problems are known once it is
    problems = grids.cell_problems(sheet) if hasattr(grids, "cell_problems") else []
    if not problems:
        return
    header = grid[header_row - 1] if len(grid) >= header_row else ()
    names = {header_text(h) for h in ignored}
    unread = {column_letter(j + 1) for j, h in enumerate(header) if not is_blank(h) and header_text(h) in names}
    kept = [p for p in problems if p.column not in unread or p.row is None or p.row + 2 <= header_row]
    if kept:
        raise named_columns(sheet_error(source, sheet, kept, grid))


def _unknown_column_rule(header: str, header_row: int, section: str) -> str:
    """A header neither mapped nor ignored; a column without a header (named ``(column N)`` by
    :func:`~analysis.data.workbook.sheet_table`) is said to be one, with its letter."""
    headerless = re.fullmatch(r"\(column (\d+)\)", header)
    if headerless:
        n = int(headerless[1])
        return (f"column {n} ({column_letter(n)}) has no header in row {header_row} but holds data: write its header "
                f"there and map it under {section}.columns or list it under {section}.ignore, or delete the column")
    return f"unknown column: map it under {section}.columns or list it under {section}.ignore"


EMPTY_RULES = {("services", "datum"): (
    "a service record needs the date the service started when the sheet's other records have one: without it "
    "the service would count as received at every cut-off date; fill in the date, or delete the record if the "
    "service was not given")}


def repeated_header_problems(table: SheetTable) -> list[Problem]:
    """A header written more than once in the sheet's header row, with its columns (a copied
    column gave a traceback: hostile round 14, H7)."""
    return [SheetProblem(repeated_rule(h, letters), sheet=table.sheet, sheet_row=table.header_row, header=h)
            for h, letters in sorted(table.repeated.items())]


# What a blank mapped sheet means, by the mapping's section (issue 28): a blank status history is
# no "no status changes", since every participant's status on the snapshot dates comes from it.
BLANK_SHEET = {
    "status_history": "a blank status history is not read as 'no status changes': every participant's status on "
                      "the snapshot dates comes from it; export the status history with the participants, or remove "
                      "status_history from the mapping and map the status columns of the participant sheets",
    "services": "a blank sheet of services is not read as 'no services': export the service records with the "
                "participants, or remove services from the mapping if the export holds none",
}


def header_row_problem(table: SheetTable, n_rows: int, known: set[str], section: str) -> Problem | None:
    """The one problem of a sheet whose header row holds none of the ``known`` headers (mapped
    or ignored): the row is past the sheet's last row, blank, or not the header row. Said once,
    with what to do, instead of a problem per column (or a traceback: hostile round 15, H7)."""
    if any(h in known for h in table.headers):
        return None
    key = f"{section}.header_row"
    fix = f"set {key} to the row that holds the column names, or to auto (which finds it)"
    if n_rows == 0:
        rule = f"the sheet is blank: it holds no header row (row {table.header_row}) and no data; " + BLANK_SHEET.get(
            section, "fill it in, or remove it from the mapping (list it under ignore_sheets) if it is not part of "
                     "the export (a blank sheet of participants is not read as nobody: its rows may have been lost)")
    elif table.header_row > n_rows:
        rule = f"the sheet has {n_rows} row(s), so its header row (row {table.header_row}) is past its last row: {fix}"
    else:
        shown = [h for h in table.headers if not h.startswith("(column ")][:3]
        holds = f"it holds {', '.join(map(repr, shown))}" if shown else "it is blank"
        rule = (f"row {table.header_row}, the header row, holds none of the headers the mapping names under "
                f"{section}.columns ({holds}): {fix}")
    return SheetProblem(rule, sheet=table.sheet, sheet_row=table.header_row if n_rows else None, key=key)


def check_headers(table: SheetTable, mapped: dict[str, str], ignored: tuple[str, ...], section: str) -> list[Problem]:
    """Unknown headers (neither mapped nor ignored) and headers that appear twice (other than
    an ignored one)."""
    problems = [SheetProblem(_unknown_column_rule(h, table.header_row, section), sheet=table.sheet,
                             sheet_row=table.header_row, header=h)
                for h in table.headers if h not in mapped and h not in ignored]
    # an ignored column's copy is not read either (exports/r16_np_notes_twice): no value is misread
    problems += [p for p in repeated_header_problems(table) if p.header not in ignored]
    targets = Counter(mapped[h] for h in table.headers if h in mapped)
    problems += [SheetProblem(f"conflicting rules: two columns of the sheet map to {written(t)}", sheet=table.sheet,
                              sheet_row=table.header_row, header=h)
                 for h in table.headers if h in mapped and targets[mapped[h]] > 1 for t in [mapped[h]]]
    return problems


def _sheet_sources(mapping: Mapping, table: SheetTable, derived: set[str]) -> tuple[dict, list[Problem]]:
    """Where each spec column of one sheet comes from: ``{column: (label, values, recode)}``;
    columns of ``participants.derive`` come last (their ``years_until`` column first)."""
    present = {mapping.columns[h]: h for h in table.headers if h in mapping.columns}
    by_name = {c.name: c for c in mapping.spec.columns}
    own = mapping.sheets[table.sheet]
    n = len(table.rows)
    sources, problems = {}, []
    names = [c for c in mapping.spec.column_names if c not in mapping.derive] + list(mapping.derive)
    for col in names:
        if col in mapping.derive:
            rule = mapping.derive[col]
            if rule.source not in table.headers:
                problems.append(SheetProblem(f"the column participants.derive.{col}.from names must exist in the "
                                             f"sheet's header row (row {table.header_row})", sheet=table.sheet,
                                             header=rule.source, key=f"participants.derive.{col}.from"))
                continue
            sources[col] = (rule.source, table.rows[rule.source], rule)
        elif col in present:
            h = present[col]
            sources[col] = (h, table.rows[h], mapping.recodes.get(col))
            if col in own:
                problems.append(SheetProblem(f"conflicting rules: {col!r} is read from this column and set "
                                             f"under participants.sheets", sheet=table.sheet, header=h))
        elif col in own or col in mapping.constants:
            key = f"participants.sheets.{table.sheet}" if col in own else "participants.constants"
            value = own.get(col, mapping.constants.get(col))
            sources[col] = (f"({key}.{col})", pd.Series([value] * n, dtype=object), None)
        elif col not in derived:
            problems.append(SheetProblem(_no_source(by_name[col]), sheet=table.sheet, key="participants"))
    return sources, problems


def _no_source(column: Column) -> str:
    """The rule for a schema column nothing in the mapping fills, with the advice its domain
    allows (hostile round 20: ``onbekend`` was advised for columns whose domain has no such code).
    A service the export does not record is not a constant ``false`` (that would publish "nobody
    received it"): it is onbekend, or left out of the study."""
    col = column.name
    if col.startswith("dv_"):
        return (f"schema column {col} has no source: map the export's column or its services sheet (services) to "
                f"it; if the export does not record this service, set it to onbekend (participants.constants: "
                f"{{{col}: onbekend}}) or remove {col} from the study file's services (a constant false would count "
                "it as received by nobody)")
    head = (f"schema column {col} has no source: map a header to it, derive it (participants.derive), or set "
            "it under participants.constants or participants.sheets when it truly holds for every row")
    if column.kind == "bool" or "onbekend" in {str(a) for a in column.allowed or ()}:
        return (f"{head} (a column the export does not record: participants.constants: {{{col}: onbekend}}, never "
                "a value it does not hold)")
    if column.nullable and not column.empty_means:
        return (f"{head} (a column the export does not record: participants.constants: {{{col}: null}}, empty: not "
                "recorded; its domain has no code onbekend)")
    said = f" (an empty cell says '{column.empty_means}')" if column.empty_means else ""
    return (f"{head}; it has no code for 'not recorded'{said}, so the export must hold it: no constant stands for "
            "a column the export lacks")


def stack_participants(mapping: Mapping, grids: dict[str, list[tuple]], derived: set[str]) -> Stacked:
    """The person sheets stacked into one frame of text cells in the spec's columns (minus
    those in ``derived``, which the caller fills), with :data:`SHEET` and :data:`LINE`."""
    kinds = {c.name: c.kind for c in mapping.spec.columns}
    texts, raws, headers, problems = [], [], {}, []
    sources_read = tuple(r.source for r in mapping.derive.values())
    known = set(mapping.columns) | set(mapping.ignore) | set(sources_read)
    for sheet in mapping.sheets:
        row = mapping.header_row or find_header_row(grids[sheet], known, sheet, "participants",
                                                       mapping.source)
        refuse_read_cells(grids, sheet, row, mapping.ignore, mapping.source)
        table = skip_rows(sheet_table(sheet, grids[sheet], row), mapping.skip_rows, mapping.source,
                          "participants.skip_rows")
        misplaced = header_row_problem(table, len(grids[sheet]), known, "participants")
        if misplaced:
            problems.append(misplaced)
            continue
        problems += check_headers(table, mapping.columns, (*mapping.ignore, *sources_read), "participants")
        sources, probs = _sheet_sources(mapping, table, derived)
        problems += probs
        text, raw = {}, {}
        for col, (header, values, recode) in sources.items():
            headers[(sheet, col)] = header
            if isinstance(recode, Derive):
                until = _until_column(mapping, recode, headers.get((sheet, recode.until)))
                text[col], probs = _derive(values, recode, text, mapping.date_formats, (sheet, header),
                                           table.rows[LINE], until)
            else:
                text[col], probs = convert(values, kinds[col], recode, mapping.date_formats, (sheet, header),
                                           table.rows[LINE])
            problems += probs
            raw[col] = values.to_list()
        meta = {SHEET: [sheet] * len(table.rows), LINE: table.rows[LINE].to_list()}
        texts.append(pd.DataFrame({**text, **meta}, dtype=object))
        raws.append(pd.DataFrame({**raw, **meta}, dtype=object))
    if problems:
        raise MappingError(mapping.source, problems)
    return Stacked(pd.concat(texts, ignore_index=True), pd.concat(raws, ignore_index=True), headers)


@dataclass(frozen=True)
class UntilColumn:
    """The schema date column a derived column is counted up to: the export's header it is
    read from, and the dates the schema allows in it (``None``: no bound)."""

    header: str
    low: date | None
    high: date | None

    def allows(self, iso: str) -> bool:
        """Whether the date ``iso`` (``YYYY-MM-DD``; empty: no date) is within the column's bounds."""
        if not iso:
            return True
        day = date.fromisoformat(iso)
        return (self.low is None or day >= pd.Timestamp(self.low).date()) and (
            self.high is None or day <= pd.Timestamp(self.high).date())


def _until_column(mapping: Mapping, rule: Derive, header: str | None) -> UntilColumn | None:
    """The column ``rule`` counts up to, when it is a schema column read from ``header``."""
    column = next((c for c in mapping.spec.columns if c.name == rule.until), None)
    if column is None or header is None:
        return None  # a fixed date
    return UntilColumn(header, column.min, column.max)


def _derive(values: pd.Series, rule: Derive, text: dict, formats: tuple[str, ...], where: tuple[str, str],
            lines: pd.Series, column: UntilColumn | None = None) -> tuple[list[str], list[Problem]]:
    """A derived column's cells (:func:`completed_years`) up to each row's ``years_until``
    date (a column already converted, in ``text``, read from ``column``) or a fixed date. A
    row whose date to count up to lies outside that column's bounds is left empty: the
    validation refuses that date, naming its own column (hostile round 17: an inflow date
    1900-02-28, Excel's serial-date edge, was blamed on the birth date counted up to it)."""
    until = text.get(rule.until, [rule.until] * len(values))
    formats, problems = column_format(values, formats, where, lines)
    if problems:
        return [""] * len(values), problems
    out = []
    for value, end, line in zip(values, until, lines):
        if column is not None and not column.allows(end):
            out.append("")
            continue
        years, why = completed_years(value, end, formats)
        if why is not None:
            named = f", {column.header!r} of the same row" if column is not None else ""
            problems.append(SheetProblem(f"{why}{named} ({rule.column}, participants.derive)", value=value,
                                         sheet=where[0], sheet_row=int(line), header=where[1]))
        out.append(years)
    return out, problems


def read_records(mapping: Mapping, grids: dict[str, list[tuple]], kind: str,
                 codes: dict[str, set[str]]) -> pd.DataFrame:
    """A long-format sheet (``status_history`` or ``services``) as a frame of its roles
    (dates as timestamps, codes recoded) with :data:`SHEET` and :data:`LINE`. Empty
    person, date (of a status) or status/service cells are errors; ``codes`` are each
    role's allowed codes."""
    spec: RecordTable = mapping.records[kind]
    row = spec.header_row or find_header_row(grids[spec.sheet], set(spec.columns) | set(spec.ignore), spec.sheet,
                                             kind, mapping.source)
    refuse_read_cells(grids, spec.sheet, row, spec.ignore, mapping.source)
    table = skip_rows(sheet_table(spec.sheet, grids[spec.sheet], row), spec.skip_rows, mapping.source,
                      f"{kind}.skip_rows")
    misplaced = header_row_problem(table, len(grids[spec.sheet]), set(spec.columns) | set(spec.ignore), kind)
    if misplaced:
        raise MappingError(mapping.source, [misplaced])
    if kind == "status_history" and table.rows.empty:  # one line, not one per participant
        raise MappingError(mapping.source, [SheetProblem(
            f"the sheet holds no status record below its header (row {table.header_row}): every participant needs "
            "a status; export the status history with the participants", sheet=spec.sheet, key=kind)])
    problems = check_headers(table, spec.columns, spec.ignore, kind)
    notes = lone_rows(table)
    out = {SHEET: [spec.sheet] * len(table.rows), LINE: table.rows[LINE].to_list()}
    for header, role in spec.columns.items():
        if header not in table.headers:
            problems.append(SheetProblem(f"the column mapped to {role!r} must exist", sheet=spec.sheet,
                                         sheet_row=table.header_row, header=header))
            continue
        values = table.rows[header]
        text, probs = convert(values, "date" if role == "datum" else "str", spec.recodes.get(role),
                              mapping.date_formats, (spec.sheet, header), table.rows[LINE])
        problems += probs
        # a service's date may be left out for every record (services counted at any cut-off), not for some
        required = role != "datum" or kind == "status_history" or any(t != "" for t in text)
        for t, v, line in zip(text, values, table.rows[LINE]):
            if required and t == "" and not any(p.sheet_row == line and p.header == header for p in probs):
                problems.append(SheetProblem(EMPTY_RULES.get((kind, role), f"{role!r} must not be empty"), value=v,
                                             sheet=spec.sheet, sheet_row=int(line), header=header))
            elif t and role in codes and t not in codes[role]:
                problems.append(SheetProblem(f"{role!r} must be one of {', '.join(sorted(codes[role]))} "
                                             f"(or recode it under {kind}.values.{role})", value=v,
                                             sheet=spec.sheet, sheet_row=int(line), header=header))
        out[role] = pd.to_datetime(pd.Series(text, dtype=object).replace("", None)) if role == "datum" else text
        out[WRITTEN + role] = pd.Series(values.to_list(), dtype=object)  # as written, for messages (a date as shown)
    if notes:  # a note or heading row: one message with the pattern that leaves it out, not one per empty cell
        problems = [p for p in problems if p.sheet_row not in notes] + [
            SheetProblem(lone_row_rule(text, f"{kind}.skip_rows"), value=text, sheet=spec.sheet, sheet_row=line)
            for line, text in notes.items()]
    if problems:
        raise MappingError(mapping.source, problems)
    return pd.DataFrame(out)


def lone_rows(table: SheetTable) -> dict[int, str]:
    """The rows of ``table`` (by spreadsheet row) whose one filled cell is text with a space in
    its first column, where a record has an id: a note (``Let op: ...``) or a heading between
    groups of records, never a record of one cell."""
    if table.rows.empty or not table.headers:
        return {}
    cells = table.rows[list(table.headers)]
    filled = cells.apply(lambda col: col.map(lambda v: not is_blank(v))).sum(axis=1)
    first = cells.iloc[:, 0]
    return {int(line): " ".join(str(v).split()) for line, v, n in zip(table.rows[LINE], first, filled)
            if n == 1 and isinstance(v, str) and " " in v.strip()}


def row_pattern(text: str) -> str:
    """A ``skip_rows`` pattern that matches exactly ``text`` (spaces as written once, other
    characters escaped), in YAML's single quotes."""
    pattern = "^" + "".join(c if c == " " else re.escape(c) for c in " ".join(text.split())) + "$"
    return "'" + pattern.replace("'", "''") + "'"


def lone_row_rule(text: str, key: str) -> str:
    """The rule for a row that holds only its first cell (a note or a heading, not a record)."""
    return (f"this row holds only its first cell, a note or heading rather than a record: leave it out with "
            f"{key}: [{row_pattern(text)}] in the mapping (a pattern of the row's first filled cell); the export "
            "itself stays as it is")


_ONE_OF = re.compile(r"^'(?P<column>\w+)' must be one of: (?P<codes>.*)$")


def code_case_hint(rule: str, value: object) -> str:
    """For a label refused by a column's list of codes that is one of them but for case or
    spaces (``Gezondheid`` for ``gezondheid``: a column the mapping does not map), how to read
    it; empty otherwise."""
    m = _ONE_OF.match(rule)
    if m is None or is_blank(value):
        return ""
    codes = [c.strip() for c in m["codes"].split(",")]
    near = next((c for c in codes if c.casefold() == " ".join(str(value).split()).casefold() and c != value), None)
    if near is None:
        return ""
    return (f"; the export writes the code {near} as {written(value)}: map the label under values.{m['column']}.map "
            f"({written(value)}: {near}) in the mapping")


_THIS_ROW = re.compile(r" \(this row: .*\)$", re.S)


def _cells_as_written(rule: str, cols: list[str], stacked: Stacked, src: int, sheet: str) -> str:
    """A cross-column rule's quoted cells (``(this row: startdatum '2024-02-13', ...)``, the
    validated frame's) as the export shows them: its header and its cell as written (H41n: the
    message quoted ``'2024-02-13'`` for the sheet's ``13-02-2024`` under the codebook's name); a
    derived column (a status from the change log) keeps its code."""
    if not _THIS_ROW.search(rule):
        return rule
    cells = []
    for c in cols:
        raw = stacked.raw.at[src, c] if c in stacked.raw else None
        value = raw if not is_blank(raw) else (stacked.text.at[src, c] if c in stacked.text else None)
        name = stacked.headers.get((sheet, c), f"{c} (derived)")
        cells.append(f"{name} {written(value)}" if not is_blank(value) else f"{name} empty")
    return _THIS_ROW.sub(f" (this row: {', '.join(cells)})", rule)


def translate(err: InputError, stacked: Stacked, order: list[int]) -> MappingError:
    """Problems found by the validation of the stacked frame (rows in ``order``) as problems
    of the export: sheet, row, header and the value as written."""
    problems: list[Problem] = []
    for p in err.problems:
        if p.row is None:
            problems.append(p)
            continue
        src = order[p.row]
        sheet, line = stacked.text.at[src, SHEET], int(stacked.text.at[src, LINE])
        cols = [c.strip() for c in (p.column or "").split(",") if c.strip()]
        header = ", ".join(stacked.headers.get((sheet, c), f"({c}, derived)") for c in cols) or None
        value = stacked.raw.at[src, cols[0]] if len(cols) == 1 and cols[0] in stacked.raw else p.value
        if len(cols) > 1:
            value = None
        def first_place(m: re.Match) -> str:
            row = order[int(m.group(1)) - 1]
            return f"already in sheet '{stacked.text.at[row, SHEET]}', row {stacked.text.at[row, LINE]}"

        rule = re.sub(r"already in row (\d+)", first_place,
            _cells_as_written(p.rule, cols, stacked, src, sheet)) + code_case_hint(p.rule, value)
        problems.append(SheetProblem(rule, value=value, sheet=sheet, sheet_row=line, header=header))
    return MappingError(err.file, problems)
