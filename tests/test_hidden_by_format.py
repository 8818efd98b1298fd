"""Cells hidden by their format (analysis.data.cell_formats), judged per value: the section of
a number format that writes the value, the font colour against the fill (a theme colour with
its tint), a font too small to read. Reference colours are Excel's own (the tint rule of
ECMA-376 18.8.19 worked by hand below)."""

import openpyxl
import pytest
from openpyxl.styles import Color, Font, PatternFill

from analysis.data.cell_formats import _tinted, hiding_styles, sections
from analysis.data.errors import InputError
from analysis.data.workbook import read_sheets


def test_a_number_format_is_split_in_sections_outside_quotes_and_brackets():
    assert [len(s) for s in sections(";;;")] == [0, 0, 0, 0]
    assert len(sections('"a;b";[Red]0;"x"')) == 3


def test_the_tint_lightens_or_darkens_the_luminance():
    # white (L=1) darkened by 5%: L=0.95 -> 242; black (L=0) lightened by 50%: L=0.5 -> 128
    assert _tinted((255, 255, 255), -0.05) == (242, 242, 242)
    assert _tinted((0, 0, 0), 0.5) == (128, 128, 128)


def _book(tmp_path, edit):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "data"
    sheet.append(["id", "n", "label"])
    sheet.append(["K1", 0, "a"])
    sheet.append(["K2", -3, "b"])
    edit(sheet)
    path = tmp_path / "book.xlsx"
    book.save(path)
    return path


def _problems(path) -> str:
    with pytest.raises(InputError) as info:
        read_sheets(path)["data"]
    return str(info.value)


def test_a_section_hides_only_the_values_it_writes(tmp_path):
    def edit(sheet):
        sheet["B2"].number_format = sheet["B3"].number_format = "0;-0;;@"
    text = _problems(_book(tmp_path, edit))
    assert "sheet 'data' row 2, column 'n': value 0" in text and "row 3" not in text  # -3 is shown, 0 is not


def test_a_theme_font_darkened_on_its_own_fill_is_hidden_and_on_white_it_is_not(tmp_path):
    def edit(sheet):
        sheet["C2"].font = Font(color=Color(theme=0, tint=-0.05))  # 242 grey on white: within 16
        sheet["C3"].font = Font(color=Color(theme=0, tint=-0.5))  # 128 grey on white: shown
    text = _problems(_book(tmp_path, edit))
    assert "row 2, column 'label': value 'a'" in text and "#F2F2F2 is nearly the colour of its fill #FFFFFF" in text
    assert "row 3" not in text


def test_a_workbook_without_hiding_styles_costs_no_check_per_cell(tmp_path):
    def edit(sheet):
        sheet["C2"].fill = PatternFill("solid", fgColor="FF000080")
        sheet["B2"].number_format = "0.00"
    path = _book(tmp_path, edit)
    assert hiding_styles(path) == {}
    assert read_sheets(path)["data"][1] == ("K1", 0, "a")
