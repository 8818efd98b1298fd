"""Review 8's leftovers on the published pages (issue 26): each check is tried on a page made
here, so that it can fail, and then run on every reviewer page of ``reports/html`` after
``make report``."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from analysis import paths
from tests import read_download

HTML = paths.REPORTS / "html"
PAGES = sorted((HTML / "reviewer").glob("*.html"))
NEEDS_PAGES = pytest.mark.skipif(not PAGES, reason="needs reports/html (make report runs before the tests)")

# a header's single capital letter standing for a word (Tabel 2.1's O and T), not the start of T/m
_LETTER = re.compile(r"(?<![\w/])([A-Z])(?!\w|/[a-z])")


def unexplained_letters(page: str) -> list[str]:
    """Tables whose headers use a single capital letter for a word without a key (``O:``) in the
    table's caption: the report explains its letters under the table (Tabel 2.1, O: Ontvangen;
    T: Toegekend), so the page does too."""
    problems = []
    for table in BeautifulSoup(page, "html.parser").find_all("table"):
        heads = " ".join(th.get_text(" ") for th in table.select("thead th"))
        caption = table.caption.get_text(" ") if table.caption else ""
        missing = sorted(x for x in set(_LETTER.findall(heads)) if f"{x}:" not in caption)
        if missing:
            problems.append(f"{missing} in {heads[:60]!r}")
    return problems


def _table(heads: list[str], caption: str) -> str:
    head = "".join(f"<th>{h}</th>" for h in heads)
    return f"<table><caption>{caption}</caption><thead><tr>{head}</tr></thead><tbody></tbody></table>"


def test_a_letter_without_its_key_is_found():
    heads = ["Type project", "Eerste ronde O", "Eerste ronde T", "T/O %"]
    assert unexplained_letters(_table(heads, "Bron: Ecorys (2018)")) == [
        "['O', 'T'] in 'Type project Eerste ronde O Eerste ronde T T/O %'"]
    assert unexplained_letters(_table(heads, "O: ontvangen; T: toegekend. Bron: Ecorys (2018)")) == []
    assert unexplained_letters(_table(["Opleiding", "T/m 35 jaar"], "Aantallen")) == []


@NEEDS_PAGES
@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_every_letter_in_a_header_is_explained(page):
    assert unexplained_letters(page.read_text(encoding="utf-8")) == []


def test_a_cox_row_of_a_small_group_says_it_is_not_informative():
    """A Cox term of fewer than five persons carries the flag the model tables give such a row
    (review 8: Tabel T3 showed a group of one without it); larger groups carry none."""
    import pandas as pd

    from analysis.stats import survival
    from analysis.stats.models import MIN_GROUP_N

    rows = [("1", 40.0, 1)]  # one person on path 1
    rows += [("2", 30.0 + 7 * i, 1 if i % 3 else 0) for i in range(12)]
    rows += [("3", 20.0 + 11 * i, 1 if i % 2 else 0) for i in range(10)]
    d = pd.DataFrame(rows, columns=["triage", "time", "status"])
    out = survival.cox(d, ["triage"]).set_index("term")
    assert out.loc["triage[1]", "group_n"] == 1 < MIN_GROUP_N
    assert "not informative" in out.loc["triage[1]", "note"]
    assert out.loc["triage[3]", "note"] == ""


COX_FILES = sorted((paths.REPORTS / "tables").glob("time_to_work_cox_*.csv"))


@pytest.mark.skipif(not COX_FILES, reason="needs reports/tables (make report runs before the tests)")
def test_published_cox_rows_of_small_groups_are_flagged():
    import pandas as pd

    from analysis.stats.models import MIN_GROUP_N

    for f in COX_FILES:
        t = read_download.read(f, ("group_n", "note", "term"), keep_default_na=False)
        small = t[pd.to_numeric(t["group_n"], errors="coerce") < MIN_GROUP_N]
        flag = {"nl": "niet informatief", "en": "not informative"}[read_download.language(f)]  # notes in words (H43p)
        assert all(flag in n for n in small["note"]), (f.name, small[["term", "group_n", "note"]])


# Numbers a findings block may say that no table of its page holds: the report's section (7.3, the
# report's sentence about 70%) and the significance level of the log-rank tests (0,05).
NOT_FROM_A_TABLE = {"7.3", "0,05", "0.05"}
_DECIMAL = re.compile(r"\d+(?:[.,]\d+)+")


def numbers_not_in_tables(page: str) -> list[str]:
    """The numbers with decimals of a page's findings in words that no table cell of the page
    writes the same way: a sentence rounds a quantity as its table does (review 8: the models
    page said 22,96 where Tabel M2 says 23,0)."""
    soup = BeautifulSoup(page, "html.parser")
    findings = soup.select_one(".celltag_findings")
    if findings is None:
        return []
    cells = " | ".join(td.get_text(" ") for td in soup.select("table td"))
    return [n for n in _DECIMAL.findall(findings.get_text(" ")) if n not in NOT_FROM_A_TABLE
            and not re.search(rf"(?<![\d.,]){re.escape(n)}(?!\d)", cells)]


def test_a_finding_rounded_otherwise_than_its_table_is_found():
    page = ('<div class="celltag_findings"><p>odds ratio 3,20 (0,52 tot 22,96)</p></div>'
            "<table><tr><td>3,20</td><td>0,52 – 23,0</td></tr></table>")
    assert numbers_not_in_tables(page) == ["22,96"]
    assert numbers_not_in_tables(page.replace("22,96", "23,0")) == []


@NEEDS_PAGES
@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_findings_round_as_their_tables(page):
    assert numbers_not_in_tables(page.read_text(encoding="utf-8")) == []


MAX_FINDINGS_WORDS = 200  # a paragraph a reader takes in at once (the time-to-work page's was 443 words)


def findings_paragraphs(page: str) -> list[int]:
    """The number of words of each paragraph of a page's findings in words."""
    findings = BeautifulSoup(page, "html.parser").select_one(".celltag_findings")
    return [len(p.get_text(" ").split()) for p in findings.find_all("p")] if findings else []


