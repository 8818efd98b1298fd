"""Inputs, hostile round 16 (H40n, issues 24 and 28): Dutch month names in text dates, a
status change dated long after the follow-up date or after today, the dry run's checks of a
cut-off date and a path with a space at its end, Excel's ``sep=;`` line, a label that differs
from its code in case only. The corpus cases (``tests/corpus/hostile/make_hostile_round16.py``)
read whole exports; these test the rules one by one. Reference dates are written by hand."""

from datetime import date
from types import SimpleNamespace

import pandas as pd
import pytest

from analysis.data.mapped import code_case_hint, date_rule, date_text, parse_date
from analysis.data.month_names import month_number, with_month_number
from analysis.data.readers import separator_hint_rule
from analysis.pilot.history_rules import late_issues
from analysis.pipeline.parameter_rules import cutoff_range_problem, path_problem
from analysis.study.model import latest_record


@pytest.mark.parametrize(("text", "fmt", "iso"), [
    ("15 maart 2024", "%d %B %Y", "2024-03-15"),
    ("07-mrt-2024", "%d-%b-%Y", "2024-03-07"),
    ("7 mrt. 2024", "%d %b %Y", "2024-03-07"),
    ("7 MEI 2024", "%d %B %Y", "2024-05-07"),
    ("1 okt 2024", "%d %b %Y", "2024-10-01"),
    ("3 sept. 2024", "%d %b %Y", "2024-09-03"),
    ("29 febr. 2024", "%d %b %Y", "2024-02-29"),  # hostile round 18: febr. was refused
    ("3 Sept 2024", "%d %b. %Y", "2024-09-03"),
    ("31 december 2023", "%d %B %Y", "2023-12-31"),
    ("1 Februari 2024", "%d %b %Y", "2024-02-01"),  # a full name under %b: the name says the month
    ("07-Mar-2024", "%d-%b-%Y", "2024-03-07"),  # English still reads
    ("15 maart 2024 00:00", "%d %B %Y", "2024-03-15"),
])
def test_a_month_name_in_dutch_or_english_reads_under_b_and_B(text, fmt, iso):
    assert parse_date(text, fmt) == iso
    assert date_text(text, (fmt,)) == iso


@pytest.mark.parametrize(("text", "fmt"), [
    ("30 februari 2024", "%d %B %Y"),  # no such day
    ("15 maart 2024", "%d-%m-%Y"),  # the format reads the month as a number
    ("15-03-2024", "%d %B %Y"),  # the format reads the month as a name
    ("15 maart maart 2024", "%d %B %Y"),
    ("15 mrt 2024 10:30", "%d %b %Y"),  # a time of day
])
def test_what_is_no_date_of_the_format_stays_unread(text, fmt):
    assert parse_date(text, fmt) is None


def test_month_numbers_of_the_names():
    assert [month_number(w) for w in ("jan", "Mrt.", "mei", "MAY", "sept", "okt", "oct", "maand")] == \
        [1, 3, 5, 5, 9, 10, 10, None]
    assert with_month_number("7 mrt. 2024", "%d %b %Y") == ("7 3 2024", "%d %m %Y")


def test_a_date_written_in_the_format_is_never_told_to_be_written_so():
    """The old message said 'write the date so' of '15 maart 2024' under %d %B %Y; now a date
    that does not read says which part did not and what is accepted."""
    typo = date_rule("15 marz 2024", ("%d %B %Y",))
    assert "'marz' is no month name" in typo and "maart or mrt" in typo and "write the date so" not in typo
    day = date_rule("30 februari 2024", ("%d %B %Y",))
    assert "the month name reads, but the day" in day and "write the date so" not in day
    number = date_rule("15 maart 2024", ("%d-%m-%Y",))
    assert "this date names the month ('maart')" in number and "%B or %b" in number


def _history(*days: str) -> pd.DataFrame:
    return pd.DataFrame({"deelnemer_id": [f"K{i}" for i in range(len(days))], "datum": pd.to_datetime(list(days)),
                         "status": ["zoekend"] * len(days)})


def test_a_status_change_long_after_follow_up_or_after_today_is_refused():
    history = _history("2024-11-14", "2025-01-10", "2025-11-15", "2025-11-16", "2042-01-10")
    issues = late_issues(history, date(2024, 11, 15), date(2026, 12, 7))
    assert [(i.row, i.person, i.column) for i in issues] == [(3, "K3", "datum"), (4, "K4", "datum")]
    assert "follow_up_end 2024-11-15: up to 2025-11-15" in issues[0].rule
    after_today = late_issues(history, date(2024, 11, 15), date(2025, 1, 9))  # 10 January 2025 is in the future
    assert [i.row for i in after_today] == [1, 2, 3, 4] and "not after today (2025-01-09)" in after_today[0].rule


def test_the_last_record_date_is_a_calendar_year_after_follow_up():
    assert latest_record(date(2024, 11, 15)) == date(2025, 11, 15)
    assert latest_record(date(2024, 2, 29)) == date(2025, 2, 28)


def _run(**parameters):
    return SimpleNamespace(name="r", parameters=parameters)


def test_a_dry_run_refuses_a_cutoff_outside_the_study_span():
    """The shipped study: pilot start 2020-09-01, follow-up 2021-04-16 (studies/catering_...yml)."""
    assert "outside the dates a status history" in cutoff_range_problem(_run(cutoff_date="2019-01-01"))
    assert "(2022-04-16; dates.late_records_months" in cutoff_range_problem(_run(cutoff_date="2023-01-01"))
    assert cutoff_range_problem(_run(cutoff_date="2021-04-01")) is None
    assert cutoff_range_problem(_run(cutoff_date="not a date")) is None  # value_problem says so


def test_a_path_with_a_space_at_its_end_is_refused_quoted(tmp_path):
    problem = path_problem("participants_path", "data/raw/pilot_participants_synthetic.csv ", tmp_path / "reports")
    assert problem.startswith("participants_path='data/raw/pilot_participants_synthetic.csv ' begins or ends")


def test_excels_separator_line_is_named():
    assert "Excel's separator hint (sep=;)" in separator_hint_rule("sep=;")
    assert separator_hint_rule("deelnemer_id;sep") is None


def test_a_label_differing_from_its_code_in_case_says_how_to_map_it():
    hint = code_case_hint("'reden_stoppen' must be one of: gezondheid", "Gezondheid")
    assert "map the label under values.reden_stoppen.map ('Gezondheid': gezondheid)" in hint
    assert code_case_hint("'reden_stoppen' must be one of: gezondheid", "Ziekte") == ""
