"""Intruder round 23 (issue 23): what the evaluator's crosstabs gave back beside the tables.

Leak 1: a crosstab took a column's levels from the values present in the file, so a level
nobody holds had no row, and its absence published "nobody" unprotected (no ``vast`` row:
nobody got a permanent contract; no ``team_match`` column: nobody found work through Team
Match). The levels a table must have are read here from the study file itself (plain
YAML), not from the code under test.

Leak 3 (and attack 24's variant): a column recorded only for some outcomes (a new contract,
a certification course written "nee" where it does not apply) beside a table by status told
the status, and the gate protected the two tables only through their shared margin.

Leak 2: the ledger compared two files' releases cell by cell, and a row one release has and
the other lacks was no cell to it: a level that appears after a correction pins a count of 1.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

sys.path.insert(0, str(Path(__file__).parent))
from test_attack22 import K, _real_run  # noqa: E402  (the real-data run of round 22)

from analysis import ledger, paths  # noqa: E402
from analysis.release.loading import generate_for_active_study  # noqa: E402


def _declared(key: str) -> list[str]:
    """The study's own list ``key`` (contracts, found_via), read as plain YAML."""
    text = (paths.PROJECT_ROOT / "studies" / "catering_noordoost_brabant_2021.yml").read_text(encoding="utf-8")
    return [str(x) for x in yaml.safe_load(text)[key]]


@pytest.fixture(scope="module")
def emptied():
    """400 persons (marked real) among whom nobody holds ``vast``/``zzp`` or ``team_match``."""
    df = generate_for_active_study(400).assign(synthetisch=False)
    df["contract_nieuw"] = df["contract_nieuw"].replace({"vast": "tijdelijk", "zzp": "uitzend"})
    df["gevonden_via"] = df["gevonden_via"].replace({"team_match": "eigen_netwerk"})
    return df


def test_a_contract_nobody_holds_is_a_row_whose_zero_is_withheld(emptied):
    table = _real_run(emptied).crosstab("contract_nieuw")
    for level in _declared("contracts"):
        assert level in table.index, f"no row {level!r}: its absence says nobody holds it"
    for empty in ("vast", "zzp"):
        assert pd.isna(table[empty]), f"the zero of {empty!r} is published"
    shown = table.drop("Totaal").dropna()
    assert table["Totaal"] - shown.sum() >= K, "the withheld cells together are pinned below the threshold"


def test_a_way_of_finding_work_nobody_used_is_a_withheld_column(emptied):
    table = _real_run(emptied).crosstab("geslacht", "gevonden_via")
    assert set(_declared("found_via")) <= set(table.columns)
    assert table["team_match"].isna().all(), "the zeros of team_match are published"


def test_a_yes_no_column_where_nobody_is_yes_keeps_its_yes_row(emptied):
    """No one recorded "yes" (half "no", half not recorded): the "yes" row is there, withheld."""
    df = emptied.assign(geinterviewd=pd.array([False, None] * 200, dtype="boolean"))
    table = _real_run(df).crosstab("geinterviewd")
    assert "True" in table.index and pd.isna(table["True"])


# -- leak 2: a level that appears (or vanishes) between two files of a study ----------------

def _entry(run, inputs: str, notebook: str = "02:x") -> ledger.Entry:
    r = run.release
    return ledger.Entry("study", inputs, notebook, K, ("2021-04-01",), r.shown_cells(), ledger.describe(r))


@pytest.fixture(scope="module")
def first_and_corrected(emptied):
    """A file, and the same file with one person's sex corrected to "not recorded": a row
    ``onbekend`` appears in the corrected file's table by sex, holding that one person."""
    corrected = emptied.copy()
    corrected.loc[corrected.index[7], "geslacht"] = "onbekend"
    runs = []
    for df in (emptied, corrected):
        run = _real_run(df)
        run.crosstab("geslacht", "gevonden_via", name="gender_found")
        runs.append(run)
    return runs


def test_a_row_that_appears_in_a_corrected_file_is_a_difference(first_and_corrected):
    first, corrected = first_and_corrected
    assert not any("|onbekend|" in k for k in first.release.cells if k.startswith("gender_found|"))
    new = corrected.release
    clash = ledger.differences([_entry(first, "a")], "b", new.shown_cells(), K,
                               withheld={k: int(c.value) for k, c in new.cells.items() if not c.shown})
    assert "gender_found|onbekend|Totaal" in clash, clash


