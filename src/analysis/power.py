"""Simulation-based power and minimum detectable effect for uptake comparisons.

The question an evaluator must answer: what can a programme of N participants show? We
simulate a two-group comparison of uptake (e.g. triage 2 vs triage 3): a share
``exposed_share`` of N is in the comparison group, the reference group has uptake
``base_rate``, and the comparison group's odds are multiplied by ``odds_ratio``. Each
simulated data set is tested at ``alpha``: Fisher's exact test for N <= 200, a two-sided
two-proportion z-test above (where it is accurate and Fisher is slow). Power is the share of
rejections; the MDE is the smallest odds ratio on a grid with power >= ``target``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

FISHER_MAX_N = 200


def _rate_with_or(base_rate: float, odds_ratio: float) -> float:
    odds = base_rate / (1 - base_rate) * odds_ratio
    return odds / (1 + odds)


def simulate_power(n: int, base_rate: float, odds_ratio: float, exposed_share: float = 0.5,
                   alpha: float = 0.05, n_sims: int = 1000, seed: int = 1) -> float:
    """Power of a two-group uptake comparison with ``n`` participants."""
    rng = np.random.default_rng(seed)
    n1 = max(1, int(round(n * exposed_share)))
    n0 = max(1, n - n1)
    p1 = _rate_with_or(base_rate, odds_ratio)
    x1 = rng.binomial(n1, p1, n_sims)
    x0 = rng.binomial(n0, base_rate, n_sims)
    if n <= FISHER_MAX_N:
        pvals = np.array([stats.fisher_exact([[a, n1 - a], [b, n0 - b]]).pvalue for a, b in zip(x1, x0)])
    else:
        pooled = (x1 + x0) / (n1 + n0)
        se = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n0))
        with np.errstate(divide="ignore", invalid="ignore"):
            z = np.where(se > 0, (x1 / n1 - x0 / n0) / se, 0.0)
        pvals = 2 * stats.norm.sf(np.abs(z))
    return float(np.mean(pvals < alpha))


def power_table(ns, odds_ratios, base_rate: float, exposed_share: float = 0.5, alpha: float = 0.05,
                n_sims: int = 1000, seed: int = 1) -> pd.DataFrame:
    rows = [{"n": n, "odds_ratio": orr, "power": simulate_power(n, base_rate, orr, exposed_share, alpha, n_sims, seed)}
            for n in ns for orr in odds_ratios]
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
