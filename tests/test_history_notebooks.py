"""Notebooks 02 and 03 run through the runner at a cut-off date that is not one of the
participant file's snapshot dates (1 March 2021): the status comes from the shipped status
history, and the outputs are named by the date."""

from pathlib import Path

import pandas as pd
import pytest

from analysis import paths
from analysis.pipeline import runner
from analysis.pipeline.runs import NotebookRun
from tests.read_download import read_counts

pytestmark = pytest.mark.slow

MARCH = "2021-03-01"


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    common = {"cutoff_date": MARCH, "min_cell_count": 1, "processed_dir": ""}
    runs = [NotebookRun("02_pilot_participants", paths.NOTEBOOKS / "02_pilot_participants.ipynb", common),
            NotebookRun("03_outcome_models", paths.NOTEBOOKS / "03_outcome_models.ipynb",
                        {**common, "power_ns": "30", "power_sims": 0})]
    reports = tmp_path_factory.mktemp("march")
    runner.run_report(runs, reports, workers=2)
    return reports


def test_both_notebooks_publish_their_outputs_at_a_march_cut_off(published):
    tables = published / "tables"
    fig12 = read_counts(next(tables.glob("pilot_figuur_12_uitstroom_20210301_*.csv")))
    history = pd.read_csv(paths.DATA_RAW / "pilot_status_history_synthetic.csv", dtype=str)
    known = history[history["datum"] <= MARCH].sort_values(["deelnemer_id", "datum"], kind="stable")
    expected = known.groupby("deelnemer_id")["status"].last().value_counts()
    assert fig12.iloc[:, 0].drop("totaal").astype(int)[lambda s: s > 0].to_dict() == expected.to_dict()
    assert list(tables.glob("models_rates_work_20210301_stayed_*.csv"))
    assert list((published / "figures").glob("pilot_figuur_13_uitstroom_sector_20210301_*.png"))
    provenance = next(tables.glob("pilot_figuur_12_uitstroom_20210301_*.provenance.json")).read_text()
    assert "pilot_status_history_synthetic.csv" in provenance
