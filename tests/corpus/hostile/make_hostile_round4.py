"""Regenerate the fourth round of the hostile-input corpus (issue 28, the classes still open):
texts that some programs write for a missing value (``NA``, ``#N/A``, ``NULL``, ``None``,
``nan``, ``-``), Excel date numbers in date columns, UTF-16 and UTF-32 text without a
byte-order mark, columns with data but no header, escape codes and invisible characters in
cells, on the participant, status history and export routes.

    python tests/corpus/hostile/make_hostile_round4.py

Every file is named ``r4_*``. Each is the shipped synthetic file with one edit made here;
``expected.yml`` gives each case's expected outcome, written by hand from the edit (the Excel
date numbers are computed here with ``datetime`` from the date they stand for, and the
expectation names that date as the synthetic file writes it).
"""

import shutil
import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from make_hostile import HERE, HISTORY, SOURCE, edited, participant_rows, write_csv, write_xlsx  # noqa: E402
from make_hostile_round3 import cell, export_case  # noqa: E402


def number_cell(sheet: str, ref: str, value: int):
    """A number in a cell formatted as a number (General), as a program writes a date it
    does not know is one; openpyxl would keep the cell's date format otherwise."""
    def edit(book):
        book[sheet][ref] = value
        book[sheet][ref].number_format = "General"
    return edit

EXCEL_DAY_ZERO = date(1899, 12, 30)


def serial(day: date) -> int:
    """The number Excel stores for ``day`` (1900 date system)."""
    return (day - EXCEL_DAY_ZERO).days


def missing_texts(out: Path, base: list[list[str]]) -> None:
    write_csv(out / "r4_na_text.csv", edited(base, 2, "uitstroomdatum", "NA"))
    write_csv(out / "r4_hash_na.csv", edited(base, 3, "leeftijd", "#N/A"))
    write_csv(out / "r4_null_text.csv", edited(base, 1, "sector_nieuw", "NULL"))
    write_csv(out / "r4_none_text.csv", edited(base, 4, "functie", "None"))
    write_csv(out / "r4_nan_text.csv", edited(base, 5, "dienstjaren", "nan"))
    write_csv(out / "r4_dash.csv", edited(base, 1, "contract_nieuw", "-"))
    write_csv(out / "r4_dutch_error_text.csv", edited(base, 6, "leeftijd", "#N/B"))
    write_csv(out / "r4_na_in_yes_no.csv", edited(base, 2, "dv_coaching", "n/a"))
    write_xlsx(out / "r4_na_text.xlsx", [dict(name="deelnemers", rows=edited(base, 2, "uitstroomdatum", "N/A"))])


def excel_dates(out: Path, base: list[list[str]]) -> None:
    first_inflow = date(2020, 9, 12)  # SYN0001's instroomdatum in the synthetic file
    write_csv(out / "r4_excel_serial.csv", edited(base, 1, "instroomdatum", str(serial(first_inflow))))
    write_csv(out / "r4_excel_serial_time.csv", edited(base, 1, "instroomdatum", f"{serial(first_inflow)}.5"))
    write_csv(out / "r4_excel_serial_comma.csv", edited(base, 1, "instroomdatum", f"{serial(first_inflow)},25"))
    rows = edited(base, 1, "instroomdatum", serial(first_inflow))  # a number cell, not a date cell
    write_xlsx(out / "r4_excel_serial.xlsx", [dict(name="deelnemers", rows=rows)])
    history = participant_history()
    history[2][1] = str(serial(date(2020, 10, 26)))  # SYN0001's second status
    write_csv(out / "r4_hist_excel_serial.csv", history)
    history = participant_history()
    history[3][1] = "NULL"
    write_csv(out / "r4_hist_null_date.csv", history)


def participant_history() -> list[list[str]]:
    import csv

    with open(HISTORY, encoding="utf-8", newline="") as fh:
        return [list(r) for r in csv.reader(fh)]


def encodings(out: Path) -> None:
    text = SOURCE.read_text(encoding="utf-8")
    (out / "r4_utf16le_no_bom.csv").write_bytes(text.encode("utf-16-le"))
    (out / "r4_utf16be_no_bom.csv").write_bytes(text.encode("utf-16-be"))
    (out / "r4_utf32le_no_bom.csv").write_bytes(text.encode("utf-32-le"))
    (out / "r4_utf32be_no_bom.csv").write_bytes(text.encode("utf-32-be"))
    (out / "r4_utf32_bom_ok.csv").write_bytes(b"\xff\xfe\x00\x00" + text.encode("utf-32-le"))


def with_column(rows: list[list], at: int, header, values: dict[int, str]) -> list[list]:
    """``rows`` with a column inserted at ``at`` (0-based): ``header`` and, per data row
    (1-based), a value (empty elsewhere)."""
    out = [list(r) for r in rows]
    for i, r in enumerate(out):
        r.insert(at, header if i == 0 else values.get(i, ""))
    return out


