"""Hostile inputs, round nine (H34h, issue 28, the classes left open after round 8): values
quoted in messages that hold a look-alike character (Cyrillic, Greek or full-width letters
and digits, an accent written apart from its letter, a right-to-left override, a zero-width
joiner, a backslash that reads like an escape); files with problems of several kinds, all of
which one message must list (a header problem beside cell problems, rows with a separator too
many beside cell problems); a configuration listing more runs than a configuration may; an
export whose sheet name or label holds a look-alike. Each file is the synthetic participant
file (or history, export, a minimal configuration) with the edit named in its ``expected.yml``
comment; the expected outcomes are written by hand from these edits. Run from the project
folder: ``.venv/bin/python tests/corpus/hostile/make_hostile_round9.py``."""

from __future__ import annotations

import sys
from pathlib import Path

HOSTILE = Path(__file__).resolve().parent
sys.path.insert(0, str(HOSTILE))
from make_hostile_round3 import export_case  # noqa: E402
from make_hostile_round5 import BASE, FILES, csv  # noqa: E402

ROOT = HOSTILE.parents[2]
HISTORY = ROOT / "data" / "raw" / "pilot_status_history_synthetic.csv"
CONFIG = HOSTILE / "config"
# data row 1 = line 2 = SYN0001: leeftijd 55, opleidingsniveau laag, triage 1, status_20210401 werk_en_scholing


def cell(column: str, value: str, row: int = 0):
    out = BASE.copy()
    out.loc[row, column] = value
    return out


def text_with(lines_edit) -> str:
    lines = BASE.to_csv(index=False, lineterminator="\n").splitlines()
    lines_edit(lines)
    return "\n".join(lines) + "\n"


def look_alikes() -> None:
    csv("r9_cyrillic_a_in_level.csv", cell("opleidingsniveau", "l\u0430ag"))  # Cyrillic а
    csv("r9_backslash_text_in_level.csv", cell("opleidingsniveau", "l\\u0430ag"))  # the six characters \u0430
    csv("r9_fullwidth_digit_in_age.csv", cell("leeftijd", "\uff155"))  # full-width 5 then 5
    csv("r9_combining_accent_in_level.csv", cell("opleidingsniveau", "hoog\u0301"))  # a lone accent after g
    csv("r9_zero_width_joiner_in_status.csv", cell("status_20210401", "werk_en_scholing\u200d"))
    csv("r9_rlo_in_gender.csv", cell("geslacht", "\u202ewuorv"))  # shows as 'vrouw' in a bidi terminal
    csv("r9_greek_omicron_in_header.csv", BASE.rename(columns={"opleidingsniveau": "\u03bfpleidingsniveau"}))
    csv("r9_dotless_i_in_id.csv", cell("deelnemer_id", "SYN00\u01310"))  # dotless ı: not an id character
    # an accented Latin letter is no look-alike: shown as written
    csv("r9_accented_level.csv", cell("opleidingsniveau", "middélbaar"))


def several_problems() -> None:
    csv("r9_missing_column_and_bad_age.csv", cell("leeftijd", "vijftig").drop(columns=["geinterviewd"]))
    csv("r9_unknown_column_and_bad_date.csv", cell("instroomdatum", "2020-02-31").assign(bsn="1"))
    csv("r9_two_header_problems_and_a_cell.csv",
        cell("leeftijd", "oud", 8).drop(columns=["triage"]).assign(extra=""))

    def ragged(lines):
        lines[3] += ",te veel"  # data row 3 (line 4): 34 fields
        lines[1] = lines[1].replace(",55,", ",vijftig,", 1)  # data row 1: leeftijd
    (FILES / "r9_ragged_row_and_bad_age.csv").write_text(text_with(ragged), encoding="utf-8")

    def two_ragged(lines):
        lines[5] += ",x"  # data row 5
        lines[9] = ",".join(lines[9].split(",")[:-1])  # data row 9: one field short
    (FILES / "r9_two_ragged_rows.csv").write_text(text_with(two_ragged), encoding="utf-8")

    history = HISTORY.read_text(encoding="utf-8").splitlines()
    history[2] += ",extra"  # data row 2 (line 3)
    history[3] = history[3].replace("2020-10-13", "2020-13-10")  # data row 3 (line 4): month 13
    (FILES / "r9_hist_ragged_and_bad_date.csv").write_text("\n".join(history) + "\n", encoding="utf-8")


def configs() -> None:
    one = "    - suffix: \"s{i}\"\n"
    (CONFIG / "r9_201_runs.yml").write_text("runs:\n  p:\n" + "".join(one.format(i=i) for i in range(201)),
                                            encoding="utf-8")
    (CONFIG / "r9_runs_by_alias.yml").write_text(  # 1 + 99 aliases + 101 = 201 runs, within the alias limit
        "runs:\n  p:\n    - &run {}\n" + "    - *run\n" * 99 + "    - {}\n" * 101, encoding="utf-8")
    (CONFIG / "r9_three_runs_broken.yml").write_text(  # each run breaks a rule: all three are listed
        "runs:\n  p:\n    - suffix: \"a b\"\n    - parameters: [1]\n    - {s\u0443ffix: x}\n", encoding="utf-8")
    (CONFIG / "r9_notebook_name_cyrillic.yml").write_text("runs:\n  \u0440:\n    - {}\n", encoding="utf-8")  # р
    (CONFIG / "r9_parameter_fullwidth_name.yml").write_text(
        "runs:\n  p:\n    - parameters: {min_cell_\uff43ount: 12}\n", encoding="utf-8")  # full-width c


def exports() -> None:
    export_case("r9_exp_sheet_name_cyrillic",
                mapping_edit=lambda text: text.replace('"Jansen (UWV)":', '"J\u0430nsen (UWV)":', 1))
    def zero_width_label(book):
        book["Jansen (UWV)"]["B3"] = "Werkgever\u200b B"  # SYN0001's employer, a zero-width space inside
    export_case("r9_exp_label_zero_width", zero_width_label)

    def cyrillic_label(book):
        book["Jansen (UWV)"]["B3"] = "Werkgever \u0412"  # Cyrillic В: reads as 'Werkgever B', which is mapped
    export_case("r9_exp_label_cyrillic", cyrillic_label)


def main() -> None:
    look_alikes()
    several_problems()
    configs()
    exports()


if __name__ == "__main__":
    main()
