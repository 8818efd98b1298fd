"""Hostile inputs, round seventeen (H41n, issues 24 and 28): another pilot's export laid out
otherwise, where a message's advice led to a false value. A subtotal row per employer
(``Subtotaal Drukkerij De Pers``) and a heading row above an employer's people (the
employer's name alone in the id column) drew the id rule, whose advice ("write the id without
spaces") made them persons; a note row in the status changes drew "'datum' must not be empty"
and "'status' must not be empty". Each is now one message with the ``skip_rows`` pattern that
leaves the row out, and the case with that pattern added reads as the guide's export. Also a
never-started person with a triage path: one message on that cell.

The cases are the guide's export and mapping with one edit each (see
``make_hostile_round16.py``, whose helpers this uses); the expected outcomes in
``expected.yml`` are written by hand from the edits. Run from the project folder:
``.venv/bin/python tests/corpus/hostile/make_hostile_round17n.py``."""

from __future__ import annotations

import sys
from pathlib import Path

HOSTILE = Path(__file__).resolve().parent
sys.path.insert(0, str(HOSTILE))
import make_hostile_round16 as r16  # noqa: E402

NOTE = "Let op: K1000 heeft ook een tweede traject"


def above(pid: str, *cells):
    """A row inserted above ``pid``'s row of the participant sheet, holding ``cells`` from column A."""
    def edit(book):
        ws = book[r16.P]
        at = r16.person_row(ws, pid)
        ws.insert_rows(at)
        for i, value in enumerate(cells, 1):
            ws.cell(at, i).value = value
    return edit


def history_note(book):
    """A note row below the status changes: its text in the id column, the rest empty."""
    book[r16.H].append([NOTE, None, None])


def participants_skip(pattern: str):
    def edit(text: str) -> str:
        return text.replace('  skip_rows: ["^totaal"]', f'  skip_rows: ["^totaal", {pattern}]')
    return edit


def history_skip(text: str) -> str:
    return text.replace("  sheet: Statuswijzigingen\n",
                        f"  sheet: Statuswijzigingen\n  skip_rows: ['^{NOTE}$']\n")


def not_started_with_triage(book):
    """K2591 (never started) given triage path 2."""
    ws = book[r16.P]
    ws.cell(r16.person_row(ws, "K2591"), r16.column(ws, "Triagepad")).value = 2


def main() -> None:
    subtotal = above("K1000", "Subtotaal Drukkerij De Pers", None, 12)
    heading = above("K1000", "Drukkerij De Pers")
    r16.guide_case("r17_np_subtotal_row", subtotal)
    r16.guide_case("r17_np_subtotal_row_skipped", subtotal, participants_skip('"^subtotaal"'))
    r16.guide_case("r17_np_employer_heading_row", heading)
    r16.guide_case("r17_np_employer_heading_row_skipped", heading, participants_skip("'^Drukkerij De Pers$'"))
    r16.guide_case("r17_np_history_note_row", history_note)
    r16.guide_case("r17_np_history_note_row_skipped", history_note, history_skip)
    r16.guide_case("r17_np_not_started_with_triage", not_started_with_triage)


if __name__ == "__main__":
    main()
