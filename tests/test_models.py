"""Model estimates against published reference values and independent re-implementations
(numpy/scipy/statsmodels written here, never the code under test)."""

import itertools
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import optimize, stats
from scipy.special import expit

from analysis.pilot import outcomes
from analysis.stats import models, power

SEX2 = Path(__file__).parent / "data" / "logistf_sex2_patterns.csv"
SEX2_TERMS = ["age", "oc", "vic", "vicl", "vis", "dia"]
# logistf documentation (R package logistf, example of logistf()/summary with data(sex2),
# alpha = 0.1): penalised ML coefficients, 90% profile penalised-likelihood limits and
# penalised likelihood-ratio p-values as printed there.
LOGISTF_SEX2 = pd.DataFrame({
    "coef": [0.12025405, -1.10598131, -0.06881673, 2.26887464, -2.11140817, -0.78831694, 3.09601166],
    "lower_90": [-0.6673577, -1.8277045, -0.7986318, 1.4248338, -3.0613215, -1.4743338, 1.0835108],
    "upper_90": [0.9177303, -0.4328451, 0.6507581, 3.2325326, -1.2704704, -0.1137542, 6.8752016],
    "p": [8.020268e-01, 6.143472e-03, 8.751911e-01, 1.678877e-06, 1.237805e-05, 5.449701e-02, 4.951873e-03],
}, index=["const", *[f"{t}[1]" for t in SEX2_TERMS]])


def frame_from_table(a1, n1, a0, n0, group="g", levels=("b", "a")):
    """Rows for a 2 x 2 table: level levels[0] has a1 events of n1, levels[1] a0 of n0."""
    g = [levels[0]] * n1 + [levels[1]] * n0
    y = [1] * a1 + [0] * (n1 - a1) + [1] * a0 + [0] * (n0 - a0)
    return pd.DataFrame({group: g, "y": y, "uitstroom": ["x"] * (n1 + n0)})


def frame_from_levels(counts, group="g"):
    """Rows for a 2 x k table: counts = {level: (events, n)}."""
    g, y = [], []
    for lev, (e, n) in counts.items():
        g += [lev] * n
        y += [1] * e + [0] * (n - e)
    return pd.DataFrame({group: g, "y": y, "uitstroom": ["x"] * len(y)})


def sex2_frame():
    d = pd.read_csv(SEX2)
    d = d.loc[d.index.repeat(d["count"])].reset_index(drop=True)
    return pd.DataFrame({**{t: d[t].astype(str) for t in SEX2_TERMS}, "y": d["case"]})


def firth_reference(X, y):
    """Root of Firth's modified score U*(b) = X'(y - p + h (1/2 - p)) (Firth 1993; Heinze &
    Schemper 2002) in plain numpy/scipy: Fisher-scoring steps I^-1 U*, capped at 5 per
    coefficient and halved until the penalised log-likelihood does not fall (as logistf),
    to |U*| < 1e-6, then polished by MINPACK's hybrid root finder to |U*| < 1e-12 (Fisher
    scoring alone can settle into a 2-cycle of size 1e-8 around the root of a group of one)."""
    X, y = np.asarray(X, float), np.asarray(y, float)

    def parts(b):
        p = expit(X @ b)
        q, r = np.linalg.qr(X * np.sqrt(p * (1 - p))[:, None])
        h = np.sum(q * q, axis=1)
        loglik = np.sum(y * np.log(p) + (1 - y) * np.log1p(-p)) + np.sum(np.log(np.abs(np.diag(r))))
        return loglik, X.T @ (y - p + h * (0.5 - p)), r

    b = np.zeros(X.shape[1])
    loglik, score, r = parts(b)
    while np.abs(score).max() > 1e-6:
        step = np.linalg.solve(r, np.linalg.solve(r.T, score))
        step *= min(1.0, 5.0 / np.abs(step).max())
        for _ in range(60):
            new = parts(b + step)
            if new[0] >= loglik:
                break
            step /= 2
        b = b + step
        loglik, score, r = new
    b = optimize.root(lambda v: parts(v)[1], b, method="hybr", tol=1e-15).x
    assert np.abs(parts(b)[1]).max() < 1e-12, "reference root not found"
    return b


@pytest.fixture(scope="module")
def pilot_frame():
    from analysis.pilot.inputs import load_participants
    from tests.conftest import SYNTHETIC_CSV

    frame, _ = outcomes.analysis_frame(load_participants(SYNTHETIC_CSV))
    return models.model_rows(frame, ["triage", "opleiding"])


# --------------------------------------------------------------------------- Firth
@pytest.fixture(scope="module")
def sex2_fit():
    return models.firth_logit(sex2_frame(), SEX2_TERMS, ci_level=0.90).set_index("term")


def test_firth_reproduces_logistf_sex2_coefficients(sex2_fit):
    diff = (sex2_fit["coef"] - LOGISTF_SEX2["coef"]).abs()
    assert diff.max() < 1e-6, diff.to_string()


