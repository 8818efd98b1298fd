"""Reading raw files (CSV/TSV with Dutch conventions, Excel, Parquet) with every cell as
text: encodings, separators and the file-level checks that come before any parsing."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.data.errors import InputError, Problem


def _decode(raw: bytes) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="strict") if _is_cp1252(raw) else raw.decode("latin-1")


def _is_cp1252(raw: bytes) -> bool:
    try:
        raw.decode("cp1252")
        return True
    except UnicodeDecodeError:
        return False


def _sniff_separator(header: str) -> str:
    counts = {sep: header.count(sep) for sep in (";", ",", "\t", "|")}
    return max(counts, key=lambda s: (counts[s], s == ","))


def read_raw(path: str | Path) -> tuple[pd.DataFrame, str]:
    """Read a CSV/TSV, Excel or Parquet file with every cell as text (Parquet keeps its
    types). Returns the frame and the CSV separator (``""`` for other formats)."""
    path = Path(path)
    if not path.exists():
        raise InputError(path, [Problem(f"the file must exist (looked for {path})")])
    if path.stat().st_size == 0:
        raise InputError(path, [Problem("the file must not be empty (0 bytes)")])
    suffix = path.suffix.lower()
    sep = ""
    if suffix in (".xlsx", ".xlsm", ".xls"):
        df = pd.read_excel(path, dtype=object, sheet_name=0)
        df = df.map(lambda v: "" if v is None or (isinstance(v, float) and np.isnan(v)) else v)
    elif suffix == ".parquet":
        df = pd.read_parquet(path)
    else:
        text = _decode(path.read_bytes())
        if not text.strip():
            raise InputError(path, [Problem("the file must contain a header and data rows (it is blank)")])
        first = text.splitlines()[0]
        sep = _sniff_separator(first)
        header = [h.strip() for h in next(csv.reader([first], delimiter=sep))]
        dupes = sorted({h for h in header if header.count(h) > 1})
        if dupes:
            raise InputError(path, [Problem(f"column '{h}' appears more than once in the header", h)
                                    for h in dupes])
        df = read_csv_text(text, sep)
    df.columns = [str(c).strip() for c in df.columns]
    if df.empty:
        raise InputError(path, [Problem("the file must contain at least one data row (only a header found)")])
    return df, sep


def read_csv_text(text: str, sep: str) -> pd.DataFrame:
    """Every cell as text. pyarrow's reader first (multi-threaded: 1 s instead of 8 s for a
    million rows); anything it refuses (ragged rows, line breaks inside quotes) goes to
    pandas' C reader, whose behaviour and messages the malformed-input corpus pins."""
    try:
        return pd.read_csv(io.BytesIO(text.encode("utf-8")), sep=sep, dtype=str, keep_default_na=False,
                           engine="pyarrow")
    except Exception:  # noqa: BLE001 - the C reader decides what is wrong
        return pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False,
                           quoting=csv.QUOTE_MINIMAL, skipinitialspace=False)
