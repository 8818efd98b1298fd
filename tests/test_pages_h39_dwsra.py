"""Issue 26 (H39p): the DWSRA page reads like the report.

- A table numbered as one of the report's shows the report's table as printed (Tabel 2.3, 2.4, 3.2,
  3.3 showed the register's recounts under the report's numbers); the recounts stand apart, in
  *Bijlage D* (Controle), numbered D.1-D.6 (Tabel 2.1 and 2.2 as printed too since review 12: Tabel 2.1
  without the register's columns, which printed it on a landscape page of its own).
- The page's headings follow the report's chapters and sections, numbers and titles as printed
  (2.3, 4.2 and 4.3 were unnumbered; there were no chapter headings).

Reference values are the report's (Ecorys 2018, Tabel 2.1, 2.2, 2.3, 2.4, 3.2, 3.3 and its table of
contents), typed here from the printed report, never computed by the code under test.
"""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest

from analysis import paths
from analysis.dwsra import tables

# The report's tables as printed (Ecorys 2018, p. 2.2-3.2): every number in reading order.
PRINTED = {
    "tabel_2_1": [[23, 11, 13, 12, 36, 23, 64], [16, 8, 32, 19, 48, 27, 56], [39, 19, 45, 31, 84, 50, 60]],
    "tabel_2_2": [[19, 23.4, 3.5, 1.4, 16.2], [15, 6.6, 1.0, 0.5, 4.5], [13, 14.1, 2.1, 1.4, 9.9],
                  [47, 44.2, 6.6, 1.1, 30.6]],
    "tabel_2_3": [[15, 12.4, 1.9, 8.5, 28], [15, 13.6, 2.0, 9.4, 31], [17, 18.2, 2.7, 12.7, 41],
                  [47, 44.2, 6.6, 30.6, 100]],
    "tabel_2_4": [[11, 23], [27, 57], [17, 36], [16, 34], [18, 38], [14, 30]],
    "tabel_3_2": [[16, 34], [11, 23], [20, 43]],
    "tabel_3_3": [[13, 28], [13, 28], [21, 45]],
}
NUMBERS = {"tabel_2_1": "2.1", "tabel_2_2": "2.2", "tabel_2_3": "2.3", "tabel_2_4": "2.4", "tabel_3_2": "3.2",
           "tabel_3_3": "3.3"}

# The report's chapters and sections the page covers, as the report numbers and titles them.
REPORT_SECTIONS = {
    "nl": ["2 Overzicht van lopende projecten", "2.1 Goedgekeurde projecten", "2.2 Lopende projecten",
           "2.3 Typen activiteiten", "3 Probleemanalyse, doelgroep en beoogde meerwaarde",
           "3.1 Gehanteerde probleemanalyse", "3.2 Beoogde doelgroep", "3.3 Beoogde meerwaarde van de aanpak",
           "4 Ervaringen startfase", "4.2 Financiële voortgang van de projecten",
           "4.3 Bevindingen uit interviews met projectleiders"],
    "en": ["2 Overview of running projects", "2.1 Approved projects", "2.2 Running projects",
           "2.3 Types of activities", "3 Problem analysis, target group and intended added value",
           "3.1 The problem analysis used", "3.2 Intended target group", "3.3 Intended added value of the approach",
           "4 Experiences in the start-up phase", "4.2 Financial progress of the projects",
           "4.3 Findings from interviews with project leaders"],
}
WORD = {"nl": ("Tabel", "Bijlage"), "en": ("Table", "Appendix")}


def _published() -> pd.DataFrame:
    return pd.read_csv(paths.PROJECT_ROOT / "data" / "raw" / "dwsra_published_cells.csv")


@pytest.mark.parametrize("table", sorted(set(PRINTED) - {"tabel_2_1"}))  # 2.1: the applications file's
def test_report_table_gives_the_table_as_printed(table):
    got = tables.report_table(_published(), table)
    assert got.to_numpy().tolist() == PRINTED[table]


def test_report_table_leaves_out_the_text_beside_the_table_and_refuses_other_tables():
    assert "meer_dan_een_type" not in tables.report_table(_published(), "tabel_2_4").index
    with pytest.raises(ValueError, match="tabel_2_1"):
        tables.report_table(_published(), "tabel_2_1")


def _page(lang: str) -> str:
    stem = "01_dwsra_portfolio" + ("" if lang == "nl" else "-en")
    page = paths.REPORTS / "html" / "reviewer" / f"{stem}.html"
    if not page.exists():
        pytest.skip("no published pages (run make report)")
    return page.read_text(encoding="utf-8")


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).replace("¶", "").split())


def _headings(page: str) -> list[tuple[int, int, str]]:
    return [(m.start(), int(m.group(1)), _text(m.group(2)))
            for m in re.finditer(r"<h([1-3])[^>]*>(.*?)</h\1>", page, re.S)]