def test_firth_reproduces_logistf_sex2_profile_limits_and_lr_p_values(sex2_fit):
    lo = np.log(sex2_fit["ci_low"]) - LOGISTF_SEX2["lower_90"]
    hi = np.log(sex2_fit["ci_high"]) - LOGISTF_SEX2["upper_90"]
    assert max(lo.abs().max(), hi.abs().max()) < 1e-6
    assert np.allclose(sex2_fit["p_value"], LOGISTF_SEX2["p"], rtol=1e-5, atol=0)
    assert (sex2_fit["ci_level"] == 0.90).all()


def test_firth_is_converged_to_1e8_against_an_independent_newton_iteration(sex2_fit, pilot_frame):
    X = models.design(sex2_frame(), SEX2_TERMS)
    ref = firth_reference(X, sex2_frame()["y"])
    assert np.abs(sex2_fit.loc[X.columns, "coef"].to_numpy() - ref).max() < 1e-8
    # the pilot model has a group of one person (quasi-separation)
    terms = ["triage", "opleiding"]
    fit = models.firth_logit(pilot_frame, terms).set_index("term")
    X = models.design(pilot_frame, terms)
    ref = firth_reference(X, pilot_frame["y"])
    assert np.abs(fit.loc[X.columns, "coef"].to_numpy() - ref).max() < 1e-8
    assert (fit["note"].str.contains("did not converge") == False).all()  # noqa: E712


@pytest.mark.parametrize("a1, n1, a0, n0", [(3, 3, 0, 3), (7, 10, 3, 10), (12, 14, 5, 11)])
def test_firth_on_a_2x2_table_is_the_haldane_corrected_log_odds_ratio(a1, n1, a0, n0):
    # For a saturated 2 x 2 model Firth's estimate equals the log odds ratio with 0.5 added
    # to every cell (Firth 1993; Heinze & Schemper 2002).
    tidy = models.firth_logit(frame_from_table(a1, n1, a0, n0), ["g"]).set_index("term")
    expected = math.log(((a1 + .5) * (n0 - a0 + .5)) / ((n1 - a1 + .5) * (a0 + .5)))
    assert tidy.loc["g[b]", "coef"] == pytest.approx(expected, abs=1e-9)
    assert tidy.loc["g[b]", "estimate"] == pytest.approx(math.exp(expected), rel=1e-9)
    assert tidy.loc["const", "estimate"] == pytest.approx((a0 + .5) / (n0 - a0 + .5), rel=1e-9)


def test_firth_matches_the_firthmodels_documented_example():
    # firthmodels' docstring prints 3.89181893, fitted at its default tolerance (1e-4); the
    # converged value is the Haldane log odds ratio log(3.5 * 3.5 / (0.5 * 0.5)) = log 49
    coef = models.firth_logit(frame_from_table(3, 3, 0, 3), ["g"]).set_index("term").loc["g[b]", "coef"]
    assert coef == pytest.approx(3.89181893, abs=2e-6) and coef == pytest.approx(math.log(49), abs=1e-10)


@pytest.mark.slow
def test_firth_profiles_at_every_size_as_the_audit_refitted_in_r():
    # issue 27's audit (R, logistf/brglm2) on the synthetic population of 15,000, notebook 03's
    # defaults: triage[1] profile limits 27.2 - 23,234, penalised LR p 2.4e-35
    frame, _ = outcomes.analysis_frame(__import__("analysis.pilot.synthetic", fromlist=["x"]).generate_participants(
        15000), "work", "2021-04-16", "stayed")
    t = models.firth_logit(frame, ["triage", "opleiding"]).set_index("term")
    assert set(t["ci_method"]) == {"profile penalised likelihood"}
    assert t.loc["triage[1]", "ci_low"] == pytest.approx(27.2, abs=0.05)
    assert t.loc["triage[1]", "ci_high"] == pytest.approx(23234, abs=0.5)
    assert t.loc["triage[1]", "p_value"] == pytest.approx(2.4e-35, rel=0.03)
    # a p-value below float64's range is a bound, never 0
    assert (t["p_value"] > 0).all()
    assert t.loc["triage[3]", "p_upper_bound"] and t.loc["triage[3]", "p_value"] == models.P_FLOOR


def test_the_weighted_firth_fit_is_the_fit_on_every_row():
    from firthmodels.adapters.statsmodels import FirthLogit

    f = sex2_frame()
    X = models.design(f, SEX2_TERMS)
    every = FirthLogit(f["y"].to_numpy(), X).fit(maxiter=100, gtol=1e-10, xtol=1e-6, pl=True)
    ours = models.firth_fit(X, f["y"].to_numpy())
    assert ours.coef == pytest.approx(np.asarray(every.params), abs=1e-9)
    assert ours.p == pytest.approx(np.asarray(every.pvalues), rel=1e-6)
    ci = np.asarray(every.conf_int(maxiter=100, tol=1e-10))
    assert ours.ci == pytest.approx(ci, abs=1e-6)


def test_the_firth_intercept_row_says_it_is_not_flic_corrected(pilot_frame):
    t = models.firth_logit(pilot_frame, ["triage", "opleiding"]).set_index("term")
    assert "not FLIC-corrected" in t.loc["const", "estimand"] and "not FLIC-corrected" in t.loc["const", "note"]
    assert not t.drop(index="const")["estimand"].str.contains("FLIC").any()


