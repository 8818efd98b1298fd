"""Messages quote a value as it was written, never as it was parsed (H32h, issue 28): a
mapping's numbers (``2.0`` is not the row 2, ``1.0`` not the version 1) and the parsed forms
the YAML 1.1 rules would have made of a mapping's words. The run parameters' cases are in the
hostile corpus (``param:`` and ``config/r7_*``)."""

import shutil

import pytest

from analysis.data.errors import InputError, written
from analysis.pilot.from_export import load_export
from analysis.strict_yaml import WrittenFloat, WrittenInt, as_written
from tests.conftest import ROOT

EXPORT = ROOT / "data" / "raw" / "pilot_export_synthetic.xlsx"


def _mapping(tmp_path, old: str, new: str):
    shutil.copyfile(EXPORT, tmp_path / "export.xlsx")
    text = EXPORT.with_name("pilot_export_synthetic.mapping.yml").read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new).replace("source: pilot_export_synthetic.xlsx", "source: export.xlsx")
    (tmp_path / "export.mapping.yml").write_text(text, encoding="utf-8")
    return tmp_path / "export.mapping.yml"


@pytest.mark.parametrize("old, new, fragment", [
    ("  header_row: 2  #", "  header_row: 2.0  #", "key 'participants.header_row': value 2.0 breaks rule"),
    ("mapping_version: 1", "mapping_version: 1.0", "key 'mapping_version': value 1.0 breaks rule: must be 1"),
    ("mapping_version: 1", "mapping_version: +1e0", "value +1e0"),
    ("  header_row: 2  #", "  header_row: [2]  #", "key 'participants.header_row': value [2] breaks rule"),  # not '[2]'
    ("  ignore: [Opmerkingen]", "  ignore: [[Opmerkingen]]", "value [[Opmerkingen]] breaks rule"),
])
def test_a_mappings_number_is_quoted_as_written(tmp_path, old, new, fragment):
    with pytest.raises(InputError) as info:
        load_export(_mapping(tmp_path, old, new))
    assert fragment in str(info.value)


def test_a_number_that_kept_its_text_is_the_number_it_is():
    assert WrittenInt("+10") == 10 and as_written(WrittenInt("+10")) == "+10" and written(WrittenInt("-0")) == "-0"
    assert WrittenFloat("1e1") == 10.0 and written(WrittenFloat(".5")) == ".5"
    import json
    import pickle

    assert json.dumps([WrittenInt("+10"), WrittenFloat("1e1")]) == "[10, 10.0]"
    assert pickle.loads(pickle.dumps(WrittenInt("+10"))).written == "+10"


@pytest.mark.parametrize("written_as", ["-5e0", "2.5", "true", "0"])
def test_a_study_files_synthetic_size_is_checked_and_quoted_as_written(tmp_path, written_as):
    from analysis.study.load import StudyError, load_study

    text = (ROOT / "studies" / "schoonmaak_twente_2023.yml").read_text(encoding="utf-8")
    assert "  n: 64" in text
    path = tmp_path / "schoonmaak_twente_2023.yml"
    path.write_text(text.replace("  n: 64", f"  n: {written_as}"), encoding="utf-8")
    with pytest.raises(StudyError) as info:
        load_study(str(path))
    assert f"key 'synthetic.n': value {written_as} breaks rule: must be a whole number from 1 to 2,000,000" \
        in str(info.value)


def test_a_study_file_holds_plain_numbers(tmp_path):
    from analysis.study.load import load_study

    text = (ROOT / "studies" / "schoonmaak_twente_2023.yml").read_text(encoding="utf-8")
    path = tmp_path / "schoonmaak_twente_2023.yml"
    path.write_text(text.replace("  n: 64", "  n: +64"), encoding="utf-8")
    assert type(load_study(str(path)).synthetic["n"]) is int
