"""Figures stay readable in greyscale and for readers who do not see colour, and log axes
are labelled in plain numbers (issue 26: two age groups printed as the same grey; the odds
ratio axis read 10^-1, 10^0, 10^1)."""

from __future__ import annotations

import io
import itertools
import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from analysis import paths  # noqa: E402
from analysis.presentation import plots  # noqa: E402


def luminance(hex_colour: str) -> float:
    """WCAG 2 relative luminance (written out here, independent of the code under test)."""
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def deuteranope(hex_colour: str) -> tuple[float, float, float]:
    """The colour as a deuteranope sees it (Viénot, Brettel and Mollon 1999, in linear RGB)."""
    r, g, b = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    return (0.29275 * lin[0] + 0.70725 * lin[1], 0.29275 * lin[0] + 0.70725 * lin[1],
            -0.02234 * lin[0] + 0.02234 * lin[1] + lin[2])


def cielab(hex_colour: str) -> tuple[float, float, float]:
    """sRGB to CIELAB (D65), written out here from the CIE definitions."""
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def test_no_two_palette_colours_are_hard_to_tell_apart_in_colour():
    """Review 9: navy and purple (CIE76 distance 31) were hard to tell apart on screen. Every
    pair of the palette lies at least 35 apart in CIELAB (the first four, used most, 40)."""
    def distance(a: str, b: str) -> float:
        return sum((p - q) ** 2 for p, q in zip(cielab(a), cielab(b), strict=True)) ** 0.5

    close = {(a, b): round(distance(a, b), 1) for a, b in itertools.combinations(plots.PALETTE, 2)
             if distance(a, b) < 35 or (a in plots.PALETTE[:4] and b in plots.PALETTE[:4] and distance(a, b) < 40)}
    assert not close, close


def test_the_first_four_series_differ_in_greyscale():
    worst = min(contrast(a, b) for a, b in itertools.combinations(plots.PALETTE[:4], 2))
    assert worst >= 1.5, worst  # Figuur 7 has four age groups; issue 26 found 1.12


def test_the_first_four_series_get_lighter_in_order():
    """Ordered series (Figuur 7's age groups) keep their order in greyscale."""
    grey = [luminance(c) for c in plots.PALETTE[:4]]
    assert grey == sorted(grey), grey


def test_no_series_colour_vanishes_on_the_white_page():
    """A line or point in any palette colour stays visible on white, in colour and in
    greyscale (issue 26: a yellow series, contrast 1.32 against white, vanished)."""
    faint = {c: round(contrast(c, "#ffffff"), 2) for c in plots.PALETTE if contrast(c, "#ffffff") < 2}
    assert not faint, faint


def test_series_that_share_a_grey_are_told_apart_by_hatch():
    for (i, a), (j, b) in itertools.combinations(enumerate(plots.PALETTE), 2):
        if contrast(a, b) < 1.5:
            assert plots.HATCHES[i] != plots.HATCHES[j], (a, b)


def test_the_palette_stays_distinct_for_a_deuteranope():
    seen = [deuteranope(c) for c in plots.PALETTE[:4]]
    for x, y in itertools.combinations(seen, 2):
        assert sum((p - q) ** 2 for p, q in zip(x, y)) ** 0.5 > 0.05, (x, y)


def test_line_series_differ_in_colour_marker_and_line_style():
    styles = [plots.series_style(j) for j in range(len(plots.PALETTE))]
    for key in ("color", "marker", "linestyle"):
        values = [str(s[key]) for s in styles]
        assert len(set(values)) == len(values), key


@pytest.mark.parametrize("lang,expected", [("nl", {"0,1", "1", "10", "100"}), ("en", {"0.1", "1", "10", "100"})])
def test_log_axes_are_labelled_in_plain_numbers(lang, expected):
    fig, ax = plt.subplots()
    ax.plot([0.05, 300], [0, 1])
    ax.set_xscale("log")
    plots.finish(fig, "Figuur M1. Test", lang, source="Bron: test", n=30)
    fig.canvas.draw()
    lo, hi = ax.get_xlim()
    shown = {t.get_text() for t in ax.get_xticklabels() if lo <= t.get_position()[0] <= hi}
    assert expected <= shown, shown
    assert not any(re.search(r"[$^]|\\mathdefault", t) for t in shown), shown
    plt.close(fig)


def test_grouped_bars_have_edges_and_the_palette_order():
    table = pd.DataFrame({"a": [1, 2], "b": [3, 4], "c": [2, 2], "d": [1, 1]}, index=["x", "y"])
    fig = plots.grouped_counts(table, "Figuur 7. Test", "nl", source="Bron: test", n=10)
    colours = [matplotlib.colors.to_hex(p.get_facecolor()) for p in fig.axes[0].patches]
    assert colours == [c for c in plots.PALETTE[:4] for _ in range(2)]
    assert all(p.get_linewidth() > 0 for p in fig.axes[0].patches)
    plt.close(fig)


