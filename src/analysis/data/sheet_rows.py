"""A read-only openpyxl sheet's rows, read by openpyxl's own sheet parser with one cell kind
made fast: inline strings (``<c t="inlineStr"><is><t>...</t></is></c>``, as many exporting
programs write every text cell).

Why by hand: openpyxl builds a rich-text object (``openpyxl.cell.text.Text``, with its
descriptors) for every inline string only to join its text again; on an export of 100,000
rows (4.5 million such cells) that was 40% of ``inspect --check`` (cProfile, see
docs/runner_safety.md). Everything else -- numbers, shared strings, booleans, errors, dates by
the cell's number format, formulas -- is openpyxl's own ``WorkSheetParser.parse_cell``; the
rows are built as ``ReadOnlyWorksheet.iter_rows(values_only=True)`` after
``reset_dimensions()`` builds them (a missing row is ``()``, a row as long as its last cell).
It uses openpyxl's parser class and three attributes of its read-only sheet and workbook
(``_get_source``, ``_shared_strings``, ``_date_formats``/``_timedelta_formats``), pinned by
``requirements.lock``; ``tests/test_sheet_rows.py`` compares both readings cell by cell on
every workbook of the test corpora.

The sheet's XML is also held to what Excel itself accepts (Excel calls a file that breaks
these damaged): rows in ascending order, each row once, each cell once and left to right, a
shared string's index inside the shared-string table (openpyxl would take ``-1`` as the last
string, Python's negative index), a number cell a finite number. A break raises
:class:`SheetStructureError` naming the cell; openpyxl would drop a repeated row, keep the
last of a repeated cell and read a negative index silently. A row of more than
:data:`MAX_ROW_CELLS` cells is refused as it is read (hostile tester 12: 700 rows of 16,384
cells, a 32 MB file under every size guard, tied a run up for minutes).
"""

from __future__ import annotations

import math
from collections.abc import Container, Iterator
from datetime import datetime

from openpyxl.utils.cell import coordinate_to_tuple, get_column_letter
from openpyxl.worksheet._reader import FORMULA_TAG, INLINE_STRING, VALUE_TAG, WorkSheetParser
from openpyxl.xml.constants import SHEET_MAIN_NS

from analysis.data.shown_dates import SheetDate, date_styles
from analysis.terminal_text import visible

_TEXT = f"{{{SHEET_MAIN_NS}}}t"
_RUN = f"{{{SHEET_MAIN_NS}}}r"


def _not_finite(text: str) -> bool:
    try:
        return not math.isfinite(float(text))
    except ValueError:
        return False


class SheetStructureError(Exception):
    """The sheet's XML breaks a rule Excel holds it to: ``rule``, at ``row`` and ``column``
    (1-based, either may be None), with ``value`` as the file writes it."""

    def __init__(self, rule: str, row: int | None = None, column: int | None = None, value=None):
        super().__init__(rule)
        self.rule, self.row, self.column, self.value = rule, row, column, value


MAX_ROW_CELLS = 1_000  # cells in one row of a sheet: as a text table's columns (the codebook's widest has 33)
DAMAGED = "; Excel reports such a file as damaged: open and save it again in Excel, or export it again"


