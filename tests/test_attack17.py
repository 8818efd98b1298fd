"""Findings of the seventeenth intruder (session 11) that the runner's own rules decide."""

from __future__ import annotations

import shutil

import openpyxl
import pytest

from analysis import paths
from analysis.pipeline import private_runs


@pytest.fixture()
def private_folder(tmp_path, monkeypatch):
    folder = tmp_path / "private"
    monkeypatch.setenv("VWNW_PRIVATE_DIR", str(folder))
    return folder


@pytest.mark.parametrize("judged", ["mapping", "export"])
def test_a_copy_of_the_shipped_mapping_beside_a_real_export_makes_the_run_private(tmp_path, judged, monkeypatch):
    """A2/A3: a real export (the shipped one with one record typed over) read through a byte
    copy of the shipped mapping: the runner judged the mapping alone (a copy of a shipped file,
    so not private) while the kernel judged the export (real). The run published into
    ``reports/`` and kept what the notebook printed, and its failed notebook quoted a value in
    ``reports/failed/``. The control, judging each file alone, calls the mapping public."""
    mapping = tmp_path / "pilot_export_synthetic.mapping.yml"
    shutil.copyfile(paths.DATA_RAW / "pilot_export_synthetic.mapping.yml", mapping)
    book = openpyxl.load_workbook(paths.DATA_RAW / "pilot_export_synthetic.xlsx")
    sheet = book.worksheets[0]
    sheet.cell(row=sheet.max_row, column=2).value = "typed over"
    book.save(tmp_path / "pilot_export_synthetic.xlsx")
    given = mapping if judged == "mapping" else tmp_path / "pilot_export_synthetic.xlsx"
    assert private_runs.makes_run_private(given)
    assert private_runs.private_inputs({"participants_path": str(given)}) == [given.resolve()]
    assert not private_runs._private_file(mapping.resolve())  # the control: the mapping alone, as before
    shutil.copyfile(paths.DATA_RAW / "pilot_export_synthetic.xlsx", tmp_path / "pilot_export_synthetic.xlsx")
    assert not private_runs.makes_run_private(mapping)  # both the project's own bytes: not private


def test_the_same_people_with_every_inflow_date_moved_by_a_day_are_related(private_folder):
    """A1: notebook 03 of a file, then notebook 04 of the same people re-keyed, under a copy of
    the study file with another id, and with every inflow date moved by one day (a column
    neither analysis uses): no whole record matched, the releases were not related, and their
    difference gave 2, 4 and 6 in education per triage path. The records without any one
    column relate them; another pilot's people (other employers, other dates) stay strangers.
    The control, the whole records alone, does not relate them."""
    import pandas as pd

    from analysis import ledger
    from analysis.pilot.synthetic import generate_participants

    people = generate_participants(200, seed=8).assign(synthetisch=False)
    moved = people.assign(deelnemer_id=people["deelnemer_id"].str.replace("SYN", "Q", regex=False),
                          instroomdatum=people["instroomdatum"] - pd.Timedelta(days=1))
    later = pd.Timedelta(days=400)
    others = people.assign(deelnemer_id="X" + people["deelnemer_id"], werkgever="Drukkerij " + people["werkgever"],
                           instroomdatum=people["instroomdatum"] + later, startdatum=people["startdatum"] + later)
    earlier = ledger.Entry("catering", "hmac:a", "03:work:2021-04-16:stayed:triage", 10, ("2021-04-16",), {"c": 40},
                           {}, ledger.records_sketch(people))
    assert ledger.related([earlier], "catering_b", ledger.records_sketch(moved)) == [earlier]
    assert ledger.related([earlier], "catering_b", ledger.records_sketch(others)) == []
    whole = [h for h in ledger.records_sketch(moved) if "-" not in h]  # the control: the sketch of attack 16 alone
    assert ledger.related([earlier], "catering_b", whole) == []


def test_a_listed_file_under_tests_is_public_but_its_synthetic_claim_is_not_believed(tmp_path):
    """A4 (its second route): a real file staged under ``tests/`` and listed by ``--write``
    counted as the project's own, and its synthetic claim was believed. The list cannot tell a
    test case from a real file there, so only files listed under ``data/raw/`` and ``studies/``
    (and their copies) may call themselves synthetic; ``tests/`` files stay public inputs."""
    from analysis import shipped_files, synthetic_seal

    listed = shipped_files.listed()
    in_tests = next(name for name in sorted(listed) if name.startswith("tests/") and name.endswith(".csv"))
    in_raw = "data/raw/pilot_participants_synthetic.csv"
    for name, believed in ((in_tests, False), (in_raw, True)):
        copy = tmp_path / name.replace("/", "_")
        shutil.copyfile(paths.PROJECT_ROOT / name, copy)
        assert synthetic_seal.made_by_project(copy) is believed, name
    assert in_tests in listed and listed[in_tests] not in shipped_files.digests()  # listed, not believed
