"""The survival estimates computed from counts (analysis.stats.survival: per interval end, or
per covariate pattern and time) against the row-level computations they replace: statsmodels'
``SurvfuncRight``, ``survdiff`` and ``PHReg`` on one row per person, and estimates written
out here person by person."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from statsmodels.duration.hazard_regression import PHReg
from statsmodels.duration.survfunc import SurvfuncRight, survdiff

from analysis.pilot import synthetic
from analysis.pilot.time_to_work import durations
from analysis.stats import survival as sv


def random_durations(n: int, seed: int, days: int = 200) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"time": rng.integers(0, days, n).astype(float), "status": rng.choice([0, 1, 2], n,
                                                                                              p=[0.3, 0.5, 0.2]),
                         "triage": rng.choice(["1", "2", "3"], n), "opleiding": rng.choice(["laag", "midden", "hoog"],
                                                                                           n)})


def synthetic_durations(n: int, definition: str = "work", origin: str = "start") -> pd.DataFrame:
    df = synthetic.generate_participants(n)
    return durations(df, synthetic.status_history(df), definition, origin)


def _statsmodels_at_ends(d: pd.DataFrame, ends) -> tuple[np.ndarray, np.ndarray]:
    """SurvfuncRight on the persons' coarsened rows, read at each end."""
    c = sv.coarsen(d, ends)
    sf = SurvfuncRight(c["time"].to_numpy(), (c["status"] == sv.EVENT).astype(int).to_numpy())
    surv, se = [], []
    for end in sorted(ends):
        j = np.flatnonzero(sf.surv_times <= end)
        surv.append(sf.surv_prob[j[-1]] if len(j) else 1.0)
        se.append(sf.surv_prob_se[j[-1]] if len(j) else 0.0)
    return np.array(surv), np.array(se)


@pytest.mark.parametrize("n,seed", [(40, 1), (500, 2), (20_000, 3)])
def test_kaplan_meier_from_counts_is_statsmodels_on_the_rows_to_the_bit(n, seed):
    d = random_durations(n, seed)
    for ends in (sorted(d["time"].unique()), [20.0, 50.0, sv.SIX_MONTHS, 199.0, 250.0]):
        km = sv.kaplan_meier(d, ends)
        surv, se = _statsmodels_at_ends(d, ends)
        np.testing.assert_array_equal(km["surv"].to_numpy(), surv)
        np.testing.assert_array_equal(km["se"].to_numpy(), se)  # NaN where statsmodels leaves it undefined
        c = sv.coarsen(d, ends)
        assert km["n_risk"].tolist() == [int((c["time"] >= e).sum()) for e in sorted(ends)]
        for col, code in (("events", 1), ("competing", 2), ("censored", 0)):
            assert km[col].tolist() == [int(((c["time"] == e) & (c["status"] == code)).sum()) for e in sorted(ends)]


def test_kaplan_meier_where_everyone_has_the_outcome():
    d = pd.DataFrame({"time": [1.0, 2.0, 2.0, 3.0], "status": [1, 1, 1, 1]})
    km = sv.kaplan_meier(d, [1.0, 2.0, 3.0])
    surv, se = _statsmodels_at_ends(d, [1.0, 2.0, 3.0])
    np.testing.assert_array_equal(km["surv"].to_numpy(), surv)
    np.testing.assert_array_equal(km["se"].to_numpy(), se)
    assert km["surv"].iloc[-1] == 0.0


def aalen_johansen_by_hand(d: pd.DataFrame, t: float) -> float:
    """F(t) walking the distinct times one by one, person by person."""
    s, f = 1.0, 0.0
    for u in sorted(d["time"].unique()):
        if u > t:
            break
        n = int((d["time"] >= u).sum())
        e1 = int(((d["time"] == u) & (d["status"] == 1)).sum())
        e = int(((d["time"] == u) & (d["status"] != 0)).sum())
        f += s * e1 / n
        s *= 1 - e / n
    return f


@pytest.mark.parametrize("n,seed", [(60, 4), (3_000, 5)])
def test_cumulative_incidence_from_counts_is_the_person_by_person_estimate(n, seed):
    d = random_durations(n, seed)
    ends = [10.0, 40.0, 90.0, 150.0, 199.0]
    cif = sv.cumulative_incidence(d, ends)
    coarse = sv.coarsen(d, ends)
    for end, got in zip(ends, cif["cif"]):
        assert got == pytest.approx(aalen_johansen_by_hand(coarse, end), abs=1e-14)


