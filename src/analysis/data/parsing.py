"""Parsing text cells into typed values by a column's declared kind (numbers with Dutch
decimal commas, dates, yes/no words); unparseable cells become :class:`Problem` s."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.data.errors import Problem
from analysis.data.spec import Column

TRUE_WORDS = {"true", "1", "ja", "j", "yes", "y", "waar", "x"}
FALSE_WORDS = {"false", "0", "nee", "n", "no", "onwaar", ""}
NA_WORDS = {"", "na", "n/a", "nan", "none", "null", "-", "#n/b", "#n/a"}

_DUTCH_NUMBER = r"^-?\d{1,3}(\.\d{3})+(,\d+)?$|^-?\d+,\d+$"
_DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S")
_EXPECTED = {"int": "a whole number", "float": "a number (decimal point or Dutch decimal comma)",
             "bool": "ja/nee, true/false or 1/0", "date": "a date YYYY-MM-DD or DD-MM-YYYY"}


def _text(values: pd.Series) -> pd.Series:
    return values.astype("string").str.strip()


def _na_mask(values: pd.Series) -> pd.Series:
    if values.dtype == object or pd.api.types.is_string_dtype(values):
        txt = _text(values)
        return (txt.isna() | txt.str.lower().isin(NA_WORDS)).astype(bool)
    return values.isna().astype(bool)


def _parse_numbers(values: pd.Series, decimal_comma: bool) -> pd.Series:
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        return values.astype("Float64")
    txt = _text(values).str.replace("\u20ac", "", regex=False).str.replace(r"[\s\u00a0]", "", regex=True)
    dutch = txt.str.match(_DUTCH_NUMBER).fillna(False).astype(bool) | decimal_comma
    txt = txt.where(~dutch, txt.str.replace(".", "", regex=False).str.replace(",", ".", regex=False))
    return pd.to_numeric(txt, errors="coerce").astype("Float64")


def _parse_dates(values: pd.Series) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(values):
        return values.astype("datetime64[ns]")
    txt = _text(values)
    out = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    for fmt in _DATE_FORMATS:
        todo = out.isna() & txt.notna()
        if not todo.any():
            break
        out[todo] = pd.to_datetime(txt[todo], format=fmt, errors="coerce").astype("datetime64[ns]")
    return out


def _parse_bools(values: pd.Series) -> pd.Series:
    if pd.api.types.is_bool_dtype(values):
        return values.astype("boolean")
    words = _text(values).str.lower().fillna("")
    words = words.str.replace(r"\.0$", "", regex=True)
    mapping = {**{w: True for w in TRUE_WORDS}, **{w: False for w in FALSE_WORDS}}
    return words.map(mapping).astype("boolean")


def parse_column(values: pd.Series, col: Column, decimal_comma: bool) -> tuple[pd.Series, list[Problem]]:
    """Turn raw cell values into typed values (vectorised); unparseable cells become problems.

    Text columns are parsed once per distinct value and spread back over the rows: an
    administration of a million rows has a few dozen distinct values per coded column."""
    values = values.reset_index(drop=True)
    if values.dtype == object or pd.api.types.is_string_dtype(values):
        codes, uniques = pd.factorize(values, use_na_sentinel=False)
        parsed, na = _parse_values(pd.Series(uniques, dtype=values.dtype), col, decimal_comma)
        parsed, na = parsed.take(codes).reset_index(drop=True), na[codes]
    else:
        parsed, na = _parse_values(values, col, decimal_comma)
    parsed.name = col.name
    return parsed, _problems(values, parsed.isna().to_numpy() & ~na, col)


def _parse_values(values: pd.Series, col: Column, decimal_comma: bool) -> tuple[pd.Series, np.ndarray]:
    """Typed values (missing where the cell says so) and the mask of cells that say so."""
    na = _na_mask(values) if col.kind != "bool" else pd.Series(False, index=values.index)
    if col.kind in ("int", "float") or _int_codes(col):
        parsed = _parse_numbers(values, decimal_comma)
        if col.kind == "int" or _int_codes(col):
            whole = (parsed.isna() | (parsed % 1 == 0)).fillna(True).astype(bool)
            parsed = parsed.where(whole)
            parsed = parsed.astype("Int64")
    elif col.kind == "bool":
        parsed = _parse_bools(values)
    elif col.kind == "date":
        parsed = _parse_dates(values)
    else:
        parsed = _text(values)
    parsed = parsed.where(~na) if col.kind != "date" else parsed.mask(na)
    return parsed, na.to_numpy()


def _int_codes(col: Column) -> bool:
    """A category coded by whole numbers (e.g. triage 1/2/3): parsed as a number."""
    return col.kind == "category" and col.allowed is not None and all(isinstance(a, int) for a in col.allowed)


def _expected(col: Column) -> str:
    if col.kind in ("int", "float", "bool", "date"):
        return _EXPECTED[col.kind]
    if _int_codes(col):
        return "one of " + ", ".join(map(str, col.allowed))
    return col.kind


def _problems(values: pd.Series, bad: np.ndarray, col: Column) -> list[Problem]:
    return [Problem(f"'{col.name}' must be {_expected(col)}", col.name, int(i), values.iloc[i])
            for i in np.flatnonzero(bad)]
