"""One date format per column on the text route (CSV, a workbook's text cells, Parquet text),
as the export route has for its ``date_formats`` (:func:`analysis.data.mapped.column_format`).

A column whose dates are written in two ways was pasted together from two sources, and one
of them may write the month first: ``04-01-2021`` is 4 January to a Dutch reader and 1 April
to an American one, and nothing in the cell tells which. So a date column's texts must all
have one shape (``YYYY-MM-DD``, ``DD-MM-YYYY`` or ``DD/MM/YYYY``); the cells of another shape
are refused. Within the day/month shapes the column's cells are evidence of the order: a
cell whose second number is above 12 (``10-13-2020``) can only be month first, so every
day/month cell of that column is refused (read day first, most would be misread silently);
a column with cells of both orders likewise. ``DD-MM-YYYY`` is the declared order of this
route (the codebook and every message say so), so a column that gives no evidence either
way is read day first; a slashed date stays refused where it can be read both ways (the
per-cell rule of :mod:`analysis.data.parsing`).

Written by hand: pandas' ``to_datetime`` guesses per cell (``dayfirst`` is a hint, not a
rule) and has no notion of a column's one format."""

from __future__ import annotations

import pandas as pd

from analysis.data.errors import written

_SHAPES = {  # shape -> (pattern of the date part, how the message writes it)
    "iso": (r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:$|[ T])", "YYYY-MM-DD"),
    "dash": (r"^([0-9]{1,2})-([0-9]{1,2})-([0-9]{4})(?:$|[ T])", "DD-MM-YYYY"),
    "slash": (r"^([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})(?:$|[ T])", "DD/MM/YYYY"),
}
_SHORT = 40  # longer texts are no date of these shapes (the patterns' time stays bounded)


COLUMN_RULES = ("a date written as the column's other dates are", "a date in one order of day and month",
                "a date written day first (")


def is_column_rule(rule: str) -> bool:
    """Whether ``rule`` is one of this module's rules of a whole column (said once, not per cell)."""
    return rule.startswith(COLUMN_RULES)


def date_shapes(txt: pd.Series) -> pd.Series:
    """Each text's shape (a key of :data:`_SHAPES`), missing where it has none of them."""
    out = pd.Series(pd.NA, index=txt.index, dtype="string")
    short = txt.where(txt.str.len() <= _SHORT)
    for shape, (pattern, _) in _SHAPES.items():
        out = out.mask(out.isna() & short.str.match(pattern).fillna(False).astype(bool), shape)
    return out


def _example(txt: pd.Series, mask: pd.Series) -> str:
    return written(txt[mask].iloc[0])


def one_format_reasons(txt: pd.Series) -> pd.Series:
    """The rule each date text of one column breaks by the column's one format (missing where
    none): a shape other than the column's most common one, or a day/month order that the
    column shows to be month first (or both orders)."""
    reasons = pd.Series(pd.NA, index=txt.index, dtype="string")
    shapes = date_shapes(txt)
    counts = shapes.value_counts()
    if counts.empty:
        return reasons
    order = list(_SHAPES)
    main = max(counts.index, key=lambda s: (counts[s], -order.index(s)))
    label = _SHAPES[main][1]
    other = shapes.notna() & (shapes != main)
    if other.any():
        reasons = reasons.mask(other.fillna(False).astype(bool), (
            f"a date written as the column's other dates are, {label} (as {_example(txt, shapes == main)}): a "
            "column's dates are all written one way (YYYY-MM-DD or DD-MM-YYYY), so that no date is read in another "
            "order than its neighbours; write this one so too, or the whole column as YYYY-MM-DD"))
    if main == "iso":
        return reasons
    parts = txt.str.extract(_SHAPES[main][0]).astype("Float64")
    mine = (shapes == main).fillna(False).astype(bool)
    day_first = mine & (parts[0] > 12).fillna(False).astype(bool)
    month_first = mine & (parts[1] > 12).fillna(False).astype(bool)
    if not month_first.any():
        return reasons
    if day_first.any():
        why = (f"a date in one order of day and month: this column writes the day first in some cells "
               f"({_example(txt, day_first)}) and the month first in others ({_example(txt, month_first)}), so "
               "none of its dates can be read for certain; write the column as YYYY-MM-DD")
    else:
        why = (f"a date written day first ({label}): this column writes the month first "
               f"({_example(txt, month_first)}: its second number is above 12, so it is the day), so each of its "
               "dates would be misread; write the column as YYYY-MM-DD")
    return reasons.mask(mine & reasons.isna(), why)
