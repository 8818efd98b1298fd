"""``analysis.data.sheet_rows`` reads every sheet as openpyxl's own read-only iteration does:
compared cell by cell (value and type) on every workbook of the test corpora and the
shipped export, and on a workbook with every kind of cell written here."""

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils.cell import get_column_letter

from analysis.data.errors import InputError
from analysis.data.sheet_rows import SheetStructureError, sheet_rows
from analysis.data.shown_dates import SheetDate
from analysis.data.xlsx_parts import guard_sizes, sheet_parts

ROOT = Path(__file__).parents[1]
WORKBOOKS = sorted({*ROOT.glob("tests/corpus/**/*.xlsx"), *ROOT.glob("data/raw/*.xlsx")})
# sheets whose XML Excel calls damaged (tests/corpus/hostile/make_hostile_round8.py): openpyxl reads them
# silently (a repeated row dropped, the last of a repeated cell, index -1 as the last shared string), sheet_rows
# refuses them
DAMAGED = {"r8_shared_string_minus_one.xlsx", "r8_shared_string_past_table.xlsx", "r8_row_twice.xlsx",
           "r8_rows_out_of_order.xlsx", "r8_cell_twice.xlsx", "r8_number_nan.xlsx", "r8_number_infinity.xlsx",
           "r8_rows_of_1133_cells.xlsx"}  # and a row wider than any table (refused as it is read)


def openpyxl_rows(sheet) -> list[tuple]:
    sheet.reset_dimensions()
    return [tuple(r) for r in sheet.iter_rows(values_only=True)]


def readable_sheets(path: Path) -> list[str]:
    try:
        parts = sheet_parts(path)
        guard_sizes(path, [p.part for p in parts])
    except (InputError, zipfile.BadZipFile, KeyError):
        return []
    return [p.name for p in parts if not p.chart]


def typed(rows):
    """Each cell's type and value; a date cell that carries its number format and cell for
    messages (:class:`analysis.data.shown_dates.SheetDate`) is openpyxl's datetime, checked
    to name its own cell."""
    return [tuple((_kind(v, r, c), v) for c, v in enumerate(row, 1)) for r, row in enumerate(rows, 1)]


def _kind(value, row: int, column: int) -> str:
    if isinstance(value, SheetDate):
        assert value.cell == f"{get_column_letter(column)}{row}", (value.cell, row, column)
        return "datetime"
    return type(value).__name__


@pytest.mark.parametrize("path", WORKBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_sheet_of_the_corpora_reads_as_openpyxl_reads_it(path):
    names = readable_sheets(path)
    if not names:
        pytest.skip("not a workbook openpyxl opens whole (refused before reading)")
    for data_only in (True, False):
        try:
            book = openpyxl.load_workbook(path, read_only=True, data_only=data_only)
        except Exception:  # noqa: BLE001 - a damaged workbook of the corpus: refused before reading
            pytest.skip("openpyxl cannot open it")
        try:
            for name in names:
                if path.name in DAMAGED:
                    with pytest.raises(SheetStructureError):
                        list(sheet_rows(book[name]))
                    continue
                assert typed(sheet_rows(book[name])) == typed(openpyxl_rows(book[name])), (path.name, name)
        finally:
            book.close()


def test_inline_strings_numbers_dates_gaps_and_rich_runs(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"], sheet["B1"], sheet["C1"] = "Klantnr.", 3.5, 7
    sheet["A3"], sheet["D3"] = dt.datetime(2021, 4, 1), True
    sheet["B4"] = "=1+1"
    path = tmp_path / "book.xlsx"
    book.save(path)
    inline = tmp_path / "inline.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(inline, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", b'<row r="6"><c r="B6" t="inlineStr"><is><t xml:space="preserve">'
                                    b' a </t><r><t>b</t></r><rPh sb="0" eb="1"><t>x</t></rPh></is></c>'
                                    b'<c t="inlineStr"><is/></c>'
                                    b'<c r="E6" t="inlineStr"/></row></sheetData>')
            dst.writestr(item, data)
    for p in (path, inline):
        ro = openpyxl.load_workbook(p, read_only=True, data_only=True)
        assert typed(sheet_rows(ro.active)) == typed(openpyxl_rows(ro.active))
        ro.close()
    ro = openpyxl.load_workbook(inline, read_only=True, data_only=True)
    assert list(sheet_rows(ro.active))[5] == (None, " a b", "", None, None)  # an empty <is/>: an empty text
    ro.close()
