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
    ``reports/failed/``. A mapping decides nothing by itself now; the export it reads does."""
    mapping = tmp_path / "pilot_export_synthetic.mapping.yml"
    shutil.copyfile(paths.DATA_RAW / "pilot_export_synthetic.mapping.yml", mapping)
    book = openpyxl.load_workbook(paths.DATA_RAW / "pilot_export_synthetic.xlsx")
    sheet = book.worksheets[0]
    sheet.cell(row=sheet.max_row, column=2).value = "typed over"
    book.save(tmp_path / "pilot_export_synthetic.xlsx")
    given = mapping if judged == "mapping" else tmp_path / "pilot_export_synthetic.xlsx"
    assert private_runs.makes_run_private(given)
    assert private_runs.private_inputs({"participants_path": str(given)}) == [given.resolve()]
    from analysis import synthetic_seal

    assert not synthetic_seal.made_by_project(mapping)  # a mapping is never believed: its export decides
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


def test_a_copy_of_the_study_file_under_another_id_is_the_same_pilot(private_folder, tmp_path):
    """Attack 18 (B3, B5, B8, B10): the same people with two columns changed in every record
    (ages and years of service one year on, or left empty), under a copy of the study file with
    another id: no sketch of ids or records met, so notebooks 04 of two definitions, or a
    corrected second release, were published and differenced (2 and 4 in education per triage
    path; the corrected person's move). The pilot itself relates them: its employers and dates.
    The control: the ids and records alone do not."""
    from analysis import ledger
    from analysis.pilot.synthetic import generate_participants
    from analysis.study import load_study

    original = load_study("catering_noordoost_brabant_2021")
    text = (paths.PROJECT_ROOT / "studies" / "catering_noordoost_brabant_2021.yml").read_text(encoding="utf-8")
    copy = tmp_path / "catering_b.yml"
    copy.write_text(text.replace("id: catering_noordoost_brabant_2021", "id: catering_b"), encoding="utf-8")
    shutil.copyfile(paths.PROJECT_ROOT / "studies" / "catering_noordoost_brabant_2021.facts.yml",
                    tmp_path / "catering_noordoost_brabant_2021.facts.yml")  # beside the copy, as the study names it
    copied = load_study(str(copy))
    assert copied.id == "catering_b" and ledger.study_sketch(copied) == ledger.study_sketch(original)
    assert ledger.study_sketch(load_study("schoonmaak_twente_2023")) != ledger.study_sketch(original)

    people = generate_participants(200, seed=8).assign(synthetisch=False)
    later = people.assign(deelnemer_id=people["deelnemer_id"].str.replace("SYN", "S", regex=False),
                          leeftijd=people["leeftijd"] + 1, dienstjaren=people["dienstjaren"] + 1)
    first = ledger.records_sketch(people) + ledger.people_sketch(people["deelnemer_id"])
    earlier = ledger.Entry("catering_noordoost_brabant_2021", "hmac:a", "04:work:start:triage", 10, ("2021-04-16",),
                           {"c": 40}, {}, first + ledger.study_sketch(original))
    second = ledger.records_sketch(later) + ledger.people_sketch(later["deelnemer_id"])
    assert ledger.related([earlier], "catering_b", second) == []  # the control: two columns changed everywhere
    assert ledger.related([earlier], "catering_b", second + ledger.study_sketch(copied)) == [earlier]


def test_a_private_run_names_no_input_in_plain_on_its_page(tmp_path, monkeypatch):
    """Attack 18 (B6): a real file listed in the project's folders ran private, but its page
    named it by its path with its plain sha256 (a copy with one value unknown could be
    confirmed against it). On a private run the page names every input as a private input with
    a keyed hash, as the kernel's provenance does; a public run names shipped inputs in plain."""
    from analysis.pipeline import pages

    shipped = paths.DATA_RAW / "pilot_participants_synthetic.csv"
    public = pages.data_statement({"participants_path": str(shipped), "status_history_path": ""}, "nl")
    assert "pilot_participants_synthetic.csv" in public
    listed = paths.DATA_RAW / "dwsra_project_register.csv"  # listed and public, but never believed synthetic
    private = pages.data_statement({"participants_path": str(listed), "status_history_path": ""}, "nl")
    assert "dwsra_project_register" not in private and "hmac-sha256" in private
    monkeypatch.setattr(pages, "private_inputs", lambda params: [])  # the control: judged by the file alone
    assert "dwsra_project_register" in pages.data_statement({"participants_path": str(listed)}, "nl")
