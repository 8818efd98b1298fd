"""Hostile round 18, finding 1: the mapping beside an export named another file as its source
(last month's mapping copied beside this month's export), and the run read that other file
without a word. An export named with a mapping beside it must be the mapping's source."""

from __future__ import annotations

import shutil

import pytest

from analysis.data.errors import InputError
from analysis.data.file_pairs import mapping_beside
from analysis.pilot.from_export import load_export, load_export_cached
from analysis.pilot.messy_export import write_export
from analysis.release.loading import generate_for_active_study


@pytest.fixture()
def two_months(tmp_path):
    """Last month's export with its mapping; this month's export (other persons) beside a copy
    of last month's mapping, its ``source:`` unchanged."""
    last = tmp_path / "export_oktober.xlsx"
    write_export(generate_for_active_study(30), last)
    this = tmp_path / "export_november.xlsx"
    shutil.copy(write_export(generate_for_active_study(31).iloc[:25], tmp_path / "tmp" / "x.xlsx").parent / "x.xlsx",
                this)
    shutil.copy(mapping_beside(last), mapping_beside(this))
    return last, this


@pytest.mark.parametrize("loader", [load_export, lambda p: load_export_cached(p, p.parent / "processed")],
                         ids=["load_export", "cached"])
def test_an_export_whose_mapping_names_another_file_is_refused(two_months, loader):
    last, this = two_months
    with pytest.raises(InputError) as err:
        loader(this)
    text = str(err.value)
    assert "export_oktober.xlsx" in text and "source: export_november.xlsx" in text


def test_the_export_its_mapping_names_and_the_mapping_itself_are_read(two_months):
    last, this = two_months
    assert len(load_export(last)) == 30  # control: the mapping beside it names it
    assert len(load_export(mapping_beside(this))) == 30  # the mapping named itself reads its source
