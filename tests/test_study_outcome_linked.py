"""A study declares which of its participant columns are filled only after outflow or only for
who started (``outcome_linked``); the file is checked on load, and the release's refusal of a
table by such a column beside a model predictor reads that declaration, not a list in code."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest
import yaml

from analysis import paths
from analysis.pilot import schema as ps
from analysis.release.run import Run
from analysis.study import DEFAULT_STUDY, StudyError, load_study

STUDIES = paths.PROJECT_ROOT / "studies"


def _copy(tmp_path, change, study: str = DEFAULT_STUDY):
    """A copy of a shipped study file, changed by ``change`` (its side files copied beside it)."""
    source = STUDIES / f"{study}.yml"
    doc = yaml.safe_load(source.read_text(encoding="utf-8"))
    change(doc)
    for side in STUDIES.glob(f"{study}.*.yml"):
        (tmp_path / side.name).write_text(side.read_text(encoding="utf-8"), encoding="utf-8")
    path = tmp_path / source.name
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def restore_default():
    yield
    ps.use_study(DEFAULT_STUDY)


def test_every_shipped_study_declares_its_outcome_linked_columns():
    for sid in ("catering_noordoost_brabant_2021", "schoonmaak_twente_2023"):
        study = load_study(sid)
        raw = yaml.safe_load((STUDIES / f"{sid}.yml").read_text(encoding="utf-8"))["outcome_linked"]
        assert study.outcome_linked == {*raw["after_outflow"], *raw["started_only"]}
        assert {"sector_nieuw", "uitstroomdatum", "casemanager_org"} <= study.outcome_linked


@pytest.mark.parametrize("change, fragments", [
    (lambda d: d.pop("outcome_linked"), ["key 'outcome_linked'", "is required"]),
    (lambda d: d.update(outcome_linked=["sector_nieuw"]), ["key 'outcome_linked'", "after_outflow",
                                                           "started_only"]),
    (lambda d: d["outcome_linked"].update(after_outflow="sector_nieuw"),
     ["key 'outcome_linked.after_outflow'", "value sector_nieuw", "must be a list"]),
    (lambda d: d["outcome_linked"].update(started_only=["startdatum", "sector_nieuw"]),
     ["key 'outcome_linked'", "value [sector_nieuw]", "not both"]),
    (lambda d: d["outcome_linked"].update(started_only=["status_20210401"]),
     ["key 'outcome_linked.started_only'", "value status_20210401", "status column"]),
    (lambda d: d["outcome_linked"].update(started_only=["Start datum"]),
     ["key 'outcome_linked.started_only[0]'", "value Start datum", "lower-case"]),
])
def test_a_broken_declaration_names_file_key_value_and_rule(tmp_path, change, fragments):
    with pytest.raises(StudyError) as info:
        load_study(_copy(tmp_path, change))
    message = str(info.value)
    assert "catering_noordoost_brabant_2021.yml" in message
    for fragment in fragments:
        assert fragment in message, message


def test_a_column_the_codebook_does_not_have_is_refused_when_the_study_is_used(tmp_path, restore_default):
    path = _copy(tmp_path, lambda d: d["outcome_linked"]["after_outflow"].append("nieuwe_werkgever"))
    with pytest.raises(StudyError) as info:
        ps.use_study(path)
    message = str(info.value)
    assert "outcome_linked (nieuwe_werkgever)" in message and "must be a column of the participant file" in message
    assert "sector_nieuw" in message  # the columns it may name


def _linked(columns, cutoffs=("2021-04-01", "2021-04-16")) -> set[str]:
    """``Run._outcome_linked`` of a run on a file with ``columns`` (only what it reads)."""
    run = SimpleNamespace(participants=pd.DataFrame(columns=list(columns)), cutoffs=list(cutoffs))
    return Run._outcome_linked(run)


def test_the_release_reads_the_declaration_of_the_active_study(tmp_path, restore_default):
    columns = ["geslacht", "sector_nieuw", "contract_nieuw", "startdatum", "status_20210401", "leeftijd",
               "gevonden_via"]
    shipped = _linked(columns)
    assert {"sector_nieuw", "contract_nieuw", "startdatum", "status_20210401"} <= shipped
    assert not {"geslacht", "leeftijd"} & shipped
    assert {"status", "mover", "gestart", "sector"} <= shipped  # the release's own variables

    def change(doc):  # another pilot: gender recorded only at intake, no record of how a job was found
        doc["outcome_linked"] = {"after_outflow": ["uitstroomdatum", "sector_nieuw", "contract_nieuw"],
                                 "started_only": ["startdatum", "geslacht"]}

    ps.use_study(_copy(tmp_path, change))
    changed = _linked(columns)
    assert "geslacht" in changed and "gevonden_via" not in changed
    assert changed - shipped == {"geslacht"} and shipped - changed == {"gevonden_via"}
