"""Tabel T2 says what each log-rank test compares (issue 26: the page showed "Vrijheidsgraden: 2"
beside a CSV note "variance matrix singular: generalised inverse, df = 2" it never showed).

The singular case is made by the statistics module itself (a level no one of which is at risk
at any outflow, as the never started were), so the notes follow what it really writes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import paths
from analysis.presentation import survival_texts as st
from analysis.stats import survival


def _durations() -> pd.DataFrame:
    rng = np.random.default_rng(5)
    rows = [{"time": float(rng.integers(10, 300)), "status": int(rng.random() < 0.7), "triage": str(1 + i % 3),
             "opleiding": ("laag", "hoog")[i % 2]} for i in range(60)]
    rows += [{"time": 0.0, "status": 2, "triage": "geen", "opleiding": "laag"} for _ in range(2)]  # never started
    return pd.DataFrame(rows)


def _tests(with_singular: bool) -> pd.DataFrame:
    d = _durations()
    by_triage = d if with_singular else d[d["triage"] != "geen"]
    rows = [survival.logrank(by_triage, "triage"), survival.logrank(d, "opleiding")]
    return pd.DataFrame([{**r, "origin": "start", "definition": "work", "p_upper_bound": False} for r in rows])


def test_the_statistics_module_still_writes_the_note_the_page_reads():
    assert _tests(True)["note"][0].startswith(st.SINGULAR)  # else the page would miss a singular test


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_singular_test_is_said_plainly_on_the_page_and_in_the_csv(lang):
    noted = st.with_test_notes(_tests(True))
    csv_note = noted["note"][0]
    assert csv_note.startswith(st.TEST_NOTES["triage_started"][0]) and "left out" in csv_note
    assert "df = 2" in csv_note  # the module's own note is kept
    assert noted["note"][1] == ""  # by education: nothing to say
    view = st.tests_view(noted, lang)
    shown = view[st.header("note", lang)].tolist()
    assert shown[0] == st.TEST_NOTES["singular"][1 if lang == "nl" else 2][:1].upper() + \
        st.TEST_NOTES["singular"][1 if lang == "nl" else 2][1:]
    assert not any("generalised" in s or "singular" in s for s in shown)  # no jargon in the cell
    said = st.tests_explained(noted, lang)
    assert ("gegeneraliseerde inverse" if lang == "nl" else "generalised inverse") in said
    assert ("nooit een triagepad" if lang == "nl" else "never given one") in said


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_regular_test_says_who_is_compared_and_what_the_degrees_of_freedom_are(lang):
    noted = st.with_test_notes(_tests(False))
    view = st.tests_view(noted, lang)
    assert set(view[st.header("note", lang)]) == {""}  # said once under the table, not on every row
    said = st.tests_explained(noted, lang)
    assert ("min één" if lang == "nl" else "minus one") in said
    assert ("inverse" not in said) and ("singulier" in said if lang == "nl" else "singular" in said)


def test_the_docs_say_what_the_csv_note_says():
    docs = (paths.PROJECT_ROOT / "docs" / "time_to_work.md").read_text(encoding="utf-8")
    assert "with_test_notes" in docs and "generalised inverse" in docs