# --------------------------------------------------------------------------- FLIC, AME
def test_flic_intercept_is_the_ml_intercept_with_the_firth_offset(pilot_frame):
    terms = ["triage", "opleiding"]
    coef = models.firth_logit(pilot_frame, terms).set_index("term")["coef"]
    X = models.design(pilot_frame, terms)
    offset = X.drop(columns="const").to_numpy() @ coef.drop("const").to_numpy()
    glm = sm.GLM(pilot_frame["y"], np.ones((len(X), 1)), family=sm.families.Binomial(), offset=offset).fit(tol=1e-14)
    b0 = models.flic_intercept(X, pilot_frame["y"].to_numpy(), coef)
    assert b0 == pytest.approx(np.asarray(glm.params)[0], abs=1e-9)
    means = models.fitted_means(pilot_frame, terms, coef).set_index("quantity")["value"]
    assert means["mean fitted probability, FLIC intercept"] == pytest.approx(pilot_frame["y"].mean(), abs=1e-12)
    assert means["mean fitted probability, Firth intercept"] < pilot_frame["y"].mean() - 0.01  # the pull to 0.5


def test_ame_of_a_saturated_model_uses_the_flic_intercept():
    a1, n1, a0, n0 = 7, 10, 3, 10
    f = frame_from_table(a1, n1, a0, n0)
    b1 = math.log(((a1 + .5) * (n0 - a0 + .5)) / ((n1 - a1 + .5) * (a0 + .5)))  # Haldane
    x = np.r_[np.ones(n1), np.zeros(n0)]
    b0 = optimize.brentq(lambda b: np.sum(f["y"] - expit(b + b1 * x)), -10, 10, xtol=1e-15)
    ame = models.average_marginal_effects(f, ["g"]).set_index("term")
    assert ame.loc["g[b]", "ame"] == pytest.approx(expit(b0 + b1) - expit(b0), abs=1e-9)
    assert ame.loc["g[b]", "intercept"] == "FLIC"


def test_ame_from_the_reported_firth_coefficients_equals_the_ame_from_a_refit():
    f = frame_from_table(12, 14, 5, 11)
    coef = models.firth_logit(f, ["g"]).set_index("term")["coef"]
    pd.testing.assert_frame_equal(models.average_marginal_effects(f, ["g"], coef=coef),
                                  models.average_marginal_effects(f, ["g"]), atol=1e-9)


# --------------------------------------------------------------------------- ML, LPM
def test_separation_is_detected_and_ml_logit_refuses():
    f = frame_from_table(3, 3, 0, 3)
    sep = models.separation(f, ["g"])
    assert sep.attrs["separation"] and not sep.set_index("term").loc["g[b]", "ml_finite"]
    ml = models.ml_logit(f, ["g"])
    assert ml["estimate"].isna().all() and "separation" in ml["note"].iloc[0]


def test_ml_logit_without_separation_matches_the_log_odds_ratio():
    ml = models.ml_logit(frame_from_table(7, 10, 3, 10), ["g"]).set_index("term")
    assert ml.loc["g[b]", "coef"] == pytest.approx(math.log((7 / 3) / (3 / 7)), abs=1e-6)
    assert ml.loc["g[b]", "test"] == "Wald z-test"


def test_lpm_hc3_and_t_inference_match_statsmodels_without_leverage_one():
    f = frame_from_levels({"a": (3, 7), "b": (5, 6), "c": (1, 5)})
    lpm = models.linear_probability(f, ["g"]).set_index("term")
    X = models.design(f, ["g"])
    ref = sm.OLS(f["y"].astype(float), X).fit(cov_type="HC3", use_t=True)
    assert lpm.loc[X.columns, "p_value"].to_numpy() == pytest.approx(ref.pvalues.to_numpy(), rel=1e-9)
    assert lpm.loc[X.columns, "ci_low"].to_numpy() == pytest.approx(ref.conf_int()[0].to_numpy(), rel=1e-9)
    assert lpm.loc["g[b]", "estimate"] == pytest.approx(5 / 6 - 3 / 7)
    assert lpm["ci_method"].iloc[0] == f"HC3 standard error, t({len(f) - 3})"


def test_lpm_gives_no_standard_error_where_hc3_is_undefined():
    f = frame_from_levels({"a": (4, 9), "b": (1, 1), "c": (2, 8)})  # "b": one person, leverage 1
    lpm = models.linear_probability(f, ["g"]).set_index("term")
    assert np.isnan(lpm.loc["g[b]", ["ci_low", "ci_high", "p_value"]].astype(float)).all()
    assert "leverage 1" in lpm.loc["g[b]", "note"]
    # the intercept is the mean of group "a" and does not involve the singleton:
    # HC3 variance = sum e_i^2 / (1 - 1/n_a)^2 / n_a^2
    ya = np.r_[np.ones(4), np.zeros(5)]
    se = math.sqrt(np.sum((ya - ya.mean()) ** 2 / (1 - 1 / 9) ** 2) / 81)
    q = stats.t.ppf(0.975, len(f) - 3)
    assert lpm.loc["const", "ci_high"] == pytest.approx(4 / 9 + q * se, rel=1e-10)
    shuffled = models.linear_probability(f.sample(frac=1, random_state=3).reset_index(drop=True), ["g"])
    assert shuffled.set_index("term").loc["const", "ci_high"] == pytest.approx(lpm.loc["const", "ci_high"], rel=1e-12)


