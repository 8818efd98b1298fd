"""A yes/no column the export does not record is onbekend, never false (newpilot2, F2: two
yes/no columns of the catering pilot were required of every study, and the only way through
was a constant false, which the new-pilot guide forbids)."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from analysis import paths
from analysis.data.mapping import MappingError
from analysis.pilot.inputs import load_participants

COLUMNS = {"Beschut werk aangevraagd": "beschut_werk_aanvraag", "Geïnterviewd": "geinterviewd"}


def _mapping(tmp_path, constants: str) -> tuple:
    shutil.copyfile(paths.DATA_RAW / "pilot_export_synthetic.xlsx", tmp_path / "pilot_export_synthetic.xlsx")
    text = (paths.DATA_RAW / "pilot_export_synthetic.mapping.yml").read_text(encoding="utf-8")
    for header, column in COLUMNS.items():
        text = text.replace(f'    "{header}": {column}\n', "")
    text = text.replace("  constants: {synthetisch: true}", f"  constants: {{synthetisch: true{constants}}}")
    text = text.replace("ignore: [", "ignore: [" + ", ".join(f'"{h}"' for h in COLUMNS) + ", ", 1)
    mapping = tmp_path / "pilot_export_synthetic.mapping.yml"
    mapping.write_text(text, encoding="utf-8")
    return mapping, text


def test_a_yes_no_column_not_recorded_is_read_as_unknown_for_everyone(tmp_path):
    mapping, text = _mapping(tmp_path, ", beschut_werk_aanvraag: onbekend, geinterviewd: onbekend")
    assert "ignore: [" in text, "the shipped mapping lists the headers it ignores"
    df = load_participants(mapping)
    shipped = load_participants(paths.DATA_RAW / "pilot_export_synthetic.mapping.yml")
    for column in COLUMNS.values():
        assert df[column].isna().all() and not shipped[column].isna().any()
    pd.testing.assert_frame_equal(df.drop(columns=list(COLUMNS.values())),
                                  shipped.drop(columns=list(COLUMNS.values())))


def test_without_a_source_the_message_advises_onbekend_not_false(tmp_path):
    mapping, _ = _mapping(tmp_path, "")
    with pytest.raises(MappingError) as caught:
        load_participants(mapping)
    message = str(caught.value)
    assert "beschut_werk_aanvraag has no source" in message and "{beschut_werk_aanvraag: onbekend}" in message
