"""Figures drawn from (protected) count tables: data in, matplotlib Figure out.

Every figure has the same frame (:func:`finish`): the SYNTHETISCHE GEGEVENS mark (when the data
are synthetic) on a line of its own above the plot, and a footer with the source and n. The
title is not drawn in the image: as in the reports, it is the caption above the figure (the
page's numbered heading, the landing page's list), so a page never shows it twice; it stays
the figure's label and the start of its alt text. The layout is computed, not guessed: the header and footer
are measured with the renderer, the figure grows to hold them, and ``tight_layout`` fits
the axes, tick labels and legend (placed outside the axes) into the space between. So no
text is clipped and the mark, legend and bars cannot meet (``tests/test_figures.py``
checks the rendered extents of every published figure).

The bars are drawn by seaborn (``barplot``) inside that frame; the frame, the palette, the
hatches and the annotations are the project's. Suppressed cells (``<NA>``) are drawn as
unknown, never as zero: a pale hatched bar with a dashed outline over the whole count axis,
marked ``x`` and explained in the legend, so a figure never shows more than the table it
comes from, nor a withheld count as the smallest. Count axes have integer ticks; numbers and months are written as the
figure's language writes them. Figures of large files plot the aggregated table, never
individual records.
"""

from __future__ import annotations

import re
import textwrap
from itertools import combinations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.colors import to_rgb
from matplotlib.patches import Patch, Rectangle
from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator, NullFormatter, ScalarFormatter
from matplotlib.transforms import blended_transform_factory

from analysis.presentation import formats
from analysis.presentation.labels import label
from analysis.stats.disclosure import SUPPRESSED

# Colours safe for the common colour-vision deficiencies (Okabe-Ito's vermillion, sky blue,
# green and pink with a dark blue and a dark brown), chosen so that the first four also differ in
# greyscale (contrast ratio at least 1.67 between any two) and none vanishes on the white page
# (contrast at least 2.3 against white; Okabe-Ito's yellow, 1.32, did in line figures); bars
# get a dark edge and, from the fifth series on, a hatch (their greys are close to others').
# The first four get lighter in order (navy, brown, vermillion, sky: relative luminance 0.03, 0.09,
# 0.22, 0.41), so ordered series such as Figuur 7's age groups keep their order in greyscale (the fifth
# page reviewer: "t/m 35" and "56+" printed as the same grey). Brown, not the purple of before: navy
# and purple were hard to tell apart in colour (review 9; CIELAB distance 31, now at least 37 between
# any two colours of the palette).
PALETTE = ["#08306b", "#7b4a12", "#d55e00", "#56b4e9", "#009e73", "#cc79a7", "#999999"]
HATCHES = ["", "", "", "", "//", "..", "xx"]
EDGE = "#333333"
MARKERS = ["o", "s", "^", "D", "v", "P", "X"]
LINESTYLES = ["-", "--", "-.", ":", (0, (5, 1)), (0, (3, 1, 1, 1, 1, 1)), (0, (1, 2))]


def series_style(j: int) -> dict:
    """Colour, marker and line style of the ``j``-th series of a line or point figure: no two
    of the first seven share any of the three, so they stay apart in greyscale and for
    readers who do not see colour (for the model and power figures)."""
    k = j % len(PALETTE)
    return {"color": PALETTE[k], "marker": MARKERS[k], "linestyle": LINESTYLES[k]}
MARK_COLOR = "#b00000"
# inches: a figure scaled whole to a phone's width (about 355 CSS px at 390) keeps its smallest text (SMALL, 9 pt)
# at 8 px (review 12: at 7.5 inches and 8 pt it was 5 px; 9 / 72 * 355 / 5.5 = 8.1)
WIDTH = 5.5
WIDE, WIDE_SMALL = 7.5, 8  # the frame of figures drawn wider elsewhere (see finish)
PAD = 0.12  # inches between the canvas edge and any text
TITLE_SIZE, SMALL = 11, 9
_MONTH = re.compile(r"^\d{4}-\d{2}$")


