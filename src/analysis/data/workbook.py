"""Reading an export as sheets of cells, each cell as written (text, number, date or empty),
with the spreadsheet row number of every data row: what the mapping route
(:mod:`analysis.data.mapped`) and ``python -m analysis inspect`` start from.

Excel files are read with openpyxl directly (read-only, cached values of formulas) rather
than ``pandas.read_excel``: pandas starts at the first non-empty row and so loses the row
numbers an error message must name. A CSV file is one sheet named after the file.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.data.errors import InputError, Problem

LINE = "__line__"  # column of a sheet table: the spreadsheet row number (1-based)
EXCEL_SUFFIXES = (".xlsx", ".xlsm")


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


def read_sheets(path: str | Path) -> dict[str, list[tuple]]:
    """Every sheet of ``path`` as a list of rows (tuples of cell values), row 1 first."""
    path = Path(path)
    if not path.is_file():
        raise InputError(path, [Problem(f"the file must exist (looked for {path})")])
    if path.suffix.lower() in EXCEL_SUFFIXES:
        import openpyxl

        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            return {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in book.worksheets}
        finally:
            book.close()
    text = _text(path.read_bytes())
    if not text.strip():
        raise InputError(path, [Problem("the file must contain a header and data rows (it is blank)")])
    first = text.splitlines()[0]
    sep = max(";,\t|", key=first.count)
    return {path.stem: [tuple(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=sep)]}


def _text(raw: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252, else Latin-1 (which never fails)."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


@dataclass(frozen=True)
class SheetTable:
    """The data of one sheet below its header row: ``headers`` as written (stripped) and
    ``rows`` with one column per header plus :data:`LINE`; fully blank rows are left out."""

    sheet: str
    header_row: int
    headers: tuple[str, ...]
    rows: pd.DataFrame


def sheet_table(sheet: str, grid: list[tuple], header_row: int = 1) -> SheetTable:
    """Cut ``grid`` at ``header_row`` (1-based). Columns without a header and without data
    are dropped; a column with data but no header gets the name ``(column N)``."""
    header = list(grid[header_row - 1]) if len(grid) >= header_row else []
    body = grid[header_row:]
    width = max([len(header), *(len(r) for r in body)] or [0])
    header += [None] * (width - len(header))
    keep, names = [], []
    for j, h in enumerate(header):
        has_data = any(j < len(r) and not is_blank(r[j]) for r in body)
        if is_blank(h) and not has_data:
            continue
        keep.append(j)
        names.append(f"(column {j + 1})" if is_blank(h) else " ".join(str(h).split()))
    records = [[r[j] if j < len(r) else None for j in keep] for r in body]
    lines = [header_row + 1 + i for i in range(len(body))]
    rows = pd.DataFrame(records, columns=names, dtype=object) if names else pd.DataFrame(index=range(len(body)))
    rows[LINE] = lines
    filled = rows.drop(columns=LINE).apply(lambda col: ~col.map(is_blank)).any(axis=1) if names else rows[LINE] < 0
    return SheetTable(sheet, header_row, tuple(names), rows[filled].reset_index(drop=True))
