"""The status history as an input: the shipped files agree with each other (read with plain
csv/pandas, not the project's loaders), the history is validated on load, any cut-off date
within its span works and gives the tables a plain count of the history gives, and the set
of published cut-offs is read from ``notebooks/report.yml``."""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from analysis.data.errors import InputError
from analysis.pilot import history as hist, outcomes, tables as pt
from tests.conftest import ROOT, SYNTHETIC_CSV

HISTORY_CSV = ROOT / "data" / "raw" / "pilot_status_history_synthetic.csv"
EXPORT = ROOT / "data" / "raw" / "pilot_export_synthetic.xlsx"
WORK = {"nieuwe_baan", "werk_en_scholing"}


def _rows(path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _last_status(records: list[dict], day: str) -> dict[str, str]:
    """A plain loop: each person's last status dated on or before ``day`` (ISO text)."""
    out: dict[str, tuple[str, str]] = {}
    for r in records:
        if r["datum"] <= day and (r["deelnemer_id"] not in out or out[r["deelnemer_id"]][0] <= r["datum"]):
            out[r["deelnemer_id"]] = (r["datum"], r["status"])
    return {k: v[1] for k, v in out.items()}


def test_shipped_participant_file_is_derived_from_the_shipped_history():
    people, records = _rows(SYNTHETIC_CSV), _rows(HISTORY_CSV)
    assert {r["deelnemer_id"] for r in records} == {p["deelnemer_id"] for p in people}
    for day, col in (("2021-04-01", "status_20210401"), ("2021-04-16", "status_20210416")):
        status = _last_status(records, day)
        assert all(status[p["deelnemer_id"]] == p[col] for p in people), col
    for p in people:
        work = sorted(r["datum"] for r in records if r["deelnemer_id"] == p["deelnemer_id"] and r["status"] in WORK)
        assert p["uitstroomdatum"] == (work[0] if work else ""), p["deelnemer_id"]


def test_the_history_is_plausible_for_the_published_facts():
    """Before 1 April everyone is registered (in mediation or not started) at inflow; those
    who never started have that one record; the three April movers move from mediation or
    education into work after 1 April; statuses on 1 March are a mix of the pilot's."""
    people = {p["deelnemer_id"]: p for p in _rows(SYNTHETIC_CSV)}
    records = _rows(HISTORY_CSV)
    first = {}
    for r in sorted(records, key=lambda r: (r["deelnemer_id"], r["datum"])):
        first.setdefault(r["deelnemer_id"], r)
    for pid, r in first.items():
        assert r["datum"] >= people[pid]["instroomdatum"]
        assert r["status"] in {"in_bemiddeling", "niet_gestart"} or r["datum"] > people[pid]["instroomdatum"]
    movers = [r for r in records if "2021-04-01" < r["datum"] <= "2021-04-16"]
    assert len(movers) == 3 and all(r["status"] in WORK for r in movers)
    march = _last_status(records, "2021-03-01")
    assert sum(s in WORK for s in march.values()) < 14 and "in_bemiddeling" in march.values()


def test_the_export_holds_the_same_history():
    from analysis.pilot.from_export import load_status_history

    shipped = pd.read_csv(HISTORY_CSV, dtype=str)
    export = load_status_history(EXPORT).astype({"datum": str})
    export["datum"] = export["datum"].str[:10]
    pd.testing.assert_frame_equal(export.astype(str), shipped.sort_values(["deelnemer_id", "datum"], kind="stable")
                                  .reset_index(drop=True), check_dtype=False)


def _write(tmp_path, rows: list[tuple]) -> str:
    path = tmp_path / "history.csv"
    path.write_text("deelnemer_id,datum,status\n" + "".join(",".join(r) + "\n" for r in rows), encoding="utf-8")
    return str(path)


def test_the_history_is_validated_on_load(pilot30, tmp_path):
    rows = [tuple(r.values()) for r in _rows(HISTORY_CSV)]
    worker = next(r[0] for r in rows if r[2] in WORK and r[1] < "2021-02-01")  # in work before February
    with pytest.raises(InputError) as err:  # a code outside the codebook
        hist.load_history(_write(tmp_path, [*rows, (worker, "2021-04-10", "met_pensioen")]), pilot30)
    assert "history.csv" in str(err.value) and "met_pensioen" in str(err.value) and "status" in str(err.value)
    with pytest.raises(InputError) as err:  # unknown person, two statuses on one day
        hist.load_history(_write(tmp_path, [*rows, ("XYZ", "2021-01-05", "gestopt"),
                                            (rows[0][0], rows[0][1], "opleiding")]), pilot30)
    text = str(err.value)
    assert "XYZ" in text and "every person in the status history must be a participant" in text
    assert "one status per person per date" in text and f"row {len(rows) + 1}" in text
    with pytest.raises(InputError, match="no other status may follow"):  # back from a new job
        hist.load_history(_write(tmp_path, [*rows, (worker, "2021-02-01", "in_bemiddeling")]), pilot30)
    with pytest.raises(InputError, match="needs a status on or before 2021-04-01"):
        hist.load_history(_write(tmp_path, [r for r in rows if r[0] != rows[0][0]]), pilot30)
    changed = [(r[0], r[1], "gestopt") if r[0] == worker and r[2] in WORK else r for r in rows]
    with pytest.raises(InputError, match="status history's status on 2021-04-01"):
        hist.load_history(_write(tmp_path, changed), pilot30)


def test_a_cut_off_outside_the_history_is_a_clear_error(pilot30):
    history = hist.load_history(HISTORY_CSV, pilot30)
    first, last = hist.history_span(history)
    assert (str(first.date()), str(last.date())) == ("2020-12-31", "2021-04-16")  # last inflow; follow-up
    for day in ("2020-11-01", "2021-06-01"):
        with pytest.raises(ValueError, match=f"cutoff_date {day} is outside the status history's span 2020-12-31"):
            hist.with_cutoffs(pilot30, history, [day])
    with pytest.raises(ValueError, match="without a status history"):
        hist.with_cutoffs(pilot30, None, ["2021-03-01"])
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        hist.check_cutoff("1-3-2021", history)
    assert hist.with_cutoffs(pilot30, None, ["2021-04-16"]).equals(pilot30)


@pytest.mark.parametrize("day", ["2021-04-01", "2021-04-16", "2021-03-01", "2021-01-15"])
def test_any_cut_off_gives_the_tables_of_a_plain_count_of_the_history(pilot30, day):
    """Figuren 12-13 and the analysis population at ``day`` from the history, against a plain
    count of the history file (at the snapshot dates also the participant file's columns)."""
    history = hist.load_history(HISTORY_CSV, pilot30)
    frame = hist.with_cutoffs(pilot30, history, [day])
    status = _last_status(_rows(HISTORY_CSV), day)
    people = _rows(SYNTHETIC_CSV)
    expected = pd.Series([status[p["deelnemer_id"]] for p in people]).value_counts()
    assert pt.outflow(frame, day).drop("onbekend", errors="ignore")[lambda s: s > 0].to_dict() == expected.to_dict()
    sectors = pd.Series([p["sector_nieuw"] for p in people if status[p["deelnemer_id"]] in WORK]).value_counts()
    assert pt.outflow_by_sector(frame, day)[lambda s: s > 0].to_dict() == sectors.to_dict()
    if day in ("2021-04-01", "2021-04-16"):
        col = "status_" + day.replace("-", "")
        assert expected.to_dict() == pd.Series([p[col] for p in people]).value_counts().to_dict()
    stayed_on = min(day, "2021-04-01")
    stay = {"nieuwe_baan", "werk_en_scholing", "opleiding", "in_bemiddeling"}
    n_stayed = sum(_last_status(_rows(HISTORY_CSV), stayed_on)[p["deelnemer_id"]] in stay for p in people)
    _, outcome = outcomes.analysis_frame(frame, "work", day, "stayed")
    assert outcome.n == n_stayed
    assert outcome.events == sum(status[p["deelnemer_id"]] in WORK
                                 and _last_status(_rows(HISTORY_CSV), stayed_on)[p["deelnemer_id"]] in stay
                                 for p in people)


def test_published_cut_offs_are_the_runs_own_and_those_passed_no_file_is_read(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no report.yml here or anywhere it could be read from
    assert pt.published_cutoffs(None, ["2021-03-01"]) == ["2021-04-01", "2021-04-16", "2021-03-01"]
    assert pt.published_cutoffs("2021-02-01", ["2021-03-01"]) == ["2021-04-01", "2021-04-16", "2021-02-01",
                                                                  "2021-03-01"]


def test_a_cut_off_outside_the_jointly_protected_set_is_refused(pilot30):
    history = hist.load_history(HISTORY_CSV, pilot30)
    frame = hist.with_cutoffs(pilot30, history, ["2021-03-01", "2021-03-15"])
    with pytest.raises(ValueError, match="cutoff_date 2021-03-15 is not among the jointly protected"):
        pt.protected_figure_tables(frame, "2021-03-15", 10, cutoffs=["2021-03-01"])


def test_output_names_of_notebook_03_carry_a_digest_of_non_default_settings():
    d = outcomes.settings_digest
    assert d(predictors=["triage", "opleiding"], power_ns=[30, 100, 1000, 10000], power_sims=400, min_group_n=5) == ""
    assert d(power_ns="30,100") == d(power_ns=[30, 100]) != d(power_ns=[30, 1000])
    assert len({d(predictors=["triage"]), d(power_sims=50), d(min_group_n=3), d(power_ns=[30])}) == 4
    assert d(min_group_n=3).startswith("_") and len(d(min_group_n=3)) == 9