def headers(out: Path, base: list[list[str]]) -> None:
    write_csv(out / "r4_header_blank_with_data.csv", with_column(base, 5, "", {3: "zie dossier"}))
    write_xlsx(out / "r4_header_blank_with_data.xlsx",
               [dict(name="deelnemers", rows=with_column(base, 5, None, {3: "zie dossier"}))])
    write_csv(out / "r4_header_blank_empty_ok.csv", with_column(base, 5, "", {}))


def invisible(out: Path, base: list[list[str]]) -> None:
    write_csv(out / "r4_escape_code_in_label.csv", edited(base, 2, "functie", "\x1b[2Jkok"))
    write_csv(out / "r4_bell_in_label.csv", edited(base, 3, "functie", "kok\x07"))
    write_csv(out / "r4_bidi_override_in_id.csv", edited(base, 4, "deelnemer_id", "SYN\u202e0004"))
    write_csv(out / "r4_osc_link_in_label.csv",
              edited(base, 5, "functie", "\x1b]8;;https://example.org\x1b\\kok\x1b]8;;\x1b\\"))


def lines_and_headers(out: Path, base: list[list[str]]) -> None:
    rows = edited(edited(base, 2, "functie", "kok\nsouschef"), 5, "leeftijd", "abc")  # a quoted line break above
    write_csv(out / "r4_quoted_line_break_above.csv", rows)
    with_blank = edited(base, 4, "leeftijd", "abc")
    write_csv(out / "r4_blank_line_above.csv", with_blank)
    text = (out / "r4_blank_line_above.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (out / "r4_blank_line_above.csv").write_text("".join(text[:2] + ["\n"] + text[2:]), encoding="utf-8")
    header = list(base[0])
    header[header.index("leeftijd")] = "\x1b[31mleeftijd"
    write_csv(out / "r4_escape_code_in_header.csv", [header, *base[1:]])
    (out / "r4_double_bom.csv").write_bytes(b"\xef\xbb\xbf" * 2 + SOURCE.read_bytes())
    write_csv(out / "r4_date_with_zone.csv", edited(base, 1, "instroomdatum", "2020-09-12T00:00:00Z"))


def exports() -> None:
    export_case("r4_exp_na_text", cell("Jansen (UWV)", "F3", "#N/A"))  # openpyxl writes it as an error cell
    export_case("r4_exp_na_word", cell("Jansen (UWV)", "F3", "n.v.t."))
    export_case("r4_exp_note_without_header", cell("Bakker (gemeente)", "U4", "zie dossier"))  # column 21, no header
    export_case("r4_exp_null_text", cell("Jansen (UWV)", "H3", "NULL"))
    export_case("r4_exp_dash_date", cell("De Vries (gemeente)", "D3", "-"))
    export_case("r4_exp_excel_serial", number_cell("De Vries (gemeente)", "C3", serial(date(2020, 10, 13))))
    export_case("r4_exp_bidi_label", cell("Jansen (UWV)", "I3", "\u202eKok"))
    export_case("r4_exp_history_serial", number_cell("Statushistorie", "B3", serial(date(2020, 10, 26))))
    export_case("r4_exp_date_formatted_number_ok", cell("Statushistorie", "B3", serial(date(2020, 10, 26))))


CONFIGS = {  # --config files for the test notebook 'p'
    "r4_suffix_escape_code.yml": 'runs:\n  p:\n    - {suffix: "\\e[2Jx", parameters: {language: en}}\n',
    "r4_inf_power_sims.yml": "runs:\n  p:\n    - parameters: {power_sims: .inf}\n",
    "r4_negative_threshold.yml": "runs:\n  p:\n    - parameters: {min_cell_count: -1}\n",
    "r4_power_ns_too_small.yml": "runs:\n  p:\n    - parameters: {power_ns: [30, 1]}\n",
    "r4_cutoff_with_zone.yml": "runs:\n  p:\n    - parameters: {cutoff_date: 2021-04-01T00:00:00Z}\n",
    "r4_language_escape_code.yml": 'runs:\n  p:\n    - parameters: {language: "\\e]0;owned\\a"}\n',
}


def configs() -> None:
    for name, text in CONFIGS.items():
        (HERE / "config" / name).write_text(text, encoding="utf-8")


def main() -> None:
    out = HERE / "files"
    base = participant_rows()
    for old in list(out.glob("r4_*")) + list((HERE / "exports").glob("r4_*")) + list((HERE / "config").glob("r4_*")):
        shutil.rmtree(old) if old.is_dir() else old.unlink()
    missing_texts(out, base)
    excel_dates(out, base)
    encodings(out)
    headers(out, base)
    invisible(out, base)
    lines_and_headers(out, base)
    exports()
    configs()


if __name__ == "__main__":
    main()
