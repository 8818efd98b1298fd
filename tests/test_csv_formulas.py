"""Text in a published CSV is never a formula to a spreadsheet (issue 28; hostile round 12: a
study file's labels `=HYPERLINK(...)`, `@SUM(...)`, `+cmd|...` reached the CSV unchanged, while
the XLSX stored them as text). OWASP's advice: a leading `'` on a cell that starts with `=`,
`+`, `-`, `@`, a tab or a carriage return; plain numbers are left alone."""

from __future__ import annotations

import csv

import pandas as pd

from analysis.pipeline.export import write_csv

FORMULAS = ['=HYPERLINK("https://e.example","x")', "@SUM(A1:A2)", "+cmd|' /C calc'!A0", "-2+3 zorg", "\t=1+1",
            "\r=1+1"]


def test_formula_like_text_is_quoted_everywhere_in_a_csv(tmp_path):
    frame = pd.DataFrame({"label": FORMULAS, "n": range(6), "share": [-0.5] * 6,
                          "kind": pd.Categorical(["=x"] * 6), "as_text": ["-1.5", "+2", "3e5", "laag", "", "x"]},
                         index=pd.Index([f"={i}" for i in range(6)], name="@where"))
    write_csv(frame, tmp_path / "t.csv")
    with open(tmp_path / "t.csv", newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    cells = [cell for row in rows for cell in row]
    numbers = {"-0.5", "-1.5", "+2"}
    dangerous = [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r") and c not in numbers]
    assert dangerous == [], dangerous  # an independent reading: no cell a spreadsheet would evaluate
    assert rows[0][0] == "'@where" and rows[1][0] == "'=0" and len(rows) == 7  # a header and six rows
    assert [r[1] for r in rows[1:]] == ["'" + f for f in FORMULAS[:-1]] + ["'\n=1+1"]  # a line break: quoted too
    assert [r[5] for r in rows[1:]] == ["-1.5", "+2", "3e5", "laag", "", "x"]  # numbers as text stay numbers


def test_a_table_without_text_is_written_as_before(tmp_path):
    frame = pd.DataFrame({"n": [1, -2], "x": [0.25, -1e-9]})
    write_csv(frame, tmp_path / "t.csv")
    assert (tmp_path / "t.csv").read_text(encoding="utf-8") == "\ufeff" + frame.to_csv(lineterminator="\n")
