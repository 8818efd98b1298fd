"""Hostile inputs, round fourteen (H37h, what hostile round 14 broke, issue 28): a mapping
pattern that repeats a part of varying length (``^(?:a?){30}a{30}$``, the textbook exponential
pattern: accepted, then minutes on one label of 30 ``a`` and ``!``); a header written twice in a
case manager's sheet (a traceback); a service record without its date (counted at every
cut-off without a word); a participant workbook whose people are split over two visible
sheets (half read without a word); a row struck through (read as data); a whole number with a
time-of-day format (quoted as a date, the format not named). Each case is the synthetic export or participant file
with the edit named in its ``expected.yml`` comment; the expected outcomes are written by
hand from these edits. Run from the project folder:
``.venv/bin/python tests/corpus/hostile/make_hostile_round14.py``."""

from __future__ import annotations

import io
import sys
from datetime import datetime
from pathlib import Path

import openpyxl
import pandas as pd

from analysis.files import fixed_zip_bytes

HOSTILE = Path(__file__).resolve().parent
ROOT = HOSTILE.parents[2]
sys.path.insert(0, str(HOSTILE))
from make_hostile_round3 import cell, export_case, extra_pattern  # noqa: E402

STAMP = datetime(2021, 4, 16)
BASE = pd.read_csv(ROOT / "data" / "raw" / "pilot_participants_synthetic.csv", dtype=str, keep_default_na=False)


def two_sheets(second: str, rows_there: pd.DataFrame | None, notes: list[list[str]] = ()) -> bytes:
    """The synthetic participant file as a workbook: sheet 'deelnemers' holds the people not in
    ``rows_there``; a second visible sheet ``second`` holds ``rows_there`` under the same header
    (or, with ``rows_there`` None, the lines ``notes``)."""
    book = openpyxl.Workbook()
    book.properties.created = book.properties.modified = STAMP
    first = book.active
    first.title = "deelnemers"
    first.append(list(BASE.columns))
    kept = BASE if rows_there is None else BASE.drop(rows_there.index)
    for row in kept.itertuples(index=False):
        first.append(list(row))
    other = book.create_sheet(second)
    for row in ([list(BASE.columns), *map(list, rows_there.itertuples(index=False))] if rows_there is not None
                else notes):
        other.append(row)
    out = io.BytesIO()
    book.save(out)
    return fixed_zip_bytes(out.getvalue(), STAMP)


def one_sheet(edit) -> bytes:
    """The synthetic participant file as a one-sheet workbook after ``edit(sheet)``."""
    book = openpyxl.Workbook()
    book.properties.created = book.properties.modified = STAMP
    sheet = book.active
    sheet.title = "deelnemers"
    sheet.append(list(BASE.columns))
    for row in BASE.itertuples(index=False):
        sheet.append([int(v) if v.isdigit() and len(v) < 4 else v for v in row])
    edit(sheet)
    out = io.BytesIO()
    book.save(out)
    return fixed_zip_bytes(out.getvalue(), STAMP)


def struck_row(sheet) -> None:
    """Data row 4 (sheet row 5, SYN0004) struck through in every cell."""
    from openpyxl.styles import Font

    for struck in sheet[5]:
        struck.font = Font(strike=True)


def time_format_on_age(sheet) -> None:
    """SYN0001's leeftijd (sheet row 2) formatted as a time of day: Excel shows 00:00."""
    cell = sheet.cell(2, list(BASE.columns).index("leeftijd") + 1)
    cell.number_format = "hh:mm"


def files() -> None:
    folder = HOSTILE / "files"
    (folder / "r14_struck_row.xlsx").write_bytes(one_sheet(struck_row))
    (folder / "r14_time_format_on_age.xlsx").write_bytes(one_sheet(time_format_on_age))
    (folder / "r14_people_on_two_sheets.xlsx").write_bytes(two_sheets("deelnemers (2)", BASE.iloc[15:]))
    (folder / "r14_ok_notes_sheet.xlsx").write_bytes(two_sheets("Toelichting", None, [
        ["Toelichting"], ["Bron: casemanagers, stand 16-04-2021"], ["deelnemer_id: het klantnummer"]]))


def copied_column(filled: bool):
    """Sheet 'Jansen (UWV)': its header 'Leeftijd' (column F) written again in column T, the
    copy filled with 99 on every person's row (or left empty)."""
    def edit(book):
        ws = book["Jansen (UWV)"]
        assert ws["F2"].value == "Leeftijd" and ws["T2"].value is None, "the shipped export changed: update this"
        ws["T2"] = "Leeftijd"
        if filled:
            for row in range(3, ws.max_row + 1):
                if ws[f"A{row}"].value is not None:
                    ws[f"T{row}"] = 99
    return edit


def undated_service(book):
    """Sheet 'Dienstverlening': a record 'SYN0001 | Coaching' without its start date appended
    below the last (row 112; SYN0001 has no coaching record)."""
    ws = book["Dienstverlening"]
    assert ws.max_row == 111, "the shipped export changed: update make_hostile_round14.py"
    ws.append(["SYN0001", "Coaching", None])


def main() -> None:
    files()
    export_case("r14_exp_service_without_date", undated_service)
    export_case("r14_exp_header_written_twice", copied_column(True))
    export_case("r14_exp_header_written_twice_copy_empty", copied_column(False))
    export_case("r14_exp_redos_optional_counted", cell("Jansen (UWV)", "G3", "a" * 30 + "!"),
                extra_pattern("^(?:a?){30}a{30}$"))


if __name__ == "__main__":
    main()
