"""Intruder round 22 (issue 23): the gate's view of public facts and of overlapping crosstabs.

Leak 1: the report's "tweederde (20) werkte langer dan 10 jaar" lies on Figuur 8's block, but
the gate registered the report's facts on the status block only; Figuur 8 showed 10-20 jaar
= 14 with the total, and 20 - 14 gave the withheld "meer dan 20 jaar" (6). Leak 2: three
two-way crosstabs of three variables, each protected against its own margins, pinned their
three-way table (a count of 3 and zeros). Every reference value here is computed
independently: plain pandas counts and scipy's MILP over the published cells, written here.
"""

from __future__ import annotations

import itertools
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import Bounds, LinearConstraint, milp

from analysis import paths
from analysis.pilot import inputs as pilot_inputs, tables as pilot_tables
from analysis.stats import released

K = 10
DATES = ["2021-04-01", "2021-04-16"]


def _participants() -> pd.DataFrame:
    """The shipped synthetic file (30 persons, as the report's), marked as real data."""
    df = pilot_inputs.load_participants(paths.DATA_RAW / "pilot_participants_synthetic.csv")
    return df.assign(synthetisch=False)


def _real_run(df):
    from analysis.release.run import Run

    out = SimpleNamespace(private=True, min_cell_count=K)
    return Run("02_pilot_participants", {"cutoff_date": "2021-04-01", "language": "nl"}, df, out, DATES, "t")


def _range(rows, lo, hi, goal) -> tuple[int, int]:
    """Min and max of ``goal @ x`` over non-negative integers ``x`` with lo <= rows @ x <= hi."""
    system = LinearConstraint(np.array(rows, dtype=float), lo, hi)
    ends = []
    for sign in (1.0, -1.0):
        res = milp(sign * np.asarray(goal, float), constraints=[system], integrality=np.ones(len(goal)),
                   bounds=Bounds(0, np.inf))
        assert res.x is not None
        ends.append(round(sign * res.fun))
    return ends[0], ends[1]


# -- leak 1: a report fact on Figuur 8's block ------------------------------------------------

TENURE = pilot_tables.TENURE_LABELS


def _figure_8_system(table: pd.Series, over_10: tuple[int, int]):
    """Figuur 8's shown cells, its total and the report's count of over 10 years (as bounds)."""
    rows, lo, hi = [], [], []
    for label, value in table.items():
        if pd.notna(value):
            rows.append([1.0] * 4 if label == "Totaal" else [float(x == label) for x in TENURE])
            lo.append(float(value))
            hi.append(float(value))
    rows.append([0, 0, 1, 1])  # 10-20 and over 20: "tweederde ... langer dan 10 jaar"
    lo.append(over_10[0])
    hi.append(over_10[1])
    return rows, lo, hi


def test_the_reports_tenure_fact_is_known_to_the_gate_and_figure_8_pins_no_small_group():
    """Figuur 8 beside "tweederde (20)", read exactly or as any of 19..21: every group of 1 to 9
    persons (counted here with pandas) can still hold 10 or more."""
    df = _participants()
    truth = pilot_tables.binned(df["dienstjaren"], pilot_tables.TENURE_BINS, TENURE).value_counts()
    assert truth["10-20 jaar"] + truth["meer dan 20 jaar"] == 20  # the report's fact holds on this file
    by_date, _, r = pilot_tables.joint_figure_tables(df, K, "Totaal", DATES)
    table = by_date[DATES[0]]["figuur_08_dienstjaren"]
    for reading in ((20, 20), (19, 21)):
        rows, lo, hi = _figure_8_system(table, reading)
        for i, label in enumerate(TENURE):
            if 0 < truth[label] < K:
                assert _range(rows, lo, hi, np.eye(4)[i])[1] >= K, (label, reading, table.to_dict())
    assert r.blocks["B"].public, "the fact is registered on Figuur 8's block"


def test_control_figure_8_as_attack_22_saw_it_pins_over_20_years():
    """Control: the table the old gate published (10-20 jaar 14 and the total shown) with the
    report's 20 pins "meer dan 20 jaar" at 6, and at 5..7 if "tweederde" is read as 19..21."""
    df = _participants()
    truth = pilot_tables.binned(df["dienstjaren"], pilot_tables.TENURE_BINS, TENURE).value_counts()
    old = pd.Series([pd.NA, pd.NA, truth["10-20 jaar"], pd.NA, len(df)], index=[*TENURE, "Totaal"])
    assert _range(*_figure_8_system(old, (20, 20)), [0, 0, 0, 1]) == (truth["meer dan 20 jaar"],) * 2
    assert _range(*_figure_8_system(old, (19, 21)), [0, 0, 0, 1])[1] < K


