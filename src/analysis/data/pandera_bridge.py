"""The bridge to pandera: a :class:`TableSpec` as a pandera schema, and pandera's failure
cases turned back into :class:`Problem` s that name row, column and rule."""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa

from analysis.data.errors import Problem, written
from analysis.data.label_chars import suspect_rule
from analysis.data.spec import TableSpec


def pandera_schema(spec: TableSpec, row_rules: bool = True):
    """The pandera schema of a table spec (columns, allowed values, ranges, uniqueness and,
    with ``row_rules``, the cross-column rules)."""
    columns = {}
    for c in spec.columns:
        checks = []
        if c.allowed is not None:
            checks.append(pa.Check.isin(list(c.allowed), name=f"'{c.name}' in allowed values {list(c.allowed)}"))
        if c.min is not None:
            lo = pd.Timestamp(c.min) if isinstance(c.min, date) else c.min
            checks.append(pa.Check.ge(lo, name=f"'{c.name}' >= {c.min}"))
        if c.max is not None:
            hi = pd.Timestamp(c.max) if isinstance(c.max, date) else c.max
            checks.append(pa.Check.le(hi, name=f"'{c.name}' <= {c.max}"))
        if c.pattern:
            checks.append(pa.Check.str_matches(c.pattern, name=f"'{c.name}' matches {c.pattern}"))
        if c.max_length is not None:
            checks.append(pa.Check.str_length(max_value=c.max_length, name=f"'{c.name}' length <= {c.max_length}"))
        columns[c.name] = pa.Column(nullable=c.nullable, unique=c.unique, checks=checks,
                                    required=True)
    wide = [pa.Check(lambda df, r=r: r.check(df).fillna(False).astype(bool), name=r.name,
                     element_wise=False) for r in spec.row_rules] if row_rules else []
    return pa.DataFrameSchema(columns, checks=wide, strict=True, name=spec.name)


def _plain(value: Any) -> Any:
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, (np.integer, np.floating)):
        return value.item()
    return value


def _column_rule(check: str, spec: TableSpec, column: str | None) -> str:
    col = next((c for c in spec.columns if c.name == column), None)
    if col is None:
        return check
    if check.startswith("isin"):
        return f"'{col.name}' must be one of: {', '.join(map(str, col.allowed or ()))}"
    if check.startswith("greater_than_or_equal_to"):
        return f"'{col.name}' must be >= {col.min}{col.bound_advice('min')}"
    if check.startswith("less_than_or_equal_to"):
        return f"'{col.name}' must be <= {col.max}{col.bound_advice('max')}"
    if check.startswith("str_matches"):
        return f"'{col.name}' must match {col.pattern}"
    if check.startswith("str_length"):
        return f"'{col.name}' must be at most {col.max_length} characters" + (f" ({col.length_why})"
                                                                              if col.length_why else "")
    return f"'{col.name}': {check}"


def problems_from_pandera(err, spec: TableSpec) -> list[Problem]:
    cases = err.failure_cases
    rules = {r.name: r for r in spec.row_rules}
    problems = []
    first_seen: dict[tuple, int] = {}
    for rec in cases.to_dict("records"):
        check = str(rec.get("check"))
        column = rec.get("column")
        idx = rec.get("index")
        row = None if idx is None or (isinstance(idx, float) and np.isnan(idx)) else int(idx)
        value = rec.get("failure_case")
        if check in rules:
            r = rules[check]
            problems.append(Problem(f"{r.name}", ", ".join(r.columns), row, None))
            continue
        if check == "field_uniqueness":
            first = first_seen.setdefault((column, repr(value)), row)
            if first != row:
                problems.append(Problem(f"'{column}' must be unique (value already in row {first + 1})",
                                        column, row, value))
        elif check == "not_nullable":
            problems.append(Problem(f"'{column}' must not be empty: the column requires a value in every row",
                                    column, row, None))
        elif check.startswith("column_in_schema"):
            problems.append(Problem(f"unknown column {written(value)}: not in the codebook (allowed: "
                                    f"{', '.join(spec.column_names)})", str(value), None, None))
        elif check.startswith("column_in_dataframe"):
            problems.append(Problem(f"required column {written(value)} is missing", str(value), None, None))
        else:
            rule = _column_rule(check, spec, column)
            if check.startswith("isin") and isinstance(value, str) and (suspect := suspect_rule(value)):
                rule += f" ({suspect.replace('the label holds', 'the value holds')}: retype it)"
            problems.append(Problem(rule, column, row, _plain(value)))
    # a wide check reports one failure per row; dedupe while keeping order
    seen, unique = set(), []
    for p in problems:
        key = (p.rule, p.column, p.row, repr(p.value))
        if key not in seen:
            seen.add(key)
            unique.append(p)
    return sorted(unique, key=lambda p: (-1 if p.row is None else p.row, p.column or ""))
