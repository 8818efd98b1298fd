"""newpilot19, finding 8: the export's "Datum plaatsing" mapped to ``uitstroomdatum`` beside a status
history silently replaced the history's date of the first outflow (a person's second placement,
2026-02-22, instead of the history's 2025-10-29). A column the history gives that the sheet maps
too must agree with the history, person by person; a row that differs is refused with both dates."""

from __future__ import annotations

import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from test_mapping_export_route import PERSON_SHEETS, _column, edit_mapping, export  # noqa: E402,F401

from analysis.data.errors import InputError  # noqa: E402
from analysis.pilot.inputs import load_participants  # noqa: E402


def _placement_column(export, pilot30, shift: dict) -> None:  # noqa: F811
    """A "Datum plaatsing" column: the participant file's outflow date (the history's, computed
    independently when the synthetic data were made), moved by ``shift[id]`` days."""
    dates = pilot30.set_index("deelnemer_id")["uitstroomdatum"]
    book = openpyxl.load_workbook(export)
    for name in PERSON_SHEETS:
        ws = book[name]
        ids, col = _column(ws, "Klantnr.") if "Klantnr." in [c.value for c in ws[2]] else 1, ws.max_column + 1
        ws.cell(2, col).value = "Datum plaatsing"
        for r in range(3, ws.max_row + 1):
            pid = ws.cell(r, ids).value
            when = dates.get(pid)
            if when is not None and pd.notna(when):
                ws.cell(r, col).value = (pd.Timestamp(when) + pd.Timedelta(days=shift.get(pid, 0))).to_pydatetime()
    book.save(export)
    edit_mapping(export, lambda d: d["participants"]["columns"].update({"Datum plaatsing": "uitstroomdatum"}))


def test_a_placement_date_that_agrees_with_the_history_is_read(export, pilot30):  # noqa: F811
    _placement_column(export, pilot30, {})
    pd.testing.assert_frame_equal(load_participants(export), pilot30)


def test_a_placement_date_that_differs_from_the_history_is_refused_with_both(export, pilot30):  # noqa: F811
    person = pilot30.dropna(subset=["uitstroomdatum"])["deelnemer_id"].iloc[0]
    _placement_column(export, pilot30, {person: 40})
    with pytest.raises(InputError) as err:
        load_participants(export)
    text = str(err.value)
    history = pilot30.set_index("deelnemer_id").at[person, "uitstroomdatum"].strftime("%Y-%m-%d")
    assert "1 problem" in text and person in text and history in text and "Datum plaatsing" in text
    assert "participants.ignore" in text
