"""Review 12, findings 5 and 6 (issue 26), the time-to-work page: the at-risk rows under the
figures were labelled *nog zonder uitstroom* (they run 28 -> 1 while 8 of 28 still had no work at
the end: they count those still followed and without an outcome, the English *(at risk)*); their
captions doubled brackets (*(werk (nieuwe baan ...))*); the summary compared work at four months
with work or education at three; and it spoke in method names (follow-up, cumulatieve incidentie,
Kaplan-Meier, log-rank, Cox, hazard ratio's), which stay in the methods text."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from analysis import paths
from analysis.presentation import survival_findings, survival_texts

PAGES = {"nl": paths.REPORTS / "html" / "reviewer" / "04_time_to_work.html",
         "en": paths.REPORTS / "html" / "reviewer" / "04_time_to_work-en.html"}
NEEDS_PAGES = pytest.mark.skipif(not all(p.exists() for p in PAGES.values()),
                                 reason="needs reports/html (make report runs before the tests)")
JARGON = ("follow-up", "censurering", "censoring", "aalen", "kaplan", "cumulatieve incidentie", "cumulative incidence",
          "log-rank", "cox", "hazard")
MONTHS = {"nl": r"\b(Eén maand|(?:Twee|Drie|Vier|Vijf) maanden) na\b",
          "en": r"\b(One month|(?:Two|Three|Four|Five) months) after\b"}


def test_the_at_risk_rows_say_still_followed_without_an_outcome_in_both_languages():
    nl = survival_texts.text("at_risk_caption", "nl", origin="de start")
    en = survival_texts.text("at_risk_caption", "en", origin="the start")
    assert "nog gevolgd" in nl and "zonder uitkomst" in nl and "uitstroom" not in nl
    assert "(at risk)" in en and "followed" in en
    assert "gevolgd" in survival_texts.HEADERS["n_risk"][0] and survival_texts.HEADERS["n_risk"][1] == "at risk"


def _curve(definition: str, n_risk: list[int]) -> pd.DataFrame:
    """An overall curve from the start, by hand (days; a month is 365.25 / 12 = 30.44 days)."""
    return pd.DataFrame({"origin": "start", "definition": definition, "curve": "all",
                         "end": [30.0, 60.0, 100.0, 130.0, 150.0, 170.0], "n_risk": n_risk,
                         "cif": [0.2, 0.35, 0.45, 0.5, 0.6, 0.7], "cif_low": [0.1, 0.2, 0.3, 0.33, 0.4, 0.45],
                         "cif_high": [0.3, 0.5, 0.6, 0.66, 0.75, 0.85]})


def test_both_definitions_are_compared_at_one_month():
    """Work: at month 4 (121.8 days) the interval holding it (100-130) starts with 6 at risk, so
    month 4 is its latest informative month; work or education: 4 there, 5 at month 3 (91.3 days,
    interval 60-100). Both are said at month 3, where the last step (day 60) gives 35% (20% to 50%)."""
    curves = pd.concat([_curve("work", [20, 12, 8, 6, 3, 1]), _curve("work_or_education", [20, 9, 5, 4, 2, 1])])
    assert survival_findings.informative_horizon(curves, "start", "work")[0] == 4
    assert survival_findings.informative_horizon(curves, "start", "work_or_education")[0] == 3
    six = pd.DataFrame({"origin": "start", "definition": ["work", "work_or_education"], "curve": "all",
                        "report_share": 0.7, "one_minus": NA_PAIR, "cif": [0.76, 0.89], "cif_low": [0.44, 0.69],
                        "cif_high": [0.91, 0.96], "note": "few_at_risk", "informative": False})
    text = " ".join(survival_findings.six_month_sentences(six, "en", curves))
    assert re.findall(MONTHS["en"], text) == ["Three months"]
    assert ("Three months after the start of the programme, an estimated 35% had moved on to work (95% interval 20% "
            "to 50%; 8 participants could still move on then) and 35% had moved on to work or education (95% "
            "interval 20% to 50%; 5 participants could still move on then).") in text


NA_PAIR = [float("nan"), float("nan")]


def _summary(lang: str) -> list[str]:
    soup = BeautifulSoup(PAGES[lang].read_text(encoding="utf-8"), "html.parser")
    paragraphs = [p.get_text(" ", strip=True) for p in soup.select("main p")]
    first = next(i for i, p in enumerate(paragraphs) if p.startswith(("Bevindingen.", "Findings.")))
    return paragraphs[first:first + 4]


@NEEDS_PAGES
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_published_summary_compares_at_one_month_in_plain_words(lang):
    summary = _summary(lang)
    months = {m for p in summary for m in re.findall(MONTHS[lang], p)}
    assert len(months) <= 1, months  # review 12: four months beside three
    words = " ".join(summary).lower()
    assert [j for j in JARGON if j in words] == []


@NEEDS_PAGES
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_published_at_risk_captions_have_no_doubled_brackets_and_say_followed(lang):
    soup = BeautifulSoup(PAGES[lang].read_text(encoding="utf-8"), "html.parser")
    captions = [c.get_text(" ", strip=True) for c in soup.select("caption")]
    at_risk = [c for c in captions if ("gevolgd" in c if lang == "nl" else "(at risk)" in c)]
    assert len(at_risk) >= 4, captions
    assert not any("))" in c or "((" in c for c in at_risk), at_risk
    assert not any("nog zonder uitstroom" in c for c in captions)
