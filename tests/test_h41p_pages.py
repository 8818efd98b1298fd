"""Review 12's leftovers on the pages (issue 26, H41p).

- The participants page is the report's paragraph 3.1 with its three sections, each holding the
  report's figures: 3.1.1 *Instroom in de pilot* (Figuur 7-9), 3.1.2 *Proces voor de deelnemers*
  (10-11), 3.1.3 *Resultaten voor de deelnemers* (12-13); a pilot without a report has the same
  sections, unnumbered (never another pilot's report's numbers).
- The DWSRA page shows the report's tables in the report's order and its own tables after them:
  the numbers of the report's text recomputed (Tabel E.1-E.7, were R.1-R.7 between the report's
  tables) in Bijlage E after Bijlage D; Tabel 2.1 and 2.2 as printed, the register's columns and
  recount Tabel D.1 and D.2 (Tabel 2.1 with them printed on a landscape page of its own).
- The DWSRA report is named one way: *Evaluatie DWSRA: tussenrapportage* on the Dutch pages, the
  *DWSRA interim evaluation* on the English ones, whose citation's notes are in English.

Reference values are the report's section numbers and titles (the catering pilot's final report,
paragraph 3.1, typed from the printed report) and the DWSRA report's running header.
"""

from __future__ import annotations

import html
import re

import nbformat
import pytest
from bs4 import BeautifulSoup

from analysis import paths
from analysis.pipeline import pages, site

REVIEWER = paths.REPORTS / "html" / "reviewer"

# The report's paragraph 3.1 (final report of the catering pilot, p. 9-12): its sections and the
# figures each holds, as printed.
SECTIONS = {
    "nl": [("3.1.1 Instroom in de pilot", ["7", "8", "9"]), ("3.1.2 Proces voor de deelnemers", ["10", "11"]),
           ("3.1.3 Resultaten voor de deelnemers", ["12", "13"])],
    "en": [("3.1.1 Inflow into the pilot", ["7", "8", "9"]), ("3.1.2 The participants' process", ["10", "11"]),
           ("3.1.3 Results for the participants", ["12", "13"])],
}
FIGURE = {"nl": "Figuur", "en": "Figure"}
WITH_REPORT = {"02_pilot_participants": "nl", "02_pilot_participants-en": "en",
               "02_pilot_participants-20210416": "nl", "02_pilot_participants-20210416-en": "en"}
WITHOUT_REPORT = {"02_pilot_participants-schoonmaak": "nl", "02_pilot_participants-schoonmaak-en": "en"}


def _page(stem: str) -> BeautifulSoup:
    page = REVIEWER / f"{stem}.html"
    if not page.exists():
        pytest.skip("no published pages (run make report)")
    return BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")


def _text(tag) -> str:
    return " ".join(tag.get_text(" ").replace("¶", "").split())


def _sections(soup: BeautifulSoup) -> list[tuple[str, list[str]]]:
    """Each h3 of the main text with the h4 headings under it (up to the next h2 or h3)."""
    out = []
    for head in soup.select("main h2, main h3, main h4"):
        if head.name == "h3":
            out.append((_text(head), []))
        elif head.name == "h4" and out:
            out[-1][1].append(_text(head))
        elif head.name == "h2" and out:
            out.append(("", []))
    return [(title, heads) for title, heads in out if title]


@pytest.mark.parametrize("stem", sorted(WITH_REPORT))
def test_the_participants_page_has_the_report_s_sections_and_their_figures(stem):
    lang = WITH_REPORT[stem]
    soup = _page(stem)
    chapter = [_text(h) for h in soup.select("main h2") if _text(h).startswith("3.1 ")]
    assert len(chapter) == 1, "one paragraph 3.1"
    found = [(title, heads) for title, heads in _sections(soup) if re.match(r"3\.1\.\d ", title)]
    assert [title.rsplit(" (", 1)[0] for title, _ in found] == [title for title, _ in SECTIONS[lang]]
    for (title, heads), (_, numbers) in zip(found, SECTIONS[lang], strict=True):
        assert [h.split()[1].rstrip(".") for h in heads] == numbers, title
        assert all(h.startswith(FIGURE[lang]) for h in heads)
    # each section's heading names its figures as the report numbers them
    assert found[0][0].endswith(f"({FIGURE[lang] if lang == 'nl' else 'Figures'} 7-9)")


