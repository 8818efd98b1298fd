"""Hidden sheets, rows and columns of an Excel file, each with what hides it (the hidden mark,
or a height or width too small to show text, its own or the sheet's default): said, so that
the evaluator knows they are there (:data:`HIDDEN_RULE`: an export's hidden column is read
where the mapping names it; a hidden row with data, and a participant workbook's hidden
column with data, are refused by :mod:`analysis.data.sheet_grid`).

Found from the workbook index and a streamed scan of each sheet's XML
(:mod:`analysis.data.xlsx_parts`) rather than by loading the workbook with openpyxl in full:
that parses every sheet, including one that unpacks to a gigabyte among the ignored sheets.
A sheet beyond the size guard is not scanned (it is refused when it is read).
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from analysis.data.cells import is_blank
from analysis.data.errors import InputError, Problem
from analysis.data.xlsx_parts import (
    CHUNK,
    column_letter,
    guard_read_sheet,
    guard_sizes,
    scan_sheet,
    sheet_format,
    sheet_parts,
)

_COL = re.compile(rb"<(?:\w+:)?col\s[^>]*>")
_ATTRIBUTE = re.compile(rb'\b(min|max|hidden|width)="([^"]*)"')
HIDDEN_RULE = "(a hidden column is read where the mapping names it; a hidden sheet, row or cell with data is refused)"
MIN_COLUMN_WIDTH = 1.0  # characters: a narrower column shows no legible text (hidden without the hidden mark)


@dataclass(frozen=True)
class Columns:
    """The column widths a sheet states: ``ranges`` (first, last, what hides them or None)
    from its ``<col>`` elements, and what hides a column none of them covers (``default``)."""

    ranges: tuple[tuple[int, int, str | None], ...] = ()
    default: str | None = None

    def why(self, index: int) -> str | None:
        """What hides column ``index`` (1-based), or None."""
        for low, high, why in self.ranges:
            if low <= index <= high:
                return why
        return self.default

    def listed(self) -> list[str]:
        """The hidden columns for a note (at most 51 of one range, as the sheet states them)."""
        out = [f"column {column_letter(i)} ({why})" for low, high, why in self.ranges if why
               for i in range(low, min(high, low + 50) + 1)]
        return out + ([f"every column without a width of its own ({self.default})"] if self.default else [])


def _width(text: bytes | None) -> float | None:
    try:
        return None if text is None else float(text)
    except ValueError:
        return None


def column_layout(path: Path, part: str) -> Columns:
    """What hides each column of one sheet part (``<cols>`` and ``<sheetFormatPr>`` come
    before the data): the hidden mark, or a width below :data:`MIN_COLUMN_WIDTH` characters,
    its own or the sheet's default."""
    with zipfile.ZipFile(path) as zf, zf.open(part) as fh:
        head = b""
        while b"<sheetData" not in head and (block := fh.read(CHUNK)):
            head += block
            if len(head) > 16 * CHUNK:
                break
    ranges = []
    for tag in _COL.finditer(head.split(b"<sheetData")[0]):
        attrs = dict(_ATTRIBUTE.findall(tag.group()))
        if not attrs.get(b"min", b"").isdigit():
            continue
        low = int(attrs[b"min"])
        high = int(attrs[b"max"]) if attrs.get(b"max", b"").isdigit() else low
        width = _width(attrs.get(b"width"))
        why = ("marked hidden" if attrs.get(b"hidden") in (b"1", b"true") else
               f"its width is {width:g} characters, too narrow to show text"
               if width is not None and width < MIN_COLUMN_WIDTH else None)
        ranges.append((low, high, why))
    form = sheet_format(head)
    default = _width(form.get(b"defaultColWidth"))
    base = _width(form.get(b"baseColWidth"))
    why = (f"the sheet's default column width is {default:g} characters, too narrow to show text"
           if default is not None and default < MIN_COLUMN_WIDTH else
           f"the sheet's base column width is {base:g} characters" if default is None and base is not None
           and base < MIN_COLUMN_WIDTH else None)
    return Columns(tuple(ranges), why)


def hidden_columns(path: Path, part: str) -> list[str]:
    """The hidden columns of one sheet part, each with what hides it (for a note)."""
    return column_layout(path, part).listed()


def hidden_column_problems(path: Path, part: str, grid: list[tuple]) -> list:
    """A participant sheet's hidden (or too narrow) columns that hold data: each a problem, as
    a hidden row with data is (the participant file is read whole, every column a codebook
    column; an export's hidden column is read only when the mapping names it, and said)."""
    layout = column_layout(path, part)
    width = max((len(r) for r in grid), default=0)
    problems = []
    for i in range(width):
        why = layout.why(i + 1)
        if why and any(i < len(r) and not is_blank(r[i]) for r in grid):
            letter = column_letter(i + 1)
            header = grid[0][i] if grid and i < len(grid[0]) and not is_blank(grid[0][i]) else f"column {letter}"
            problems.append(Problem(f"the column is hidden ({why}): a hidden column holds data nobody checked on "
                                    "screen; to read it, unhide it (or widen it); to skip it, delete it",
                                    column=str(header)))
    return problems


def hidden_parts(path: str | Path) -> dict[str, list[str]]:
    """Hidden sheets, rows and columns of an Excel file. A hidden part is read like any other;
    the profile and ``--check`` say so, because the evaluator may not know it is there. The
    scan of one version of a file is done once per process (``inspect --check`` asks twice)."""
    path = Path(path)
    if path.suffix.lower() not in (".xlsx", ".xlsm") or not path.is_file():
        return {}
    stat = path.stat()
    found = _hidden_parts(str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    return {sheet: list(parts) for sheet, parts in found.items()}


@lru_cache(maxsize=4)
def _hidden_parts(path_text: str, _size: int, _mtime_ns: int) -> dict[str, list[str]]:
    path = Path(path_text)
    out: dict[str, list[str]] = {}
    for sheet in sheet_parts(path):
        parts = ["the sheet itself"] if sheet.hidden else []
        try:
            guard_sizes(path, [sheet.part])
            guard_read_sheet(path, sheet)  # a sheet too large to read is refused when read, not scanned here
            parts += hidden_columns(path, sheet.part)
            scan = scan_sheet(path, sheet.part)
            parts += [f"row {r} ({scan.row_hiding.get(r, 'marked hidden')})" for r in sorted(scan.hidden_rows)]
        except (InputError, KeyError, zipfile.BadZipFile):
            pass
        if parts:
            out[sheet.name] = parts
    return out
