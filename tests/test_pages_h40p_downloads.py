"""Downloads a person reads (review 12, items 2-4): no number with the float's representation noise
(16-17 digits), and an XLSX that opens as a table: header frozen, columns as wide as their cells,
counts and one-decimal shares with a number format, and a sheet saying what x means and where the
table comes from. Each test fails on the files written before this change."""

import re

import openpyxl
import pandas as pd
import pytest

from analysis import paths
from analysis.pipeline import xlsx_layout
from analysis.pipeline.export import ReportOutputs
from analysis.pipeline.provenance import Provenance
from analysis.presentation.downloads import for_download, significant

# a register recount as the DWSRA page's Tabel D.1 computes it (review 12 saw this value in a CSV)
FRAME = pd.DataFrame({"n_projects": [7.0, 23.0], "pct": [14.893617021276595, 3.3333333],
                      "gemiddelde": [1.7870537999999998, 0.1 + 0.2], "p": [0.000123456789, 0.5]},
                     index=pd.Index(["a", "b"], name="table"))
NOISE = re.compile(r"\d\.\d{10,}|\d{11,}\.\d")  # more digits than any page shows or a reader needs


@pytest.mark.parametrize(("value", "expected"), [
    (1.7870537999999998, 1.78705), (0.1 + 0.2, 0.3), (0.000123456789, 0.000123457), (-2345.678901, -2345.68),
    (50775212.47, 50775212.0), (123456.789, 123457.0)])
def test_significant_rounds_to_six_significant_digits(value, expected):
    assert significant(value) == expected  # by hand: the first six digits (or the whole part), the next rounds


def test_an_amount_in_euros_keeps_every_euro_and_is_written_whole():
    # review 12 round: six significant digits wrote 50775212.47 as 50775200.0 (a euro amount cut, and '.0')
    text = for_download(pd.DataFrame({"subsidiabele_kosten": [50775212.47, 16271300.2]}), "nl").to_csv()
    assert "50775212\n" in text.replace("\r", "") and "16271300\n" in text.replace("\r", "") and ".0" not in text


def test_a_number_that_is_neither_whole_nor_a_share_has_six_significant_digits_in_the_csv():
    text = for_download(FRAME, "nl").to_csv(lineterminator="\n")
    assert "1.78705," in text and ",0.3," in text and "0.000123457" in text
    assert not NOISE.search(text), text


def test_the_xlsx_freezes_its_header_sizes_its_columns_formats_numbers_and_says_what_x_means(tmp_path):
    for lang, notes, legend in (("nl", "toelichting", "leeg: niet van toepassing"), ("en", "notes", "empty: not")):
        out = ReportOutputs(tmp_path / lang, Provenance("nb.ipynb", {"language": lang}))
        out.table(FRAME, f"t_{lang}")
        book = openpyxl.load_workbook(tmp_path / lang / "tables" / f"t_{lang}.xlsx")
        assert book.sheetnames == ["tabel", notes, "provenance"]
        sheet = book["tabel"]
        assert sheet.freeze_panes == "A2"
        assert sheet["B2"].number_format == "0" and sheet["C2"].number_format == "0.0"
        assert sheet["D2"].number_format == "General"
        assert sheet.column_dimensions["C"].width == max(xlsx_layout.MIN_WIDTH, len(str(sheet["C1"].value)) + 2)
        lines = [row[0] for row in book[notes].iter_rows(values_only=True)]
        assert lines[0].startswith(legend) and "nb.ipynb" in lines[-1] and f"t_{lang}" in lines[-1]
        again = pd.read_excel(tmp_path / lang / "tables" / f"t_{lang}.xlsx", sheet_name="tabel")
        assert list(again.iloc[:, 1]) == [7, 23]  # a program still reads the table from its first row


def test_the_x_legend_stands_in_the_notes_of_a_table_of_person_counts_only():
    for person_counts, first in ((True, "x: niet getoond"), (False, "leeg: niet van toepassing")):
        book = openpyxl.Workbook()
        xlsx_layout.add_notes(book, "nl", "nb.ipynb; t", person_counts)
        assert book.sheetnames[1] == "toelichting" and book["toelichting"]["A1"].value.startswith(first)


def test_the_same_table_gives_the_same_xlsx_bytes(tmp_path):
    for run in ("a", "b"):
        ReportOutputs(tmp_path / run, Provenance("nb.ipynb", {"language": "nl"})).table(FRAME, "t")
    assert (tmp_path / "a/tables/t.xlsx").read_bytes() == (tmp_path / "b/tables/t.xlsx").read_bytes()


@pytest.mark.parametrize("number_format", [None, "0", "0.0"])
def test_number_format_of_a_column(number_format):
    values = {None: [1.23, "tekst"], "0": [7, 23.0], "0.0": [14.9, 3]}[number_format]
    assert xlsx_layout.number_format(values) == number_format


TABLES = paths.REPORTS / "tables"


@pytest.mark.skipif(not TABLES.is_dir(), reason="run make report first")
def test_no_published_csv_has_a_number_with_representation_noise():
    noisy = {p.name: m.group() for p in sorted(TABLES.glob("*.csv"))
             if (m := NOISE.search(p.read_text(encoding="utf-8")))}
    assert not noisy, noisy


@pytest.mark.skipif(not TABLES.is_dir(), reason="run make report first")
def test_every_published_xlsx_has_its_header_frozen_and_its_notes():
    for path in sorted(TABLES.glob("*.xlsx")):
        book = openpyxl.load_workbook(path, read_only=False)
        assert book["tabel"].freeze_panes is not None, path.name
        assert set(book.sheetnames) & {"toelichting", "notes"}, path.name
        if "_en_" in f"{path.stem}_":
            assert "notes" in book.sheetnames, path.name
        if "_nl_" in f"{path.stem}_":
            assert "toelichting" in book.sheetnames, path.name
