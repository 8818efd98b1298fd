"""Hostile inputs, round fourteen (H37h, what hostile round 14 broke, issue 28): a mapping
pattern that repeats a part of varying length (``^(?:a?){30}a{30}$``, the textbook exponential
pattern: accepted, then minutes on one label of 30 ``a`` and ``!``); a header written twice in a
case manager's sheet (a traceback); a service record without its date (counted at every
cut-off without a word); a participant workbook whose people are split over two visible
sheets (half read without a word). Each case is the synthetic export or participant file
with the edit named in its ``expected.yml`` comment; the expected outcomes are written by
hand from these edits. Run from the project folder:
``.venv/bin/python tests/corpus/hostile/make_hostile_round14.py``."""

from __future__ import annotations

import sys
from pathlib import Path

HOSTILE = Path(__file__).resolve().parent
ROOT = HOSTILE.parents[2]
sys.path.insert(0, str(HOSTILE))
from make_hostile_round3 import cell, export_case, extra_pattern  # noqa: E402


def copied_column(filled: bool):
    """Sheet 'Jansen (UWV)': its header 'Leeftijd' (column F) written again in column T, the
    copy filled with 99 on every person's row (or left empty)."""
    def edit(book):
        ws = book["Jansen (UWV)"]
        assert ws["F2"].value == "Leeftijd" and ws["T2"].value is None, "the shipped export changed: update this"
        ws["T2"] = "Leeftijd"
        if filled:
            for row in range(3, ws.max_row + 1):
                if ws[f"A{row}"].value is not None:
                    ws[f"T{row}"] = 99
    return edit


def undated_service(book):
    """Sheet 'Dienstverlening': a record 'SYN0001 | Coaching' without its start date appended
    below the last (row 112; SYN0001 has no coaching record)."""
    ws = book["Dienstverlening"]
    assert ws.max_row == 111, "the shipped export changed: update make_hostile_round14.py"
    ws.append(["SYN0001", "Coaching", None])


def main() -> None:
    export_case("r14_exp_service_without_date", undated_service)
    export_case("r14_exp_header_written_twice", copied_column(True))
    export_case("r14_exp_header_written_twice_copy_empty", copied_column(False))
    export_case("r14_exp_redos_optional_counted", cell("Jansen (UWV)", "G3", "a" * 30 + "!"),
                extra_pattern("^(?:a?){30}a{30}$"))


if __name__ == "__main__":
    main()
