"""newpilot19 (a retail pilot of 56 people, tried as a new user), findings 1 and 2:
- a person who stopped between the pilot's end and its follow-up end was refused: "between
  31 December 2025 and 31 March 2026 a status may only change from in_begeleiding/omscholing into
  work", the catering report's rule (its administration records only moves into work between 1 and
  16 April) applied to every study. A study now says how a status may change between its snapshot
  dates (``follow_up_moves``): by default any change but from an outflow, which is final; the
  catering study keeps its ``into_work``;
- with a first snapshot after ``pilot_end`` the outflow-date rule compared with ``pilot_end`` while
  its message named the snapshot, and refused a date that met the rule as stated."""

from __future__ import annotations

import shutil
from dataclasses import replace

import pandas as pd
import pytest
import yaml

from analysis.pilot import schema as ps
from analysis.study import DEFAULT_STUDY, SHIPPED, StudyError, load_study

SECOND = "schoonmaak_twente_2023"


def _study_file(tmp_path, **keys):
    for name in (f"{SECOND}.yml", f"{SECOND}.exhibits.yml"):
        shutil.copy(SHIPPED / name, tmp_path / name)
    path = tmp_path / f"{SECOND}.yml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc.pop("follow_up_moves", None)
    doc.update(keys)
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _allowed(study, earlier: str, later: str) -> bool:
    v = ps.vocabulary(study)
    return bool(ps.snapshot_change_allowed(pd.Series([earlier]), pd.Series([later]), v).iloc[0])


def test_by_default_a_status_may_change_but_an_outflow_is_final(tmp_path):
    study = load_study(_study_file(tmp_path))
    assert study.follow_up_moves == "any"
    assert _allowed(study, "in_traject", "uitgevallen")  # stopped during the follow-up: newpilot19's person
    assert _allowed(study, "omscholing", "terug_naar_werkgever")
    assert _allowed(study, "in_traject", "geplaatst")
    assert _allowed(study, "geplaatst", "in_traject")  # a placement that ended (outflow_can_end: true)
    for final in ("uitgevallen", "niet_gestart", "terug_naar_werkgever"):
        assert not _allowed(study, final, "in_traject"), final


def test_into_work_keeps_the_catering_report_s_rule(tmp_path):
    study = load_study(_study_file(tmp_path, follow_up_moves="into_work"))
    assert not _allowed(study, "in_traject", "uitgevallen")
    assert _allowed(study, "in_traject", "geplaatst")
    assert load_study(DEFAULT_STUDY).follow_up_moves == "into_work"


def test_an_unknown_value_is_refused_naming_the_key(tmp_path):
    with pytest.raises(StudyError, match="follow_up_moves"):
        load_study(_study_file(tmp_path, follow_up_moves="anything"))


def test_the_outflow_date_rule_reads_the_first_snapshot_not_pilot_end(tmp_path):
    """First snapshot 2024-01-31 after pilot_end 2023-12-01: work on the first snapshot with an
    outflow date of 2024-01-16 meets "on or before 31 January 2024" and is accepted."""
    study = load_study(_study_file(tmp_path))
    study = replace(study, snapshots=("2024-01-31", "2024-03-31"), follow_up_end=pd.Timestamp("2024-03-31").date())
    v = ps.vocabulary(study)
    df = pd.DataFrame({v["STATUS_END"]: ["geplaatst", "in_traject"], v["STATUS_FOLLOW_UP"]: ["geplaatst", "geplaatst"],
                       "uitstroomdatum": pd.to_datetime(["2024-01-16", "2024-02-10"])})
    assert ps._outflow_date_matches_status(v)(df).tolist() == [True, True]
    late = df.assign(uitstroomdatum=pd.to_datetime(["2024-02-02", "2024-01-20"]))
    assert ps._outflow_date_matches_status(v)(late).tolist() == [False, True]  # the second: ended work may precede
