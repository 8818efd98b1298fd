"""The Aalen-Johansen cumulative incidence (analysis.stats.survival.cumulative_incidence,
computed from the counts per interval end) against statsmodels' own estimator,
``CumIncidenceRight``, on one row per person, and against R (multi-state ``survfit`` of the
survival package, ``cuminc`` of cmprsk: tests/reference/survival_reference.csv, and two small
cases computed here by hand in R, quoted below).

What these tests establish (docs/time_to_work.md, "Cumulative incidence and statsmodels"):

- the estimate is statsmodels' to rounding (both sum S(s-) d1(s) / n(s); statsmodels forms
  S as exp(cumsum(log(1 - d/n))), this module by a running product, so the last bits may
  differ: the tests allow 1e-12, the largest difference measured is 8.9e-16);
- the standard error is the same delta-method formula (Marubini & Valsecchi 1995, which
  statsmodels cites) wherever statsmodels defines it; statsmodels leaves it NaN at and after the
  first time at which everyone still at risk leaves (an outcome or a competing exit), because
  its term d / (n (n - d)) is 1/0 there and multiplies a difference F(t) - F(s) of 0. R's
  ``survfit`` and this module take that term as 0 and print a number: the tests check that
  statsmodels' NaN falls exactly there and that ours equals R's there;
- with ``freq_weights`` (the counts) statsmodels gives the estimate but no standard error,
  which is why the module computes from the counts itself.

If statsmodels' estimate or its standard error (where defined) ever part from ours, or its
NaN moves, a test here fails."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from statsmodels.duration.survfunc import CumIncidenceRight

from analysis.pilot.time_to_work import durations
from analysis.stats import survival as sv
from tests.test_survival import GRID, REFERENCE, population
from tests.test_survival_counts import random_durations

TOL = 1e-12  # rounding order only (see the module docstring); the published values have 3 digits


def statsmodels_at_ends(d: pd.DataFrame, ends) -> tuple[np.ndarray, np.ndarray]:
    """``CumIncidenceRight`` on the persons' coarsened rows, read at each end: (cinc, cinc_se)
    of the outcome (status 1)."""
    c = sv.coarsen(d, ends)
    with warnings.catch_warnings():  # its 1/0 where the risk set empties (see the module docstring)
        warnings.simplefilter("ignore", RuntimeWarning)
        ci = CumIncidenceRight(c["time"].to_numpy(), c["status"].to_numpy(dtype=np.int64))
    cinc, se = [], []
    for end in sorted(ends):
        j = np.flatnonzero(ci.times <= end)
        cinc.append(ci.cinc[0][j[-1]] if len(j) else 0.0)
        se.append(ci.cinc_se[0][j[-1]] if len(j) else 0.0)
    return np.array(cinc), np.array(se)


def risk_set_emptied(d: pd.DataFrame, ends) -> np.ndarray:
    """Per end: at or after an end at which every person still at risk left with the outcome or
    a competing exit (counted person by person on the coarsened rows)."""
    c = sv.coarsen(d, ends)
    here = [0 < int(((c["time"] == e) & (c["status"] != sv.CENSORED)).sum()) == int((c["time"] >= e).sum())
            for e in sorted(ends)]
    return np.cumsum(here) > 0


def check_against_statsmodels(d: pd.DataFrame, ends) -> pd.DataFrame:
    """Ours and statsmodels' at ``ends``: equal estimates, equal standard errors where
    statsmodels has one, statsmodels' NaN exactly where the risk set has emptied, ours
    defined everywhere. Returns ours with ``sm_undefined``."""
    ours = sv.cumulative_incidence(d, ends)
    cinc, se = statsmodels_at_ends(d, ends)
    np.testing.assert_allclose(ours["cif"].to_numpy(), cinc, rtol=0, atol=TOL)
    undefined = ~np.isfinite(se)
    np.testing.assert_array_equal(undefined, risk_set_emptied(d, ends))
    assert np.isfinite(ours["se"].to_numpy()).all()
    np.testing.assert_allclose(ours["se"].to_numpy()[~undefined], se[~undefined], rtol=0, atol=TOL)
    return ours.assign(sm_undefined=undefined)


@pytest.mark.parametrize("n,seed,days", [(40, 1, 8), (500, 2, 30), (20_000, 3, 200)])
def test_cumulative_incidence_is_statsmodels_on_random_durations(n, seed, days):
    d = random_durations(n, seed, days)
    assert ((d["time"] == 0) & (d["status"] == sv.EVENT)).any()  # events at time 0, and ties of every kind
    for ends in (sorted(d["time"].unique()), [2.0, 5.0, 20.0, sv.SIX_MONTHS, 199.0, 250.0]):
        check_against_statsmodels(d, ends)


def curves(d: pd.DataFrame) -> dict[str, pd.DataFrame]:
    out = {"all": d}
    for g in ("triage", "opleiding"):
        for level in sorted(d[g].unique()):
            out[f"{g}={level}"] = d[d[g] == level]
    return out


def compare_population(name: str) -> dict[str, int]:
    """Every curve (overall, by triage, by education) of both definitions and both origins:
    ours against statsmodels at every distinct time and at the month grid; at the grid, ours
    against R's ``survfit`` (estimate and SE) and cmprsk's ``cuminc`` (estimate) where the
    reference has the dataset (it has three of the four combinations)."""
    p, h = population(name)
    seen = {"ends": 0, "sm_undefined": 0, "r_where_sm_undefined": 0, "r": 0}
    for definition in ("work", "work_or_education"):
        for origin in ("start", "inflow"):
            d = durations(p, h, definition, origin)
            ref = REFERENCE[REFERENCE["dataset"] == f"{name}_{definition}_{origin}"]
            for curve, s in curves(d).items():
                check_against_statsmodels(s, sorted(s["time"].unique()))
                ends = sorted(set(s["time"]) | set(GRID) | {max(s["time"].max(), GRID[-1])})
                ours = check_against_statsmodels(s, ends).set_index("end")
                seen["ends"] += len(ours)
                seen["sm_undefined"] += int(ours["sm_undefined"].sum())
                for quantity, column in (("aj_cif", "cif"), ("aj_se", "se"), ("cuminc_est", "cif")):
                    rows = ref[(ref["quantity"] == quantity) & (ref["curve"] == curve)].dropna(subset=["value"])
                    for t, want in zip(rows["time"], rows["value"]):
                        row = ours.loc[ours.index[np.isclose(ours.index, t)][0]]
                        assert row[column] == pytest.approx(want, abs=TOL), (name, definition, origin, curve,
                                                                              quantity, t)
                        seen["r"] += 1
                        seen["r_where_sm_undefined"] += int(quantity == "aj_se" and row["sm_undefined"])
    return seen


@pytest.mark.parametrize("name", ["shipped", "n200", "n1000"])
def test_cumulative_incidence_is_statsmodels_on_the_populations(name):
    seen = compare_population(name)
    assert seen["r"] > 300 and seen["ends"] > 500
    assert seen["r_where_sm_undefined"] > 0  # where statsmodels has no SE, R's is checked instead


@pytest.mark.slow
def test_cumulative_incidence_is_statsmodels_at_15000():
    seen = compare_population("n15000")
    assert seen["r"] > 300 and seen["r_where_sm_undefined"] > 0


# R 4.2.2, survival 3.5.3 (scratch, not from this module):
#   s$state <- factor(s$status, levels = c(0, 1, 2), labels = c("censor", "outcome", "exit"))
#   aj <- survfit(Surv(time, state) ~ 1, data = s); aj$pstate[, 2]; aj$std.err[, 2]
# at aj$time; cmprsk::cuminc(s$time, s$status, cencode = 0) gives the same estimate.
EDGE_CASES = [
    # events, a competing exit and a censored person at time 0; ties of all three kinds at 2;
    # the last person at risk has the outcome at 9
    ([0, 0, 0, 2, 2, 2, 2, 5, 5, 7, 7, 9], [1, 2, 0, 1, 1, 2, 0, 1, 0, 2, 1, 1],
     [0, 2, 5, 7, 9],
     [0.083333333333333329, 0.268518518518518490, 0.379629629629629650, 0.527777777777777901,
      0.675925925925926152],
     [0.079785592313028189, 0.133047604798090108, 0.151789420569818395, 0.170023634011693514,
      0.159715885244362421]),
    # the last person at risk leaves by a competing exit at 6
    ([1, 1, 3, 4, 4, 6], [1, 0, 1, 2, 0, 2],
     [1, 3, 4, 6],
     [0.16666666666666666, 0.375, 0.375, 0.375],
     [0.15214515486254615, 0.21347814095749165, 0.21347814095749165, 0.21347814095749165]),
]


@pytest.mark.parametrize("time,status,r_times,r_cif,r_se", EDGE_CASES)
def test_time_zero_ties_and_the_emptied_risk_set_against_r_and_statsmodels(time, status, r_times, r_cif, r_se):
    d = pd.DataFrame({"time": np.asarray(time, dtype=float), "status": status})
    ours = check_against_statsmodels(d, r_times)
    np.testing.assert_allclose(ours["cif"].to_numpy(), r_cif, rtol=0, atol=TOL)
    np.testing.assert_allclose(ours["se"].to_numpy(), r_se, rtol=0, atol=TOL)
    assert ours["sm_undefined"].tolist() == [False] * (len(r_times) - 1) + [True]  # only where the set empties


def test_statsmodels_with_frequency_weights_gives_the_estimate_from_counts_but_no_se():
    d = random_durations(3000, 5)
    ends = np.array([10.0, 40.0, 90.0, 150.0, 199.0])
    counts = sv.interval_counts(np.searchsorted(ends, d["time"].to_numpy(), side="left"),
                                d["status"].to_numpy(dtype=np.int64), len(ends))
    time, status = np.repeat(ends, 3), np.tile([sv.CENSORED, sv.EVENT, sv.COMPETING], len(ends))
    weights = counts.ravel().astype(float)
    keep = weights > 0
    ci = CumIncidenceRight(time[keep], status[keep], freq_weights=weights[keep])
    assert ci.cinc_se is None
    np.testing.assert_allclose(sv.cumulative_incidence(d, ends)["cif"].to_numpy(), ci.cinc[0], rtol=0, atol=TOL)
