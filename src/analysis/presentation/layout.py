"""Checks of a drawn figure's layout: nothing clipped, nothing overlapping.

:func:`problems` renders the figure and compares the window extents of its texts, legend,
bars and axes: every text lies inside the canvas; the header and footer texts (title,
SYNTHETISCHE GEGEVENS mark, source line) meet neither each other, nor the legend, nor any axes
with its tick labels; the legend meets no bar and no value label; value labels and tick
labels do not overlap among themselves. ``ReportOutputs.figure`` runs it on every figure
it publishes, and ``tests/test_figures.py`` on every figure the report's notebooks draw.
"""

from __future__ import annotations

from itertools import combinations

TOLERANCE = 0.5  # pixels


def _overlap(a, b) -> bool:
    return (min(a.x1, b.x1) - max(a.x0, b.x0) > TOLERANCE) and (min(a.y1, b.y1) - max(a.y0, b.y0) > TOLERANCE)


def _shown_ticks(labels, limits, coord: int):
    lo, hi = sorted(limits)
    span = (hi - lo) * 1e-9
    return [t for t in labels if t.get_visible() and t.get_text() and lo - span <= t.get_position()[coord] <= hi + span]


def _texts(ax):
    """Tick labels that are drawn (inside the view limits), axis labels, texts in the axes."""
    ticks = _shown_ticks(ax.get_xticklabels(), ax.get_xlim(), 0) + _shown_ticks(ax.get_yticklabels(), ax.get_ylim(), 1)
    labels = [t for t in (ax.xaxis.label, ax.yaxis.label) if t.get_text()]
    return ticks, labels, [t for t in ax.texts if t.get_visible() and t.get_text()]


def _name(artist) -> str:
    text = getattr(artist, "get_text", lambda: "")()
    return f"{type(artist).__name__} {text[:40]!r}" if text else type(artist).__name__


def problems(fig) -> list[str]:
    """What is wrong with ``fig``'s layout, as sentences (empty: nothing)."""
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    canvas = fig.bbox
    found = []
    frame = [t for t in fig.texts if t.get_text()]
    everything = list(frame)
    boxes = []  # (name, bbox) of the blocks that must not meet: frame texts, legends, axes
    for t in frame:
        boxes.append((_name(t), t.get_window_extent(r)))
    for ax in fig.axes:
        ticks, labels, values = _texts(ax)
        everything += ticks + labels + values
        boxes.append((f"axes {ax.get_label() or ''}".strip(), ax.get_tightbbox(r, bbox_extra_artists=[])))
        legend = ax.get_legend()
        if legend is not None:
            lb = legend.get_window_extent(r)
            boxes.append(("legend", lb))
            everything += [t for t in legend.get_texts() if t.get_text()]
            for patch in ax.patches:
                if patch.get_width() and patch.get_height() and _overlap(lb, patch.get_window_extent(r)):
                    found.append("legend overlaps a bar")
            found += [f"legend overlaps value label {_name(t)}" for t in values if _overlap(lb, t.get_window_extent(r))]
        for group, what in ((values, "value labels"), (ticks, "tick labels")):
            for a, b in combinations(group, 2):
                if _overlap(a.get_window_extent(r), b.get_window_extent(r)):
                    found.append(f"{what} overlap: {_name(a)} and {_name(b)}")
    for t in everything:
        e = t.get_window_extent(r)
        if e.x0 < canvas.x0 - TOLERANCE or e.y0 < canvas.y0 - TOLERANCE or e.x1 > canvas.x1 + TOLERANCE \
                or e.y1 > canvas.y1 + TOLERANCE:
            found.append(f"{_name(t)} is clipped by the canvas edge")
    for (na, a), (nb, b) in combinations(boxes, 2):
        if na.startswith("axes") and nb == "legend" or na == "legend" and nb.startswith("axes"):
            continue  # a legend outside the axes may share the axes' tight box only through its own artists
        if _overlap(a, b):
            found.append(f"{na} overlaps {nb}")
    return found
