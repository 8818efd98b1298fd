"""DWSRA portfolio: raw-file validation, table functions, reproduction of every published
cell the register can compute, and the report's own arithmetic."""

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis import paths
from analysis.data.errors import InputError
from analysis.data.loading import load_table
from analysis.dwsra import checks, schema, tables

RAW = paths.PROJECT_ROOT / "data" / "raw"
SOURCE_TEXT = Path(os.environ.get("DWSRA_SOURCE_TEXT",
                                  paths.PROJECT_ROOT.parent / "shared" / "seeds" / "dwsra_interim_evaluation_2018.txt"))


@pytest.fixture(scope="module")
def data():
    return schema.load_inputs(*(RAW / f for f in schema.RAW_FILES))


@pytest.fixture(scope="module")
def comparison(data):
    computed = checks.computed_cells(data["register"], data["applications"])
    return checks.compare_with_published(data["published"], computed)


# --------------------------------------------------------------------------- validation
def _broken(tmp_path, edit, name="dwsra_project_register.csv"):
    df = pd.read_csv(RAW / name, dtype=str, keep_default_na=False)
    edit(df)
    path = tmp_path / name
    df.to_csv(path, index=False)
    return path


def _error(path, spec=schema.REGISTER) -> str:
    with pytest.raises(InputError) as err:
        load_table(path, spec)
    return str(err.value)


@pytest.mark.parametrize("edit, expect", [
    (lambda df: df.loc.__setitem__((4, "project_code"), "2016XY2018"),
     ["row 5 (line 6 of the file)", "column 'project_code'", "'2016XY2018'", "must match"]),
    (lambda df: df.loc.__setitem__((2, "direct_costs_eur"), "-1103863"),
     ["row 3 (line 4 of the file)", "column 'direct_costs_eur'", "must be >= 0"]),
    (lambda df: df.loc.__setitem__((9, "max_subsidy_eur"), "700000"),
     ["row 10 (line 11 of the file)", "max_subsidy_eur, direct_costs_eur, subsidy_above_ceiling",
      "needs subsidy_above_ceiling = true"]),
    (lambda df: df.loc.__setitem__((36, "subsidy_above_ceiling"), "false"),  # 2016SRA20111, 0.79 x direct
     ["row 37 (line 38 of the file)", "subsidy_above_ceiling"]),
    (lambda df: df.loc.__setitem__((12, "project_code"), df.loc[11, "project_code"]),
     ["row 13 (line 14 of the file)", "column 'project_code'", "must be unique (value already in row 12)"]),
    (lambda df: df.loc.__setitem__((0, "project_type"), "SRA"),
     ["row 1 (line 2 of the file)", "project_type is the DW/SRA part of project_code"]),
    (lambda df: df.loc.__setitem__((5, "applicant_type"), "vakbond"),
     ["row 6 (line 7 of the file)", "column 'applicant_type'", "must be one of"]),
    (lambda df: df.loc.__setitem__((7, "decision_date"), "2019-01-01"),
     ["row 8 (line 9 of the file)", "column 'decision_date'", "<= 2018-04-30"]),
])
def test_register_errors_name_file_row_column_and_rule(tmp_path, edit, expect):
    message = _error(_broken(tmp_path, edit))
    assert "dwsra_project_register.csv" in message
    for part in expect:
        assert part in message, f"{part!r} missing from:\n{message}"


def test_aggregate_files_are_validated(tmp_path):
    path = _broken(tmp_path, lambda df: df.loc.__setitem__((0, "granted"), "30"), "dwsra_applications_by_round.csv")
    assert "granted cannot exceed received" in _error(path, schema.APPLICATIONS)
    path = _broken(tmp_path, lambda df: df.loc.__setitem__((3, "n_projects"), "48"), "dwsra_interview_counts.csv")
    assert "row 4" in _error(path, schema.INTERVIEW_COUNTS)


def test_the_shipped_files_are_valid(data):
    assert len(data["register"]) == 47
    assert data["register"]["project_type"].value_counts().to_dict() == {"SRA": 25, "DW": 22}