def series_colours(n: int) -> list[str]:
    """The colours of ``n`` bar series: two or three take the darkest and lightest of the palette's
    first four (and one between), so that they stay apart in greyscale (review 12: Figuur 2.1's two
    rounds in navy and brown, a luminance contrast of 1.75, printed as one dark grey; navy and sky
    blue: 5.75); four and more take the palette in order (lighter in order: ordered series keep
    their order in grey)."""
    picks = {1: [0], 2: [0, 3], 3: [0, 2, 3]}.get(n, list(range(n)))
    return [PALETTE[j % len(PALETTE)] for j in picks]


def relative_luminance(color) -> float:
    """WCAG 2's relative luminance of ``color`` (0 black, 1 white)."""
    channels = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in to_rgb(color)]
    return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]


def header_case(code: object, text: str) -> str:
    """A legend entry as the table prints its column header (``styling``): a label that starts
    with a small letter gets a capital (review 12: "t/m 35 jaar" in the legend, "T/m 35 jaar" in
    the table); a code shown as written stays as it is."""
    if text != str(code) and text[:1].islower() and text[1:2] not in ("-", " "):
        return text[:1].upper() + text[1:]
    return text


def category_names(codes, lang: str) -> list[str]:
    """Labels for category codes; ``2016-10`` becomes ``okt 2016`` / ``Oct 2016``."""
    return [formats.month(c, lang) if _MONTH.match(str(c)) else label(c, lang) for c in codes]


def _count_axis(axis, lang: str, top: float = 0.0) -> None:
    """Whole numbers in the page's format; wide labels (1.000 and up) get at most five ticks
    on a horizontal axis, so that they do not overlap (found by ``make bench`` at 1,000,000)."""
    wide = bool(np.isfinite(top)) and len(formats.number(top, lang, 0)) >= 5  # 1.000 and up
    across = axis.axis_name == "x"  # a horizontal axis of the narrow frame: at most six labels (DWSRA Figuur 3.1's 27)
    axis.set_major_locator(MaxNLocator(nbins=5 if wide else 6 if across else 10, integer=True))
    axis.set_major_formatter(FuncFormatter(lambda v, _: formats.number(v, lang, 0)))


# a withheld count is unknown, not zero (review 12: Figuur 11's largest service, withheld, was an "x" at zero and
# read as the smallest): a pale hatched bar with a dashed outline over the whole count axis, "x" in its middle
WITHHELD = {"facecolor": "#f4f4f4", "edgecolor": "#808080", "hatch": "////", "linestyle": "--", "linewidth": 0.6}
WITHHELD_SPAN = "withheld_span"  # an attribute set on the span: it holds no value (the release's figure check)


def _suppression_handle(k: int | None, lang: str, wrap: int = 26) -> Patch:
    text = "\n".join(textwrap.wrap(label("onderdrukt", lang).format(k=k if k else "?"), wrap))
    return Patch(**WITHHELD, label=text)


def _withheld_bars(ax, centres, width: float, horizontal: bool) -> None:
    """Withheld counts at ``centres`` drawn as unknown (:data:`WITHHELD`) over the whole count
    axis, ``x`` in the middle of each. Drawn in the axes' fraction along the count axis (0 to 1,
    the count axis starting at 0), not in counts: the span holds no value, and the release's
    figure check reads a bar or rectangle in data coordinates as a number of the table."""
    if not len(centres):
        return
    along = blended_transform_factory(ax.transAxes, ax.transData) if horizontal else \
        blended_transform_factory(ax.transData, ax.transAxes)
    for c in centres:
        span = ax.add_patch(Rectangle((0, c - width / 2), 1, width, transform=along, zorder=0.5, **WITHHELD)
                            if horizontal else Rectangle((c - width / 2, 0), width, 1, transform=along, zorder=0.5,
                                                         **WITHHELD))
        setattr(span, WITHHELD_SPAN, True)  # marked, not written into the figure's files
        ax.annotate(SUPPRESSED, (0.5, c) if horizontal else (c, 0.5), xycoords=along, ha="center", va="center",
                    fontsize=9, fontweight="bold",
                    bbox={"boxstyle": "square,pad=0.15", "facecolor": "white", "edgecolor": "none"})


