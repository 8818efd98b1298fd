"""The notebooks run on the messy export through its mapping, with no other change than
``participants_path``, and publish the same tables as on the clean synthetic file."""

from pathlib import Path

import pytest

from analysis import paths
from analysis.pipeline import runner
from analysis.pipeline.runs import NotebookRun

pytestmark = pytest.mark.slow

SOURCES = {"clean": "data/raw/pilot_participants_synthetic.csv", "export": "data/raw/pilot_export_synthetic.xlsx"}


def _runs(participants_path: str) -> list[NotebookRun]:
    common = {"participants_path": participants_path, "min_cell_count": 1, "processed_dir": ""}
    return [NotebookRun("02_pilot_participants", paths.NOTEBOOKS / "02_pilot_participants.ipynb",
                        {**common, "cutoff_date": "2021-04-01"}),
            NotebookRun("03_outcome_models", paths.NOTEBOOKS / "03_outcome_models.ipynb",
                        {**common, "power_ns": "30,100", "power_sims": 50})]


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> dict[str, Path]:
    out = {}
    for name, source in SOURCES.items():
        reports = tmp_path_factory.mktemp(name)
        runner.run_report(_runs(source), reports, workers=2)
        out[name] = reports
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