# --------------------------------------------------------------------------- exact tests
def boschloo_reference(a, n1, c, n0, grid=4001):
    """Boschloo's test with the groups (n1: a events, n0: c events) as binomial samples,
    two-sided as twice the smaller one-sided p-value: for each side, the supremum over the
    common uptake probability of P(one-sided Fisher p <= observed), by grid and refinement."""
    x1, x0 = np.meshgrid(np.arange(n1 + 1), np.arange(n0 + 1), indexing="ij")
    t = x1 + x0
    greater = stats.hypergeom.sf(x1 - 1, n1 + n0, n1, t)  # P(X1 >= x1 | t)
    less = stats.hypergeom.cdf(x1, n1 + n0, n1, t)
    sides = []
    for stat in (greater, less):
        extreme = stat <= stat[a, c] * (1 + 1e-12)

        def prob(p, extreme=extreme):
            p = np.atleast_1d(p)[:, None]
            w1 = stats.binom.pmf(np.arange(n1 + 1)[None, :], n1, p)
            w0 = stats.binom.pmf(np.arange(n0 + 1)[None, :], n0, p)
            return np.einsum("gi,ij,gj->g", w1, extreme, w0)

        ps = np.linspace(0, 1, grid)
        best = ps[np.argmax(prob(ps))]
        res = optimize.minimize_scalar(lambda p: -prob(p)[0], bounds=(max(best - 1 / grid, 0), min(best + 1 / grid, 1)),
                                       method="bounded", options={"xatol": 1e-12})
        sides.append(max(prob(best)[0], -res.fun))
    return min(1.0, 2 * min(sides))


def test_boschloo_uses_the_groups_as_binomial_samples(pilot_frame):
    t = models.exact_tests(pilot_frame, "triage")
    row = t[(t.comparison == "3 vs rest") & t.test.str.startswith("Boschloo")].iloc[0]
    (a, b), (c, d) = row["table"]
    assert row["p_value"] == pytest.approx(boschloo_reference(a, a + b, c, c + d), abs=1e-9)
    outcome_as_samples = boschloo_reference(a, a + c, b, b + d)  # the orientation of issue 17
    assert outcome_as_samples == pytest.approx(0.0887, abs=5e-5)  # the value issue 17 reported
    assert row["two_sided"] == "twice the smaller one-sided p-value, capped at 1"


def test_fisher_reproduces_the_tea_tasting_example():
    t = models.exact_tests(frame_from_table(3, 4, 1, 4), "g")  # [[3, 1], [1, 3]]
    fisher = t[t.test == "Fisher exact (2 x 2)"]["p_value"].iloc[0]
    assert fisher == pytest.approx(0.4857142857, abs=1e-9)


def ffh_brute_force(counts):
    """Exact FFH p-value by enumerating which persons have the outcome (every subset of the
    right size is equally likely under independence with both margins fixed)."""
    sizes = [n for _, n in counts.values()]
    levels = np.repeat(np.arange(len(sizes)), sizes)
    m = sum(e for e, _ in counts.values())

    def log_prob(table):
        return sum(math.lgamma(n + 1) - math.lgamma(x + 1) - math.lgamma(n - x + 1) for x, n in zip(table, sizes))

    observed = log_prob([e for e, _ in counts.values()])
    hits = total = 0
    for chosen in itertools.combinations(range(len(levels)), m):
        table = np.bincount(levels[list(chosen)], minlength=len(sizes))
        total += 1
        hits += log_prob(table) <= observed + 1e-7
    return hits / total


@pytest.mark.parametrize("counts", [{"a": (1, 1), "b": (2, 6), "c": (5, 6)},
                                    {"a": (0, 3), "b": (4, 5), "c": (2, 4), "d": (3, 3)}])
def test_ffh_exact_matches_enumeration_over_persons(counts):
    t = models.exact_tests(frame_from_levels(counts), "g")
    row = t[t.comparison.str.startswith("all")].iloc[0]
    assert row["p_value"] == pytest.approx(ffh_brute_force(counts), abs=1e-12)
    assert row["test"].startswith("Fisher-Freeman-Halton, exact")


def test_ffh_on_a_2x2_is_fishers_exact_test():
    t = models.exact_tests(frame_from_table(9, 10, 2, 10), "g")
    ffh = t[t.comparison.str.startswith("all")]["p_value"].iloc[0]
    assert ffh == pytest.approx(stats.fisher_exact([[9, 1], [2, 8]]).pvalue, abs=1e-12)


