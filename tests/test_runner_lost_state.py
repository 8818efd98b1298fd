"""A lost run state (hostile round 15, H4 and H5): ``.runner-state.json`` deleted or damaged
made every later run, ``--force`` included, refuse the whole publication as "files that no
notebook run published" although ``manifest.json`` listed each with its hash; ``.staging`` or
``.tampered`` as a regular file gave a raw "[Errno 20] Not a directory". These tests start
real kernels."""

import json

import pytest

from analysis.pipeline import fs_safety, journal, runner, runs as run_config, state as run_state
from analysis.pipeline.invocation import rerun_command_without_only
from analysis.pipeline.tampering import TAMPERED
from tests.test_runner import make_notebook

pytestmark = pytest.mark.slow


@pytest.fixture()
def published(tmp_path):
    nbs = tmp_path / "notebooks"
    nbs.mkdir()
    make_notebook(nbs / "a.ipynb")
    make_notebook(nbs / "b.ipynb", params='value = 2\nname = "b"\noutput_dir = "reports"')
    reports = tmp_path / "reports"
    runner.run_report(run_config.discover_runs(nbs), reports, log=lambda _: None)
    return nbs, reports


def files_of(reports):
    return {p.relative_to(reports).as_posix(): p.read_bytes() for p in sorted(reports.rglob("*"))
            if p.is_file() and not p.name.startswith(".") and ".tampered" not in p.parts}


@pytest.mark.parametrize("loss", ["deleted", "not json", "an extra entry"])
def test_a_lost_state_reruns_every_run_and_republishes_the_same_files(published, loss):
    nbs, reports = published
    before = files_of(reports)
    state_file = reports / run_state.STATE_FILE
    if loss == "deleted":
        state_file.unlink()
    else:
        state_file.write_text("not json{" if loss == "not json" else json.dumps(
            {**json.loads(state_file.read_text()), "x": 1}))
    runs = run_config.discover_runs(nbs)
    assert sorted(n for n, _ in runner.dry_run(runs, reports, log=lambda _: None)) == ["a", "b"]
    results = runner.run_report(runs, reports, log=lambda _: None)
    assert sorted(r.status for r in results) == ["ok", "ok"]
    after = files_of(reports)
    assert set(after) == set(before)  # a page shows the run's duration: the same files, the tables byte for byte
    assert {k: v for k, v in after.items() if k.startswith("tables/")} == \
        {k: v for k, v in before.items() if k.startswith("tables/")}
    assert set(json.loads(state_file.read_text())) == {"a", "b"}
    assert [r.status for r in runner.run_report(runs, reports, log=lambda _: None)] == ["skipped", "skipped"]


def test_a_lost_state_with_only_is_refused_naming_the_command_that_repairs_it(published, capsys):
    nbs, reports = published
    (reports / run_state.STATE_FILE).unlink()
    argv = ["--notebooks", str(nbs), "--reports", str(reports)]
    assert runner.main([*argv, "--only", "a", "--force"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "is gone" in err and "Nothing was run" in err
    assert rerun_command_without_only(["report", *argv, "--only", "a", "--force"]) == \
        rerun_command_without_only(["report", *argv, "--force"]) and "--only" not in rerun_command_without_only(
            ["report", "--only=a", "--force"])
    assert runner.main([*argv, "--force"]) == 0  # the command it names, without --only
    assert runner.main([*argv, "--only", "a", "--force"]) == 0


def test_a_lost_state_does_not_admit_a_file_the_manifest_does_not_list(published):
    nbs, reports = published
    (reports / run_state.STATE_FILE).unlink()
    (reports / "tables" / "debug.csv").write_text("x\n3\n")
    with pytest.raises(runner.ReportError, match=r"holds 1 file\(s\) that no notebook run published: 'tables/debug"):
        runner.run_report(run_config.discover_runs(nbs), reports, log=lambda _: None)


def test_a_lost_state_removes_the_files_no_configured_run_writes_again(published):
    nbs, reports = published
    (reports / run_state.STATE_FILE).unlink()
    (nbs / "b.ipynb").unlink()
    runner.run_report(run_config.discover_runs(nbs), reports, log=lambda _: None)
    assert not (reports / "tables" / "b.csv").exists() and (reports / "tables" / "t.csv").exists()
    assert "tables/b.csv" not in json.loads((reports / "manifest.json").read_text())["files"]


@pytest.mark.parametrize("name", [journal.STAGING, TAMPERED])
def test_a_bookkeeping_folder_that_is_a_regular_file_is_refused_with_the_rm(tmp_path, name):
    assert set(fs_safety.BOOKKEEPING_FOLDERS) == {journal.STAGING, TAMPERED}
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / name).write_text("x\n")
    with pytest.raises(fs_safety.UnsafeFolder, match=f"is a regular file, not the folder .* \\(rm {reports / name}\\)"):
        with journal.exclusive(reports, False, print):
            pass
    with pytest.raises(runner.ReportError, match="Remove it"):
        runner.dry_run([], reports)