def _fit_text(fig, renderer, text: str, width_in: float, **kw):
    """A figure text wrapped so that it is at most ``width_in`` inches wide."""
    chars = max(20, int(width_in * 72 / (kw.get("fontsize", SMALL) * 0.5)))
    artist = fig.text(0, 0, text, **kw)
    while chars > 10:
        artist.set_text("\n".join(textwrap.wrap(text, chars)) if text else "")
        if artist.get_window_extent(renderer).width / fig.dpi <= width_in:
            break
        chars -= 4
    return artist


def _plain_log(v: float, lang: str) -> str:
    """A tick of a log axis as a plain number (``0,1``, ``1``, ``10``, ``1.000``), never ``10^1``."""
    return formats.number(v, lang, formats.decimals_needed(pd.Series([v]), 4))


def _localise_axes(fig, lang: str) -> None:
    """Plain numeric axes (matplotlib's default formatter) in the language's number format,
    with as many decimals as the ticks need; log axes labelled in plain numbers at 1, 2 and 5
    times the powers of ten; other formatters (counts) are kept."""
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            if axis.get_scale() == "log":
                lo, hi = sorted(abs(x) for x in (ax.get_xlim() if axis is ax.xaxis else ax.get_ylim()))
                decades = np.log10(hi / max(lo, 1e-12))
                subs = (1.0, 2.0, 5.0) if decades < 3 else (1.0,)
                step = max(1, int(np.ceil(decades / 6)))  # at most about six labelled powers of ten
                axis.set_major_locator(LogLocator(base=10.0 ** step, subs=subs))
                axis.set_major_formatter(FuncFormatter(lambda v, _: _plain_log(v, lang)))
                axis.set_minor_formatter(NullFormatter())
                continue
            if type(axis.get_major_formatter()) is ScalarFormatter:
                d = formats.decimals_needed(pd.Series(axis.get_ticklocs()), 3)
                axis.set_major_formatter(FuncFormatter(lambda v, _, d=d: formats.number(v, lang, d)))


LEGEND_MARKER = 7  # points: the largest symbol in a legend of lines (review 12: N = 30's ring over the title)


def _house_series(ax, small: int = SMALL) -> None:
    """Lines drawn elsewhere (the power figure) in the house styles: each labelled series its
    own colour, marker and line style (:func:`series_style`), so lines that lie on top of each
    other stay visible and none relies on colour; the legend is redrawn to match."""
    lines = [line for line in ax.get_lines() if not line.get_label().startswith("_")]
    if len(lines) < 2:
        return
    for j, line in enumerate(lines):  # hollow symbols white, or see-through where drawn so (the power figure's)
        hollow = "none" if str(line.get_markerfacecolor()) == "none" else "white"
        line.set(**series_style(j), markerfacecolor=hollow if j % 2 else series_style(j)["color"])
    legend = ax.get_legend()
    if legend is not None:  # redrawn where it was (a legend placed outside the axes stays there)
        title = legend.get_title().get_text() or None
        anchor = legend._bbox_to_anchor  # in axes coordinates, as it was given (None: the axes)
        ax.legend(handles=lines, labels=[line.get_label() for line in lines], title=title,
                  title_fontsize=legend.get_title().get_fontsize(), loc=legend._loc,
                  bbox_to_anchor=None if anchor is None else anchor._bbox.bounds, ncols=legend._ncols,
                  frameon=legend.get_frame_on(), fontsize=small)
        for handle in ax.get_legend().legend_handles:  # the legend's copies: symbols one size, clear of the title
            handle.set_markersize(min(handle.get_markersize(), LEGEND_MARKER))


