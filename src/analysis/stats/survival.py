"""Time to work: durations from the dated status history, Kaplan-Meier curves, the estimate
at six months, log-rank tests, a Cox model and cumulative incidence with competing exits.

Data in, DataFrame out:

- :func:`durations`: one row per person: days from the origin (start of the trajectory, or
  inflow) to the first status of the outcome definition (``work`` or ``work_or_education``,
  :data:`analysis.pilot.outcomes.DEFINITIONS`), to a competing exit (stopped, never
  started, back to the old employer: after these a person cannot reach the outcome in the
  pilot), or censored at the follow-up end (a parameter; default the administration's
  :data:`analysis.pilot.schema.FOLLOW_UP_END`);
- :func:`coarsen`: each time moved to the end of its published interval (the intervals come
  from :func:`analysis.stats.survival_release.merge_steps`), so that every estimate below is
  a function of the published counts only;
- :func:`kaplan_meier`: the Kaplan-Meier estimate with Greenwood's variance and pointwise
  log-log intervals (Kalbfleisch & Prentice), written out at the interval ends with the
  number at risk, events, competing exits and censored. Computed from the counts per
  interval (:func:`interval_counts`) with statsmodels' ``SurvfuncRight`` arithmetic step
  for step: ``SurvfuncRight`` itself takes one row per person (with ``freq_weights`` it
  switches to Tsiatis' variance, not the Greenwood variance R and the pages print), and per
  curve and interval end that cost 25 s at a million persons; the tests check the two are
  equal to the bit;
- :func:`estimate_at`: the curve's value at a time (six months) with its interval, and
  1 - S beside it;
- :func:`cumulative_incidence`: the Aalen-Johansen estimate of the probability of having
  reached the outcome by t when competing exits remove people for good, with the
  delta-method (Greenwood-type) variance and a log-log interval, from the counts per interval
  (:func:`cif_from_counts`). statsmodels' own estimator, ``CumIncidenceRight``, is the same
  estimate with the same variance formula (Marubini & Valsecchi), and the tests check ours
  against it on the persons' rows. It is not called here because (1) its standard error is
  NaN from the time at which the last persons at risk leave with the outcome or a competing
  exit (its term d / (n (n - d)) is 1/0 there and its expanded sum inf - inf, although the
  term's factor F(t) - F(s) is 0), where R's ``survfit`` and this module take the term as 0
  and print a number: the tail of most published curves (docs/time_to_work.md); (2) with
  ``freq_weights`` (the counts) it gives no standard error at all, and on one row per person
  it costs 0.33 s per curve at a million (the counts: 0.03 s); (3) its arithmetic differs in
  the last bits (S as exp(cumsum(log(1 - d/n))), the variance's square expanded: at 15,000
  persons its SE is 1.1e-14 from R's, ours 4e-16). Where it is defined the two agree to
  1e-12 (measured: 8.9e-16 for the estimate, 2.7e-14 for the SE); the tests
  (tests/test_cumulative_incidence.py) also check that its NaN falls exactly there and that
  ours equals R's there;
- :func:`logrank`: the log-rank test from the events and numbers at risk per level and
  time (:func:`logrank_generalised`; equal to statsmodels' ``survdiff`` and R's), p from the
  chi-square's upper tail;
- :func:`cox`: Cox model (Breslow ties) hazard ratios with Wald intervals, and why a term is
  not estimable (a group without events): ``PHReg`` on the rows of a small file, the same
  partial likelihood from counts per covariate pattern and time above
  :data:`COX_PHREG_MAX_N` persons (:func:`cox_grouped`).

**Which answers the report's sentence.** "70 procent is binnen zes maanden uitgestroomd"
is a share of all participants: with competing exits, 1 - KM estimates the share that
would have found work within six months had nobody stopped (stoppers treated as if still
searching), the cumulative incidence the share that actually did. The cumulative incidence
answers the sentence; 1 - KM is shown beside it because the field prints it.

Times are in days; months are 365.25 / 12 days.
"""

from __future__ import annotations

import hashlib
import json
import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.duration.hazard_regression import PHReg
from statsmodels.tools.sm_exceptions import ConvergenceWarning

from analysis.stats.models import MIN_GROUP_N, REFERENCE, bounded, design, small_group_note

