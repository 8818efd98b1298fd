"""Power and minimum detectable effect for uptake comparisons.

The question an evaluator must answer: what can a programme of N participants show? We
take a two-group comparison of uptake: ``n1`` participants in the comparison group, ``n0``
in the reference group, uptake ``base_rate`` in the reference group and the comparison
group's odds multiplied by ``odds_ratio``, tested two-sided at ``alpha``. Two designs:

- **balanced**: a programme of N split in halves (:func:`group_sizes`), what a planned
  comparison could show;
- **observed**: the group sizes the data have, each level against the rest
  (:func:`observed_designs`), what the tests in the models notebook can show; a group of
  one person cannot reach 80% power at any odds ratio.

Power is computed **exactly**, never simulated:

- n1 + n0 <= ``FISHER_MAX_N``: Fisher's exact test. Every outcome (x1 successes of n1, x0
  of n0) is enumerated once, the rejection region is found from the hypergeometric null
  distribution of each margin (the same two-sided p-value as ``scipy.stats.fisher_exact``),
  and power is the binomial probability of that region;
- above: the two-sided two-proportion z-test (pooled variance), its power summed over
  every outcome of the comparison group with binomial probability above ``TAIL`` (those
  left out carry less than ``TAIL`` of the probability), the reference group's outcomes
  by their exact binomial tail probabilities.

The minimum detectable effect (MDE) is **solved for**: the odds ratio closest to 1, above
and below, at which exact power reaches ``target``, by bracketing the first crossing on a
log grid and then Brent's method on the exact power (:func:`minimum_detectable_effect`).
With a high base rate an increase in uptake has little room, so the MDE above 1 may not
exist while the one below 1 does.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd
from scipy import optimize, stats

from analysis.stats.models import legend

FISHER_MAX_N = 200
# scipy.stats.fisher_exact counts tables with pmf <= pmf(observed) * (1 + 1e-14) as
# at least as extreme
_FISHER_GAMMA = 1 + 1e-14
# z-test power: outcomes with binomial probability in the outer TAIL / 4 of each tail are
# left out of the sum (error below TAIL)
TAIL = 1e-13
MDE_MAX_ODDS_RATIO = 1000.0
_MDE_BRACKETS = np.exp(np.linspace(0.0, np.log(MDE_MAX_ODDS_RATIO), 61))[1:]


# What each column holds, in English (legend files) and Dutch (a Dutch page's legend).
COLUMN_MEANINGS: dict[str, tuple[str, str]] = {
    "design": ("group sizes compared: a balanced programme of N, or a level of the data against the rest",
               "vergeleken groepsgroottes: een gebalanceerd programma van N, of een niveau in de gegevens tegen de "
               "rest"),
    "n": ("participants in the comparison (n1 + n0)", "deelnemers in de vergelijking (n1 + n0)"),
    "n1": ("participants in the comparison group", "deelnemers in de vergelijkingsgroep"),
    "group_n": ("participants in the smaller of the two groups", "deelnemers in de kleinste van de twee groepen"),
    "n0": ("participants in the reference group", "deelnemers in de referentiegroep"),
    "odds_ratio": ("odds of uptake in the comparison group divided by those in the reference group",
                   "odds op uitstroom in de vergelijkingsgroep gedeeld door die in de referentiegroep"),
    "base_rate": ("uptake in the reference group (the observed overall rate)",
                  "uitstroom in de referentiegroep (het waargenomen totale percentage)"),
    "alpha": ("significance level of the two-sided test", "significantieniveau van de tweezijdige toets"),
    "power": ("probability that the test rejects no difference, computed exactly",
              "kans dat de toets de hypothese van geen verschil verwerpt, exact berekend"),
    "power_simulated": ("Monte Carlo check of power from simulated outcomes",
                        "Monte Carlo-controle van het vermogen met gesimuleerde uitkomsten"),
    "method": ("test whose power is computed, and how", "de toets waarvan het vermogen berekend is, en hoe"),
    "target_power": ("power the minimum detectable effect must reach",
                     "het vermogen dat het kleinste aantoonbare effect moet halen"),
    "mde_odds_ratio_above_1": ("smallest odds ratio above 1 with power >= target_power (empty: none up to 1000)",
                               "kleinste odds ratio boven 1 met ten minste het beoogde vermogen (leeg: geen tot "
                               "1000)"),
    "mde_odds_ratio_below_1": ("largest odds ratio below 1 with power >= target_power (empty: none down to 1/1000)",
                               "grootste odds ratio onder 1 met ten minste het beoogde vermogen (leeg: geen tot "
                               "1/1000)"),
    "note": ("why a value is missing", "waarom een waarde ontbreekt"),
}


def column_legend(table: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """One row per column of ``table`` with what it holds, in English or Dutch."""
    return legend(table, COLUMN_MEANINGS, lang)


def _rate_with_or(base_rate: float, odds_ratio: float) -> float:
    odds = base_rate / (1 - base_rate) * odds_ratio
    return odds / (1 + odds)


def group_sizes(n: int, exposed_share: float = 0.5) -> tuple[int, int]:
    """(n1, n0): comparison group and reference group of a programme of ``n``."""
    n1 = max(1, int(round(n * exposed_share)))
    return n1, max(1, n - n1)


@lru_cache(maxsize=64)
def fisher_rejection_region(n1: int, n0: int, alpha: float = 0.05) -> np.ndarray:
    """Boolean array ``reject[x1, x0]``: Fisher's two-sided exact test of the 2 x 2 table
    (x1, n1 - x1; x0, n0 - x0) has p < ``alpha``. Built margin by margin: given
    t = x1 + x0 successes, x1 is hypergeometric, and the p-value of x1 is the null
    probability of all tables no more likely than it."""
    reject = np.zeros((n1 + 1, n0 + 1), dtype=bool)
    for t in range(n1 + n0 + 1):
        x1 = np.arange(max(0, t - n0), min(n1, t) + 1)
        pmf = stats.hypergeom.pmf(x1, n1 + n0, n1, t)
        pvalue = (pmf[None, :] <= pmf[:, None] * _FISHER_GAMMA) @ pmf
        reject[x1, t - x1] = pvalue < alpha
    reject.setflags(write=False)
    return reject


def fisher_power_groups(n1: int, n0: int, base_rate: float, odds_ratio: float, alpha: float = 0.05) -> float:
    """Exact power of Fisher's two-sided test with groups of ``n1`` and ``n0``."""
    region = fisher_rejection_region(n1, n0, alpha)
    p1 = stats.binom.pmf(np.arange(n1 + 1), n1, _rate_with_or(base_rate, odds_ratio))
    p0 = stats.binom.pmf(np.arange(n0 + 1), n0, base_rate)
    return float(p1 @ region @ p0)


