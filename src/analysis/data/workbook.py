"""Reading an export as sheets of cells, each cell as written (text, number, date or empty),
with the spreadsheet row number of every data row: what the mapping route
(:mod:`analysis.data.mapped`) and ``python -m analysis inspect`` start from.

Excel files are read with openpyxl directly (read-only, cached values of formulas) rather
than ``pandas.read_excel``: pandas starts at the first non-empty row and so loses the row
numbers an error message must name. A CSV file is one sheet named after the file.

Only the sheets that are asked for are unpacked (:class:`Sheets` reads a sheet on first
access), each after a size guard, and each is refused, with sheet, row, column and the
cell as written, when it holds what would be misread: a formula without a computed value, a
formula that refers to another workbook, an error cell (#N/A, #DIV/0!), merged cells below
its title rows, a hidden row with data; a hidden sheet is refused when it is read
(:mod:`analysis.data.xlsx_parts`). The path must be a regular file (no link, device or
``/proc`` file) whose content is what its name says.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.data.cells import header_text, is_blank
from analysis.data.errors import InputError, Problem, written
from analysis.data.readers import MAX_COLUMNS, _csv_rule, _named_column, check_path, decode, sniff_format
from analysis.data.sheet_grid import (
    MAX_EMPTY_RUN,
    header_cells,
    read_sheet,
    read_sheet_deferring,
    rows_as_written,
    stray_cells,
)
from analysis.data.xlsx_parts import (
    MAX_READ_SHEET_BYTES,
    MAX_READ_TOTAL_BYTES,
    column_letter,
    guard_read_sheet,
    part_size,
    sheet_parts,
)

# is_blank and the sheet-grid functions keep their names here (the mapping route imports them from this module)
__all__ = ["EXCEL_SUFFIXES", "LINE", "MAX_EMPTY_RUN", "SheetTable", "Sheets", "header_cells", "is_blank",
           "read_sheet", "read_sheets", "rows_as_written", "sheet_table", "stray_cells"]

LINE = "__line__"  # column of a sheet table: the spreadsheet row number (1-based)
EXCEL_SUFFIXES = (".xlsx", ".xlsm")


def read_sheets(path: str | Path, defer_cells: bool = False) -> Mapping[str, list[tuple]]:
    """The sheets of ``path`` by name, in tab order, each a list of rows (tuples of cell
    values), row 1 first; a sheet is read when it is first asked for. ``defer_cells``: the
    problems of single cells are kept for the reader of the sheet (:meth:`Sheets.cell_problems`),
    not raised."""
    path = Path(path)
    check_path(path)
    fmt = sniff_format(path)
    if fmt == "xlsx":
        return Sheets(path, defer_cells)
    if fmt != "text":
        raise InputError(path, [Problem(f"an export must be an Excel workbook (.xlsx) or a CSV file, not {fmt}")])
    _guard_text_size(path)
    text = decode(path.read_bytes(), path)
    if not text.strip():
        raise InputError(path, [Problem("the file must contain a header and data rows (it is blank)")])
    first = text.splitlines()[0]
    sep = max(";,\t|", key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    rows: list[tuple] = []
    try:
        for record in reader:
            if len(record) > MAX_COLUMNS:  # a stretched line: refused before a table of it is built
                raise InputError(path, [Problem(f"the line has {len(record):,} fields; an export is read with at "
                                                f"most {MAX_COLUMNS:,} columns: is the separator right?",
                                                line=reader.line_num)])
            rows.append(tuple(record))
    except csv.Error as exc:
        raise InputError(path, [Problem(_csv_rule(str(exc)), line=reader.line_num)]) from None
    return {path.stem: rows}


def _guard_text_size(path: Path) -> None:
    size = path.stat().st_size
    if size > MAX_READ_SHEET_BYTES:  # as a workbook's sheet: csv holds every field as a Python string
        raise InputError(path, [Problem(f"the file is {size:,} bytes; a text export is read up to "
                                        f"{MAX_READ_SHEET_BYTES:,} bytes (a pilot's export holds hundreds of rows): "
                                        "is this the right file? Delete the rows that are not the pilot's, or split "
                                        "the export")])


def guard_export_size(path: str | Path, sheets: Iterable[str]) -> None:
    """The size checks :func:`read_sheets` makes when ``sheets`` are read, made from the file's
    size and the zip directory alone (nothing unpacked): the runner refuses an oversized
    export before any kernel starts (hostile round 13: the kernel refused it). A sheet the
    workbook does not have is left to the reader, which names it."""
    path = Path(path)
    check_path(path)
    fmt = sniff_format(path)
    if fmt == "text":
        _guard_text_size(path)
    elif fmt == "xlsx":
        book = Sheets(path)
        for name in sheets:
            if name in book.parts:
                book.guard(name)


class Sheets(Mapping):
    """The sheets of an ``.xlsx`` file: names from the workbook index, each sheet unpacked
    and checked on first access (see the module docstring)."""

    def __init__(self, path: Path, defer_cells: bool = False):
        self.path = path
        self.parts = {p.name: p for p in sheet_parts(path)}
        self.defer_cells = defer_cells
        self._grids: dict[str, list[tuple]] = {}
        self._cells: dict[str, list[Problem]] = {}  # with defer_cells: each read sheet's cell problems
        self._read_bytes = 0  # unpacked XML of the sheets read so far (bounded: MAX_READ_TOTAL_BYTES)

    def __iter__(self) -> Iterator[str]:
        return iter(self.parts)

    def __len__(self) -> int:
        return len(self.parts)

    def guard(self, name: str) -> None:
        """Refuse sheet ``name`` when it, or the sheets read so far with it, unpack beyond the
        limits (:data:`MAX_READ_SHEET_BYTES`, :data:`MAX_READ_TOTAL_BYTES`); counts it as read."""
        guard_read_sheet(self.path, self.parts[name])  # one sheet too large: said of that sheet
        size = part_size(self.path, self.parts[name])
        if self._read_bytes + size > MAX_READ_TOTAL_BYTES:
            raise InputError(self.path, [Problem(
                f"the sheets read unpack to {self._read_bytes + size:,} bytes of XML with this one; an export "
                f"is read up to {MAX_READ_TOTAL_BYTES:,} bytes in all (the synthetic export of 100,000 people "
                "has 168,000,000), so that reading it takes minutes, not hours: is this the right file? Delete "
                "the rows that are not the pilot's, or split the export")], rows=f"sheet:{name}")
        self._read_bytes += size

    def __getitem__(self, name: str) -> list[tuple]:
        if name not in self._grids:
            self.guard(name)
            try:
                if self.defer_cells:
                    self._grids[name], self._cells[name] = read_sheet_deferring(self.path, self.parts[name])
                else:
                    self._grids[name] = read_sheet(self.path, self.parts[name])
            except InputError as exc:  # name each column by its header, as the export writes it
                raise named_columns(exc) from None
        return self._grids[name]

    def cell_problems(self, name: str) -> list[Problem]:
        """The problems of single cells of sheet ``name`` (read), deferred by ``defer_cells``."""
        return self._cells.get(name, [])


def named_columns(exc: InputError) -> InputError:
    """``exc`` with each problem's column named by its header, as the export writes it."""
    return InputError(exc.file, [_named_column(p, exc) for p in exc.problems], rows=exc.rows)


