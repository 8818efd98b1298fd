"""Hostile round 18, findings 3 and 4: a study text with a control character (an escape
sequence in a status label) and an exhibit's output stem of 230 characters passed the study's
check and stopped the report minutes later (at the spreadsheet writer; at the file system's
255-character name limit) without naming the key. Both are refused on load, naming it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from analysis.study import DEFAULT_STUDY, SHIPPED, StudyError, load_study

DECLARATION = "vwnw_pilot.exhibits.yml"  # the default study's exhibits file


def _copy(tmp_path: Path, edit_study=None, edit_exhibits=None) -> Path:
    """The default study and its side files in ``tmp_path``, edited as plain YAML."""
    for name in (f"{DEFAULT_STUDY}.yml", f"{DEFAULT_STUDY}.facts.yml", DECLARATION):
        shutil.copy(SHIPPED / name, tmp_path / name)
    for name, edit in ((f"{DEFAULT_STUDY}.yml", edit_study), (DECLARATION, edit_exhibits)):
        if edit:
            doc = yaml.safe_load((tmp_path / name).read_text(encoding="utf-8"))
            edit(doc)
            (tmp_path / name).write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return tmp_path / f"{DEFAULT_STUDY}.yml"


def _first_status(doc) -> str:
    return next(iter(doc["statuses"]))


@pytest.mark.parametrize("char", ["\x1b", "\r", "\x00", "\x7f"])
def test_a_control_character_in_a_status_label_is_refused_naming_the_key(tmp_path, char):
    status = []

    def edit(doc):
        status.append(_first_status(doc))
        doc["statuses"][status[0]]["nl"] = f"Zoek{char}[31mend"
    with pytest.raises(StudyError) as err:
        load_study(_copy(tmp_path, edit_study=edit))
    text = str(err.value)
    assert f"statuses.{status[0]}.nl" in text and f"U+{ord(char):04X}" in text and char not in text


def test_a_control_character_in_an_exhibit_title_is_refused(tmp_path):
    def edit(doc):
        doc["exhibits"]["figuur_09_functie"]["title"]["en"] = "Function\x07type"
    with pytest.raises(StudyError) as err:
        load_study(_copy(tmp_path, edit_exhibits=edit))
    assert "figuur_09_functie.title.en" in str(err.value) and "U+0007" in str(err.value)


def test_an_output_stem_too_long_for_a_file_name_is_refused(tmp_path):
    def edit(doc):
        doc["exhibits"]["figuur_09_functie"]["output"] = "pilot_" + "x" * 230
    with pytest.raises(StudyError) as err:
        load_study(_copy(tmp_path, edit_exhibits=edit))
    assert "figuur_09_functie.output" in str(err.value)


def test_the_shipped_studies_and_plain_labels_are_read(tmp_path):
    """Control: accents, dashes and quotes are no control characters; a stem of 100 is read."""
    def study(doc):
        doc["statuses"][_first_status(doc)]["nl"] = "Zoekend – ‘één’ (café)"

    def exhibits(doc):
        doc["exhibits"]["figuur_09_functie"]["output"] = "pilot_" + "x" * 94
    load_study(_copy(tmp_path, study, exhibits))


@pytest.mark.parametrize(("key", "word"), [("functions.staf", "<b>planner</b>"), ("functions.uitvoerend", "[kok](x)"),
                                           ("stop_reasons", "verhuizing `x`"), ("stop_reasons", "x" * 81),
                                           ("employers", "Hutten\u202eBV"), ("stop_reasons", "onbekend"),
                                           ("stop_reasons", "")])
def test_a_word_of_the_vocabulary_is_plain_and_short(tmp_path, key, word):
    """Hostile round 18, left then: the words under functions and stop_reasons (and the employers')
    were not checked like the study's other texts; a reason to stop was not checked at all."""
    def edit(doc):
        parts = key.split(".")
        target = doc[parts[0]][parts[1]] if len(parts) == 2 else doc[parts[0]]
        target.append(word)
    with pytest.raises(StudyError) as err:
        load_study(_copy(tmp_path, edit_study=edit))
    assert key in str(err.value)


def test_the_shipped_words_and_a_plain_new_one_load(tmp_path):
    def edit(doc):
        doc["stop_reasons"].append("verhuizing naar het buitenland (2e poging)")
        doc["functions"]["staf"].append("medewerker_planning & roosters")
    study = load_study(_copy(tmp_path, edit_study=edit))
    assert "verhuizing naar het buitenland (2e poging)" in study.stop_reasons
