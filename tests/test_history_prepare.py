"""The prepare step at any size: the participant frame with a status column per cut-off date
(analysis.pilot.history.with_cutoffs) against a record-by-record replay of the history, and the
models' analysis frame (analysis.pilot.outcomes.analysis_frame) against its rules written out
person by person."""

from __future__ import annotations

import pandas as pd

from analysis.pilot import history as hist, outcomes, synthetic

DATES = ["2021-04-01", "2021-04-16", "2021-03-01", "2021-02-15"]


def replayed(history: pd.DataFrame, day: str) -> dict[str, str]:
    status: dict[str, tuple[pd.Timestamp, str]] = {}
    for person, when, what in zip(history["deelnemer_id"], history["datum"], history["status"]):
        if when <= pd.Timestamp(day) and (person not in status or when >= status[person][0]):
            status[person] = (when, what)
    return {p: s for p, (_, s) in status.items()}


def test_with_cutoffs_adds_the_replayed_status_and_leaves_the_input_alone():
    participants = synthetic.generate_participants(400)
    history = synthetic.status_history(participants)
    before = participants.copy(deep=True)
    participants.attrs["note"] = {"kept": True}
    out = hist.with_cutoffs(participants, history, DATES)
    pd.testing.assert_frame_equal(participants, before)  # no column added to the input
    assert "published_cutoffs" not in participants.attrs and out.attrs["note"] == {"kept": True}
    assert out.attrs["published_cutoffs"] == DATES
    for day in ("2021-03-01", "2021-02-15"):
        want = replayed(history, day)
        got = out[f"status_{day.replace('-', '')}"]
        assert [want.get(p) for p in out["deelnemer_id"]] == [None if pd.isna(v) else v for v in got]
    out.loc[0, "triage"] = 99  # the copy's columns are its own
    assert participants.loc[0, "triage"] != 99


def test_analysis_frame_person_by_person():
    participants = synthetic.generate_participants(300)
    frame, outcome = outcomes.analysis_frame(participants, "work", "2021-04-16", "all")
    assert outcome.n == len(participants) == len(frame)
    for row, (_, p) in zip(frame.itertuples(index=False), participants.iterrows()):
        assert row.triage == ("geen" if pd.isna(p["triage"]) else str(int(p["triage"])))
        age = "onbekend" if pd.isna(p["leeftijd"]) else ("t/m 45" if p["leeftijd"] <= 45 else "46+")
        tenure = "onbekend" if pd.isna(p["dienstjaren"]) else ("t/m 10" if p["dienstjaren"] <= 10 else "10+")
        assert (row.leeftijd, row.dienstjaren) == (age, tenure)
        status = p["status_20210416"]
        group = ("werk" if status in ("nieuwe_baan", "werk_en_scholing") else "opleiding" if status == "opleiding"
                 else "bemiddeling" if status == "in_bemiddeling" else "overig")
        assert row.uitstroom_groep == group and row.y == int(status in ("nieuwe_baan", "werk_en_scholing"))
