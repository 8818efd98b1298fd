"""Hostile inputs, round six (H32h): cells, rows and columns hidden by formatting rather than
by the hidden mark -- a number format that shows nothing (``;;;``), text in the colour of its
fill, a font too small to read, rows lower and columns narrower than text, and a sheet whose
default row height or column width hides every row or column. Each file is the synthetic
participant file (or the synthetic export) with one edit; its expected outcome is written
by hand in ``expected.yml`` from that edit. Run from the project folder:
``.venv/bin/python tests/corpus/hostile/make_hostile_round6.py``."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import openpyxl
from openpyxl.styles import Color, Font, PatternFill

HOSTILE = Path(__file__).resolve().parent
sys.path.insert(0, str(HOSTILE))
from make_hostile_round5 import BASE, FILES, patched, workbook_bytes  # noqa: E402


def styled(name: str, edit) -> None:
    """The participant workbook with ``edit(sheet)`` applied by openpyxl (styles), written
    byte-stable through :func:`patched`."""
    import io

    book = openpyxl.load_workbook(io.BytesIO(workbook_bytes(BASE)))
    edit(book.active)
    out = io.BytesIO()
    book.save(out)
    (FILES / name).write_bytes(patched(out.getvalue(), lambda xml: xml))


def number_format(ref: str, code: str):
    """``code`` on cell ``ref``; a cell of digits written as the number it is (the file's
    text cells would otherwise take the format's text section)."""
    def edit(sheet):
        if str(sheet[ref].value).isdigit():
            sheet[ref].value = int(sheet[ref].value)
        sheet[ref].number_format = code
    return edit


def font(ref: str, fill: str | None = None, **kwargs):
    def edit(sheet):
        sheet[ref].font = Font(**kwargs)
        if fill:
            sheet[ref].fill = PatternFill("solid", fgColor=fill)
    return edit


def sheet_format(new: bytes):
    return lambda xml: re.sub(rb"<sheetFormatPr[^>]*/>", new, xml, count=1)


def exports() -> None:
    from make_hostile_round3 import export_case

    def white(sheet: str, ref: str):
        def edit(book):
            book[sheet][ref].font = Font(color="FFFFFFFF")
        return edit

    def narrow(xml):
        return re.sub(rb"(<sheetData)", b'<cols><col min="2" max="2" width="0.1" customWidth="1"/></cols>\\1', xml,
                      count=1)

    # Jansen (UWV) F3 is SYN0001's age (55); Statushistorie C3 is SYN0001's second status
    export_case("r6_exp_white_age", white("Jansen (UWV)", "F3"))
    export_case("r6_exp_white_status", white("Statushistorie", "C3"))
    def copied_status(book):
        sheet = book["Statushistorie"]
        sheet.append([c.value for c in sheet[3]])

    def early_status(book):
        from datetime import datetime

        book["Statushistorie"]["B2"] = datetime(2020, 9, 5)

    def early_service(book):
        from datetime import datetime

        book["Dienstverlening"]["C2"] = datetime(2020, 9, 1)

    def geinterviewd(rule: str):
        def edit(text: str) -> str:
            old = "  geinterviewd: {map: {x: true}, blank: false}"
            assert old in text, "the synthetic mapping changed: update this case"
            return text.replace(old, rule)
        return edit

    # one yes/no vocabulary: the export's 'x' needs no rule; a code outside the vocabulary is refused by its key
    export_case("r6_exp_yes_no_word_without_rule_ok", mapping_edit=geinterviewd("  geinterviewd: {blank: false}"))
    export_case("r6_exp_yes_no_code_on", mapping_edit=geinterviewd("  geinterviewd: {map: {x: on}, blank: off}"))
    # Dienstverlening row 2: SYN0001's Loopbaantest of 2020-09-23 (inflow 2020-09-12)
    export_case("r6_exp_service_before_inflow", early_service)
    # Statushistorie: row 2 is SYN0001 on its inflow date 2020-09-12, row 3 its 'Werk + scholing' of 2020-10-26
    export_case("r6_exp_history_copied_row", copied_status)
    export_case("r6_exp_history_before_inflow", early_status)
    export_case("r6_exp_narrow_column_ok", None,
                part_edit=lambda name, data: narrow(data) if name == "xl/worksheets/sheet1.xml" else data)


def main() -> None:
    exports()
    # data row 1 is spreadsheet row 2 (SYN0001: leeftijd 55 in column H, dienstjaren 34.0 in J)
    styled("r6_semicolons_format.xlsx", number_format("H2", ";;;"))
    styled("r6_empty_text_section.xlsx", number_format("K2", '0;-0;0;""'))  # functie: text, shown as ""
    styled("r6_ok_zero_section_nonzero.xlsx", number_format("H2", "0;-0;;@"))  # 55 is no zero: shown
    styled("r6_ok_accounting_dash.xlsx", number_format("H2", '_-* #,##0_-;-* #,##0_-;_-* "-"_-;_-@_-'))
    styled("r6_white_on_white.xlsx", font("K3", color="FFFFFFFF"))
    styled("r6_theme_background_font.xlsx", font("K4", color=Color(theme=0)))  # theme 0: light 1, white
    styled("r6_same_fill_colour.xlsx", font("C5", fill="FFFFFF00", color="FFFFFF00"))
    styled("r6_near_fill_colour.xlsx", font("C6", fill="FFF2F2F2", color="FFFFFFFF"))
    styled("r6_ok_white_on_dark.xlsx", font("C6", fill="FF1F4E78", color="FFFFFFFF"))
    styled("r6_tiny_font.xlsx", font("A7", sz=1))
    styled("r6_white_number_colour.xlsx", number_format("H8", "[White]General"))
    raw = workbook_bytes(BASE)
    (FILES / "r6_row_height_tenth.xlsx").write_bytes(patched(raw, lambda xml: xml.replace(
        b'<row r="9"', b'<row r="9" ht="0.1" customHeight="1"', 1)))
    (FILES / "r6_ok_row_height_low.xlsx").write_bytes(patched(raw, lambda xml: xml.replace(
        b'<row r="9"', b'<row r="9" ht="8" customHeight="1"', 1)))
    (FILES / "r6_column_width_tenth.xlsx").write_bytes(patched(raw, lambda xml: re.sub(
        rb"(<sheetData)", b'<cols><col min="8" max="8" width="0.1" customWidth="1"/></cols>\\1', xml, count=1)))
    (FILES / "r6_default_row_height_tiny.xlsx").write_bytes(patched(raw, sheet_format(
        b'<sheetFormatPr baseColWidth="8" defaultRowHeight="0.1" customHeight="1"/>')))
    (FILES / "r6_zero_height_by_default.xlsx").write_bytes(patched(raw, sheet_format(
        b'<sheetFormatPr baseColWidth="8" defaultRowHeight="15" zeroHeight="1"/>')))
    (FILES / "r6_default_column_width_tiny.xlsx").write_bytes(patched(raw, sheet_format(
        b'<sheetFormatPr baseColWidth="8" defaultColWidth="0.2" defaultRowHeight="15"/>')))


if __name__ == "__main__":
    main()
