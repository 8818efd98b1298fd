"""Hidden sheets, rows and columns of an Excel file: read like any other part, but said, so
that the evaluator knows they are there.

Found from the workbook index and a streamed scan of each sheet's XML
(:mod:`analysis.data.xlsx_parts`) rather than by loading the workbook with openpyxl in full:
that parses every sheet, including one that unpacks to a gigabyte among the ignored sheets.
A sheet beyond the size guard is not scanned (it is refused when it is read).
"""

from __future__ import annotations

import re
import zipfile
from functools import lru_cache
from pathlib import Path

from analysis.data.cells import is_blank
from analysis.data.errors import InputError, Problem
from analysis.data.xlsx_parts import CHUNK, column_letter, guard_sizes, scan_sheet, sheet_parts

_COL = re.compile(rb"<(?:\w+:)?col\s[^>]*>")
_ATTRIBUTE = re.compile(rb'\b(min|max|hidden|width)="([^"]*)"')
_ZERO = re.compile(rb"0*(\.0*)?")  # a width of zero: hidden on screen without being marked hidden


def hidden_columns(path: Path, part: str) -> list[str]:
    """Letters of the hidden columns of one sheet part (``<cols>`` comes before the data)."""
    out: list[str] = []
    with zipfile.ZipFile(path) as zf, zf.open(part) as fh:
        head = b""
        while b"<sheetData" not in head and (block := fh.read(CHUNK)):
            head += block
            if len(head) > 16 * CHUNK:
                break
    for tag in _COL.finditer(head.split(b"<sheetData")[0]):
        attrs = dict(_ATTRIBUTE.findall(tag.group()))
        zero = attrs.get(b"width", b"") != b"" and bool(_ZERO.fullmatch(attrs[b"width"]))
        if (attrs.get(b"hidden") in (b"1", b"true") or zero) and attrs.get(b"min", b"").isdigit():
            low = int(attrs[b"min"])
            high = int(attrs.get(b"max", attrs[b"min"])) if attrs.get(b"max", b"").isdigit() else low
            out += [column_letter(i) for i in range(low, min(high, low + 50) + 1)]
    return out


def hidden_column_problems(path: Path, part: str, grid: list[tuple]) -> list:
    """A participant sheet's hidden (or zero-width) columns that hold data: each a problem, as a
    hidden row with data is (the participant file is read whole, every column a codebook
    column; an export's hidden column is read only when the mapping names it, and said)."""
    letters = set(hidden_columns(path, part))
    width = max((len(r) for r in grid), default=0)
    problems = []
    for i in range(width):
        letter = column_letter(i + 1)
        if letter in letters and any(i < len(r) and not is_blank(r[i]) for r in grid):
            header = grid[0][i] if grid and i < len(grid[0]) and not is_blank(grid[0][i]) else f"column {letter}"
            problems.append(Problem("the column is hidden (hidden, or of zero width): a hidden column holds data "
                                    "nobody checked on screen; unhide it (or delete it when it is not data)",
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
            parts += [f"column {c}" for c in hidden_columns(path, sheet.part)]
            parts += [f"row {r}" for r in sorted(scan_sheet(path, sheet.part).hidden_rows)]
        except (InputError, KeyError, zipfile.BadZipFile):
            pass
        if parts:
            out[sheet.name] = parts
    return out
