"""Hostile inputs, round five (issue 28, H28e): the classes still open after round four --
dates of a column in two formats or written month first, rows of zero height and columns of
zero width (hidden without being marked hidden), and a totals row hidden that way. Each file
is the synthetic participant file (or the synthetic export) with one edit; its expected
outcome is written by hand in ``expected.yml`` from that edit. Run from the project folder:
``.venv/bin/python tests/corpus/hostile/make_hostile_round5.py``."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
import pandas as pd

from analysis.files import fixed_zip_bytes

ROOT = Path(__file__).resolve().parents[3]
HOSTILE = Path(__file__).resolve().parent
FILES = HOSTILE / "files"
STAMP = datetime(2021, 4, 16)
BASE = pd.read_csv(ROOT / "data" / "raw" / "pilot_participants_synthetic.csv", dtype=str, keep_default_na=False)


def csv(name: str, frame: pd.DataFrame) -> None:
    (FILES / name).write_text(frame.to_csv(index=False, lineterminator="\n"), encoding="utf-8")


def dates(column: str, fmt: str, rows=None) -> pd.DataFrame:
    """The file with ``column`` written in ``fmt`` (in ``rows`` only, when given)."""
    out = BASE.copy()
    written = pd.to_datetime(out[column], format="%Y-%m-%d").dt.strftime(fmt).fillna("")
    pick = out.index if rows is None else rows
    out.loc[pick, column] = written[pick]
    return out


def workbook_bytes(frame: pd.DataFrame) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "deelnemers"
    book.properties.created = book.properties.modified = STAMP
    sheet.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return fixed_zip_bytes(out.getvalue(), STAMP)  # the same bytes on every run


def patched(raw: bytes, edit) -> bytes:
    """The workbook with its first sheet's XML passed through ``edit`` (openpyxl does not write
    a row height or column width of 0)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = edit(data)
            dst.writestr(item, data)
    return fixed_zip_bytes(out.getvalue(), STAMP)


def zero_height(row: int):
    return lambda xml: xml.replace(f'<row r="{row}"'.encode(), f'<row r="{row}" ht="0" customHeight="1"'.encode(), 1)


def zero_width(first: int, last: int):
    cols = f'<cols><col min="{first}" max="{last}" width="0" customWidth="1"/></cols>'.encode()
    return lambda xml: re.sub(rb"(<sheetData)", cols + rb"\1", xml, count=1)


def with_totals(frame: pd.DataFrame) -> pd.DataFrame:
    totals = {c: "" for c in frame.columns}
    totals.update(deelnemer_id="Totaal", leeftijd=str(pd.to_numeric(frame.leeftijd).sum()))
    return pd.concat([frame, pd.DataFrame([totals])], ignore_index=True)


def exports() -> None:
    """Export cases (``exports/<case>/``, made as round three makes them)."""
    import sys

    sys.path.insert(0, str(HOSTILE))
    from make_hostile_round3 import cell, export_case

    # De Vries (gemeente): Datum aanmelding is text, DD-MM-YYYY, in C3..C9 (7 cells)
    export_case("r5_exp_month_first_date", cell("De Vries (gemeente)", "C3", "10-13-2020"))

    def totals(book):
        sheet = book["Jansen (UWV)"]
        sheet["A17"], sheet["F17"] = "Totaal", 700

    def jansen(edit):
        return lambda name, data: edit(data) if name == "xl/worksheets/sheet1.xml" else data
    export_case("r5_exp_totals_row_zero_height", totals, part_edit=jansen(zero_height(17)))
    export_case("r5_exp_zero_width_column_ok", None, part_edit=jansen(zero_width(2, 2)))


def main() -> None:
    exports()
    FILES.mkdir(exist_ok=True)
    # dates: one format per column, and no day/month order read against the column's
    csv("r5_us_dates_dash.csv", dates("instroomdatum", "%m-%d-%Y"))
    csv("r5_us_dates_slash.csv", dates("startdatum", "%m/%d/%Y"))
    csv("r5_one_us_date_in_iso.csv", dates("uitstroomdatum", "%m/%d/%Y", rows=[0]))
    csv("r5_dmy_among_iso.csv", dates("instroomdatum", "%d-%m-%Y", rows=[3]))
    csv("r5_iso_among_dmy.csv", dates("instroomdatum", "%d-%m-%Y", rows=list(range(1, 30))))
    both = dates("instroomdatum", "%d-%m-%Y")
    both.loc[[1, 2], "instroomdatum"] = dates("instroomdatum", "%m-%d-%Y").loc[[1, 2], "instroomdatum"]
    csv("r5_both_orders_dash.csv", both)
    csv("r5_ok_all_dmy_dash.csv", dates("instroomdatum", "%d-%m-%Y"))
    csv("r5_ok_iso_control.csv", BASE)  # control: the shipped file as it is
    hist = pd.read_csv(ROOT / "data" / "raw" / "pilot_status_history_synthetic.csv", dtype=str, keep_default_na=False)
    hist["datum"] = pd.to_datetime(hist["datum"], format="%Y-%m-%d").dt.strftime("%m-%d-%Y")
    (FILES / "r5_hist_us_dates.csv").write_text(hist.to_csv(index=False, lineterminator="\n"), encoding="utf-8")
    # rows and columns hidden without the hidden mark
    raw = workbook_bytes(BASE)
    (FILES / "r5_zero_height_row.xlsx").write_bytes(patched(raw, zero_height(6)))
    (FILES / "r5_zero_width_column.xlsx").write_bytes(patched(raw, zero_width(11, 11)))
    (FILES / "r5_hidden_column.xlsx").write_bytes(patched(raw, lambda xml: re.sub(
        rb"(<sheetData)", b'<cols><col min="9" max="9" width="12" hidden="1"/></cols>\\1', xml, count=1)))
    totals = workbook_bytes(with_totals(BASE))
    (FILES / "r5_totals_row_zero_height.xlsx").write_bytes(patched(totals, zero_height(32)))
    (FILES / "r5_ok_height_given.xlsx").write_bytes(patched(raw, lambda xml: xml.replace(
        b'<row r="6"', b'<row r="6" ht="30" customHeight="1"', 1)))
    (FILES / "r5_ok_empty_zero_height_row.xlsx").write_bytes(patched(raw, lambda xml: xml.replace(
        b"</sheetData>", b'<row r="40" ht="0" customHeight="1"/></sheetData>', 1)))


if __name__ == "__main__":
    main()
