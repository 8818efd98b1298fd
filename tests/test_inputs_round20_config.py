"""Hostile round 20, finding 3: ``inspect --check --config FILE`` read a cut-off ``2024-10-1``
as 2024-10-01, gave a pandas message for a list, checked a configuration whose runs read another
file against this export without a word, and ignored ``--config`` without ``--check``."""

from __future__ import annotations

import pytest

from analysis import paths
from analysis.cli import main

EXPORT = paths.DATA_RAW / "pilot_export_synthetic.xlsx"


def _config(tmp_path, cutoff: str, participants: str = str(EXPORT)):
    path = tmp_path / "runs.yml"
    params = f"cutoff_date: {cutoff}, participants_path: {participants}"
    path.write_text(f"runs:\n  02_pilot_participants:\n    - suffix: mine\n      parameters: {{{params}}}\n"
                    f"  03_outcome_models:\n    - parameters: {{{params}}}\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("cutoff, shown", [('"2021-4-1"', "'2021-4-1'"), ("2021-4-01", "'2021-4-01'"),
                                           ('["2021-04-01"]', "not a list")])
def test_a_cut_off_not_written_yyyy_mm_dd_is_named_with_its_run(tmp_path, capsys, cutoff, shown):
    config = _config(tmp_path, cutoff)
    assert main(["inspect", str(EXPORT), "--check", "--config", str(config)]) == 1
    out = capsys.readouterr().out
    assert f"{config}: run '02_pilot_participants-mine': cutoff_date must be" in out and shown in out
    assert "Unknown datetime" not in out and "passed" not in out


def test_a_configuration_whose_runs_read_another_file_is_refused(tmp_path, capsys):
    config = _config(tmp_path, '"2021-04-01"', "data/raw/private/another_export.xlsx")
    assert main(["inspect", str(EXPORT), "--check", "--config", str(config)]) == 1
    out = capsys.readouterr().out
    assert "is a configuration for another file" in out and "another_export.xlsx" in out and str(EXPORT) in out


def test_runs_of_another_file_beside_this_one_are_named_and_left_out(tmp_path, capsys):
    config = _config(tmp_path, '"2021-04-01"')
    text = config.read_text(encoding="utf-8")
    other = ('    - suffix: other\n      parameters: {cutoff_date: "2021-03-01", participants_path: '
             'data/raw/private/another_export.xlsx}\n')
    config.write_text(text.replace("  03_outcome_models:", other + "  03_outcome_models:"), encoding="utf-8")
    assert main(["inspect", str(EXPORT), "--check", "--config", str(config)]) == 0
    out = capsys.readouterr().out
    assert "'02_pilot_participants-other' reads 'data/raw/private/another_export.xlsx'" in out
    assert "cut-off dates 2021-04-01, 2021-04-16)" in out  # 2021-03-01 is the other file's


def test_config_without_check_is_an_error_not_ignored(tmp_path, capsys):
    config = _config(tmp_path, '"2021-04-01"')
    draft = tmp_path / "draft.yml"
    assert main(["inspect", str(EXPORT), "--config", str(config), "--draft", str(draft)]) == 1
    assert "read only with --check" in capsys.readouterr().err and not draft.exists()
