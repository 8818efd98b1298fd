"""Every figure the report's notebooks draw, in both languages and at both disclosure
thresholds the report uses: nothing clipped, nothing overlapping (``presentation.layout``),
integer ticks on count axes, numbers and months written as the figure's language writes
them, a source line and n, the synthetic mark apart from legend and bars, and alt text.
``ReportOutputs.figure`` runs the same layout check on every figure it publishes."""

from __future__ import annotations

import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from analysis import paths  # noqa: E402
from analysis.dwsra import tables as dwsra_tables  # noqa: E402
from analysis.dwsra.schema import load_inputs  # noqa: E402
from analysis.pilot import tables as pilot_tables  # noqa: E402
from analysis.pilot.inputs import load_participants  # noqa: E402
from analysis.presentation import language, layout, pilot_figures, plots, titles  # noqa: E402
from analysis.presentation.labels import label  # noqa: E402

RAW = paths.PROJECT_ROOT / "data" / "raw"
LANGS = ("nl", "en")


@pytest.fixture(scope="module")
def participants():
    return load_participants(RAW / "pilot_participants_synthetic.csv", None)


@pytest.fixture(scope="module")
def dwsra():
    return load_inputs(RAW / "dwsra_project_register.csv", RAW / "dwsra_applications_by_round.csv",
                       RAW / "dwsra_interview_counts.csv", RAW / "dwsra_published_cells.csv")


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def pilot_cases():
    for k in (1, 10):
        for cutoff in ("2021-04-01", "2021-04-16"):
            for lang in LANGS:
                yield k, cutoff, lang


def count_axis_ticks(ax) -> list[str]:
    horizontal = ax.get_xlabel() in {label("aantal", lang) for lang in LANGS} | {
        label("n_projects", lang) for lang in LANGS}
    ticks = ax.get_xticklabels() if horizontal else ax.get_yticklabels()
    lo, hi = sorted(ax.get_xlim() if horizontal else ax.get_ylim())
    return [t.get_text() for t in ticks if lo <= t.get_position()[0 if horizontal else 1] <= hi]


def check(fig, lang: str, mark: str | None):
    assert layout.problems(fig) == []
    texts = [t.get_text() for t in fig.texts]
    footer = texts[-1]
    assert footer.startswith(("Bron:", "Source:")) and re.search(r"n = [\d.,]+\.", footer.replace("\n", " ")), footer
    assert (mark in texts) if mark else not any("SYNTH" in t for t in texts)
    ax = fig.axes[0]
    ticks = count_axis_ticks(ax)
    assert ticks and all(re.fullmatch(r"\d{1,3}([.,]\d{3})*", t) for t in ticks), ticks
    assert plots.alt_text(fig).startswith(fig.get_label()) and len(plots.alt_text(fig)) > len(fig.get_label()) + 20
    # the title is the caption above the figure (the page's heading), never drawn twice
    assert not any(fig.get_label() in t.replace("\n", " ") for t in all_texts(fig)), "title drawn in the image"
    assert language.foreign("\n".join(all_texts(fig)), lang) == [], "text of the other language in the figure"


def all_texts(fig) -> list[str]:
    out = [t.get_text() for t in fig.texts]
    for ax in fig.axes:
        out += [t.get_text() for t in ax.get_xticklabels() + ax.get_yticklabels() + ax.texts]
        out += [ax.get_xlabel(), ax.get_ylabel()]
        if ax.get_legend():
            out += [t.get_text() for t in ax.get_legend().get_texts()] + [ax.get_legend().get_title().get_text()]
    return out


def declared_figures(participants, k: int, cutoff: str, lang: str, mark: str | None = None):
    """Notebook 02's figures as it draws them: each exhibit the study declares with release
    cells, its release table without totals, drawn by its declared drawing when informative
    (name -> Figure, or None when the notebook says it is left out)."""
    from analysis.study import active_study

    tables = pilot_tables.joint_figure_tables(participants, k, "totaal")[0][cutoff]
    drawings = {"grouped": plots.grouped_counts, "bars": plots.bar_counts}
    out = {}
    for exhibit in active_study().exhibits.of("02_pilot_participants"):
        if not exhibit.cells or exhibit.drawing not in drawings:
            continue
        shown = tables[exhibit.cells]
        drawn = exhibit.drawn(shown)
        n = exhibit.shown_n(shown, participants)
        out[exhibit.name] = (drawings[exhibit.drawing](drawn, titles.exhibit_title(exhibit, lang, cutoff), lang, mark,
                                                       source=titles.source("pilot_synthetic", lang),
                                                       n=n if n and n >= k else None, threshold=k)
                             if pilot_figures.informative(drawn) else None)
    return out


@pytest.mark.parametrize("k,cutoff,lang", list(pilot_cases()))
def test_pilot_figures_are_laid_out_and_framed(participants, k, cutoff, lang):
    mark = label("synthetisch", lang)
    figures = declared_figures(participants, k, cutoff, lang, mark)
    for fig in filter(None, figures.values()):
        check(fig, lang, mark)
    if k == 1:  # without protection every declared figure is drawn (at 10 most of the 30 persons' are withheld)
        assert len(figures) >= 6 and all(f is not None for f in figures.values())