class _Parser(WorkSheetParser):
    date_styles: dict[int, tuple[str, int]] = {}  # style index -> number format of a date (shown_dates)

    """openpyxl's parser, with an inline string's text joined directly (plain text, then the
    text of each run, as ``Text.content`` joins them; phonetic runs left out as there), and
    the cell checks of the module docstring."""

    def parse_cell(self, element):
        if element.get("t") != "inlineStr" or self.rich_text or (
                not self.data_only and element.find(FORMULA_TAG) is not None):
            return self._checked_cell(element)
        style_id = element.get("s", 0)
        if style_id:
            style_id = int(style_id)
        coordinate = element.get("r")
        if coordinate:
            row, column = coordinate_to_tuple(coordinate)
            self.col_counter = column
        else:
            self.col_counter += 1
            row, column = self.row_counter, self.col_counter
        value, data_type = None, "inlineStr"
        child = element.find(INLINE_STRING)
        if child is not None:
            data_type = "s"
            plain = child.find(_TEXT)
            parts = [plain.text] if plain is not None else []
            parts += [run.findtext(_TEXT) for run in child.findall(_RUN)]
            value = "".join(p for p in parts if p is not None)
        return {"row": row, "column": column, "value": value, "data_type": data_type, "style_id": style_id}

    def _checked_cell(self, element):
        """openpyxl's reading of a cell, refused where it would read a damaged cell silently
        or fail without naming it (the cell's place is worked out only for a refusal)."""
        kind = element.get("t", "n")
        if kind == "s":  # openpyxl indexes the table with int(text): -1 is the last string
            raw = element.findtext(VALUE_TAG, None)
            text = (raw or "").strip()
            if raw and (not text.isascii() or not text.isdigit() or int(text) >= len(self.shared_strings)):
                raise SheetStructureError(
                    f"the cell refers to shared string '{visible(raw)}', but the workbook's shared-string table holds "
                    f"{len(self.shared_strings):,} (numbered from 0)" + DAMAGED, *self._place(element))
        try:
            cell = super().parse_cell(element)
        except (ValueError, IndexError, TypeError, OverflowError) as exc:
            raw = element.findtext(VALUE_TAG, None)
            rule = ("a number cell must hold a finite number (Excel writes no NaN or infinity)" if kind == "n"
                    and raw and _not_finite(raw) else
                    f"the cell must hold a readable value of its kind (t={kind!r}; {type(exc).__name__})")
            raise SheetStructureError(rule + DAMAGED, *self._place(element), raw) from None
        value = cell["value"]
        if value.__class__ is datetime and cell["style_id"] in self.date_styles:  # quoted as the sheet shows it
            code, fid = self.date_styles[cell["style_id"]]
            cell["value"] = SheetDate.of(value, code, fid, f"{get_column_letter(cell['column'])}{cell['row']}")
        if value.__class__ is float and not math.isfinite(value):
            raise SheetStructureError("a number cell must hold a finite number (Excel writes no NaN or infinity)"
                                      + DAMAGED, cell["row"], cell["column"], element.findtext(VALUE_TAG, None))
        return cell

    def _place(self, element) -> tuple[int | None, int | None]:
        """The (row, column) of a cell, for a message."""
        where = element.get("r")
        try:
            return coordinate_to_tuple(where) if where else (self.row_counter, self.col_counter + 1)
        except (ValueError, TypeError):
            return self.row_counter, None


def sheet_rows(sheet, marked: Container[int] = (), found: list | None = None) -> Iterator[tuple]:
    """The rows of a read-only openpyxl ``sheet`` as value tuples, row 1 first. Cells whose
    style index is in ``marked`` are appended to ``found`` as (row, column, style), 1-based
    (the styles that hide a value, :mod:`analysis.data.cell_formats`)."""
    book = sheet.parent
    with sheet._get_source() as src:
        parser = _Parser(src, sheet._shared_strings, data_only=book.data_only, epoch=book.epoch,
                         date_formats=book._date_formats, timedelta_formats=book._timedelta_formats)
        parser.date_styles = date_styles(book)
        counter = 1
        for idx, cells in parser.parse():
            if idx < counter:
                what = "written twice" if idx == counter - 1 else f"written after row {counter - 1} (out of order)"
                raise SheetStructureError(f"the row is {what} in the sheet's XML; a sheet lists each row once, in "
                                          "ascending order" + DAMAGED, idx)
            while counter < idx:
                counter += 1
                yield ()
            if counter <= idx:
                counter += 1
                if not cells:
                    yield ()
                    continue
                if len(cells) > MAX_ROW_CELLS:
                    raise SheetStructureError(
                        f"the row holds {len(cells):,} cells; a sheet is read with at most {MAX_ROW_CELLS:,} cells in "
                        "a row (a table of the evaluation has tens of columns): is this the data sheet? Delete the "
                        "columns that are not data", idx)
                row = [None] * max(cell["column"] for cell in cells)
                previous = 0
                for cell in cells:
                    if cell["row"] != idx or cell["column"] <= previous:
                        what = ("lies in another row than the row that holds it" if cell["row"] != idx else
                                "is written twice, or out of order, in its row (each cell once, left to right)")
                        raise SheetStructureError(f"the cell {what}" + DAMAGED, idx, cell["column"], cell["value"])
                    previous = cell["column"]
                    if 1 <= cell["column"] <= len(row):
                        row[cell["column"] - 1] = cell["value"]
                        if marked and cell["style_id"] in marked and found is not None:
                            found.append((idx, cell["column"], cell["style_id"]))
                yield tuple(row)