def test_a_row_that_vanishes_in_a_corrected_file_is_a_difference(first_and_corrected):
    first, corrected = first_and_corrected
    old = first.release
    clash = ledger.differences([_entry(corrected, "b")], "a", old.shown_cells(), K,
                               withheld={k: int(c.value) for k, c in old.cells.items() if not c.shown})
    assert "gender_found|onbekend|Totaal" in clash, clash


def test_the_same_file_twice_and_the_curves_intervals_are_no_difference(first_and_corrected):
    first, _ = first_and_corrected
    r = first.release
    withheld = {k: int(c.value) for k, c in r.cells.items() if not c.shown}
    assert not ledger.differences([_entry(first, "a")], "b", r.shown_cells(), K, withheld=withheld)  # control
    merged = {"gender_found|0-3|events": 4}  # as an interval of a curve another file's curves merged away
    assert ledger.differences([_entry(first, "a")], "b", merged, K, withheld={})  # control: a new level
    assert not ledger.differences([_entry(first, "a", "04:x")], "b", merged, K, withheld={})  # not a zero


# -- leak 3: a column recorded only for who is in work, beside a table by status ---------------

def _work_statuses() -> list[str]:
    """The study's statuses of kind work or work-and-education, read as plain YAML."""
    text = (paths.PROJECT_ROOT / "studies" / "catering_noordoost_brabant_2021.yml").read_text(encoding="utf-8")
    return [s for s, d in yaml.safe_load(text)["statuses"].items() if d["kind"] in ("work", "work_and_education")]


@pytest.fixture(scope="module")
def three_men_in_work_and_training():
    """400 persons (marked real); of the men in work with training on 16 April, 3 remain (the
    rest moved to a new job, at both dates)."""
    df = generate_for_active_study(400).assign(synthetisch=False)
    df["contract_nieuw"] = df["contract_nieuw"].replace({"zzp": "uitzend"})  # (zzp: the zzp support's twin)
    both = ["status_20210401", "status_20210416"]
    men = df.index[(df["geslacht"] == "man") & (df["status_20210416"] == "werk_en_scholing")]
    assert len(men) > 3
    for i in men[3:]:
        df.loc[i, both] = "nieuwe_baan"
    return df


def _run_at(df, cutoff: str):
    from types import SimpleNamespace

    from analysis.release.run import Run

    out = SimpleNamespace(private=True, min_cell_count=K)
    return Run("02_pilot_participants", {"cutoff_date": cutoff, "language": "nl"}, df, out,
               ["2021-04-01", "2021-04-16"], "t")


def _small_sex_by_status(df) -> dict:
    """The true counts of 1 to 9 of sex x status on 16 April (plain pandas)."""
    truth = df.assign(s=df["status_20210416"].astype(str)).groupby(["geslacht", "s"]).size()
    return {k: n for k, n in truth.items() if 0 < n < K}


