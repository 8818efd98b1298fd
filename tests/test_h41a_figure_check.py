"""Issue 23: the figure check reads or refuses every mark, in any transform (H41a).

The read-back read rectangles and polygons only when drawn in data coordinates and silently
skipped every other one: an evaluator's figure could draw a count as a ``Rectangle`` with
``transform=ax.transAxes`` or a blended transform, as a filled area or mesh off data
coordinates, as an image placed by its extent, or as a patch on the figure outside every axes,
and the figure was published on real data. Each such figure is now refused by
``unreadable_marks``; the project's own withheld span (``plots._withheld_bars``, marked by the
attribute ``WITHHELD_SPAN``, which is not written into the files, and covering the count axis
over a withheld bar's place) is accepted, and the same rectangle unmarked, shortened or moved
is refused (the controls)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.collections import PolyCollection  # noqa: E402
from matplotlib.patches import Polygon, Rectangle  # noqa: E402
from matplotlib.transforms import blended_transform_factory  # noqa: E402

from analysis.presentation import plots  # noqa: E402
from analysis.release import figure_check  # noqa: E402

TABLE = pd.Series([40, pd.NA, 25], index=["a", "b", "c"], dtype="Int64", name="aantal")  # "b" withheld (3)


def _bars():
    fig, ax = plt.subplots()
    ax.bar([0, 1, 2], [40, 0, 25])
    return fig, ax


def _axes_rectangle(fig, ax):
    ax.add_patch(Rectangle((0.2, 0), 0.1, 0.03, transform=ax.transAxes))  # 3 of a 0-100 axis


def _blended_rectangle(fig, ax):
    ax.add_patch(Rectangle((1 - 0.4, 0), 0.8, 3, transform=blended_transform_factory(ax.transAxes, ax.transData)))


def _axes_polygon(fig, ax):
    ax.add_patch(Polygon([(0, 0), (0.03, 0), (0.03, 1)], transform=ax.transAxes))


def _axes_area(fig, ax):
    ax.add_collection(PolyCollection([[(0, 0), (1, 0), (1, 0.03)]], transform=ax.transAxes))


def _placed_image(fig, ax):
    ax.imshow(np.array([[40.0]]), extent=(0, 3, 0, 1))  # its value is the table's, its width a count


def _figure_patch(fig, ax):
    fig.add_artist(Rectangle((0.1, 0.1), 0.03, 0.2, transform=fig.transFigure))


def _figure_line(fig, ax):
    fig.add_artist(plt.Line2D([0.1, 0.13], [0.5, 0.5], transform=fig.transFigure))


def _subfigure_patch(fig, ax):
    fig.subfigures(1, 1).add_artist(Rectangle((0.1, 0.1), 0.03, 0.2))


@pytest.mark.parametrize("draw", [_axes_rectangle, _blended_rectangle, _axes_polygon, _axes_area, _placed_image,
                                  _figure_patch, _figure_line, _subfigure_patch])
def test_a_mark_off_data_coordinates_is_refused(draw):
    fig, ax = _bars()
    assert figure_check.unreadable_marks(fig) == []  # the bars alone are read
    draw(fig, ax)
    assert figure_check.unreadable_marks(fig), draw.__name__
    plt.close(fig)


@pytest.mark.parametrize("horizontal", [True, False])
def test_the_projects_withheld_span_is_accepted(horizontal):
    fig = plots.bar_counts(TABLE, "Figuur", horizontal=horizontal, threshold=10)
    spans = [p for ax in fig.axes for p in ax.patches if getattr(p, plots.WITHHELD_SPAN, False)]
    assert len(spans) == 1 and spans[0].get_data_transform() != fig.axes[0].transData
    assert figure_check.unreadable_marks(fig) == []
    assert figure_check.foreign_numbers(fig, TABLE, "nl", extra={10.0}) == []  # the legend names the threshold
    plt.close(fig)


def test_the_withheld_span_of_grouped_bars_is_accepted():
    table = pd.DataFrame({"m": [40, pd.NA], "v": [25, 30]}, index=["a", "b"], dtype="Int64")
    fig = plots.grouped_counts(table, "Figuur", threshold=10)
    assert figure_check.unreadable_marks(fig) == []
    plt.close(fig)


@pytest.mark.parametrize("change", ["unmarked", "short", "moved", "horizontal transform"])
def test_control_a_span_that_is_not_the_projects_is_refused(change):
    fig = plots.bar_counts(TABLE, "Figuur", horizontal=False, threshold=10)
    ax = fig.axes[0]
    span = next(p for p in ax.patches if getattr(p, plots.WITHHELD_SPAN, False))
    if change == "unmarked":
        delattr(span, plots.WITHHELD_SPAN)
    elif change == "short":
        span.set_height(0.03)
    elif change == "moved":
        span.set_x(span.get_x() + 0.5)
    else:
        span.set_transform(ax.get_yaxis_transform())
    assert figure_check.unreadable_marks(fig), change
    plt.close(fig)