def test_only_sra20111_exceeds_the_ceiling(data):
    reg = data["register"]
    assert reg.loc[reg["subsidy_above_ceiling"].astype(bool), "project_code"].tolist() == ["2016SRA20111"]


# --------------------------------------------------------------------------- table functions
def _register(rows):
    base = dict(project_type="DW", applicant_type="oo_fonds", activity_group="alleen_dw", round=1,
                decision_date=pd.Timestamp("2016-10-24"), dw1=False, dw2=True, dw3=False, sra1=False,
                sra2=False, sra3=False, region_scope="onbekend", sector_scope="intrasectoraal",
                digital_product="nee")
    return pd.DataFrame([{**base, **r} for r in rows])


def test_round_half_up_rounds_like_a_report():
    assert tables.round_half_up(0.25, 1) == 0.3
    assert tables.round_half_up(2.5) == 3.0
    assert tables.round_half_up(30.545648, 1) == 30.5
    assert np.isnan(tables.round_half_up(np.nan))


def test_costs_by_activity_group_sums_averages_and_indirect():
    reg = _register([
        dict(activity_group="alleen_dw", direct_costs_eur=1_000_000.0, max_subsidy_eur=690_000.0),
        dict(activity_group="alleen_dw", direct_costs_eur=3_000_000.0, max_subsidy_eur=2_070_000.0),
        dict(activity_group="beide", direct_costs_eur=2_000_000.0, max_subsidy_eur=1_380_000.0),
    ])
    t = tables.costs_by_activity_group(reg)
    assert list(t.index) == ["alleen_dw", "beide", "totaal"]  # empty groups are left out
    assert t.loc["alleen_dw", "direct_mln"] == pytest.approx(4.0)
    assert t.loc["alleen_dw", "indirect_mln"] == pytest.approx(0.6)
    assert t.loc["alleen_dw", "avg_total_mln"] == pytest.approx(2.3)
    assert t.loc["totaal", "max_subsidy_mln"] == pytest.approx(4.14)


def test_activity_types_count_each_project_under_every_type():
    reg = _register([dict(dw1=True, dw2=True), dict(dw2=True), dict(dw2=False, sra1=True)])
    t = tables.projects_per_activity_type(reg)
    assert t.loc["dw2", "n_projects"] == 2 and t.loc["sra1", "n_projects"] == 1
    assert t.loc["meer_dan_een_type", "n_projects"] == 1
    assert t.loc["dw2", "pct"] == pytest.approx(200 / 3)


def test_decision_months_fill_empty_months():
    reg = _register([dict(decision_date=pd.Timestamp("2016-10-24")),
                     dict(decision_date=pd.Timestamp("2017-01-05"), round=2)])
    m = tables.decision_months(reg)
    assert list(m.index) == ["2016-10", "2016-11", "2016-12", "2017-01"]
    assert m.loc["2016-11"].sum() == 0 and m.loc["2017-01", "ronde_2"] == 1


def test_applications_by_round_derives_withdrawn(data):
    t = tables.applications_by_round(data["applications"], data["register"])
    assert t.loc["TOTAAL", "withdrawn_or_stopped"] == 3  # section 2.1: 50 granted, 47 running
    assert t.loc["DW", "withdrawn_or_stopped"] == 1 and t.loc["SRA", "withdrawn_or_stopped"] == 2


def test_interview_table_recomputes_percentages(data):
    t = tables.interview_table(data["interview_counts"], "tabel_3_4", "en")
    assert t["category"].tolist()[0] == "E-learning"
    assert t["pct"].iloc[1] == pytest.approx(100 * 8 / 19)
    with pytest.raises(ValueError, match="no rows"):
        tables.interview_table(data["interview_counts"], "tabel_9_9")


# --------------------------------------------------------------------------- reproduction
def _published_cells():
    """Every published cell the pipeline computes (the interview-based text claims are
    checked only arithmetically, below)."""
    d = schema.load_inputs(*(RAW / f for f in schema.RAW_FILES))
    computed = checks.computed_cells(d["register"], d["applications"])
    keys = set(zip(computed["table"], computed["row"], computed["column"]))
    return [(r.table, r.row, r.column) for r in d["published"].itertuples() if (r.table, r.row, r.column) in keys]