def test_a_figure_with_nothing_left_becomes_a_sentence():
    from analysis.stats import disclosure

    counts = pd.Series({"uitvoerend": 25, "staf": 5}, name="aantal").rename_axis("functietype")
    assert not pilot_figures.informative(disclosure.protect(counts, 10))  # one visible cell says nothing
    sentence = pilot_figures.NOTHING_LEFT["en"].format(number="Figure 9", k=10, merged="")
    assert sentence.startswith("**Figure 9 is left out.**")


def test_suppressed_bars_are_explained_in_the_legend():
    counts = pd.Series({"triage_1": 12, "triage_2": pd.NA, "triage_3": 14}, name="aantal", dtype="Int64")
    fig = plots.bar_counts(counts, "Figuur 10", "nl", "SYNTHETISCHE GEGEVENS", threshold=10)
    legend = [t.get_text().replace("\n", " ") for t in fig.axes[0].get_legend().get_texts()]
    # a cell can be hidden because it is small or because another cell would give it away
    # (Figuur 11 hid 27 persons at threshold 10): the legend names both reasons
    assert legend == ["x = niet getoond, beschermd (< 10 personen, of af te leiden uit andere cellen)"]
    assert "x" in [t.get_text() for t in fig.axes[0].texts]


@pytest.mark.parametrize("lang", LANGS)
def test_dwsra_figures_are_laid_out_with_dutch_or_english_months(dwsra, lang):
    months = dwsra_tables.decision_months(dwsra["register"])
    fig = plots.grouped_counts(months, titles.title("figuur_2_1", lang), lang, rotate=90,
                               source=titles.source("dwsra_register", lang), n=47)
    check(fig, lang, None)
    ticks = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    months = ("okt 2016", "mrt 2017") if lang == "nl" else ("Oct 2016", "Mar 2017")
    assert any(m in ticks for m in months), ticks
    assert not any(re.fullmatch(r"\d{4}-\d{2}", t) for t in ticks)
    for table, figure in (("tabel_3_1", "figuur_3_1"), ("tabel_4_1", "figuur_4_1"), ("tabel_4_2", "figuur_4_2")):
        t = dwsra_tables.interview_table(dwsra["interview_counts"], table, lang)
        fig = plots.bar_counts(dwsra_tables.figure_counts(t, lang), titles.title(figure, lang), lang,
                               xlabel=label("n_projects", lang), source=titles.source("dwsra_interviews", lang), n=47)
        check(fig, lang, None)
        assert fig.get_label() == titles.title(figure, lang), "title cut or changed"


def test_value_labels_use_the_languages_separators():
    counts = pd.Series({"a": 1234, "b": 5}, name="aantal")
    nl = plots.bar_counts(counts, "Figuur X", "nl", source="Bron: test", n=1239)
    en = plots.bar_counts(counts, "Figure X", "en", source="Source: test", n=1239)
    assert [t.get_text() for t in nl.axes[0].texts] == ["1.234", "5"]
    assert [t.get_text() for t in en.axes[0].texts] == ["1,234", "5"]
    assert "n = 1.239." in nl.texts[-1].get_text() and "n = 1,239." in en.texts[-1].get_text()


def test_layout_check_finds_clipped_and_overlapping_texts():
    """The check must fail on what the issue saw: a title running off the canvas and a
    mark drawn over the legend."""
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.bar([0, 1], [3, 4], label="reeks")
    ax.set_title("Figuur 3.1 Gehanteerde probleemanalyse, een veel te lange titel (alle projecten)", loc="left")
    legend = ax.legend(loc="upper right")
    fig.canvas.draw()
    box = legend.get_window_extent(fig.canvas.get_renderer())
    fig.text(box.x0 / fig.bbox.width, box.y0 / fig.bbox.height, "SYNTHETISCHE GEGEVENS")
    found = " | ".join(layout.problems(fig))
    assert "clipped by the canvas edge" in found
    assert "overlaps legend" in found or "legend overlaps" in found


def test_plain_numeric_axes_of_figures_drawn_elsewhere_use_the_languages_decimal_comma():
    fig, ax = plt.subplots()
    ax.plot([1, 2], [0.25, 0.85], label="N = 30")
    ax.legend()
    plots.finish(fig, "Figuur M2. Onderscheidend vermogen", "nl", "Bron: test", 25)
    fig.canvas.draw()
    ticks = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
    assert ticks and all("," in t and "." not in t for t in ticks if t not in ("0", "1")), ticks
    assert layout.problems(fig) == []
    assert "reeksen: N = 30" in plots.alt_text(fig)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_written_png_is_what_savefig_draws(participants, lang):
    """The PNG is taken from the layout check's draw (one draw instead of two): it must be the
    file matplotlib's own savefig writes at the figure resolution, byte for byte."""
    import io

    from analysis.pipeline.export import FIGURE_DPI, configure_matplotlib, drawn_png

    configure_matplotlib()
    mark = label("synthetisch", lang)
    references = declared_figures(participants, 1, "2021-04-01", lang, mark)
    checked = declared_figures(participants, 1, "2021-04-01", lang, mark)  # the same figures, drawn again
    assert len(references) >= 6
    for name, reference in references.items():
        buf = io.BytesIO()
        reference.savefig(buf, format="png", dpi=FIGURE_DPI, metadata={"Software": None})
        checked[name].set_dpi(FIGURE_DPI)
        assert layout.problems(checked[name]) == []
        assert drawn_png(checked[name]) == buf.getvalue(), name
    plt.close("all")
