"""Model estimates against hand-checkable and published reference values."""

import math

import numpy as np
import pandas as pd
import pytest

from analysis.pilot import outcomes
from analysis.stats import models, power


def frame_from_table(a1, n1, a0, n0, group="g", levels=("b", "a")):
    """Rows for a 2 x 2 table: level levels[0] has a1 events of n1, levels[1] a0 of n0."""
    g = [levels[0]] * n1 + [levels[1]] * n0
    y = [1] * a1 + [0] * (n1 - a1) + [1] * a0 + [0] * (n0 - a0)
    return pd.DataFrame({group: g, "y": y, "uitstroom": ["x"] * (n1 + n0)})


@pytest.mark.parametrize("a1, n1, a0, n0", [(3, 3, 0, 3), (7, 10, 3, 10), (12, 14, 5, 11)])
def test_firth_on_a_2x2_table_is_the_haldane_corrected_log_odds_ratio(a1, n1, a0, n0):
    # For a saturated 2 x 2 model Firth's estimate equals the log odds ratio with 0.5 added
    # to every cell (Firth 1993; Heinze & Schemper 2002).
    f = frame_from_table(a1, n1, a0, n0)
    tidy = models.firth_logit(f, ["g"]).set_index("term")
    expected = math.log(((a1 + .5) * (n0 - a0 + .5)) / ((n1 - a1 + .5) * (a0 + .5)))
    assert tidy.loc["g[b]", "coef"] == pytest.approx(expected, abs=1e-4)


def test_firth_matches_the_firthmodels_documented_example():
    f = frame_from_table(3, 3, 0, 3)
    assert models.firth_logit(f, ["g"]).set_index("term").loc["g[b]", "coef"] == pytest.approx(3.89181893, abs=1e-6)


def test_separation_is_detected_and_ml_logit_refuses():
    f = frame_from_table(3, 3, 0, 3)
    sep = models.separation(f, ["g"])
    assert sep.attrs["separation"] and not sep.set_index("term").loc["g[b]", "ml_finite"]
    ml = models.ml_logit(f, ["g"])
    assert ml["coef"].isna().all() and "separation" in ml["note"].iloc[0]


def test_ml_logit_without_separation_matches_the_log_odds_ratio():
    f = frame_from_table(7, 10, 3, 10)
    ml = models.ml_logit(f, ["g"]).set_index("term")
    assert ml.loc["g[b]", "coef"] == pytest.approx(math.log((7 / 3) / (3 / 7)), abs=1e-5)


def test_fisher_reproduces_the_tea_tasting_example():
    f = frame_from_table(3, 4, 1, 4)  # Fisher's lady tasting tea: [[3, 1], [1, 3]]
    row = models.exact_tests(f, "g").iloc[0]
    assert row["fisher_p"] == pytest.approx(0.4857142857, abs=1e-9)
    assert 0 < row["boschloo_p"] <= row["fisher_p"] + 1e-9  # Boschloo is uniformly more powerful


def test_wilson_interval_matches_the_formula():
    f = frame_from_table(16, 25, 0, 0)
    r = models.rates_by_group(f, "g").iloc[0]
    n, p, z = 25, 16 / 25, 1.959963984540054
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    assert (r.ci_low, r.ci_high) == pytest.approx((centre - half, centre + half), abs=1e-10)


def test_lpm_coefficient_is_the_difference_in_rates():
    f = frame_from_table(7, 10, 3, 10)
    lpm = models.linear_probability(f, ["g"]).set_index("term")
    assert lpm.loc["g[b]", "coef"] == pytest.approx(0.4)


def test_ame_of_a_saturated_model_is_the_difference_in_fitted_rates():
    f = frame_from_table(7, 10, 3, 10)
    ame = models.average_marginal_effects(f, ["g"]).set_index("term").loc["g[b]", "ame"]
    assert ame == pytest.approx(7.5 / 11 - 3.5 / 11, abs=1e-4)  # Haldane-shrunk rates


def test_ame_from_the_reported_firth_coefficients_equals_the_ame_from_a_refit():
    f = frame_from_table(12, 14, 5, 11)
    coef = models.firth_logit(f, ["g"]).set_index("term")["coef"]
    refit = models.average_marginal_effects(f, ["g"])
    reused = models.average_marginal_effects(f, ["g"], coef=coef)
    pd.testing.assert_frame_equal(reused, refit, atol=1e-8)


