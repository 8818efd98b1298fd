"""Whether a figure shows only numbers of the released table it is said to be drawn from.

``run.figure(fig, name, data=table)`` publishes a figure on real data because ``table`` came
from the release. A figure drawn from the raw rows (``sns.countplot(participants, ...)``) and
passed with a released table would carry raw counts in its bars and value labels. On data
that are not synthetic the figure is therefore read back before it is written: every bar's
value (matplotlib keeps it in ``BarContainer.datavalues``; seaborn's bar, count and histogram
plots draw through it) and every number in the axes' texts must be a number of ``table`` (or
its percentage, as rounded). The other marks are read too: the cells of a heatmap or image,
the share of each pie wedge (a ratio of the table's numbers), and the coordinates of every
line and point drawn on the data's scale (a value of the table, its exponent or logarithm: a
forest plot draws odds ratios of log-odds, or the position of a category on a categorical
axis), of vertical and horizontal line segments and hand-drawn rectangles; axis labels and
category tick labels carry only published numbers. Filled areas (``fill_between`` bands,
stacked areas, filled polygons) are read by their vertices' heights: a value of the table, a
running sum of its rows or columns (a stacked area's edges) or the zero baseline. Written by hand: no plotting or SDC
library checks a figure against its data.

What is read is an allow-list (:func:`unreadable_marks`, intruder round 21): a figure on real
data may hold only bars, rectangles, polygons, wedges, lines and points drawn in data
coordinates, filled areas, meshes and images, texts, and at most two reference lines
(``axhline``/``axvline``) per axes. Any other mark (a step patch of ``ax.stairs``, a rug's
segments half in axes coordinates, a patch or artist of another kind) refuses the figure, and
so do marks that stand for persons rather than for cells: a point on category positions on
both axes (a stripplot without jitter: one marker per person, their number a count) and a
mark drawn more than once at one position. A mark of a kind that is read but drawn off data
coordinates is refused too, whatever its transform (H41a: a ``Rectangle`` with
``transform=ax.transAxes`` or a blended transform, a polygon, filled area or mesh in axes
coordinates, an image placed by an extent of its own), and so is every patch, line, image or
artist drawn on the figure or a subfigure outside the axes. The one exception is the project's
withheld span (``presentation.plots._withheld_bars``): marked explicitly with the attribute
:data:`~analysis.presentation.plots.WITHHELD_SPAN`, and accepted only where it covers the whole
count axis (0 to 1 in the axes' fraction) over exactly a bar's place, so it holds no value.
"""

from __future__ import annotations

import bisect
import math
import re

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PathCollection, PolyCollection, QuadMesh
from matplotlib.container import BarContainer
from matplotlib.figure import FigureBase
from matplotlib.image import AxesImage
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.offsetbox import AnchoredText
from matplotlib.patches import Polygon, Rectangle, Wedge
from matplotlib.text import Text

from analysis.presentation.plots import WITHHELD_SPAN
from analysis.release import sentences
from analysis.stats import released

_NUMERIC = re.compile(r"[\s\d.,−+\-eE%]+")  # a tick label that is a number


def _bar_values(ax) -> list[float]:
    return [float(v) for c in ax.containers if isinstance(c, BarContainer)
            for v in getattr(c, "datavalues", []) if v is not None and math.isfinite(float(v))]


