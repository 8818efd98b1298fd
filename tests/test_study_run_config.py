"""The catering pilot's real file run with one command, the study's own run configuration
(``studies/catering_noordoost_brabant_2021.report.yml``): what it configures. Its run on a
real file (no other study's run reads the file, nothing below the threshold is published) is
``tests/test_readme_real_data.py``: the README's real-data command is this configuration."""

from __future__ import annotations

import yaml

from analysis import paths

CONFIG = "studies/catering_noordoost_brabant_2021.report.yml"
K = 10


def test_the_configuration_reads_one_private_file_at_threshold_10():
    runs = yaml.safe_load((paths.PROJECT_ROOT / CONFIG).read_text(encoding="utf-8"))["runs"]
    parameters = [e.get("parameters", {}) for entries in runs.values() for e in entries]
    assert {p["participants_path"] for p in parameters} == {"data/raw/private/deelnemers.xlsx"}
    assert {p["min_cell_count"] for p in parameters} == {K} and not any("study" in p for p in parameters)


# The configuration run on the real file (the README's real-data command): tests/test_readme_real_data.py.
