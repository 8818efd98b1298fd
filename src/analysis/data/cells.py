"""One cell of a sheet as written: whether it is blank, and a header's text as compared. The
lowest module of the sheet readers (:mod:`analysis.data.xlsx_parts`, :mod:`analysis.data.sheet_grid`,
:mod:`analysis.data.readers` and :mod:`analysis.data.workbook` all ask it)."""

from __future__ import annotations

import unicodedata

import pandas as pd

BYTE_ORDER_MARK = "\ufeff"


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


def header_text(value: object) -> str:
    """A header (or a mapping's label for one) as compared: in canonical composition (NFC: an
    accent written as a separate combining mark is the same letter, as macOS and some exports
    write it), without byte-order marks (an encoding's mark, pasted with the text), spacing
    collapsed (hostile round 18: such headers read like the mapping's but were unknown columns)."""
    text = unicodedata.normalize("NFC", str(value)).replace(BYTE_ORDER_MARK, "")
    return " ".join(text.split())