def foreign_numbers(fig, data, language: str, extra=frozenset(), said=frozenset(), words=frozenset(),
                    levels=sentences.NO_LEVELS, dates=None) -> list[str]:
    """The numbers ``fig`` shows in bars, points, areas, reference lines or texts that are
    not numbers of ``data`` (or of ``extra``: the run's threshold and parameters, which its
    legends may name; a reference line may also lie at a number already published, ``said``,
    or at 0 or 1). Texts beside
    the plot (titles, legends, the footer's n) may also name ``said``: numbers the run has
    already published; a level's name ("Triagepad 1", ``levels``) is not a number; a date
    that is not one of ``dates`` (ISO; the run's public dates) is read by its day, as in
    sentences."""
    known = sentences.numbers_of(data, texts=False) | set(extra)
    if _has_withheld(data):
        known.add(0.0)  # a withheld cell is drawn as an empty bar with its mark
    found = []
    scales = _scales(known)
    stacked = _scales(known | _running_sums(data) | {0.0})
    lines = _scales(known | set(said) | NO_EFFECT)  # where a reference line may lie
    for ax in _all_axes(fig):
        found += [f"bar {v:g}" for v in _bar_values(ax) if not sentences.published(v, 9, known)]
        found += [f"cell {v:g}" for v in _mesh_values(ax) if not sentences.published(v, 9, known)]
        found += [f"wedge {v:.4g}" for v in _wedge_shares(ax) if not _is_share(v, known, data)]
        for axis, v in _point_values(ax):
            if not (_close(v, scales) or v in _category_positions(ax, axis)):
                found.append(f"point {v:g}")
        found += [f"area {v:g}" for v in _area_heights(ax) if not _close(v, stacked)]
        found += [f"reference line at {v:g}" for v in _reference_positions(ax) if not _close(v, lines)]
        for text in ax.texts:
            found += [f"label {t}" for t in sentences.unpublished(text.get_text(), language, known, words, levels,
                                                                  dates)]
    around = known | set(said) | sentences.numbers_of(data) | released.label_digits(data)  # legends, ticks: categories
    for text in _texts_beside(fig):
        found += [f"text {t}" for t in sentences.unpublished(text, language, around, words, levels, dates)]
    return found


def _texts_beside(fig) -> list[str]:
    """Every text of the figure that is not a value label on an axes (those are read against
    the table): titles, axis labels, legends (of axes and of the figure), anchored text boxes,
    table cells, texts of inset axes, and tick labels, but not the numbers of an axis' own
    scale (numeric tick labels its locator chose; the offset text "1e6"). Numeric tick labels
    set by hand (``set_yticks([2, 8])``) are read like any text."""
    skip, out = set(), []
    for ax in _all_axes(fig):
        skip |= {id(t) for t in ax.texts}
        for axis in (ax.xaxis, ax.yaxis):
            skip |= {id(t) for t in axis.findobj(Text)}
            fixed = type(axis.get_major_locator()).__name__ == "FixedLocator"
            out += [t.get_text() for t in axis.get_ticklabels()
                    if t.get_text() and (fixed or not _NUMERIC.fullmatch(t.get_text()))]
            out.append(axis.get_label_text())
    out += [t.get_text() for t in fig.findobj(Text) if id(t) not in skip and t.get_visible()]
    out += [cell.get_text().get_text() for ax in _all_axes(fig) for table in ax.tables
            for cell in table.get_celld().values()]  # a table's cells hold their texts outside the artist tree
    return [t for t in out if t]


def _all_axes(fig) -> list:
    """The figure's axes and their inset axes."""
    return list(fig.findobj(Axes))


def _has_withheld(data) -> bool:
    frame = data.to_frame() if isinstance(data, pd.Series) else data
    return isinstance(frame, pd.DataFrame) and bool(frame.isna().to_numpy().any())


def _mesh_values(ax) -> list[float]:
    """The colour-coded values of ``ax``: heatmap and ``pcolor`` cells, hexbin counts,
    colours of points, images."""
    if getattr(ax, "_colorbar", None) is not None:
        return []  # a colour bar's gradient, not data
    arrays = [c.get_array() for c in ax.collections] + [i.get_array() for i in ax.images]  # colour-coded values
    values = [np.ma.filled(np.ma.asarray(a, dtype=float), np.nan).ravel() for a in arrays if a is not None]
    return [float(v) for a in values for v in a if math.isfinite(v)]


def _wedge_shares(ax) -> list[float]:
    return [(w.theta2 - w.theta1) / 360.0 for w in ax.patches if isinstance(w, Wedge)]


def _is_share(share: float, known: set[float], data) -> bool:
    """Whether a wedge's share is one number of the table over another (or over the sum of
    the table's cells, as a pie of a released series draws it)."""
    counts = sorted(k for k in known if k > 0)
    totals = set(counts) | _sums(data)
    return any(math.isclose(share, a / b, rel_tol=1e-6) for a in counts for b in totals if a <= b)


def _sums(data) -> set[float]:
    """The sums of the table's rows, columns and cells (a pie of one row or column)."""
    frame = data.to_frame() if isinstance(data, pd.Series) else data
    if not isinstance(frame, pd.DataFrame):
        return set()
    values = frame.apply(pd.to_numeric, errors="coerce")
    return {float(v) for v in (*values.sum(axis=0), *values.sum(axis=1), values.to_numpy(float).ravel().sum())
            if math.isfinite(v) and v > 0}


