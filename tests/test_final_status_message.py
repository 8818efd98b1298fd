"""The "outflow is final" message says the study's own rule (newpilot2's F8a): in a study with
``outflow_can_end: true`` a dropped-out person's later status is refused because a stopped
status is final in every study, not because of an ``outflow_can_end: false`` the study does
not say; where the study says false of a placement, the advice names the key that allows it."""

from __future__ import annotations

import csv
import io

import pytest

from analysis import paths
from analysis.data.errors import InputError
from analysis.pilot import history, inputs as pilot_inputs, schema as ps
from analysis.study import DEFAULT_STUDY

SECOND = "schoonmaak_twente_2023"  # outflow_can_end: true


@pytest.fixture
def second():
    study = ps.use_study(SECOND)
    yield study
    ps.use_study(DEFAULT_STUDY)


def _refused(study, tmp_path, kind: str) -> str:
    """The message for a person whose last status, of ``kind``, is followed by an in-progress one."""
    source = paths.PROJECT_ROOT / study.synthetic["status_history"]
    rows = list(csv.DictReader(io.StringIO(source.read_text(encoding="utf-8"))))
    last = {r["deelnemer_id"]: r for r in rows}
    person, record = next((p, r) for p, r in last.items() if study.status_kinds[r["status"]] == kind)
    later = {"deelnemer_id": person, "datum": record["datum"][:4] + "-12-30" if record["datum"][5:] < "12-30"
             else record["datum"], "status": study.of_kind("in_progress")[0]}
    path = tmp_path / "history.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows([*rows, later])
    df = pilot_inputs.load_participants(paths.PROJECT_ROOT / study.synthetic["participants"])
    with pytest.raises(InputError) as err:
        history.load_history(path, df)
    return str(err.value)


def test_a_stopped_status_is_final_in_every_study_and_the_message_says_so(second, tmp_path):
    assert second.outflow_can_end
    text = _refused(second, tmp_path, "stopped")
    assert "final in every study" in text and "outflow_can_end: false" not in text


def test_a_placement_is_final_only_where_the_study_says_so_and_the_advice_names_the_key(second, tmp_path):
    text = history.final_rule(ps.use_study(DEFAULT_STUDY), ps.WORK_STATUSES[0])
    assert "outflow_can_end: false in catering_noordoost_brabant_2021.yml" in text
    assert "set outflow_can_end: true" in text