@pytest.mark.parametrize("stem", sorted(WITHOUT_REPORT))
def test_a_pilot_without_a_report_has_the_sections_unnumbered(stem):
    soup = _page(stem)
    heads = [_text(h) for h in soup.select("main h2, main h3, main h4")]
    assert not [h for h in heads if re.match(r"3\.1", h)], "no other pilot's report's numbers"
    sections = [title for title, figures in _sections(soup) if figures]
    assert len(sections) == 3 and all(re.search(r"P\d-P\d\)$", s) for s in sections), sections


def test_the_section_placeholder_writes_the_number_only_with_a_report():
    assert pages.placeholder_text("section:3.1.1", {pages.SECTIONS: "numbered"}) == "3.1.1 "
    assert pages.placeholder_text("section:3.1.1", {pages.SECTIONS: ""}) == ""
    assert pages.placeholder_text("pilot", {"pilot": "de pilot"}) == "de pilot"
    cell = nbformat.v4.new_markdown_cell("### {{section:3.1.2}}Proces ({{pilot}})")
    pages.fill_placeholders([cell], {pages.SECTIONS: "numbered", "pilot": "de pilot"})
    assert cell.source == "### 3.1.2 Proces (de pilot)"


def test_an_exhibit_under_a_section_is_listed_and_in_the_contents():
    page = ('<h1 id="t">T</h1><h2 id="c">3.1 Deelnemers</h2><h3 id="s">3.1.1 Instroom in de pilot</h3>'
            '<h4 id="f7">Figuur 7. Opleiding en leeftijd</h4><h3 id="p">3.1.2 Proces</h3>'
            '<h4 id="f10">Figuur 10. Triage</h4>')
    items = site.numbered_items(page, "nl")
    assert [(i.number, i.anchor) for i in items] == [("Figuur 7", "f7"), ("Figuur 10", "f10")]
    toc = BeautifulSoup(pages.toc(page, "nl"), "html.parser")
    assert [a["href"] for a in toc.select("ol ol a")] == ["#s", "#f7", "#p", "#f10"]  # two levels, all listed


def _dwsra(lang: str) -> tuple[str, list[tuple[int, str]]]:
    stem = "01_dwsra_portfolio" + ("-en" if lang == "en" else "")
    page = REVIEWER / f"{stem}.html"
    if not page.exists():
        pytest.skip("no published pages (run make report)")
    text = page.read_text(encoding="utf-8")
    heads = [(int(m.group(1)), " ".join(html.unescape(re.sub(r"<[^>]+>", " ", m.group(2))).replace("¶", "").split()))
             for m in re.finditer(r"<h([2-4])[^>]*>(.*?)</h\1>", text, re.S)]
    return text, heads


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_dwsra_page_s_own_tables_stand_after_the_report_s(lang):
    _, heads = _dwsra(lang)
    word, appendix = ("Tabel", "Bijlage") if lang == "nl" else ("Table", "Appendix")
    texts = [h for _, h in heads]
    figure = "Figuur" if lang == "nl" else "Figure"
    report = [i for i, h in enumerate(texts) if re.match(rf"({word}|{figure}) \d\.\d ", h)]
    own = [i for i, h in enumerate(texts) if re.match(rf"{word} [A-Z]\.\d ", h)]
    assert not [h for h in texts if re.match(rf"{word} R\.\d", h)], "no R tables left"
    assert min(own) > max(report), "every table of the page's own after the report's last exhibit"
    letters = [texts[i].split()[1][0] for i in own]
    assert letters == sorted(letters), "appendices in their order"
    e_head = next(i for i, (level, h) in enumerate(heads) if level == 2 and h.startswith(f"{appendix} E."))
    numbers = [texts[i].split()[1] for i in own if i > e_head]
    assert numbers[:7] == [f"E.{n}" for n in range(1, 8)]
    d = [texts[i].split()[1] for i in own if texts[i].split()[1].startswith("D.")]
    assert d == ["D.1", "D.2", "D.3", "D.4", "D.5", "D.6"] and f"{word} 2.1" in texts[own[letters.index("D")]]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_dwsra_report_is_named_one_way(lang):
    text, _ = _dwsra(lang)
    soup = BeautifulSoup(text, "html.parser")
    for tag in soup.select('[lang="nl"]'):
        tag.decompose() if lang == "en" else None
    words = " ".join(soup.get_text(" ").split())
    assert "Tussenevaluatie DWSRA" not in words and "Tussenevaluatie Tijdelijke regeling" not in words
    if lang == "nl":
        assert words.count("Evaluatie DWSRA: tussenrapportage") >= 10  # the lead, the citation, every source line
    else:
        assert words.count("DWSRA interim evaluation") >= 10
        cited = soup.select_one("p.vwnw-source")
        assert "as at the end of April 2018" in cited.get_text() and "Ministry of Social Affairs" in cited.get_text()
        assert "stand eind april" not in words and "ministerie van SZW" not in words


