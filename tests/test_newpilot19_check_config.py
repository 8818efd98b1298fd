"""newpilot19, finding 7: a cut-off date outside the status history's span, in a run configuration
kept outside ``studies/`` (``scratch19/early.report.yml``), passed ``inspect --check`` and then failed
the report. ``--check --config FILE`` checks that configuration's cut-off dates; a configuration
named that does not exist is an error, not an empty one."""

from __future__ import annotations

from analysis import paths
from analysis.cli import main

EXPORT = paths.DATA_RAW / "pilot_export_synthetic.xlsx"


def _config(tmp_path, cutoff: str):
    path = tmp_path / "runs.yml"
    params = f"cutoff_date: \"{cutoff}\", participants_path: {EXPORT}"  # a configuration of this file
    path.write_text(f"runs:\n  02_pilot_participants:\n    - parameters: {{{params}}}\n"
                    f"  03_outcome_models:\n    - parameters: {{{params}}}\n", encoding="utf-8")
    return path


def test_a_cut_off_outside_the_history_in_the_named_configuration_fails_the_check(tmp_path, capsys):
    assert main(["inspect", str(EXPORT), "--check", "--config", str(_config(tmp_path, "2019-01-01"))]) == 1
    out = capsys.readouterr().out
    assert "2019-01-01" in out and "the report run would fail" in out


def test_a_cut_off_inside_it_passes_and_is_named(tmp_path, capsys):
    assert main(["inspect", str(EXPORT), "--check", "--config", str(_config(tmp_path, "2021-02-01"))]) == 0
    assert "2021-02-01" in capsys.readouterr().out


def test_a_named_configuration_that_does_not_exist_is_an_error(tmp_path, capsys):
    assert main(["inspect", str(EXPORT), "--check", "--config", str(tmp_path / "nope.yml")]) == 1
    assert "nope.yml" in capsys.readouterr().out
