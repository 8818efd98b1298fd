"""DWSRA portfolio: raw-file validation, table functions, reproduction of every published
cell the register can compute, and the report's own arithmetic."""

import os
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis import paths
from analysis.data.errors import InputError
from analysis.data.loading import load_table
from analysis.dwsra import accounting, ceiling, checks, schema, sweep, tables

RAW = paths.PROJECT_ROOT / "data" / "raw"
#: The plain text of the report (not in the repository; CI sets the variable).
SOURCE_TEXT = Path(os.environ["DWSRA_SOURCE_TEXT"]) if os.environ.get("DWSRA_SOURCE_TEXT") else None
NO_TEXT = "DWSRA_SOURCE_TEXT is not set: it names the plain text of the report (see docs/dwsra_sources.md)"
needs_text = pytest.mark.skipif(
    SOURCE_TEXT is None or not SOURCE_TEXT.exists(),
    reason=NO_TEXT if SOURCE_TEXT is None else f"DWSRA_SOURCE_TEXT={SOURCE_TEXT}: no such file")


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
                                   "2.1 text SRA share", "2.2 beide ceiling", "2.2 totaal ceiling",
                                   "2.3 oo_fonds ceiling", "2.3 totaal ceiling", "2.1 text total ceiling"}
    dw = found.set_index("check").loc["2.1 text DW share"]
    assert dw["allowed_from"] == pytest.approx(67.91, abs=0.01) and dw["printed"] == 65
    # 60% of (14,15 + 2,15) mln is at most 9,78 mln: "Beide typen" breaks the ceiling under any rounding
    assert found.set_index("check").loc["2.2 beide ceiling", "allowed_to"] == pytest.approx(0.6 * (14.15 + 2.15))


def test_claims_are_data_and_validated(tmp_path):
    claims = checks.load_claims()
    assert len(claims) >= 70 and set(claims["rule"]) <= set(schema.CLAIM_RULES)
    bad = pd.read_csv(RAW / "dwsra_report_claims.csv", dtype=str, keep_default_na=False)
    bad.loc[3, "rule"] = "guess"
    path = tmp_path / "dwsra_report_claims.csv"
    bad.to_csv(path, index=False)
    message = _error(path, schema.REPORT_CLAIMS)
    assert "row 4" in message and "column 'rule'" in message


def test_a_claim_on_a_missing_cell_names_it(data):
    claims = checks.load_claims().head(1).assign(operands="tabel_2_1/DW/nothing")
    with pytest.raises(KeyError, match="tabel_2_1', 'DW', 'nothing"):
        checks.arithmetic_checks(data["published"], claims=claims)


def test_an_inconsistent_total_is_found(data):
    pub = data["published"].copy()
    pub.loc[(pub["table"] == "tabel_2_1") & (pub["row"] == "TOTAAL") & (pub["column"] == "received"), "value"] = 85
    found = checks.inconsistencies(checks.arithmetic_checks(pub))
    assert "2.1 TOTAAL received" in set(found["check"])


# --------------------------------------------------------------------------- source lines
@needs_text
def test_every_cited_value_is_on_its_source_line(data):
    lines = SOURCE_TEXT.read_text(encoding="utf-8").split("\n")
    assert checks.source_line_problems(data, lines) == []
    moved = {**data, "register": data["register"].assign(direct_costs_line=data["register"]["direct_costs_line"] + 2)}
    assert len(checks.source_line_problems(moved, lines)) == 47


# --------------------------------------------------------------------------- new tables
def test_budget_per_round_reproduces_section_2_1(data):
    t = tables.budget_by_round(data["published"])
    # lines 971-981: 18,75 per round; round 1 re-split 10,8 / 7,95; round 2 7,75 / 11
    assert t.loc["ronde_1", ["dw_mln", "sra_mln", "total_mln"]].tolist() == [10.8, 7.95, 18.75]
    assert t.loc["ronde_2", ["dw_mln", "sra_mln", "total_mln"]].tolist() == [7.75, 11.0, 18.75]
    assert t.loc["totaal", "total_mln"] == pytest.approx(37.5)  # line 1003
    assert t.loc["totaal", "dw_pct"] == pytest.approx(100 * 18.55 / 37.5)  # "nagenoeg" 50-50