@dataclass(frozen=True)
class SheetTable:
    """The data of one sheet below its header row: ``headers`` as written (stripped) and
    ``rows`` with one column per header plus :data:`LINE`; fully blank rows are left out."""

    sheet: str
    header_row: int
    headers: tuple[str, ...]
    rows: pd.DataFrame
    repeated: dict[str, tuple[str, ...]] = field(default_factory=dict)  # a header written twice: its columns


def repeated_rule(header: str, letters: tuple[str, ...]) -> str:
    """The rule a header written more than once in one header row breaks (only its first
    column is kept in :class:`SheetTable`, so that no reader takes two columns for one)."""
    times = "twice" if len(letters) == 2 else f"{len(letters)} times"
    return (f"the header {written(header)} is written {times} (columns {', '.join(letters[:-1])} and {letters[-1]}): "
            "a column is read once; delete the copy, or rename one of them and map or ignore it")


def sheet_table(sheet: str, grid: list[tuple], header_row: int = 1) -> SheetTable:
    """Cut ``grid`` at ``header_row`` (1-based). Columns without a header and without data
    are dropped; a column with data but no header gets the name ``(column N)``. The columns
    with data are found in one pass over the filled cells (a sheet may be wide and long)."""
    header = list(grid[header_row - 1]) if len(grid) >= header_row else []
    body = grid[header_row:]
    filled_columns = {j for r in body for j, v in enumerate(r) if not is_blank(v)}
    width = max([len(header), *(j + 1 for j in filled_columns)] or [0])
    header += [None] * (width - len(header))
    keep, names, letters = [], [], {}
    for j, h in enumerate(header):
        if is_blank(h) and j not in filled_columns:
            continue
        name = f"(column {j + 1})" if is_blank(h) else header_text(h)
        letters.setdefault(name, []).append(column_letter(j + 1))
        if len(letters[name]) > 1:  # a copied column: the first is read, the header's problem is said
            continue
        keep.append(j)
        names.append(name)
    records = [[r[j] if j < len(r) else None for j in keep] for r in body]
    lines = [header_row + 1 + i for i in range(len(body))]
    rows = pd.DataFrame(records, columns=names, dtype=object) if names else pd.DataFrame(index=range(len(body)))
    rows[LINE] = lines
    # a row with a filled cell (every column with data is kept): from the rows, not column by column
    filled = [any(not is_blank(v) for v in r) for r in body] if names else [False] * len(body)
    # .loc: ``rows[[]]`` (a sheet with no row below its header) would select no columns, not no rows
    return SheetTable(sheet, header_row, tuple(names), rows.loc[filled].reset_index(drop=True),
                      {name: tuple(found) for name, found in letters.items() if len(found) > 1})
