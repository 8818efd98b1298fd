"""Hostile inputs, round fifteen (H38r, what hostile round 15 broke, issue 28): a mapped sheet
of the export with no data row below its header (a new case manager's sheet, registrations or
the status history exported before anything was recorded), a blank mapped sheet, and a
``header_row`` past a sheet's last row or on a data row: each gave a pandas traceback
(KeyError) from ``inspect --check`` and the report. Study files with two statuses of one label
or a function in both groups (accepted), and a run configuration whose long list is written
out (blamed on aliases it does not have). Each case is the synthetic export and its
mapping with the edit named in its ``expected.yml`` comment; the expected outcomes are written
by hand from these edits. Run from the project folder:
``.venv/bin/python tests/corpus/hostile/make_hostile_round15b.py``."""

from __future__ import annotations

import sys
from pathlib import Path

HOSTILE = Path(__file__).resolve().parent
sys.path.insert(0, str(HOSTILE))
from make_hostile_round3 import export_case  # noqa: E402

ROOT = HOSTILE.parents[2]
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


def study_case(name: str, old: str, new: str) -> None:
    """``studies/<name>.yml``: the cleaning study with ``old`` replaced by ``new`` (and its id)."""
    text = (ROOT / "studies" / "schoonmaak_twente_2023.yml").read_text(encoding="utf-8")
    assert old in text and "id: schoonmaak_twente_2023" in text, "the study changed: update make_hostile_round15.py"
    text = text.replace("id: schoonmaak_twente_2023", f"id: {name}").replace(old, new)
    (HOSTILE / "studies" / f"{name}.yml").write_text(text, encoding="utf-8")


def main() -> None:
    study_case("r15_two_statuses_one_label", "omscholing: {kind: education, nl: In omscholing",
               "omscholing: {kind: education, nl: Geplaatst met scholing")
    study_case("r15_function_in_both_groups", "staf: [rayonleider, planner, objectleider]",
               "staf: [rayonleider, planner, objectleider, voorman]")
    (HOSTILE / "config" / "r15_long_plain_list.yml").write_text(
        "runs:\n  02_pilot_participants:\n    - parameters: {cutoff_date: \"2021-04-01\", predictors: ["
        + ",".join(["a"] * 100_001) + "]}\n", encoding="utf-8")  # no anchor, no alias: 200 KB
    export_case("r15_exp_ok_case_manager_without_clients", new_case_manager, with_new_case_manager)
    export_case("r15_exp_history_header_only", header_only("Statushistorie", 1))
    export_case("r15_exp_registrations_header_only", header_only("Aanmeldingen", 2))
    export_case("r15_exp_mapped_sheet_blank", blank("Aanmeldingen"))
    export_case("r15_exp_header_row_past_last_row", None, header_row(20))
    export_case("r15_exp_header_row_on_a_data_row", None, header_row(9))


if __name__ == "__main__":
    main()
