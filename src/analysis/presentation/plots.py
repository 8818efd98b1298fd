"""Figures drawn from (protected) count tables: data in, matplotlib Figure out.

Suppressed cells (``<NA>``) are drawn as empty bars marked ``x``, so a figure never shows
more than the table it comes from. Figures of large files plot the aggregated table, never
individual records.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from analysis.presentation.labels import label, labels
from analysis.stats.disclosure import SUPPRESSED

PALETTE = ["#1f4e79", "#2e75b6", "#9dc3e6", "#c55a11", "#f4b183", "#548235", "#a9d18e"]


def _watermark(ax, text: str | None) -> None:
    if text:
        ax.text(0.99, 0.99, text, transform=ax.transAxes, ha="right", va="top", fontsize=8,
                color="#b00000", fontweight="bold")


def bar_counts(counts: pd.Series, title: str, lang: str = "nl", watermark: str | None = None,
               xlabel: str | None = None, horizontal: bool = True) -> plt.Figure:
    """One bar per category; ``<NA>`` (suppressed) bars are marked with ``x``."""
    names = labels(counts.index, lang)
    values = pd.to_numeric(counts, errors="coerce").astype(float).to_numpy()
    fig, ax = plt.subplots(figsize=(7, 0.45 * len(names) + 1.5))
    pos = np.arange(len(names))
    shown = np.nan_to_num(values, nan=0.0)
    if horizontal:
        ax.barh(pos, shown, color=PALETTE[0])
        ax.set_yticks(pos, names)
        ax.invert_yaxis()
        ax.set_xlabel(xlabel or label("aantal", lang))
    else:
        ax.bar(pos, shown, color=PALETTE[0])
        ax.set_xticks(pos, names, rotation=30, ha="right")
        ax.set_ylabel(xlabel or label("aantal", lang))
    for p, v in zip(pos, values):
        text = SUPPRESSED if np.isnan(v) else f"{v:g}"
        xy = (0 if np.isnan(v) else v, p) if horizontal else (p, 0 if np.isnan(v) else v)
        ax.annotate(text, xy, xytext=(3, 0) if horizontal else (0, 3), textcoords="offset points",
                    va="center" if horizontal else "bottom", ha="left" if horizontal else "center", fontsize=9)
    ax.set_title(title, fontsize=11, loc="left")
    ax.spines[["top", "right"]].set_visible(False)
    _watermark(ax, watermark)
    fig.tight_layout()
    return fig


def grouped_counts(table: pd.DataFrame, title: str, lang: str = "nl", watermark: str | None = None,
                   rotate: int = 0) -> plt.Figure:
    """Grouped bars: one group per row of ``table``, one bar per column (``rotate`` turns
    the category labels, for long or many categories)."""
    values = table.apply(pd.to_numeric, errors="coerce").astype(float)
    fig, ax = plt.subplots(figsize=(7.5, 4))
    n_rows, n_cols = values.shape
    width = 0.8 / n_cols
    pos = np.arange(n_rows)
    for j, col in enumerate(values.columns):
        v = values[col].to_numpy()
        x = pos + (j - (n_cols - 1) / 2) * width
        ax.bar(x, np.nan_to_num(v), width, label=label(col, lang), color=PALETTE[j % len(PALETTE)])
        for xi, vi in zip(x, v):
            if np.isnan(vi):
                ax.annotate(SUPPRESSED, (xi, 0), xytext=(0, 2), textcoords="offset points", ha="center", fontsize=8)
    ax.set_xticks(pos, labels(values.index, lang), rotation=rotate, ha="right" if rotate else "center")
    ax.set_ylabel(label("aantal", lang))
    ax.legend(title=label(table.columns.name, lang) if table.columns.name else None, frameon=False, fontsize=8)
    ax.set_title(title, fontsize=11, loc="left")
    ax.spines[["top", "right"]].set_visible(False)
    _watermark(ax, watermark)
    fig.tight_layout()
    return fig
