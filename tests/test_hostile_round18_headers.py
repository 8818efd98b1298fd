"""Hostile round 18, left then: headers written with an accent as a separate combining mark
(Unicode NFD, as macOS file systems and some exports write "Geïnterviewd": ``e`` + U+0308) or
with a byte-order mark in front (a CSV saved twice as "UTF-8 with BOM", pasted into a sheet)
were reported as unknown columns, and the schema column as having no source, although the
header reads exactly like the mapping's. A header and a mapping's label are now compared in
canonical composition (NFC) and without a byte-order mark; the file is read as the shipped one."""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from test_mapping_export_route import PERSON_SHEETS, edit_mapping, export  # noqa: E402,F401

from analysis.data.cells import header_text  # noqa: E402
from analysis.pilot.inputs import load_participants  # noqa: E402


def _rewrite_headers(export, change) -> None:  # noqa: F811
    book = openpyxl.load_workbook(export)
    for name in PERSON_SHEETS:
        ws = book[name]
        for cell in ws[2]:
            if isinstance(cell.value, str):
                cell.value = change(cell.value)
    book.save(export)


def _add_ignored_column(export, header: str) -> None:  # noqa: F811
    book = openpyxl.load_workbook(export)
    for name in PERSON_SHEETS:
        ws = book[name]
        col = ws.max_column + 1
        ws.cell(2, col).value = header
        for r in range(3, ws.max_row + 1):
            ws.cell(r, col).value = "zie dossier"
    book.save(export)


def _accented(text: str) -> str:
    """``text`` with an accented letter if it has none (the shipped headers are plain ASCII)."""
    return text.replace("e", "é", 1) if text.isascii() else text


def _accent_mapping(export) -> None:  # noqa: F811
    """The mapping's headers with the same accent, written composed (NFC), as YAML holds them."""
    def change(d):
        d["participants"]["columns"] = {_accented(h): c for h, c in d["participants"]["columns"].items()}
        d["participants"]["ignore"] = [_accented(h) for h in d["participants"].get("ignore", [])]
        d["participants"]["ignore"].append("Opmerking  casemanager")  # spaced as the sheet does not
    edit_mapping(export, change)


@pytest.mark.parametrize("written", ["nfd", "bom", "nfd_bom"])
def test_headers_that_read_as_the_mapping_s_are_its_columns(export, pilot30, written):  # noqa: F811
    _accent_mapping(export)

    def change(h: str) -> str:
        h = _accented(h)
        h = unicodedata.normalize("NFD", h) if "nfd" in written else h
        return "\ufeff" + h if "bom" in written else h
    _rewrite_headers(export, change)
    _add_ignored_column(export, unicodedata.normalize("NFD", "Opmerking casemanager") if "nfd" in written else
                        "Opmerking casemanager")
    pd.testing.assert_frame_equal(load_participants(export), pilot30)


def test_header_text_is_the_composed_form_without_a_byte_order_mark():
    assert header_text("\ufeff  Gei\u0308nterviewd \n") == "Ge\u00efnterviewd"
    assert header_text("Klant  nr.") == "Klant nr."
    assert header_text("Caf\u00e9") == header_text("Cafe\u0301")
    assert header_text(None) == "None" and header_text(12) == "12"


@pytest.mark.parametrize("word", ["Eindtotaal", "Totaal", "TOTAAL", "Sub-totaal", "Totalen"])
def test_a_totals_row_whose_word_the_id_pattern_takes_is_told_to_be_skipped(export, word):  # noqa: F811
    """Hostile round 18: a pivot table's "Eindtotaal" row (letters only: the id pattern takes it)
    drew "every participant needs a status", not the skip_rows advice. Followed, the advice
    gives the shipped file's participants."""
    from analysis.data.errors import InputError
    from analysis.pilot.from_export import totals_rule

    book = openpyxl.load_workbook(export)
    ws = book[PERSON_SHEETS[0]]
    ws.append([word])
    book.save(export)
    with pytest.raises(InputError) as err:
        load_participants(export)
    assert "reads as totals" in str(err.value) and word in str(err.value)
    pattern = totals_rule(word).split('skip_rows: ["')[1].split('"')[0]
    edit_mapping(export, lambda d: d["participants"].setdefault("skip_rows", []).append(pattern))
    assert len(load_participants(export)) == 30


def test_an_id_that_only_begins_like_a_total_is_an_id():
    from analysis.pilot.from_export import TOTAL_WORD

    assert not any(TOTAL_WORD.match(i) for i in ("Totaal1", "K1000", "totaalbedrijf", "EIND-01"))