def test_decision_days_reproduce_line_1125_within_the_register_bounds(data):
    t = tables.decision_days(data["published"], data["register"], schema.APPLICATION_WINDOWS)
    assert t["decision_days"].to_dict() == {"ronde_1": 137.0, "ronde_2": 168.0}
    assert t["within"].all()
    # round 2: decisions average 17 May 2017 (register); window 28 Nov - 23 Dec 2016
    assert t.loc["ronde_2", "register_from"] == pytest.approx(145.19, abs=0.01)


def test_financial_progress_reproduces_section_4_2(data):
    t = tables.financial_progress(data["published"])["value"]
    expected = {"voortgangsrapportages": 37, "gerealiseerd_totaal": 18, "gerealiseerd_ronde_1": 22,
                "verwacht_ronde_1": 49, "gerealiseerd_ronde_2": 16, "verwacht_ronde_2": 36,
                "minder_kosten_projecten": 10, "minder_kosten_mln": 1.7, "minder_subsidie_mln": 1.0,
                "maximale_toekenning_mln": 30.55, "meer_kosten_projecten": 2}
    assert t.to_dict() == pytest.approx(expected)


def test_tabel_4_2_has_the_aantrekkende_arbeidsmarkt_row(data):
    t = tables.interview_table(data["interview_counts"], "tabel_4_2")
    assert len(t) == 16  # lines 2350-2381
    last = t.iloc[-1]
    assert (last["category"], last["n_projects"], last["pct_published"], last["source_line"]) == \
        ("Aantrekkende arbeidsmarkt", 1, 2, 2381)


# --------------------------------------------------------------------------- ceiling
def test_sra20111_breaks_the_ceiling_and_explains_the_totals(data):
    b = ceiling.breaches(data["register"])
    assert b["project_code"].tolist() == ["2016SRA20111"]
    assert b.loc[0, "excess_eur"] == 690_000 - 0.69 * 870_000  # EUR 89.700
    effect = ceiling.effect_on_totals(data["register"])
    assert (effect["pct_granted"] > 60).all()
    assert (effect["pct_without_excess"] <= 60.0 + 1e-3).all()


def test_explanations_of_tabel_2_3_total_and_tabel_2_4(comparison):
    assert "Rounding" in checks.explanation("tabel_2_3", "totaal", "max_subsidy_mln")
    text = checks.explanation("tabel_2_4", "dw1", "n_projects")
    differing = comparison[(comparison["table"] == "tabel_2_4") & (comparison["status"] == "differs")]
    for row in set(differing["row"]):
        assert (row.upper() if row != "meer_dan_een_type" else "more than one type") in text, row


# --------------------------------------------------------------------------- number sweep
@pytest.fixture(scope="module")
def numbers():
    return load_table(RAW / "dwsra_printed_numbers.csv", schema.PRINTED_NUMBERS)


@pytest.fixture(scope="module")
def context(data):
    return dict(published=data["published"], interview_counts=data["interview_counts"],
                facts=accounting.register_facts(data["register"], data["applications"]),
                claims=checks.arithmetic_checks(data["published"], data["interview_counts"]))


def test_every_printed_number_is_accounted_for(numbers):
    assert sweep.unaccounted(numbers).empty
    counts = accounting.coverage_counts(numbers)
    assert counts.sum() == len(numbers) and counts["register"] > 80


def test_every_basis_holds_or_is_a_finding(numbers, context):
    checked = accounting.check_numbers(numbers, context)
    assert len(checked) == numbers["basis"].notna().sum()
    bad = accounting.unexplained_disagreements(checked)
    assert bad.empty, bad.to_string()