def _numbers_of_table_after(page: str, at: int) -> list[list[float]]:
    """The numbers of each body row of the first table after ``at`` (its label column left out)."""
    start = page.index("<table", at)
    body = page[start:page.index("</table>", start)]
    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S):
        cells = [_text(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        if cells:
            rows.append([float(c.replace(".", "").replace(",", ".") if "," in c else c)
                         for c in cells if re.fullmatch(r"[\d.,]+", c)])
    return rows


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_report_s_numbers_head_the_report_s_tables_as_printed(lang):
    page = _page(lang)
    heads = _headings(page)
    for table, number in NUMBERS.items():
        at = next(pos for pos, level, text in heads if level == 3 and text.startswith(f"{WORD[lang][0]} {number} "))
        assert _numbers_of_table_after(page, at) == PRINTED[table], (lang, number)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_register_s_recounts_stand_apart_in_appendix_d(lang):
    heads = _headings(_page(lang))
    appendix = next(pos for pos, level, text in heads if level == 2 and text.startswith(f"{WORD[lang][1]} D."))
    after = [h for h in heads if h[0] > appendix]
    end = next((pos for pos, level, _ in after if level == 2), None)
    inside = [text for pos, level, text in after if level == 3 and (end is None or pos < end)]
    numbers = [t.split()[1] for t in inside if t.startswith(WORD[lang][0])]
    assert numbers == ["D.1", "D.2", "D.3", "D.4", "D.5", "D.6"]
    for text, number in zip(inside, NUMBERS.values(), strict=True):
        assert f"{WORD[lang][0]} {number}" in text  # each says which report table it recounts


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_page_s_headings_follow_the_report_s_chapters_and_sections(lang):
    shown = [text for _, level, text in _headings(_page(lang)) if level == 2]
    numbered = [t for t in shown if re.match(r"\d", t)]
    assert numbered == REPORT_SECTIONS[lang]


# Issue 26, item 4: a table or heading on the models and time-to-work pages names a method in words;
# the exact method (Firth, Kaplan-Meier) stays in the methods notes and captions.
METHOD_AS_LABEL = ("Firth-model", "Firth model", "Firth-logit", "Firth logit", "Kaplan-Meier (%)",
                   "Firth-intercept", "Firth intercept")


@pytest.mark.parametrize("stem", ["03_outcome_models", "03_outcome_models-en", "04_time_to_work",
                                  "04_time_to_work-en"])
def test_models_and_time_to_work_tables_name_methods_in_words(stem):
    page = paths.REPORTS / "html" / "reviewer" / f"{stem}.html"
    if not page.exists():
        pytest.skip("no published pages (run make report)")
    text = page.read_text(encoding="utf-8")
    shown = [_text(m.group(0)) for m in re.finditer(r"<(h[1-3]|th|td)[^>]*>.*?</\1>", text, re.S)]
    found = sorted({name for cell in shown for name in METHOD_AS_LABEL if name in cell})
    assert not found, f"{stem}: a method's name as a label: {found}"


@pytest.mark.parametrize(("index", "words"), [("index.html", "punt als decimaalteken"),
                                              ("index-en.html", "a point as the decimal mark")])
def test_the_landing_pages_say_how_the_csv_files_are_written(index, words):
    page = paths.REPORTS / "html" / index
    if not page.exists():
        pytest.skip("no published pages (run make report)")
    assert words in _text(page.read_text(encoding="utf-8"))


# Issue 26, item 5 (print): an appendix starts on a page of its own, and an appendix whose first exhibit
# is a wide table prints its heading on that table's landscape page (the models page's Bijlage B stood
# alone on an upright page; the DWSRA page's at a page's foot). The PDFs: make pdf.
TEMPLATE = paths.PROJECT_ROOT / "src" / "analysis" / "pipeline" / "templates" / "vwnw_offline.html.j2"
WIDE_NEXT = (r'<h2 id="(?:Bijlage|Appendix)-B[^"]*">.*?</div>\s*</div>\s*</div>\s*</div>'
             r'<div [^>]*class="jp-Cell jp-CodeCell[^"]*">\s*<div class="jp-Cell-outputWrapper">\s*'
             r'<div class="jp-Collapser[^"]*">\s*</div>\s*<div class="jp-OutputArea[^"]*">\s*<div class="vwnw-wide">')


def test_print_starts_each_appendix_on_a_page_and_takes_its_heading_to_a_wide_table():
    css = TEMPLATE.read_text(encoding="utf-8")
    assert '.jp-MarkdownCell:has(h2[id^="Bijlage-"], h2[id^="Appendix-"]) { break-before: page; }' in css
    assert re.search(r'\.jp-MarkdownCell:has\(h2\[id\^="Bijlage-"\], h2\[id\^="Appendix-"\]\):has\(\s*'
                     r'\+ \.jp-CodeCell > \.jp-Cell-outputWrapper > \.jp-OutputArea > div\.vwnw-wide:first-child\)'
                     r' \{ page: wide; \}', css)


@pytest.mark.parametrize("stem", ["03_outcome_models", "03_outcome_models-en"])
def test_the_models_appendix_b_heading_cell_is_right_before_its_wide_table(stem):
    """The structure the print rule above selects: the appendix's heading cell, then the code cell whose
    first output is the wide table's section (so the heading goes with it onto the landscape page)."""
    page = paths.REPORTS / "html" / "reviewer" / f"{stem}.html"
    if not page.exists():
        pytest.skip("no published pages (run make report)")
    assert re.search(WIDE_NEXT, page.read_text(encoding="utf-8"), re.S)
