"""Power and minimum detectable effect for uptake comparisons.

The question an evaluator must answer: what can a programme of N participants show? We
take a two-group comparison of uptake (e.g. triage 2 vs triage 3): a share
``exposed_share`` of N is in the comparison group, the reference group has uptake
``base_rate``, and the comparison group's odds are multiplied by ``odds_ratio``. The test
is at ``alpha``:

- N <= ``FISHER_MAX_N``: Fisher's exact test, and its power is computed **exactly**: every
  possible outcome (x1 successes of n1, x0 of n0) is enumerated once, the rejection region
  is found from the hypergeometric null distribution of each margin (the same two-sided
  p-value as ``scipy.stats.fisher_exact``), and power is the binomial probability of that
  region. No Monte Carlo error, and milliseconds instead of one Fisher test per draw.
- above: a two-sided two-proportion z-test (accurate there), simulated with ``n_sims``
  draws, vectorised.

The MDE is the smallest odds ratio on a grid with power >= ``target``.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd
from scipy import stats

FISHER_MAX_N = 200
# scipy.stats.fisher_exact counts tables with pmf <= pmf(observed) * (1 + 1e-14) as
# at least as extreme
_FISHER_GAMMA = 1 + 1e-14


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


def fisher_power(n: int, base_rate: float, odds_ratio: float, exposed_share: float = 0.5,
                 alpha: float = 0.05) -> float:
    """Exact power of Fisher's two-sided test: P(outcome in the rejection region)."""
    n1, n0 = group_sizes(n, exposed_share)
    region = fisher_rejection_region(n1, n0, alpha)
    p1 = stats.binom.pmf(np.arange(n1 + 1), n1, _rate_with_or(base_rate, odds_ratio))
    p0 = stats.binom.pmf(np.arange(n0 + 1), n0, base_rate)
    return float(p1 @ region @ p0)


def simulate_ztest_power(n: int, base_rate: float, odds_ratio: float, exposed_share: float = 0.5,
                         alpha: float = 0.05, n_sims: int = 1000, seed: int = 1) -> float:
    """Simulated power of the two-sided two-proportion z-test (pooled variance)."""
    rng = np.random.default_rng(seed)
    n1, n0 = group_sizes(n, exposed_share)
    x1 = rng.binomial(n1, _rate_with_or(base_rate, odds_ratio), n_sims)
    x0 = rng.binomial(n0, base_rate, n_sims)
    pooled = (x1 + x0) / (n1 + n0)
    se = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n0))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(se > 0, (x1 / n1 - x0 / n0) / se, 0.0)
    return float(np.mean(2 * stats.norm.sf(np.abs(z)) < alpha))


def power(n: int, base_rate: float, odds_ratio: float, exposed_share: float = 0.5, alpha: float = 0.05,
          n_sims: int = 1000, seed: int = 1) -> tuple[float, str]:
    """(power, method) of a two-group uptake comparison with ``n`` participants."""
    if n <= FISHER_MAX_N:
        return fisher_power(n, base_rate, odds_ratio, exposed_share, alpha), "Fisher, exact"
    return (simulate_ztest_power(n, base_rate, odds_ratio, exposed_share, alpha, n_sims, seed),
            f"z-test, {n_sims} simulations")


def power_table(ns, odds_ratios, base_rate: float, exposed_share: float = 0.5, alpha: float = 0.05,
                n_sims: int = 1000, seed: int = 1) -> pd.DataFrame:
    rows = []
    for n in ns:
        for orr in odds_ratios:
            pw, method = power(n, base_rate, orr, exposed_share, alpha, n_sims, seed)
            rows.append({"n": n, "odds_ratio": orr, "power": pw, "method": method})
    return pd.DataFrame(rows)


def minimum_detectable_effect(table: pd.DataFrame, target: float = 0.8) -> pd.DataFrame:
    """Smallest odds ratio (> 1) on the grid with power >= ``target``, per N (NaN: none)."""
    up = table[table["odds_ratio"] > 1]
    out = []
    for n, g in up.groupby("n"):
        ok = g[g["power"] >= target].sort_values("odds_ratio")
        out.append({"n": n, "mde_odds_ratio": ok["odds_ratio"].iloc[0] if len(ok) else np.nan, "target_power": target})
    return pd.DataFrame(out)


def power_plot(table: pd.DataFrame, title: str, lang: str = "nl"):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4))
    for n, g in table.groupby("n"):
        ax.plot(g["odds_ratio"], g["power"], marker="o", label=f"N = {n:,}".replace(",", "."))
    ax.axhline(0.8, color="grey", ls="--", lw=0.8)
    ax.set_xscale("log")
    ax.set_xlabel("odds ratio")
    ax.set_ylabel("onderscheidend vermogen (power)" if lang == "nl" else "power")
    ax.set_ylim(0, 1.02)
    ax.legend(frameon=False, fontsize=8)
    ax.set_title(title, fontsize=11, loc="left")
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return fig