def test_log_rank_from_counts_is_survdiff_and_keeps_a_tiny_p():
    rng = np.random.default_rng(6)
    n = 1000
    group = rng.choice(["a", "b"], n)
    time = np.where(group == "a", rng.integers(0, 100, n), rng.integers(40, 200, n)).astype(float)
    d = pd.DataFrame({"time": time, "status": rng.choice([0, 1], n, p=[0.2, 0.8]), "g": group})
    event = (d["status"] == 1).astype(int).to_numpy()
    chi2_sm, p_sm = survdiff(d["time"].to_numpy(), event, d["g"].to_numpy())
    got = sv.logrank(d, "g")
    assert got["chi2"] == pytest.approx(chi2_sm, rel=1e-10) and got["df"] == 1
    assert 200 < got["chi2"] < 1400 and p_sm == 0.0  # statsmodels' 1 - cdf: every digit lost
    want = math.erfc(math.sqrt(got["chi2"] / 2))  # chi-square(1) upper tail, independently of scipy
    assert got["p_value"] > 0 and got["p_value"] == pytest.approx(want, rel=1e-10)


@pytest.mark.parametrize("n", [200, 1000])
def test_log_rank_from_counts_is_survdiff_on_synthetic_populations(n):
    d = synthetic_durations(n)
    event = (d["status"] == 1).astype(int).to_numpy()
    for g in ("triage", "opleiding"):
        chi2, p = survdiff(d["time"].to_numpy(), event, d[g].to_numpy())
        got = sv.logrank(d, g)
        assert got["chi2"] == pytest.approx(chi2, rel=1e-10)
        if p > 1e-12:  # where 1 - cdf still has digits
            assert got["p_value"] == pytest.approx(p, rel=1e-6)


def _phreg_on_rows(d: pd.DataFrame, predictors) -> pd.DataFrame:
    from analysis.stats.models import design

    X = design(d, predictors).drop(columns="const")
    res = PHReg(d["time"].to_numpy(), X.to_numpy(dtype=float), status=(d["status"] == 1).astype(int).to_numpy(),
                ties="breslow").fit()
    ci = res.conf_int()
    return pd.DataFrame({"estimate": np.exp(res.params), "ci_low": np.exp(ci[:, 0]), "ci_high": np.exp(ci[:, 1]),
                         "p_value": res.pvalues}, index=X.columns)


@pytest.mark.parametrize("source", ["random", "n200", "n1000", "n15000"])
def test_cox_from_counts_is_phreg_on_the_rows(source, monkeypatch):
    d = random_durations(3000, 7) if source == "random" else synthetic_durations(int(source[1:]))
    d = d[d["triage"] != "geen"]
    want = _phreg_on_rows(d, ["triage", "opleiding"])
    monkeypatch.setattr(sv, "COX_PHREG_MAX_N", 0)  # counts at any size
    got = sv.cox(d, ["triage", "opleiding"]).set_index("term")
    assert list(got.index) == list(want.index)
    for col in ("estimate", "ci_low", "ci_high"):
        np.testing.assert_allclose(got[col].to_numpy(), want[col].to_numpy(), rtol=1e-9)
    np.testing.assert_allclose(got["p_value"].to_numpy(), want["p_value"].to_numpy(), rtol=1e-7)
    assert got["group_n"].tolist() == [int((d[t.split("[")[0]] == t.split("[")[1][:-1]).sum()) for t in got.index]


def test_cox_switches_to_counts_above_the_bound_with_the_same_table(monkeypatch):
    d = random_durations(2000, 8)
    rows = sv.cox(d, ["triage", "opleiding"])
    monkeypatch.setattr(sv, "COX_PHREG_MAX_N", 100)
    counts = sv.cox(d, ["triage", "opleiding"])
    assert list(rows.columns) == list(counts.columns)
    pd.testing.assert_frame_equal(rows.drop(columns=["estimate", "ci_low", "ci_high", "p_value"]),
                                  counts.drop(columns=["estimate", "ci_low", "ci_high", "p_value"]))
    np.testing.assert_allclose(counts["estimate"], rows["estimate"], rtol=1e-9)


def test_cox_from_counts_says_when_a_level_has_no_events(monkeypatch):
    monkeypatch.setattr(sv, "COX_PHREG_MAX_N", 0)
    d = pd.DataFrame({"time": [1.0, 2, 3, 4, 5, 6], "status": [1, 1, 0, 0, 1, 0], "g": ["a", "a", "b", "b", "a", "b"]})
    out = sv.cox(d, ["g"])
    assert out["estimate"].isna().all() and out["note"].iloc[0].startswith("undefined")