@NEEDS_PAGES
@pytest.mark.parametrize("page", [p for p in PAGES if p.stem.startswith(("03_outcome_models", "04_time_to_work"))],
                         ids=lambda p: p.stem)
def test_the_models_and_time_to_work_findings_come_a_paragraph_per_topic(page):
    words = findings_paragraphs(page.read_text(encoding="utf-8"))
    assert len(words) >= 3 and max(words) <= MAX_FINDINGS_WORDS, words


def test_figure_m1_alt_text_gives_each_odds_ratio_as_its_table():
    """Figuur M1's alt text says what it shows: each row's odds ratio and interval written as
    Tabel M2 writes them, and which rows rest on a small group (review 8: "Grafiek van – tegen
    odds ratio")."""
    import matplotlib

    matplotlib.use("Agg")
    import pandas as pd

    from analysis.presentation import model_figures, plots

    d = pd.DataFrame({"term": ["triage[1]", "triage[3]"], "model": ["Firth logit"] * 2, "scale": ["odds ratio"] * 2,
                      "estimate": [3.2, 22.96], "ci_low": [0.52, 1.2], "ci_high": [22.96, 400.0],
                      "informative": [False, True]})
    fig = plots.finish(model_figures.forest_plot(d, "T", "nl"), "Figuur M1. T", "nl", source="Bron: x", n=25)
    alt = plots.alt_text(fig)
    model = "gecorrigeerde logit"  # Firth's logit in words (issue 26)
    assert f"Triagepad 1 t.o.v. 2 ({model}): 3,20 (0,52 tot 23,0), te kleine groep" in alt
    assert f"Triagepad 3 t.o.v. 2 ({model}): 23,0 (1,20 tot 400)" in alt
    assert "Grafiek van –" not in alt


_EMPTY_ALT = re.compile(r"(Grafiek van|Chart of) –|(rijen|rows): [\u2212\-+]?\d")


@NEEDS_PAGES
@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_no_alt_text_names_an_empty_axis_or_a_number_as_a_row(page):
    """An alt text never says "Grafiek van –" (an axis without a label) or lists a tick number as
    a row ("rijen: -20", the power and time-to-work figures)."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    bad = [img["alt"][:90] for img in soup.find_all("img", alt=True) if _EMPTY_ALT.search(img["alt"])]
    assert bad == []


def twin_links(page: str, name: str, folder) -> list[str]:
    """The links of a page's navigation to a page of its folder in the other language (its twin)."""
    soup = BeautifulSoup(page, "html.parser")
    lang = soup.html.get("lang") if soup.html else None
    out = []
    for a in soup.select("nav.vwnw-links a[href]"):
        href = a["href"]
        target = folder / href
        if "/" in href or "#" in href or href == name or not target.is_file():
            continue
        other = BeautifulSoup(target.read_text(encoding="utf-8"), "html.parser").html
        if other is not None and other.get("lang") not in (None, lang):
            out.append(href)
    return out