DAYS_PER_MONTH = 365.25 / 12
SIX_MONTHS = 6 * DAYS_PER_MONTH
CI_LEVEL = 0.95
COMPETING_STATUSES = ("gestopt", "niet_gestart", "oude_werkgever")
ORIGINS = {"start": "startdatum", "inflow": "instroomdatum"}
CENSORED, EVENT, COMPETING = 0, 1, 2
REPORT_SHARE = 0.70  # section 7.3: "70 procent is binnen zes maanden uitgestroomd"


def coarsen(d: pd.DataFrame, ends: Sequence[float]) -> pd.DataFrame:
    """``d`` with each ``time`` moved to the end of the interval (ends[j-1], ends[j]] that
    holds it (time 0 belongs to the first interval). Events at an interval's end come before
    the censored there, as in any Kaplan-Meier estimate, so the estimate at the ends uses the
    interval counts only."""
    ends = np.asarray(sorted(ends), dtype=float)
    if len(ends) == 0 or d["time"].max() > ends[-1]:
        raise ValueError("the last interval must end at or after the last time")
    return d.assign(time=ends[np.searchsorted(ends, d["time"].to_numpy(), side="left")])


def _loglog_interval(s: np.ndarray, se: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    """Pointwise log-log interval of a survival probability (R's ``conf.type = "log-log"``):
    S^exp(-/+ z se / (S |log S|)); undefined at S = 1 (no event yet) and S = 0."""
    z = stats.norm.ppf(0.5 + level / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        w = z * se / (s * np.abs(np.log(s)))
        lo, hi = s ** np.exp(w), s ** np.exp(-w)
    lo, hi = np.where(s >= 1, 1.0, lo), np.where(s >= 1, 1.0, hi)  # no event yet: (1, 1), as R
    return np.where(s <= 0, np.nan, lo), np.where(s <= 0, np.nan, hi)


def _interval_index(time: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """The index of the interval (ends[j-1], ends[j]] holding each time (:func:`coarsen`)."""
    if len(ends) == 0 or (len(time) and time.max() > ends[-1]):
        raise ValueError("the last interval must end at or after the last time")
    return np.searchsorted(ends, time, side="left")


def interval_counts(index: np.ndarray, status: np.ndarray, n_ends: int) -> np.ndarray:
    """Persons per interval end (rows) and status (columns: censored, event, competing) from
    each person's interval ``index`` and ``status``: the counts every estimate below is a
    function of (one ``bincount``, whatever the number of persons)."""
    return np.bincount(index * 3 + status, minlength=3 * n_ends).reshape(n_ends, 3)


def _at_risk(counts: np.ndarray) -> np.ndarray:
    """At risk at each end: everyone whose time is at or after it."""
    return np.cumsum(counts.sum(axis=1)[::-1])[::-1]


def _greenwood(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Kaplan-Meier estimate and Greenwood standard error at the ends with events (and
    their positions), step for step the arithmetic of statsmodels' ``SurvfuncRight`` on
    the persons' rows (``_calc_survfunc_right``), so the values are the same to the bit
    (the tests check it)."""
    n_all, d_all = _at_risk(counts), counts[:, EVENT].astype(np.float64)
    where = np.flatnonzero(d_all > 0)
    d, n = d_all[where], n_all[where]
    sp = 1 - d / n.astype(np.float64)
    tiny = sp < 1e-16
    sp[tiny] = 1e-16
    sp = np.exp(np.cumsum(np.log(sp)))
    sp[tiny] = 0
    denom = np.clip(n * (n - d), 1e-12, np.inf)
    se = d / denom.astype(np.float64)
    se[(n == d) | (n == 0)] = np.nan
    se = np.sqrt(np.cumsum(se))
    locs = np.isfinite(se) | (sp != 0)
    se[locs] *= sp[locs]
    se[~locs] = np.nan
    return sp, se, where


def km_from_counts(counts: np.ndarray, ends: np.ndarray, level: float = CI_LEVEL) -> pd.DataFrame:
    """:func:`kaplan_meier` from :func:`interval_counts`."""
    sp, se, where = _greenwood(counts)
    last = np.searchsorted(where, np.arange(len(ends)), side="right") - 1  # the last end with events so far
    has = last >= 0
    out = pd.DataFrame({"end": np.asarray(ends, dtype=float), "n_risk": _at_risk(counts).astype(int),
                        "events": counts[:, EVENT].astype(int), "competing": counts[:, COMPETING].astype(int),
                        "censored": counts[:, CENSORED].astype(int),
                        "surv": np.where(has, sp[np.maximum(last, 0)] if len(sp) else 1.0, 1.0),
                        "se": np.where(has, se[np.maximum(last, 0)] if len(se) else 0.0, 0.0)})
    out["ci_low"], out["ci_high"] = _loglog_interval(out["surv"].to_numpy(), out["se"].to_numpy(), level)
    out["one_minus"] = 1 - out["surv"]
    out["one_minus_low"], out["one_minus_high"] = 1 - out["ci_high"], 1 - out["ci_low"]
    out["ci_level"] = level
    return out


def kaplan_meier(d: pd.DataFrame, ends: Sequence[float], level: float = CI_LEVEL) -> pd.DataFrame:
    """Kaplan-Meier estimate of remaining without the outcome (competing exits and the
    follow-up end censor) at each interval end, on the times coarsened to ``ends``: ``end``
    (days), ``n_risk`` at the interval's start, ``events``, ``competing``, ``censored`` in
    it, ``surv`` and its pointwise interval, and ``one_minus`` (1 - S, the share with the
    outcome if nobody left) with its interval. Computed from the interval counts
    (:func:`km_from_counts`), the same values as statsmodels' ``SurvfuncRight`` on the rows."""
    ends = np.asarray(sorted(ends), dtype=float)
    index = _interval_index(d["time"].to_numpy(dtype=float), ends)
    return km_from_counts(interval_counts(index, d["status"].to_numpy(dtype=np.int64), len(ends)), ends, level)


def cumulative_incidence(d: pd.DataFrame, ends: Sequence[float], level: float = CI_LEVEL) -> pd.DataFrame:
    """Aalen-Johansen cumulative incidence of the outcome with competing exits, at each
    interval end of the coarsened times (:func:`cif_from_counts`)."""
    ends = np.asarray(sorted(ends), dtype=float)
    index = _interval_index(d["time"].to_numpy(dtype=float), ends)
    return cif_from_counts(interval_counts(index, d["status"].to_numpy(dtype=np.int64), len(ends)), ends, level)


def cif_from_counts(counts: np.ndarray, ends: np.ndarray, level: float = CI_LEVEL) -> pd.DataFrame:
    """F(t) = sum over event times s <= t of S(s-) d1(s) / n(s), S the Kaplan-Meier
    estimate of remaining without any exit; its standard error (:func:`_aalen_variance`) and
    the pointwise interval F^exp(-/+ z se / (F |log F|)) (the log-log form used for the
    curves), from :func:`interval_counts`. F and its standard error are statsmodels'
    ``CumIncidenceRight`` ``cinc`` and ``cinc_se`` on the rows (to 1e-12; where it leaves the
    standard error NaN, R's ``survfit``): see the module docstring."""
    z = stats.norm.ppf(0.5 + level / 2)
    m = counts.sum(axis=1)
    present = np.flatnonzero(m > 0)  # the ends some person's time is moved to
    steps = pd.DataFrame({"t": np.asarray(ends, dtype=float)[present], "e1": counts[present, EVENT],
                          "e": counts[present, EVENT] + counts[present, COMPETING], "m": m[present],
                          "n": _at_risk(counts)[present]})
    s_before, f, f_at, s_at = 1.0, 0.0, [], []
    for e1, e, n in zip(steps["e1"].tolist(), steps["e"].tolist(), steps["n"].tolist()):
        f += s_before * e1 / n
        s_before *= 1 - e / n
        f_at.append(f)
        s_at.append(s_before)
    steps["F"], steps["S"] = f_at, s_at
    var = _aalen_variance(steps)
    upto = np.searchsorted(present, np.arange(len(ends)), side="right")  # steps at or before each end
    has = upto > 0
    last = np.maximum(upto - 1, 0)
    fv = np.where(has, steps["F"].to_numpy()[last] if len(steps) else 0.0, 0.0)
    vv = np.where(has, var[last] if len(steps) else 0.0, 0.0)
    out = pd.DataFrame({"end": np.asarray(ends, dtype=float), "cif": fv, "se": np.sqrt(vv)})
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        w = z * out["se"].to_numpy() / (fv * np.abs(np.log(fv)))
        lo, hi = fv ** np.exp(w), fv ** np.exp(-w)
    bad = (fv <= 0) | (fv >= 1)
    out["ci_low"], out["ci_high"] = np.where(bad, np.nan, lo), np.where(bad, np.nan, hi)
    out["ci_level"] = level
    return out


def _aalen_variance(steps: pd.DataFrame) -> np.ndarray:
    """Delta-method variance of the Aalen-Johansen cumulative incidence at each step
    (Marubini & Valsecchi 1995, eq. 10.1.8; Pintilie 2006, eq. 4.4):
    Var F(t) = sum_{s<=t} { [F(t) - F(s)]^2 d(s) / (n(s) (n(s) - d(s)))
                            + S(s-)^2 d1(s) (n(s) - d1(s)) / n(s)^3
                            - 2 [F(t) - F(s)] S(s-) d1(s) / n(s)^2 }.
    statsmodels' ``_calc_incidence_right`` sums the same terms with the square expanded
    (F(t)^2 sum r - 2 F(t) sum F(s) r + sum F(s)^2 r, r = d / (n (n - d))). Where n(s) = d(s)
    (the last persons at risk all leave) the first term is 0 here, as in R: F(t) - F(s) is 0
    for every t >= s, nobody being left; statsmodels' expanded sum is inf - inf there (NaN)."""
    n, d, d1 = (steps[c].to_numpy(dtype=float) for c in ("n", "e", "e1"))
    F = steps["F"].to_numpy()
    s_prev = np.concatenate([[1.0], steps["S"].to_numpy()[:-1]])
    out = np.zeros(len(steps))
    for i in range(len(steps)):
        gap = F[i] - F[: i + 1]
        nn, dd, dd1, sp = n[: i + 1], d[: i + 1], d1[: i + 1], s_prev[: i + 1]
        with np.errstate(divide="ignore", invalid="ignore"):
            a = np.where(nn - dd > 0, gap ** 2 * dd / (nn * (nn - dd)), 0.0)
        b = sp ** 2 * dd1 * (nn - dd1) / nn ** 3
        c = 2 * gap * sp * dd1 / nn ** 2
        out[i] = float(np.sum(a + b - c))
    return np.maximum(out, 0.0)


def estimate_at(curve: pd.DataFrame, t: float = SIX_MONTHS, value: str = "one_minus") -> dict | None:
    """The row of a published curve (:func:`kaplan_meier` or :func:`cumulative_incidence`)
    whose interval ends at ``t`` (within half a day), or None when ``t`` is not an interval
    end (then it lies inside a merged interval and has no published estimate)."""
    hit = curve[np.isclose(curve["end"], t, atol=0.5)]
    return None if hit.empty else hit.iloc[0].to_dict()


def logrank(d: pd.DataFrame, group: str) -> dict:
    """Log-rank test of equal hazards of the outcome across the levels of ``group``
    (competing exits censor): chi-square, df, p (the chi-square's upper tail, so that a
    small p keeps its digits and is never rounded to 0), as R's ``survdiff``; where its
    variance matrix is singular, the generalised inverse and df = its rank (a note says so)."""
    levels = d[group].nunique()
    if levels < 2 or (d["status"] == EVENT).sum() == 0:
        return {"group": group, "test": "log-rank", "chi2": np.nan, "df": np.nan, "p_value": np.nan,
                "note": "undefined: fewer than two levels or no events"}
    chi2, df = logrank_generalised(d["time"].to_numpy(dtype=float), (d["status"] == EVENT).to_numpy(dtype=np.int64),
                                   d[group])
    p = float(stats.chi2.sf(chi2, df)) if df > 0 else np.nan
    note = "" if df == levels - 1 else f"variance matrix singular: generalised inverse, df = {df}"
    return {"group": group, "test": "log-rank", "chi2": float(chi2), "df": df, "p_value": p, "note": note}


def logrank_generalised(time, event, group) -> tuple[float, int]:
    """Log-rank chi-square (O - E)' V^- (O - E) and its df from the events and numbers at
    risk per level and distinct time, V the hypergeometric variance, by R's ``survdiff``
    rule: the levels with expected events, the first of them as reference, solved; df = their
    number - 1. Where V is regular that is statsmodels' ``survdiff``; where a level has no
    expected events (no one at risk at any event time) V is singular, statsmodels' solve
    fails, and the solved sub-block is a generalised inverse of V, as in R. Written here
    because ``survdiff`` works on the persons' rows (0.9 s per test at a million) and fails on
    a singular V; the tests check it against both."""
    time, event = np.asarray(time, dtype=float), np.asarray(event, dtype=np.int64)
    idx, levels = pd.factorize(group if isinstance(group, pd.Series) else pd.Series(np.asarray(group)), sort=True)
    times, t_idx = np.unique(time, return_inverse=True)
    k, n_t = len(levels), len(times)
    cell = idx * n_t + t_idx
    n_j = np.cumsum(np.bincount(cell, minlength=k * n_t).reshape(k, n_t)[:, ::-1], axis=1)[:, ::-1].astype(float)
    d_j = np.bincount(cell, weights=event, minlength=k * n_t).reshape(k, n_t)
    n, dd = n_j.sum(axis=0), d_j.sum(axis=0)
    at = dd > 0
    n_j, d_j, n, dd = n_j[:, at], d_j[:, at], n[at], dd[at]
    share = n_j / n
    expected = (share * dd).sum(axis=1)
    diff = d_j.sum(axis=1) - expected
    c = np.where(n > 1, dd * (n - dd) / np.where(n > 1, n - 1, 1.0), 0.0)
    v = np.diag((share * c).sum(axis=1)) - (share * c) @ share.T
    keep = np.flatnonzero(expected > 0)
    if len(keep) < 2:
        return 0.0, max(len(keep) - 1, 0)
    sub = keep[1:]
    try:
        chi2 = float(diff[sub] @ np.linalg.solve(v[np.ix_(sub, sub)], diff[sub]))
    except np.linalg.LinAlgError:
        chi2 = float(diff @ np.linalg.pinv(v) @ diff)
    return chi2, len(keep) - 1


COX_PHREG_MAX_N = 5_000  # up to this many persons PHReg on their rows; above, the same likelihood on counts


def cox(d: pd.DataFrame, predictors: Sequence[str], reference: dict | None = None,
        level: float = CI_LEVEL) -> pd.DataFrame:
    """Cox proportional-hazards model of the outcome (Breslow ties; competing exits censor:
    cause-specific hazards) with treatment-coded ``predictors``: hazard ratio, Wald interval
    and p per term. A level without events makes its hazard ratio 0 (the partial likelihood
    has no maximum): reported as not estimable, not as a number.

    Up to :data:`COX_PHREG_MAX_N` persons the fit is statsmodels' ``PHReg`` on their rows;
    above, :func:`cox_grouped`: the same partial likelihood from the counts per covariate
    pattern and time (exact, not an approximation; the tests check the two agree), so the
    fit does not grow with the number of persons (``PHReg`` took 61 s at a million)."""
    ref = {**REFERENCE, **(reference or {})}
    agg = (d.groupby([*predictors, "time", "status"], observed=True, sort=True, dropna=False).size().rename("_n")
           .reset_index()
           if len(d) > COX_PHREG_MAX_N else d.assign(_n=1))
    X = design(agg, predictors).drop(columns="const")
    w = agg["_n"].to_numpy(dtype=np.int64)
    y = (agg["status"] == EVENT).astype(int).to_numpy()
    events_by_term = {t: int((w * y)[X[t].to_numpy() == 1].sum()) for t in X.columns}
    rows_by_term = {t: int(w[X[t].to_numpy() == 1].sum()) for t in X.columns}
    events = int((w * y).sum())
    empty = [t for t in X.columns if events_by_term[t] == 0 or events_by_term[t] == events]
    base = {"model": "Cox PH (partial likelihood, Breslow ties)", "n": len(d), "events": events,
            "ci_level": level, "ci_method": "Wald (z)", "test": "Wald z-test"}
    if empty:
        return _cox_undefined(base, X, rows_by_term, f"undefined: {', '.join(empty)} without events (or with all "
                                                     "of them): the partial likelihood has no maximum")
    fit = (_cox_rows(agg["time"].to_numpy(dtype=float), X.to_numpy(dtype=float), y, level)
           if len(d) <= COX_PHREG_MAX_N else
           cox_grouped(agg["time"].to_numpy(dtype=float), X.to_numpy(dtype=float), y, w, level))
    if fit is None:
        return _cox_undefined(base, X, rows_by_term, "undefined: the partial likelihood's information is singular")
    params, ci, pvalues = fit
    return pd.DataFrame([{**base, "term": t, "estimate": float(np.exp(params[j])),
                          "ci_low": float(np.exp(ci[j, 0])), "ci_high": float(np.exp(ci[j, 1])),
                          "p_value": float(pvalues[j]), "group_n": rows_by_term[t],
                          "reference": ref.get(t.split("[")[0], ""),
                          # a group of fewer than MIN_GROUP_N flagged as the model tables flag it (review 8:
                          # Tabel T3 showed a group of one without the flag)
                          "note": small_group_note(rows_by_term[t], MIN_GROUP_N,
                                                   "one or two persons decide the estimate")}
                         for j, t in enumerate(X.columns)])


def _cox_rows(time: np.ndarray, X: np.ndarray, y: np.ndarray, level: float):
    """``PHReg`` (Breslow ties) on one row per person: (coefficients, Wald interval, p), or
    None when the information is singular."""
    model = PHReg(time, X, status=y, ties="breslow")
    try:
        res = model.fit()
    except np.linalg.LinAlgError:  # Newton's first step from 0 can meet a singular Hessian: start from BFGS
        try:
            with warnings.catch_warnings():  # a start value only: Newton's fit from it is what is used
                warnings.simplefilter("ignore", ConvergenceWarning)
                start = model.fit(method="bfgs", maxiter=2000, gtol=1e-10, disp=False).params
            res = model.fit(start_params=start)
        except np.linalg.LinAlgError:
            return None
    return np.asarray(res.params), np.asarray(res.conf_int(alpha=1 - level)), np.asarray(res.pvalues)


def cox_grouped(time: np.ndarray, X: np.ndarray, y: np.ndarray, weight: np.ndarray, level: float = CI_LEVEL,
                tol: float = 1e-12, max_iter: int = 100):
    """The Breslow partial likelihood from counts: ``weight`` persons with covariates ``X``,
    ``time`` and event ``y`` per row. With d(t, p) events and r(t, p) persons at risk per
    distinct time t and covariate pattern p, the partial likelihood is
    prod_t prod_p exp(x_p b)^d(t,p) / [sum_p r(t,p) exp(x_p b)]^D(t): a function of these
    counts only, so maximising it on them is exact, not an approximation. Newton-Raphson
    from b = 0 with step halving, to a step below ``tol``; the information
    sum_t D(t) [S2/S0 - (S1/S0)(S1/S0)'] gives Wald intervals and z-tests, as ``PHReg``.
    Written here because ``PHReg`` takes one row per person (61 s at a million) and has no
    frequency weights; the tests check it against ``PHReg`` on the rows and against R's
    ``coxph``. Returns (coefficients, interval, p) or None when the information is singular."""
    patterns, p_idx = np.unique(X, axis=0, return_inverse=True)
    times, t_idx = np.unique(time, return_inverse=True)
    n_p, n_t = len(patterns), len(times)
    cell = t_idx * n_p + p_idx.ravel()
    persons = np.bincount(cell, weights=weight, minlength=n_t * n_p).reshape(n_t, n_p)
    events = np.bincount(cell, weights=weight * y, minlength=n_t * n_p).reshape(n_t, n_p)
    keep = events.sum(axis=1) > 0
    at_risk, events = np.cumsum(persons[::-1], axis=0)[::-1][keep], events[keep]
    d_t, d_p = events.sum(axis=1), events.sum(axis=0)

    def terms(b):
        eta = patterns @ b
        w = at_risk * np.exp(eta - eta.max())  # the common factor cancels in S1/S0 and S2/S0
        s0 = w.sum(axis=1)
        mean = (w @ patterns) / s0[:, None]
        loglik = d_p @ eta - d_t @ (np.log(s0) + eta.max())
        score = d_p @ patterns - d_t @ mean
        share = w * (d_t / s0)[:, None]
        info = patterns.T @ (share.sum(axis=0)[:, None] * patterns) - (mean * d_t[:, None]).T @ mean
        return loglik, score, info

    b = np.zeros(X.shape[1])
    loglik, score, info = terms(b)
    for _ in range(max_iter):
        try:
            step = np.linalg.solve(info, score)
        except np.linalg.LinAlgError:
            return None
        for _halving in range(60):
            new = terms(b + step)
            if new[0] >= loglik - 1e-12 * abs(loglik):
                break
            step = step / 2
        b, (loglik, score, info) = b + step, new
        if np.max(np.abs(step)) < tol:
            break
    try:
        se = np.sqrt(np.diag(np.linalg.inv(info)))
    except np.linalg.LinAlgError:
        return None
    z = stats.norm.ppf(0.5 + level / 2)
    return b, np.column_stack([b - z * se, b + z * se]), 2 * stats.norm.sf(np.abs(b / se))


def _cox_undefined(base: dict, X: pd.DataFrame, rows_by_term: dict, note: str) -> pd.DataFrame:
    return pd.DataFrame([{**base, "term": t, "estimate": np.nan, "ci_low": np.nan, "ci_high": np.nan,
                          "p_value": np.nan, "group_n": rows_by_term[t], "reference": "", "note": note}
                         for t in X.columns])


# --------------------------------------------------------------------------- what a page publishes
def published_curves(d: pd.DataFrame, ends: Sequence[float], selections, level: float = CI_LEVEL) -> pd.DataFrame:
    """Kaplan-Meier (1 - S beside S) and cumulative incidence of every selection of ``d``
    (``{curve name: row mask}``) at the interval ``ends``, one row per curve and interval:
    the number at risk at its start, its events, competing exits and censored. Each person's
    interval is found once; each curve is then a ``bincount`` of its persons."""
    ends = np.asarray(sorted(ends), dtype=float)
    index = _interval_index(d["time"].to_numpy(dtype=float), ends)
    status = d["status"].to_numpy(dtype=np.int64)
    parts = []
    for name, rows in selections.items():
        mask = np.asarray(rows, dtype=bool)
        counts = interval_counts(index[mask], status[mask], len(ends))
        km = km_from_counts(counts, ends, level)
        ci = cif_from_counts(counts, ends, level).rename(
            columns={"cif": "cif", "se": "cif_se", "ci_low": "cif_low", "ci_high": "cif_high"})
        parts.append(km.merge(ci.drop(columns="ci_level"), on="end").assign(curve=name))
    out = pd.concat(parts, ignore_index=True)
    out.insert(1, "end_months", out["end"] / DAYS_PER_MONTH)
    first = ["curve", "end", "end_months"]
    return out[first + [c for c in out.columns if c not in first]]


def six_month_rows(curves: pd.DataFrame, t: float = SIX_MONTHS, min_group_n: int | None = None) -> pd.DataFrame:
    """Per curve, 1 - KM and the cumulative incidence at ``t`` with their intervals, the
    report's 70% beside the overall curve, the persons in the curve (``group_n``; below
    ``min_group_n``, default the models' 5, not ``informative``), and why an estimate is
    missing (``t`` inside a merged interval)."""
    min_group_n = MIN_GROUP_N if min_group_n is None else min_group_n
    rows = []
    for name, g in curves.groupby("curve", sort=False):
        hit = estimate_at(g, t)
        group_n = int(g["n_risk"].iloc[0])
        base = {"curve": name, "months": t / DAYS_PER_MONTH, "report_share": REPORT_SHARE if name == "all" else np.nan,
                "group_n": group_n, "informative": group_n >= min_group_n}
        if hit is None:
            rows.append({**base, **dict.fromkeys(["one_minus", "one_minus_low", "one_minus_high", "cif", "cif_low",
                                                  "cif_high"], np.nan), "note": "six_months_inside"})
        else:
            rows.append({**base, **{k: hit[k] for k in ("one_minus", "one_minus_low", "one_minus_high", "cif",
                                                          "cif_low", "cif_high")}, "note": ""})
    return pd.DataFrame(rows)


DEFAULT_SETTINGS = {"definitions": ["work", "work_or_education"], "origins": ["start", "inflow"],
                    "groupings": ["triage", "opleiding"]}


def settings_digest(**settings) -> str:
    """``""`` when notebook 04's list settings have their defaults, else ``_`` and 8 hex
    digits of the SHA-256 of the non-default ones, so that two runs never publish the
    same file name with different contents."""
    def norm(v):
        return [str(x) for x in v] if isinstance(v, (list, tuple)) else str(v)

    changed = {k: norm(v) for k, v in sorted(settings.items()) if norm(v) != norm(DEFAULT_SETTINGS.get(k))}
    return "_" + hashlib.sha256(json.dumps(changed, sort_keys=True).encode()).hexdigest()[:8] if changed else ""


def with_p_bounds(table: pd.DataFrame) -> pd.DataFrame:
    """``p_value`` below :data:`analysis.stats.models.P_FLOOR` as the bound, flagged in
    ``p_upper_bound`` (never a p-value of 0)."""
    p, bound = bounded(pd.to_numeric(table["p_value"], errors="coerce"))
    return table.assign(p_value=p, p_upper_bound=bound)
