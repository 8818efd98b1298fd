"""A study's facts evaluated on a participant frame: the persons a ``where`` selection
picks, the counts the published-versus-pipeline table shows, and whether a fact's checks
hold (the parsing and the selection language: :mod:`analysis.study.facts`). A dozen lines of
pandas, written by hand for the reason given there.

Each condition is a function of one value (or of a pair of statuses), so it is evaluated
once per distinct value and spread over the rows by their codes (:func:`per_distinct`):
on 1,000,000 participants converting whole columns to Python objects for every check took
4.5 s of CPU (docs/performance.md); the distinct values are a few dozen."""

from __future__ import annotations

import weakref
from collections.abc import Callable
from datetime import date

import numpy as np
import pandas as pd

from analysis.study.facts import ANY_OF, CHANGED, COMPARISONS, STATUS_VARS, Check, Fact


def select(df: pd.DataFrame, where: dict, status: tuple[str, str]) -> pd.Series:
    """The persons of ``df`` that ``where`` selects (a boolean Series); ``status`` names the
    frame's columns of the status on the first and second snapshot date."""
    mask = pd.Series(True, index=df.index)
    for name, cond in where.items():
        if name == ANY_OF:
            mask &= pd.concat([select(df, w, status) for w in cond], axis=1).any(axis=1)
        elif name == CHANGED:
            changed = per_distinct_pair(df[status[0]], df[status[1]], lambda a, b: a.astype(object) != b.astype(object))
            mask &= changed if cond else ~changed
        else:
            column = status[STATUS_VARS.index(name)] if name in STATUS_VARS else name
            mask &= per_distinct(df[column], lambda values, cond=cond: _holds(values, cond))
    return mask


def per_distinct(values: pd.Series, test: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """``test(values)`` for a test of each value on its own (a boolean Series), evaluated on
    the distinct values (in order of first appearance, so a parser's inference sees the
    same first value) and on the missing ones, then spread over the rows."""
    codes = _codes(values)
    return _spread(codes, lambda rows: test(values.iloc[rows]), values.dtype == object, values.index)


_ARROW_CODES: dict[int, tuple] = {}  # id of an Arrow column -> (weak reference to it, its codes); see _codes


def _codes(values: pd.Series) -> np.ndarray:
    """``pd.factorize(values)[0]`` (-1: missing). A column held in Arrow is immutable (a
    change to it makes a new one), so its codes are kept while it lives and reused: a study's
    facts test the same few columns again and again (at 1,000,000 participants each
    factorisation costs tens of milliseconds)."""
    arrow = getattr(values.array, "_pa_array", None)
    if arrow is None or len(values) < 10_000:
        return pd.factorize(values, use_na_sentinel=True)[0]
    kept = _ARROW_CODES.get(id(arrow))
    if kept is not None and kept[0]() is arrow:
        return kept[1]
    codes = pd.factorize(values, use_na_sentinel=True)[0]
    codes.setflags(write=False)
    key = id(arrow)
    _ARROW_CODES[key] = (weakref.ref(arrow, lambda _: _ARROW_CODES.pop(key, None)), codes)  # gone with the column
    return codes


def per_distinct_pair(a: pd.Series, b: pd.Series, test: Callable[[pd.Series, pd.Series], pd.Series]) -> pd.Series:
    """:func:`per_distinct` for a test of two columns row by row: once per distinct pair."""
    codes_a, codes_b = _codes(a), _codes(b)
    present = (codes_a >= 0) & (codes_b >= 0)
    codes = np.full(len(a), -1, dtype=np.int64)
    codes[present] = pd.factorize(codes_a[present].astype(np.int64) * (int(codes_b.max(initial=-1)) + 1)
                                  + codes_b[present])[0]
    mixed = a.dtype == object or b.dtype == object
    return _spread(codes, lambda rows: test(a.iloc[rows], b.iloc[rows]), mixed, a.index)


def _spread(codes: np.ndarray, test_rows: Callable[[np.ndarray], pd.Series], mixed_missing: bool,
            index: pd.Index) -> pd.Series:
    """The test of each code's first row (codes count from 0 in order of appearance, as
    :func:`pandas.factorize` gives them) given to every row of that code; the rows of code
    -1 (a value missing) tested together when their column's missing values may be of
    several kinds (an object column: None, NaN, NA), else through the first of them."""
    result = np.empty(len(codes), dtype=bool)
    present = codes >= 0
    if len(codes):
        earlier = np.maximum.accumulate(np.r_[-1, codes[:-1]])  # the highest code above each row
        rows = np.flatnonzero(codes > earlier)  # each code's first row, in code order
        if not np.array_equal(codes[rows], np.arange(len(rows))):
            raise AssertionError("factorize's codes are not in order of appearance")
        if len(rows):
            result = test_rows(rows).to_numpy(dtype=bool)[codes]  # (code -1 takes the last; set below)
    if not present.all():
        rows = np.flatnonzero(~present)
        result[rows] = test_rows(rows).to_numpy(dtype=bool) if mixed_missing else \
            bool(test_rows(rows[:1]).to_numpy(dtype=bool)[0])
    return pd.Series(result, index=index)


def _holds(values: pd.Series, cond) -> pd.Series:
    present = values.notna()
    if isinstance(cond, dict):
        (op, arg), = cond.items()
        if op == "not_in":
            return ~_isin(values, arg)
        if op == "missing":
            return ~present if arg else present
        if isinstance(arg, date) or pd.api.types.is_datetime64_any_dtype(values):
            values, arg = pd.to_datetime(values), pd.Timestamp(arg)
        else:
            values = pd.to_numeric(values, errors="coerce")
        return getattr(values, COMPARISONS[op])(arg).fillna(False).astype(bool) & present
    return _isin(values, cond if isinstance(cond, list) else [cond])


def _isin(values: pd.Series, wanted: list) -> pd.Series:
    """Membership with NA never a member (a bool column compares as bool)."""
    obj = values.astype(object)
    return obj.isin(wanted).fillna(False).astype(bool) & values.notna()


def count(df: pd.DataFrame, where: dict, status: tuple[str, str], distinct: str | None = None) -> int:
    mask = select(df, where, status)
    return int(df.loc[mask, distinct].nunique()) if distinct else int(mask.sum())


def check_holds(df: pd.DataFrame, check: Check, status: tuple[str, str]) -> bool:
    n = count(df, check.where, status, check.distinct)
    ok = all(bound is None or test for bound, test in (
        (check.equals, n == check.equals), (check.at_least, n >= (check.at_least or 0)),
        (check.at_most, n <= (check.at_most or 0))))
    if check.more_than is not None:
        ok &= n > count(df, check.more_than, status)
    return ok


def fact_holds(df: pd.DataFrame, fact: Fact, status: tuple[str, str]) -> bool:
    return all(check_holds(df, c, status) for c in fact.checks)
