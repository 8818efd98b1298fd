"""Hostile inputs, round fifteen (H38n, issue 28: hostile round 14's H17, a silent misread):
a participant's whole row copied below it under an id a reader takes for the same one (the
letter O for the digit 0, the letter l for 1, a '-' or '_' between letters and digits) was read
as a second person when no status history was given. Each case is the synthetic participant
file with SYN0001's row copied as the second data row under the id in its name, or the
synthetic export with one id replaced; the expected outcomes in ``expected.yml`` are written by
hand from these edits. Also (H38n, newpilot2 F14) a person in work whose contract was not
recorded (an empty cell), read as onbekend. Run from the project folder:
``.venv/bin/python tests/corpus/hostile/make_hostile_round15.py``."""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

HOSTILE = Path(__file__).resolve().parent
ROOT = HOSTILE.parents[2]
sys.path.insert(0, str(HOSTILE))
from make_hostile_round3 import cell, export_case  # noqa: E402

COPIES = {"r15_copy_letter_o.csv": "SYNO001", "r15_copy_letter_l.csv": "SYN000l",
          "r15_copy_hyphen.csv": "SYN-0001", "r15_copy_underscore.csv": "SYN_0001"}


def copied_row(alias: str) -> str:
    """The synthetic participant file with its first data row copied below it as ``alias``."""
    rows = list(csv.reader(io.StringIO((ROOT / "data" / "raw" / "pilot_participants_synthetic.csv")
                                       .read_text(encoding="utf-8"))))
    rows.insert(2, [alias, *rows[1][1:]])
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def main() -> None:
    for name, alias in COPIES.items():
        (HOSTILE / "files" / name).write_text(copied_row(alias), encoding="utf-8")
    export_case("r15_exp_id_letter_o", cell("De Vries (gemeente)", "A3", "SYNO001"))
    # newpilot2 F14: SYN0001 (in work on 16 April 2021) without a contract: not recorded
    export_case("r15_exp_worker_contract_empty", cell("Jansen (UWV)", "M3", None))


if __name__ == "__main__":
    main()
