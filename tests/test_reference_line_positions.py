"""Issue 23: where a reference line lies is read (left by H41a). An ``axhline`` or ``axvline``
spans the axes, so the read-back of points skipped it, and a line drawn at a withheld count
(``ax.axhline(3)`` beside a bar withheld as x) published that count on real data. A line may
lie at a number of the table, at a number the run already published, or at 0 or 1 (no
difference, an odds ratio of one); elsewhere the figure is refused."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from analysis.release import figure_check  # noqa: E402

TABLE = pd.Series([40, pd.NA, 25], index=["a", "b", "c"], dtype="Int64", name="aantal")  # "b" withheld (3)


def _bars_with(line: str, at: float):
    fig, ax = plt.subplots()
    ax.bar([0, 1, 2], [40, 0, 25])
    getattr(ax, line)(at, color="grey")
    return fig


@pytest.mark.parametrize("line", ["axhline", "axvline"])
def test_a_line_at_a_withheld_count_is_refused(line):
    fig = _bars_with(line, 3)
    try:
        assert any("reference line at 3" in f for f in figure_check.foreign_numbers(fig, TABLE, "nl"))
    finally:
        plt.close(fig)


@pytest.mark.parametrize("at, said", [(40, ()), (25, ()), (0, ()), (1, ()), (6, (6.0,))])
def test_a_line_at_a_shown_or_said_number_or_at_no_effect_passes(at, said):
    fig = _bars_with("axhline", at)
    try:
        assert not [f for f in figure_check.foreign_numbers(fig, TABLE, "nl", said=said) if "reference" in f]
    finally:
        plt.close(fig)
