"""Hostile round 18, finding 9: ``constants: {certificeringscursus: false}`` for a yes/no column the
export does not hold was accepted, and everyone was read as "no course" (docs/new-pilot.md: never
set a yes/no column to a constant false because the export lacks it; it was not recorded)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from test_mapping_export_route import edit_mapping, export  # noqa: E402,F401  (the shipped export, copied)

from analysis.data.errors import InputError  # noqa: E402
from analysis.pilot.inputs import load_participants  # noqa: E402


def _without_course(constant):
    def change(d):
        columns = d["participants"]["columns"]
        header = next(h for h, c in columns.items() if c == "certificeringscursus")
        del columns[header]
        d["participants"].setdefault("ignore", []).append(header)
        d["participants"]["constants"]["certificeringscursus"] = constant
    return change


@pytest.mark.parametrize("constant", [False, "nee", "false"])
def test_a_constant_no_for_a_yes_no_column_about_persons_is_refused(export, constant):  # noqa: F811
    edit_mapping(export, _without_course(constant))
    with pytest.raises(InputError) as err:
        load_participants(export)
    assert "participants.constants.certificeringscursus" in str(err.value) and "onbekend" in str(err.value)


def test_not_recorded_is_read_as_onbekend_and_the_file_flag_keeps_its_constant(export):  # noqa: F811
    edit_mapping(export, _without_course("onbekend"))
    frame = load_participants(export)
    assert frame["certificeringscursus"].isna().all()  # not recorded: no one is "no"
