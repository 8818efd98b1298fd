"""Attack 25, leak 1: a cycle of three crosstabs spread over two invocations of one notebook.

The first invocation published sex by function type and employer by function type, the second
(the same file, the same notebook and dates, another declared exhibit) sex by employer. Every
cell of the three tables holds 10 or more persons, yet together they fix the three-way table:
women on staff at one employer = 3. The ledger took the second release for a rerun of the
first (the same notebook, file, threshold and dates) and never linked the two. The reference
values here come from the file itself (plain pandas) and scipy's MILP, not from the audit.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import Bounds, LinearConstraint, milp

sys.path.insert(0, str(Path(__file__).parent))
from test_attack22 import K, _real_run  # noqa: E402  (the real-data run of round 22)

from analysis import ledger  # noqa: E402
from analysis.release import audit  # noqa: E402
from analysis.release.loading import generate_for_active_study  # noqa: E402

VARIABLES = ("geslacht", "functietype", "werkgever")


@pytest.fixture(scope="module")
def cycle_file() -> pd.DataFrame:
    """400 persons (marked real) whose three two-way tables of sex, function type and employer
    have every cell at 10 or more and pin one three-way count of 3 (attack 25's design)."""
    df = generate_for_active_study(400).assign(synthetisch=False)
    employers = list(df["werkgever"].value_counts().index)  # the study's three employers
    design = [("vrouw", "staf", 0, 3), ("vrouw", "uitvoerend", 0, 60), ("man", "staf", 0, 20),
              ("vrouw", "staf", 1, 12), ("vrouw", "uitvoerend", 1, 60), ("man", "staf", 1, 15),
              ("vrouw", "uitvoerend", 2, 40), ("man", "staf", 2, 20), ("man", "uitvoerend", 2, 170)]
    cells = [(sex, kind, employers[e]) for sex, kind, e, n in design for _ in range(n)]
    assert len(cells) == len(df)
    df[list(VARIABLES)] = pd.DataFrame(cells, index=df.index, columns=list(VARIABLES))
    df["functie"] = df["functietype"].map(df.groupby("functietype")["functie"].first())  # a function of the kind
    df.attrs["pinned"] = ("vrouw", "staf", employers[0])  # the count of 3
    return df


def _entry(run) -> ledger.Entry:
    r = run.release
    return ledger.Entry("study", "file", "02:x", K, ("2021-04-01",), r.shown_cells(), ledger.describe(r))


def _published(df, pairs) -> tuple[list, ledger.Entry]:
    run = _real_run(df)
    tables = [run.crosstab(a, b) for a, b in pairs]
    return tables, _entry(run)


def test_the_three_tables_pin_a_count_below_the_threshold(cycle_file):
    """The intruder's integer programme over the 12 three-way cells, every shown cell of the
    three tables an equation: women on staff at the first employer is pinned at 3."""
    pairs = [("geslacht", "functietype"), ("werkgever", "functietype"), ("geslacht", "werkgever")]
    tables = [_published(cycle_file, [p])[0][0] for p in pairs]
    levels = [sorted(cycle_file[v].unique()) for v in VARIABLES]
    atoms = [(g, f, w) for g in levels[0] for f in levels[1] for w in levels[2]]
    rows, rhs = [], []
    for (a, b), table in zip(pairs, tables):
        assert table.drop(index="Totaal", columns="Totaal").notna().all().all(), "every cell shown (>= 10)"
        for x in table.index[:-1]:
            for y in table.columns[:-1]:
                rows.append([float(t[VARIABLES.index(a)] == x and t[VARIABLES.index(b)] == y) for t in atoms])
                rhs.append(float(table.loc[x, y]))
    target = atoms.index(cycle_file.attrs["pinned"])
    goal = np.eye(len(atoms))[target]
    ends = [milp(s * goal, constraints=[LinearConstraint(rows, rhs, rhs)], integrality=1, bounds=Bounds(0, 400))
            for s in (1.0, -1.0)]
    assert (round(ends[0].fun), round(-ends[1].fun)) == (3, 3)


def test_a_second_invocation_that_closes_the_cycle_is_refused(cycle_file):
    """The ledger links a release of the same notebook, file and dates that published other
    cells (not a rerun): the second release brings leaks into the joint system."""
    _, first = _published(cycle_file, [("geslacht", "functietype"), ("werkgever", "functietype")])
    _, second = _published(cycle_file, [("geslacht", "werkgever")])
    assert first.identity == second.identity and first.published != second.published
    assert audit.new_leaks([first], second)


def test_a_rerun_that_publishes_the_same_cells_is_no_new_leak(cycle_file):
    """Control: the same release twice adds nothing an intruder did not have."""
    _, first = _published(cycle_file, [("geslacht", "functietype"), ("werkgever", "functietype")])
    _, again = _published(cycle_file, [("geslacht", "functietype"), ("werkgever", "functietype")])
    assert first.published == again.published
    assert audit.new_leaks([first], again) == []


def test_a_cycle_of_three_releases_of_one_table_each_is_refused(cycle_file):
    """Attack 26, leak 1: the same three tables, each in an invocation of its own. No release's
    blocks span another's variables, so the links of attack 25's fix never met; the releases'
    structures are now attacked together."""
    releases = [_published(cycle_file, [p])[1] for p in
                [("geslacht", "functietype"), ("werkgever", "functietype"), ("geslacht", "werkgever")]]
    assert audit.new_leaks(releases[:1], releases[1]) == []  # two of them: no cycle yet
    leaks = audit.new_leaks(releases[:2], releases[2])
    assert leaks and any("joint" in x for x in leaks)