def test_firth_reports_wald_intervals_above_the_profile_limit():
    f = frame_from_table(12, 14, 5, 11)
    small = models.firth_logit(f, ["g"])
    large = models.firth_logit(f, ["g"], profile_max_n=10)
    assert set(small["ci_method"]) == {"profile likelihood"} and set(large["ci_method"]) == {"Wald"}
    assert large["coef"].to_numpy() == pytest.approx(small["coef"].to_numpy())
    assert (large["ci_low"] != small["ci_low"]).all()


def test_permutation_test_agrees_with_fisher_on_a_2x2():
    f = frame_from_table(9, 10, 2, 10)
    t = models.exact_tests(f, "g", n_resamples=20000)
    fisher, perm = t.iloc[0]["fisher_p"], t.iloc[-1]["fisher_p"]
    assert perm == pytest.approx(fisher, abs=0.01)


def test_outcome_definitions_reproduce_the_report(pilot30):
    # section 6.1: 16 of 25 (64%); footnote 11: 17 of 25 (68%)
    _, o = outcomes.analysis_frame(pilot30, "work_or_education", "2021-04-01", "stayed")
    assert (o.events, o.n) == (16, 25), "Hoofdstuk 6.1, 64% van 25"
    _, o = outcomes.analysis_frame(pilot30, "work", "2021-04-16", "stayed")
    assert (o.events, o.n) == (17, 25), "Voetnoot 11, 68% = 17 van 25"
    _, o = outcomes.analysis_frame(pilot30, "work", "2021-04-01", "all")
    assert (o.events, o.n) == (14, 30)


def test_power_grows_with_n_and_effect():
    small, method_small = power.power(30, 0.5, 3.0)
    big, method_big = power.power(3000, 0.5, 3.0, n_sims=300)
    null = power.simulate_ztest_power(3000, 0.5, 1.0, n_sims=2000)
    assert (method_small, method_big) == ("Fisher, exact", "z-test, 300 simulations")
    assert small < 0.5 < big
    assert null == pytest.approx(0.05, abs=0.015), "type I error at the nominal level"


@pytest.mark.parametrize("n1, n0", [(1, 1), (5, 7), (12, 13), (15, 15)])
def test_fisher_rejection_region_matches_scipy_fisher_exact_on_every_table(n1, n0):
    from scipy import stats

    region = power.fisher_rejection_region(n1, n0, 0.05)
    expected = np.array([[stats.fisher_exact([[a, n1 - a], [b, n0 - b]]).pvalue < 0.05 for b in range(n0 + 1)]
                         for a in range(n1 + 1)])
    diff = np.argwhere(region != expected)
    assert not len(diff), f"tables (x1, x0) decided differently from scipy: {diff.tolist()}"


def test_exact_fisher_power_agrees_with_a_monte_carlo_of_scipy_fisher_exact():
    from scipy import stats

    rng = np.random.default_rng(7)
    n1, n0 = power.group_sizes(24)
    p1 = power._rate_with_or(0.4, 4.0)
    x1, x0 = rng.binomial(n1, p1, 3000), rng.binomial(n0, 0.4, 3000)
    mc = np.mean([stats.fisher_exact([[a, n1 - a], [b, n0 - b]]).pvalue < 0.05 for a, b in zip(x1, x0)])
    exact = power.fisher_power(24, 0.4, 4.0)
    assert exact == pytest.approx(mc, abs=3 * math.sqrt(exact * (1 - exact) / 3000))


@pytest.mark.parametrize("n", [10, 30, 100])
def test_fisher_test_never_exceeds_its_nominal_size(n):
    size = power.fisher_power(n, 0.5, 1.0)
    assert 0 <= size <= 0.05, f"Fisher's exact test is conservative; size at N={n} is {size:.4f}"


def test_power_table_names_the_method_of_each_row():
    t = power.power_table([30, 1000], [1.5, 3], base_rate=0.5, n_sims=200)
    assert t.groupby("n")["method"].first().to_dict() == {30: "Fisher, exact", 1000: "z-test, 200 simulations"}
    assert t.sort_values(["n", "odds_ratio"])["power"].is_monotonic_increasing


def test_mde_picks_the_smallest_powered_odds_ratio():
    t = pd.DataFrame({"n": [10] * 3, "odds_ratio": [1.5, 2, 3], "power": [0.3, 0.85, 0.99]})
    assert power.minimum_detectable_effect(t)["mde_odds_ratio"].iloc[0] == 2
