"""Small-sample models of uptake to work: data in, tidy DataFrame out.

With 25-30 participants and a triage path of one person, maximum likelihood logistic
regression meets (quasi-)separation: some odds ratios are infinite. This module says so
(:func:`separation`), and fits what is defensible instead:

- :func:`firth_logit`: Firth-penalised logit (firthmodels) with profile-likelihood CIs and
  likelihood-ratio p-values (Wald above ``PROFILE_MAX_N`` participants);
- :func:`ml_logit`: the statsmodels logit, reported only where it converges with finite
  estimates;
- :func:`exact_tests`: Fisher and Boschloo exact tests for each 2 x 2 (level vs rest) and a
  Monte Carlo permutation test for the 2 x k table;
- :func:`rates_by_group`: uptake rates with Wilson CIs;
- :func:`average_marginal_effects`: AMEs of the Firth model;
- :func:`linear_probability`: OLS with HC3 errors as a check;
- :func:`multinomial_view`: outflow categories by group, and an MNLogit where estimable.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import statsmodels.api as sm
from firthmodels import detect_separation
from firthmodels.adapters.statsmodels import FirthLogit
from scipy import stats
from scipy.special import expit
from statsmodels.stats.proportion import proportion_confint

REFERENCE = {"triage": "2", "opleiding": "laag", "leeftijd": "t/m 45", "dienstjaren": "t/m 10"}
# Above this many participants the Firth model reports Wald instead of profile-likelihood
# intervals (see firth_logit).
PROFILE_MAX_N = 10_000
TIDY_COLUMNS = ["model", "term", "coef", "odds_ratio", "ci_low", "ci_high", "p_value", "ci_method", "n", "events",
                "note"]


def design(frame: pd.DataFrame, predictors: Sequence[str]) -> pd.DataFrame:
    """Treatment-coded dummies with the reference levels of :data:`REFERENCE` (rows with an
    unknown level, e.g. never triaged, are dropped by the caller), plus a constant."""
    cols = []
    for p in predictors:
        levels = [str(v) for v in pd.unique(frame[p].astype(str))]
        ref = REFERENCE.get(p, sorted(levels)[0])
        if ref not in levels:
            ref = sorted(levels)[0]
        for lev in sorted(levels):
            if lev != ref:
                cols.append(pd.Series((frame[p].astype(str) == lev).astype(float), name=f"{p}[{lev}]"))
    X = pd.concat(cols, axis=1) if cols else pd.DataFrame(index=frame.index)
    X.insert(0, "const", 1.0)
    return X


def model_rows(frame: pd.DataFrame, predictors: Sequence[str]) -> pd.DataFrame:
    """Rows usable for a model of ``predictors`` (drops participants never triaged)."""
    keep = pd.Series(True, index=frame.index)
    if "triage" in predictors:
        keep &= frame["triage"] != "geen"
    return frame[keep].reset_index(drop=True)


def separation(frame: pd.DataFrame, predictors: Sequence[str]) -> pd.DataFrame:
    """Linear-programming check for complete or quasi-complete separation (firthmodels).
    One row per term: whether its ML estimate is finite and, if not, the direction."""
    rows = model_rows(frame, predictors)
    X = design(rows, predictors).drop(columns="const")
    # Separation is a property of the distinct (covariates, outcome) rows: a repeated row
    # repeats a constraint of the linear programme. With categorical predictors a million
    # participants have a few dozen distinct rows.
    distinct = X.assign(_y=rows["y"].to_numpy()).drop_duplicates()
    res = detect_separation(distinct.drop(columns="_y").to_numpy(), distinct["_y"].to_numpy(), fit_intercept=True)
    names = [*X.columns, "const"]  # firthmodels puts the intercept last
    out = pd.DataFrame({"term": names, "ml_finite": res.is_finite, "direction": res.directions})
    out.attrs["separation"] = bool(res.separation)
    return out


def _tidy(model: str, terms, coef, lo, hi, p, ci_method, n, events, note="") -> pd.DataFrame:
    coef = np.asarray(coef, dtype=float)
    return pd.DataFrame({
        "model": model, "term": list(terms), "coef": coef, "odds_ratio": np.exp(coef),
        "ci_low": np.exp(np.asarray(lo, dtype=float)), "ci_high": np.exp(np.asarray(hi, dtype=float)),
        "p_value": np.asarray(p, dtype=float), "ci_method": ci_method, "n": n, "events": events, "note": note,
    })[TIDY_COLUMNS]


def firth_logit(frame: pd.DataFrame, predictors: Sequence[str], profile_max_n: int = PROFILE_MAX_N) -> pd.DataFrame:
    """Firth-penalised logistic regression; odds ratios with profile-likelihood 95% CIs and
    penalised likelihood-ratio p-values up to ``profile_max_n`` participants, Wald CIs and
    p-values above (where the penalised likelihood is close to quadratic and profiling
    each term costs a refit on every row)."""
    rows = model_rows(frame, predictors)
    X = design(rows, predictors)
    profile = len(rows) <= profile_max_n
    res = FirthLogit(rows["y"].to_numpy(), X).fit(pl=profile)
    ci = np.asarray(res.conf_int())
    note = "" if res.converged else "did not converge"
    return _tidy("Firth logit", X.columns, res.params, ci[:, 0], ci[:, 1], res.pvalues,
                 "profile likelihood" if profile else "Wald", len(rows), int(rows["y"].sum()), note)


def ml_logit(frame: pd.DataFrame, predictors: Sequence[str]) -> pd.DataFrame:
    """statsmodels maximum-likelihood logit with Wald CIs. Terms that separation makes
    infinite are reported as such (NaN) instead of as huge numbers."""
    rows = model_rows(frame, predictors)
    X = design(rows, predictors)
    sep = separation(frame, predictors).set_index("term")["ml_finite"]
    n, events = len(rows), int(rows["y"].sum())
    if not sep.all():
        infinite = [t for t, ok in sep.items() if not ok]
        nan = [np.nan] * len(X.columns)
        return _tidy("ML logit", X.columns, nan, nan, nan, nan, "Wald", n, events,
                     f"not estimable: separation makes {', '.join(infinite)} infinite")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = sm.Logit(rows["y"], X).fit(disp=0, maxiter=200)
    ci = res.conf_int().to_numpy()
    return _tidy("ML logit", X.columns, res.params, ci[:, 0], ci[:, 1], res.pvalues, "Wald", n, events,
                 "" if res.mle_retvals.get("converged", True) else "did not converge")


def linear_probability(frame: pd.DataFrame, predictors: Sequence[str]) -> pd.DataFrame:
    """OLS of the 0/1 outcome with HC3 standard errors: coefficients are differences in
    uptake probability (``odds_ratio`` is not meaningful and left empty)."""
    rows = model_rows(frame, predictors)
    X = design(rows, predictors)
    res = sm.OLS(rows["y"].astype(float), X).fit(cov_type="HC3")
    ci = res.conf_int().to_numpy()
    out = pd.DataFrame({"model": "LPM (HC3)", "term": X.columns, "coef": res.params.to_numpy(),
                        "odds_ratio": np.nan, "ci_low": ci[:, 0], "ci_high": ci[:, 1],
                        "p_value": res.pvalues.to_numpy(), "ci_method": "Wald, HC3", "n": len(rows),
                        "events": int(rows["y"].sum()), "note": "coefficients are risk differences"})
    return out[TIDY_COLUMNS]


def average_marginal_effects(frame: pd.DataFrame, predictors: Sequence[str],
                             coef: pd.Series | None = None) -> pd.DataFrame:
    """AMEs of the Firth model: for each dummy, the mean over participants of the change in
    predicted uptake probability when the dummy is switched from 0 to 1. ``coef`` (by term)
    reuses the coefficients of :func:`firth_logit` instead of fitting again."""
    rows = model_rows(frame, predictors)
    X = design(rows, predictors)
    if coef is None:
        beta = np.asarray(FirthLogit(rows["y"].to_numpy(), X).fit(pl=False).params)
    else:
        beta = coef.reindex(X.columns).to_numpy(dtype=float)
    out = []
    for j, term in enumerate(X.columns):
        if term == "const":
            continue
        x1, x0 = X.to_numpy().copy(), X.to_numpy().copy()
        # switching one dummy of a factor on means switching its siblings off
        siblings = [k for k, t in enumerate(X.columns) if t.split("[")[0] == term.split("[")[0] and t != "const"]
        x1[:, siblings] = 0.0
        x0[:, siblings] = 0.0
        x1[:, j] = 1.0
        out.append({"term": term, "ame": float(np.mean(expit(x1 @ beta) - expit(x0 @ beta)))})
    return pd.DataFrame(out)


def rates_by_group(frame: pd.DataFrame, group: str, alpha: float = 0.05) -> pd.DataFrame:
    """Uptake rate per level of ``group`` with Wilson score CIs."""
    g = frame.groupby(frame[group].astype(str), observed=True)["y"].agg(["sum", "count"])
    lo, hi = proportion_confint(g["sum"], g["count"], alpha=alpha, method="wilson")
    out = pd.DataFrame({"group": group, "level": g.index, "events": g["sum"].to_numpy(), "n": g["count"].to_numpy(),
                        "rate": (g["sum"] / g["count"]).to_numpy(), "ci_low": np.asarray(lo),
                        "ci_high": np.asarray(hi)})
    return out.reset_index(drop=True)


def exact_tests(frame: pd.DataFrame, group: str, n_resamples: int = 9999, seed: int = 1) -> pd.DataFrame:
    """Fisher and Boschloo exact tests of each level against the rest (2 x 2), and a
    permutation test of independence for the whole 2 x k table (chi-square statistic,
    Monte Carlo with a fixed seed; exact enough at n = 30, asymptotic chi-square from
    n > 5000)."""
    y = frame["y"].to_numpy()
    levels = sorted(frame[group].astype(str).unique())
    rows = []
    for lev in levels:
        x = (frame[group].astype(str) == lev).to_numpy()
        table = np.array([[np.sum(x & (y == 1)), np.sum(x & (y == 0))],
                          [np.sum(~x & (y == 1)), np.sum(~x & (y == 0))]])
        fisher = stats.fisher_exact(table)
        bosch = stats.boschloo_exact(table, n=32).pvalue if table.sum() <= 2000 else np.nan
        rows.append({"group": group, "comparison": f"{lev} vs rest", "table": table.tolist(),
                     "fisher_p": float(fisher.pvalue), "boschloo_p": float(bosch)})
    codes = frame[group].astype(str).to_numpy()
    ct = pd.crosstab(codes, y).to_numpy()
    if len(levels) > 1 and ct.shape[1] == 2:
        if len(frame) > 5000:
            p_all = stats.chi2_contingency(ct)[1]
            method = "chi-square (asymptotic)"
        else:
            p_all = _permutation_chi2(codes, y, n_resamples, seed)
            method = f"permutation, {n_resamples} resamples"
        rows.append({"group": group, "comparison": f"2 x {len(levels)} independence ({method})",
                     "table": ct.tolist(), "fisher_p": float(p_all), "boschloo_p": np.nan})
    return pd.DataFrame(rows)


def _chi2(counts1: np.ndarray, n_level: np.ndarray, n1: int) -> np.ndarray:
    """Pearson chi-square of 2 x k tables given events per level (rows of ``counts1``)."""
    n = n_level.sum()
    e1 = n_level * n1 / n
    e0 = n_level * (n - n1) / n
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(e1 > 0, (counts1 - e1) ** 2 / e1, 0) + np.where(e0 > 0, ((n_level - counts1) - e0) ** 2 / e0, 0)
    return t.sum(axis=-1)


def _permutation_chi2(codes: np.ndarray, y: np.ndarray, n_resamples: int, seed: int) -> float:
    """Monte Carlo permutation p-value of the chi-square statistic for independence of a
    0/1 outcome and a grouping (margins fixed, as in Fisher-Freeman-Halton)."""
    idx, _ = pd.factorize(codes)
    k = idx.max() + 1
    n_level = np.bincount(idx, minlength=k)
    n1 = int(y.sum())
    observed = _chi2(np.bincount(idx, weights=y, minlength=k), n_level, n1)
    rng = np.random.default_rng(seed)
    perm = np.array([np.bincount(idx, weights=rng.permutation(y), minlength=k) for _ in range(n_resamples)])
    stats_ = _chi2(perm, n_level, n1)
    return float((1 + np.sum(stats_ >= observed - 1e-12)) / (1 + n_resamples))


def multinomial_view(frame: pd.DataFrame, group: str) -> tuple[pd.DataFrame, str]:
    """Outflow categories (work / education / mediation / other) by ``group`` as shares,
    and a statsmodels MNLogit when every category has events in every level (else a note
    saying why it is not estimable)."""
    cat = frame["uitstroom"].map({"nieuwe_baan": "werk", "werk_en_scholing": "werk", "opleiding": "opleiding",
                                  "in_bemiddeling": "bemiddeling"}).fillna("overig")
    shares = pd.crosstab(frame[group].astype(str), cat, normalize="index")
    counts = pd.crosstab(frame[group].astype(str), cat)
    if (counts == 0).any(axis=None):
        return shares, ("MNLogit not estimated: some outflow categories have no participants in some "
                        f"levels of {group} (separation)")
    X = design(frame, [group])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = sm.MNLogit(pd.Categorical(cat).codes, X).fit(disp=0, maxiter=200)
    return shares, f"MNLogit log-likelihood {res.llf:.2f}, pseudo R2 {res.prsquared:.3f}"


def forest_plot(tidy: pd.DataFrame, title: str, lang: str = "nl"):
    """Odds ratios with CIs on a log scale, one row per term and model (constant omitted)."""
    d = tidy[(tidy["term"] != "const") & tidy["odds_ratio"].notna()].reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(7, 0.4 * max(len(d), 2) + 1.4))
    ypos = np.arange(len(d))[::-1]
    colors = {m: c for m, c in zip(sorted(d["model"].unique()), ["#1f4e79", "#c55a11", "#548235"])}
    for yv, (_, r) in zip(ypos, d.iterrows()):
        ax.plot([r.ci_low, r.ci_high], [yv, yv], color=colors[r.model], lw=1.5)
        ax.plot(r.odds_ratio, yv, "o", color=colors[r.model])
    ax.axvline(1, color="grey", lw=0.8, ls="--")
    ax.set_xscale("log")
    ax.set_yticks(ypos, [f"{t} ({m})" for t, m in zip(d["term"], d["model"])])
    ax.set_xlabel("odds ratio (log-schaal, 95%-BI)" if lang == "nl" else "odds ratio (log scale, 95% CI)")
    ax.set_title(title, fontsize=11, loc="left")
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return fig
