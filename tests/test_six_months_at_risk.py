"""Tabel T1 says how many persons the six-month estimate rests on (the sixth reviewer: triage
path 3's 100% at six months was one person's job at 5.4 months, shown as informative beside a
Cox model and a models page that say that path has less outflow)."""

from __future__ import annotations

import pandas as pd

from analysis.presentation import survival_texts as st
from analysis.stats import released
from analysis.stats.survival import DAYS_PER_MONTH, SIX_MONTHS


def _curves() -> pd.DataFrame:
    rows = []
    # triage=3: 14 at the start, the last step before six months with one person at risk, then a step after six months
    # (end, at risk, outflow): a row at six months where nothing happens is no step
    for end, n_risk, events in [(30, 14, 2), (90, 9, 1), (164, 1, 1), (SIX_MONTHS, 0, 0), (200, 1, 1)]:
        rows.append({"origin": "start", "definition": "work", "curve": "triage=3", "end": float(end),
                     "n_risk": n_risk, "events": events, "competing": 0})
    for end, n_risk, events in [(30, 13, 1), (120, 8, 0), (170, 6, 1), (175, 5, 0)]:  # triage=2: six at its last step
        rows.append({"origin": "start", "definition": "work", "curve": "triage=2", "end": float(end),
                     "n_risk": n_risk, "events": events, "competing": 0})
    return released.mark(pd.DataFrame(rows))


def _six() -> pd.DataFrame:
    return released.mark(pd.DataFrame({
        "origin": "start", "definition": "work", "curve": ["triage=2", "triage=3"], "months": 6.0,
        "report_share": None, "group_n": [13, 14], "informative": [True, True], "one_minus": [0.82, 1.0],
        "one_minus_low": [0.5, None], "one_minus_high": [0.99, None],
        "cif": [0.77, 0.85], "cif_low": [0.36, 0.51], "cif_high": [0.93, 0.96], "note": ["", ""]}))


def test_the_estimate_on_one_person_at_risk_is_not_informative():
    assert 164 < SIX_MONTHS < 200 and SIX_MONTHS / DAYS_PER_MONTH == 6
    out = st.with_last_at_risk(_six(), _curves())
    assert out["n_risk_last"].tolist() == [6, 1]  # the last step up to six months, not the one after
    assert out["informative"].tolist() == [True, False]
    assert out["note"].tolist() == ["", "few_at_risk"]
    assert released.is_marked(out) and 1.0 in released.marked_numbers(out)  # the page's at-risk counts


def test_the_page_shows_the_number_at_risk_and_why_it_is_not_informative():
    view = st.six_months_view(st.with_last_at_risk(_six(), _curves()), "nl")
    assert view[st.header("n_risk_last", "nl")].tolist() == ["6", "1"]
    note = view[st.header("note", "nl")].tolist()
    assert note[0] == "" and note[1].startswith("laatste stap te klein") and "te kleine" not in note[1]


def test_a_small_group_keeps_its_own_note():
    six = _six().assign(group_n=[13, 3], informative=[True, False])
    view = st.six_months_view(st.with_last_at_risk(six, _curves()), "en")
    assert view[st.header("note", "en")].tolist()[1] == "group too small: not informative"


def test_a_step_the_day_after_six_months_is_not_the_one_the_estimate_rests_on():
    """The seventh reviewer: "Alle deelnemers" was said to rest on 1 person at risk, taken from a
    step on day 183, after the interval that ends at six months (day 182.625)."""
    rows = [(60, 28, 3), (150, 6, 1), (SIX_MONTHS, 2, 1), (183, 1, 1)]
    curves = released.mark(pd.DataFrame([{"origin": "start", "definition": "work", "curve": "all", "end": float(e),
                                          "n_risk": n, "events": k, "competing": 0} for e, n, k in rows]))
    six = _six().iloc[:1].assign(curve="all", group_n=28)
    assert st.with_last_at_risk(six, curves)["n_risk_last"].tolist() == [2]
