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
"""

from __future__ import annotations

from collections.abc import Container, Iterator

from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.worksheet._reader import FORMULA_TAG, INLINE_STRING, WorkSheetParser
from openpyxl.xml.constants import SHEET_MAIN_NS

_TEXT = f"{{{SHEET_MAIN_NS}}}t"
_RUN = f"{{{SHEET_MAIN_NS}}}r"


class _Parser(WorkSheetParser):
    """openpyxl's parser, with an inline string's text joined directly (plain text, then the
    text of each run, as ``Text.content`` joins them; phonetic runs left out as there)."""

    def parse_cell(self, element):
        if element.get("t") != "inlineStr" or self.rich_text or (
                not self.data_only and element.find(FORMULA_TAG) is not None):
            return super().parse_cell(element)
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


def sheet_rows(sheet, marked: Container[int] = (), found: list | None = None) -> Iterator[tuple]:
    """The rows of a read-only openpyxl ``sheet`` as value tuples, row 1 first. Cells whose
    style index is in ``marked`` are appended to ``found`` as (row, column, style), 1-based
    (the styles that hide a value, :mod:`analysis.data.cell_formats`)."""
    book = sheet.parent
    with sheet._get_source() as src:
        parser = _Parser(src, sheet._shared_strings, data_only=book.data_only, epoch=book.epoch,
                         date_formats=book._date_formats, timedelta_formats=book._timedelta_formats)
        counter = 1
        for idx, cells in parser.parse():
            while counter < idx:
                counter += 1
                yield ()
            if counter <= idx:
                counter += 1
                if not cells:
                    yield ()
                    continue
                row = [None] * cells[-1]["column"]
                for cell in cells:
                    if 1 <= cell["column"] <= len(row):
                        row[cell["column"] - 1] = cell["value"]
                        if marked and cell["style_id"] in marked and found is not None:
                            found.append((idx, cell["column"], cell["style_id"]))
                yield tuple(row)
