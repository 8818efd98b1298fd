"""Review 12, finding 1 (issue 26): on the 16 April page Figuur 11's largest service (Coaching
casemanager, 27 of 30 in the participants file) is withheld at threshold 10, and the findings
named the largest service *shown* (Talentenscan, 18) as the one casemanagers referred to most;
the figure drew the withheld bar as an ``x`` at zero, so the largest service looked smallest.

A withheld count is drawn as unknown (a hatched bar over the whole count axis, ``x`` in it,
the legend saying what ``x`` means, both reasons); a sentence that ranks a table with a count
withheld that could be as large ranks the groups shown only. Checked on the pure functions and
on every published figure and page after ``make report``."""

from __future__ import annotations

import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from bs4 import BeautifulSoup  # noqa: E402

from analysis import paths  # noqa: E402
from analysis.presentation import layout, pilot_findings, plots  # noqa: E402
from analysis.release import figure_check  # noqa: E402

REPORTS = paths.REPORTS
FIGURES = sorted((REPORTS / "figures").glob("*.svg"))
NEEDS_REPORT = pytest.mark.skipif(not FIGURES, reason="needs reports/ (make report runs before the tests)")
LEGEND = {"nl": "x = niet getoond", "en": "x = not shown"}
BOTH_REASONS = {"nl": ("< 10 personen", "af te leiden"), "en": ("< 10 persons", "derivable")}


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def _withheld_patches(ax) -> list:
    return [p for p in ax.patches if p.get_hatch() == plots.WITHHELD["hatch"]
            and p.get_facecolor()[:3] == matplotlib.colors.to_rgb(plots.WITHHELD["facecolor"])]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_withheld_bar_spans_the_whole_count_axis_and_is_marked_x_not_drawn_at_zero(lang):
    counts = pd.Series({"dv_coaching": pd.NA, "dv_talentenscan": 18, "dv_videopitch": pd.NA, "dv_team_match": 17},
                       dtype="Int64")
    fig = plots.bar_counts(counts, "Figuur 11", lang, threshold=10, source="Bron: test", n=30)
    ax = fig.axes[0]
    assert layout.problems(fig) == []
    fig.canvas.draw()
    box = ax.get_window_extent()
    spans = _withheld_patches(ax)
    assert len(spans) == 2  # one per withheld service, none for the shown ones
    longest = max(b.get_window_extent().width for b in ax.containers[0])
    for p in spans:  # from the axis' zero to its end: never read as the smallest
        ext = p.get_window_extent()
        assert ext.x0 == pytest.approx(box.x0, abs=1) and ext.x1 == pytest.approx(box.x1, abs=1)
        assert ext.width > longest
    marks = [t for t in ax.texts if t.get_text() == "x"]
    assert len(marks) == 2 and all(t.xy[0] == 0.5 for t in marks)  # in the middle, not at zero
    # the spans hold no value: the release's read-back of a figure on real data finds only the table's numbers
    assert figure_check.foreign_numbers(fig, counts.to_frame("aantal"), lang, extra={10, 30}) == []
    legend = " ".join(t.get_text().replace("\n", " ") for t in ax.get_legend().get_texts())
    assert legend.startswith(LEGEND[lang]) and all(r in legend for r in BOTH_REASONS[lang])  # review 10's both reasons


def test_a_withheld_cell_of_grouped_bars_spans_the_whole_count_axis():
    table = pd.DataFrame({"man": [12, pd.NA], "vrouw": [pd.NA, 14]}, index=["laag", "hoog"], dtype="Int64")
    table.columns.name = "geslacht"
    fig = plots.grouped_counts(table, "Figuur X", "nl", threshold=10, source="Bron: test", n=30)
    ax = fig.axes[0]
    assert layout.problems(fig) == []
    fig.canvas.draw()
    box = ax.get_window_extent()
    spans = _withheld_patches(ax)
    assert len(spans) == 2 and all(p.get_window_extent().y0 == pytest.approx(box.y0, abs=1)
                                   and p.get_window_extent().y1 == pytest.approx(box.y1, abs=1) for p in spans)
    legend = [t.get_text().replace("\n", " ") for t in ax.get_legend().get_texts()]
    assert legend[-1].startswith(LEGEND["nl"])


