"""A mapped sheet of an export with no data row below its header (hostile round 15, H7): a
pandas KeyError traceback before; now read as no rows, or one problem per sheet naming the
sheet, the header row and what to do. The corpus cases are ``r15_exp_*`` in
``tests/corpus/hostile/expected.yml``."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from analysis.data.mapping import MappingError
from analysis.data.workbook import LINE, sheet_table
from analysis.pilot.from_export import load_export

ROOT = Path(__file__).resolve().parents[1]
EXPORT = ROOT / "data" / "raw" / "pilot_export_synthetic.xlsx"
MAPPING = ROOT / "data" / "raw" / "pilot_export_synthetic.mapping.yml"


@pytest.mark.parametrize("grid", [[("title",), ("Klantnr.", "Leeftijd")], [("Klantnr.", "Leeftijd"), (None, None)]])
def test_a_sheet_without_data_rows_keeps_its_headers_and_has_no_rows(grid):
    table = sheet_table("s", grid, header_row=len(grid) if grid[0] == ("title",) else 1)
    assert table.headers == ("Klantnr.", "Leeftijd")
    assert list(table.rows.columns) == ["Klantnr.", "Leeftijd", LINE]
    assert len(table.rows) == 0


def _export_with(tmp_path: Path, edit) -> Path:
    book = openpyxl.load_workbook(EXPORT)
    edit(book)
    book.save(tmp_path / "export.xlsx")
    text = MAPPING.read_text(encoding="utf-8").replace("source: pilot_export_synthetic.xlsx", "source: export.xlsx")
    (tmp_path / "export.mapping.yml").write_text(text, encoding="utf-8")
    return tmp_path / "export.mapping.yml"


def test_a_services_sheet_with_only_its_header_is_read_as_no_service_recorded(tmp_path):
    """A service the sheet never names is not recorded (onbekend, not false: from_export)."""
    def edit(book):
        ws = book["Dienstverlening"]
        ws.delete_rows(2, ws.max_row)
    full = load_export(MAPPING)
    got = load_export(_export_with(tmp_path, edit))
    services = [c for c in got.columns if c.startswith("dv_")]
    assert services and full[services].notna().all().all(), "the shipped export records every service"
    assert len(got) == len(full) and got[services].isna().all().all()
    others = [c for c in got.columns if c not in services]
    assert got[others].equals(full[others])


def test_a_header_row_past_the_last_row_is_one_problem_per_sheet(tmp_path):
    path = _export_with(tmp_path, lambda book: None)
    path.write_text(path.read_text(encoding="utf-8").replace("  header_row: 2", "  header_row: 1048576"),
                    encoding="utf-8")
    with pytest.raises(MappingError) as info:
        load_export(path)
    book = openpyxl.load_workbook(EXPORT)
    sheets = ["Jansen (UWV)", "De Vries (gemeente)", "Bakker (gemeente)", "Aanmeldingen"]
    assert len(info.value.problems) == len(sheets)
    for p, sheet in zip(info.value.problems, sheets):
        assert p.sheet == sheet and f"the sheet has {book[sheet].max_row} row(s)" in p.rule