def test_every_fact_of_every_study_on_a_block_of_the_release_is_registered():
    """Each check of the facts file whose persons lie on one block (statuses, education, age
    cut at Figuur 7's edges, years of service at Figuur 8's, function types, triage paths) and
    that holds on the file is public knowledge of the release, not only the status block's."""
    from analysis.pilot import schema as ps

    df = _participants()
    _, _, r = pilot_tables.joint_figure_tables(df, K, "Totaal", DATES)
    on_blocks = {name for name, b in r.blocks.items() if b.public or b.ranges}
    assert {"A", "B", "C", "E"} <= on_blocks
    mapped = [c for f in ps.STUDY.facts.facts for c in f.checks if pilot_tables.release_where(c.where)]
    known = sum(len(b.ranges) for b in r.blocks.values())
    assert known >= len(mapped) - sum(1 for c in mapped if c.distinct)  # every mapped check, where true


# -- leak 2: overlapping crosstabs --------------------------------------------------------------

def _file_of(design: dict, columns: tuple[str, ...]) -> pd.DataFrame:
    """A synthetic file (marked real) whose ``columns`` hold ``design``'s combinations."""
    from analysis.release.loading import generate_for_active_study

    values = [key for key, n in design.items() for _ in range(n)]
    df = generate_for_active_study(len(values)).assign(synthetisch=False)
    df[list(columns)] = pd.DataFrame(values, index=df.index, columns=list(columns)).astype(df[list(columns)].dtypes)
    return df


H, M, C = "Hutten", "Maison van den Boer", "Hotel Central"
EXACT = {("man", True, H): 3, ("vrouw", False, H): 0, ("man", True, M): 0, ("vrouw", False, C): 0,
         ("man", False, H): 40, ("vrouw", True, H): 40, ("man", False, M): 40, ("vrouw", True, M): 40,
         ("vrouw", False, M): 40, ("man", True, C): 40, ("man", False, C): 40, ("vrouw", True, C): 40}
YES_NO = {("man", True, True): 3, ("man", True, False): 97, ("man", False, True): 40, ("man", False, False): 60,
          ("vrouw", True, True): 40, ("vrouw", True, False): 60, ("vrouw", False, True): 100,
          ("vrouw", False, False): 0}


def _three_way_ranges(df: pd.DataFrame, variables, tables) -> dict:
    """scipy's MILP over the three published two-way tables (shown cells and totals): each
    atom of the three-way table (min, max), with its true count from pandas."""
    levels = [sorted(df[v].astype(str).unique()) for v in variables]
    atoms = list(itertools.product(*levels))
    rows, rhs = [], []
    for (a, b), table in tables.items():
        ia, ib = variables.index(a), variables.index(b)
        for i, j in itertools.product([*levels[ia], "Totaal"], [*levels[ib], "Totaal"]):
            value = table.loc[i, j] if i in table.index and j in table.columns else pd.NA
            if pd.notna(value):
                rows.append([float((i == "Totaal" or x[ia] == i) and (j == "Totaal" or x[ib] == j)) for x in atoms])
                rhs.append(float(value))
    truth = df[list(variables)].astype(str).value_counts()
    return {x: (*_range(rows, rhs, rhs, np.eye(len(atoms))[n]), int(truth.get(x, 0))) for n, x in enumerate(atoms)}


def _safe(ranges: dict) -> list:
    """Atoms of 1..k-1 persons bounded below k, and zeros pinned at zero: what must not happen."""
    return [(x, r) for x, r in ranges.items() if (0 < r[2] < K and r[1] < K) or (r[2] == 0 and r[1] == 0)]


