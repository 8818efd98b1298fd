"""Hostile round 18, finding 13: ``-p language=en -p language=nl`` kept the last value without a
word (which language was published depended on the order on the command line)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from test_runner_hostile import project  # noqa: E402,F401  (the fixture: two tiny notebooks)

from analysis.pipeline import runner  # noqa: E402


def test_a_parameter_given_twice_is_refused_before_anything_runs(project, capsys):  # noqa: F811
    nbs, reports = project
    code = runner.main(["--notebooks", str(nbs), "--reports", str(reports), "-p", "value=3", "-p", "value=4"])
    err = capsys.readouterr().err
    assert code == 1 and "-p value given more than once" in err and "Traceback" not in err
    assert not reports.exists()


def test_two_parameters_once_each_are_taken(project, capsys):  # noqa: F811
    nbs, reports = project
    code = runner.main(["--notebooks", str(nbs), "--reports", str(reports), "-p", "value=3", "-p", "name=x",
                        "--dry-run"])
    assert code == 0, capsys.readouterr().err
