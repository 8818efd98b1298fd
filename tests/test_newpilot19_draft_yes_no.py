"""newpilot19, finding 4: ``inspect``'s draft wrote ``{map: {"Ja": true, "Nee": false}, blank: false}  #
... empty = no; remove blank if an empty cell must be an error`` for a column that writes both yes and
no: its 11 empty cells were read as "no", though the column's empty cells were not recorded (and
without ``blank`` they are read as unknown, not refused, so the comment was wrong too). Only a tick
box (yes alone written) gets ``blank: false``."""

from __future__ import annotations

import yaml

from analysis import export_inspection as inspect
from analysis.pilot import schema


def _draft(tmp_path, marks: list[str]) -> tuple[dict, str]:
    export = tmp_path / "export.csv"
    rows = ["Klantnummer;Datum aanmelding;Ontslagaanzegging"]
    rows += [f"K{i};{1 + i % 28}-10-2020;{marks[i % len(marks)]}" for i in range(30)]
    export.write_text("\n".join(rows) + "\n", encoding="utf-8")
    text = inspect.draft_mapping(export, inspect.profile_file(export, schema.PARTICIPANTS), schema.PARTICIPANTS)
    line = next(line for line in text.splitlines() if line.strip().startswith("ontslagaanzegging:"))
    return yaml.safe_load(text)["values"]["ontslagaanzegging"], line


def test_a_column_that_writes_yes_and_no_leaves_an_empty_cell_unknown(tmp_path):
    recode, line = _draft(tmp_path, ["Ja", "Nee", ""])
    assert recode["map"] == {"Ja": True, "Nee": False} and "blank" not in recode
    assert "not recorded (onbekend)" in line and "empty = no;" not in line


def test_a_tick_box_reads_an_empty_cell_as_no_and_says_how_to_change_it(tmp_path):
    recode, line = _draft(tmp_path, ["x", ""])
    assert recode.get("blank") is False
    assert "tick box" in line and "blank: onbekend" in line
