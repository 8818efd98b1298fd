"""H41n (issues 24, 28): a participant who never started but has a start date gets one
message that names the start date's column and quotes it as written (it drew three: the
start date before the inflow date, a missing case manager, and the rule that names four
columns); the cells a cross-column rule quotes on the export route are the sheet's own
(``'13-02-2024'`` under ``Start traject``, not ``startdatum '2024-02-13'``); ``inspect``
proposes the format of text dates with month names (``15 maart 2024``: ``%d %B %Y``)."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml

from analysis import export_inspection as inspect, paths
from analysis.data.errors import InputError
from analysis.data.month_names import named_format
from analysis.pilot import schema
from analysis.pilot.inputs import load_participants

CSV = paths.DATA_RAW / "pilot_participants_synthetic.csv"


def _not_started_with(tmp_path, **cells) -> tuple:
    """The shipped synthetic participant file with the first never-started person's ``cells``
    changed; returns the file and that person's data row (1-based, as messages count)."""
    schema.use_study("catering_noordoost_brabant_2021")
    df = pd.read_csv(CSV, dtype=str, keep_default_na=False)
    status = schema.vocabulary(schema.use_study("catering_noordoost_brabant_2021"))["STATUS_END"]
    i = int(df.index[df[status] == "niet_gestart"][0])
    for column, value in cells.items():
        df.loc[i, column] = value
    path = tmp_path / "deelnemers.csv"
    df.to_csv(path, index=False)
    return path, i + 1


def test_a_start_date_of_one_who_never_started_is_one_message_on_that_cell(tmp_path):
    path, row = _not_started_with(tmp_path, startdatum="2020-10-05")  # before the inflow date, too
    with pytest.raises(InputError) as info:
        load_participants(path, tmp_path / "processed")
    problems = info.value.problems
    assert len(problems) == 1, str(info.value)
    message = str(info.value)
    assert str(path) in message and f"data row {row} " in message
    assert "column 'startdatum, status_20210401'" in message
    assert "never started (status_20210401 niet_gestart) has no start date" in message
    assert "startdatum '2020-10-05'" in message and "case manager" not in message
    assert "on or after instroomdatum" not in message


def test_each_trajectory_cell_of_one_who_never_started_is_named_once(tmp_path):
    path, row = _not_started_with(tmp_path, triage="1", casemanager_org="UWV")
    with pytest.raises(InputError) as info:
        load_participants(path, tmp_path / "processed")
    message = str(info.value)
    assert len(info.value.problems) == 2, message
    assert "column 'triage, status_20210401'" in message and "has no triage outcome" in message
    assert "column 'casemanager_org, status_20210401'" in message and "has no case manager" in message


@pytest.mark.parametrize(("text", "fmt"), [("15 maart 2024", "%d %B %Y"), ("5 dec 1983", "%d %b %Y"),
                                           ("7-mrt-24", "%d-%b-%y"), ("7 mrt. 2024", "%d %b. %Y"),
                                           ("1 May 2021", "%d %B %Y"), ("01/okt/2020", "%d/%b/%Y")])
def test_the_format_of_a_date_with_a_month_name(text, fmt):
    assert named_format(text) == fmt
    assert dict(inspect._date_formats([text])) == {fmt: 1}


@pytest.mark.parametrize("text", ["31 feb 2024", "12 foo 2024", "maart 2024", "15 maart", "2024-03-15 maart"])
def test_no_format_for_what_is_not_a_date_with_a_month_name(text):
    assert named_format(text) is None or not inspect._date_formats([text])


def test_the_draft_proposes_the_month_name_format_the_file_writes(tmp_path):
    export = tmp_path / "export.csv"
    months = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september"]
    rows = ["Klantnummer;Geboortedatum;Datum aanmelding"]
    rows += [f"K{i};{1 + i} {months[i % 9]} {1960 + i};{1 + i} oktober 2020" for i in range(12)]
    export.write_text("\n".join(rows) + "\n", encoding="utf-8")
    sheets = inspect.profile_file(export, schema.PARTICIPANTS)
    draft = yaml.safe_load(inspect.draft_mapping(export, sheets, schema.PARTICIPANTS))
    assert draft["date_formats"] == ["%d %B %Y"]
    assert draft["participants"]["derive"]["leeftijd"]["from"] == "Geboortedatum"


@pytest.mark.parametrize(("cell", "pattern"), [("Subtotaal Drukkerij De Pers", "^subtotaal"),
                                               ("Sub-totaal UWV", "^sub-totaal"), ("Eindtotaal", "^eindtotaal"),
                                               ("Totaal: 62 deelnemers", "^totaal"), ("  TOTAAL  ", "^totaal")])
def test_a_subtotal_or_total_cell_is_told_to_be_skipped_with_a_pattern_that_matches_it(cell, pattern):
    import re

    from analysis.pilot.from_export import totals_rule

    rule = totals_rule(cell)
    assert f'skip_rows: ["{pattern}"]' in rule
    assert re.search(pattern, " ".join(cell.split()), re.IGNORECASE), "the advice works when followed"


@pytest.mark.parametrize("cell", ["Totaalbedrijf BV", "K1000", "Subtiel"])
def test_a_cell_that_only_begins_like_a_total_is_no_total(cell):
    from analysis.pilot.from_export import totals_rule

    assert totals_rule(cell) is None


@pytest.mark.parametrize("text", ["Drukkerij De Pers", "Let op: K1000 (2e traject) 'oud'", "Hotel Central B.V."])
def test_a_lone_row_is_told_to_be_skipped_with_a_pattern_that_matches_exactly_it(text):
    import re

    from analysis.data.mapped import lone_row_rule, row_pattern

    written = row_pattern(text)
    pattern = yaml.safe_load(f"p: {written}")["p"]  # as the mapping's YAML reads it
    assert re.search(pattern, text, re.IGNORECASE) and not re.search(pattern, text + " x", re.IGNORECASE)
    assert f"participants.skip_rows: [{written}]" in lone_row_rule(text, "participants.skip_rows")
