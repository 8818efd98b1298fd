"""Hostile inputs, round eight (H33h, hostile tester 12, issue 28): number formats that show
another value than the cell holds (literal text, conditions, digits beside the number, a
percentage, a thousands scale, a text section without ``@``); a sheet's XML that Excel calls
damaged (a shared-string index -1 or past the table, a row or cell written twice, rows out of
order, NaN and infinity in number cells, a chart sheet first); dates in non-ASCII digits; YAML
1.1 numbers behind an explicit tag; a run configuration's parameter no notebook declares;
``power_ns`` longer than its documented bound; patterns with a choice inside a bounded repeat
or a chain of bounded wildcards; damaged release-ledger records. Each file is the synthetic
participant file (or export, or a minimal configuration) with one edit; its expected outcome
is written by hand in ``expected.yml`` from that edit. Run from the project folder:
``.venv/bin/python tests/corpus/hostile/make_hostile_round8.py``."""

from __future__ import annotations

import io
import json
import re
import sys
from pathlib import Path

import openpyxl

HOSTILE = Path(__file__).resolve().parent
sys.path.insert(0, str(HOSTILE))
from make_hostile_round5 import BASE, FILES, csv, patched, workbook_bytes  # noqa: E402
from make_hostile_round6 import number_format, styled  # noqa: E402

ROOT = HOSTILE.parents[2]
HISTORY = ROOT / "data" / "raw" / "pilot_status_history_synthetic.csv"
# data row 1 is spreadsheet row 2 (SYN0001): A deelnemer_id, H leeftijd 55, J dienstjaren 34.0, K functie
# 'locatiemanager', N triage 1


def value_format(ref: str, value, code: str):
    """``value`` (a number) in cell ``ref`` with number format ``code``."""
    def edit(sheet):
        sheet[ref].value = value
        sheet[ref].number_format = code
    return edit


def formats() -> None:
    styled("r8_fmt_literal_only.xlsx", number_format("H2", '"40"'))  # shows 40 for 55
    styled("r8_fmt_condition_equals.xlsx", number_format("N2", '[=1]"3";[=2]"2";0'))  # triage 1 shown as 3
    styled("r8_fmt_condition_less.xlsx", number_format("H2", '[<100]"onbekend";0'))
    styled("r8_fmt_percent_builtin.xlsx", value_format("J2", 0.34, "0%"))  # Excel's built-in format 9
    styled("r8_fmt_percent_custom.xlsx", value_format("J2", 0.34, "0.0%"))
    styled("r8_fmt_literal_digit.xlsx", number_format("H2", '"1"0'))  # 55 shown as 155
    styled("r8_fmt_thousands_scale.xlsx", value_format("H2", 55000, "#,##0,"))  # 55000 shown as 55
    styled("r8_fmt_text_section_literal.xlsx", number_format("K2", '0;-0;0;"kok"'))  # 'locatiemanager' as kok
    styled("r8_ok_fmt_unit.xlsx", number_format("H2", '0" jaar"'))  # 55 jaar: the value, with a unit
    styled("r8_ok_fmt_decimals.xlsx", value_format("J2", 34.0, "0.0"))
    styled("r8_ok_fmt_thousands_separator.xlsx", number_format("H2", "#,##0"))


def _cell(xml: bytes, ref: str) -> bytes:
    found = re.search(rb'<c r="' + ref.encode() + rb'"[^>]*>.*?</c>', xml)
    assert found, f"cell {ref} not found: the synthetic workbook changed"
    return found.group(0)


def _row(xml: bytes, r: int) -> bytes:
    found = re.search(rb'<row r="' + str(r).encode() + rb'"[^>]*>.*?</row>', xml)
    assert found, f"row {r} not found"
    return found.group(0)


def with_shared_strings(raw: bytes, index: str) -> bytes:
    """The workbook with a shared-string table (SYN0001, SYN0031) and cell A2 a shared string
    of index ``index`` (the synthetic workbook writes inline strings only)."""
    import zipfile

    from make_hostile_round5 import STAMP

    from analysis.files import fixed_zip_bytes

    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    table = (f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{main}" count="2" uniqueCount="2">'
             "<si><t>SYN0001</t></si><si><t>SYN0031</t></si></sst>").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(_cell(data, "A2"), b'<c r="A2" t="s"><v>' + index.encode() + b"</v></c>", 1)
            elif item.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdS" Type="http://schemas.openxmlformats'
                                    b'.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"'
                                    b"/></Relationships>")
            elif item.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                                    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
            dst.writestr(item, data)
        dst.writestr(zipfile.ZipInfo("xl/sharedStrings.xml", (2021, 4, 16, 0, 0, 0)), table)
    return fixed_zip_bytes(out.getvalue(), STAMP)