def test_ffh_falls_back_to_monte_carlo_and_names_it(monkeypatch):
    counts = {"a": (1, 1), "b": (2, 6), "c": (5, 6)}
    monkeypatch.setattr(models, "FFH_MAX_TABLES", 10)
    t = models.exact_tests(frame_from_levels(counts), "g", n_resamples=20000)
    row = t[t.comparison.str.startswith("all")].iloc[0]
    assert row["test"] == "Fisher-Freeman-Halton, Monte Carlo (20,000 tables, seed 1)"
    assert row["p_value"] == pytest.approx(ffh_brute_force(counts), abs=0.01)
    assert row["p_mc_se"] == pytest.approx(math.sqrt(row["p_value"] * (1 - row["p_value"]) / 20000), rel=1e-12)
    assert not row["p_upper_bound"]


def test_a_monte_carlo_p_value_at_its_floor_is_a_bound(monkeypatch):
    monkeypatch.setattr(models, "FFH_MAX_TABLES", 10)
    t = models.exact_tests(frame_from_levels({"a": (30, 30), "b": (0, 30), "c": (15, 30)}), "g", n_resamples=999)
    row = t[t.comparison.str.startswith("all")].iloc[0]
    assert row["p_value"] == pytest.approx(1 / 1000) and row["p_upper_bound"] and row["p_holm_upper_bound"]
    from analysis.presentation import model_texts

    shown = model_texts.page_table(t.drop(columns="table"), "en")
    assert shown.loc[t.comparison.str.startswith("all"), "p_value"].iloc[0] == "< 0.001 (MC-se 0.0010)"
    assert "p_upper_bound" not in shown.columns and "p_mc_se" not in shown.columns


def table_count_brute_force(n_level, m):
    """Tables with these margins, by listing every (x_1, ..., x_k) in prod_j [0, n_j]."""
    return sum(sum(x) == m for x in itertools.product(*(range(n + 1) for n in n_level)))


@pytest.mark.parametrize("n_level,m", [([1, 6, 6], 8), ([3, 5, 4, 3], 9), ([10, 10], 3), ([7, 1, 2, 9, 4], 11),
                                       ([5], 5)])
def test_the_table_count_is_the_number_of_tables_with_the_margins(n_level, m):
    assert models.ffh_table_count(n_level, m) == table_count_brute_force(n_level, m)
    e = np.zeros(len(n_level), dtype=int)  # any table with the margins
    rest = m
    for j, n in enumerate(n_level):
        e[j] = min(n, rest)
        rest -= e[j]
    assert models.ffh_exact(e, np.asarray(n_level))[1] == table_count_brute_force(n_level, m)


def test_ffh_is_exact_when_the_tables_are_few_though_their_product_is_not(monkeypatch):
    counts = {"a": (1, 1), "b": (2, 6), "c": (5, 6)}  # prod (n_j + 1) = 98 tables before the margin, 16 after
    monkeypatch.setattr(models, "FFH_MAX_TABLES", 20)
    row = models.exact_tests(frame_from_levels(counts), "g").query("comparison.str.startswith('all')").iloc[0]
    assert row["test"].startswith("Fisher-Freeman-Halton, exact")
    assert row["p_value"] == pytest.approx(ffh_brute_force(counts), abs=1e-12)


@pytest.mark.slow
def test_ffh_at_n_1000_is_exact_as_the_audit_found():
    # issue 27: the synthetic population of 1,000, notebook 03's defaults; exact p 8.27e-37
    # (triage) and 7.23e-15 (education) from the audit's own enumeration and R
    from analysis.pilot.synthetic import generate_participants

    frame, _ = outcomes.analysis_frame(generate_participants(1000), "work", "2021-04-16", "stayed")
    rows = []
    for g in ("triage", "opleiding"):
        rows.append(models._table_test(frame, g, 9999, 1))
    assert [r["test"] for r in rows] == ["Fisher-Freeman-Halton, exact (every table enumerated)"] * 2
    assert rows[0]["p_value"] == pytest.approx(8.27e-37, rel=1e-3)
    assert rows[1]["p_value"] == pytest.approx(7.23e-15, rel=1e-3)


def test_a_2xk_test_with_a_group_of_one_is_not_informative():
    t = models.exact_tests(frame_from_levels({"a": (1, 1), "b": (2, 6), "c": (5, 6)}), "g")
    row = t[t.comparison.str.startswith("all")].iloc[0]
    assert row["group_n"] == 1 and not row["informative"] and "not informative" in row["note"]


def test_p_values_below_the_floor_are_bounds_and_holm_follows():
    p, b = models.bounded([0.0, 1e-320, 1e-200, 0.5, np.nan])
    assert p[:2].tolist() == [models.P_FLOOR] * 2 and b.tolist() == [True, True, False, False, False]
    # Holm: 3 p-values; the smallest (a bound) sets the first adjusted value, the second's own value the rest
    adj = models.holm([1e-300, 0.01, 0.02])
    flags = models.holm_upper_bound([1e-300, 0.01, 0.02], [True, False, False])
    assert adj.tolist() == pytest.approx([3e-300, 0.02, 0.02]) and flags.tolist() == [True, False, False]
    # the second's adjusted value is the first's 2e-300, which rests on the bound
    assert models.holm_upper_bound([1e-300, 1e-300], [True, False]).tolist() == [True, True]
    assert models.holm_upper_bound([1e-300, 0.4], [True, False]).tolist() == [True, False]


