"""Hostile round 18, left then: ``report --reports reports-private`` with only synthetic runs (the
shipped configuration) planned its 14 runs into the folder where runs on private inputs are
published (and the dry run said so with exit 0): the synthetic publication would replace a real
run's outputs there, and the two kinds would mix. It is refused before anything runs, in the
dry run too."""

from __future__ import annotations

import subprocess
import sys

import pytest

from analysis import paths
from analysis.pipeline.private_runs import default_reports
from analysis.pipeline.runs import ReportError


def test_synthetic_runs_are_not_published_into_the_private_reports_folder():
    for asked in (paths.REPORTS_PRIVATE, paths.PROJECT_ROOT / "reports-private" / ".." / "reports-private"):
        with pytest.raises(ReportError, match="no run of this invocation reads a private input"):
            default_reports([], asked)


def test_synthetic_runs_may_go_into_a_folder_of_their_own(tmp_path):
    assert default_reports([], tmp_path / "elsewhere") == tmp_path / "elsewhere"
    assert default_reports([], None) == paths.REPORTS


def test_the_dry_run_refuses_it_with_one_line():
    done = subprocess.run([sys.executable, "-m", "analysis", "report", "--dry-run", "--reports", "reports-private"],
                          cwd=paths.PROJECT_ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode != 0
    assert "no run of this invocation reads a private input" in done.stderr + done.stdout
    assert "Traceback" not in done.stderr