def _point_values(ax) -> list[tuple[str, float]]:
    """Every coordinate of the lines and points drawn on ``ax`` in data coordinates (not
    reference lines such as ``axhline``, which span the axes)."""
    out = []
    for line in ax.lines:
        if line.get_transform() != ax.transData:
            continue
        for axis, values in (("x", line.get_xdata()), ("y", line.get_ydata())):
            out += [(axis, float(v)) for v in np.asarray(values, dtype=object).ravel() if _finite(v)]
    for points in ax.collections:
        if isinstance(points, PathCollection) and points.get_offset_transform() == ax.transData:
            out += [(axis, float(v)) for xy in points.get_offsets() for axis, v in zip("xy", xy) if _finite(v)]
        if isinstance(points, LineCollection) and points.get_transform() == ax.transData:  # vlines, error bars
            out += [(axis, float(v)) for seg in points.get_segments() for xy in seg for axis, v in zip("xy", xy)
                    if _finite(v)]
    bars = {id(p) for c in ax.containers for p in getattr(c, "patches", ())}
    for box in ax.patches:  # rectangles drawn by hand (bars are read from their containers)
        if isinstance(box, Rectangle) and id(box) not in bars and box.get_data_transform() == ax.transData:
            out += [("x", float(box.get_x() + box.get_width())), ("y", float(box.get_y() + box.get_height()))]
    return out


def _area_heights(ax) -> list[float]:
    """The heights of every vertex of the filled areas drawn on ``ax`` in data coordinates."""
    vertices = [path.vertices for area in ax.collections if isinstance(area, PolyCollection)
                and area.get_transform() == ax.transData for path in area.get_paths()]
    vertices += [shape.get_xy() for shape in ax.patches if isinstance(shape, Polygon)
                 and shape.get_transform() == ax.transData]
    # areas whose values run along x (intruder round 21): fill_betweenx, and broken_barh's bars (both axes)
    across = [path.vertices for area in ax.collections if isinstance(area, PolyCollection)
              and area.get_transform() == ax.transData
              and (getattr(area, "t_direction", None) == "y"
                   or (type(area) is PolyCollection and area.get_array() is None))
              for path in area.get_paths()]
    return [float(xy[1]) for vs in vertices for xy in vs if _finite(xy[1])] + \
        [float(xy[0]) for vs in across for xy in vs if _finite(xy[0])]


def _running_sums(data) -> set[float]:
    """The running sums of the table's rows and columns: the edges of a stacked area."""
    frame = data.to_frame() if isinstance(data, pd.Series) else data
    if not isinstance(frame, pd.DataFrame):
        return set()
    values = frame.apply(pd.to_numeric, errors="coerce").fillna(0)
    return {float(v) for v in (*values.cumsum(axis=0).to_numpy().ravel(), *values.cumsum(axis=1).to_numpy().ravel())
            if math.isfinite(v)}


def _finite(v) -> bool:
    try:
        return math.isfinite(float(v))
    except (TypeError, ValueError):
        return False  # a date or a category: the axis' labels are texts, read elsewhere


def _scales(known: set[float]) -> list[float]:
    """The table's numbers, their exponents and logarithms (odds ratios drawn of log-odds)."""
    out = set(known)
    out |= {math.exp(k) for k in known if abs(k) < 700}
    out |= {math.log(k) for k in known if k > 0}
    out |= {math.log10(k) for k in known if k > 0}
    return sorted(out)


def _close(v: float, values: list[float]) -> bool:
    i = bisect.bisect_left(values, v)
    return any(math.isclose(v, values[j], rel_tol=1e-9, abs_tol=1e-12) for j in (i - 1, i) if 0 <= j < len(values))


def _category_positions(ax, axis: str) -> set[float]:
    """Positions of a categorical axis: ticks whose labels are texts, not numbers."""
    ticks = ax.get_xticks() if axis == "x" else ax.get_yticks()
    labels = ax.get_xticklabels() if axis == "x" else ax.get_yticklabels()
    return {float(t) for t, lab in zip(ticks, labels) if lab.get_text() and not _NUMERIC.fullmatch(lab.get_text())}


