"""Hidden sheets, rows and columns of an Excel file: read like any other part, but said, so
that the evaluator knows they are there."""

from __future__ import annotations

from pathlib import Path


def hidden_parts(path: str | Path) -> dict[str, list[str]]:
    """Hidden sheets, rows and columns of an Excel file (read in full: the read-only mode
    the mapping route uses does not see them). A hidden part is read like any other; the
    profile and ``--check`` say so, because the evaluator may not know it is there."""
    path = Path(path)
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return {}
    import openpyxl

    book = openpyxl.load_workbook(path)
    out: dict[str, list[str]] = {}
    for ws in book.worksheets:
        parts = ["the sheet itself"] if ws.sheet_state != "visible" else []
        parts += [f"column {k}" for k, d in sorted(ws.column_dimensions.items()) if d.hidden]
        parts += [f"row {k}" for k, d in sorted(ws.row_dimensions.items()) if d.hidden]
        if parts:
            out[ws.title] = parts
    return out
