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
- :func:`kaplan_meier`: statsmodels' ``SurvfuncRight`` per curve, with pointwise
  log-log intervals (Kalbfleisch & Prentice; Greenwood's variance), written out at the
  interval ends with the number at risk, events, competing exits and censored;
- :func:`estimate_at`: the curve's value at a time (six months) with its interval, and
  1 - S beside it;
- :func:`cumulative_incidence`: the Aalen-Johansen estimate of the probability of having
  reached the outcome by t when competing exits remove people for good, with the
  delta-method (Greenwood-type) variance and a log-log interval. Written here because
  statsmodels has none and lifelines is not in the project's lock; the estimate and its
  standard error agree with R's ``survfit`` (multi-state) to 1e-15 in the tests;
- :func:`logrank`: ``statsmodels.duration.survfunc.survdiff`` per grouping;
- :func:`cox`: ``statsmodels`` ``PHReg`` (Breslow ties) hazard ratios with Wald intervals,
  and why a term is not estimable (a group without events).

**Which answers the report's sentence.** "70 procent is binnen zes maanden uitgestroomd"
is a share of all participants: with competing exits, 1 - KM estimates the share that
would have found work within six months had nobody stopped (stoppers treated as if still
searching), the cumulative incidence the share that actually did. The cumulative incidence
answers the sentence; 1 - KM is shown beside it because the field prints it.

Times are in days; months are 365.25 / 12 days.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.duration.hazard_regression import PHReg
from statsmodels.duration.survfunc import SurvfuncRight, survdiff

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


def kaplan_meier(d: pd.DataFrame, ends: Sequence[float], level: float = CI_LEVEL) -> pd.DataFrame:
    """Kaplan-Meier estimate of remaining without the outcome (competing exits and the
    follow-up end censor) at each interval end, from statsmodels' ``SurvfuncRight`` on the
    coarsened times: ``end`` (days), ``n_risk`` at the interval's start, ``events``,
    ``competing``, ``censored`` in it, ``surv`` and its pointwise interval, and ``one_minus``
    (1 - S, the share with the outcome if nobody left) with its interval."""
    c = coarsen(d, ends)
    rows = []
    sf = SurvfuncRight(c["time"].to_numpy(), (c["status"] == EVENT).astype(int).to_numpy()) if len(c) else None
    for end in sorted(ends):
        at = c["time"] == end
        n_risk = int((c["time"] >= end).sum())
        if sf is not None and (sf.surv_times <= end).any():
            j = np.flatnonzero(sf.surv_times <= end)[-1]
            s, se = float(sf.surv_prob[j]), float(sf.surv_prob_se[j])
        else:
            s, se = 1.0, 0.0
        rows.append({"end": float(end), "n_risk": n_risk, "events": int((at & (c["status"] == EVENT)).sum()),
                     "competing": int((at & (c["status"] == COMPETING)).sum()),
                     "censored": int((at & (c["status"] == CENSORED)).sum()), "surv": s, "se": se})
    out = pd.DataFrame(rows)
    out["ci_low"], out["ci_high"] = _loglog_interval(out["surv"].to_numpy(), out["se"].to_numpy(), level)
    out["one_minus"] = 1 - out["surv"]
    out["one_minus_low"], out["one_minus_high"] = 1 - out["ci_high"], 1 - out["ci_low"]
    out["ci_level"] = level
    return out


def cumulative_incidence(d: pd.DataFrame, ends: Sequence[float], level: float = CI_LEVEL) -> pd.DataFrame:
    """Aalen-Johansen cumulative incidence of the outcome with competing exits, at each
    interval end of the coarsened times: F(t) = sum over event times s <= t of
    S(s-) d1(s) / n(s), S the Kaplan-Meier estimate of remaining without any exit; its
    standard error (:func:`_aalen_variance`) and the pointwise interval
    F^exp(-/+ z se / (F |log F|)) (the log-log form used for the curves)."""
    c = coarsen(d, ends)
    times = np.asarray(sorted(ends), dtype=float)
    z = stats.norm.ppf(0.5 + level / 2)
    s_before, f, rows = 1.0, 0.0, []
    n_all = len(c)
    # per time: n at risk, outcome events, all events
    tab = pd.DataFrame({"t": c["time"], "e1": c["status"] == EVENT, "e": c["status"] != CENSORED})
    steps = tab.groupby("t").agg(e1=("e1", "sum"), e=("e", "sum"), m=("e", "size")).reset_index()
    steps["n"] = n_all - steps["m"].cumsum().shift(fill_value=0)
    f_at, s_at = [], []
    for r in steps.itertuples(index=False):
        f += s_before * r.e1 / r.n if r.n else 0.0
        s_before *= 1 - r.e / r.n if r.n else 1.0
        f_at.append(f)
        s_at.append(s_before)
    steps["F"], steps["S"] = f_at, s_at
    var = _aalen_variance(steps)
    for end in times:
        upto = steps[steps["t"] <= end]
        fv = float(upto["F"].iloc[-1]) if len(upto) else 0.0
        vv = float(var[len(upto) - 1]) if len(upto) else 0.0
        rows.append({"end": float(end), "cif": fv, "se": float(np.sqrt(vv))})
    out = pd.DataFrame(rows)
    fv, se = out["cif"].to_numpy(), out["se"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        w = z * se / (fv * np.abs(np.log(fv)))
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
                            - 2 [F(t) - F(s)] S(s-) d1(s) / n(s)^2 }."""
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
    (statsmodels ``survdiff``; competing exits censor): chi-square, df, p."""
    levels = d[group].nunique()
    if levels < 2 or (d["status"] == EVENT).sum() == 0:
        return {"group": group, "test": "log-rank", "chi2": np.nan, "df": np.nan, "p_value": np.nan,
                "note": "undefined: fewer than two levels or no events"}
    time, event, codes = d["time"].to_numpy(), (d["status"] == EVENT).astype(int).to_numpy(), d[group].to_numpy()
    try:
        chi2, p = survdiff(time, event, codes)
        df, note = levels - 1, ""
    except np.linalg.LinAlgError:  # a level without time at risk at any event: generalised inverse, as R's survdiff
        chi2, df = logrank_generalised(time, event, codes)
        p = float(stats.chi2.sf(chi2, df)) if df > 0 else np.nan
        note = f"variance matrix singular: generalised inverse, df = {df}"
    return {"group": group, "test": "log-rank", "chi2": float(chi2), "df": df, "p_value": float(p), "note": note}


def logrank_generalised(time, event, group) -> tuple[float, int]:
    """Log-rank chi-square (O - E)' V^- (O - E) with the Moore-Penrose inverse of the
    hypergeometric variance V and df = rank V: what R's ``survdiff`` reports when V is
    singular (a level with no one at risk at any event time), where statsmodels' solve
    fails. Written here for that case only (the tests check it against R and, where V is
    regular, against statsmodels)."""
    time, event = np.asarray(time, dtype=float), np.asarray(event, dtype=int)
    levels, idx = np.unique(np.asarray(group).astype(str), return_inverse=True)
    o, e, v = np.zeros(len(levels)), np.zeros(len(levels)), np.zeros((len(levels), len(levels)))
    for t in np.unique(time[event == 1]):
        at_risk = time >= t
        n_j = np.bincount(idx[at_risk], minlength=len(levels)).astype(float)
        d_j = np.bincount(idx[(time == t) & (event == 1)], minlength=len(levels)).astype(float)
        n, dd = n_j.sum(), d_j.sum()
        o += d_j
        e += dd * n_j / n
        if n > 1:
            share = n_j / n
            v += dd * (n - dd) / (n - 1) * (np.diag(share) - np.outer(share, share))
    diff = o - e
    return float(diff @ np.linalg.pinv(v) @ diff), int(np.linalg.matrix_rank(v))


def cox(d: pd.DataFrame, predictors: Sequence[str], reference: dict | None = None,
        level: float = CI_LEVEL) -> pd.DataFrame:
    """Cox proportional-hazards model of the outcome (``PHReg``, Breslow ties; competing
    exits censor: cause-specific hazards) with treatment-coded ``predictors``: hazard ratio,
    Wald interval and p per term. A level without events makes its hazard ratio 0 (the
    partial likelihood has no maximum): reported as not estimable, not as a number."""
    from analysis.stats.models import REFERENCE, design

    ref = {**REFERENCE, **(reference or {})}
    X = design(d, predictors).drop(columns="const")
    y = (d["status"] == EVENT).astype(int).to_numpy()
    events_by_term = {t: int(y[X[t].to_numpy() == 1].sum()) for t in X.columns}
    rows_by_term = {t: int(X[t].sum()) for t in X.columns}
    empty = [t for t in X.columns if events_by_term[t] == 0 or events_by_term[t] == int(y.sum())]
    base = {"model": "Cox PH (partial likelihood, Breslow ties)", "n": len(d), "events": int(y.sum()),
            "ci_level": level, "ci_method": "Wald (z)", "test": "Wald z-test"}
    if empty:
        return _cox_undefined(base, X, rows_by_term, f"undefined: {', '.join(empty)} without events (or with all "
                                                     "of them): the partial likelihood has no maximum")
    model = PHReg(d["time"].to_numpy(), X.to_numpy(dtype=float), status=y, ties="breslow")
    try:
        res = model.fit()
    except np.linalg.LinAlgError:  # Newton's first step from 0 can meet a singular Hessian: start from BFGS
        try:
            start = model.fit(method="bfgs", maxiter=2000, gtol=1e-10, disp=False).params
            res = model.fit(start_params=start)
        except np.linalg.LinAlgError:
            return _cox_undefined(base, X, rows_by_term, "undefined: the partial likelihood's information is "
                                                         "singular")
    ci = res.conf_int(alpha=1 - level)
    return pd.DataFrame([{**base, "term": t, "estimate": float(np.exp(res.params[j])),
                          "ci_low": float(np.exp(ci[j, 0])), "ci_high": float(np.exp(ci[j, 1])),
                          "p_value": float(res.pvalues[j]), "group_n": rows_by_term[t],
                          "reference": ref.get(t.split("[")[0], ""), "note": ""}
                         for j, t in enumerate(X.columns)])


def _cox_undefined(base: dict, X: pd.DataFrame, rows_by_term: dict, note: str) -> pd.DataFrame:
    return pd.DataFrame([{**base, "term": t, "estimate": np.nan, "ci_low": np.nan, "ci_high": np.nan,
                          "p_value": np.nan, "group_n": rows_by_term[t], "reference": "", "note": note}
                         for t in X.columns])


# --------------------------------------------------------------------------- what a page publishes
def published_curves(d: pd.DataFrame, ends: Sequence[float], selections, level: float = CI_LEVEL) -> pd.DataFrame:
    """Kaplan-Meier (1 - S beside S) and cumulative incidence of every selection of ``d``
    (``{curve name: row mask}``) at the interval ``ends``, one row per curve and interval:
    the number at risk at its start, its events, competing exits and censored."""
    parts = []
    for name, rows in selections.items():
        sel = d[np.asarray(rows, dtype=bool)]
        km = kaplan_meier(sel, ends, level)
        ci = cumulative_incidence(sel, ends, level).rename(
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
    from analysis.stats.models import MIN_GROUP_N

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
    import hashlib
    import json

    def norm(v):
        return [str(x) for x in v] if isinstance(v, (list, tuple)) else str(v)

    changed = {k: norm(v) for k, v in sorted(settings.items()) if norm(v) != norm(DEFAULT_SETTINGS.get(k))}
    return "_" + hashlib.sha256(json.dumps(changed, sort_keys=True).encode()).hexdigest()[:8] if changed else ""


def with_p_bounds(table: pd.DataFrame) -> pd.DataFrame:
    """``p_value`` below :data:`analysis.stats.models.P_FLOOR` as the bound, flagged in
    ``p_upper_bound`` (never a p-value of 0)."""
    from analysis.stats.models import bounded

    p, bound = bounded(pd.to_numeric(table["p_value"], errors="coerce"))
    return table.assign(p_value=p, p_upper_bound=bound)
