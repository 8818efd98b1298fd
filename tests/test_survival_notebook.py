"""Notebooks 03 and 04 at the sizes of issue 27's audit (synthetic populations of 200,
1,000 and 15,000; the shipped file runs in every `make report`), through the runner into a
temporary reports folder: every run succeeds and the published numbers are right at every
size (profile intervals, exact 2 x k tests where feasible, no p-value of 0, curves that meet
the threshold)."""

from __future__ import annotations

import numpy as np
import pytest

from analysis import paths
from analysis.pipeline import runner, runs as run_config
from tests import read_download

pytestmark = pytest.mark.slow
SIZES = (200, 1000, 15000)


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    reports = tmp_path_factory.mktemp("reports")
    runs = []
    for n in SIZES:
        runs.append(run_config.NotebookRun(f"04_time_to_work-n{n}", paths.NOTEBOOKS / "04_time_to_work.ipynb",
                                           {"synthetic_n": n, "min_cell_count": 10}))
        runs.append(run_config.NotebookRun(f"03_outcome_models-n{n}", paths.NOTEBOOKS / "03_outcome_models.ipynb",
                                           {"synthetic_n": n, "min_cell_count": 10}))
    results = runner.run_report(runs, reports, workers=2)
    failed = [(r.run.name, r.message) for r in results if r.status == "failed"]
    assert not failed, failed
    return reports


@pytest.mark.parametrize("n", SIZES)
def test_time_to_work_publishes_merged_curves_at_every_size(published, n):
    curves = read_download.read(published / "tables" / f"time_to_work_curves_20210416_nl_k10_n{n}.csv",
                                ("n_risk", "events", "competing", "censored", "one_minus"))
    for col in ("n_risk", "events", "competing", "censored"):
        v = curves[col].to_numpy()
        assert ((v == 0) | (v >= 10)).all(), col
    assert curves["one_minus"].between(0, 1).all()
    assert not list(published.rglob("time_to_work_release_*")), "the merging log is the checker's, not published"


@pytest.mark.parametrize("n", SIZES)
def test_models_at_every_size(published, n):
    tag = f"work_20210416_stayed_nl_k10_n{n}"
    coef = read_download.read(published / "tables" / f"models_coefficients_{tag}.csv",
                              ("model", "ci_method", "p_value"))
    firth = coef[coef["model"] == "Firth logit"]
    assert (firth["ci_method"].dropna() == "profile penalised likelihood").all()
    shown = coef["p_value"].dropna()
    assert (shown > 0).all(), "no p-value of 0"
    tests = read_download.read(published / "tables" / f"models_exact_tests_{tag}.csv",
                               ("p_value", "comparison", "test", "p_mc_se"))
    assert (tests["p_value"].dropna() > 0).all()
    two_by_k = tests[tests["comparison"].astype(str).str.startswith("all")]
    if n <= 1000:
        assert two_by_k["test"].str.startswith("Fisher-Freeman-Halton, exact").all()
    mc = two_by_k[two_by_k["test"].str.contains("Monte Carlo")]
    assert np.isfinite(mc["p_mc_se"]).all()