@pytest.mark.parametrize("cell", _published_cells(), ids=lambda c: f"{c[0]}[{c[1]},{c[2]}]")
def test_published_cell(comparison, cell):
    table, row, column = cell
    c = comparison
    r = c[(c["table"] == table) & (c["row"] == row) & (c["column"] == column)].iloc[0]
    where = f"{table}, row {row!r}, column {column!r} (line {r.source_line})"
    reason = checks.explanation(table, row, column)
    if reason is None:
        assert r.status == "reproduced", f"{where}: published {r.published}, pipeline {r.computed_printed} " \
                                         f"(unrounded {r.computed})"
    elif r.status == "reproduced":
        # a wildcard explanation may cover cells that do reproduce; an exact one may not
        assert (table, row, column) not in checks.KNOWN_DIFFERENCES, f"{where} now reproduces: drop its explanation"


def test_every_difference_is_explained_and_no_explanation_is_stale(comparison):
    assert checks.unexplained(comparison).empty, checks.unexplained(comparison).to_string()
    assert checks.stale_explanations(comparison) == []


def test_tabel_2_2_reproduces_except_the_combi_average_and_the_rounded_total(comparison):
    t22 = comparison[comparison["table"] == "tabel_2_2"]
    differing = set(zip(t22.loc[t22["status"] == "differs", "row"], t22.loc[t22["status"] == "differs", "column"]))
    assert differing == {("beide", "avg_total_mln"), ("totaal", "max_subsidy_mln")}


def test_totals_match_the_text(data):
    reg = data["register"]
    assert reg["direct_costs_eur"].sum() == pytest.approx(44_152_337.50)
    assert reg["max_subsidy_eur"].sum() == 30_545_648
    assert reg.loc[reg["project_type"] == "DW", "max_subsidy_eur"].sum() == 20_758_646


# --------------------------------------------------------------------------- report arithmetic
def test_interval_arithmetic():
    a = checks.Interval.printed(20.8, 1)
    assert (a.lo, a.hi) == pytest.approx((20.75, 20.85))
    share = (a / checks.Interval.printed(30.55, 2)) * 100
    assert share.overlaps(checks.Interval.printed(68, 0))
    assert not share.overlaps(checks.Interval.printed(65, 0))
    assert (checks.Interval.exact(47) - checks.Interval.printed(16, 0)).lo == pytest.approx(30.5)


def test_report_inconsistencies_are_exactly_the_known_ones(data):
    found = checks.inconsistencies(checks.arithmetic_checks(data["published"], data["interview_counts"]))
    assert set(found["check"]) == {"2.2 beide average", "tekst_3_3 meerwaarde %", "2.1 text DW share",
                                   "2.1 text SRA share"}
    dw = found.set_index("check").loc["2.1 text DW share"]
    assert dw["allowed_from"] == pytest.approx(67.91, abs=0.01) and dw["printed"] == 65


def test_an_inconsistent_total_is_found(data):
    pub = data["published"].copy()
    pub.loc[(pub["table"] == "tabel_2_1") & (pub["row"] == "TOTAAL") & (pub["column"] == "received"), "value"] = 85
    found = checks.inconsistencies(checks.arithmetic_checks(pub))
    assert "2.1 TOTAAL received" in set(found["check"])


# --------------------------------------------------------------------------- source lines
@pytest.mark.skipif(not SOURCE_TEXT.exists(), reason=f"source text not at {SOURCE_TEXT} (set DWSRA_SOURCE_TEXT)")
def test_every_cited_value_is_on_its_source_line(data):
    lines = SOURCE_TEXT.read_text(encoding="utf-8").split("\n")
    assert checks.source_line_problems(data, lines) == []
    moved = {**data, "register": data["register"].assign(direct_costs_line=data["register"]["direct_costs_line"] + 2)}
    assert len(checks.source_line_problems(moved, lines)) == 47
