"""Status history in long format: the status on any cut-off date, the outflow date and the
service flags, against values worked out by hand or by a plain loop over the records."""

import pandas as pd
import pytest

from analysis.pilot import history as hist, schema as ps

T = pd.Timestamp


@pytest.fixture()
def small():
    return pd.DataFrame([
        ("A", T("2020-10-01"), "in_bemiddeling"),
        ("A", T("2021-02-15"), "nieuwe_baan"),
        ("B", T("2020-11-03"), "in_bemiddeling"),
        ("B", T("2021-03-01"), "opleiding"),
        ("B", T("2021-04-10"), "werk_en_scholing"),
        ("C", T("2020-12-01"), "niet_gestart"),
    ], columns=hist.HISTORY_COLUMNS)


def test_status_on_any_cut_off_date(small):
    assert hist.status_at(small, "2021-01-01").to_dict() == {"A": "in_bemiddeling", "B": "in_bemiddeling",
                                                             "C": "niet_gestart"}
    assert hist.status_at(small, "2021-03-01").to_dict() == {"A": "nieuwe_baan", "B": "opleiding",
                                                             "C": "niet_gestart"}
    assert hist.status_at(small, "2021-04-16")["B"] == "werk_en_scholing"
    assert "A" not in hist.status_at(small, "2020-09-30").index  # no record yet


def test_snapshot_columns_are_named_as_the_participant_file(small):
    snaps = hist.snapshot_columns(small, ["C", "B", "A"], ["2021-04-01", "2021-04-16", "2021-03-15"])
    assert list(snaps.columns) == ["status_20210401", "status_20210416", "status_20210315"]
    assert snaps["status_20210401"].tolist() == ["niet_gestart", "opleiding", "nieuwe_baan"]
    assert snaps["status_20210416"].tolist() == ["niet_gestart", "werk_en_scholing", "nieuwe_baan"]


def test_outflow_date_is_the_first_work_status(small):
    out = hist.outflow_dates(small, ["A", "B", "C"])
    assert out["A"] == T("2021-02-15") and out["B"] == T("2021-04-10") and pd.isna(out["C"])


def test_service_flags_optionally_by_date():
    services = pd.DataFrame([("A", "dv_coaching", T("2020-11-01")), ("A", "dv_videopitch", T("2021-04-05")),
                             ("B", "dv_coaching", pd.NaT)], columns=hist.SERVICE_COLUMNS)
    all_ = hist.service_flags(services, ["A", "B", "C"])
    assert all_.loc["A", "dv_videopitch"] and all_.loc["B", "dv_coaching"] and not all_.loc["C"].any()
    by_april = hist.service_flags(services, ["A", "B"], until="2021-04-01")
    assert by_april.loc["A", "dv_coaching"] and not by_april.loc["A", "dv_videopitch"]
    assert not by_april.loc["B", "dv_coaching"]  # undated: not known to be before the date


def test_history_problems(small):
    bad = pd.concat([small, pd.DataFrame([("A", T("2021-02-15"), "gestopt"), ("Z", T("2021-01-01"), "gestopt")],
                                         columns=hist.HISTORY_COLUMNS)], ignore_index=True)
    issues = hist.history_problems(bad, ["A", "B", "C", "D"])
    assert {(i.row, i.person, i.column) for i in issues} == {
        (7, "Z", "deelnemer_id"), (1, "A", "status"), (6, "A", "status"),
        (None, "D", "status")}
    assert sum(i.person == "D" for i in issues) == 2  # no status on either cut-off date


def test_synthetic_history_gives_the_clean_files_statuses_at_any_date(pilot30):
    """The messy export's history against the clean file: on both cut-off dates the status
    columns, and on every day of the pilot a plain loop over the records."""
    from analysis.pilot.messy_export import status_records

    records = status_records(pilot30)
    ids = pilot30["deelnemer_id"]
    snaps = hist.snapshot_columns(records, ids)
    for col in ps.STATUS_COLUMNS.values():
        assert snaps[col].tolist() == pilot30[col].tolist()
    for day in pd.date_range("2020-12-31", "2021-04-16", freq="7D"):
        expected = {}
        for r in records.itertuples():
            if r.datum <= day and (r.deelnemer_id not in expected or expected[r.deelnemer_id][0] <= r.datum):
                expected[r.deelnemer_id] = (r.datum, r.status)
        assert hist.status_at(records, day).to_dict() == {k: v[1] for k, v in expected.items()}
