"""Hostile round 18, left then, ``participants.derive.*.years_until``:
- a fixed date outside the study (``2099-01-01``) made every age "more than 70": 30 messages, one
  per row, none naming the date; it is refused once, naming the key and the study's dates;
- the schema column ``uitstroomdatum``, which the sheet does not read (the status history gives
  it), ended in "the report run would fail: Invalid isoformat string: 'uitstroomdatum'"; it is
  refused naming the key and what to do."""

from __future__ import annotations

import sys
from pathlib import Path

import openpyxl
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from test_mapping_export_route import (  # noqa: E402
    PERSON_SHEETS,
    _birth_date,
    _column,
    _inflow,
    edit_mapping,
    export,  # noqa: F401
)

from analysis.data.errors import InputError  # noqa: E402
from analysis.pilot.inputs import load_participants  # noqa: E402


def _birth_dates(export, until) -> None:  # noqa: F811
    book = openpyxl.load_workbook(export)
    for name in PERSON_SHEETS:
        ws = book[name]
        age = _column(ws, "Leeftijd")
        ws.cell(2, age).value = "Geboortedatum"
        for r in range(3, ws.max_row + 1):
            if ws.cell(r, age).value is not None:
                ws.cell(r, age).value = _birth_date(_inflow(ws, r), int(ws.cell(r, age).value))
    book.save(export)

    def derive(m):
        del m["participants"]["columns"]["Leeftijd"]
        m["participants"]["derive"] = {"leeftijd": {"from": "Geboortedatum", "years_until": until}}
    edit_mapping(export, derive)


@pytest.mark.parametrize(("until", "said"), [("2099-01-01", "must be a date of the study"),
                                             ("1900-01-01", "must be a date of the study"),
                                             ("2021-02-30", "a date that exists"),
                                             ("uitstroomdatum", "the participants' sheets do not read")])
def test_a_date_to_count_up_to_that_is_no_date_of_the_study_is_named_once(export, until, said):  # noqa: F811
    _birth_dates(export, until)
    with pytest.raises(InputError) as err:
        load_participants(export)
    text = str(err.value)
    assert "participants.derive.leeftijd.years_until" in text and said in text
    assert "Invalid isoformat" not in text and text.count("breaks rule") == 1


def test_a_date_of_the_study_counts(export):  # noqa: F811
    _birth_dates(export, "2020-12-31")
    ages = load_participants(export)["leeftijd"]
    assert ages.notna().sum() > 20