def test_holm_adjusted_p_values_sit_beside_the_raw_ones(pilot_frame):
    from statsmodels.stats.multitest import multipletests

    t = models.exact_tests(pilot_frame, ["triage", "opleiding"])
    fam = t[t.test == "Fisher exact (2 x 2)"]
    assert fam["p_holm"].to_numpy() == pytest.approx(multipletests(fam["p_value"], method="holm")[1], abs=1e-15)
    assert (fam["family"] == "Fisher exact, level vs rest (6 tests)").all()


@pytest.mark.parametrize("p", [[0.01, 0.04, 0.03, 0.5], [0.2, 0.2, 0.01], [0.9], [0.04, np.nan, 0.001, 0.03]])
def test_holm_matches_statsmodels(p):
    from statsmodels.stats.multitest import multipletests

    p = np.asarray(p)
    ok = np.isfinite(p)
    expected = np.full(len(p), np.nan)
    expected[ok] = multipletests(p[ok], method="holm")[1]
    np.testing.assert_allclose(models.holm(p), expected, rtol=0, atol=1e-15)


# --------------------------------------------------------------------------- labels, group_n
def test_every_column_of_every_model_table_is_explained(pilot_frame):
    terms = ["triage", "opleiding"]
    tables = [models.firth_logit(pilot_frame, terms), models.ml_logit(pilot_frame, terms),
              models.linear_probability(pilot_frame, terms), models.average_marginal_effects(pilot_frame, terms),
              models.exact_tests(pilot_frame, terms).drop(columns="table"),
              models.rates_by_group(pilot_frame, "triage")]
    for t in tables:
        for lang in ("en", "nl"):
            legend = models.column_legend(t, lang)
            assert (legend["meaning"] != "").all(), legend[legend["meaning"] == ""]
    assert models.column_legend(tables[0], "nl")["meaning"].iloc[0] == "geschat model"


def test_scales_are_not_mixed_and_the_intercept_is_baseline_odds(pilot_frame):
    terms = ["triage", "opleiding"]
    firth = models.firth_logit(pilot_frame, terms).set_index("term")
    lpm = models.linear_probability(pilot_frame, terms).set_index("term")
    assert firth.loc["const", "scale"] == "odds" and set(firth.drop("const")["scale"]) == {"odds ratio"}
    assert lpm.loc["const", "scale"] == "probability" and set(lpm.drop("const")["scale"]) == {"risk difference"}
    assert firth["test"].iloc[0] == "penalised likelihood-ratio test, chi-square(1)"


def test_group_n_counts_persons_and_small_groups_are_flagged(pilot_frame):
    terms = ["triage", "opleiding"]
    firth = models.firth_logit(pilot_frame, terms).set_index("term")
    ref = ((pilot_frame["triage"] == "2") & (pilot_frame["opleiding"] == "laag")).sum()
    assert firth.loc["const", "group_n"] == ref
    assert firth.loc["triage[1]", "group_n"] == (pilot_frame["triage"] == "1").sum() == 1
    assert not firth.loc["triage[1]", "informative"] and "penalty" in firth.loc["triage[1]", "note"]
    assert firth.loc["triage[3]", "informative"]
    tests = models.exact_tests(pilot_frame, "triage")
    assert set(tests[tests.comparison == "1 vs rest"]["group_n"]) == {1}


def test_wilson_interval_matches_the_formula():
    r = models.rates_by_group(frame_from_table(16, 25, 0, 0), "g").iloc[0]
    n, p, z = 25, 16 / 25, 1.959963984540054
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    assert (r.ci_low, r.ci_high) == pytest.approx((centre - half, centre + half), abs=1e-10)
    assert r.group_n == 25 and r.ci_method == "Wilson score"


def test_outcome_definitions_reproduce_the_report(pilot30):
    # section 6.1: 16 of 25 (64%); footnote 11: 17 of 25 (68%)
    _, o = outcomes.analysis_frame(pilot30, "work_or_education", "2021-04-01", "stayed")
    assert (o.events, o.n) == (16, 25), "Hoofdstuk 6.1, 64% van 25"
    _, o = outcomes.analysis_frame(pilot30, "work_or_education", "2021-04-16", "stayed")
    assert (o.events, o.n) == (17, 25), "Voetnoot 11, 68% = 17 van 25, on the same definition"
    _, o = outcomes.analysis_frame(pilot30, "work", "2021-04-16", "stayed")
    assert (o.events, o.n) == (17, 25)
    _, o = outcomes.analysis_frame(pilot30, "work", "2021-04-01", "all")
    assert (o.events, o.n) == (14, 30)


# --------------------------------------------------------------------------- power
def fisher_power_reference(n1, n0, p0, odds_ratio, alpha=0.05):
    """Power by calling scipy.stats.fisher_exact on every possible outcome."""
    odds = p0 / (1 - p0) * odds_ratio
    p1 = odds / (1 + odds)
    return sum(stats.binom.pmf(a, n1, p1) * stats.binom.pmf(b, n0, p0)
               for a in range(n1 + 1) for b in range(n0 + 1)
               if stats.fisher_exact([[a, n1 - a], [b, n0 - b]]).pvalue < alpha)


