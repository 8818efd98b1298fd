"""A crosstab by status is published by every run of notebook 02, each at its own cut-off
date. The seventh intruder combined two of them (gender by status on 1 and on 16 April) with
a rule of the codebook every reader knows: an outflow status is final, so whoever had it on 1
April has it on 16 April. The joint table of gender by both statuses then pinned a withheld
cell (women starting education on 16 April: exactly 0) that each table protected on its own
did not reveal. ``run.crosstab(..., "status")`` now releases the table at every published
date in one block over both statuses with the codebook's transitions, in the same order in
every run.

The attack here is written apart from the gate: an integer programme over persons by gender,
status on 1 April and status on 16 April, with only the finality rule (weaker than the
codebook's), bounding every withheld cell of the two published tables."""

from __future__ import annotations

import functools
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import Bounds, LinearConstraint, milp

from analysis.pilot import schema as ps, tables as pt
from analysis.pilot.synthetic import generate_participants
from analysis.release import crosstab as xt
from analysis.release.run import Run

K = 10
TOTAL = "Totaal"


def _persons(seed: int) -> pd.DataFrame:
    n = int(np.random.default_rng(seed).integers(60, 400))
    return generate_participants(n, seed=2000 + seed).assign(synthetisch=False)  # real data: zeros protected


def _variables(genders, statuses) -> list[tuple]:
    final = set(ps.STUDY.final_statuses)
    return [(g, a, b) for g in genders for a in statuses for b in statuses if a not in final or a == b]


def _constraints(tables, variables) -> LinearConstraint:
    rows, rhs = [], []
    for date, table in enumerate(tables):
        for (g, s), value in table.stack().items():
            if pd.notna(value):
                rows.append([float((g in (TOTAL, gg)) and (s in (TOTAL, (a, b)[date]))) for gg, a, b in variables])
                rhs.append(float(value))
    return LinearConstraint(np.array(rows), rhs, rhs)


def pinned(tables: list[pd.DataFrame]) -> list[tuple]:
    """Withheld cells of the two tables (by gender and status on each date) whose bounds lie
    below the threshold: (date, gender, status, low, high)."""
    genders = [g for g in tables[0].index if g != TOTAL]
    statuses = [s for s in tables[0].columns if s != TOTAL]
    variables = _variables(genders, statuses)
    known = _constraints(tables, variables)
    found = []
    for date, table in enumerate(tables):
        for (g, s), value in table.drop(index=TOTAL, columns=TOTAL).stack().items():
            if pd.isna(value):
                c = np.array([float(gg == g and (a, b)[date] == s) for gg, a, b in variables])
                low, high = (milp(sign * c, constraints=known, integrality=np.ones(len(c)), bounds=Bounds(0, np.inf))
                             for sign in (1, -1))
                if round(-high.fun) < K:
                    found.append((date, g, s, round(low.fun), round(-high.fun)))
    return found


def _as_published(table: pd.DataFrame) -> pd.DataFrame:
    table = table.copy()
    table.columns = [str(c) for c in table.columns]
    table.index = [str(i) for i in table.index]
    return table


def tables_each_protected_alone(df) -> list[pd.DataFrame]:
    """The old route: each run's crosstab linked to the status tables by its own margins."""
    out = []
    for cutoff in ps.CUTOFF_DATES:
        _, _, release = pt.joint_figure_tables(df, K, cutoffs=list(ps.CUTOFF_DATES))
        frame = pt._release_frame(df, ps.CUTOFF_DATES).assign(geslacht=df["geslacht"].astype(object).fillna("onbekend"))
        out.append(_as_published(xt.protected_crosstab(release, frame, "geslacht", pt.status_var(cutoff), "g")))
    return out


def _runs(df) -> list[tuple[Run, pd.DataFrame]]:
    """Each run of notebook 02 (one per snapshot date) and the table it publishes."""
    out = []
    for cutoff in ps.CUTOFF_DATES:
        run = Run("02_pilot_participants", {"cutoff_date": cutoff, "language": "nl"}, df,
                  SimpleNamespace(private=True, min_cell_count=K), list(ps.CUTOFF_DATES), "t")
        out.append((run, _as_published(run.crosstab("geslacht", "status"))))
    return out


@functools.cache
def _runs_of_seed(seed: int) -> tuple[pd.DataFrame, list[tuple[Run, pd.DataFrame]]]:
    """:func:`_runs` on :func:`_persons` (``seed``), made once per process: the attack of seed 0
    and the check of the runs' decisions read the same runs (each made them again)."""
    df = _persons(seed)
    return df, _runs(df)


@pytest.mark.parametrize("seed", [0, 1])
def test_two_dates_crosstabs_with_the_finality_rule_pin_a_cell_when_each_is_protected_alone(seed):
    """The control: the intruder's attack finds the leak of the old route."""
    assert pinned(tables_each_protected_alone(_persons(seed)))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_runs_crosstabs_by_status_withstand_the_attack_across_dates(seed):
    tables = [table for _, table in _runs_of_seed(seed)[1]]
    assert pinned(tables) == []
    assert all(t[TOTAL].notna().all() for t in tables)  # not everything withheld: the persons by gender


def test_every_run_makes_the_same_decisions_at_every_date():
    """The table a run publishes at its date is the one the other runs released for it."""
    _, runs = _runs_of_seed(0)
    run = runs[0][0]  # the run at the first date: its release holds its decisions for the second date
    other_date = {k.split("|", 1)[1]: c.shown for k, c in run.release.cells.items()
                  if k.startswith(f"geslacht_status@{ps.CUTOFF_DATES[1]}|")}
    published = runs[1][1]
    assert other_date and {f"{g}|{s}": pd.notna(v) for (g, s), v in published.stack().items()} == other_date
