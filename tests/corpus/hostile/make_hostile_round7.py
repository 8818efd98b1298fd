"""Hostile inputs, round seven (H32h): text tables stretched wide (a header of tens of
thousands of fields), refused from the header in well under a second (it took minutes: a
quadratic duplicate count and a parser building every column). Each file is the synthetic
participant file with one edit; its expected outcome is written by hand in
``expected.yml``. Run from the project folder:
``.venv/bin/python tests/corpus/hostile/make_hostile_round7.py``."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
FILES = Path(__file__).resolve().parent / "files"


def main() -> None:
    lines = (ROOT / "data" / "raw" / "pilot_participants_synthetic.csv").read_text(encoding="utf-8").splitlines()
    wide = [lines[0] + ",x" * 60_000, *lines[1:]]  # 60,033 header fields (x repeated), rows as they are
    (FILES / "r7_header_60000_fields.csv").write_text("\n".join(wide) + "\n", encoding="utf-8")
    both = [lines[0] + "".join(f",x{i}" for i in range(1_500)), *(line + "," * 1_500 for line in lines[1:])]
    (FILES / "r7_header_and_rows_1533_fields.csv").write_text("\n".join(both) + "\n", encoding="utf-8")
    (FILES / "r7_export_1533_fields.csv").write_text("\n".join(both) + "\n", encoding="utf-8")  # read as an export


if __name__ == "__main__":
    main()
