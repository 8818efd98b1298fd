"""A study's published facts as a file (studies/<id>.facts.yml, named by report.facts):
validated with the study, evaluated on a participant file, and the published-versus-pipeline
table. Reference counts come from the shipped CSV read with the csv module, not from the
code under test."""

from __future__ import annotations

import csv
import shutil

import pytest
import yaml

from analysis import paths
from analysis.pilot import constraints as pc, inputs as pilot_inputs, schema as ps, tables as pt
from analysis.study import DEFAULT_STUDY, StudyError, load_study

STUDIES = paths.PROJECT_ROOT / "studies"
CSV = paths.PROJECT_ROOT / "data" / "raw" / "pilot_participants_synthetic.csv"


def _csv_count(column: str, values: set[str]) -> int:
    with open(CSV, encoding="utf-8", newline="") as f:
        return sum(row[column] in values for row in csv.DictReader(f))


def test_the_catering_facts_come_from_its_facts_file():
    study = load_study(DEFAULT_STUDY)
    assert study.facts is not None and study.facts.source.endswith("catering_noordoost_brabant_2021.facts.yml")
    assert [c.id for c in pc.constraints(study)][:3] == ["C1", "C2", "C3"]


def test_comparison_counts_equal_an_independent_count():
    df = pilot_inputs.load_participants(CSV)
    table = pt.published_comparison(df).set_index("feit")
    assert table.loc["nieuwe baan", "pijplijn"] == _csv_count(ps.STATUS_END, {"nieuwe_baan"})
    assert table.loc["in bemiddeling", "pijplijn"] == _csv_count(ps.STATUS_END, {"in_bemiddeling"})
    stayed = _csv_count(ps.STATUS_END, {"nieuwe_baan", "werk_en_scholing", "opleiding", "in_bemiddeling"})
    work = _csv_count(ps.STATUS_END, {"nieuwe_baan", "werk_en_scholing", "opleiding"})
    assert table.iloc[4]["pijplijn"] == round(100 * work / stayed)


def test_a_fact_the_file_breaks_fails():
    df = pilot_inputs.load_participants(CSV)
    moved = df.index[df[ps.STATUS_END] == "nieuwe_baan"][:1]
    broken = df.copy()
    broken.loc[moved, ps.STATUS_END] = "in_bemiddeling"
    by_id = {c.id: c for c in pc.constraints()}
    assert by_id["C2"].check(df) and by_id["C5"].check(df)
    assert not by_id["C2"].check(broken) and not by_id["C5"].check(broken)
    assert by_id["C7"].check(broken)  # still 25 who stayed
    table = pt.published_comparison(broken).set_index("feit")
    assert table.loc["nieuwe baan", "pijplijn"] == _csv_count(ps.STATUS_END, {"nieuwe_baan"}) - 1
    assert not table.loc["nieuwe baan", "gelijk"]


def test_a_study_without_facts_checks_nothing():
    study = load_study("schoonmaak_twente_2023")
    assert study.facts is None and pc.constraints(study) == ()


def _copy(tmp_path, change_facts=None, change_study=None):
    for name in (f"{DEFAULT_STUDY}.yml", f"{DEFAULT_STUDY}.facts.yml"):
        shutil.copy(STUDIES / name, tmp_path / name)
    for name, change in ((f"{DEFAULT_STUDY}.facts.yml", change_facts), (f"{DEFAULT_STUDY}.yml", change_study)):
        if change:
            doc = yaml.safe_load((tmp_path / name).read_text(encoding="utf-8"))
            change(doc)
            (tmp_path / name).write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(StudyError) as info:
        load_study(tmp_path / f"{DEFAULT_STUDY}.yml")
    return str(info.value)


def test_a_status_outside_the_study_is_refused_with_file_key_value_and_rule(tmp_path):
    def change(doc):
        doc["facts"][1]["checks"][0]["where"]["status_1"] = "nieuw_werk"
    text = _copy(tmp_path, change_facts=change)
    assert "report.facts (catering_noordoost_brabant_2021.facts.yml): facts[1].checks[0].where.status_1" in text
    assert "value nieuw_werk" in text and "must be one of the study's values" in text


def test_a_check_without_a_comparison_is_refused(tmp_path):
    def change(doc):
        del doc["facts"][0]["checks"][0]["equals"]
    assert "a check compares its count" in _copy(tmp_path, change_facts=change)


def test_facts_named_without_their_document_are_refused(tmp_path):
    def change(doc):
        del doc["report"]["published_facts"]
    assert "key 'report.facts'" in _copy(tmp_path, change_study=change)
