"""A person copied under a new id (hostile round 15, H15-1): a row whose every field but
``deelnemer_id`` equals an earlier row's. The id rules see two people; the counts count a
person twice. Two real participants who agree on every field of the codebook (the dates of
inflow and start, age, years of service, function, employer and every outcome) do not occur
in a pilot, so in the real file such a row is refused, naming both rows.

A synthetic file (``synthetisch`` true in every row) is not judged: the generator draws
every field from the pilot's quotas, and a large population repeats a profile by chance
(131 rows of a million, with its default seed).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from analysis.data.errors import Problem

ID = "deelnemer_id"
RULE = ("a person is in the file once: every field but 'deelnemer_id' equals {first} (id {id}); a row copied "
        "under a new id counts one person twice: delete the copy, or correct the field that tells them apart")


def copied_rows(df: pd.DataFrame) -> list[tuple[int, int]]:
    """(row, first row) for each row whose fields other than ``deelnemer_id`` all equal an
    earlier row's (positions; empty cells equal), in row order."""
    fields = [c for c in df.columns if c != ID]
    if not fields or len(df) < 2:
        return []
    frame = df[fields].reset_index(drop=True)
    copies = frame.duplicated(keep="first").to_numpy()
    if not copies.any():
        return []
    first = frame.reset_index().groupby(fields, sort=False, dropna=False, observed=True)["index"].transform("min")
    rows = np.flatnonzero(copies)
    return [(int(r), int(f)) for r, f in zip(rows, first.to_numpy()[rows])]


def is_synthetic(df: pd.DataFrame) -> bool:
    """Every row is synthetic (the ``synthetisch`` column true throughout)."""
    return "synthetisch" in df.columns and len(df) > 0 and bool(df["synthetisch"].fillna(False).astype(bool).all())


def copy_problems(df: pd.DataFrame, where: Callable[[int], str]) -> list[Problem]:
    """A problem on each copied row of a real file; ``where(i)`` names row ``i`` (position)
    as the route shows it. A synthetic file gives none (module docstring)."""
    if is_synthetic(df):
        return []
    ids = df[ID].to_numpy(dtype=object)
    return [Problem(RULE.format(first=where(f), id=ids[f]), ID, r, ids[r]) for r, f in copied_rows(df)]
