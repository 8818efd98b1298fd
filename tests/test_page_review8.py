"""Review 8's leftovers on the published pages (issue 26): each check is tried on a page made
here, so that it can fail, and then run on every reviewer page of ``reports/html`` after
``make report``."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from analysis import paths

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
        t = pd.read_csv(f, keep_default_na=False)
        small = t[pd.to_numeric(t["group_n"], errors="coerce") < MIN_GROUP_N]
        assert all("not informative" in n for n in small["note"]), (f.name, small[["term", "group_n", "note"]])
