"""The grid of one Excel sheet: its rows as the cells hold them, after the checks of
:mod:`analysis.data.xlsx_parts`, its header row, and the stray cells outside its table.
Below :mod:`analysis.data.readers` (a participant file's sheet) and
:mod:`analysis.data.workbook` (an export's sheets), which both read sheets with it."""

from __future__ import annotations

from pathlib import Path

from analysis.data import xlsx_parts as xp
from analysis.data.cell_formats import hidden_cell_problems, hiding_styles
from analysis.data.cells import is_blank
from analysis.data.errors import InputError, Problem
from analysis.data.sheet_rows import SheetStructureError, sheet_rows
from analysis.data.xlsx_parts import column_letter


def read_sheet(path: Path, part) -> list[tuple]:
    """One sheet's rows after the checks of :mod:`analysis.data.xlsx_parts`."""
    grid, cells = read_sheet_deferring(path, part)
    if cells:
        raise sheet_error(path, part.name, cells, grid)
    return grid


def read_sheet_deferring(path: Path, part) -> tuple[list[tuple], list[Problem]]:
    """:func:`read_sheet`, with the problems of single cells (an Excel error, a formula without
    a computed value or referring to another workbook: :func:`analysis.data.xlsx_parts.cell_problems`)
    returned beside the rows instead of raised: an export's mapping refuses those of the columns
    it reads and leaves those it ignores (hostile round 17: '#VALUE!' in an ignored notes column
    stopped the run). The sheet's other problems (merged cells, hidden rows and cells) are raised,
    with its cell problems."""
    import openpyxl  # only for an Excel file: loaded when one is read

    rows = f"sheet:{part.name}"
    if part.chart:
        raise InputError(path, [Problem("the sheet is a chart sheet (a chart, no cells): the data are read from a "
                                        "sheet of cells; move the data sheet to the front, or delete the chart sheet, "
                                        "or, in an export's mapping, list it under ignore_sheets")], rows=rows)
    if part.hidden:
        raise InputError(path, [Problem("the sheet is hidden: a hidden sheet is data nobody checked on screen; "
                                        "unhide it, or list it under ignore_sheets when it is not data")], rows=rows)
    xp.guard_sizes(path, [part.part])
    xp.guard_read_sheet(path, part)
    scan = xp.scan_sheet(path, part.part)
    hiding, hidden_cells = hiding_styles(path), []
    try:
        book = openpyxl.load_workbook(xp.openable(path, {part.part}), read_only=True, data_only=True)
        try:
            grid = rows_as_written(book[part.name], hiding, hidden_cells)
        finally:
            book.close()
    except InputError:
        raise
    except SheetStructureError as exc:  # named by sheet, row and column, as a cell problem is
        error = InputError(path, [Problem(exc.rule, column=None if exc.column is None else column_letter(exc.column),
                                          row=None if exc.row is None else exc.row - 2, value=exc.value)], rows=rows)
        error.header = getattr(exc, "header", ())
        raise error from None
    except Exception as exc:  # noqa: BLE001 - a damaged workbook: say so, do not quote it
        raise InputError(path, [Problem(f"the sheet must be readable ({type(exc).__name__}); open and save the "
                                        "workbook again in Excel")], rows=rows) from None
    cells = xp.cell_problems(path, part.name, grid, scan)
    layout = xp.layout_problems(scan, grid) + hidden_cell_problems(grid, hidden_cells, hiding)
    if layout:
        raise sheet_error(path, part.name, cells + layout, grid)
    return grid, cells


def sheet_error(path: Path, sheet: str, problems: list[Problem], grid: list[tuple]) -> InputError:
    """The problems of one sheet as one error, in row and column order, its columns named by
    the sheet's header (:func:`header_cells`)."""
    error = InputError(path, sorted(problems, key=lambda p: (p.row, p.column or "")), rows=f"sheet:{sheet}")
    error.header = header_cells(grid)
    return error


def header_cells(grid: list[tuple]) -> tuple:
    """The header of a sheet's table for naming a column in a message: the first of its first
    ten rows with two filled cells or more (title rows above it have one)."""
    return next((row for row in grid[:10] if sum(not is_blank(v) for v in row) >= 2), grid[0] if grid else ())


def rows_as_written(sheet, marked=(), found: list | None = None) -> list[tuple]:
    """The rows of a read-only openpyxl sheet as the cells hold them, trailing empty rows
    left out. The sheet's stated used range (``<dimension ref="A1:XFD1048576">``) is not
    trusted: openpyxl would pad every row to it, a million rows of 16,384 empty cells
    (``reset_dimensions`` reads each row as long as its last cell)."""
    # as sheet.reset_dimensions(); sheet.iter_rows(values_only=True) gives them
    grid: list[tuple] = []
    try:
        grid.extend(sheet_rows(sheet, marked, found))
    except SheetStructureError as exc:  # the rows read so far name the columns of its message
        exc.header = header_cells(grid)
        raise
    while grid and all(is_blank(v) for v in grid[-1]):
        grid.pop()
    return grid


MAX_EMPTY_RUN = 1000  # empty rows in a row inside a table before a filled one: a stray cell far below


def stray_cells(grid: list[tuple]) -> list[Problem]:
    """Filled cells of a one-table sheet (header on row 1) that lie right of its last header
    (when row 1 is a header: two filled cells or more) or below a long run of empty rows: a
    stray cell at XFD1048576 would otherwise make a table of a million rows and 16,384
    columns. Each is a problem with row, column and the cell."""
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