def finish(fig, title: str, lang: str, source: str | None = None, n: int | None = None,
           mark: str | None = None, notes: tuple[str, ...] = (), description: str = "") -> plt.Figure:
    """Give ``fig`` (one plot, drawn) the common frame; see the module docstring. An axes
    title already set is replaced by ``title``."""
    # the bar figures are drawn at WIDTH; figures drawn elsewhere (models, time to work: legends of long labels
    # under the axes, forest rows named with their model) keep the wide frame and its text size
    width, small = (WIDTH, SMALL) if fig.get_figwidth() <= WIDTH else (WIDE, WIDE_SMALL)
    for ax in fig.axes:
        ax.set_title("")
        ax.set_title("", loc="left")
        _house_series(ax, small)
    fig.set_figwidth(width)
    _localise_axes(fig, lang)
    renderer = fig.canvas.get_renderer()
    usable = width - 2 * PAD
    footer_text = " ".join(filter(None, [f"{source}." if source else None,
                                         f"n = {formats.number(n, lang)}." if n is not None else None, *notes]))
    header = []  # the title is the caption outside the image (see the module)
    if mark:
        header.append(fig.text(0, 0, mark, fontsize=small + 1, fontweight="bold", color=MARK_COLOR, va="top"))
    footer = _fit_text(fig, renderer, footer_text, usable, fontsize=small, color="#333333", va="bottom")
    heights = [a.get_window_extent(renderer).height / fig.dpi for a in header]
    header_h = sum(heights) + PAD * max(len(header) + 1, 1)
    footer_h = footer.get_window_extent(renderer).height / fig.dpi + 2 * PAD
    total = fig.get_figheight() + header_h + footer_h
    fig.set_figheight(total)
    y = total - PAD
    for artist, h in zip(header, heights):
        artist.set_position((PAD / width, y / total))
        y -= h + PAD
    footer.set_position((PAD / width, PAD / total))
    fig.tight_layout(rect=(0, footer_h / total, 1, 1 - header_h / total))
    fig.set_label(title)
    # what the figure shows, in words: the drawing function's own description (each row's value, Figuur M1),
    # else its axes, rows and series
    description = description or getattr(fig, "vwnw_description", "") or describe_axes(fig, lang)
    fig.alt_text = " ".join(filter(None, [f"{title}.", mark and f"{mark}.", description, footer_text]))
    return fig


TICK_CHARS = 32  # a horizontal bar's label wraps after this many characters (the narrow frame: DWSRA's Figuur 3.1)


def bar_counts(counts: pd.Series, title: str, lang: str = "nl", watermark: str | None = None,
               xlabel: str | None = None, horizontal: bool = True, source: str | None = None,
               n: int | None = None, threshold: int | None = None, notes: tuple[str, ...] = ()) -> plt.Figure:
    """One bar per category; ``<NA>`` (suppressed) bars are marked ``x`` and the legend
    says what ``x`` means (``threshold``: the disclosure threshold)."""
    names = category_names(counts.index, lang)
    values = pd.to_numeric(counts, errors="coerce").astype(float).to_numpy()
    lines = sum(len(textwrap.wrap(n, TICK_CHARS)) or 1 for n in names) if horizontal else len(names)
    fig, ax = plt.subplots(figsize=(WIDTH, 0.4 * len(names) + 0.15 * (lines - len(names)) + 1.2))
    pos = np.arange(len(names))
    shown = np.nan_to_num(values, nan=0.0)
    frame = pd.DataFrame({"category": [f"{i}" for i in pos], "value": shown})  # positions: names may repeat
    bars = dict(data=frame, order=list(frame["category"]), color=PALETTE[0], edgecolor=EDGE, linewidth=0.5,
                errorbar=None, saturation=1, ax=ax)
    if horizontal:
        sns.barplot(x="value", y="category", orient="y", **bars)  # first category on top
        ax.set_yticks(pos, ["\n".join(textwrap.wrap(n, TICK_CHARS)) or n for n in names])  # long labels wrapped
        ax.set_ylabel("")
        ax.set_xlabel(xlabel or label("aantal", lang))
        _count_axis(ax.xaxis, lang, float(np.nanmax(values, initial=0.0)))
    else:
        sns.barplot(x="category", y="value", orient="x", **bars)
        ax.set_xticks(pos, names, rotation=30, ha="right")
        ax.set_xlabel("")
        ax.set_ylabel(xlabel or label("aantal", lang))
        _count_axis(ax.yaxis, lang)
    for p, v in zip(pos, values):
        if not np.isnan(v):
            ax.annotate(formats.number(v, lang), (v, p) if horizontal else (p, v), xytext=(3, 0) if horizontal else
                        (0, 3), textcoords="offset points", va="center" if horizontal else "bottom",
                        ha="left" if horizontal else "center", fontsize=9)
    suppressed = bool(np.isnan(values).any())
    ax.margins(x=0.08) if horizontal else ax.margins(y=0.1)  # room for the longest value label
    _withheld_bars(ax, pos[np.isnan(values)], 0.8, horizontal)
    if suppressed:  # above the axes, over their width: beside them it took the bars' room on a narrow figure
        ax.legend(handles=[_suppression_handle(threshold, lang, 48)], loc="lower right", bbox_to_anchor=(1, 1.01),
                  frameon=False, fontsize=SMALL, borderaxespad=0.2)
    ax.spines[["top", "right"]].set_visible(False)
    return finish(fig, title, lang, source, n, watermark, notes, description=describe_bars(names, values, lang))


