"""Issue 23, attack 22's leak 2 in the ledger audit: three two-way crosstabs of three variables
(about 300 persons, every two-way cell 40 or more) pin their three-way table (a count of 3 and
zeros). The audit reads only :func:`analysis.ledger.describe`'s record: it must find the leak in
a record of the old gate (one part per table, linked by equal one-way margins, every cell shown)
and nothing in the record of the current gate (the joint table as one part). The reference is
independent: pandas counts of the file and scipy's MILP over the three published tables
(``tests/test_attack22.py``'s ``_three_way_ranges``)."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest

from analysis import ledger
from analysis.release import audit, joint_audit
from analysis.stats.output_gate import Release
from tests.test_attack22 import EXACT, H, _file_of, _real_run, _three_way_ranges

K = 10
VARIABLES = ("geslacht", "ontslagaanzegging", "werkgever")


@pytest.fixture(scope="module")
def df() -> pd.DataFrame:
    return _file_of(EXACT, VARIABLES)


def _old_release(df: pd.DataFrame, merged: bool = True) -> Release:
    """The gate before adcf31b: each crosstab a block of its own two variables, merged with the
    earlier ones by equal one-way margins (``merged``; else left as separate blocks), every
    cell and total shown."""
    r = Release(K, zeros_disclosive=True)
    frame = df[list(VARIABLES)].astype(str)
    domains = {v: sorted(frame[v].unique()) for v in VARIABLES}
    for a, b in itertools.combinations(VARIABLES, 2):
        name = f"X_{a}_{b}"
        block = r.block(name, frame[[a, b]], {a: domains[a], b: domains[b]})
        earlier = [n for n in r.blocks if n != name]
        if merged and earlier:
            old = r.blocks[earlier[0]]
            shared = [v for v in (a, b) if v in old.atoms.columns]
            equal = [(old, {v: x}, block, {v: x}) for v in shared for x in domains[v]]
            block = r.merge(old.name, [old, block], equal)
        part = {"part": name} if "part" in block.atoms.columns else {}
        for i, j in itertools.product([*domains[a], None], [*domains[b], None]):
            where = {**part, **({a: i} if i else {}), **({b: j} if j else {})}
            r.cell(f"{name}|{i}|{j}", block, **where).shown = True
    for c in r.cells.values():
        c.shown = True
    return r


def _entry(r: Release) -> ledger.Entry:
    return ledger.Entry("study", "hmac:x", "02", K, ("2021-04-01",), r.shown_cells(), ledger.describe(r))


def _pinned(df) -> dict:
    """The three-way atoms the published tables (all cells shown) bound below k or pin at 0,
    by scipy's MILP; with their true counts by pandas."""
    tables = {(a, b): pd.crosstab(df[a].astype(str), df[b].astype(str), margins=True, margins_name="Totaal")
              for a, b in itertools.combinations(VARIABLES, 2)}
    ranges = _three_way_ranges(df, list(VARIABLES), tables)
    return {x: r for x, r in ranges.items() if r[1] < K}


@pytest.mark.parametrize("merged", [True, False])
def test_the_audit_finds_leak_2_in_a_record_of_the_old_gate(df, merged):
    """Control: every two-way cell is 40 or more, so no recorded atom is small; the joint
    attack reports exactly the three-way atoms scipy's MILP bounds below k, the 3 among them."""
    truth = df[list(VARIABLES)].astype(str).value_counts()
    assert truth[("man", "True", H)] == 3
    e = _entry(_old_release(df, merged))
    assert all(v >= 40 for b in e.structure["blocks"].values() for v in b["counts"])
    leaks = audit.attack_entry(e)
    expected = _pinned(df)
    assert ("man", "True", H) in expected and len(expected) >= 4
    found = {tuple(x.split(" = ", 1)[1].split(" (")[0].split(",")) for x in leaks if x.startswith("joint ")}
    assert found == set(expected), (found, expected)
    assert any("man,True,Hutten (bounded 3 to 3" in x for x in leaks), leaks


def test_the_audit_finds_nothing_in_the_record_of_the_current_gate(df):
    """The same three tables through run.crosstab: the joint table is one recorded part, no
    cycle is left, and the audit (per atom and joint) finds no leak."""
    run = _real_run(df)
    for pair in itertools.combinations(VARIABLES, 2):
        run.crosstab(*pair)
    e = _entry(run.release)
    assert not joint_audit.cycles(joint_audit.whole_parts(e.structure))
    assert audit.attack_entry(e) == []


def test_acyclic_tables_need_no_joint_table():
    """A star of tables sharing one variable (the interventions by the movers) is acyclic;
    three tables in a cycle are not, nor is a table beside a cycle of two."""
    def parts(*sets):
        return [("B", [], tuple(s)) for s in sets]
    assert joint_audit.cycles(parts("am", "bm", "cm")) == []
    assert joint_audit.cycles(parts("ab", "bc", "ac")) == [[0, 1, 2]]
    assert joint_audit.cycles(parts("ab", "bc", "ac", "cd")) == [[0, 1, 2, 3]]
    assert joint_audit.cycles(parts("ab", "bc", "abc")) == []  # the joint table itself is recorded
