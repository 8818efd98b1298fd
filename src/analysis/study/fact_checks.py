"""A study's facts evaluated on a participant frame: the persons a ``where`` selection
picks, the counts the published-versus-pipeline table shows, and whether a fact's checks
hold (the parsing and the selection language: :mod:`analysis.study.facts`). A dozen lines of
pandas, written by hand for the reason given there."""

from __future__ import annotations

from datetime import date

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
            changed = df[status[0]].astype(object) != df[status[1]].astype(object)
            mask &= changed if cond else ~changed
        else:
            column = status[STATUS_VARS.index(name)] if name in STATUS_VARS else name
            mask &= _holds(df[column], cond)
    return mask


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