def test_a_wrong_printed_number_is_caught(numbers, context):
    wrong = numbers.copy()
    at = (wrong["line"] == 2127) & (wrong["text"] == "bijna de helft")  # Tabel 4.1: 45%
    wrong.loc[at, "value"] = "60..70"
    bad = accounting.unexplained_disagreements(accounting.check_numbers(wrong, context))
    assert bad["line"].tolist() == [2127]


INCONSISTENCIES = [  # (line, kind), from the sweep and the claims
    (834, "text_vs_register"), (1001, "regulation"), (1005, "text_vs_text"), (1007, "text_vs_text"),
    (1065, "arithmetic"), (1065, "regulation"), (1067, "regulation"),
    (1186, "regulation"), (1188, "regulation"), (1444, "reference"), (1480, "arithmetic"),
    (2350, "table_vs_figure"), (2381, "text_vs_table"), (2473, "text_vs_table"),
]


def test_the_inconsistency_list_is_pinned(numbers, context):
    found = accounting.inconsistency_list(numbers, accounting.check_numbers(numbers, context), context["claims"])
    assert list(zip(found["line"], found["kind"])) == INCONSISTENCIES
    row = found[(found["line"] == 1005)].iloc[0]
    assert row["other_lines"] == "1001" and row["recomputed"].startswith("67.9")
    assert found[found["line"] == 834].iloc[0]["other_lines"] == "3423"


def test_tokeniser_reads_the_report_conventions():
    lines = ["Aan de 47 projecten1 is maximaal € 30,55 miljoen toegekend, ruim 40% in bijna de helft",
             "verlengd tot 30 juni 20192. Zie https://www.x.nl/2016/10/25/y.html en Tabel 2.1",
             "het minimum bedraagt € 125.000 voor DW1 en twee keer een derde project"]
    got = sweep.extract_numbers(lines, (1, 3))
    assert list(zip(got["text"], got["value"], got["kind"])) == [
        ("47", "47", "number"), ("1", "1", "footnote_mark"), ("maximaal € 30,55 miljoen", "30.55", "amount"),
        ("ruim 40%", "40..50", "percentage"), ("bijna de helft", "40..50", "verbal"),
        ("30 juni 2019", "2019-06-30", "date"), ("2", "2", "footnote_mark"),
        ("https://www.x.nl/2016/10/25/y.html", "2016.10.25", "identifier"), ("Tabel 2.1", "2.1", "reference"),
        ("€ 125.000", "0.125", "amount"), ("DW1", "1", "identifier"), ("twee", "2", "word")]


def test_coverage_table_in_readme_is_current(numbers):
    readme = (paths.PROJECT_ROOT / "docs" / "real-data.md").read_text(encoding="utf-8")
    assert sweep.coverage_markdown(numbers) in readme


@needs_text
def test_the_sweep_re_extracts_the_committed_numbers(numbers):
    lines = SOURCE_TEXT.read_text(encoding="utf-8").split("\n")
    diff = sweep.compare_with_committed(sweep.extract_numbers(lines), numbers)
    assert diff["missing"].empty, "printed but not in dwsra_printed_numbers.csv:\n" + diff["missing"].to_string()
    assert diff["stale"].empty, "in dwsra_printed_numbers.csv but not printed:\n" + diff["stale"].to_string()


@needs_text
def test_every_caption_basis_points_at_its_caption(numbers):
    lines = SOURCE_TEXT.read_text(encoding="utf-8").split("\n")
    refs = numbers[numbers["basis"].fillna("").str.startswith("caption ")]
    for r in refs.itertuples():
        target = lines[int(r.basis.split()[1]) - 1]
        if r.kind == "reference":
            assert r.text.split()[-1].split("-")[0] in target, (r.line, r.text, target)
        else:
            assert target.strip(), (r.line, r.text)


