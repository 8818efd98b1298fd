"""The column-spec language: one declarative :class:`Column` list per raw file drives
the parsing of text values, the pandera schema and the codebook."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd


@dataclass(frozen=True)
class Column:
    """One column of a raw file: its type, allowed values and documentation.

    ``kind`` is one of ``str``, ``category``, ``int``, ``float``, ``bool``, ``date``.
    """

    name: str
    kind: str
    description: str
    allowed: tuple[Any, ...] | None = None
    nullable: bool = False
    min: float | date | None = None
    max: float | date | None = None
    unique: bool = False
    source: str = ""
    pattern: str | None = None
    # where ``min`` and ``max`` are set: (file, key of min, key of max), e.g. a study's
    # dates.pilot_start; a value outside them is refused naming the key (newpilot2, F8c)
    bounds_from: tuple[str, str | None, str | None] | None = None
    # at most this many characters (a label a figure draws), and why, with what to do
    max_length: int | None = None
    length_why: str = ""
    # what an empty cell of a nullable column states as a fact ("never triaged"), where empty is not
    # "not recorded": no constant empty stands for an export without the column (hostile round 20)
    empty_means: str = ""

    def bound_advice(self, which: str) -> str:
        """`` (dates.pilot_start in studies/x.yml): ...`` for the bound ``which`` (``min`` or
        ``max``) set by a study key, else ``""``."""
        if self.bounds_from is None:
            return ""
        file, low, high = self.bounds_from
        key = low if which == "min" else high
        if key is None:
            return ""
        return (f" ({key} in {file}): correct the date in the file if it is wrong, or the study's {key} "
                "if the window is")

    def rule_text(self) -> str:
        parts = [self.kind]
        if self.allowed is not None:
            parts.append("one of " + ", ".join(map(str, self.allowed)))
        if self.min is not None:
            parts.append(f">= {self.min}")
        if self.max is not None:
            parts.append(f"<= {self.max}")
        if self.pattern:
            parts.append(f"matches {self.pattern}")
        if self.max_length is not None:
            parts.append(f"at most {self.max_length} characters")
        if self.unique:
            parts.append("unique")
        parts.append("may be empty" if self.nullable else "required")
        return "; ".join(parts)


@dataclass(frozen=True)
class RowRule:
    """A rule across columns: ``check(df)`` returns a boolean Series, True where a row
    passes. ``columns`` are named in the error."""

    name: str
    columns: tuple[str, ...]
    check: Callable[[pd.DataFrame], pd.Series]


@dataclass(frozen=True)
class Unrecorded:
    """What an empty cell of ``column`` means where ``where(df)`` is True: ``value`` (a
    category's ``onbekend``: not recorded), filled in after the column rules and before the
    cross-column rules. Elsewhere the empty cell stays empty (e.g. a new job's sector: not
    recorded for someone in work, no job for someone else)."""

    name: str
    column: str
    value: Any
    where: Callable[[pd.DataFrame], pd.Series]


@dataclass(frozen=True)
class TableSpec:
    name: str
    columns: tuple[Column, ...]
    row_rules: tuple[RowRule, ...] = field(default_factory=tuple)
    description: str = ""
    unrecorded: tuple[Unrecorded, ...] = field(default_factory=tuple)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]
