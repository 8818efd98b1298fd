"""Review 12, findings 12 and 14 (issue 26), the figures: Figuur 7 without value labels or an
x-axis title; "SYNTHETISCHE DATA" on figures whose pages say "synthetische gegevens"; the legend's
"t/m 35 jaar" beside the table's "T/m 35 jaar"; Figuur 8's overlapping classes ("t/m 5 / 5-10 /
10-20 jaar"); Figuur 2.1's two rounds in near-identical dark greys; the triage time-to-work figure's
dark legend entry for a faint line; the power figure's coincident lines, its legend symbol over
the legend title and its unlabelled 80% line; and figure text of 5-6 px on a phone."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from analysis import paths  # noqa: E402
from analysis.presentation import layout, model_figures, plots, survival_texts  # noqa: E402
from analysis.presentation.labels import label  # noqa: E402

RAW = paths.PROJECT_ROOT / "data" / "raw"
REPORTS = paths.REPORTS
NEEDS_REPORT = pytest.mark.skipif(not (REPORTS / "figures").exists(), reason="needs reports/ (make report)")
PHONE_CSS_WIDTH = 355  # px: a figure's width scaled whole to a 390 px screen (the page's side margins)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def _luminance(hex_colour: str) -> float:
    """WCAG 2 relative luminance, computed here from the hex string."""
    rgb = [int(hex_colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _hex(rgba) -> str:
    return matplotlib.colors.to_hex(rgba)


def test_two_series_of_bars_differ_in_greyscale():
    """Figuur 2.1's rounds were navy and brown: contrast 1.75 in grey. Two series now differ by
    at least 3 (WCAG's contrast for large graphics), three by at least 1.6 between neighbours."""
    table = pd.DataFrame({"eerste": [6, 3], "tweede": [0, 4]}, index=["2016-10", "2016-11"])
    table.columns.name = "ronde"
    fig = plots.grouped_counts(table, "Figuur 2.1", "nl", source="Bron: test", n=13)
    fills = [_hex(h.get_facecolor()) for h in fig.axes[0].get_legend().get_patches()]
    assert len(fills) == 2 and _contrast(*fills) >= 3.0, fills
    three = plots.series_colours(3)
    assert min(_contrast(a, b) for a, b in zip(three, three[1:])) >= 1.6


def _figure_7_counts() -> pd.DataFrame:
    """Figuur 7 from the participants file with plain pandas: education by age class (whole years,
    up to 35, 36-45, 46-55, 56 and older)."""
    data = pd.read_csv(RAW / "pilot_participants_synthetic.csv")
    age = np.select([data["leeftijd"] <= 35, data["leeftijd"] <= 45, data["leeftijd"] <= 55], [0, 1, 2], 3)
    t = pd.crosstab(data["opleidingsniveau"], age).reindex(index=["laag", "middelbaar", "hoog"], columns=range(4),
                                                           fill_value=0)
    return t


def test_figure_7_has_value_labels_an_x_axis_title_and_legend_entries_as_the_table_heads():
    reference = _figure_7_counts()
    table = reference.copy()
    table.columns = ["t/m 35", "36-45", "46-55", "56+"]
    table.index.name, table.columns.name = "opleidingsniveau", "leeftijd"
    fig = plots.grouped_counts(table, "Figuur 7", "nl", label("synthetisch", "nl"), source="Bron: test", n=30)
    ax = fig.axes[0]
    assert layout.problems(fig) == []
    # one label per bar, series by series (the bars' order), each the count computed above
    assert [t.get_text() for t in ax.texts] == [str(v) for v in reference.to_numpy().T.ravel()]
    assert ax.get_xlabel() == "Opleidingsniveau"
    assert [t.get_text() for t in ax.get_legend().get_texts()][0] == "T/m 35 jaar"  # as the table's header


def test_the_synthetic_mark_says_gegevens_as_the_text_does():
    assert label("synthetisch", "nl") == "SYNTHETISCHE GEGEVENS"


@NEEDS_REPORT
def test_no_published_figure_says_synthetische_data():
    found = [p.name for p in (REPORTS / "figures").glob("*_nl*.svg") if "SYNTHETISCHE DATA" in p.read_text()]
    assert not found, found


def test_the_years_of_service_classes_do_not_overlap_and_hold_the_file_s_counts():
    """The classes are (0, 5], (5, 10], (10, 20] and above 20 (half years occur): labelled so that
    5 and 10 each belong to one class. The published table's counts are the file's by these rules."""
    names = [label(c, "nl") for c in ("t/m 5 jaar", "5-10 jaar", "10-20 jaar", "meer dan 20 jaar")]
    assert names == ["t/m 5 jaar", "meer dan 5 t/m 10 jaar", "meer dan 10 t/m 20 jaar", "meer dan 20 jaar"]
    csv = REPORTS / "tables" / "pilot_figuur_08_dienstjaren_20210401_nl_k1.csv"
    if not csv.exists():
        pytest.skip("needs reports/tables (make report)")
    years = pd.read_csv(RAW / "pilot_participants_synthetic.csv")["dienstjaren"].dropna()
    expected = [int((years <= 5).sum()), int(((years > 5) & (years <= 10)).sum()),
                int(((years > 10) & (years <= 20)).sum()), int((years > 20).sum())]
    published = pd.read_csv(csv, dtype=str).set_index("Dienstjaren").iloc[:, 0]
    assert [int(published[n]) for n in names] == expected


def test_a_curve_faint_from_its_start_is_faint_in_the_legend_too():
    """One person on triage path one: every step rests on fewer than five at risk, so the whole
    curve is drawn faint; its legend entry was dark."""
    rows = []
    for curve, n_risk in (("triage=1", [1, 1]), ("triage=2", [12, 8])):
        rows += [{"curve": curve, "end": e, "n_risk": n, "one_minus": v, "one_minus_low": v / 2,
                  "one_minus_high": min(1, v * 1.5), "cif": v} for e, n, v in zip((30.0, 60.0), n_risk, (0.2, 0.4))]
    curves = pd.DataFrame(rows)
    fig = survival_texts.curve_figure(curves, "Figuur T3", "nl", "start", series="curve")
    fig = plots.finish(fig, "Figuur T3", "nl", "Bron: test", 13)
    legend = fig.axes[0].get_legend()
    entries = dict(zip([t.get_text() for t in legend.get_texts()], legend.get_lines(), strict=True))
    faint = [(t, h.get_alpha()) for t, h in entries.items() if "licht: te weinig" in t]
    assert len(faint) == 1 and faint[0][1] == pytest.approx(survival_texts.TAIL_ALPHA)
    assert all(h.get_alpha() in (None, 1) for t, h in entries.items() if "licht: te weinig" not in t)


def _power_table() -> pd.DataFrame:
    rows = []
    for design, powers in (("balanced, N = 30", (0.7, 0.06)), ("balanced, N = 1,000", (1.0, 1.0)),
                           ("balanced, N = 10,000", (1.0, 1.0))):
        rows += [{"design": design, "odds_ratio": o, "power": p, "base_rate": 0.68} for o, p in zip((0.1, 2.0), powers)]
    return pd.DataFrame(rows)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_power_figure_draws_coinciding_designs_once_and_labels_the_80_percent_line(lang):
    fig = plots.finish(model_figures.power_plot(_power_table(), "Figuur M2", lang), "Figuur M2", lang, "Bron: test")
    ax = fig.axes[0]
    assert layout.problems(fig) == []
    entries = [t.get_text() for t in ax.get_legend().get_texts()]
    assert len(entries) == 2 and ("1.000" in entries[1] or "1,000" in entries[1]) and "10" in entries[1]
    assert all(h.get_markersize() <= plots.LEGEND_MARKER for h in ax.get_legend().get_lines())
    assert any("80%" in t.get_text() for t in ax.texts)


def _smallest_text_pt(fig) -> float:
    fig.canvas.draw()
    texts = list(fig.texts)
    for ax in fig.axes:
        texts += ax.get_xticklabels() + ax.get_yticklabels() + ax.texts + [ax.xaxis.label, ax.yaxis.label]
        if ax.get_legend() is not None:
            texts += ax.get_legend().get_texts()
    return min(t.get_fontsize() for t in texts if t.get_visible() and t.get_text())


def test_bar_figure_text_is_at_least_8_px_on_a_phone():
    """A figure is scaled whole to the phone's width: its smallest text, in CSS px, is its size in
    points times the scale (width in px over width in points). The bar figures (the pilot's Figures
    7-13, DWSRA's 2.1-4.2); the models' and time-to-work figures keep their wide frame (left)."""
    counts = pd.Series({"dv_coaching": pd.NA, "dv_talentenscan": 18, "dv_team_match": 17}, dtype="Int64")
    table = pd.DataFrame({"man": [3, 4], "vrouw": [5, pd.NA]}, index=["laag", "hoog"], dtype="Int64")
    for fig in (plots.bar_counts(counts, "Figuur 11", "nl", "SYNTHETISCHE GEGEVENS", threshold=10,
                                 source="Bron: test", n=30),
                plots.grouped_counts(table, "Figuur 7", "nl", "SYNTHETISCHE GEGEVENS", threshold=10, source="Bron: t",
                                     n=12)):
        width_pt = fig.get_figwidth() * 72
        px = _smallest_text_pt(fig) * PHONE_CSS_WIDTH / width_pt
        assert px >= 7.9, (fig.get_label(), px)


def test_figure_7_of_a_large_pilot_keeps_every_value_label_readable():
    """At 100 times the pilot (three- and four-digit counts over twelve narrow bars) the labels
    would meet side by side: they stand upright instead, each still its bar's count, and the
    layout check (the release refuses a figure that fails it) finds nothing."""
    reference = _figure_7_counts() * 100 + 7
    table = reference.copy()
    table.columns = ["t/m 35", "36-45", "46-55", "56+"]
    table.index.name, table.columns.name = "opleidingsniveau", "leeftijd"
    fig = plots.grouped_counts(table, "Figuur 7", "nl", label("synthetisch", "nl"), source="Bron: test", n=3000)
    ax = fig.axes[0]
    assert [t.get_text().replace("\u202f", "").replace(".", "") for t in ax.texts] == \
        [str(v) for v in reference.to_numpy().T.ravel()]
    assert {t.get_rotation() for t in ax.texts} == {90.0}
    assert layout.problems(fig) == []
    fig.savefig("/tmp/fig7_large.png", dpi=110)
