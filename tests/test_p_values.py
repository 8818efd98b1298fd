"""One p-value format on every page (review 7: "5,5e-5" on the cleaning pilot's models page,
"0,07" in a sentence beside "0,071" in its table): three decimals in the page's number
format, "< 0,001" below 0.001, in tables and sentences alike."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from analysis import paths
from analysis.presentation import formats, model_texts, survival_findings

REVIEWER = paths.REPORTS / "html" / "reviewer"


@pytest.mark.parametrize(("value", "nl", "en"), [
    (5.5e-5, "< 0,001", "< 0.001"),  # the value review 7 found printed as 5,5e-5
    (0.0, "< 0,001", "< 0.001"),      # never "0,000"
    (0.00099, "< 0,001", "< 0.001"),
    (0.001, "0,001", "0.001"),
    (0.0711, "0,071", "0.071"),
    (0.9994, "0,999", "0.999"),
    (0.9995, "> 0,999", "> 0.999"),  # three decimals would give 1,000: a thousand to an English reader
    (1.0, "> 0,999", "> 0.999"),     # review 11: "p (Holm) 1,000"
])
def test_a_p_value_is_written_one_way(value, nl, en):
    assert formats.p_value(value, "nl") == nl
    assert formats.p_value(value, "en") == en


def test_an_upper_bound_is_written_as_one():
    assert formats.p_value(1e-16, "nl", upper_bound=True) == "< 0,001"
    assert formats.p_value(0.0015, "en", upper_bound=True) == "< 0.002"
    assert formats.p_value(0.9999, "nl", upper_bound=True) == "< 1"  # never "< 1,000"


@pytest.mark.skipif(not list(REVIEWER.glob("*.html")), reason="needs reports/html (make report)")
def test_no_page_writes_a_p_value_that_reads_as_a_thousand():
    """Review 11: "p (Holm) 1,000" on the models and time-to-work pages (and 1.000 on the English
    ones): a p-value of one in three decimals reads as a thousand in the other language."""
    found = []
    for page in sorted(REVIEWER.glob("*.html")):
        text = page.read_text(encoding="utf-8")
        cells = re.findall(r'data-label="(p[^"]*)"[^>]*>\s*(1[,.]000)\s*<', text)
        said = re.findall(r"p(?:\s|&nbsp;|\u00a0)*=(?:\s|&nbsp;|\u00a0)*1[,.]000", text)
        if cells or said:
            found.append(f"{page.name}: {(cells + said)[:3]}")
    assert not found, found


def test_tables_and_sentences_write_the_same_p_value():
    assert model_texts.p_text(5.5e-5, False, "nl") == "< 0,001"
    assert model_texts.p_text(0.0711, False, "en") == "0.071"
    assert formats.p_phrase(0.0711, "nl") == "p\u00a0=\u00a00,071"
    assert formats.p_phrase(2e-7, "en") == "p\u00a0<\u00a00.001"
    logrank = pd.DataFrame({"origin": ["start", "start", "inflow"], "definition": ["work", "work", "work"],
                            "group": ["triage", "opleiding", "triage"], "p_value": [0.0711, 0.9, 3e-6],
                            "p_upper_bound": [False, False, False]})
    text = " ".join(survival_findings.logrank_sentences(logrank, "nl"))
    assert "p\u00a0=\u00a00,071" in text and "p\u00a0<\u00a00,001" in text
    assert "e-" not in text


def test_no_scientific_notation_in_a_shown_p_column():
    table = pd.DataFrame({"p_value": [5.5e-5, 0.2], "p_upper_bound": [False, False],
                          "p_holm": [1e-4, 0.4], "p_holm_upper_bound": [False, False]})
    shown = model_texts.p_columns(table, "nl")
    assert list(shown["p_value"]) == ["< 0,001", "0,200"]
    assert list(shown["p_holm"]) == ["< 0,001", "0,400"]


def test_a_p_column_with_bounds_stays_a_column_of_numbers():
    """"> 0,999" and "< 0,001" are p-values too: the column keeps its numbers right-aligned."""
    from analysis.presentation import styling

    table = pd.DataFrame({"p_value": [0.2, 1.0, 1e-5], "p_upper_bound": [False, False, False]})
    html = styling.styled(model_texts.p_columns(table, "nl"), "nl").to_html()
    cells = re.findall(r'class="data row\d col0( num)?" >([^<]*)<', html)
    assert cells == [(" num", "0,200"), (" num", "&gt; 0,999"), (" num", "&lt; 0,001")], cells
