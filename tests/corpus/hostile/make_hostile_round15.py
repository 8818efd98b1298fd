"""Hostile inputs, round fifteen (H38r, what hostile round 15 broke, issue 28): a mapped sheet
of the export with no data row below its header (a new case manager's sheet, registrations or
the status history exported before anything was recorded), a blank mapped sheet, and a
``header_row`` past a sheet's last row or on a data row: each gave a pandas traceback
(KeyError) from ``inspect --check`` and the report. Each case is the synthetic export and its
mapping with the edit named in its ``expected.yml`` comment; the expected outcomes are written
by hand from these edits. Run from the project folder:
``.venv/bin/python tests/corpus/hostile/make_hostile_round15.py``."""

from __future__ import annotations

import sys
from pathlib import Path

HOSTILE = Path(__file__).resolve().parent
sys.path.insert(0, str(HOSTILE))
from make_hostile_round3 import export_case  # noqa: E402

REGISTRATIONS = '    "Aanmeldingen": {casemanager_org: null}'


def header_only(sheet: str, header_row: int):
    """``sheet`` cut below its header row (the rows above it kept)."""
    def edit(book):
        ws = book[sheet]
        ws.delete_rows(header_row + 1, ws.max_row)
    return edit


def blank(sheet: str):
    def edit(book):
        ws = book[sheet]
        ws.delete_rows(1, ws.max_row)
    return edit


def new_case_manager(book):
    """A sheet 'Pieters (UWV)' after 'Bakker (gemeente)' holding only its title and header rows
    (copied from 'Bakker (gemeente)'): a case manager without clients yet."""
    src = book["Bakker (gemeente)"]
    ws = book.create_sheet("Pieters (UWV)", 3)
    for row in (1, 2):
        ws.append([c.value for c in src[row]])


def with_new_case_manager(text: str) -> str:
    assert REGISTRATIONS in text, "the shipped mapping changed: update make_hostile_round15.py"
    return text.replace(REGISTRATIONS, '    "Pieters (UWV)": {casemanager_org: UWV}\n' + REGISTRATIONS)


def header_row(n: int):
    def edit(text: str) -> str:
        assert "  header_row: 2" in text, "the shipped mapping changed: update make_hostile_round15.py"
        return text.replace("  header_row: 2", f"  header_row: {n}", 1)
    return edit


def main() -> None:
    export_case("r15_exp_ok_case_manager_without_clients", new_case_manager, with_new_case_manager)
    export_case("r15_exp_history_header_only", header_only("Statushistorie", 1))
    export_case("r15_exp_registrations_header_only", header_only("Aanmeldingen", 2))
    export_case("r15_exp_mapped_sheet_blank", blank("Aanmeldingen"))
    export_case("r15_exp_header_row_past_last_row", None, header_row(20))
    export_case("r15_exp_header_row_on_a_data_row", None, header_row(9))


if __name__ == "__main__":
    main()
