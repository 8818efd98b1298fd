"""Hostile round 17 (issue 28, H42n): ``synthetic`` over the raw data, and a recode map whose
keys differ only by spacing. Expected values are written by hand from the cases."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis import paths
from analysis.cli import main
from analysis.data.mapping import _Checker, parse_recode


@pytest.fixture
def raw(tmp_path, monkeypatch) -> Path:
    """A data/raw/ folder outside git (as in a copy of the project) holding a raw table."""
    folder = tmp_path / "raw"
    folder.mkdir()
    (folder / "dwsra_project_register.csv").write_text("project_id\nP01\n", encoding="utf-8")
    monkeypatch.setattr(paths, "DATA_RAW", folder)
    return folder


def test_synthetic_refuses_an_existing_raw_file_not_tracked_by_git(raw, capsys):
    target = raw / "dwsra_project_register.csv"
    code = main(["synthetic", "--out", str(target), "--export="])
    assert code == 1
    assert target.read_text(encoding="utf-8") == "project_id\nP01\n"
    err = capsys.readouterr().err
    assert "is an existing file in data/raw/, where the raw data are kept (read-only)" in err
    assert err.count("\n") == 1 and "nothing was written" in err


def test_synthetic_refuses_the_history_named_as_the_participant_file(raw, capsys):
    """A synthetic file of data/raw/ that is not the default run's participant file (a copy in a
    folder outside git: on the old code a test never writes over the repository's file)."""
    history = raw / "pilot_status_history_synthetic.csv"
    history.write_bytes((paths.PROJECT_ROOT / "data" / "raw" / history.name).read_bytes())
    before = history.read_bytes()
    assert main(["synthetic", "--out", str(history), "--export="]) == 1
    assert history.read_bytes() == before
    assert "existing file in data/raw/" in capsys.readouterr().err


def test_synthetic_writes_a_new_file_in_raw(raw, capsys):
    """Control: a file that does not exist yet is written (with its history beside it)."""
    target = raw / "new_synthetic.csv"
    assert main(["synthetic", "--n", "12", "--out", str(target), "--export="]) == 0
    assert len(target.read_text(encoding="utf-8").splitlines()) == 13


def test_the_default_run_may_regenerate_its_own_files():
    """Control: the default run's own files (participants, history beside, export, mapping) pass."""
    from analysis.cli import DEFAULT_SYNTHETIC_EXPORT, DEFAULT_SYNTHETIC_OUT, raw_data_problem, synthetic_targets
    from analysis.pilot.synthetic import history_path_beside

    targets = synthetic_targets(DEFAULT_SYNTHETIC_OUT, DEFAULT_SYNTHETIC_EXPORT, history_path_beside)
    regenerated = {(option, target.resolve()) for target, _, option in targets}
    assert len(targets) == 4 and all(target.exists() for target, _, _ in targets)
    assert [raw_data_problem(target, option, regenerated) for target, _, option in targets] == [None] * 4
    export = paths.DATA_RAW / "pilot_export_synthetic.xlsx"
    assert raw_data_problem(export, "--out", regenerated) is not None  # the export named as --out


@pytest.mark.parametrize("other", ["Zoekend ", "Zoekend\u00a0", " Zoekend", "Zoekend\t"])
def test_recode_keys_differing_only_by_spacing_are_refused(other):
    c = _Checker()
    parse_recode(c, {"map": {"Zoekend": "zoekend", other: "scholing"}}, "status_history.values.status",
                 "status", None)
    assert len(c.problems) == 1
    problem = c.problems[0]
    assert problem.rule.startswith(f"the keys 'Zoekend' and {other!r} differ only by spacing")
    assert problem.key == "status_history.values.status.map.Zoekend"


def test_recode_keys_differing_by_a_word_are_read():
    """Control: two labels that differ by more than spacing are two rules."""
    c = _Checker()
    recode = parse_recode(c, {"map": {"Zoekend": "zoekend", "Zoekend werk": "scholing"}}, "k", "status", None)
    assert c.problems == []
    assert recode.exact == {"zoekend": "zoekend", "zoekend werk": "scholing"}
