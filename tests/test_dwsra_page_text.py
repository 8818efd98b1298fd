"""A reviewer's DWSRA page cites the report by section, never by a line of the plain-text
conversion only this project has (issue 26): references to lines leave the shown text, line
columns leave the shown tables, and the files keep both."""

from __future__ import annotations

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from analysis.dwsra import texts
from analysis.presentation.styling import styled


@pytest.mark.parametrize("written,shown", [
    ("loopt tot 1 juli 2019 (regel 3423), één dag", "loopt tot 1 juli 2019, één dag"),
    ("over sectoren (Tabel 3.3, regel 1451); Tabel 3.2", "over sectoren (Tabel 3.3); Tabel 3.2"),
    ("Figuur 4.2 (categorieën op regel 2530-2550) laat", "Figuur 4.2 laat"),
    ("tegen 10 van 47 (21%, regel 2119) die", "tegen 10 van 47 (21%) die"),
    ("the last row against lines 2516-2518, where", "the last row against the text, where"),
    ("Regel in het rapport", "Regel in het rapport"),  # a word, not a reference
    ("de regeling betaalt 60%", "de regeling betaalt 60%"),
])
def test_line_references_leave_the_shown_text(written, shown):
    assert texts.without_line_numbers(written) == shown


def test_a_check_table_keeps_its_lines_in_the_file_and_shows_none():
    found = pd.DataFrame({"kind": ["text_vs_register", "arithmetic", "reference"],
                          "line": [3423, 1067, 1451], "other_lines": ["3423", "1067;1070", "1451"],
                          "explanation": ["loopt tot 1 juli 2019 (regel 3423), één dag", "som (regel 1067)",
                                          "over sectoren (Tabel 3.3, regel 1451)"]})
    page = texts.for_page(found, "nl")
    html = styled(page, "nl", "Inconsistenties").to_html()
    soup = BeautifulSoup(html, "html.parser")
    shown = soup.get_text(" ")
    assert "3423" not in shown and "1451" not in shown and "regel 1" not in shown, shown
    assert len(soup.select("thead th")) == 2  # kind and explanation; the line columns stay in the file
    assert found["line"].tolist() == [3423, 1067, 1451]  # the input (the file's frame) is untouched


def test_figure_3_1_keeps_its_two_kinds_apart_and_sorts_each_by_count():
    from analysis.dwsra import tables

    table = pd.DataFrame({"group": ["bron", "bron", "bron", "inhoud", "inhoud"],
                          "category": ["Sectorplannen", "Algemene informatie", "Werkgevers", "Tekorten",
                                       "Samenwerking"],
                          "n_projects": [12, 23, 17, 9, 20]})
    counts = tables.figure_counts(table, "nl")
    assert counts.index.tolist() == ["Bron: Algemene informatie", "Bron: Werkgevers", "Bron: Sectorplannen",
                                     "Inhoud: Samenwerking", "Inhoud: Tekorten"]
    assert counts.tolist() == [23, 17, 12, 20, 9]
    single = tables.figure_counts(table.drop(columns="group"), "en")
    assert single.tolist() == [23, 20, 17, 12, 9] and single.index[0] == "Algemene informatie"


def test_amounts_keep_their_decimals_in_a_column_of_fractions():
    frame = pd.DataFrame({"ronde": ["1", "2", "3"], "sra_mln": [7.95, 11.0, 18.95], "power": [0.5, 1.0, 0.25]})
    soup = BeautifulSoup(styled(frame, "nl").to_html(), "html.parser")
    cells = [td.get_text() for td in soup.select("td.num")]
    assert cells[0::2] == ["7,95", "11,00", "18,95"]  # an amount: every value to the cent
    assert cells[1::2] == ["0,50", "1", "0,25"]  # not an amount: a whole 1 stays 1 (never 1,000)
