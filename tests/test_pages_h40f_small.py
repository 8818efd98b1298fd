"""Review 12, finding 15's figure and findings items (issue 26): Figuur 11 never said that one
participant can get several services (its counts add up to 110 of 30); the findings said
"triagepad drie" beside Figuur 10's "Triage 3"; Figuur M1's Dutch title said "Odds ratios" where
the text says "odds ratio's"; the cleaning models page printed smallest detectable odds ratios
of 10 and more with two decimals ("15,24") against the rule of fewer decimals from 10 on."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import exhibit_figures, paths
from analysis.presentation import model_findings, model_texts, pilot_findings

RAW = paths.PROJECT_ROOT / "data" / "raw"
FIGURES = paths.REPORTS / "figures"


def _services() -> pd.Series:
    data = pd.read_csv(RAW / "pilot_participants_synthetic.csv", dtype=str)
    return data.filter(like="dv_").apply(lambda c: c.str.lower().eq("true").sum())


def test_figure_11_says_a_participant_can_count_in_several_bars():
    services = _services()
    assert services.sum() == 110  # the review's count, from the file: 110 services for 30 persons
    assert exhibit_figures.several(services, 30)
    assert not exhibit_figures.several(pd.Series([10, 12, 8]), 30)  # one bar per person: no note


@pytest.mark.skipif(not FIGURES.exists(), reason="needs reports/figures (make report)")
@pytest.mark.parametrize("lang,words", [("nl", "meerdere staven"), ("en", "several bars")])
def test_the_published_figure_11_carries_the_note(lang, words):
    svgs = sorted(FIGURES.glob(f"pilot_figuur_11_dienstverlening_2021*_{lang}_k*.svg"))
    assert len(svgs) == 2  # 1 and 16 April
    assert all(words in s.read_text(encoding="utf-8") for s in svgs)


def test_a_triage_path_in_a_finding_carries_the_figure_s_label():
    assert pilot_findings.group_words("triage_3", "nl") == "triagepad drie (Triage 3)"
    assert pilot_findings.group_words("triage_3", "en") == "triage path three (Triage 3)"
    assert pilot_findings.group_words("triage_3", "nl", digits=False) == "triagepad drie"  # a private run: words


def test_smallest_detectable_odds_ratios_follow_the_odds_ratio_decimals():
    assert model_findings.mde_ratio(15.2449, "nl") == "15,2"
    assert model_findings.mde_ratio(8.4957, "nl") == "8,50"
    assert model_findings.mde_ratio(123.4, "en") == "123"
    mde = pd.DataFrame({"design": ["observed: a", "observed: b"], "n": [56, 56],
                        "mde_odds_ratio_above_1": [15.2449, 8.4957], "mde_odds_ratio_below_1": [0.07146, float("nan")]})
    view = model_texts.mde_view(mde, "nl")  # the table as the text writes it: "15,2", never "15,20" beside "8,50"
    assert view["mde_odds_ratio_above_1"].tolist() == ["15,2", "8,50"]


@pytest.mark.parametrize("study", ["vwnw_pilot", "schoonmaak_twente_2023"])
def test_figure_m1_s_dutch_title_writes_odds_ratio_s(study):
    text = (paths.PROJECT_ROOT / "studies" / f"{study}.exhibits.yml").read_text(encoding="utf-8")
    assert "Odds ratio's voor uitstroom naar werk" in text and "Odds ratios voor" not in text