REFERENCE_LINES = 2  # per axes: a chosen value (no effect, a cut-off month); more are a rug of lines
_PATCHES = (Rectangle, Polygon, Wedge)  # exactly these types: their subclasses draw what is not read
_READ_COLLECTIONS = (PathCollection, LineCollection, PolyCollection, QuadMesh)


def unreadable_marks(fig) -> list[str]:
    """The marks of ``fig`` the read-back cannot account for, each named by its kind: an
    artist of a kind the check does not read, a mark not drawn in data coordinates, more than
    :data:`REFERENCE_LINES` reference lines on one axes, points on category positions on both
    axes (one marker per person: their number is a count) and a mark drawn more than once at
    one position. Empty for a figure drawn from a released table with bars, lines, points,
    areas, meshes and texts."""
    out = []
    for ax in _all_axes(fig):
        out += [f"{type(p).__name__} (a patch of a kind the check does not read)" for p in ax.patches
                if type(p) not in _PATCHES]
        out += [f"{type(a).__name__} (an artist the check does not read)" for a in ax.artists
                if not isinstance(a, AnchoredText)]
        out += [f"{type(c).__name__} (a collection of a kind the check does not read)" for c in ax.collections
                if not isinstance(c, _READ_COLLECTIONS)]
        out += [f"{type(i).__name__} (an image of a kind the check does not read)" for i in ax.images
                if type(i) is not AxesImage]
        out += _marks_off_data(ax) + _marks_per_person(ax) + _shapes_off_data(ax)
    return out + _figure_level_marks(fig)


def _shapes_off_data(ax) -> list[str]:
    """Patches, filled collections, meshes and images the read-back does not read because
    they are not drawn in data coordinates, or images placed by an extent of their own: a
    ``Rectangle`` with ``transform=ax.transAxes`` or a blended transform draws a count as its
    length as well as one in data coordinates does (H41a). The project's withheld span
    (:func:`_empty_span`) is the one patch off data coordinates that is accepted."""
    out = [f"{type(p).__name__} not in data coordinates (a patch the check cannot read)" for p in ax.patches
           if type(p) in _PATCHES and p.get_data_transform() != ax.transData and not _empty_span(p, ax)]
    out += [f"{type(c).__name__} not in data coordinates (an area or mesh the check cannot read)"
            for c in ax.collections if isinstance(c, PolyCollection | QuadMesh)
            and c.get_transform() != ax.transData and len(c.get_paths())]
    for image in (i for i in ax.images if type(i) is AxesImage):  # other kinds are refused by their kind
        rows, cols = np.shape(image.get_array())[:2] if image.get_array() is not None else (0, 0)
        own = image.get_extent() if image.get_transform() == ax.transData else None
        if own is None or (sorted(own[:2]), sorted(own[2:])) != ([-0.5, cols - 0.5], [-0.5, rows - 0.5]):
            out.append(f"{type(image).__name__} placed by an extent or transform of its own (its place is not read)")
    return out


def _empty_span(patch, ax) -> bool:
    """The project's withheld span (:data:`analysis.presentation.plots.WITHHELD_SPAN`): a
    rectangle marked as such that covers the whole count axis (0 to 1 in the axes' fraction)
    over exactly the place of a bar of the axes (a withheld bar, drawn empty): it holds no
    value. Marked explicitly, and its geometry checked, so no other rectangle passes."""
    if not isinstance(patch, Rectangle) or getattr(patch, WITHHELD_SPAN, None) is not True:
        return False
    x, y, w, h = patch.get_x(), patch.get_y(), patch.get_width(), patch.get_height()
    bars = [b for c in ax.containers if isinstance(c, BarContainer) for b in c.patches]
    if patch.get_data_transform() == ax.get_xaxis_transform():  # vertical: x in data, y the axes' fraction
        return (y, h) == (0, 1) and any(math.isclose(x, b.get_x()) and math.isclose(w, b.get_width()) for b in bars)
    if patch.get_data_transform() == ax.get_yaxis_transform():  # horizontal
        return (x, w) == (0, 1) and any(math.isclose(y, b.get_y()) and math.isclose(h, b.get_height()) for b in bars)
    return False


def _figure_level_marks(fig) -> list[str]:
    """Marks drawn on the figure (or a subfigure) outside every axes: patches, lines, images
    and artists in figure coordinates are read by nothing (their texts and legends are)."""
    out = []
    for level in fig.findobj(FigureBase):
        out += [f"{type(a).__name__} drawn on the figure outside the axes (not read)"
                for a in [*level.patches, *level.lines, *level.images, *level.artists]
                if not isinstance(a, AnchoredText | Legend)]
    return out


