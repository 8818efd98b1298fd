"""Small-sample models of uptake to work: data in, tidy DataFrame out.

With 25-30 participants and a triage path of one person, maximum likelihood logistic
regression meets (quasi-)separation: some odds ratios are infinite. This module says so
(:func:`separation`), and fits what is defensible instead:

- :func:`firth_logit`: Firth-penalised logit (firthmodels), converged to a modified score
  below ``FIRTH_GTOL`` (1e-10 per 100 participants), with profile penalised-likelihood CIs and penalised
  likelihood-ratio p-values at every size: the fit runs on the distinct (covariates, outcome) rows
  with their counts as frequency weights, which gives the same penalised likelihood as the
  participants' rows (X'WX is the same matrix), so profiling costs the same at 30 or a million
  participants. Its intercept row is the Firth intercept, not FLIC-corrected, and says so;
- :func:`ml_logit`: the statsmodels logit (Wald z), reported only where it converges with
  finite estimates;
- :func:`linear_probability`: OLS of the 0/1 outcome with HC3 standard errors and t(df)
  inference. HC3 divides each squared residual by (1 - h)^2; a participant with leverage
  h = 1 (the only person in a group) makes that 0/0. Written by hand rather than with
  statsmodels' ``cov_type="HC3"`` so that a term whose estimate depends on such a person is
  reported without a standard error, with the reason, instead of with floating-point noise;
- :func:`exact_tests`: Fisher and Boschloo exact tests of each level against the rest
  (Boschloo with the groups as the two binomial samples), and the Fisher-Freeman-Halton
  test of the whole 2 x k table: exact by enumerating every table with the observed
  margins whenever there are at most ``FFH_MAX_TABLES`` of them (counted first, by a
  convolution over the levels: :func:`ffh_table_count`), else Monte Carlo (its standard error
  in ``p_mc_se``; no table as extreme as the observed one gives the bound 1 / (R + 1), flagged
  in ``p_upper_bound``), asymptotic chi-square above ``FFH_MONTE_CARLO_MAX_N`` participants;
  Holm-adjusted p-values beside the raw ones;
- :func:`rates_by_group`: uptake rates with Wilson CIs;
- :func:`average_marginal_effects`: AMEs of the Firth model with the FLIC intercept;
- :func:`multinomial_view`: outflow categories by group, and an MNLogit where estimable.

**Intercept correction: FLIC.** Firth's penalty pulls fitted probabilities towards 0.5, so
their mean is not the observed rate and marginal effects built on them are biased. FLIC
(Puhr, Heinze, Nold, Lusa & Geroldinger 2017, *Statistics in Medicine* 36:2302-2317) keeps
the Firth coefficients of the predictors, so the odds ratios in the tables are unchanged,
and re-estimates the intercept by maximum likelihood with the Firth linear predictor as
offset, which makes the mean fitted probability equal the observed rate. FLAC (which
refits all coefficients on augmented data) would change the odds ratios as well; FLIC is
used for predicted probabilities and AMEs, and the coefficient tables say so.

**p-values that are bounds.** A p-value below ``P_FLOOR`` (1e-300; float64 underflows to 0
near 1e-308) is reported as ``P_FLOOR`` with ``p_upper_bound`` True, and so is a Monte
Carlo p-value at its floor; pages print them as "< 1e-300" or "< 0.0001", never as a point
value. A missing value is *undefined* (the note says why: not estimable, not computed,
leverage 1), distinct from a value the output gate withholds (its note starts "withheld").

**Columns.** Every model and test table carries, per row, what it estimates
(``estimand``), on which ``scale``, with which interval (``ci_method``, ``ci_level``) and
test (``test``); :data:`COLUMN_MEANINGS` explains each column and :func:`column_legend`
lists those of a table. Rows about a group carry ``group_n`` (persons in that group; for an
intercept the reference group) besides ``n`` and ``events`` (of the whole model); a group
smaller than ``MIN_GROUP_N`` is flagged (``informative`` False): one or two persons decide
its estimate, which then comes from the penalty (Firth) or is not estimable (LPM, ML).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm
from firthmodels import FirthLogisticRegression, detect_separation
from scipy import optimize, stats
from scipy.special import expit, gammaln
from statsmodels.stats.proportion import proportion_confint

from analysis.stats.model_levels import REFERENCE, UNMODELLED, reference_level

CI_LEVEL = 0.95
# Convergence of the Firth fit: max |modified score| < FIRTH_GTOL per 100 participants
# (at least FIRTH_GTOL). The score is a sum over participants and the information grows
# with them, so this keeps the distance to the optimum (about score / information) near
# 1e-10 at any N, without asking a sum of a million terms for more than float64 holds.
# The step criterion is looser on purpose: firthmodels halves a step until the penalised
# log-likelihood rises, and near the optimum that rise is below float64 resolution, so
# halving "fails" unless the step is already below FIRTH_XTOL. The score criterion binds.
FIRTH_GTOL = 1e-10
FIRTH_XTOL = 1e-6
FIRTH_MAXITER = 100
PROFILE_TOL = 1e-10
# A group with fewer persons is flagged as not informative (see the module docstring).
MIN_GROUP_N = 5
# 1 - h below this: leverage 1, HC3 undefined
LEVERAGE_ONE_TOL = 1e-8
# Fisher-Freeman-Halton: enumerate at most this many tables; Monte Carlo up to this N.
FFH_MAX_TABLES = 10_000_000
FFH_CHUNK = 2_000_000  # tables enumerated at a time (about 100 MiB)
FFH_MONTE_CARLO_MAX_N = 5000
# p-values below this are reported as this bound (p_upper_bound True)
P_FLOOR = 1e-300
BOSCHLOO_MAX_N = 2000

TIDY_COLUMNS = ["model", "term", "estimand", "scale", "estimate", "ci_low", "ci_high", "ci_level", "ci_method",
                "coef", "test", "p_value", "p_upper_bound", "p_holm", "p_holm_upper_bound", "n", "events", "group_n",
                "informative", "note"]
# What each column holds, in English (the legend CSV written beside a table) and Dutch (a
# Dutch page's legend).
COLUMN_MEANINGS: dict[str, tuple[str, str]] = {
    "model": ("fitted model", "geschat model"),
    "term": ("model term: const (intercept) or predictor[level], a level against the reference level",
             "term van het model: het intercept of een niveau van een voorspeller tegen het referentieniveau"),
    "estimand": ("what the estimate estimates", "wat de schatting schat"),
    "scale": ("scale of estimate, ci_low and ci_high (odds ratio, odds, risk difference, probability)",
              "schaal van schatting en interval (odds ratio, odds, verschil in kans, kans)"),
    "estimate": ("point estimate on the row's scale", "puntschatting op de schaal van de rij"),
    "interval": ("lower and upper limit of the 95% confidence interval, on the row's scale (pages; the files "
                 "have ci_low and ci_high)", "onder- en bovengrens van het 95%-betrouwbaarheidsinterval, op de "
                 "schaal van de rij (pagina's; de bestanden hebben ci_low en ci_high)"),
    "ci_low": ("lower confidence limit, on the row's scale", "ondergrens van het betrouwbaarheidsinterval, op de "
               "schaal van de rij"),
    "ci_high": ("upper confidence limit, on the row's scale", "bovengrens van het betrouwbaarheidsinterval, op de "
                "schaal van de rij"),
    "ci_level": ("confidence level of the interval (0.95 = 95%)", "betrouwbaarheid van het interval (0,95 = 95%)"),
    "ci_method": ("how the interval is computed", "hoe het interval berekend is"),
    "coef": ("coefficient on the linear-predictor scale (log odds for logits, probability for the LPM)",
             "coëfficiënt op de schaal van de lineaire voorspeller (log-odds bij de logits, kans bij het lineaire "
             "kansmodel)"),
    "test": ("test behind p_value (null: coefficient 0, i.e. odds ratio 1 or risk difference 0)",
             "toets achter de p-waarde (nulhypothese: coëfficiënt 0, dus odds ratio 1 of kansverschil 0)"),
    "p_value": ("two-sided p-value of the row's test, unadjusted (an upper bound where p_upper_bound is True)",
                "tweezijdige p-waarde van de toets, ongecorrigeerd (een bovengrens waar p_upper_bound waar is)"),
    "p_upper_bound": (f"True: p_value is an upper bound, not a point value (below {P_FLOOR:g}, or a Monte Carlo "
                      "p-value with no simulated table as extreme as the observed one)",
                      f"waar: de p-waarde is een bovengrens, geen puntwaarde (onder {P_FLOOR:g}, of een Monte "
                      "Carlo-p-waarde zonder gesimuleerde tabel die even extreem is als de waargenomen)"),
    "p_holm_upper_bound": ("True: p_holm is an upper bound (it rests on a p-value that is one)",
                           "waar: de Holm-p-waarde is een bovengrens (ze rust op een p-waarde die dat is)"),
    "p_mc_se": ("Monte Carlo standard error of p_value, sqrt(p (1 - p) / R) for R simulated tables (empty: exact "
                "or asymptotic)", "Monte Carlo-standaardfout van de p-waarde, wortel(p (1 - p) / R) bij R "
                "gesimuleerde tabellen (leeg: exact of asymptotisch)"),
    "p_holm": ("p-value adjusted by Holm's method within the row's family: for a model, its terms other "
               "than the intercept; for a test table, the rows with the same family",
               "p-waarde gecorrigeerd volgens Holm binnen de familie van de rij: bij een model de termen behalve "
               "het intercept, bij een toetstabel de rijen van dezelfde familie"),
    "family": ("the family of tests within which p_holm is adjusted",
               "de familie van toetsen waarbinnen volgens Holm gecorrigeerd wordt"),
    "n": ("participants in the model or table", "deelnemers in het model of de tabel"),
    "events": ("participants with the outcome (uptake) in the model or table",
               "deelnemers met de uitkomst (uitstroom) in het model of de tabel"),
    "group_n": ("participants in the row's group (intercept: the reference group at every predictor; "
                "a 2 x k test: its smallest group)",
                "deelnemers in de groep van de rij (intercept: de referentiegroep op elke voorspeller; "
                "een 2 x k-toets: de kleinste groep)"),
    "informative": (f"group_n is at least the stated minimum (default {MIN_GROUP_N}); "
                    "False: one or two persons decide the estimate, which then carries no information from the data",
                    f"de groep telt minstens het opgegeven minimum (standaard {MIN_GROUP_N}) deelnemers; nee: één of "
                    "twee personen bepalen de schatting, die dan niets over de gegevens zegt"),
    "note": ("why a value is missing (undefined: not estimable or not computed; or withheld by disclosure "
             "control), or a caveat", "waarom een waarde ontbreekt (niet gedefinieerd: niet te schatten of niet "
             "berekend; of achtergehouden door statistische beveiliging), of een kanttekening"),
    "group": ("grouping variable", "indeling in groepen"),
    "comparison": ("what is compared: a level against the other levels, or all levels (2 x k table)",
                   "wat vergeleken wordt: een niveau tegen de andere niveaus, of alle niveaus (2 x k-tabel)"),
    "two_sided": ("how the two-sided p-value is formed", "hoe de tweezijdige p-waarde gevormd wordt"),
    "level": ("level of the grouping variable", "niveau van de indeling"),
    "rate": ("share with the outcome (uptake) in the group", "aandeel met de uitkomst (uitstroom) in de groep"),
    "ame": ("average marginal effect: mean change in the FLIC-corrected predicted probability of uptake "
            "when the participant's level is switched from the reference level to this level",
            "gemiddeld marginaal effect: de gemiddelde verandering in de voorspelde kans op uitstroom (met "
            "FLIC-intercept) als een deelnemer van het referentieniveau naar dit niveau gaat"),
    "intercept": ("intercept used for the predicted probabilities", "intercept van de voorspelde kansen"),
}


def column_legend(table: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """One row per column of ``table`` with what it holds (from :data:`COLUMN_MEANINGS`),
    in English (``lang="en"``) or Dutch (``"nl"``: the Dutch pages' downloads)."""
    return legend(table, COLUMN_MEANINGS, lang)


def legend(table: pd.DataFrame, meanings: dict[str, tuple[str, str]], lang: str = "en") -> pd.DataFrame:
    if lang not in ("nl", "en"):
        raise ValueError(f"language must be 'nl' or 'en', got {lang!r}")
    side = 0 if lang == "en" else 1
    return pd.DataFrame({"column": list(table.columns),
                         "meaning": [meanings[c][side] if c in meanings else "" for c in table.columns]})


def design(frame: pd.DataFrame, predictors: Sequence[str]) -> pd.DataFrame:
    """Treatment-coded dummies with the reference levels of :data:`REFERENCE` (rows with an
    unknown level, e.g. never triaged, are dropped by the caller), plus a constant. Levels
    are the values as text; each column is read once (:func:`text_codes`)."""
    cols = []
    for p in predictors:
        codes, names = text_codes(frame[p])
        levels = list(dict.fromkeys(names[np.unique(codes)]))  # the values present
        ref = reference_level(p, levels)
        for lev in sorted(levels):
            if lev != ref:
                hit = np.flatnonzero(names == lev)
                cols.append(pd.Series(np.isin(codes, hit).astype(float), index=frame.index, name=f"{p}[{lev}]"))
    X = pd.concat(cols, axis=1) if cols else pd.DataFrame(index=frame.index)
    X.insert(0, "const", 1.0)
    return X


def text_codes(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Each value's code and the codes' values as text (``str``, as ``astype(str)`` writes
    them; a missing value is ``"nan"``): a million categorical or Arrow strings factorised
    once instead of converted to text per level (9.6 s of the models at a million)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    names = np.array([str(u) for u in uniques] + [str(np.nan)], dtype=object)
    return np.where(codes < 0, len(uniques), codes), names


def model_rows(frame: pd.DataFrame, predictors: Sequence[str]) -> pd.DataFrame:
    """Rows usable for a model of ``predictors`` (drops participants never triaged)."""
    keep = pd.Series(True, index=frame.index)
    for p, level in UNMODELLED.items():
        if p in predictors:
            keep &= frame[p] != level
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


# --------------------------------------------------------------------------- table rows
def group_sizes(X: pd.DataFrame) -> pd.Series:
    """Persons behind each term: the dummy's group, and for ``const`` the reference group
    (every dummy 0, i.e. the reference level of every predictor)."""
    dummies = X.drop(columns="const")
    sizes = dummies.sum(axis=0).astype(int)
    return pd.concat([pd.Series({"const": int((dummies.sum(axis=1) == 0).sum())}), sizes])[list(X.columns)]


def _estimands(terms: Sequence[str], kind: str) -> tuple[list[str], list[str]]:
    """(estimand, scale) per term for a logit (``kind="logit"``) or an LPM."""
    estimand, scale = [], []
    for t in terms:
        if t == "const":
            estimand.append({"logit": "odds of uptake at the reference level of every predictor",
                             "firth": "odds of uptake at the reference level of every predictor, Firth intercept "
                                      "(not FLIC-corrected)"}.get(kind, "probability of uptake at the reference "
                                                                        "level of every predictor"))
            scale.append("odds" if kind in ("logit", "firth") else "probability")
        else:
            pred, lev = t[:-1].split("[", 1)
            ref = REFERENCE.get(pred, "reference")
            estimand.append(f"odds ratio of uptake, {pred} {lev} against {ref}, other predictors fixed"
                            if kind in ("logit", "firth") else
                            f"risk difference in uptake, {pred} {lev} minus {ref}, other predictors fixed")
            scale.append("odds ratio" if kind in ("logit", "firth") else "risk difference")
    return estimand, scale


def holm(p_values) -> np.ndarray:
    """Holm-adjusted p-values (Holm 1979): the i-th smallest of m p-values times (m - i + 1),
    made monotone and capped at 1. Missing p-values stay missing and are not counted in
    the family. Written here because statsmodels' ``multipletests`` runs a full garbage
    collection on every call (0.2 s each, a dozen calls per notebook); the tests check
    this against it."""
    p = np.asarray(p_values, dtype=float)
    out = np.full(p.shape, np.nan)
    ok = np.flatnonzero(np.isfinite(p))
    order = ok[np.argsort(p[ok], kind="stable")]
    m = len(order)
    out[order] = np.minimum(1.0, np.maximum.accumulate((m - np.arange(m)) * p[order]))
    return out


def holm_upper_bound(p_values, upper_bound) -> np.ndarray:
    """Which Holm-adjusted p-values (:func:`holm`) are upper bounds: the adjusted value of a
    p-value is (m - j + 1) p_(j) of the row j at or before it (in ascending order) that
    attains the running maximum; it is a bound when that p-value is one (and not capped at 1)."""
    p = np.asarray(p_values, dtype=float)
    bound = np.asarray(upper_bound, dtype=bool)
    out = np.zeros(p.shape, dtype=bool)
    ok = np.flatnonzero(np.isfinite(p))
    order = ok[np.argsort(p[ok], kind="stable")]
    m = len(order)
    if m == 0:
        return out
    scaled = (m - np.arange(m)) * p[order]
    running = np.maximum.accumulate(scaled)
    attains = np.maximum.accumulate(np.where(scaled >= running, np.arange(m), 0))
    out[order] = bound[order][attains] & (running < 1.0)
    return out


def bounded(p_values) -> tuple[np.ndarray, np.ndarray]:
    """(p-values, upper bound?): a p-value below :data:`P_FLOOR` (0 included, where float64
    underflowed) becomes ``P_FLOOR``, flagged as an upper bound."""
    p = np.asarray(p_values, dtype=float).copy()
    low = np.isfinite(p) & (p < P_FLOOR)
    p[low] = P_FLOOR
    return p, low



def small_group_note(group_n: int, min_group_n: int, why: str) -> str:
    return (f"group of {group_n} (< {min_group_n}): not informative; {why}" if group_n < min_group_n else "")


def _tidy(model: str, X: pd.DataFrame, kind: str, coef, lo, hi, p, ci_method: str, test: str, events: int,
          min_group_n: int, notes: Sequence[str], ci_level: float = CI_LEVEL) -> pd.DataFrame:
    """The coefficient table of one model, on the scale of each row's estimand."""
    coef, lo, hi = (np.asarray(v, dtype=float) for v in (coef, lo, hi))
    to_scale = np.exp if kind in ("logit", "firth") else (lambda v: v)
    estimand, scale = _estimands(X.columns, kind)
    gn = group_sizes(X).to_numpy()
    p, p_bound = bounded(p)
    not_const = np.asarray(X.columns) != "const"
    p_holm = np.full(len(p), np.nan)
    p_holm[not_const] = holm(p[not_const])
    holm_bound = np.zeros(len(p), dtype=bool)
    holm_bound[not_const] = holm_upper_bound(p[not_const], p_bound[not_const])
    return pd.DataFrame({
        "model": model, "term": list(X.columns), "estimand": estimand, "scale": scale,
        "estimate": to_scale(coef), "ci_low": to_scale(lo), "ci_high": to_scale(hi), "ci_level": ci_level,
        "ci_method": ci_method, "coef": coef, "test": test, "p_value": p, "p_upper_bound": p_bound,
        "p_holm": p_holm, "p_holm_upper_bound": holm_bound, "n": len(X),
        "events": events, "group_n": gn, "informative": gn >= min_group_n, "note": list(notes),
    })[TIDY_COLUMNS]


def _join(*parts: str) -> str:
    return "; ".join(p for p in parts if p)


# --------------------------------------------------------------------------- Firth
FIRTH_INTERCEPT_NOTE = ("Firth intercept, not FLIC-corrected: the penalty pulls it towards odds 1; the fitted "
                        "probabilities and marginal effects use the FLIC intercept")


def distinct_rows(X: pd.DataFrame, y) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(covariate rows, outcomes, counts) of the distinct (covariates, outcome) rows of a
    design: with categorical predictors a few dozen rows carry any number of participants."""
    d = X.assign(_y=np.asarray(y)).groupby([*X.columns, "_y"], sort=True).size().reset_index(name="_count")
    return d[list(X.columns)].to_numpy(dtype=float), d["_y"].to_numpy(dtype=float), d["_count"].to_numpy(dtype=float)


@dataclass(frozen=True)
class FirthFit:
    """A converged (or not) Firth fit: coefficients in design order, profile limits, the
    penalised likelihood-ratio statistics and p-values (log p where p underflows)."""

    coef: np.ndarray
    ci: np.ndarray
    chi2: np.ndarray
    p: np.ndarray
    converged: bool


def firth_fit(X: pd.DataFrame, y, ci_level: float = CI_LEVEL) -> FirthFit:
    """Firth's penalised logit on the distinct rows of ``X`` (which holds ``const``) with
    frequency weights, profile penalised-likelihood limits at ``ci_level`` and penalised
    likelihood-ratio tests of each coefficient (firthmodels; the weighted fit equals the fit
    on every participant's row, see the tests)."""
    y = np.asarray(y, dtype=float)
    Xd, yd, w = distinct_rows(X, y)
    est = FirthLogisticRegression(fit_intercept=False, max_iter=FIRTH_MAXITER,
                                  gtol=FIRTH_GTOL * max(1.0, len(y) / 100), xtol=FIRTH_XTOL)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # non-convergence is reported in the table's note
        est.fit(Xd, yd, sample_weight=w)
        est.lrt()
        ci = np.asarray(est.conf_int(alpha=1 - ci_level, method="pl", max_iter=FIRTH_MAXITER, tol=PROFILE_TOL))
    coef = np.asarray(est.coef_, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        chi2 = np.where(np.asarray(est.lrt_bse_) > 0, (coef / np.asarray(est.lrt_bse_)) ** 2, 0.0)
    return FirthFit(coef, ci, chi2, np.asarray(est.lrt_pvalues_, dtype=float), bool(est.converged_))


def firth_logit(frame: pd.DataFrame, predictors: Sequence[str], min_group_n: int = MIN_GROUP_N,
                ci_level: float = CI_LEVEL) -> pd.DataFrame:
    """Firth-penalised logistic regression: odds ratios (intercept: baseline odds, the
    Firth intercept, not FLIC-corrected) with profile penalised-likelihood CIs at
    ``ci_level`` and penalised likelihood-ratio p-values, at every size (:func:`firth_fit`)."""
    rows = model_rows(frame, predictors)
    X = design(rows, predictors)
    fit = firth_fit(X, rows["y"].to_numpy(), ci_level)
    gn = group_sizes(X)
    notes = [_join("" if fit.converged else f"did not converge in {FIRTH_MAXITER} iterations",
                   "" if np.isfinite(fit.ci[j]).all() else "confidence limit not found",
                   FIRTH_INTERCEPT_NOTE if t == "const" else
                   small_group_note(gn[t], min_group_n, "the estimate comes from the penalty, not from the data"))
             for j, t in enumerate(X.columns)]
    return _tidy("Firth logit", X, "firth", fit.coef, fit.ci[:, 0], fit.ci[:, 1], fit.p,
                 "profile penalised likelihood", "penalised likelihood-ratio test, chi-square(1)",
                 int(rows["y"].sum()), min_group_n, notes, ci_level)


def flic_intercept(X: pd.DataFrame, y: np.ndarray, coef: pd.Series) -> float:
    """FLIC intercept (Puhr et al. 2017): the maximum-likelihood intercept with the Firth
    linear predictor of the other terms as offset, i.e. the root of
    sum(y - expit(b0 + offset)) = 0, at which the mean fitted probability equals the
    observed rate. NaN when every or no participant has the outcome."""
    y = np.asarray(y, dtype=float)
    if y.sum() in (0, len(y)):
        return float("nan")
    offset = X.drop(columns="const").to_numpy() @ coef.drop("const").reindex(X.columns[1:]).to_numpy(dtype=float)

    def score(b0: float) -> float:
        return float(np.sum(y - expit(b0 + offset)))

    lo, hi = -1.0, 1.0
    while score(lo) <= 0:
        lo *= 2
    while score(hi) >= 0:
        hi *= 2
    return float(optimize.brentq(score, lo, hi, xtol=1e-14, rtol=4 * np.finfo(float).eps))


def _firth_coef(rows: pd.DataFrame, X: pd.DataFrame, coef: pd.Series | None) -> pd.Series:
    if coef is None:
        return pd.Series(firth_fit(X, rows["y"].to_numpy()).coef, index=X.columns)
    return coef.reindex(X.columns).astype(float)


def fitted_means(frame: pd.DataFrame, predictors: Sequence[str], coef: pd.Series | None = None) -> pd.DataFrame:
    """Observed uptake rate against the mean fitted probability of the Firth model with its
    own intercept and with the FLIC intercept (which restores the observed rate)."""
    rows = model_rows(frame, predictors)
    X = design(rows, predictors)
    beta = _firth_coef(rows, X, coef)
    b0 = flic_intercept(X, rows["y"].to_numpy(), beta)
    eta = X.to_numpy() @ beta.to_numpy()
    return pd.DataFrame({
        "quantity": ["observed uptake rate", "mean fitted probability, Firth intercept",
                     "mean fitted probability, FLIC intercept"],
        "value": [rows["y"].mean(), expit(eta).mean(), expit(eta - beta["const"] + b0).mean()],
        "n": len(rows), "events": int(rows["y"].sum())})


def average_marginal_effects(frame: pd.DataFrame, predictors: Sequence[str], coef: pd.Series | None = None,
                             min_group_n: int = MIN_GROUP_N) -> pd.DataFrame:
    """AMEs of the Firth model with the FLIC intercept: for each dummy, the mean over
    participants of the change in predicted uptake probability when the participant's
    level is switched from the reference level to this one. ``coef`` (by term) reuses the
    coefficients of :func:`firth_logit` instead of fitting again."""
    rows = model_rows(frame, predictors)
    X = design(rows, predictors)
    beta = _firth_coef(rows, X, coef)
    beta["const"] = flic_intercept(X, rows["y"].to_numpy(), beta)
    b = beta.to_numpy()
    gn = group_sizes(X)
    out = []
    for j, term in enumerate(X.columns[1:], start=1):
        # switching one dummy of a factor on means switching its siblings off
        siblings = [k for k, t in enumerate(X.columns) if t.split("[")[0] == term.split("[")[0] and t != "const"]
        x1, x0 = X.to_numpy().copy(), X.to_numpy().copy()
        x1[:, siblings] = 0.0
        x0[:, siblings] = 0.0
        x1[:, j] = 1.0
        pred, lev = term[:-1].split("[", 1)
        out.append({"term": term, "estimand": f"average marginal effect on uptake, {pred} {lev} against "
                                              f"{REFERENCE.get(pred, 'reference')}",
                    "scale": "probability difference", "ame": float(np.mean(expit(x1 @ b) - expit(x0 @ b))),
                    "intercept": "FLIC", "n": len(rows), "events": int(rows["y"].sum()), "group_n": int(gn[term]),
                    "informative": bool(gn[term] >= min_group_n),
                    "note": small_group_note(int(gn[term]), min_group_n, "the effect comes from the penalty")})
    return pd.DataFrame(out)


# --------------------------------------------------------------------------- ML logit, LPM
def ml_logit(frame: pd.DataFrame, predictors: Sequence[str], min_group_n: int = MIN_GROUP_N) -> pd.DataFrame:
    """statsmodels maximum-likelihood logit with Wald (z) CIs and tests. Terms that
    separation makes infinite are reported as such (NaN) instead of as huge numbers."""
    rows = model_rows(frame, predictors)
    X = design(rows, predictors)
    sep = separation(frame, predictors).set_index("term")["ml_finite"]
    events = int(rows["y"].sum())
    args = ("Wald (z)", "Wald z-test", events, min_group_n)
    if not sep.all():
        infinite = [t for t, ok in sep.items() if not ok]
        nan = [np.nan] * len(X.columns)
        note = f"not estimable: separation makes {', '.join(infinite)} infinite"
        return _tidy("ML logit", X, "logit", nan, nan, nan, nan, *args, [note] * len(nan))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = sm.Logit(rows["y"], X).fit(disp=0, maxiter=200)
    ci = res.conf_int(alpha=1 - CI_LEVEL).to_numpy()
    note = "" if res.mle_retvals.get("converged", True) else "did not converge"
    return _tidy("ML logit", X, "logit", res.params, ci[:, 0], ci[:, 1], res.pvalues, *args, [note] * len(ci))


def hc3(X: np.ndarray, resid: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(standard errors, undefined) of OLS coefficients under HC3 (MacKinnon & White 1985):
    cov = B diag(e_i^2 / (1 - h_i)^2) B' with B = (X'X)^-1 X'. A participant with leverage
    h_i = 1 has e_i = 0 and an undefined weight 0/0; a coefficient that depends on such a
    participant (B[j, i] != 0) has no HC3 standard error (``undefined``), the others do not
    involve the participant and are computed without it."""
    B = np.linalg.solve(X.T @ X, X.T)
    h = np.einsum("ij,ji->i", X, B)
    lev1 = (1 - h) < LEVERAGE_ONE_TOL
    w = np.zeros(len(h))
    w[~lev1] = resid[~lev1] ** 2 / (1 - h[~lev1]) ** 2
    cov = (B * w) @ B.T
    undefined = (np.abs(B[:, lev1]) > 1e-9 * np.abs(B).max()).any(axis=1)
    se = np.sqrt(np.diag(cov))
    se[undefined] = np.nan
    return se, undefined


def linear_probability(frame: pd.DataFrame, predictors: Sequence[str], min_group_n: int = MIN_GROUP_N) -> pd.DataFrame:
    """OLS of the 0/1 outcome: coefficients are risk differences (intercept: the uptake
    probability at the reference levels), with HC3 standard errors and t(n - k) intervals
    and tests. A term estimated from a participant with leverage 1 gets no interval or
    p-value, and a note saying why."""
    rows = model_rows(frame, predictors)
    X = design(rows, predictors)
    res = sm.OLS(rows["y"].astype(float), X).fit()
    df = int(res.df_resid)
    se, undefined = hc3(X.to_numpy(), res.resid.to_numpy())
    coef = res.params.to_numpy()
    q = stats.t.ppf(0.5 + CI_LEVEL / 2, df) if df > 0 else np.nan
    with np.errstate(divide="ignore", invalid="ignore"):
        p = 2 * stats.t.sf(np.abs(coef / se), df) if df > 0 else np.full(len(coef), np.nan)
    gn = group_sizes(X)
    notes = [_join("HC3 undefined: the estimate rests on a participant with leverage 1 (the only person in the group)"
                   if u else "", small_group_note(gn[t], min_group_n, "one or two persons decide the estimate")
                   if t != "const" else "") for t, u in zip(X.columns, undefined)]
    return _tidy("LPM (OLS)", X, "lpm", coef, coef - q * se, coef + q * se, p, f"HC3 standard error, t({df})",
                 f"t-test, HC3 standard error, t({df})", int(rows["y"].sum()), min_group_n, notes)


def rates_by_group(frame: pd.DataFrame, group: str, alpha: float = 1 - CI_LEVEL) -> pd.DataFrame:
    """Uptake rate per level of ``group`` with Wilson score CIs."""
    g = frame.groupby(frame[group].astype(str), observed=True)["y"].agg(["sum", "count"])
    if isinstance(frame[group].dtype, pd.CategoricalDtype):  # the levels' natural order (laag, middelbaar, hoog)
        g = g.reindex([str(c) for c in frame[group].cat.categories if str(c) in g.index])
    lo, hi = proportion_confint(g["sum"], g["count"], alpha=alpha, method="wilson")
    out = pd.DataFrame({"group": group, "level": g.index, "events": g["sum"].to_numpy(), "n": g["count"].to_numpy(),
                        "group_n": g["count"].to_numpy(), "rate": (g["sum"] / g["count"]).to_numpy(),
                        "ci_low": np.asarray(lo), "ci_high": np.asarray(hi), "ci_level": 1 - alpha,
                        "ci_method": "Wilson score"})
    return out.reset_index(drop=True)


# --------------------------------------------------------------------------- exact tests
FISHER_RULE = "sum of the probabilities of all tables no more probable than the observed one"
BOSCHLOO_RULE = "twice the smaller one-sided p-value, capped at 1"
FFH_RULE = "sum of the probabilities of all tables with these margins no more probable than the observed one"
# R's fisher.test counts tables within a relative 1e-7 of the observed probability as ties
FFH_TIE = 1e-7


def exact_tests(frame: pd.DataFrame, groups: str | Sequence[str], n_resamples: int = 9999, seed: int = 1,
                min_group_n: int = MIN_GROUP_N) -> pd.DataFrame:
    """Tests of uptake by group, one row per test: Fisher's exact test and Boschloo's
    exact test of each level against the rest (2 x 2), and the Fisher-Freeman-Halton test
    of the whole 2 x k table. Boschloo treats the two groups (level, rest) as the binomial
    samples, i.e. conditions on the group sizes only. ``p_holm`` adjusts within each family:
    one test applied to every level-against-rest comparison of ``groups`` (or the 2 x k
    tests of all ``groups``). The ``table`` column ([[events, non-events] per level]) is
    for checking, not for publication."""
    groups = [groups] if isinstance(groups, str) else list(groups)
    rows = [r for g in groups for r in _level_tests(frame, g, min_group_n)]
    rows += [_table_test(frame, g, n_resamples, seed, min_group_n) for g in groups]
    out = pd.DataFrame(rows)
    p, floor = bounded(out["p_value"])
    out["p_value"] = p
    out["p_upper_bound"] = floor | out["p_upper_bound"].astype(bool)
    out["p_holm"] = np.nan
    out["p_holm_upper_bound"] = False
    for idx in out.groupby("family").groups.values():
        out.loc[idx, "p_holm"] = holm(out.loc[idx, "p_value"])
        out.loc[idx, "p_holm_upper_bound"] = holm_upper_bound(out.loc[idx, "p_value"], out.loc[idx, "p_upper_bound"])
    out["family"] = out["family"] + out.groupby("family")["family"].transform("size").map(lambda k: f" ({k} tests)")
    cols = ["group", "comparison", "test", "two_sided", "p_value", "p_upper_bound", "p_mc_se", "family", "p_holm",
            "p_holm_upper_bound", "n", "events", "group_n", "informative", "note", "table"]
    return out[cols]


def _level_tests(frame: pd.DataFrame, group: str, min_group_n: int) -> list[dict]:
    y = frame["y"].to_numpy()
    codes = frame[group].astype(str).to_numpy()
    n, events = len(y), int(y.sum())
    rows = []
    for lev in sorted(set(codes)):
        x = codes == lev
        a, b, c, d = (int(np.sum(x & (y == 1))), int(np.sum(x & (y == 0))),
                      int(np.sum(~x & (y == 1))), int(np.sum(~x & (y == 0))))
        common = {"group": group, "comparison": f"{lev} vs rest", "n": n, "events": events,
                  "group_n": a + b, "informative": a + b >= min_group_n, "p_upper_bound": False, "p_mc_se": np.nan,
                  "table": [[a, b], [c, d]]}
        small = small_group_note(a + b, min_group_n, "one or two persons decide the test")
        rows.append({**common, "test": "Fisher exact (2 x 2)", "two_sided": FISHER_RULE,
                     "p_value": float(stats.fisher_exact([[a, b], [c, d]]).pvalue),
                     "family": "Fisher exact, level vs rest", "note": small})
        if n <= BOSCHLOO_MAX_N:
            # columns are the binomial samples: the level and the rest
            p_b, note = float(stats.boschloo_exact([[a, c], [b, d]], n=64).pvalue), small
        else:
            p_b, note = np.nan, _join(f"undefined: not computed above {BOSCHLOO_MAX_N} participants", small)
        rows.append({**common, "test": "Boschloo exact (2 x 2), groups as binomial samples",
                     "two_sided": BOSCHLOO_RULE, "p_value": p_b, "family": "Boschloo exact, level vs rest",
                     "note": note})
    return rows


def _table_test(frame: pd.DataFrame, group: str, n_resamples: int, seed: int, min_group_n: int = MIN_GROUP_N) -> dict:
    y = frame["y"].to_numpy().astype(int)
    idx, levels = pd.factorize(frame[group].astype(str), sort=True)
    n_level = np.bincount(idx, minlength=len(levels))
    e_level = np.bincount(idx, weights=y, minlength=len(levels)).astype(int)
    k, n, m = len(levels), len(y), int(y.sum())
    smallest = int(n_level.min())
    common = {"group": group, "comparison": f"all {k} levels (2 x {k})", "two_sided": FFH_RULE,
              "family": "2 x k independence", "n": n, "events": m, "group_n": smallest,
              "informative": smallest >= min_group_n, "p_upper_bound": False, "p_mc_se": np.nan,
              "note": small_group_note(smallest, min_group_n, "one or two persons decide the test"),
              "table": np.column_stack([e_level, n_level - e_level]).tolist()}
    if k < 2 or m in (0, n):
        return {**common, "test": "none", "p_value": np.nan, "note": "undefined: fewer than two levels or no variation"}
    if ffh_table_count(n_level, m) <= FFH_MAX_TABLES:
        p, _ = ffh_exact(e_level, n_level)
        return {**common, "test": "Fisher-Freeman-Halton, exact (every table enumerated)",
                "p_value": p}  # not how many tables: that number depends on the (maybe withheld) group sizes
    if n <= FFH_MONTE_CARLO_MAX_N:
        p, se, floor = ffh_monte_carlo(e_level, n_level, n_resamples, seed)
        return {**common, "test": f"Fisher-Freeman-Halton, Monte Carlo ({n_resamples:,} tables, seed {seed})",
                "p_value": p, "p_mc_se": se, "p_upper_bound": floor}
    chi2, p, dof, _ = stats.chi2_contingency(np.column_stack([e_level, n_level - e_level]), correction=False)
    return {**common, "test": f"Pearson chi-square, asymptotic, df = {dof}", "p_value": float(p),
            "two_sided": "upper tail of the chi-square distribution"}


def ffh_table_count(n_level, m: int) -> float:
    """How many 2 x k tables have the column sums ``n_level`` and ``m`` events in all: the
    coefficient of t^m in prod_j (1 + t + ... + t^n_j), by convolving level after level
    (floats: the count only decides between enumeration and Monte Carlo). This is the real
    work of :func:`ffh_exact`, far below prod_j (n_j + 1) when the events are fixed."""
    ways = np.zeros(m + 1)
    ways[0] = 1.0
    for nj in np.asarray(n_level, dtype=int):
        c = np.cumsum(ways)  # ways'[s] = sum of ways[s - x] for x = 0..n_j
        shifted = np.concatenate([np.zeros(nj + 1), c])[: m + 1]
        ways = c - shifted
    return float(ways[m])


def _log_table_prob(x: np.ndarray, n_level: np.ndarray) -> np.ndarray:
    """log prod_j C(n_j, x_j): the log probability of a 2 x k table with these margins, up
    to the constant C(N, m)."""
    return np.sum(gammaln(n_level + 1) - gammaln(x + 1) - gammaln(n_level - x + 1), axis=-1)


def _expand(events: np.ndarray, log_p: np.ndarray, nj: int, rest: int, m: int) -> tuple[np.ndarray, np.ndarray]:
    """Every partial table extended by one level of ``nj`` persons: the events so far and the
    log probability, keeping only counts with which the later levels (``rest`` persons) can
    still reach ``m`` events."""
    lo = np.maximum(0, m - rest - events)
    hi = np.minimum(nj, m - events)
    size = np.maximum(hi - lo + 1, 0)
    parent = np.repeat(np.arange(len(events)), size)
    x = lo[parent] + (np.arange(size.sum()) - np.repeat(np.cumsum(size) - size, size))
    log_c = gammaln(nj + 1) - gammaln(x + 1) - gammaln(nj - x + 1)
    return events[parent] + x, log_p[parent] + log_c


def ffh_exact(e_level: np.ndarray, n_level: np.ndarray, chunk: int | None = None) -> tuple[float, int]:
    """Exact Fisher-Freeman-Halton p-value of a 2 x k table (events ``e_level`` of
    ``n_level`` per level) by enumerating every table with the same margins, and the
    number of such tables. Level by level, only partial sums that can still reach the
    events margin are kept; the last level follows from the others, so the tables are
    the partial tables of the second-to-last level, enumerated ``chunk`` (default
    ``FFH_CHUNK``) at a time: memory stays bounded at any number of tables. Written here
    because scipy's ``fisher_exact`` handles only 2 x 2 (and R x C from scipy 1.15 by Monte
    Carlo only)."""
    n_level, e_level = np.asarray(n_level, dtype=int), np.asarray(e_level, dtype=int)
    chunk = FFH_CHUNK if chunk is None else int(chunk)
    m, total = int(e_level.sum()), int(n_level.sum())
    after = np.concatenate([np.cumsum(n_level[::-1])[::-1][1:], [0]])  # persons in the later levels
    log_total = gammaln(total + 1) - gammaln(m + 1) - gammaln(total - m + 1)
    limit = (_log_table_prob(e_level, n_level) - log_total) + np.log1p(FFH_TIE)
    events, log_p = np.zeros(1, dtype=np.int64), np.zeros(1)
    for nj, rest in zip(n_level[:-2], after[:-2]):
        events, log_p = _expand(events, log_p, nj, rest, m)
    if len(n_level) < 2:
        return 1.0, 1
    a, b = int(n_level[-2]), int(n_level[-1])
    size = np.maximum(np.minimum(a, m - events) - np.maximum(0, m - b - events) + 1, 0)
    ends = np.searchsorted(np.cumsum(size), np.arange(chunk, int(size.sum()), chunk), side="left") + 1
    p, tables = 0.0, 0
    for start, stop in zip([0, *ends.tolist()], [*ends.tolist(), len(events)]):
        ev, lp = _expand(events[start:stop], log_p[start:stop], a, b, m)
        x = m - ev  # the last level's events
        full = (lp + (gammaln(b + 1) - gammaln(x + 1) - gammaln(b - x + 1))) - log_total
        p += np.exp(full)[full <= limit].sum()
        tables += len(full)
    return float(min(1.0, p)), int(tables)


def ffh_monte_carlo(e_level: np.ndarray, n_level: np.ndarray, n_resamples: int, seed: int
                    ) -> tuple[float, float, bool]:
    """Monte Carlo Fisher-Freeman-Halton p-value: tables drawn with both margins fixed
    (multivariate hypergeometric, as permuting the outcome over participants), p =
    (1 + #tables no more probable than the observed) / (1 + ``n_resamples``), its standard
    error sqrt(p (1 - p) / R), and whether p is at its floor 1 / (1 + R) (no drawn table as
    extreme: then p is an upper bound, not an estimate)."""
    rng = np.random.default_rng(seed)
    draws = rng.multivariate_hypergeometric(np.asarray(n_level), int(np.sum(e_level)), size=n_resamples)
    observed = _log_table_prob(np.asarray(e_level), np.asarray(n_level))
    hits = int((_log_table_prob(draws, np.asarray(n_level)) <= observed + np.log1p(FFH_TIE)).sum())
    p = (1 + hits) / (1 + n_resamples)
    return float(p), float(np.sqrt(p * (1 - p) / n_resamples)), hits == 0


# --------------------------------------------------------------------------- other views
def multinomial_view(frame: pd.DataFrame, group: str) -> tuple[pd.DataFrame, str]:
    """Outflow categories (work / education / mediation / other) by ``group`` as shares,
    and a statsmodels MNLogit when every category has events in every level (else a note
    saying why it is not estimable)."""
    cat = frame["uitstroom_groep"] if "uitstroom_groep" in frame else frame["uitstroom"].map(  # groep: by study
        {"nieuwe_baan": "werk", "werk_en_scholing": "werk", "opleiding": "opleiding",
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

