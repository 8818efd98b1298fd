"""Notebook 04 on a file that is not synthetic, in one invocation with notebook 02 (issue 27,
issue 23): refused, with nothing published or recorded (see the test). The joint release of
the curves with the figure tables is tested on its own in test_survival_joint_release."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from analysis.pilot.synthetic import generate_participants, status_history
from tests.test_readme_real_data import _project_copy
from tests.test_real_data_kinds import as_file

pytestmark = [pytest.mark.slow, pytest.mark.audit]  # heavy: make test-audit
K = 10
N = 200
CONFIG = """runs:
  02_pilot_participants:
    - parameters: {{cutoff_date: "2021-04-01", min_cell_count: 10, participants_path: {p}, status_history_path: {h}}}
  04_time_to_work:
    - parameters: {{min_cell_count: 10, participants_path: {p}, status_history_path: {h}}}
"""


def test_notebook_04_on_a_real_file_is_refused_and_nothing_is_published_or_recorded(tmp_path):
    """The fourth independent intruder recovered withheld Figuur 12 cells from notebook 04's
    competing exits and censored counts: on a real file notebook 04 refuses, the invocation
    (with notebook 02) publishes nothing and records nothing, and the terminal says why."""
    root = tmp_path / "project"
    root.mkdir()
    _project_copy(root)
    people = generate_participants(N)
    history = status_history(people)
    private = root / "data" / "raw" / "private"
    as_file(people).to_csv(private / "deelnemers.csv", index=False)
    history.assign(datum=history["datum"].dt.strftime("%Y-%m-%d")).to_csv(private / "statushistorie.csv", index=False)
    config = root / "real.yml"
    config.write_text(CONFIG.format(p="data/raw/private/deelnemers.csv", h="data/raw/private/statushistorie.csv"),
                      encoding="utf-8")
    env = dict(os.environ, VWNW_PROJECT_ROOT=str(root))
    done = subprocess.run([sys.executable, "-m", "analysis", "report", "-j", "2", "--config", str(config), "--force",
                           "--reports", str(root / "reports-private")], cwd=root, env=env, capture_output=True,
                          text=True)
    assert done.returncode != 0
    assert "notebook 04 (time to work) is not released on data that are not synthetic" in done.stderr
    published = root / "reports-private"
    assert not [p for p in published.rglob("*") if p.is_file() and "time_to_work" in p.name]
    assert not list(published.rglob("02_pilot_participants*.html"))  # all or nothing
    from analysis import ledger

    assert ledger.read(private) == []
