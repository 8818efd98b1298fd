"""The landing page in words a reviewer reads (review 10: its title said "beide rapporten" over three
studies, one without a report, and its intro named "sha256" and "manifest.json")."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from analysis import paths

REPORTS = Path(os.environ.get("VWNW_REPORTS", paths.REPORTS))
PAGES = [REPORTS / "html" / name for name in ("index.html", "index-en.html")]


@pytest.mark.skipif(not all(p.is_file() for p in PAGES), reason="needs reports/html (make report)")
@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_the_landing_page_counts_no_reports_and_names_no_file_format(page):
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    studies = len({h3.get_text().split(":")[0] for h3 in soup.select("section[id] h3")})  # a run's study
    title = soup.h1.get_text(" ", strip=True).lower()
    if studies > 2:
        assert not any(word in title for word in ("beide", "both", "twee ", "two ")), (studies, title)
    text = soup.body.get_text(" ", strip=True)
    for jargon in ("sha256", "manifest.json"):
        assert jargon not in text, jargon
    assert soup.select_one('a[href="manifest.json"]'), "the list of files stays linked"


MODEL_PAGES = sorted((REPORTS / "html" / "reviewer").glob("03_outcome_models*.html"))
COUNTS = {"twee": 2, "drie": 3, "vier": 4, "two": 2, "three": 3, "four": 4}


@pytest.mark.skipif(not MODEL_PAGES, reason="needs reports/html (make report)")
@pytest.mark.parametrize("page", MODEL_PAGES, ids=lambda p: p.name)
def test_the_table_of_estimates_names_no_more_models_than_it_shows(page):
    """Review 10: Tabel M2 "Schattingen van de drie modellen" showed two (the ordinary logit could not
    be estimated)."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    for table in soup.select("table"):
        heads = [th.get_text(strip=True) for th in table.select("thead tr:last-child th")]
        if "Model" not in heads:
            continue
        column = heads.index("Model")
        shown = {tr.find_all("td")[column].get_text(strip=True) for tr in table.select("tbody tr")
                 if len(tr.find_all("td")) > column}
        heading = table.find_previous(["h2", "h3", "h4"]).get_text(" ", strip=True)
        words = f"{heading} {table.caption.get_text(' ', strip=True) if table.caption else ''}".lower()
        said = [n for w, n in COUNTS.items() if f" {w} " in f" {words} "]
        assert all(n == len(shown) for n in said), (heading, sorted(shown), said)
        assert "gewone logit" not in words or any("gewone" in m.lower() for m in shown), words