@pytest.mark.parametrize("design,variables", [
    (EXACT, ("geslacht", "ontslagaanzegging", "werkgever")),
    (YES_NO, ("geslacht", "ontslagaanzegging", "geinterviewd")),
])
def test_three_crosstabs_of_three_variables_pin_no_atom_of_their_joint_table(design, variables):
    """Attack 22's two files: every two-way cell holds 40 or more, the three-way table a 3 and
    zeros. Crosstabs of each pair (run.crosstab, as docs/adding-an-analysis.md shows) leave
    every small atom able to hold 10 and every zero able to hold one."""
    df = _file_of(design, variables)
    run = _real_run(df)
    pairs = list(itertools.combinations(variables, 2))
    tables = {pair: run.crosstab(*pair) for pair in pairs}
    ranges = _three_way_ranges(df, list(variables), tables)
    assert not _safe(ranges), _safe(ranges)


def test_control_the_three_tables_unprotected_pin_the_atoms():
    """Control: the same three tables with every cell shown (what the old gate published)
    pin the three-way table, the 3 and the zeros, under the same MILP."""
    df = _file_of(EXACT, ("geslacht", "ontslagaanzegging", "werkgever"))
    variables = ["geslacht", "ontslagaanzegging", "werkgever"]
    tables = {}
    for a, b in itertools.combinations(variables, 2):
        t = pd.crosstab(df[a].astype(str), df[b].astype(str), margins=True, margins_name="Totaal")
        tables[(a, b)] = t
    pinned = _safe(_three_way_ranges(df, variables, tables))
    assert (("man", "True", H), (3, 3, 3)) in pinned and len(pinned) >= 4


def test_the_declared_exhibit_route_protects_the_joint_table_too():
    """Declared exhibits (crosstab: in the exhibits file) are run.crosstab: the same three
    tables through Exhibit.shown pin nothing."""
    from analysis.study.exhibits import Exhibit

    variables = ("geslacht", "ontslagaanzegging", "werkgever")
    df = _file_of(EXACT, variables)
    run = _real_run(df)
    tables = {}
    for n, pair in enumerate(itertools.combinations(variables, 2)):
        exhibit = Exhibit(f"figuur_{14 + n}_x", "02_pilot_participants", "table", str(14 + n), ("x", "x"),
                          crosstab=pair, drawing="none", n="table_total", output=f"pilot_figuur_{14 + n}_x")
        tables[pair] = exhibit.shown({}, run)
    assert not _safe(_three_way_ranges(df, list(variables), tables))


def test_a_variable_by_status_at_both_dates_pins_no_atom_of_variable_by_both_statuses():
    """Notebook 02's crosstab by status is released at every published date in one block:
    with the statuses on both dates (Figuur 12 at each), gender x status at 1 and at 16 April
    leaves every small atom of gender x status 1 April x status 16 April able to hold 10."""
    df = _file_of({("man",): 150, ("vrouw",): 150}, ("geslacht",))
    run = _real_run(df)
    frame = run.release_frame()
    table = run.crosstab("geslacht", "status")
    assert table is not None
    s1, s2 = (pilot_tables.status_var(d) for d in DATES)
    block = run.release.blocks[next(c.block for k, c in run.release.cells.items() if k.startswith("geslacht_status@"))]
    shown = [c for c in run.release.cells.values() if c.shown and c.block == block.name]
    truth = frame.groupby(["geslacht", s1, s2]).size()
    for (g, a, b), n in truth.items():
        if 0 < n < K:
            goal = block.mask(geslacht=str(g), **{s1: a, s2: b}, part=block.atoms["part"].iloc[-1]) \
                if "part" in block.atoms.columns else block.mask(geslacht=str(g), **{s1: a, s2: b})
            rows = [*(row for row, _ in block.identities), *(c.coef for c in shown)]
            rhs = [*(v for _, v in block.identities), *(c.value for c in shown)]
            assert _range(rows, rhs, rhs, goal.astype(float))[1] >= K, (g, a, b, n)


def test_a_joint_table_beyond_the_bound_is_refused_naming_the_tables(monkeypatch):
    """The joint table over the union of linked crosstabs' variables has a bound on its atoms;
    beyond it the crosstab is refused with a message naming the earlier tables."""
    from analysis.release import crosstab as xt

    df = _file_of(EXACT, ("geslacht", "ontslagaanzegging", "werkgever"))
    run = _real_run(df)
    run.crosstab("geslacht", "werkgever")
    monkeypatch.setattr(xt, "MAX_ATOMS", 5)
    with pytest.raises(released.UnreleasedOutput, match="geslacht_werkgever"):
        run.crosstab("ontslagaanzegging", "werkgever")
