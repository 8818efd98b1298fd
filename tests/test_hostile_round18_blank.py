"""Hostile round 18, left then: ``blank: man`` under a recode was accepted, and every empty cell of
the column was read as "man", a value the export does not hold. An empty cell was not recorded:
``blank`` may only be ``onbekend``, or "no" for a yes/no column whose export marks only the yes (a
tick box, as the shipped mapping's ``blank: false``)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from test_mapping_export_route import edit_mapping, export  # noqa: E402,F401

from analysis.data.errors import InputError  # noqa: E402
from analysis.pilot.inputs import load_participants  # noqa: E402


def _blank(column: str, code):
    def change(d):
        d.setdefault("values", {}).setdefault(column, {})["blank"] = code
    return change


@pytest.mark.parametrize(("column", "code"), [("geslacht", "man"), ("opleidingsniveau", "hoog"),
                                              ("certificeringscursus", True), ("certificeringscursus", "ja")])
def test_a_blank_that_gives_empty_cells_a_value_is_refused(export, column, code):  # noqa: F811
    edit_mapping(export, _blank(column, code))
    with pytest.raises(InputError) as err:
        load_participants(export)
    text = str(err.value)
    assert f"values.{column}.blank" in text and "not recorded" in text and "blank: onbekend" in text


@pytest.mark.parametrize(("column", "code"), [("geslacht", "onbekend"), ("certificeringscursus", False),
                                              ("certificeringscursus", "onbekend")])
def test_not_recorded_and_a_tick_box_s_no_are_accepted(export, column, code):  # noqa: F811
    edit_mapping(export, _blank(column, code))
    assert len(load_participants(export)) == 30
