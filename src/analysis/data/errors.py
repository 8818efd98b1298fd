"""Input problems and the error that lists them: every message names the file, the row
(the line of a text file, the row of an Excel sheet), the column, the value as written in
the file (cut to :data:`MAX_VALUE` characters) and the rule."""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from analysis.terminal_text import visible

MAX_VALUE = 60  # characters of a cell's text quoted in a message
MAX_SHOWN = 20  # problems listed in the message (all are kept in ``problems``)


def excerpt(text: str, limit: int = MAX_VALUE) -> str:
    """``text`` as a message quotes it without quotes (a name, a number's text, a path):
    what does not show escaped (:func:`analysis.terminal_text.visible`), cut after ``limit``
    characters with the full length said (a 5,000-character ``-p`` value was echoed whole)."""
    text = visible(str(text))
    return text[:limit] + (f"... ({len(text):,} characters)" if len(text) > limit else "")


def written(value: Any, limit: int = MAX_VALUE) -> str:
    """A cell as the file shows it, for a message: text in quotes with what cannot be seen
    escaped (:func:`analysis.terminal_text.visible`), cut with the full length said; a date
    as a date (``1983-12-05``, with the time only when it has one), a whole number without
    ``.0`` -- never a Python repr."""
    if isinstance(getattr(value, "written", None), str):  # a number of a YAML file, as its text was written
        return excerpt(value.written, limit)
    if isinstance(value, list | tuple | dict):  # a YAML file's list or mapping in YAML's flow form, not a repr
        text = flow_text(value)
        return text[:limit] + (f"... ({len(text):,} characters)" if len(text) > limit else "")
    if isinstance(value, datetime) and value != value:  # pandas' NaT: an empty date cell
        return "(empty)"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M" if (value.hour, value.minute) != (0, 0) else "%Y-%m-%d")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, numbers.Real) and float(value).is_integer() and abs(float(value)) < 1e15:
        return str(int(value))
    if isinstance(value, numbers.Real):
        return str(value)
    text = visible(str(value))
    return f"'{text[:limit]}'" + (f"... ({len(text):,} characters)" if len(text) > limit else "")


def flow_text(value: Any, depth: int = 0) -> str:
    """A list or mapping as YAML's flow form writes it (``[2]``, ``{match: ^vmbo, value: laag}``),
    its texts shown escaped where they hold what cannot be seen."""
    if depth > 20:
        return "..."
    if isinstance(value, dict):
        return "{" + ", ".join(f"{flow_text(k, depth + 1)}: {flow_text(v, depth + 1)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(flow_text(v, depth + 1) for v in value) + "]"
    if value is None:
        return "null"
    if isinstance(value, str):
        return visible(value)
    return written(value)


quote = written  # the name the participant route used


def one_line(text: str) -> str:
    """A problem's description on one line: a line break or carriage return that reached it
    from a file name, header, sheet name or key (not quoted by :func:`written`) is shown as
    its escape, so that no line of a message looks like another problem or message."""
    return text.replace("\r", "\\r").replace("\n", "\\n")


@dataclass(frozen=True)
class Problem:
    rule: str
    column: str | None = None
    row: int | None = None  # 0-based data row
    value: Any = None
    line: int | None = None  # line of a text file, when known exactly

    def describe(self, rows: str = "line", line_offset: int = 2) -> str:
        """``rows``: ``line`` (text file: the data row, counted from the first below the header,
        and the line of the file, which a spreadsheet shows as its row), ``sheet:<name>``
        (Excel: the sheet's row number, as Excel shows it) or ``row`` (Parquet)."""
        where = []
        if self.row is not None or self.line is not None:
            where.append(self._row_text(rows, line_offset))
        elif rows.startswith("sheet:"):
            where.append(f"sheet '{visible(rows[6:])}'")
        if self.column is not None:
            where.append(f"column '{visible(str(self.column))}'")
        loc = ", ".join(where) or "file"
        val = "" if self.value is None else f": value {quote(self.value)}"
        return f"{loc}{val} breaks rule: {self.rule}"

    def where(self, rows: str = "line") -> str:
        """The problem's row in the numbering of ``rows`` (see :meth:`describe`)."""
        return self._row_text(rows, 2)

    def _row_text(self, rows: str, line_offset: int) -> str:
        if rows.startswith("sheet:"):
            return f"sheet '{visible(rows[6:])}' row {self.row + line_offset}"
        if rows == "row" or self.row is None and self.line is None:
            return f"row {self.row + 1}"
        line = self.line if self.line is not None else self.row + line_offset
        return f"line {line} of the file" if self.row is None else f"data row {self.row + 1} (line {line} of the file)"


class InputError(ValueError):
    """A raw input file failed to load or validate. The message names the file and lists
    the first problems; ``problems`` holds all of them."""

    def __init__(self, file: str | Path, problems: Sequence[Problem], max_shown: int = MAX_SHOWN,
                 rows: str = "line"):
        self.file = str(file)
        self.problems = list(problems)
        self.rows = rows
        shown = [one_line(p.describe(rows)) for p in self.problems[:max_shown]]
        more = len(self.problems) - len(shown)
        text = f"{visible(self.file)}: {len(self.problems)} problem(s) in the input\n  " + "\n  ".join(shown)
        if more > 0:
            text += f"\n  ... and {more} more"
        super().__init__(text)