MAX_LABELLED = 20  # grouped bars labelled with their values up to this many bars (Figure 2.1's 26 would crowd)


def grouped_counts(table: pd.DataFrame, title: str, lang: str = "nl", watermark: str | None = None,
                   rotate: int = 0, source: str | None = None, n: int | None = None,
                   threshold: int | None = None, notes: tuple[str, ...] = ()) -> plt.Figure:
    """Grouped bars: one group per row of ``table``, one bar per column (``rotate`` turns
    the category labels, for long or many categories). The legend sits outside the axes."""
    values = table.apply(pd.to_numeric, errors="coerce").astype(float)
    fig, ax = plt.subplots(figsize=(WIDTH, 3.6))
    n_rows, n_cols = values.shape
    pos = np.arange(n_rows)
    series = [header_case(c, name) for c, name in zip(values.columns, category_names(values.columns, lang))]
    colours = series_colours(n_cols)
    long = pd.DataFrame({"group": np.repeat([f"{i}" for i in pos], n_cols), "series": series * n_rows,
                         "value": np.nan_to_num(values.to_numpy(dtype=float)).ravel()})
    sns.barplot(data=long, x="group", y="value", hue="series", order=[f"{i}" for i in pos], hue_order=series,
                palette=colours, edgecolor=EDGE, linewidth=0.5,
                errorbar=None, legend=False, saturation=1, ax=ax)
    withheld, width, written = [], 0.8, []
    for j, bars in enumerate(ax.containers):  # one container per series, bars in group order
        for i, bar in enumerate(bars):
            bar.set_hatch(HATCHES[j % len(HATCHES)])
            width = bar.get_width()
            if np.isnan(values.iat[i, j]):
                withheld.append(bar.get_x() + width / 2)
            elif n_rows * n_cols <= MAX_LABELLED:  # each bar its value, as Figures 8-13 (review 12)
                written.append(ax.annotate(formats.number(values.iat[i, j], lang),
                                           (bar.get_x() + width / 2, bar.get_height()), xytext=(0, 2),
                                           textcoords="offset points", ha="center", va="bottom", fontsize=SMALL))
    ax.margins(y=0.1)
    _withheld_bars(ax, withheld, width, horizontal=False)
    ax.set_xticks(pos, category_names(values.index, lang), rotation=rotate, ha="right" if rotate else "center",
                  rotation_mode="anchor" if rotate else "default")
    ax.set_xlabel(label(values.index.name, lang) if values.index.name else "")  # the groups' variable, as 8-13
    ax.set_ylabel(label("aantal", lang))
    _count_axis(ax.yaxis, lang)
    handles = [Patch(facecolor=colours[j], edgecolor=EDGE, linewidth=0.5,
                     hatch=HATCHES[j % len(HATCHES)], label=name) for j, name in enumerate(series)]
    if values.isna().to_numpy().any():
        handles.append(_suppression_handle(threshold, lang))
    ax.legend(handles=handles, title=label(table.columns.name, lang) if table.columns.name else None,
              loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False, fontsize=SMALL, title_fontsize=SMALL + 1)
    ax.spines[["top", "right"]].set_visible(False)
    if not rotate:
        _ticks_apart(fig, ax)
    fig = finish(fig, title, lang, source, n, watermark, notes, description=describe_groups(values, lang))
    return _upright_if_crowded(fig, ax, written)