@NEEDS_PAGES
@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_every_page_has_its_twin_in_the_other_language(page):
    """Dutch and English are both required: every reviewer page links its twin (review 8: the
    16 April page and the cleaning pilot's pages had no English version)."""
    assert twin_links(page.read_text(encoding="utf-8"), page.name, page.parent), page.name


# an exhibit's number (Tabel 2.1, Table M3, Tabel A.1, Tabel R.2); an appendix section's number (A.1 ...)
# numbers no table (the participants page's appendix tables were "A.1 Overeenstemming ...": review 8)
_NUMBERED = re.compile(r"^(Tabel|Figuur|Table|Figure)\s+([A-Z]\.\d+|[A-Z]?\d+(?:\.\d+)*[a-z]?)")
# the models page's own sections are M.1-M.5 (review 12, item 7: its exhibits are Tabel M1..., its
# sections were "1"-"5" beside the report's "paragraaf 7.3"); M is that page's letter, not an appendix's
_SECTION_NUMBER = re.compile(r"^(?!M\.)[A-Z]\.\d+\s")


def unnumbered_tables(page: str) -> list[str]:
    """The tables of a page's outputs that neither their caption nor the heading above them
    numbers: every exhibit has a number (review 8: the DWSRA page's own tables and its
    appendices' had none). A table of the page's text (markdown, the colophon's) is no exhibit."""
    soup = BeautifulSoup(page, "html.parser")
    out = []
    for table in (soup.find("main") or soup).find_all("table"):
        if table.find_parent(class_="jp-MarkdownCell") or table.find_parent(class_="celltag_rerun") \
                or table.find_parent(class_="celltag_colophon"):
            continue
        caption = table.caption.get_text(" ", strip=True) if table.caption else ""
        heading = table.find_previous(["h2", "h3", "h4"])
        above = heading.get_text(" ", strip=True) if heading else ""
        if not (_NUMBERED.match(caption) or _NUMBERED.match(above)):
            out.append(f"[{above[:50]}] {caption[:60]}")
    return out


def test_an_unnumbered_table_is_found():
    table = "<table><caption>{}</caption><tr><td>1</td></tr></table>"
    page = ('<main><h3>Budget per ronde</h3><div class="jp-OutputArea-output">' + table.format("Bron: x") + "</div>"
            '<h3>Tabel R.2 Behandelduur</h3><div class="jp-OutputArea-output">' + table.format("Bron: x") + "</div>"
            '<h3>A.1 Overeenstemming</h3><div class="jp-OutputArea-output">' + table.format("Uitkomst") + "</div>"
            '<h3>Tabel A.2. Aantallen</h3><div class="jp-OutputArea-output">' + table.format("Bron") + "</div>"
            '<div class="jp-MarkdownCell">' + table.format("") + "</div></main>")
    assert unnumbered_tables(page) == ["[Budget per ronde] Bron: x", "[A.1 Overeenstemming] Uitkomst"]
    assert section_numbered_headings(page) == ["A.1 Overeenstemming"]


def section_numbered_headings(page: str) -> list[str]:
    """Headings numbered as an appendix's sections (*A.3 Bij het lezen van het rapport*): an
    appendix numbers its tables (*Tabel A.1*), not its sections, as a report does (review 8)."""
    soup = BeautifulSoup(page, "html.parser")
    found = (h.get_text(" ", strip=True) for h in (soup.find("main") or soup).find_all(["h2", "h3", "h4"]))
    return [h.removesuffix("¶").strip() for h in found if _SECTION_NUMBER.match(h)]


@NEEDS_PAGES
@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_no_heading_is_numbered_as_an_appendix_section(page):
    assert section_numbered_headings(page.read_text(encoding="utf-8")) == []


@NEEDS_PAGES
@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_every_table_a_page_shows_is_numbered(page):
    assert unnumbered_tables(page.read_text(encoding="utf-8")) == []