def fisher_power(n: int, base_rate: float, odds_ratio: float, exposed_share: float = 0.5,
                 alpha: float = 0.05) -> float:
    """Exact power of Fisher's two-sided test for a programme of ``n`` split by ``exposed_share``."""
    return fisher_power_groups(*group_sizes(n, exposed_share), base_rate, odds_ratio, alpha)


def _support(n: int, p: float) -> np.ndarray:
    """Outcomes of Binomial(n, p) outside the outer TAIL / 4 of each tail."""
    lo = int(stats.binom.ppf(TAIL / 4, n, p))
    hi = int(stats.binom.isf(TAIL / 4, n, p))
    return np.arange(max(lo, 0), min(hi, n) + 1)


def ztest_power_groups(n1: int, n0: int, base_rate: float, odds_ratio: float, alpha: float = 0.05) -> float:
    """Exact power (to within ``TAIL``) of the two-sided pooled two-proportion z-test. For
    each outcome x1 the test accepts exactly the x0 with (x1/n1 - x0/n0)^2 <= c^2 p(1 - p)
    (1/n1 + 1/n0), p = (x1 + x0)/N: a quadratic in x0, so the accepted x0 form an interval
    whose ends are its roots, and power is a sum of binomial tail probabilities (linear,
    not quadratic, in the group sizes)."""
    p1 = _rate_with_or(base_rate, odds_ratio)
    x1 = _support(n1, p1).astype(float)
    w1 = stats.binom.pmf(x1, n1, p1)
    n = n1 + n0
    k = stats.norm.isf(alpha / 2) ** 2 * (1 / n1 + 1 / n0)
    a = x1 / n1
    qa = 1 / n0 ** 2 + k / n ** 2
    qb = -2 * a / n0 - k / n + 2 * k * x1 / n ** 2
    qc = a ** 2 - k * x1 / n + k * x1 ** 2 / n ** 2
    disc = np.maximum(qb ** 2 - 4 * qa * qc, 0.0)
    lo = np.ceil((-qb - np.sqrt(disc)) / (2 * qa) - 1e-9)
    hi = np.floor((-qb + np.sqrt(disc)) / (2 * qa) + 1e-9)
    accept = np.where(hi >= lo, stats.binom.cdf(hi, n0, base_rate) - stats.binom.cdf(lo - 1, n0, base_rate), 0.0)
    return float(w1 @ (1 - accept))