def test_the_english_landing_page_cites_the_dwsra_report_in_english():
    index = paths.REPORTS / "html" / pages.LANDING_PAGE["en"]
    if not index.exists():
        pytest.skip("no published pages (run make report)")
    soup = BeautifulSoup(index.read_text(encoding="utf-8"), "html.parser")
    cited = soup.find(id="bron-01_dwsra_portfolio")
    assert "as at the end of April 2018" in cited.get_text() and cited.get("lang") is None
    assert cited.select_one('em[lang="nl"]').get_text() == "Evaluatie DWSRA: tussenrapportage"


# a figure is scaled whole to a phone's width (about 355 CSS px at 390); its smallest text, 9 points
# (plots.SMALL) on a figure at most 5.5 inches wide (plots.WIDTH), then shows at 8 px or more
PHONE_CSS_WIDTH = 355


@pytest.mark.parametrize("prefix", ["models_forest", "models_power", "time_to_work"])
def test_model_and_time_to_work_figures_are_drawn_at_the_bar_figures_width(prefix):
    """Review 12: the models and time-to-work figures, 7 and 7.5 inches wide with 8-point text,
    showed it at 5-6 px on a phone; they are drawn at the bar figures' 5.5 inches and 9 points."""
    figures = sorted((paths.REPORTS / "figures").glob(f"{prefix}_*.svg"))
    if not figures:
        pytest.skip("no published figures (run make report)")
    for svg in figures:
        width_pt = float(re.search(r'<svg[^>]*\bwidth="([\d.]+)pt"', svg.read_text(encoding="utf-8")).group(1))
        assert width_pt <= 5.5 * 72, svg.name
        assert 9 * PHONE_CSS_WIDTH / width_pt >= 7.9, svg.name


@pytest.mark.parametrize("run", ["01_dwsra_portfolio", "02_pilot_participants", "03_outcome_models"])
def test_the_english_landing_page_lists_a_dutch_page_s_exhibits_in_english(run):
    """Review 12: the English landing page listed the Dutch pages' exhibits under their Dutch titles
    only; it now gives the English twin's number and title, linking to the Dutch page."""
    index = paths.REPORTS / "html" / pages.LANDING_PAGE["en"]
    if not index.exists():
        pytest.skip("no published pages (run make report)")
    soup = BeautifulSoup(index.read_text(encoding="utf-8"), "html.parser")
    rows = soup.find("section", id=run).select("tbody tr")
    numbered = [r for r in rows if re.match(r"(Table|Figure|Tabel|Figuur) ", r.td.get_text())]
    assert numbered and all(r.td.get_text().startswith(("Table ", "Figure ")) for r in numbered[:3])
    assert all(r.get("lang") is None for r in numbered[:3])
    assert all(r.a["href"].startswith(f"reviewer/{run}.html#") for r in numbered[:3])  # the Dutch page
    assert not soup.find("section", id=run).select("tr[lang]"), "every row in English, the unnumbered files' too"
    twin = soup.find("section", id=f"{run}-en").select("tbody tr")
    assert [r.select("td")[1].get_text() for r in numbered[:3]] == [r.select("td")[1].get_text() for r in twin[:3]]
