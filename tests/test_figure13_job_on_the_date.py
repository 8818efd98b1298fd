"""Figuur 13 on a date other than the follow-up date, in a study whose placements can end
(newpilot2, F5 continued): the participant file records one sector, that of the job held on
the follow-up date; who held another job on the date (a placement that ended, then another,
or work on the date only) counts as ``onbekend``, never under the later job's sector, and
never left out of the rows. The reference count is made here from the two CSV files and the
study file, without the package's tables or history functions."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
STUDY = "schoonmaak_twente_2023"
PARTICIPANTS = ROOT / "data" / "raw" / f"{STUDY}_participants_synthetic.csv"
HISTORY = ROOT / "data" / "raw" / f"{STUDY}_status_history_synthetic.csv"
DATES = ["2023-10-01", "2023-11-15", "2023-12-01", "2024-01-15"]


def reference(date: str) -> Counter:
    """Those in work on ``date`` by the sector of their job then: the file's sector where they
    stayed in work through the follow-up date (every record in between a work status), else
    onbekend."""
    study = yaml.safe_load((ROOT / "studies" / f"{STUDY}.yml").read_text(encoding="utf-8"))
    work = {s for s, v in study["statuses"].items() if v["kind"] in ("work", "work_and_education")}
    follow_up = str(study["dates"]["follow_up_end"])
    records: dict[str, list[tuple[str, str]]] = {}
    with HISTORY.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            records.setdefault(row["deelnemer_id"], []).append((row["datum"], row["status"]))
    with PARTICIPANTS.open(encoding="utf-8") as f:
        sector = {row["deelnemer_id"]: row["sector_nieuw"] for row in csv.DictReader(f)}

    def status(person, day):
        known = sorted(r for r in records.get(person, []) if r[0] <= day)
        return known[-1][1] if known else None

    out = Counter()
    lo, hi = sorted((date, follow_up))
    for person in sector:
        if status(person, date) not in work:
            continue
        between = [s for d, s in records.get(person, []) if lo < d <= hi]
        same = status(person, follow_up) in work and all(s in work for s in between)
        out[sector[person] if same and sector[person] else "onbekend"] += 1
    return out


@pytest.fixture(scope="module")
def figures():
    from analysis.pilot import history, schema, tables
    from analysis.pilot.inputs import load_participants

    schema.use_study(STUDY)
    people = load_participants(PARTICIPANTS)
    df = history.with_cutoffs(people, history.load_history(HISTORY, people), DATES)
    by_date, _, _ = tables.joint_figure_tables(df, 1, "totaal", DATES)  # synthetic: threshold 1 shows every count
    yield {d: (by_date[d]["figuur_13_uitstroom_sector"], tables.outflow_by_sector(df, d)) for d in DATES}
    schema.use_study(schema.DEFAULT_STUDY)  # the next test module's study, as every module expects


def test_the_reference_has_someone_in_another_job():
    """The synthetic history holds a placement that ended before the follow-up date: the
    test is not vacuous."""
    assert any(reference(d)["onbekend"] for d in DATES)


@pytest.mark.parametrize("date", DATES)
def test_figure_13_counts_each_person_under_the_sector_of_the_job_then(figures, date):
    released, plain = figures[date]
    want = reference(date)
    got = {k: int(v) for k, v in released.drop("totaal").items() if int(v)}
    assert got == {k: v for k, v in want.items() if v}
    assert int(released["totaal"]) == sum(want.values()), "the rows add up to the total"
    assert {k: int(v) for k, v in plain.items() if int(v)} == {k: v for k, v in want.items() if v}


def test_on_real_data_whether_a_job_is_the_follow_up_date_s_is_outcome_linked():
    """``j_<date>`` (and the file's ``zelfde_baan_<date>``) is held only by who works on the date
    and on the follow-up date: crossed with a model predictor it gives outflow by that predictor,
    which the models' rates publish apart; refused like the statuses on real data."""
    from types import SimpleNamespace

    from analysis.pilot import history, schema, tables
    from analysis.pilot.inputs import load_participants
    from analysis.release.run import Run
    from analysis.stats import released

    schema.use_study(STUDY)
    try:
        people = load_participants(PARTICIPANTS)
        df = history.with_cutoffs(people, history.load_history(HISTORY, people), DATES).assign(synthetisch=False)
        run = Run("02_pilot_participants", {"cutoff_date": DATES[0], "language": "nl"}, df,
                  SimpleNamespace(private=True, min_cell_count=10), DATES, "t")
        job = tables.job_var(DATES[0])
        assert job in run.release_frame().columns, "the release crosses the job variable at this date"
        with pytest.raises(released.UnreleasedOutput, match="not released on real data"):
            run.crosstab("triage", job)
        with pytest.raises(released.UnreleasedOutput):  # the file's own column: not a coded variable either
            run.crosstab("triage", schema.job_column(DATES[0]))
    finally:
        schema.use_study(schema.DEFAULT_STUDY)
