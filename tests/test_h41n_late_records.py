"""The limit on late records is the study's (``dates.late_records_months``, H41n): how many
calendar months after ``follow_up_end`` a status change or service may be dated, a year by
default, checked on load (a whole number from 0 to 60). It was fixed in code at a year
(``study.model.latest_record``), so a pilot whose registration runs on longer could not be read
without editing dates, and a typo in a date key went unnoticed."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
import yaml

from analysis.pilot.history_rules import late_issues
from analysis.pipeline.parameter_rules import cutoff_range_problem
from analysis.study import StudyError, load_study
from analysis.study.load import SHIPPED, study_span
from analysis.study.model import latest_record

STUDY = "schoonmaak_twente_2023"


def _study(tmp_path, **dates) -> Path:
    """The shipped cleaning study in ``tmp_path`` with ``dates`` added to its dates block."""
    for f in SHIPPED.glob(f"{STUDY}*.yml"):
        shutil.copy(f, tmp_path / f.name)
    shutil.copy(SHIPPED / "vwnw_pilot.exhibits.yml", tmp_path / "vwnw_pilot.exhibits.yml")
    path = tmp_path / f"{STUDY}.yml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc["dates"].update(dates)
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_the_default_is_a_year_and_a_study_may_set_another_number_of_months(tmp_path):
    shipped = load_study(STUDY)
    assert shipped.late_records_months == 12
    own = load_study(_study(tmp_path, late_records_months=30))
    assert own.late_records_months == 30
    _, start, end, months = study_span(tmp_path / f"{STUDY}.yml")
    assert (end, months) == (own.follow_up_end, 30)


@pytest.mark.parametrize("value", [-1, 61, 1.5, "12", True, "een jaar"])
def test_a_late_records_months_outside_its_range_is_refused_naming_key_value_and_rule(tmp_path, value):
    with pytest.raises(StudyError) as info:
        load_study(_study(tmp_path, late_records_months=value))
    message = str(info.value)
    assert "key 'dates.late_records_months'" in message and "whole number of months from 0 to 60" in message


def test_an_unknown_date_key_is_refused_with_the_near_name(tmp_path):
    with pytest.raises(StudyError) as info:
        load_study(_study(tmp_path, late_record_months=24))
    message = str(info.value)
    assert "key 'dates.late_record_months'" in message and "did you mean 'late_records_months'" in message


@pytest.mark.parametrize(("end", "months", "last"), [
    (date(2024, 11, 15), 12, date(2025, 11, 15)), (date(2024, 2, 29), 12, date(2025, 2, 28)),
    (date(2024, 1, 31), 1, date(2024, 2, 29)), (date(2024, 11, 30), 3, date(2025, 2, 28)),
    (date(2024, 5, 5), 0, date(2024, 5, 5)), (date(2024, 12, 31), 60, date(2029, 12, 31)),
    (date(2024, 10, 31), 14, date(2025, 12, 31))])
def test_the_last_record_date_counts_calendar_months(end, months, last):
    assert latest_record(end, months) == last


def test_the_history_rule_and_the_cutoff_check_follow_the_studys_months(tmp_path):
    history = pd.DataFrame({"deelnemer_id": ["K1", "K2"], "datum": pd.to_datetime(["2025-06-01", "2026-06-01"]),
                            "status": ["zoekend", "zoekend"]})
    today = date(2030, 1, 1)
    assert [i.row for i in late_issues(history, date(2024, 11, 15), today)] == [1]
    assert late_issues(history, date(2024, 11, 15), today, months=24) == []
    three = late_issues(history, date(2024, 11, 15), today, months=3)
    assert [i.row for i in three] == [0, 1] and "at most 3 months after" in three[0].rule
    assert "up to 2025-02-15" in three[0].rule and "dates.late_records_months" in three[0].rule

    path = _study(tmp_path, late_records_months=30)
    end = load_study(path).follow_up_end
    inside = latest_record(end, 30).isoformat()  # a year and more after follow-up: refused by default
    run = SimpleNamespace(name="r", parameters={"study": str(path), "cutoff_date": inside})
    assert cutoff_range_problem(run) is None
    run.parameters["cutoff_date"] = (latest_record(end, 30) + pd.Timedelta(days=1).to_pytimedelta()).isoformat()
    assert "30 months after its follow-up date" in cutoff_range_problem(run)
