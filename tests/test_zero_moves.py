"""Attack 16 (F7): equal counts of a status at two dates told that nobody moved into it.

On a real file of 500 (the generator's, marked as not synthetic), notebook 02's tables at
1 and 16 April showed werk en scholing 34 and 34, and horeca 17 and 17 in Figuur 13: none of
the 38 who found work between the dates went into work with education, nor into catering, a
fact of each of them. The gate now watches every move between two published dates that no
table shows (into a status; into work in a sector): on real data no such zero may be pinned.
The check is this file's own integer programme over status at both dates x sector, with the
codebook's rules (those in mediation or education may move into work; nothing else changes),
not the gate's; the control, with the gate's watch switched off, finds the leak."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import Bounds, LinearConstraint, milp

from analysis.pilot import schema as ps, tables as pt
from analysis.pilot.synthetic import generate_participants
from analysis.stats import output_gate

K = 10
DATES = ("2021-04-01", "2021-04-16")
WORK = set(ps.WORK_STATUSES)
MOVERS = {"in_bemiddeling", "opleiding"}


def _atoms() -> list[tuple]:
    sectors = [*ps.SECTORS, None]
    return [(a, b, s) for a, b, s in itertools.product(ps.STATUSES, ps.STATUSES, sectors)
            if (a == b or (a in MOVERS and b in WORK)) and ((s is not None) == (b in WORK))]


def _intruder(published: dict) -> tuple[list[tuple], np.ndarray, np.ndarray]:
    """Atoms, rows and values of every shown count of Figuren 12 and 13 at both dates."""
    atoms = _atoms()
    rows, values = [np.ones(len(atoms))], [None]  # the population size, filled in by the caller
    for pos, date in enumerate(DATES):
        for label, v in published[date]["figuur_12_uitstroom"].items():
            if not pd.isna(v):
                rows.append(np.array([float(label == "Totaal" or a[pos] == label) for a in atoms]))
                values.append(float(v))
        for label, v in published[date]["figuur_13_uitstroom_sector"].items():
            if not pd.isna(v):
                rows.append(np.array([float(a[pos] in WORK and (label == "Totaal" or a[2] == label))
                                      for a in atoms]))
                values.append(float(v))
    return atoms, np.array(rows), np.array(values, dtype=object)


def _can_be_one(rows: np.ndarray, values: np.ndarray, target: np.ndarray) -> bool:
    v = values.astype(float)
    cons = LinearConstraint(np.vstack([rows, target]), np.r_[v, 1], np.r_[v, np.inf])
    res = milp(np.zeros(len(target)), constraints=cons, integrality=np.ones(len(target)), bounds=Bounds(0, np.inf))
    return res.status == 0


def _pinned_zero_moves(df, published) -> list[str]:
    atoms, rows, values = _intruder(published)
    values[0] = float(len(df))
    truth = {}
    sector = df["sector_nieuw"].where(df["sector_nieuw"].notna(), None)
    for key in zip(df["status_20210401"], df["status_20210416"], sector):
        truth[key] = truth.get(key, 0) + 1
    moves = {f"into {t}": [float(a[0] != t and a[1] == t) for a in atoms] for t in ps.STATUSES}
    moves |= {f"into work in {s}": [float(a[0] not in WORK and a[1] in WORK and a[2] == s) for a in atoms]
              for s in ps.SECTORS}
    pinned = []
    for name, target in moves.items():
        target = np.array(target)
        true = sum(truth.get(a, 0) for a, c in zip(atoms, target) if c)
        if target.any() and true == 0 and not _can_be_one(rows, values, target):
            pinned.append(name)
    return pinned


@pytest.mark.parametrize("watch", [True, False], ids=["gate", "control"])
def test_no_move_between_two_dates_is_pinned_at_zero(monkeypatch, watch):
    if not watch:
        monkeypatch.setattr(output_gate.Release, "watch_zero", lambda self, *a, **k: None)
    df = generate_participants(500, seed=7).assign(synthetisch=False)  # a real file: zeros are protected
    published, _, r = pt.joint_figure_tables(df, K)
    r.check()
    pinned = _pinned_zero_moves(df, published)
    assert (pinned == []) is watch, pinned
