"""The CSV and XLSX downloads in the file's language, written as the page writes them (review 10:
the _nl and _en files were the same bytes, with snake_case headers, counts as 7.0, shares with 17
digits, booleans as False and model terms as const)."""

import io
import re

import numpy as np
import pandas as pd
import pytest

from analysis import paths
from analysis.pipeline.export import ReportOutputs
from analysis.pipeline.provenance import Provenance
from analysis.presentation.downloads import for_download, from_download
from analysis.presentation.labels import LABELS
from tests.read_download import read_counts

FRAME = pd.DataFrame(
    {"status": ["reproduced", "differs", "reproduced"], "n_projects": [7.0, 23.0, np.nan],
     "pct": [14.893617021276595, 3.3333333, np.nan], "gelijk": [True, False, "x"],
     "coef": [0.123456, 1.0, 2.5], "term": ["const", "opleiding[hoog]", "triage[1]"]},
    index=pd.Index(["tabel_3_2", "tabel_3_3", "tabel_3_4"], name="table"))


def test_a_download_is_in_its_language_with_counts_whole_and_shares_as_the_page_rounds_them():
    nl = for_download(FRAME, "nl").to_csv(lineterminator="\n")
    en = for_download(FRAME, "en").to_csv(lineterminator="\n")
    head_nl, first_nl = nl.splitlines()[:2]
    head_en, first_en = en.splitlines()[:2]
    assert head_nl.startswith("Tabel,Status,Aantal projecten,% van totaal,Gelijk,")
    assert head_en.startswith("Table,Status,Number of projects,% of total,Equal,")
    assert ",gereproduceerd,7,14.9,ja,0.123456,intercept," in first_nl  # 7.0 -> 7, 14.89... -> 14.9
    assert ",reproduced,7,14.9,yes,0.123456,intercept," in first_en
    assert nl != en
    for text in (nl, en):
        shown = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
        words = shown.drop(columns=[c for c in shown.columns if c.endswith("(code)")]).to_csv(index=False)
        for noise in ("7.0", "23.0", "False", "True", "const", "14.89", "n_projects", "pct"):
            assert noise not in words, noise
    assert "opleidingsniveau hoog" in nl and "education level high" in en


def test_codes_stay_in_a_column_of_their_own_and_a_program_reads_them_back():
    for lang in ("nl", "en"):
        text = for_download(FRAME, lang).to_csv()
        back = from_download(pd.read_csv(io.StringIO(text), index_col=0), lang,
                             ("table", "status", "gelijk", "term", "n_projects"))
        assert list(back["status"]) == ["reproduced", "differs", "reproduced"]
        assert list(back["term"]) == ["const", "opleiding[hoog]", "triage[1]"]
        assert list(back["gelijk"]) == [True, False, "x"]
        assert list(back["n_projects"][:2]) == [7, 23]


def test_the_files_a_run_writes_are_in_its_language(tmp_path):
    written = {}
    for lang in ("nl", "en"):
        out = ReportOutputs(tmp_path / lang, Provenance("nb.ipynb", {"language": lang}))
        written[lang] = out.table(FRAME, f"t_{lang}").read_bytes()
        sheet = pd.read_excel(tmp_path / lang / "tables" / f"t_{lang}.xlsx", sheet_name="tabel")
        assert sheet.columns[2] == {"nl": "Aantal projecten", "en": "Number of projects"}[lang]
        assert list(sheet.iloc[:2, 2]) == [7, 23]
    assert written["nl"] != written["en"]
    assert b"7.0" not in written["nl"] and b"False" not in written["en"]


TABLES = paths.REPORTS / "tables"
# the headers of shares (the catalogue's percentages), which the page writes with one decimal: 60,0
SHARES = {text for code, pair in LABELS.items() if "pct" in code or "share" in code for text in pair}


@pytest.mark.skipif(not list(TABLES.glob("*_nl*.csv")), reason="needs reports/tables (make report)")
def test_no_published_download_is_the_same_file_in_both_languages_or_writes_a_count_as_a_fraction():
    same, fractions = [], []
    for nl in sorted(TABLES.glob("*_nl*.csv")):
        en = nl.with_name(nl.name.replace("_nl", "_en", 1))
        if not en.is_file():
            continue
        if nl.read_bytes() == en.read_bytes():
            same.append(nl.name)
        for path in (nl, en):
            table = pd.read_csv(path, dtype=str, keep_default_na=False)
            for column in (c for c in table.columns if c not in SHARES):  # a share of 69.0% is as the page has it
                values = [v for v in table[column] if v]
                if values and all(re.fullmatch(r"-?\d+\.0", v) for v in values):
                    fractions.append(f"{path.name}: {column}")
    assert not same, same
    assert not fractions, fractions[:10]


# persons by education (rows) and age band (columns), withheld cells NA, as the release hands a table over
COUNTS = pd.DataFrame({"t/m 35": [5, np.nan, 7], "56+": [np.nan, 4, 9], "totaal": [9, 7, 16]},
                      index=pd.Index(["laag", "middelbaar", "totaal"], name="opleidingsniveau"), dtype="Int64")


def test_a_table_of_person_counts_is_written_in_its_language_and_read_back_by_code(tmp_path):
    """Review 11: the person-count downloads (pilot_figuur_*) were codes in both languages."""
    written = {}
    for lang in ("nl", "en"):
        out = ReportOutputs(tmp_path / lang, Provenance("nb.ipynb", {"language": lang}), min_cell_count=3)
        path = out.table(COUNTS, f"counts_{lang}", person_counts=True)
        written[lang] = pd.read_csv(path, dtype=str, keep_default_na=False)
        back = read_counts(path, codes=("totaal",))
        assert back.index.tolist() == ["laag", "middelbaar", "totaal"]
        assert back.columns.tolist() == ["t/m 35", "56+", "totaal"]
        assert back.to_numpy().tolist() == [["5", "x", "9"], ["x", "4", "7"], ["7", "9", "16"]]
        sheet = pd.read_excel(tmp_path / lang / "tables" / f"counts_{lang}.xlsx", sheet_name="tabel", dtype=str)
        assert sheet.iloc[1, 1] == "x" and sheet.columns[-1].endswith("(code)")
    assert written["nl"].columns.tolist() == ["Opleidingsniveau", "T/m 35 jaar", "56 jaar en ouder", "Totaal",
                                              "Opleidingsniveau (code)"]
    assert written["en"].columns.tolist() == ["Education level", "35 or younger", "56 and older", "Total",
                                              "Education level (code)"]
    assert written["en"].iloc[:, 0].tolist() == ["Low", "Intermediate", "Total"]


def test_numbers_among_missing_values_are_written_as_numbers():
    frame = pd.DataFrame({"p_holm": [None, 1.0, 1.0], "n": [None, 12, 30]}, dtype=object)
    text = for_download(frame, "en").to_csv(index=False, lineterminator="\n")
    assert text.splitlines()[1:] == [",", "1,12", "1,30"]


def test_a_proportion_keeps_its_digits_and_a_percentage_gets_the_page_s_one_decimal():
    frame = pd.DataFrame({"report_share": [0.64, 0.7], "pct": [63.636, 70.0]})
    assert for_download(frame, "nl").to_csv(index=False, lineterminator="\n").splitlines()[1:] == \
        ["0.64,63.6", "0.7,70.0"]