@pytest.mark.parametrize("n1, n0, base", [(10, 10, 0.3), (14, 11, 0.5)])
def test_mde_is_the_root_of_exact_power(n1, n0, base):
    mde = power.minimum_detectable_effect(n1, n0, base)
    assert fisher_power_reference(n1, n0, base, mde) == pytest.approx(0.8, abs=1e-8)
    assert fisher_power_reference(n1, n0, base, mde * (1 - 1e-4)) < 0.8


def test_mde_below_one_is_solved_too():
    mde = power.minimum_detectable_effect(12, 13, 0.68, direction="below")
    assert mde < 1 and fisher_power_reference(12, 13, 0.68, mde) == pytest.approx(0.8, abs=1e-8)


def test_a_group_of_one_never_reaches_80_percent_power():
    assert fisher_power_reference(1, 24, 0.68, 1000.0) < 0.8 and fisher_power_reference(1, 24, 0.68, 1e-3) < 0.8
    t = power.mde_table(pd.DataFrame([{"design": "observed: triage 1 vs rest", "n1": 1, "n0": 24}]), 0.68)
    assert t[["mde_odds_ratio_above_1", "mde_odds_ratio_below_1"]].isna().all(axis=None)
    assert "stays below" in t["note"].iloc[0]


@pytest.mark.parametrize("n1, n0, p0, orr", [(130, 90, 0.4, 1.8), (60, 250, 0.7, 0.5), (201, 3, 0.2, 3.0),
                                             (150, 150, 0.5, 1.0)])
def test_exact_ztest_power_matches_a_full_enumeration(n1, n0, p0, orr):
    odds = p0 / (1 - p0) * orr
    p1 = odds / (1 + odds)
    a, b = np.meshgrid(np.arange(n1 + 1), np.arange(n0 + 1), indexing="ij")
    pooled = (a + b) / (n1 + n0)
    se = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n0))
    with np.errstate(divide="ignore", invalid="ignore"):
        pz = np.where(se > 0, 2 * stats.norm.sf(np.abs((a / n1 - b / n0) / se)), 1.0)
    ref = float(stats.binom.pmf(np.arange(n1 + 1), n1, p1) @ (pz < 0.05) @ stats.binom.pmf(np.arange(n0 + 1), n0, p0))
    assert power.ztest_power_groups(n1, n0, p0, orr) == pytest.approx(ref, abs=1e-12)
    assert power.power_groups(n1, n0, p0, orr)[1] == ("two-proportion z-test; power exact" if n1 + n0 > 200
                                                      else "Fisher exact test; power exact")


def test_exact_ztest_power_agrees_with_simulation_at_large_n():
    exact, _ = power.power(3000, 0.5, 1.2)
    sim = power.simulate_ztest_power(3000, 0.5, 1.2, n_sims=4000, seed=5)
    assert exact == pytest.approx(sim, abs=3 * math.sqrt(exact * (1 - exact) / 4000))


@pytest.mark.parametrize("n1, n0", [(1, 1), (5, 7), (12, 13), (15, 15)])
def test_fisher_rejection_region_matches_scipy_fisher_exact_on_every_table(n1, n0):
    region = power.fisher_rejection_region(n1, n0, 0.05)
    expected = np.array([[stats.fisher_exact([[a, n1 - a], [b, n0 - b]]).pvalue < 0.05 for b in range(n0 + 1)]
                         for a in range(n1 + 1)])
    diff = np.argwhere(region != expected)
    assert not len(diff), f"tables (x1, x0) decided differently from scipy: {diff.tolist()}"


@pytest.mark.parametrize("n", [10, 30, 100])
def test_fisher_test_never_exceeds_its_nominal_size(n):
    size = power.fisher_power(n, 0.5, 1.0)
    assert 0 <= size <= 0.05, f"Fisher's exact test is conservative; size at N={n} is {size:.4f}"


def test_power_tables_cover_balanced_and_observed_designs(pilot_frame):
    designs = pd.concat([power.balanced_designs([25, 1000]), power.observed_designs(pilot_frame, "triage")])
    t = power.power_table(designs, [0.5, 2.0], base_rate=0.68)
    sizes = t.drop_duplicates("design").set_index("design")[["n1", "n0"]]
    assert sizes.loc["observed: triage 1 vs rest"].tolist() == [1, 24]
    assert sizes.loc["balanced, N = 25"].tolist() == [12, 13]
    assert t.groupby("n")["method"].first().to_dict() == {25: "Fisher exact test; power exact",
                                                          1000: "two-proportion z-test; power exact"}


def test_the_simulated_check_column_agrees_with_exact_power():
    designs = power.balanced_designs([40, 400])
    t = power.power_table(designs, [2.5], base_rate=0.4, n_sims=4000, seed=2)
    se = np.sqrt(t["power"] * (1 - t["power"]) / 4000)
    assert ((t["power_simulated"] - t["power"]).abs() < 3 * se + 1e-12).all(), t.to_string()