def _ticks_apart(fig, ax, width: int = 12) -> None:
    """The group labels of ``ax`` wrapped at ``width`` characters when two of them meet as laid
    out (an employer's or a function's name under grouped bars: attack 25's declared figure
    failed the layout check), upright when the wrapped labels still meet; the figure grows by
    the height the labels gained, so that the bars keep theirs."""
    params = {k: getattr(fig.subplotpars, k) for k in ("left", "right", "bottom", "top", "wspace", "hspace")}
    fig.tight_layout()  # the width the groups get beside the legend (the frame adds height only)
    names = [t.get_text() for t in ax.get_xticklabels()]
    if not _meet(fig, ax.get_xticklabels()):
        fig.subplots_adjust(**params)  # as before: the finished figure is the same, byte for byte
        return
    before = _tallest(fig, ax.get_xticklabels())
    ax.set_xticks(ax.get_xticks(), [textwrap.fill(t, width, break_long_words=False) for t in names])
    fig.tight_layout()
    if _meet(fig, ax.get_xticklabels()):
        ax.set_xticks(ax.get_xticks(), names, rotation=90)
    fig.set_figheight(fig.get_figheight() + (_tallest(fig, ax.get_xticklabels()) - before) / fig.dpi)


def _tallest(fig, texts) -> float:
    renderer = fig.canvas.get_renderer()
    return max(t.get_window_extent(renderer).height for t in texts)


def _meet(fig, texts) -> bool:
    """Whether two of ``texts`` overlap as ``fig`` is drawn now."""
    renderer = fig.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in texts if t.get_text()]
    return any(a.overlaps(b) for a, b in combinations(boxes, 2))


def _upright_if_crowded(fig, ax, written: list):
    """``fig``, its value labels turned upright when two of them meet side by side in the
    finished layout (counts of three or more digits over narrow bars: Figuur 7 of a large
    pilot), with room above the tallest bar for the longest of them."""
    renderer = fig.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in written]
    if not any(a.overlaps(b) for a, b in combinations(boxes, 2)):
        return fig
    for t in written:
        t.set_rotation(90)
    ax.margins(y=0.1 + 0.05 * max(len(t.get_text()) for t in written))
    return fig


CHART = {"nl": "Staafdiagram", "en": "Bar chart"}


def _cell(v: float, lang: str) -> str:
    return SUPPRESSED if np.isnan(v) else formats.number(v, lang)


def describe_bars(names: list[str], values, lang: str) -> str:
    """Alt text body of a bar chart: every category with its value."""
    return f"{CHART[lang]}: " + "; ".join(f"{c} {_cell(v, lang)}" for c, v in zip(names, values)) + "."


def describe_groups(table: pd.DataFrame, lang: str) -> str:
    """Alt text body of grouped bars: per group, every bar with its value."""
    cols = category_names(table.columns, lang)
    groups = [f"{g}: " + ", ".join(f"{c} {_cell(v, lang)}" for c, v in zip(cols, row))
              for g, row in zip(category_names(table.index, lang), table.to_numpy(dtype=float))]
    return f"{CHART[lang]}: " + "; ".join(groups) + "."


AXES = {"nl": "Grafiek van {y} tegen {x}", "en": "Chart of {y} against {x}"}
SERIES = {"nl": "reeksen", "en": "series"}
ROWS = {"nl": "rijen", "en": "rows"}


_NUMBER = re.compile(r"[\u2212\-+]?[\d.,\u00a0]+%?")  # a tick label that is a number (−20 with a true minus too)


def describe_axes(fig, lang: str) -> str:
    """Alt text body of a figure drawn elsewhere (model plots): its axes, the categories on
    its vertical axis and its legend entries."""
    if not fig.axes:
        return ""
    ax = fig.axes[0]
    text = AXES[lang].format(y=ax.get_ylabel() or "–", x=ax.get_xlabel() or "–")
    rows = [t.get_text() for t in ax.get_yticklabels() if t.get_text() and not _NUMBER.fullmatch(t.get_text())]
    if rows:
        text += f"; {ROWS[lang]}: " + ", ".join(rows)
    legend = ax.get_legend()
    if legend is not None:
        text += f"; {SERIES[lang]}: " + ", ".join(t.get_text() for t in legend.get_texts())
    return text + "."


def alt_text(fig) -> str:
    """The description :func:`finish` attached to ``fig`` (title, data, source, n)."""
    return getattr(fig, "alt_text", None) or fig.get_label() or ""
