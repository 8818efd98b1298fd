"""The notebooks run on the messy export through its mapping, with no other change than
``participants_path``, and publish the same tables as on the clean synthetic file."""

from pathlib import Path

import pytest

from analysis import paths
from analysis.pipeline import runner
from analysis.pipeline.runs import NotebookRun
from tests.read_download import read_counts

pytestmark = pytest.mark.slow

SOURCES = {"clean": "data/raw/pilot_participants_synthetic.csv", "export": "data/raw/pilot_export_synthetic.xlsx"}


def _runs(participants_path: str) -> list[NotebookRun]:
    common = {"participants_path": participants_path, "min_cell_count": 1, "processed_dir": ""}
    return [NotebookRun("02_pilot_participants", paths.NOTEBOOKS / "02_pilot_participants.ipynb",
                        {**common, "cutoff_date": "2021-04-01"}),
            NotebookRun("03_outcome_models", paths.NOTEBOOKS / "03_outcome_models.ipynb",
                        {**common, "power_ns": "30,100", "power_sims": 50})]


def _export_with_unknowns(folder: Path) -> Path:
    """The synthetic export with an education, a function and a tenure never recorded."""
    import shutil

    import openpyxl

    from analysis.synthetic_seal import seal

    for name in (SOURCES["export"], SOURCES["export"].replace(".xlsx", ".mapping.yml")):
        shutil.copyfile(paths.resolve(name), folder / Path(name).name)
    path = folder / Path(SOURCES["export"]).name
    book = openpyxl.load_workbook(path)
    ws = book["Jansen (UWV)"]
    headers = [c.value for c in ws[2]]
    for row, header in ((3, "Opleiding"), (4, "Functie"), (5, "Dienstjaren")):
        ws.cell(row, headers.index(header) + 1).value = None
    book.save(path)
    seal(path)  # the test stands in for the generator: still synthetic (analysis.synthetic_seal)
    return path


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> dict[str, Path]:
    out = {}
    for name, source in SOURCES.items():
        reports = tmp_path_factory.mktemp(name)
        runner.run_report(_runs(source), reports, workers=2)
        out[name] = reports
    unknowns = _export_with_unknowns(tmp_path_factory.mktemp("unknowns_data"))
    out["unknowns"] = tmp_path_factory.mktemp("unknowns")
    runner.run_report(_runs(str(unknowns))[:1], out["unknowns"], workers=1)
    return out


def test_both_notebooks_run_on_the_export(published):
    for nb in ("02_pilot_participants", "03_outcome_models"):
        assert list((published["export"] / "html" / "reviewer").glob(f"{nb}*.html")), nb


def test_export_gives_the_same_tables_as_the_clean_file(published):
    clean = sorted(p.relative_to(published["clean"]) for p in (published["clean"] / "tables").glob("*.csv"))
    export = sorted(p.relative_to(published["export"]) for p in (published["export"] / "tables").glob("*.csv"))
    assert clean and clean == export
    for rel in clean:
        assert (published["export"] / rel).read_bytes() == (published["clean"] / rel).read_bytes(), rel


def test_provenance_names_the_export_and_its_mapping(published):
    text = next((published["export"] / "tables").glob("pilot_figuur_12*.provenance.json")).read_text()
    assert "pilot_export_synthetic.xlsx" in text and "pilot_export_synthetic.mapping.yml" in text


def _one(folder: Path, stem: str) -> Path:
    """The table ``stem`` (output names may carry a language and threshold suffix)."""
    found = sorted(folder.glob(f"{stem}*.csv"))
    assert len(found) == 1, (stem, found)
    return found[0]


def test_unknown_values_are_counted_and_shown(published):
    """Three values never recorded: each figure table has an onbekend row holding them (read by code)."""

    tables = published["unknowns"] / "tables"
    fig7 = read_counts(_one(tables, "pilot_figuur_07_opleiding_leeftijd_20210401"), ("totaal",), dtype=None)
    assert "onbekend" in fig7.index and fig7.loc["onbekend"].drop("totaal", errors="ignore").sum() == 1
    fig8 = read_counts(_one(tables, "pilot_figuur_08_dienstjaren_20210401"), dtype=None)
    assert int(fig8.loc["onbekend"].iloc[0]) == 1
    fig9 = read_counts(_one(tables, "pilot_figuur_09_functie_20210401"), dtype=None)
    assert int(fig9.loc["onbekend"].iloc[0]) == 1
    clean = read_counts(_one(published["clean"] / "tables", "pilot_figuur_09_functie_20210401"), dtype=None)
    assert "onbekend" not in clean.index