def structure() -> None:
    raw = workbook_bytes(BASE)

    def write(name, edit):
        (FILES / name).write_bytes(patched(raw, edit))

    # A2 (SYN0001) as shared string 0 of a table of two, SYN0001 and SYN0031; then its index changed
    (FILES / "r8_shared_string_minus_one.xlsx").write_bytes(with_shared_strings(raw, "-1"))  # read as SYN0031
    (FILES / "r8_shared_string_past_table.xlsx").write_bytes(with_shared_strings(raw, "99999"))
    (FILES / "r8_ok_shared_string.xlsx").write_bytes(with_shared_strings(raw, "0"))

    def row_twice(xml):  # row 3 again after itself, its id now a new person's (the copy openpyxl dropped)
        row = _row(xml, 3)
        return xml.replace(row, row + row.replace(_cell(row, "C3"), b'<c r="C3" t="inlineStr"><is><t>Nieuw</t>'
                                                  b"</is></c>"), 1)
    write("r8_row_twice.xlsx", row_twice)

    def swapped(xml):  # rows 3 and 5 in the order 2, 5, 4, 3, 6
        three, five = _row(xml, 3), _row(xml, 5)
        return xml.replace(three, b"\x00").replace(five, three).replace(b"\x00", five)
    write("r8_rows_out_of_order.xlsx", swapped)

    def cell_twice(xml):  # H2 written twice: 55, then 40 (openpyxl kept the last)
        old = _cell(xml, "H2")
        return xml.replace(old, old + b'<c r="H2"><v>40</v></c>', 1)
    write("r8_cell_twice.xlsx", cell_twice)

    def number(text: bytes):
        def edit(xml):
            return xml.replace(_cell(xml, "H2"), b'<c r="H2"><v>' + text + b"</v></c>", 1)
        return edit
    write("r8_number_nan.xlsx", number(b"NaN"))
    write("r8_number_infinity.xlsx", number(b"1e999"))

    wide = BASE.copy()
    wide = wide.join(BASE[["deelnemer_id"]].rename(columns={"deelnemer_id": "x"}).assign(**{
        f"extra_{i}": "x" for i in range(1_100)}).drop(columns="x"))  # 1,133 filled cells in every row
    (FILES / "r8_rows_of_1133_cells.xlsx").write_bytes(workbook_bytes(wide))

    book = openpyxl.load_workbook(io.BytesIO(raw))
    book.create_chartsheet("grafiek", 0)
    out = io.BytesIO()
    book.save(out)
    (FILES / "r8_chartsheet_first.xlsx").write_bytes(patched(out.getvalue(), lambda xml: xml))


FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def dates() -> None:
    out = BASE.copy()
    out.loc[0, "instroomdatum"] = out.loc[0, "instroomdatum"].translate(FULL_WIDTH)  # 2020-09-12
    csv("r8_date_full_width_digits.csv", out)
    out = BASE.copy()
    out.loc[1, "startdatum"] = "27-10-2020".translate(ARABIC_INDIC)  # SYN0002's 2020-10-27, day first
    csv("r8_date_arabic_indic_day_first.csv", out)
    out = BASE.copy()
    out.loc[0, "instroomdatum"] = out.loc[0, "instroomdatum"].translate(FULL_WIDTH)
    (FILES / "r8_date_full_width_digits_text_cell.xlsx").write_bytes(workbook_bytes(out))  # a text cell
    lines = HISTORY.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    at = header.index("datum")
    first = lines[1].split(",")
    first[at] = first[at].translate(ARABIC_INDIC)
    lines[1] = ",".join(first)
    (FILES / "r8_hist_date_arabic_indic.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def configs() -> None:
    out = HOSTILE / "config"
    texts = {
        "r8_tag_int_binary.yml": "runs:\n  p:\n    - parameters: {min_cell_count: !!int 0b1010}\n",
        "r8_tag_float_nan.yml": "runs:\n  p:\n    - parameters: {min_cell_count: !!float .nan}\n",
        "r8_tag_int_sexagesimal.yml": "runs:\n  p:\n    - parameters: {power_sims: !!int '1:30'}\n",
        "r8_ok_tag_int_plain.yml": "runs:\n  p:\n    - parameters: {min_cell_count: !!int 12}\n",
        "r8_undeclared_parameter.yml": "runs:\n  p:\n    - parameters: {min_cel_count: 1}\n",
        "r8_undeclared_cyrillic_letter.yml": "runs:\n  p:\n    - parameters: {min_cell_c\u043eunt: 1}\n",
        "r8_power_ns_13_items.yml": ("runs:\n  p:\n    - parameters: {power_ns: ["
                                     + ", ".join(str(n) for n in range(30, 43)) + "]}\n"),
        "r8_ok_power_ns_12_items.yml": ("runs:\n  p:\n    - parameters: {power_ns: ["
                                        + ", ".join(str(n) for n in range(30, 42)) + "]}\n"),
    }
    for name, text in texts.items():
        (out / name).write_text(text, encoding="utf-8")


def studies() -> None:
    text = (ROOT / "studies" / "schoonmaak_twente_2023.yml").read_text(encoding="utf-8")
    assert "triage_paths: [1, 2, 3]" in text and "id: schoonmaak_twente_2023" in text, "the study changed"
    text = text.replace("id: schoonmaak_twente_2023", "id: r8_tag_int_triage_path")
    (HOSTILE / "studies" / "r8_tag_int_triage_path.yml").write_text(
        text.replace("triage_paths: [1, 2, 3]", "triage_paths: [!!int 0b1, 2, 3]"), encoding="utf-8")


def exports() -> None:
    from make_hostile_round3 import export_case, extra_pattern

    def header_row(text: str) -> str:
        assert "  header_row: 2" in text, "the shipped mapping changed"
        return text.replace("  header_row: 2", "  header_row: !!int 0b10", 1)

    export_case("r8_exp_header_row_tagged_binary", None, header_row)

    export_case("r8_exp_redos_bounded_choice", None, extra_pattern("(a|a){0,200}$"))
    export_case("r8_exp_redos_bounded_fibonacci", None, extra_pattern("^(a|aa){1,200}$"))
    export_case("r8_exp_redos_bounded_chain", None, extra_pattern(".{0,200}a.{0,200}b.{0,200}c"))
    export_case("r8_exp_ok_short_bounded_repeat", None, extra_pattern("^lbo[ -]{0,2}x$"))


RECORD = {"study": "catering_noordoost_brabant_2021", "inputs": "a" * 64, "notebook": "02_pilot_outcomes",
          "threshold": 10, "cutoffs": ["2021-04-01"], "cells": {"t2_1:werk": 12, "t2_1:zoekend": 18},
          "structure": {}, "people": ["b" * 16], "key_id": "c" * 16}


def ledgers() -> None:
    out = HOSTILE / "ledger"
    out.mkdir(exist_ok=True)
    good = json.dumps(RECORD, sort_keys=True)

    def write(name: str, second: str | bytes) -> None:
        data = second if isinstance(second, bytes) else second.encode("utf-8")
        (out / name).write_bytes(good.encode() + b"\n" + data + b"\n")

    def changed(**fields) -> str:
        return json.dumps({**RECORD, **fields}, sort_keys=True)

    write("r8_ok_two_records.jsonl", changed(cutoffs=["2021-04-16"]))
    write("r8_deep_nesting.jsonl", "[" * 100_000 + "]" * 100_000)
    write("r8_threshold_overflow.jsonl", good.replace('"threshold": 10', '"threshold": 1e999'))
    write("r8_cell_overflow.jsonl", good.replace('"t2_1:werk": 12', '"t2_1:werk": 1e999'))
    write("r8_not_utf8.jsonl", good.encode().replace(b"catering", b"cat\xffring"))
    write("r8_cell_fraction.jsonl", good.replace('"t2_1:werk": 12', '"t2_1:werk": 12.7'))
    write("r8_threshold_true.jsonl", good.replace('"threshold": 10', '"threshold": true'))
    write("r8_cutoffs_text.jsonl", good.replace('"cutoffs": ["2021-04-01"]', '"cutoffs": "2021-04-01"'))
    write("r8_record_is_list.jsonl", json.dumps([RECORD]))


def main() -> None:
    formats()
    structure()
    dates()
    configs()
    studies()
    exports()
    ledgers()


if __name__ == "__main__":
    main()