def _assert_unbounded(small: dict, atoms: list, tables, n: int) -> None:
    """The intruder's integer programme over ``atoms`` (sex, status, other value), every shown
    cell of ``tables`` (sex x status, sex x the other column) an equation: each of ``small``
    can still hold ``K`` persons (scipy's MILP)."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    rows, rhs = [], []
    for table, pick in zip(tables, (1, 2)):
        for g in table.index:
            for j in table.columns:
                if pd.notna(table.loc[g, j]):
                    rows.append([float(g in ("Totaal", a[0]) and j in ("Totaal", a[pick])) for a in atoms])
                    rhs.append(float(table.loc[g, j]))
    system = LinearConstraint(rows, rhs, rhs)
    for (g, s), count in small.items():
        res = milp([-float(a[0] == g and a[1] == s) for a in atoms], constraints=[system], integrality=1,
                   bounds=Bounds(0, n))
        assert res.x is not None and -res.fun >= K, f"{g} x {s} ({count}) is bounded by {-res.fun:.0f}"


def test_a_contract_table_beside_a_status_table_pins_no_small_count(three_men_in_work_and_training):
    """The intruder's integer programme over persons by sex x status x contract, knowing in
    which statuses a contract is recorded for nobody or for everybody (the codebook: only for
    who is in work; on this file for every one of them, as attack 23 assumed), with every
    shown cell of both tables: no true count of 1 to 9 of sex x status is bounded below 10."""
    df = three_men_in_work_and_training
    run = _run_at(df, "2021-04-16")
    by_status = run.crosstab("geslacht", "status")
    by_contract = run.crosstab("geslacht", "contract_nieuw")
    sexes, statuses = list(by_status.index[:-1]), list(by_status.columns[:-1])
    contracts, work = list(by_contract.columns[:-1]), _work_statuses()
    recorded = df["contract_nieuw"].notna().groupby(df["status_20210416"].astype(str)).mean()
    assert set(recorded[recorded == 1].index) == set(work), "on this file every one in work has a contract"
    atoms = [(g, s, c) for g in sexes for s in statuses for c in contracts
             if (c != "onbekend") == (s in work)]
    small = _small_sex_by_status(df)
    assert (("man", "werk_en_scholing"), 3) in small.items()
    _assert_unbounded(small, atoms, (by_status, by_contract), len(df))


def _course_file(empty_where_not_in_work: bool) -> pd.DataFrame:
    """Attack 24's file: 400 persons, few women not in work; the certification course "ja" for
    most in work, "nee" for the rest; with ``empty_where_not_in_work``, attack 25's variant: the
    course left empty for 10 women with the old employer and one man of each other status not in
    work (a mix of "nee" and empty where the course does not apply)."""
    base = generate_for_active_study(400).assign(synthetisch=False)
    want = {"vrouw": {"nieuwe_baan": 162, "werk_en_scholing": 8, "oude_werkgever": 23, "in_bemiddeling": 3,
                      "gestopt": 2, "niet_gestart": 2},
            "man": {"nieuwe_baan": 100, "werk_en_scholing": 14, "oude_werkgever": 14, "in_bemiddeling": 46,
                    "gestopt": 13, "niet_gestart": 13}}
    rows = [base[base["status_20210416"] == status].iloc[i % 10] for by in want.values()
            for status, n in by.items() for i in range(n)]
    df = pd.DataFrame(rows).reset_index(drop=True)
    df["geslacht"] = [sex for sex, by in want.items() for n in by.values() for _ in range(n)]
    df["deelnemer_id"] = [f"K{i:04d}" for i in range(len(df))]
    status, sex = df["status_20210416"], df["geslacht"]
    df["certificeringscursus"] = pd.array(status.isin(_work_statuses()).to_numpy(), dtype="boolean")
    no_course = df.index[(status == "nieuwe_baan") & (sex == "vrouw")][:1].append(
        df.index[(status == "nieuwe_baan") & (sex == "man")][:10])
    df.loc[no_course, "certificeringscursus"] = False  # not determined by the status
    if empty_where_not_in_work:
        empty = df.index[(status == "oude_werkgever") & (sex == "vrouw")][:10].tolist()
        empty += [df.index[(status == s) & (sex == "man")][0] for s in ("oude_werkgever", "in_bemiddeling",
                                                                        "gestopt", "niet_gestart")]
        df.loc[empty, "certificeringscursus"] = pd.NA
    return df


@pytest.mark.parametrize("empty_where_not_in_work", [False, True], ids=["attack_24", "attack_25_mixed"])
def test_a_yes_no_column_written_no_where_it_does_not_apply_pins_no_small_count(empty_where_not_in_work):
    """Attack 24: the certification course written "nee" (not left empty) for everyone not in
    work, "ja" for most in work: the intruder reads "ja" as "in work". Attack 25: the same with
    "nee" and empty mixed where it does not apply. With that rule in the integer programme, and
    every shown cell of sex x status and sex x course, no true count of 1 to 9 of sex x status is
    bounded below 10."""
    df = _course_file(empty_where_not_in_work)
    work = _work_statuses()
    run = _run_at(df, "2021-04-16")
    by_status = run.crosstab("geslacht", "status")
    by_course = run.crosstab("geslacht", "certificeringscursus")
    sexes, statuses = list(by_status.index[:-1]), list(by_status.columns[:-1])
    courses = [c for c in ("False", "True", "onbekend") if c in by_course.columns]
    assert len(courses) == 2 + empty_where_not_in_work
    atoms = [(g, s, c) for g in sexes for s in statuses for c in courses if c != "True" or s in work]
    small = _small_sex_by_status(df)
    assert small
    _assert_unbounded(small, atoms, (by_status, by_course), len(df))
