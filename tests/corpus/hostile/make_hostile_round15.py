"""Hostile inputs, round fifteen (H38n, issue 28: hostile round 14's H17, a silent misread):
a participant's whole row copied below it under an id a reader takes for the same one (the
letter O for the digit 0, the letter l for 1, a '-' or '_' between letters and digits) was read
as a second person when no status history was given. Each case is the synthetic participant
file with SYN0001's row copied as the second data row under the id in its name, or the
synthetic export with one id replaced; the expected outcomes in ``expected.yml`` are written by
hand from these edits. Also (H38n, newpilot2 F14) a person in work whose contract was not
recorded (an empty cell), read as onbekend; H16: a skip_rows list of 101 patterns, a map of
2,001 labels (refused; 100 patterns are read); H10: a DWSRA interview label of 61 characters
(refused; 60 are read). Run from the project folder:
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


def many_skip_rows(n: int):
    """``n`` patterns under participants.skip_rows (each passes the pattern guard)."""
    listed = ", ".join(f"'^T{i}$'" for i in range(n))
    return lambda text: text.replace("  header_row: 2  #", f"  skip_rows: [{listed}]\n  header_row: 2  #", 1)


def many_labels(n: int):
    """``n`` labels under values.opleidingsniveau.map beside its patterns."""
    listed = ", ".join(f"'label {i}': laag" for i in range(n))
    return lambda text: text.replace("  opleidingsniveau:\n", f"  opleidingsniveau:\n    map: {{{listed}}}\n", 1)


def long_labels(column: str, row: int, length: int) -> str:
    """The shipped DWSRA interview counts with data row ``row`` (1-based) of ``column`` grown to
    ``length`` characters by words appended to its label."""
    rows = list(csv.reader(io.StringIO((ROOT / "data" / "raw" / "dwsra_interview_counts.csv")
                                       .read_text(encoding="utf-8"))))
    i = rows[0].index(column)
    rows[row][i] = (rows[row][i] + " en ondersteuning bij het vinden van nieuw werk" * 3)[:length].rstrip()
    rows[row][i] += "x" * (length - len(rows[row][i]))
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def main() -> None:
    for name, alias in COPIES.items():
        (HOSTILE / "files" / name).write_text(copied_row(alias), encoding="utf-8")
    export_case("r15_exp_id_letter_o", cell("De Vries (gemeente)", "A3", "SYNO001"))
    # newpilot2 F14: SYN0001 (in work on 16 April 2021) without a contract: not recorded
    export_case("r15_exp_worker_contract_empty", cell("Jansen (UWV)", "M3", None))
    # hostile round 14, H16: lists without a bound (20,000 skip_rows patterns: 95 s per load)
    export_case("r15_exp_skip_rows_101", mapping_edit=many_skip_rows(101))
    export_case("r15_exp_skip_rows_100_ok", mapping_edit=many_skip_rows(100))
    export_case("r15_exp_map_2001_labels", mapping_edit=many_labels(2001))
    # hostile round 14, H10: a label too long for the figure beside its bar
    (HOSTILE / "files" / "r15_interviews_label_61.csv").write_text(long_labels("label_en", 3, 61), encoding="utf-8")
    (HOSTILE / "files" / "r15_interviews_label_60_ok.csv").write_text(long_labels("label_nl", 3, 60),
                                                                        encoding="utf-8")


if __name__ == "__main__":
    main()