def test_printed_ranges_follow_the_printed_digits():
    assert accounting.printed_range("30.55", "€ 30,55 miljoen") == pytest.approx((30.545, 30.555))
    assert accounting.printed_range("0.125", "€ 125.000") == pytest.approx((0.1249995, 0.1250005))
    assert accounting.printed_range("40..50", "ruim 40%") == (40.0, 50.0)
    assert accounting.printed_range("2016-11", "eind november 2016") == "2016-11"
    assert accounting.agrees((40.0, 50.0), 43.0) and not accounting.agrees((50.0, 100.0), 21.3)
    assert accounting.agrees("2016-11", "2016-11-28") and not accounting.agrees("2016-11", "2016-12-23")


def test_a_register_breaking_a_printed_rule_is_caught(data, numbers, context):
    register = data["register"].copy()
    register.loc[0, "max_subsidy_eur"] = 2_400_000  # above the EUR 2 mln maximum of line 812
    facts = accounting.register_facts(register, data["applications"])
    bad = accounting.unexplained_disagreements(accounting.check_numbers(numbers, {**context, "facts": facts}))
    assert ("€ 2", 812) in set(zip(bad["text"], bad["line"]))


def test_expected_spend_is_the_elapsed_share_of_the_term():
    reg = _register([dict(decision_date=pd.Timestamp("2017-01-01"), round=1),
                     dict(decision_date=pd.Timestamp("2017-07-01"), round=2)])
    t = tables.expected_spend(reg, ("2018-01-01",))
    # round 1 runs to 31 Dec 2018 (729 days), round 2 to 30 June 2019 (729 days)
    assert t.loc["2018-01-01", "ronde_1"] == pytest.approx(100 * 365 / 729)
    assert t.loc["2018-01-01", "ronde_2"] == pytest.approx(100 * 184 / 729)


def test_every_register_fact_is_used_and_every_named_fact_exists(numbers, context):
    text = " ".join(numbers["basis"].fillna("").tolist() + numbers["reason"].fillna("").tolist())
    named = set(re.findall(r"fact (\w+)", text)) | set(re.findall(r"\(fact (\w+)\)", text))
    assert named == set(context["facts"])


@needs_text
def test_every_digit_of_the_summary_and_chapters_1_4_is_in_a_swept_number():
    lines = SOURCE_TEXT.read_text(encoding="utf-8").split("\n")
    swept = sweep.extract_numbers(lines)
    per_line = swept.groupby("line")["text"].apply(lambda s: sum(ch.isdigit() for t in s for ch in t)).to_dict()
    first, last = sweep.SCOPE
    missed = [n for n in range(first, last + 1) if sum(ch.isdigit() for ch in lines[n - 1]) != per_line.get(n, 0)]
    assert missed == []


def test_bound_rules_catch_a_broken_cell(data):
    pub = data["published"].copy()
    at = (pub["table"] == "tabel_2_4") & (pub["row"] == "meer_dan_een_type")
    pub.loc[at, "value"] = 57.0  # 103 type counts over 47 projects allow at most 56 with more than one type
    found = checks.inconsistencies(checks.arithmetic_checks(pub))
    assert "2.4 multi-type projects" in set(found["check"])


def test_a_label_at_the_length_bound_draws_without_a_layout_problem():
    """Hostile round 14, H10: the bound on the interview labels is one the figure holds: six
    labels of 60 characters of words (the shipped labels, lengthened) draw without overlap or
    clipping (the layout check every figure passes), where 80 did not."""
    import matplotlib.pyplot as plt

    from analysis.presentation import layout, plots

    shipped = pd.read_csv(RAW / "dwsra_interview_counts.csv", dtype=str)["label_nl"].head(6)
    labels = [(f"{i} {t} en ondersteuning bij het vinden van nieuw werk in een andere sector")[:schema.LABEL_CHARACTERS]
              for i, t in enumerate(shipped)]
    assert {len(t) for t in labels} == {schema.LABEL_CHARACTERS}
    fig = plots.bar_counts(pd.Series([14, 12, 9, 7, 3, 2], index=labels), "Figuur 3.1", "nl",
                           xlabel="aantal projecten", source="bron", n=47)
    try:
        assert layout.problems(fig) == []
    finally:
        plt.close(fig)
