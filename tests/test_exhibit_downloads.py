"""Every table and figure a page shows has its downloads (issue 26, the fifth and sixth
reviewers: the models page's Tabel M3, M6, M7, A.1 and B.1 had none, Figuur M1 no data file).

The check (:func:`analysis.pipeline.site.exhibits_without_files`) reads a reviewer page as
published; it is tried on pages made here (so it can fail) and then run on every page of
``reports/html`` after ``make report``."""

from __future__ import annotations

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from analysis import paths
from analysis.pipeline import site
from analysis.presentation import model_exhibits
from analysis.stats import released

HTML = paths.REPORTS / "html"
PAGES = sorted((HTML / "reviewer").glob("*.html"))
LINE = '<p class="vwnw-exhibit-files">Bestanden: <a href="../files/tables/x.csv" download>CSV</a></p>'


def _table(caption: str = "") -> str:
    cap = f"<caption>{caption}</caption>" if caption else ""
    ident = abs(hash(caption))
    return f'<div class="jp-OutputArea-output"><table id="T_{ident}">{cap}<tr><td>1</td></tr></table></div>'


def test_a_table_or_figure_without_its_download_line_is_found():
    page = "".join([
        '<h2 id="s">1 Uitstroom</h2>',
        '<h3 id="m1">Tabel M1. Met bestand</h3>', LINE, _table("Uitstroom per groep"),
        '<h3 id="m3">Tabel M3. Zonder bestand</h3>', _table("Gemiddelde voorspelde kans"),
        '<h3 id="f">Figuur M1. Zonder bestand</h3>', '<div><img src="data:image/png;base64,AA" alt="f"></div>',
        '<h2 id="t">Toetsen</h2>', _table("Tabel T2. Log-ranktoetsen"), LINE,
        _table("Tabel T3. Cox-model"),  # numbered in its own caption: the section's line is T2's
        '<h2 id="c">Colofon</h2><h3 id="g">Gegevens</h3>', _table("invoerbestanden"),
    ])
    missing = site.exhibits_without_files(page)
    assert [m.split(":")[0] for m in missing] == ["Tabel M3. Zonder bestand", "Figuur M1. Zonder bestand", "Toetsen"]
    assert "Tabel T3" in missing[2]
    fixed = page.replace('Zonder bestand</h3>', f"Zonder bestand</h3>{LINE}").replace(
        "Tabel T3. Cox-model</caption><tr><td>1</td></tr></table>",
        f"Tabel T3. Cox-model</caption><tr><td>1</td></tr></table>{LINE}")
    assert site.exhibits_without_files(fixed) == []


@pytest.mark.skipif(not PAGES, reason="needs reports/html (make report runs before the tests)")
@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_every_table_and_figure_of_a_published_page_has_its_downloads(page):
    text = page.read_text(encoding="utf-8")
    assert site.exhibits_without_files(text) == [], page.name
    soup = BeautifulSoup(text, "html.parser")
    for line in soup.select("p.vwnw-exhibit-files"):
        for a in line.find_all("a"):
            assert (page.parent / a["href"]).resolve().is_file(), (page.name, a["href"])


@pytest.mark.skipif(not (HTML / "index.html").exists(), reason="needs reports/html (make report runs before the tests)")
@pytest.mark.parametrize("name", ["index.html", "index-en.html"])
def test_every_exhibit_on_the_landing_pages_has_files_and_every_figure_its_data(name):
    soup = BeautifulSoup((HTML / name).read_text(encoding="utf-8"), "html.parser")
    for section in soup.select("section[id]"):
        for row in section.select("tbody tr"):
            number, title = (td.get_text(" ", strip=True) for td in row.find_all("td")[:2])
            kinds = [a.get_text() for a in row.select("td.files a")]
            if row.select_one("td em"):  # a figure the run left out (said in its place)
                continue
            assert kinds, (section["id"], number, title)
            if number.startswith(("Figuur", "Figure")):
                assert "CSV" in kinds and "XLSX" in kinds, (section["id"], number, kinds)


