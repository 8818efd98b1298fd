"""A misspelt key is pointed at the key it was meant to be, in study files, mappings and run
configurations (hostile round 13: a near miss was named only as unknown)."""

from __future__ import annotations

import yaml

from analysis.near_miss import did_you_mean
from analysis.pipeline.config_shape import ENTRY_KEYS, entry_problem
from analysis.study.load import OPTIONAL, REQUIRED, parse_study


def test_the_closest_allowed_key_is_named_and_a_far_one_is_not():
    assert did_you_mean("colums", ["columns", "sheet"]) == "did you mean 'columns'? "
    assert did_you_mean("Parameter", ["suffix", "parameters"]) == "did you mean 'parameters'? "
    assert did_you_mean("xyz", ["columns", "sheet"]) == ""


def test_a_run_configuration_points_at_parameters():
    assert "did you mean 'parameters'?" in entry_problem({"paramters": {"language": "en"}})
    assert "did you mean" not in entry_problem({"zzz": 1})
    assert "parameters" in ENTRY_KEYS


def test_a_study_file_points_at_the_key_it_meant(tmp_path):
    from analysis import paths

    doc = yaml.safe_load((paths.PROJECT_ROOT / "studies" / "catering_noordoost_brabant_2021.yml").read_text())
    key = next(k for k in (*REQUIRED, *OPTIONAL) if k in doc and len(k) > 5)
    doc[key[:-1]] = doc.pop(key)  # its last letter dropped
    problems: list = []
    parse_study(doc, tmp_path / "study.yml", problems)
    said = [rule for where, _, rule in problems if where == key[:-1]]
    assert said and f"did you mean '{key}'?" in said[0], problems


def test_a_mapping_points_at_the_key_it_meant(tmp_path):
    import shutil

    import pytest

    from analysis import paths
    from analysis.data.mapping import MappingError, read_mapping
    from analysis.pilot import schema as ps

    shipped = paths.DATA_RAW / "pilot_export_synthetic.mapping.yml"
    mapping = tmp_path / "export.mapping.yml"
    mapping.write_text(shipped.read_text(encoding="utf-8").replace("\n  header_row:", "\n  header_rows:"),
                       encoding="utf-8")
    shutil.copyfile(paths.DATA_RAW / "pilot_export_synthetic.xlsx", tmp_path / "pilot_export_synthetic.xlsx")
    with pytest.raises(MappingError) as info:
        read_mapping(mapping, ps.PARTICIPANTS, record_codes={"status": ps.STATUSES, "dienst": ps.SERVICES})
    assert "did you mean 'header_row'?" in str(info.value)
