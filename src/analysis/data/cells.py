"""One cell of a sheet as written: whether it is blank. The lowest module of the sheet
readers (:mod:`analysis.data.xlsx_parts`, :mod:`analysis.data.sheet_grid`,
:mod:`analysis.data.readers` and :mod:`analysis.data.workbook` all ask it)."""

from __future__ import annotations

import pandas as pd


def is_blank(value: object) -> bool:
    """An empty cell: nothing, NaN/NaT, or only spaces."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False