def power_groups(n1: int, n0: int, base_rate: float, odds_ratio: float, alpha: float = 0.05) -> tuple[float, str]:
    """(power, method) of a two-group uptake comparison with groups of ``n1`` and ``n0``."""
    if n1 + n0 <= FISHER_MAX_N:
        return fisher_power_groups(n1, n0, base_rate, odds_ratio, alpha), "Fisher exact test; power exact"
    return ztest_power_groups(n1, n0, base_rate, odds_ratio, alpha), "two-proportion z-test; power exact"


def power(n: int, base_rate: float, odds_ratio: float, exposed_share: float = 0.5,
          alpha: float = 0.05) -> tuple[float, str]:
    """(power, method) of a programme of ``n`` split by ``exposed_share``."""
    return power_groups(*group_sizes(n, exposed_share), base_rate, odds_ratio, alpha)


def simulate_ztest_power(n: int, base_rate: float, odds_ratio: float, exposed_share: float = 0.5,
                         alpha: float = 0.05, n_sims: int = 1000, seed: int = 1) -> float:
    """Simulated power of the two-sided two-proportion z-test (pooled variance): a Monte
    Carlo check of :func:`ztest_power_groups`."""
    return simulate_power_groups(*group_sizes(n, exposed_share), base_rate, odds_ratio, alpha, n_sims, seed,
                                 fisher=False)


def simulate_power_groups(n1: int, n0: int, base_rate: float, odds_ratio: float, alpha: float = 0.05,
                          n_sims: int = 1000, seed: int = 1, fisher: bool | None = None) -> float:
    """Monte Carlo check of :func:`power_groups`: the share of ``n_sims`` simulated outcomes
    that the test rejects (Fisher up to ``FISHER_MAX_N`` unless ``fisher`` says otherwise)."""
    rng = np.random.default_rng(seed)
    x1 = rng.binomial(n1, _rate_with_or(base_rate, odds_ratio), n_sims)
    x0 = rng.binomial(n0, base_rate, n_sims)
    if fisher if fisher is not None else n1 + n0 <= FISHER_MAX_N:
        return float(np.mean(fisher_rejection_region(n1, n0, alpha)[x1, x0]))
    pooled = (x1 + x0) / (n1 + n0)
    se = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n0))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(se > 0, (x1 / n1 - x0 / n0) / se, 0.0)
    return float(np.mean(2 * stats.norm.sf(np.abs(z)) < alpha))


