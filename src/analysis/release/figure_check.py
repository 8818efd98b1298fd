"""Whether a figure shows only numbers of the released table it is said to be drawn from.

``run.figure(fig, name, data=table)`` publishes a figure on real data because ``table`` came
from the release. A figure drawn from the raw rows (``sns.countplot(participants, ...)``) and
passed with a released table would carry raw counts in its bars and value labels. On data
that are not synthetic the figure is therefore read back before it is written: every bar's
value (matplotlib keeps it in ``BarContainer.datavalues``; seaborn's bar, count and histogram
plots draw through it) and every number in the axes' texts must be a number of ``table`` (or
its percentage, as rounded). Lines and points are not read (a model's forest plot draws
estimates and intervals that its table holds in another scale); the module says so rather
than pretend. Written by hand: no plotting or SDC library checks a figure against its data.
"""

from __future__ import annotations

import math

from analysis.release import sentences


def _bar_values(ax) -> list[float]:
    from matplotlib.container import BarContainer

    return [float(v) for c in ax.containers if isinstance(c, BarContainer)
            for v in getattr(c, "datavalues", []) if v is not None and math.isfinite(float(v))]


def foreign_numbers(fig, data, language: str, extra=frozenset(), said=frozenset()) -> list[str]:
    """The numbers ``fig`` shows in bars or texts that are not numbers of ``data`` (or of
    ``extra``: the run's threshold and parameters, which its legends may name). Texts beside
    the plot (titles, legends, the footer's n) may also name ``said``: numbers the run has
    already published."""
    known = sentences.numbers_of(data, texts=False) | set(extra)
    if _has_withheld(data):
        known.add(0.0)  # a withheld cell is drawn as an empty bar with its mark
    found = []
    for ax in fig.axes:
        found += [f"bar {v:g}" for v in _bar_values(ax) if not sentences.published(v, 9, known)]
        for text in ax.texts:
            found += [f"label {t}" for t in sentences.unpublished(text.get_text(), language, known)]
    around = known | set(said) | sentences.numbers_of(data)  # legends name the table's categories
    for text in _texts_beside(fig):
        found += [f"text {t}" for t in sentences.unpublished(text, language, around)]
    return found


def _texts_beside(fig) -> list[str]:
    """The figure's texts that are not on its axes' scales: titles, legends, figure texts."""
    out = [t.get_text() for t in fig.texts]
    if getattr(fig, "_suptitle", None) is not None:
        out.append(fig._suptitle.get_text())
    for ax in fig.axes:
        out += [ax.get_title(loc) for loc in ("left", "center", "right")]
        legend = ax.get_legend()
        if legend is not None:
            out += [t.get_text() for t in legend.get_texts()]
    return [t for t in out if t]


def _has_withheld(data) -> bool:
    import pandas as pd

    frame = data.to_frame() if isinstance(data, pd.Series) else data
    return isinstance(frame, pd.DataFrame) and bool(frame.isna().to_numpy().any())