@pytest.mark.parametrize(("heading", "lang", "stem"), [
    ("Tabel M3. Gemiddelde voorspelde kans (hoofdmodel)", "nl", "models_fitted"),
    ("Table M3. Mean predicted probability (main model)", "en", "models_fitted"),
    ("Tabel M6. Uitstroomcategorieën naar triagepad", "nl", "models_shares_triage"),
    ("Tabel M7. Uitstroomcategorieën naar opleidingsniveau", "nl", "models_shares_opleiding"),
    ("Table M7. Outflow categories by education level", "en", "models_shares_opleiding"),
    ("Tabel A.1. Scheiding per term", "nl", "models_separation"),
    ("Table B.1. The report's outflow percentages, recomputed", "en", "models_published_rates"),
    ("Tabel M6. Uitstroomcategorieën naar iets anders", "nl", None),
])
def test_every_table_of_the_models_page_names_its_file(heading, lang, stem):
    assert model_exhibits.output_of(heading, lang) == stem
    if stem and stem.startswith("models_shares_"):
        assert model_exhibits.output_stem("models_shares", stem.rsplit("_", 1)[1]) == stem


def test_a_view_is_written_as_the_page_shows_it():
    view = released.mark(pd.DataFrame({"quantity": ["a", "b", "c"], "rate_pct": [68.0, 64.1, 68.0],
                                       "note": [None, None, None], "n": [25, 25, 25]}))
    out = model_exhibits.file_table(view)
    assert list(out.columns) == ["rate_pct", "n"] and out.index.name == "quantity"  # the empty note: not on the page
    assert out["rate_pct"].tolist() == [68.0, 64.1, 68.0]  # the values as shown, not recomputed
    assert released.is_marked(out)


def test_figure_m1_gets_the_coefficients_file_not_the_columns_codebook():
    items = [site.Item("Figuur M1", "Figuur M1. Odds ratios voor uitstroom naar werk", "f", "models_forest",
                       ["figures/models_forest_x.png"])]
    outputs = ["tables/models_coefficients_x.csv", "tables/models_coefficients_x.xlsx",
               "tables/models_coefficients_columns_x.csv", "figures/models_forest_x.png"]
    site.attach_shared_files(items, outputs)
    assert items[0].files == ["figures/models_forest_x.png", "tables/models_coefficients_x.csv",
                              "tables/models_coefficients_x.xlsx"]



def test_a_table_of_two_outflow_categories_is_not_called_an_unestimated_multinomial_model():
    from analysis.presentation import model_texts

    two = model_texts.multinomial_sentence("triage", "MNLogit not estimated: ... (separation)", "nl", categories=2)
    assert "twee uitstroomcategorieën" in two and "niet geschat" not in two and "Triagepad" in two
    three = model_texts.multinomial_sentence("triage", "MNLogit not estimated: x (separation)", "en", categories=3)
    assert "multinomial logit model not estimated" in three


def test_the_outflow_categories_are_named_in_words_whatever_the_studys_vocabulary():
    from analysis.presentation import model_texts

    shares = pd.DataFrame({"bemiddeling": [0.25], "opleiding": [0.125], "werk": [0.625]}, index=["2"])
    nl = model_texts.shares_table(shares, "nl")
    assert list(nl.columns) == ["level", "In bemiddeling", "Gestart met opleiding",
                                "Werk (nieuwe baan of werk en scholing)"]
    assert nl.iloc[0, 1:].tolist() == [25, 13, 63]  # whole percentages, half up (12,5 is 13; 62,5 is 63)
    assert "Started education" in model_texts.shares_table(shares, "en").columns


def test_the_output_checkers_record_names_every_file_a_run_writes(tmp_path):
    """The brief of issue 26: the new files are covered by the checker's record. A synthetic
    run's writer (a stand-in that only says where it wrote) and a public table."""
    from types import SimpleNamespace

    from analysis.release.run import Run

    written = []

    def table(df, name, person_counts=False):
        written.append(name)
        return tmp_path / "tables" / f"{name}.csv"

    run = Run("03_outcome_models", {"cutoff_date": "2021-04-16", "language": "nl"}, pd.DataFrame(),
              SimpleNamespace(private=False, min_cell_count=1, table=table), ["2021-04-16"], "work_nl_k1")
    run.table(run.public(pd.DataFrame({"column": ["n"], "meaning": ["personen"]})), "models_legend")
    assert written == ["models_legend_work_nl_k1"]
    record = run._requests[-1]
    assert record["output"] == "tables/models_legend_work_nl_k1.csv, .xlsx" and record["rule"].endswith("public")