NO_EFFECT = frozenset({0.0, 1.0})  # a reference line's usual places: no difference, an odds ratio of 1


def _reference_positions(ax) -> list[float]:
    """Where the reference lines of ``ax`` lie, in data coordinates along their axis: an
    ``axhline`` at a withheld count would draw it (H41a left them unread)."""
    out = []
    for line in ax.lines:
        if _reference_line(line, ax):
            along = line.get_ydata() if line.get_transform() == ax.get_yaxis_transform() else line.get_xdata()
            out += [float(v) for v in np.asarray(along, dtype=object).ravel()[:1] if _finite(v)]
    return out


def _reference_line(line, ax) -> bool:
    """An ``axhline``/``axvline``: two points spanning the axes in axes coordinates."""
    if line.get_transform() == ax.get_yaxis_transform():
        return list(np.asarray(line.get_xdata(), dtype=float)) == [0.0, 1.0]
    if line.get_transform() == ax.get_xaxis_transform():
        return list(np.asarray(line.get_ydata(), dtype=float)) == [0.0, 1.0]
    return False


def _marks_off_data(ax) -> list[str]:
    """Lines, points and segments not drawn in data coordinates (which the read-back skips):
    a rug (segments with x in data and y in axes coordinates), points placed in axes
    coordinates; reference lines beyond :data:`REFERENCE_LINES`."""
    out, references = [], 0
    for line in ax.lines:
        if line.get_transform() == ax.transData:
            continue
        if _reference_line(line, ax):
            references += 1
        else:
            out.append("Line2D not in data coordinates (a line or markers the check cannot read)")
    if references > REFERENCE_LINES:
        out.append(f"{references} reference lines (axhline/axvline; at most {REFERENCE_LINES}: more are a rug)")
    for c in ax.collections:
        if isinstance(c, PathCollection) and c.get_offset_transform() != ax.transData and len(c.get_offsets()):
            out.append("PathCollection not in data coordinates (markers the check cannot read)")
        elif isinstance(c, LineCollection) and c.get_transform() != ax.transData and c.get_segments():
            out.append("LineCollection not in data coordinates (segments of a rug: one per person)")
        elif isinstance(c, PathCollection) and len(set(np.asarray(c.get_sizes(), dtype=float).ravel())) > 1:
            out.append("PathCollection of markers of different sizes (their sizes are not read)")
    return out


def _marks_per_person(ax) -> list[str]:
    """Points that stand for persons, not cells: a point whose coordinates are both category
    positions (its only information is that someone is there: a stripplot without jitter
    draws one per person), and a point or segment drawn more than once at one position in one
    artist (the number drawn is a count the check cannot read)."""
    out = []
    xs, ys = _category_positions(ax, "x"), _category_positions(ax, "y")
    for kind, points in _marked_points(ax):
        finite = [(float(x), float(y)) for x, y in points if _finite(x) and _finite(y)]
        if any(x in xs and y in ys for x, y in finite):
            out.append(f"{kind} on category positions of both axes (one marker per person: draw the counts)")
        if len(set(finite)) < len(finite):
            out.append(f"{kind} drawn more than once at one position (the number of marks is a count)")
    for c in ax.collections:
        if isinstance(c, LineCollection):
            segments = [tuple(map(tuple, np.asarray(seg, dtype=float).tolist())) for seg in c.get_segments()]
            if len(set(segments)) < len(segments):
                out.append("LineCollection with a segment drawn more than once (the number of marks is a count)")
    return out


def _marked_points(ax) -> list[tuple[str, list]]:
    """The points of each marker artist in data coordinates: scatter offsets, and lines'
    vertices where they draw markers (a line's vertices are read as values elsewhere)."""
    out = [("PathCollection", list(c.get_offsets())) for c in ax.collections
           if isinstance(c, PathCollection) and c.get_offset_transform() == ax.transData]
    out += [("Line2D markers", list(line.get_xydata()))  # converted: a category's position, a date's number
            for line in ax.lines if isinstance(line, Line2D) and line.get_transform() == ax.transData
            and line.get_marker() not in (None, "None", "none", "", " ")]
    return out
