"""Input problems and the error that lists them: every message names the file, the row
(and the line of the file), the column, the value as written and the rule."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Problem:
    rule: str
    column: str | None = None
    row: int | None = None  # 0-based data row
    value: Any = None

    def describe(self, line_offset: int = 2) -> str:
        where = []
        if self.row is not None:
            where.append(f"row {self.row + 1} (line {self.row + line_offset} of the file)")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        loc = ", ".join(where) or "file"
        val = "" if self.value is None else f": value {self.value!r}"
        return f"{loc}{val} breaks rule: {self.rule}"


class InputError(ValueError):
    """A raw input file failed to load or validate."""

    def __init__(self, file: str | Path, problems: Sequence[Problem], max_shown: int = 20):
        self.file = str(file)
        self.problems = list(problems)
        shown = [p.describe() for p in self.problems[:max_shown]]
        more = len(self.problems) - len(shown)
        text = f"{self.file}: {len(self.problems)} problem(s) in the input\n  " + "\n  ".join(shown)
        if more > 0:
            text += f"\n  ... and {more} more"
        super().__init__(text)
