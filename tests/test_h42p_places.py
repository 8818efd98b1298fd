"""Where a reader finds what a table cites (review 13 items 4 and 7): Tabel C.2 names the report's section
of each inconsistency (it cited only line numbers of a private text conversion, which the page hides), and an
English page that quotes the Dutch report marks the Dutch words and says the English is a translation."""

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from analysis import paths
from analysis.dwsra import accounting

# a text of three sections and a chapter its heading line is known of only by a reference (as the sweep
# reads chapter 5 of the DWSRA report: "hoofdstuk 5" with basis "caption 2566"), written by hand
NUMBERS = pd.DataFrame({
    "line": [10, 12, 30, 40, 55, 70],
    "text": ["1", "1.1", "hoofdstuk 2", "1.2", "Tabel 1.1", "2.1"],
    "kind": ["heading", "heading", "reference", "heading", "reference", "heading"],
    "basis": ["", "", "caption 60", "", "caption 55", ""]})


@pytest.mark.parametrize(("line", "section"), [(5, ""), (10, "1"), (11, "1"), (12, "1.1"), (39, "1.1"), (40, "1.2"),
                                               (59, "1.2"), (60, "2"), (69, "2"), (70, "2.1"), (500, "2.1")])
def test_a_line_lies_in_the_last_section_that_starts_at_or_above_it(line, section):
    assert accounting.section_at(pd.Series([line]), NUMBERS) == [section]


REPORT_PAGES = {"nl": "01_dwsra_portfolio.html", "en": "01_dwsra_portfolio-en.html"}


def _table_after(page: str, number: str):
    path = paths.REPORTS / "html" / "reviewer" / page
    if not path.is_file():
        pytest.skip("no published pages: run make report")
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    heading = next(h for h in soup.find_all(["h3", "h4"]) if h.get_text().startswith(number))
    return heading.find_next("table")


@pytest.mark.parametrize(("lang", "header", "number"),
                         [("nl", "Paragraaf", "Tabel C.2"), ("en", "Section", "Table C.2")])
def test_table_c2_names_the_reports_section_of_each_inconsistency(lang, header, number):
    table = _table_after(REPORT_PAGES[lang], number)
    headers = [th.get_text(" ", strip=True) for th in table.select("thead th")]
    assert header in headers, headers
    column = headers.index(header)
    cells = [tr.find_all(["th", "td"])[column].get_text(strip=True) for tr in table.select("tbody tr")]
    assert all(c.startswith("§ ") for c in cells), cells  # cited as a section, not a number to align
    sections = [c.removeprefix("§ ") for c in cells]
    # the sweep's section headings (data/raw/dwsra_printed_numbers.csv, kind heading) around the pinned lines of
    # tests/test_dwsra.py: 834 in 1.2 (613-857), 1001-1188 in 2.1 and 2.2, 1444 in 3.2, 2350-2473 in 4.3.4
    assert sections[0] == "1.2" and sections[-1] == "4.3.4" and "3.2" in sections
    assert all(s for s in sections)


def test_the_english_time_to_work_page_marks_the_reports_dutch_words_and_its_translation():
    path = paths.REPORTS / "html" / "reviewer" / "04_time_to_work-en.html"
    if not path.is_file():
        pytest.skip("no published pages: run make report")
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    quoted = [s.get_text(" ", strip=True) for s in soup.select('span[lang="nl"]')]
    assert any(q.startswith('"70 procent is binnen zes maanden') for q in quoted), quoted
    text = soup.get_text(" ")
    assert "our translation" in text and "70 percent found work within six months" not in text
