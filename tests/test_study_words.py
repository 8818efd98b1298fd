"""Every study's pages speak of that study only (review 7: the contract-cleaning pilot's models
page named its outcome "nieuwe baan of werk en scholing" and its outflow categories "Gestart met
opleiding" and "In bemiddeling", the catering pilot's status words). The outcome and the outflow
categories are named from the active study's own status labels, by their kind."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml

from analysis import paths
from analysis.pilot import schema as ps
from analysis.pipeline import pages
from analysis.presentation import model_texts, survival_texts
from analysis.presentation.labels import label, outcome_words
from analysis.study import DEFAULT_STUDY

SECOND = "schoonmaak_twente_2023"


def _status_labels(study: str, lang: str) -> dict[str, str]:
    """The study file's status labels by kind, read from the YAML (not through the code under test)."""
    raw = yaml.safe_load((paths.PROJECT_ROOT / "studies" / f"{study}.yml").read_text(encoding="utf-8"))
    return {v["kind"]: v[lang] for v in raw["statuses"].values()}


@pytest.fixture()
def cleaning():
    ps.use_study(SECOND)
    try:
        yield
    finally:
        ps.use_study(DEFAULT_STUDY)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_outcome_is_named_by_the_studys_own_statuses(cleaning, lang):
    own, other = _status_labels(SECOND, lang), _status_labels(DEFAULT_STUDY, lang)
    words = outcome_words("work", lang)
    assert own["work"].lower() in words.lower() and own["work_and_education"].lower() in words.lower()
    assert other["work"].lower() not in words.lower()  # "nieuwe baan" / "new job": the catering pilot's
    assert own["education"].lower() in outcome_words("work_or_education", lang).lower()
    assert own["work"].lower() in label("werk", lang).lower()
    assert own["work"].lower() in survival_texts.text("work", lang).lower()


def test_the_outflow_categories_are_the_studys_own(cleaning):
    shares = pd.DataFrame({"werk": [0.6], "opleiding": [0.1], "bemiddeling": [0.3]}, index=["1"])
    headers = list(model_texts.shares_table(shares, "nl").columns)
    own, other = _status_labels(SECOND, "nl"), _status_labels(DEFAULT_STUDY, "nl")
    assert own["education"] in headers and own["in_progress"] in headers
    assert not {other["education"], other["in_progress"]} & set(headers)  # "Gestart met opleiding", "In bemiddeling"


def test_the_models_page_says_the_outcome_in_the_studys_words(cleaning):
    outcome = type("Outcome", (), {"definition": "work", "population": "stayed", "cutoff": "2024-01-15",
                                   "events": 36, "n": 56, "rate": 36 / 56})()
    text = model_texts.run_statement(outcome, ["triage"], True, 64, 1, True, "nl")
    assert _status_labels(SECOND, "nl")["work"].lower() in text.lower()
    assert "nieuwe baan" not in text


def test_the_catering_pilot_keeps_its_words():
    assert outcome_words("work", "nl") == "nieuwe baan of werk en scholing"  # its Figuur 12 labels, joined
    assert outcome_words("work", "en") == "new job or work and education"


def test_the_time_to_work_page_fills_the_outcome_from_the_study():
    words = pages.study_words({"study": SECOND, "cutoff_date": "2024-01-15"}, "nl")
    assert _status_labels(SECOND, "nl")["work"].lower() in words["work"]
    assert words["education"] == _status_labels(SECOND, "nl")["education"].lower()