def test_every_column_of_the_power_tables_is_explained():
    designs = power.balanced_designs([30, 300])
    for t in (power.power_table(designs, [2.0], 0.5, n_sims=10), power.mde_table(designs, 0.5)):
        for lang in ("en", "nl"):
            legend = power.column_legend(t, lang)
            assert (legend["meaning"] != "").all(), legend[legend["meaning"] == ""]


# --------------------------------------------------------------------------- the tables in a page's language
ENGLISH_ONLY_WORDS = re.compile(r"(?<!\w)(the|and|with|which|from|not|group|groups|estimate|estimable|vs|"
                                r"tests?|participants|persons|below|above|every|only|observed|balanced|power|"
                                r"withheld|level|levels|probability|risk|difference|penalised|tables)(?!\w)",
                                re.I)


def test_every_text_of_the_model_tables_has_a_dutch_page_version(pilot_frame):
    """Every text value the models write (methods, tests, families, comparisons, designs,
    notes) comes out of ``model_texts.page_table`` in Dutch, with no English word left."""
    from analysis.presentation import model_texts

    terms = ["triage", "opleiding"]
    designs = pd.concat([power.balanced_designs([30, 10_000]), power.observed_designs(pilot_frame, terms)])
    tables = [models.firth_logit(pilot_frame, terms), models.ml_logit(pilot_frame, terms),
              models.linear_probability(pilot_frame, terms), models.average_marginal_effects(pilot_frame, terms),
              models.exact_tests(pilot_frame, terms).drop(columns=["table", "two_sided"]),
              models.rates_by_group(pilot_frame, "triage"), models.fitted_means(pilot_frame, terms),
              power.mde_table(designs.iloc[[0, 2]], 0.68)]
    seen = set()
    for t in tables:
        shown = model_texts.page_table(t.drop(columns=["estimand"], errors="ignore"), "nl")
        for col in shown.columns.intersection(model_texts.TEXT_COLUMNS).drop("group", errors="ignore"):
            for value in shown[col].dropna().astype(str):
                seen.add(value)
                assert not ENGLISH_ONLY_WORDS.search(value), (col, value)
    assert "Groep van 1 (< 5): niet informatief; de schatting komt uit de correctie van Firth, niet uit de " \
        "gegevens" not in seen  # a note is not capitalised
    assert "groep van 1 (< 5): niet informatief; de schatting komt uit de correctie van Firth, niet uit de " \
        "gegevens" in seen


def test_terms_levels_and_numbers_are_written_in_the_language():
    from analysis.presentation import model_texts as mt

    assert mt.translate("not estimable: separation makes triage[1], opleiding[hoog] infinite", "nl") == \
        "niet te schatten: door scheiding zijn triagepad 1, opleidingsniveau hoog oneindig"
    assert mt.translate("not estimable: separation makes triage[1], opleiding[hoog] infinite", "en") == \
        "not estimable: separation makes triage path 1, education level high infinite"
    assert mt.translate("observed: leeftijd t/m 45 vs rest", "en") == "observed: age 45 or younger vs rest"
    assert mt.translate("Fisher-Freeman-Halton, exact (every table enumerated)", "nl") == \
        "Fisher-Freeman-Halton, exact (elke tabel opgesomd)"
    assert mt.translate("power stays below 0.8 at every odds ratio above 1 up to 1000", "nl") == \
        "het vermogen blijft onder 80% bij elke odds ratio boven 1 tot 1000"
    assert mt.translate("withheld: disclosure control (group below 10 persons)", "nl") == \
        "achtergehouden: statistische beveiliging (groep kleiner dan 10 personen)"
    assert mt.translate("something new", "nl") == "something new"  # unknown: left for the page test to find
    assert mt.term_label("dienstjaren[10+]", "en") == "years of service more than 10 years"
    assert list(mt.power_grid(pd.DataFrame({"design": ["balanced, N = 30"] * 2 + ["balanced, N = 10000"] * 2,
                                            "odds_ratio": [2, 3, 2, 3], "power": [0.1, 0.2, 0.9, 1.0]}),
                              "nl").index) == ["Gebalanceerd, N = 30", "Gebalanceerd, N = 10.000"]
    assert mt.translate("balanced, N = 10000", "en") == "balanced, N = 10,000"
    assert mt.page_table(pd.DataFrame({"cutoff": ["2021-04-16"]}), "nl")["cutoff"].iloc[0] == "16 april 2021"


def test_power_above_the_fisher_limit_is_labelled_as_the_z_tests():
    from analysis.presentation import model_texts as mt

    designs = power.balanced_designs([30, 1000])
    grid = mt.power_grid(power.power_table(designs, [2.0], base_rate=0.5), "en")
    assert list(grid.index) == ["Balanced, N = 30", "Balanced, N = 1,000, z-test"]  # English digit grouping
    dutch = mt.power_grid(power.power_table(designs, [2.0], base_rate=0.5), "nl")
    assert list(dutch.index)[1].startswith("Gebalanceerd, N = 1.000") or "N = 1.000" in list(dutch.index)[1]
    assert power.FISHER_MAX_N < 1000
