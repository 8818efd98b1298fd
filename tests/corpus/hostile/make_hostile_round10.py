"""Hostile inputs, round ten (session 10's hostile tester, issue 28): a number of thousands of
digits in a run configuration, a study file and an export's mapping (Python reads at most
4,300 digits into an int and raised a ValueError of its own: a traceback), and a run
configuration whose key is a near miss of ``parameters``. Each file is a shipped file with the
edit named in its ``expected.yml`` comment; the expected outcomes are written by hand from
these edits. Run from the project folder: ``.venv/bin/python tests/corpus/hostile/make_hostile_round10.py``."""

from __future__ import annotations

import sys
from pathlib import Path

HOSTILE = Path(__file__).resolve().parent
sys.path.insert(0, str(HOSTILE))
from make_hostile_round3 import export_case  # noqa: E402

ROOT = HOSTILE.parents[2]
DIGITS = "9" * 5000


def main() -> None:
    (HOSTILE / "config" / "r10_int_5000_digits.yml").write_text(
        f"runs:\n  p:\n    - parameters: {{value: {DIGITS}}}\n", encoding="utf-8")
    (HOSTILE / "config" / "r10_float_5000_digits.yml").write_text(
        f"runs:\n  p:\n    - parameters: {{value: 0.{DIGITS}}}\n", encoding="utf-8")
    (HOSTILE / "config" / "r10_parameters_misspelt.yml").write_text(
        "runs:\n  p:\n    - paramters: {value: 3}\n", encoding="utf-8")
    study = (ROOT / "studies" / "schoonmaak_twente_2023.yml").read_text(encoding="utf-8")
    assert "\n  n: 64\n" in study
    study = study.replace("\n  n: 64\n", f"\n  n: {DIGITS}\n")
    (HOSTILE / "studies" / "r10_int_5000_digits.yml").write_text(
        study.replace("id: schoonmaak_twente_2023", "id: r10_int_5000_digits"), encoding="utf-8")
    export_case("r10_header_row_5000_digits",
                mapping_edit=lambda text: text.replace("header_row: 2", f"header_row: {DIGITS}"))


if __name__ == "__main__":
    main()
