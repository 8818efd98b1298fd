"""The catering pilot's real file run with one command, the study's own run configuration
(``studies/catering_noordoost_brabant_2021.report.yml``): no other study's run reads the
file, and nothing below the threshold is published."""

from __future__ import annotations

import os
import subprocess
import sys

import pandas as pd
import pytest
import yaml
from test_readme_real_data import _person_count_values, _project_copy

from analysis import paths

CONFIG = "studies/catering_noordoost_brabant_2021.report.yml"
K = 10


def test_the_configuration_reads_one_private_file_at_threshold_10():
    runs = yaml.safe_load((paths.PROJECT_ROOT / CONFIG).read_text(encoding="utf-8"))["runs"]
    parameters = [e.get("parameters", {}) for entries in runs.values() for e in entries]
    assert {p["participants_path"] for p in parameters} == {"data/raw/private/deelnemers.xlsx"}
    assert {p["min_cell_count"] for p in parameters} == {K} and not any("study" in p for p in parameters)


@pytest.mark.slow
def test_the_study_configuration_runs_the_real_file_alone(tmp_path):
    root = tmp_path / "project"
    root.mkdir()
    rows = _project_copy(root)
    # (_project_copy copies studies/ with its run configurations)
    rows.to_excel(root / "data/raw/private/deelnemers.xlsx", index=False)
    env = dict(os.environ, VWNW_PROJECT_ROOT=str(root))
    done = subprocess.run([sys.executable, "-m", "analysis", "report", "-j", "2", "--config", CONFIG, "--force"],
                          cwd=root, env=env, capture_output=True, text=True, timeout=1500)
    assert done.returncode == 0, done.stderr[-3000:]
    tables = root / "reports-private" / "tables"  # a private file: its own folder
    published = sorted(tables.glob("pilot_*.csv")) + sorted(tables.glob("models_*.csv"))
    assert not (root / "reports").exists()
    assert published and not [p for p in published if "schoonmaak" in p.name]  # no other study ran
    for path in published:
        small = [v for v in _person_count_values(pd.read_csv(path), path.stem) if 0 < v < K]
        assert not small, f"{path.name} publishes counts below {K}: {small}"