def test_lines_drawn_elsewhere_get_the_house_styles_and_a_matching_legend():
    fig, ax = plt.subplots()
    for n in (30, 100, 1000, 10000):  # two of these lie on top of each other, as in Figuur M2
        ax.plot([0.1, 1, 10], [1.0, 1.0, 1.0] if n >= 1000 else [0.5, 0.1, 0.5], "o-", label=f"N = {n}")
    ax.legend(loc="center")
    plots.finish(fig, "Figuur M2. Test", "nl", source="Bron: test", n=25)
    styles = [(line.get_color(), line.get_marker(), str(line.get_linestyle())) for line in ax.get_lines()]
    assert len(set(styles)) == 4 and styles[0][0] == plots.PALETTE[0]
    legend = [(h.get_color(), h.get_marker()) for h in ax.get_legend().legend_handles]
    assert legend == [(c, m) for c, m, _ in styles]
    plt.close(fig)


def test_confidence_bands_of_the_time_to_work_curves_differ_without_colour():
    """Each series' band carries a hatch of its own (overlapping bands stay apart in greyscale
    and for colour-blind readers), and the legend covers none of the curves' points."""
    import matplotlib

    matplotlib.use("Agg")
    import pandas as pd

    from analysis.presentation import survival_texts

    rows = []
    for definition, shift in (("work", 0.0), ("work_or_education", 0.1)):
        for end, y in ((30, 0.1), (90, 0.3), (150, 0.5)):
            rows.append({"definition": definition, "end": end, "one_minus": y + shift, "one_minus_low": y + shift - 0.1,
                         "one_minus_high": y + shift + 0.1, "cif": y + shift})
    fig = survival_texts.curve_figure(pd.DataFrame(rows), "T", "nl", "start", series="definition", with_cif=True)
    ax = fig.axes[0]
    hatches = [c.get_hatch() for c in ax.collections if c.get_hatch()]
    assert len(hatches) == 2 and len(set(hatches)) == 2
    legend = ax.get_legend().get_window_extent(fig.canvas.get_renderer())
    for line in ax.get_lines():
        points = ax.transData.transform(line.get_xydata())
        assert not any(legend.contains(x, y) for x, y in points), line.get_label()


_PATTERN_FILL = re.compile(r'style="[^"]*fill: url\(#[^)]*\)[^"]*"')


def translucent_pattern_fills(svg: str) -> list[str]:
    """The SVG's hatched areas whose fill has an opacity below one, or whose hatch pattern draws
    with one: Chromium's print to PDF draws a pattern fill at full opacity, so such a band
    printed as a solid block over the curves (review 8, Figuur T1-T6)."""
    found = [m.group(0) for m in _PATTERN_FILL.finditer(svg) if "fill-opacity" in m.group(0)]
    patterns = re.findall(r"<pattern\b.*?</pattern>", svg, re.S)
    return found + [p[:80] for p in patterns if re.search(r"(stroke|fill)-opacity|opacity:", p)]


def test_a_translucent_hatched_band_is_found():
    fig, ax = plt.subplots()
    ax.fill_between([0, 1], [0, 0], [1, 1], facecolor=(0, 0, 1, 0.1), edgecolor=(0, 0, 1, 0.5), hatch="//")
    out = io.StringIO()
    fig.savefig(out, format="svg")
    plt.close(fig)
    assert translucent_pattern_fills(out.getvalue())


def test_confidence_bands_print_translucent_and_hatched():
    """The bands of the time-to-work curves keep a translucent face (a plain colour, which print
    keeps translucent) and an opaque light hatch: no pattern fill with an opacity (review 8: the
    bands printed as solid blocks)."""
    import pandas as pd

    from analysis.presentation import survival_texts

    rows = [{"curve": name, "end": end, "one_minus": y, "one_minus_low": y - 0.1, "one_minus_high": y + 0.1}
            for name in ("triage=1", "triage=2") for end, y in ((30, 0.1), (90, 0.3), (150, 0.5))]
    fig = survival_texts.curve_figure(pd.DataFrame(rows), "T", "nl", "start", series="curve")
    faces = [c.get_facecolor() for c in fig.axes[0].collections if not c.get_hatch()]
    assert len(faces) == 2 and all(0 < f[0][3] < 0.5 for f in faces)  # translucent faces, one per band
    out = io.StringIO()
    fig.savefig(out, format="svg")
    plt.close(fig)
    svg = out.getvalue()
    assert "<pattern" in svg and translucent_pattern_fills(svg) == []


FIGURES = sorted((paths.REPORTS / "figures").glob("*.svg"))


@pytest.mark.skipif(not FIGURES, reason="needs reports/figures (make report runs before the tests)")
def test_no_published_figure_has_a_translucent_pattern_fill():
    bad = {f.name: found for f in FIGURES if (found := translucent_pattern_fills(f.read_text(encoding="utf-8")))}
    assert bad == {}
