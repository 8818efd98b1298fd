"""The facts' selections evaluated once per distinct value (analysis.study.fact_checks) select
exactly the persons the whole-column evaluation selected, on every kind of column (Arrow
text, categories, booleans with and without NA, numbers, dates, text dates, object columns
mixing None, NaN and NA) and for the status change of a pair of columns."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from analysis.study import fact_checks as fc
from analysis.study.facts import CHANGED, COMPARISONS

STATUS = ("s1", "s2")


def reference_select(df: pd.DataFrame, where: dict) -> pd.Series:
    """The selection as written before (whole columns converted to Python objects), kept
    here as the reference."""
    mask = pd.Series(True, index=df.index)
    for name, cond in where.items():
        if name == CHANGED:
            changed = df["s1"].astype(object) != df["s2"].astype(object)
            mask &= changed if cond else ~changed
            continue
        values = df[name]
        present = values.notna()
        if isinstance(cond, dict):
            (op, arg), = cond.items()
            if op == "not_in":
                hit = ~(values.astype(object).isin(arg).fillna(False).astype(bool) & present)
            elif op == "missing":
                hit = ~present if arg else present
            else:
                if isinstance(arg, date) or pd.api.types.is_datetime64_any_dtype(values):
                    values, arg = pd.to_datetime(values), pd.Timestamp(arg)
                else:
                    values = pd.to_numeric(values, errors="coerce")
                hit = getattr(values, COMPARISONS[op])(arg).fillna(False).astype(bool) & present
        else:
            wanted = cond if isinstance(cond, list) else [cond]
            hit = values.astype(object).isin(wanted).fillna(False).astype(bool) & present
        mask &= hit
    return mask


def frame(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    statuses = np.array(["a", "b", "c", None], dtype=object)
    s1 = statuses[rng.integers(0, 4, n)]
    s2 = np.where(rng.random(n) < 0.7, s1, statuses[rng.integers(0, 4, n)])
    mixed = np.array(["x", "y", None, np.nan, pd.NA, 3], dtype=object)[rng.integers(0, 6, n)]
    days = pd.Timestamp("2020-08-01") + pd.to_timedelta(rng.integers(0, 200, n), unit="D")
    return pd.DataFrame({
        "s1": pd.array(s1, dtype="string[pyarrow]"),
        "s2": pd.Categorical(s2, categories=["a", "b", "c"]),
        "text": pd.array(np.array(["p", "q", "r", None], dtype=object)[rng.integers(0, 4, n)],
                         dtype="string[pyarrow]"),
        "flag": rng.random(n) < 0.3,
        "maybe": pd.array(np.array([True, False, None], dtype=object)[rng.integers(0, 3, n)], dtype="boolean"),
        "years": np.where(rng.random(n) < 0.1, np.nan, rng.integers(0, 30, n)),
        "day": days.where(rng.random(n) > 0.1),
        "day_text": pd.array(days.strftime("%Y-%m-%d").where(rng.random(n) > 0.1), dtype="string[pyarrow]"),
        "mixed": mixed,
    })


WHERE = [
    {"s1": "a"}, {"s1": ["a", "b"]}, {"s1": {"not_in": ["a"]}}, {"s1": {"missing": True}},
    {"s2": "b"}, {"s2": {"not_in": ["b", "c"]}}, {"s2": {"missing": False}},
    {CHANGED: True}, {CHANGED: False}, {CHANGED: True, "s1": {"not_in": ["b"]}},
    {"text": "q"}, {"text": {"not_in": ["p"]}}, {"flag": True}, {"flag": {"not_in": [True]}},
    {"maybe": True}, {"maybe": {"not_in": [True]}}, {"maybe": {"missing": True}},
    {"years": {">": 10}}, {"years": {"<=": 3}}, {"years": 4}, {"years": {"not_in": [4, 5]}},
    {"day": {">=": date(2020, 9, 1)}}, {"day": {"<": date(2020, 12, 31)}},
    {"day_text": {">": date(2020, 12, 31)}}, {"day_text": {"missing": True}},
    {"mixed": "x"}, {"mixed": ["y", 3]}, {"mixed": {"not_in": ["x"]}}, {"mixed": {"missing": True}},
    {"mixed": {">": 2}},
]


@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize("where", WHERE, ids=[str(w) for w in WHERE])
def test_selecting_per_distinct_value_selects_the_same_persons(where, seed):
    df = frame(3000, seed)
    got = fc.select(df, where, STATUS)
    expected = reference_select(df, where)
    assert got.dtype == bool
    pd.testing.assert_series_equal(got, expected.astype(bool), check_names=False)


def test_all_missing_and_empty_columns():
    for df in (frame(50, 3).iloc[:0], frame(50, 3).assign(s1=pd.array([None] * 50, dtype="string[pyarrow]"))):
        for where in WHERE:
            pd.testing.assert_series_equal(fc.select(df, where, STATUS), reference_select(df, where).astype(bool),
                                           check_names=False)
