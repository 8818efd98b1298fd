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
from collections.abc import Iterator, Mapping
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


def read_sheets(path: str | Path) -> Mapping[str, list[tuple]]:
    """The sheets of ``path`` by name, in tab order, each a list of rows (tuples of cell
    values), row 1 first; a sheet is read when it is first asked for."""
    from analysis.data.readers import check_path, sniff_format

    path = Path(path)
    check_path(path)
    fmt = sniff_format(path)
    if fmt == "xlsx":
        return Sheets(path)
    if fmt != "text":
        raise InputError(path, [Problem(f"an export must be an Excel workbook (.xlsx) or a CSV file, not {fmt}")])
    from analysis.data.readers import decode
    from analysis.data.xlsx_parts import MAX_PART_BYTES

    size = path.stat().st_size
    if size > MAX_PART_BYTES:
        raise InputError(path, [Problem(f"the file is {size:,} bytes; a text export is read up to "
                                        f"{MAX_PART_BYTES:,} bytes: split the export")])
    text = decode(path.read_bytes(), path)
    if not text.strip():
        raise InputError(path, [Problem("the file must contain a header and data rows (it is blank)")])
    first = text.splitlines()[0]
    sep = max(";,\t|", key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    rows: list[tuple] = []
    try:
        for record in reader:
            rows.append(tuple(record))
    except csv.Error as exc:
        from analysis.data.readers import _csv_rule

        raise InputError(path, [Problem(_csv_rule(str(exc)), line=reader.line_num)]) from None
    return {path.stem: rows}


class Sheets(Mapping):
    """The sheets of an ``.xlsx`` file: names from the workbook index, each sheet unpacked
    and checked on first access (see the module docstring)."""

    def __init__(self, path: Path):
        from analysis.data.xlsx_parts import sheet_parts

        self.path = path
        self.parts = {p.name: p for p in sheet_parts(path)}
        self._grids: dict[str, list[tuple]] = {}

    def __iter__(self) -> Iterator[str]:
        return iter(self.parts)

    def __len__(self) -> int:
        return len(self.parts)

    def __getitem__(self, name: str) -> list[tuple]:
        if name not in self._grids:
            try:
                self._grids[name] = read_sheet(self.path, self.parts[name])
            except InputError as exc:  # name each column by its header, as the export writes it
                from analysis.data.readers import _named_column

                raise InputError(self.path, [_named_column(p, exc) for p in exc.problems], rows=exc.rows) from None
        return self._grids[name]


def read_sheet(path: Path, part) -> list[tuple]:
    """One sheet's rows after the checks of :mod:`analysis.data.xlsx_parts`."""
    import openpyxl

    from analysis.data import xlsx_parts as xp

    rows = f"sheet:{part.name}"
    if part.hidden:
        raise InputError(path, [Problem("the sheet is hidden: a hidden sheet is data nobody checked on screen; "
                                        "unhide it, or list it under ignore_sheets when it is not data")], rows=rows)
    xp.guard_sizes(path, [part.part])
    scan = xp.scan_sheet(path, part.part)
    try:
        book = openpyxl.load_workbook(xp.openable(path, {part.part}), read_only=True, data_only=True)
        try:
            grid = rows_as_written(book[part.name])
        finally:
            book.close()
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged workbook: say so, do not quote it
        raise InputError(path, [Problem(f"the sheet must be readable ({type(exc).__name__}); open and save the "
                                        "workbook again in Excel")], rows=rows) from None
    problems = xp.cell_problems(path, part.name, grid, scan) + xp.layout_problems(scan, grid)
    if problems:
        error = InputError(path, sorted(problems, key=lambda p: (p.row, p.column or "")), rows=rows)
        error.header = header_cells(grid)
        raise error
    return grid


def header_cells(grid: list[tuple]) -> tuple:
    """The header of a sheet's table for naming a column in a message: the first of its first
    ten rows with two filled cells or more (title rows above it have one)."""
    return next((row for row in grid[:10] if sum(not is_blank(v) for v in row) >= 2), grid[0] if grid else ())


def rows_as_written(sheet) -> list[tuple]:
    """The rows of a read-only openpyxl sheet as the cells hold them, trailing empty rows
    left out. The sheet's stated used range (``<dimension ref="A1:XFD1048576">``) is not
    trusted: openpyxl would pad every row to it, a million rows of 16,384 empty cells
    (``reset_dimensions`` reads each row as long as its last cell)."""
    from analysis.data.sheet_rows import sheet_rows

    grid = list(sheet_rows(sheet))  # as sheet.reset_dimensions(); sheet.iter_rows(values_only=True) gives them
    while grid and all(is_blank(v) for v in grid[-1]):
        grid.pop()
    return grid


MAX_EMPTY_RUN = 1000  # empty rows in a row inside a table before a filled one: a stray cell far below


def stray_cells(grid: list[tuple]) -> list[Problem]:
    """Filled cells of a one-table sheet (header on row 1) that lie right of its last header
    (when row 1 is a header: two filled cells or more) or below a long run of empty rows: a
    stray cell at XFD1048576 would otherwise make a table of a million rows and 16,384
    columns. Each is a problem with row, column and the cell."""
    from analysis.data.xlsx_parts import column_letter

    if not grid:
        return []
    header = grid[0]
    width = max((j + 1 for j, v in enumerate(header) if not is_blank(v)), default=0)
    if sum(not is_blank(v) for v in header) < 2:  # row 1 is a title, not a header: the columns are not known
        width = max(len(r) for r in grid)
    problems, empty_run = [], 0
    for r, row in enumerate(grid[1:], start=2):
        filled = [j for j, v in enumerate(row) if not is_blank(v)]
        if not filled:
            empty_run += 1
            continue
        if empty_run > MAX_EMPTY_RUN:
            j = filled[0]
            problems.append(Problem(f"the cell lies below {empty_run:,} empty rows, far outside the table: delete it "
                                    "(or move the rows up to the table)", column=column_letter(j + 1), row=r - 2,
                                    value=row[j]))
        empty_run = 0
        problems += [Problem(f"the cell lies right of the last column with a header ({column_letter(width)}): give "
                             "its column a header, or delete it", column=column_letter(j + 1), row=r - 2,
                             value=row[j]) for j in filled if j >= width][:1]
        if len(problems) >= 20:
            break
    return problems


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
    are dropped; a column with data but no header gets the name ``(column N)``. The columns
    with data are found in one pass over the filled cells (a sheet may be wide and long)."""
    header = list(grid[header_row - 1]) if len(grid) >= header_row else []
    body = grid[header_row:]
    filled_columns = {j for r in body for j, v in enumerate(r) if not is_blank(v)}
    width = max([len(header), *(j + 1 for j in filled_columns)] or [0])
    header += [None] * (width - len(header))
    keep, names = [], []
    for j, h in enumerate(header):
        if is_blank(h) and j not in filled_columns:
            continue
        keep.append(j)
        names.append(f"(column {j + 1})" if is_blank(h) else " ".join(str(h).split()))
    records = [[r[j] if j < len(r) else None for j in keep] for r in body]
    lines = [header_row + 1 + i for i in range(len(body))]
    rows = pd.DataFrame(records, columns=names, dtype=object) if names else pd.DataFrame(index=range(len(body)))
    rows[LINE] = lines
    filled = rows.drop(columns=LINE).apply(lambda col: ~col.map(is_blank)).any(axis=1) if names else rows[LINE] < 0
    return SheetTable(sheet, header_row, tuple(names), rows[filled].reset_index(drop=True))
