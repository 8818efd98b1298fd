"""One yes/no vocabulary on every route (H32h, issue 28): a participant CSV, a participant
workbook, an export read through its mapping (a yes/no column with a recode but no rule for
the word) and a mapping's own codes read the same words the same way and refuse the same
others. The expected reading of each word is written here by hand, not taken from the code."""

import warnings

import openpyxl
import pandas as pd
import pytest

from analysis.data.errors import InputError
from analysis.pilot.from_export import load_export
from analysis.pilot.inputs import load_participants
from tests.conftest import ROOT, SYNTHETIC_CSV

YES = ["x", "X", "ja", "Ja", "j", "yes", "Y", "waar", "TRUE", "1"]
NO = ["nee", "NEE", "n", "no", "No", "onwaar", "false", "0"]
NOT_WORDS = ["v", "on", "off", "✓", "jawel"]
EXPORT = ROOT / "data" / "raw" / "pilot_export_synthetic.xlsx"


def _participants(tmp_path, words: list[str], suffix: str):
    """The synthetic file with ``words`` in the first rows' ``ontslagaanzegging``, as ``suffix``
    (one file for every word: a load per word took 2 % of the suite's time)."""
    frame = pd.read_csv(SYNTHETIC_CSV, dtype=str, keep_default_na=False)
    frame.loc[:len(words) - 1, "ontslagaanzegging"] = words
    path = tmp_path / f"deelnemers{suffix}"
    if suffix == ".csv":
        frame.to_csv(path, index=False)
    else:
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = "deelnemers"
        sheet.append(list(frame.columns))
        for row in frame.itertuples(index=False):
            sheet.append(list(row))
        book.save(path)
    return load_participants(path)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_participant_file_reads_every_yes_no_word_and_refuses_the_others(tmp_path, suffix):
    words = [*YES, *NO]
    got = _participants(tmp_path, words, suffix)["ontslagaanzegging"].head(len(words)).map(bool).tolist()
    assert dict(zip(words, got)) == {**{w: True for w in YES}, **{w: False for w in NO}}
    with pytest.raises(InputError, match="x for yes") as refused:
        _participants(tmp_path, NOT_WORDS, suffix)
    problems = refused.value.problems  # each word its own problem, in its own row
    assert sorted((p.row, str(p.value)) for p in problems) == list(enumerate(NOT_WORDS)), str(refused.value)


def _export(tmp_path, words: list[str], rule: str):
    """The synthetic export with ``words`` in the first cells of Jansen (UWV)'s 'Geïnterviewd'
    and the mapping's recode of geinterviewd replaced by ``rule``."""
    book = openpyxl.load_workbook(EXPORT)
    sheet = book["Jansen (UWV)"]
    column = next(c.column for c in sheet[2] if c.value == "Geïnterviewd")
    for i, word in enumerate(words):
        sheet.cell(row=3 + i, column=column, value=word)
    book.save(tmp_path / "export.xlsx")
    text = EXPORT.with_name("pilot_export_synthetic.mapping.yml").read_text(encoding="utf-8")
    old = "  geinterviewd: {map: {x: true}, blank: false}"
    assert old in text
    text = text.replace(old, rule).replace("source: pilot_export_synthetic.xlsx", "source: export.xlsx")
    (tmp_path / "export.mapping.yml").write_text(text, encoding="utf-8")
    ids = [sheet.cell(row=3 + i, column=1).value for i in range(len(words))]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        frame = load_export(tmp_path / "export.mapping.yml")
    return frame.set_index("deelnemer_id").loc[ids, "geinterviewd"].tolist()


def test_an_export_reads_the_yes_no_words_without_a_rule_for_them(tmp_path):
    words = ["x", "Ja", "nee", "N", "waar", "0", "yes", "no"]
    assert _export(tmp_path, words, "  geinterviewd: {blank: false}") == \
        [True, True, False, False, True, False, True, False]


def test_an_exports_word_outside_the_vocabulary_needs_a_rule_and_a_rule_may_give_any_yes_no_word(tmp_path):
    with pytest.raises(InputError, match="label not mapped for 'geinterviewd'"):
        _export(tmp_path, ["v"], "  geinterviewd: {blank: false}")
    assert _export(tmp_path, ["v", "x"], "  geinterviewd: {map: {v: ja, x: 'no'}, blank: nee}") == [True, False]


@pytest.mark.parametrize("code, quoted", [("on", "on"), ("✓", "\\u2713"), ("jawel", "jawel")])
def test_a_mappings_yes_no_code_outside_the_vocabulary_is_refused_naming_its_key(tmp_path, code, quoted):
    """The check mark is quoted as its escape: a sign that is no letter can be taken for another
    (✓ U+2713 beside ✔ U+2714), so a message writes it one way only (hostile round 13)."""
    with pytest.raises(InputError) as info:
        _export(tmp_path, ["x"], f"  geinterviewd: {{map: {{x: {code}}}, blank: false}}")
    text = str(info.value)
    assert f"key 'values.geinterviewd.map.x': value '{quoted}'" in text and "must be a yes/no word" in text


def test_the_vocabulary_is_documented_as_the_code_has_it():
    from analysis.data.parsing import FALSE_WORDS, TRUE_WORDS

    doc = (ROOT / "docs" / "real-data.md").read_text(encoding="utf-8")
    line = next(x for x in doc.splitlines() if "**Yes/no**" in x)
    assert all(f"`{w}`" in line for w in TRUE_WORDS | FALSE_WORDS), line
