"""Hostile round 20, finding 2: an export without its mapping beside it was read as a plain
participant workbook. The message names the file, the mapping that is missing and a mapping
beside it under a near name (a draft not renamed, ``.yaml``, another case)."""

from __future__ import annotations

import shutil

import pytest

from analysis import paths
from analysis.cli import main
from analysis.data.errors import InputError
from analysis.pilot.inputs import load_participants

EXPORT = paths.DATA_RAW / "pilot_export_synthetic.xlsx"
MAPPING = paths.DATA_RAW / "pilot_export_synthetic.mapping.yml"


@pytest.fixture
def alone(tmp_path):
    target = tmp_path / "export.xlsx"
    shutil.copyfile(EXPORT, target)
    return target


@pytest.mark.parametrize("near", ["export.mapping.draft.yml", "Export.Mapping.yaml"])
def test_a_mapping_under_a_near_name_is_named_by_the_report_route(alone, near):
    shutil.copyfile(MAPPING, alone.with_name(near))
    with pytest.raises(InputError) as err:
        load_participants(alone)
    text = str(err.value)
    assert str(alone) in text and f"export.mapping.yml is not in {alone.parent}" in text
    assert f"'{near}'" in text and "save it as export.mapping.yml" in text
    assert "read as a participant file in the codebook's columns" in text


def test_an_export_alone_says_which_mapping_is_missing(alone):
    with pytest.raises(InputError) as err:
        load_participants(alone)
    assert f"no mapping beside it: export.mapping.yml is not in {alone.parent}" in str(err.value)


def test_check_names_the_draft_beside_the_export(alone, capsys):
    shutil.copyfile(MAPPING, alone.with_name("export.mapping.draft.yml"))
    assert main(["inspect", str(alone), "--check"]) == 1
    out = capsys.readouterr().out
    assert "'export.mapping.draft.yml'" in out and "save it as export.mapping.yml" in out
