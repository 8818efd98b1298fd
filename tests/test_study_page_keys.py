"""The study file's keys for the pages: ``default`` (the study of a run without a study
parameter), ``short_name`` (the pages' titles) and ``report.citation`` (the landing page's
sources), each validated with the study file."""

from __future__ import annotations

import shutil
from html import escape

import pytest

from analysis.pilot import schema as ps
from analysis.presentation import titles
from analysis.study import DEFAULT_STUDY, SHIPPED, StudyError, load_study
from analysis.study.load import default_study

SECOND = "schoonmaak_twente_2023"


def _copy(tmp_path, sid: str, old: str = "", new: str = ""):
    for path in SHIPPED.glob(f"{sid}*.yml"):
        shutil.copy(path, tmp_path / path.name)
    shutil.copy(SHIPPED / "vwnw_pilot.exhibits.yml", tmp_path)
    study = tmp_path / f"{sid}.yml"
    text = study.read_text(encoding="utf-8")
    assert old in text
    study.write_text(text.replace(old, new, 1), encoding="utf-8")
    return study


def test_the_default_study_is_the_one_file_marked_default(tmp_path):
    assert default_study() == DEFAULT_STUDY == "catering_noordoost_brabant_2021"  # the marked shipped file
    _copy(tmp_path, DEFAULT_STUDY)
    _copy(tmp_path, SECOND, "\nregion:", "\ndefault: true\nregion:")
    with pytest.raises(StudyError, match=r"key 'default': value catering_noordoost_brabant_2021, "
                                         r"schoonmaak_twente_2023 breaks rule: exactly one study file"):
        default_study(tmp_path)


def test_a_default_that_is_not_true_or_false_is_refused(tmp_path):
    study = _copy(tmp_path, SECOND, "\nregion:", "\ndefault: yes please\nregion:")
    with pytest.raises(StudyError, match=r"key 'default': value yes please breaks rule: must be true or false"):
        load_study(study)


def test_a_page_title_uses_the_short_name_else_the_name(tmp_path):
    assert titles.report_title("02_pilot_participants", "nl") == "Pilot VWNW in de contractcatering: de deelnemers"
    try:
        ps.use_study(SECOND)
        assert titles.report_title("03_outcome_models", "en") == (
            "VWNW pilot in contract cleaning, Twente (synthetic example): outflow to work")
        ps.use_study(_copy(tmp_path, SECOND, "\nregion:", "\nshort_name: {nl: Schoonmaakpilot, en: Cleaning pilot}"
                                                         "\nregion:"))
        assert titles.report_title("02_pilot_participants", "en") == "Cleaning pilot: the participants"
    finally:
        ps.use_study(DEFAULT_STUDY)


def test_a_citation_needs_its_three_texts(tmp_path):
    study = _copy(tmp_path, DEFAULT_STUDY, "    note:   # in each page's language\n      nl: Eindrapport van de pilot "
                  "(na 16 april 2021).\n      en: Final report of the pilot (after 16 April 2021).\n", "")
    with pytest.raises(StudyError, match=r"key 'report.citation': value \{authors: Tilburg University, PON & Telos "
                                         r"\(2021\)\., title: .*\} breaks rule: must give the texts \['authors', "
                                         r"'title', 'note'\]"):
        load_study(study)


def test_the_landing_page_cites_each_study_report_from_its_file():
    from analysis.pipeline.exhibits import report_sources

    sources = dict(report_sources())
    assert set(sources) == {DEFAULT_STUDY}  # the second study has no report
    cited = load_study().citation
    assert sources[DEFAULT_STUDY] == f'{escape(cited["authors"])} <em lang="nl">{escape(cited["title"])}</em>. ' \
        f'{escape(cited["note"]["nl"])}'