def minimum_detectable_effect(n1: int, n0: int, base_rate: float, target: float = 0.8,
                              alpha: float = 0.05, direction: str = "above") -> float:
    """The odds ratio closest to 1 (``direction`` "above": > 1; "below": < 1) at which
    exact power reaches ``target``: the first crossing is bracketed on a log grid up to
    ``MDE_MAX_ODDS_RATIO`` (or down to its inverse) and solved by Brent's method on
    log(odds ratio). NaN when power stays below ``target`` within that bound."""
    if direction not in ("above", "below"):
        raise ValueError(f"direction must be 'above' or 'below', got {direction!r}")
    sign = 1.0 if direction == "above" else -1.0

    def gap(log_or: float) -> float:
        return power_groups(n1, n0, base_rate, float(np.exp(log_or)), alpha)[0] - target

    lo = 0.0
    for hi in sign * np.log(_MDE_BRACKETS):
        if gap(hi) >= 0:
            return float(np.exp(optimize.brentq(gap, min(lo, hi), max(lo, hi), xtol=1e-12)))
        lo = hi
    return float("nan")


def observed_designs(frame: pd.DataFrame, groups) -> pd.DataFrame:
    """The group sizes of the data: each level of each grouping against the rest."""
    rows = []
    for g in [groups] if isinstance(groups, str) else groups:
        codes = frame[g].astype(str)
        for lev in sorted(codes.unique()):
            n1 = int((codes == lev).sum())
            rows.append({"design": f"observed: {g} {lev} vs rest", "n1": n1, "n0": len(frame) - n1})
    return pd.DataFrame(rows)


def balanced_designs(ns) -> pd.DataFrame:
    """Programmes of each N in ``ns`` split in halves."""
    return pd.DataFrame([{"design": f"balanced, N = {n}", "n1": group_sizes(n)[0], "n0": group_sizes(n)[1]}
                         for n in ns])


def power_table(designs: pd.DataFrame, odds_ratios, base_rate: float, alpha: float = 0.05,
                n_sims: int = 0, seed: int = 1) -> pd.DataFrame:
    """Exact power of each design (``design``, ``n1``, ``n0``) at each odds ratio; with
    ``n_sims`` > 0 also a Monte Carlo check (``power_simulated``) from that many draws."""
    rows = []
    for d in designs.itertuples(index=False):
        for orr in odds_ratios:
            pw, method = power_groups(d.n1, d.n0, base_rate, orr, alpha)
            row = {"design": d.design, "n": d.n1 + d.n0, "n1": d.n1, "n0": d.n0, "group_n": min(d.n1, d.n0),
                   "odds_ratio": orr,
                   "base_rate": base_rate, "alpha": alpha, "power": pw, "method": method}
            if n_sims > 0:
                row["power_simulated"] = simulate_power_groups(d.n1, d.n0, base_rate, orr, alpha, n_sims, seed)
            rows.append(row)
    return pd.DataFrame(rows)


def mde_table(designs: pd.DataFrame, base_rate: float, target: float = 0.8, alpha: float = 0.05) -> pd.DataFrame:
    """The MDE of each design, solved on exact power (NaN: not reachable below
    ``MDE_MAX_ODDS_RATIO``)."""
    rows = []
    for d in designs.itertuples(index=False):
        up, down = (minimum_detectable_effect(d.n1, d.n0, base_rate, target, alpha, way) for way in ("above", "below"))
        missing = [f"above 1 up to {MDE_MAX_ODDS_RATIO:g}" if np.isnan(up) else "",
                   f"below 1 down to 1/{MDE_MAX_ODDS_RATIO:g}" if np.isnan(down) else ""]
        rows.append({"design": d.design, "n": d.n1 + d.n0, "n1": d.n1, "n0": d.n0, "group_n": min(d.n1, d.n0),
                     "base_rate": base_rate,
                     "alpha": alpha, "target_power": target, "mde_odds_ratio_above_1": up,
                     "mde_odds_ratio_below_1": down,
                     "method": power_groups(d.n1, d.n0, base_rate, 1.0, alpha)[1] + ", root-finding (Brent)",
                     "note": f"power stays below {target} at every odds ratio " + " and ".join(m for m in missing if m)
                     if any(missing) else ""})
    return pd.DataFrame(rows)