def _shown(withheld: bool, lang="nl"):
    """Figuur 11 of 16 April as released at threshold 10 (the counts as the published CSV has them),
    or as at threshold 1 (the file's counts)."""
    small = (3, 1, 3) if not withheld else (pd.NA, pd.NA, pd.NA)
    table = pd.Series({"dv_coaching": pd.NA if withheld else 27, "dv_talentenscan": 18, "dv_loopbaantest": 17,
                       "dv_rouwverwerking": small[0], "dv_social_media": 10, "dv_zzp_ondersteuning": small[1],
                       "dv_sollicitatietraining": 14, "dv_videopitch": small[2], "dv_team_match": 17}, dtype="Int64")
    finding = {"nl": "De dienst waarnaar casemanagers het vaakst verwezen, is *{Group}*",
               "en": "The service case managers referred to most often is *{Group}*"}[lang]
    return pilot_findings.Shown("Figuur 11", "Dienstverlening", table, finding=finding)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_ranking_with_a_withheld_count_that_may_be_larger_names_the_largest_shown(lang):
    text = pilot_findings.exhibit_sentence(_shown(True, lang), lang, 10)
    shown = {"nl": "de grootste van de getoonde groepen", "en": "the largest of the groups shown"}[lang]
    assert shown in text and {"nl": "*Talentenscan*", "en": "*Talent scan*"}[lang] in text
    assert "vaakst verwezen" not in text and "referred to most often" not in text
    # nothing withheld: the declared sentence, which ranks every service
    full = pilot_findings.exhibit_sentence(_shown(False, lang), lang, 1)
    assert full.startswith({"nl": "De dienst waarnaar casemanagers het vaakst verwezen, is *Coaching",
                            "en": "The service case managers referred to most often is *Coaching"}[lang])


def _service_counts() -> pd.Series:
    """The participants file's services, counted with plain pandas (true per column)."""
    data = pd.read_csv(paths.PROJECT_ROOT / "data" / "raw" / "pilot_participants_synthetic.csv", dtype=str)
    return data.filter(like="dv_").apply(lambda c: c.str.lower().eq("true").sum())


def _findings(page) -> str:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    paragraphs = [p.get_text(" ", strip=True) for p in soup.select("main p")]
    return " ".join(p for p in paragraphs if p.startswith(("Bevindingen.", "Findings.")))


@NEEDS_REPORT
@pytest.mark.parametrize("page,code_column", [("02_pilot_participants-20210416.html", "Dienstverlening (code)"),
                                              ("02_pilot_participants-20210416-en.html", "Service (code)")])
def test_the_16_april_findings_do_not_call_the_largest_shown_service_the_largest(page, code_column):
    counts = _service_counts()
    largest = counts.idxmax()
    assert largest == "dv_coaching" and counts.max() == 27  # the file's largest (review 12)
    lang = "en" if page.endswith("-en.html") else "nl"
    table = pd.read_csv(REPORTS / "tables" / f"pilot_figuur_11_dienstverlening_20210416_{lang}_k10.csv", dtype=str)
    released = dict(zip(table[code_column], table.iloc[:, 1], strict=True))
    assert released[largest] == "x"  # withheld on the page
    text = _findings(REPORTS / "html" / "reviewer" / page)
    sentence = next(s for s in re.split(r"(?<=\.) ", text) if "Figuur 11" in s or "Figure 11" in s)
    assert ("van de getoonde groepen" in sentence) if lang == "nl" else ("of the groups shown" in sentence), sentence
    assert "vaakst verwezen, is" not in sentence and "referred to most often is" not in sentence


def _has_withheld(csv) -> bool:
    table = pd.read_csv(csv, dtype=str, keep_default_na=False)
    return bool(table.isin(["x"]).to_numpy().any())


@NEEDS_REPORT
def test_every_published_figure_that_hides_a_count_draws_it_as_unknown():
    """All dates, both languages, every study: a figure whose table has an ``x`` has the hatched
    span and the legend's ``x = ...`` (its old legend *onderdrukt (...)* beside an ``x`` at zero
    is gone)."""
    checked, problems = 0, []
    for svg in FIGURES:
        csv = REPORTS / "tables" / f"{svg.stem}.csv"
        if not csv.exists() or not _has_withheld(csv):
            continue
        checked += 1
        text = svg.read_text(encoding="utf-8")
        lang = "en" if "_en_" in svg.stem or svg.stem.endswith("_en") else "nl"
        if "<pattern" not in text or LEGEND[lang] not in text or "onderdrukt (" in text or "suppressed (" in text:
            problems.append(svg.name)
    assert checked >= 2, "the 16 April Figuur 11 in both languages at least"
    assert not problems, problems
