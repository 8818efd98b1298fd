"""Hostile inputs, round sixteen (H39n, issues 24 and 28): a date cell quoted in ISO form
instead of as the sheet shows it (``5 dec 2020`` under the format ``d mmm yyyy``), a person
copied under a new id in the real file (every other field equal) and a blank status history
sheet. Each export case is the synthetic export and its mapping with the edit named in its
``expected.yml`` comment; each file case the synthetic participant file with one edit. The
expected outcomes are written by hand from these edits. Run from the project folder:
``.venv/bin/python tests/corpus/hostile/make_hostile_round16n.py``."""

from __future__ import annotations

import csv
import sys
from datetime import datetime
from pathlib import Path

HOSTILE = Path(__file__).resolve().parent
sys.path.insert(0, str(HOSTILE))
from make_hostile_round3 import export_case  # noqa: E402

ROOT = HOSTILE.parents[2]
SYNTHETIC = "  constants: {synthetisch: true}"


def start_before_inflow(book):
    """Jansen (UWV) D3 (SYN0001's Start traject) set to 5 December 2019, shown as ``5 dec 2019``:
    before the inflow of 12 September 2020."""
    ws = book["Jansen (UWV)"]
    ws["D3"] = datetime(2019, 12, 5)
    ws["D3"].number_format = "d mmm yyyy"


def copied_person(book):
    """SYN0001's row (Jansen (UWV) row 3) copied as a new last row (17) under the id SYN0099, with
    SYN0001's status records (not its services); the mapping's constant synthetisch false (the real file)."""
    ws = book["Jansen (UWV)"]
    values = [c.value for c in ws[3]]
    ws.append(["SYN0099", *values[1:]])
    for col, cell in enumerate(ws[3], 1):
        ws.cell(ws.max_row, col).number_format = cell.number_format
    history = book["Statushistorie"]  # SYN0001's status records copied for SYN0099: the history holds both
    for row in [[c.value for c in r] for r in history.iter_rows(min_row=2) if r[0].value == "SYN0001"]:
        history.append(["SYN0099", *row[1:]])


def real_file(text: str) -> str:
    assert SYNTHETIC in text, "the shipped mapping changed: update make_hostile_round16n.py"
    return text.replace(SYNTHETIC, "  constants: {synthetisch: false}")


def history_copies(book):
    """SYN0001's first status record (Statushistorie row 2) and the next copied 2,000 times below
    the sheet (hostile round 15's H15-6 at a size the corpus keeps small)."""
    ws = book["Statushistorie"]
    rows = [[c.value for c in ws[r]] for r in (2, 3)]
    for i in range(2000):
        ws.append(rows[i % 2])


def blank(sheet: str):
    def edit(book):
        ws = book[sheet]
        ws.delete_rows(1, ws.max_row)
    return edit


def participant_copy(name: str, synthetic: str) -> None:
    """``files/<name>.csv``: the synthetic participant file with ``synthetisch`` as given and
    SYN0001's row copied as the second data row under the id SYN0099."""
    with open(ROOT / "data" / "raw" / "pilot_participants_synthetic.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    at = rows[0].index("synthetisch")
    for row in rows[1:]:
        row[at] = synthetic
    rows.insert(2, ["SYN0099", *rows[1][1:]])
    with open(HOSTILE / "files" / f"{name}.csv", "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def main() -> None:
    export_case("r16_exp_date_shown_as_written", start_before_inflow)
    export_case("r16_exp_person_copied", copied_person, real_file)
    export_case("r16_exp_history_copied_2000", history_copies)
    export_case("r16_exp_history_blank", blank("Statushistorie"))
    participant_copy("r16_person_copied_real", "false")


if __name__ == "__main__":
    main()
