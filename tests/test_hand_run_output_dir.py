"""A notebook run by hand (JupyterLab, papermill) writes its outputs where every other writer
may write (``write_targets.write_problem``, role ``output``), hostile round 14 H1, H2, H13:
never into a published folder (``reports/``, ``reports-private/``, any folder a report run
published), ``data/raw/`` or the project's own folders; the runner's staging only as the
runner announces it."""

import pytest

from analysis import paths, write_targets
from analysis.pipeline.execute import kernel_arguments
from analysis.pipeline.export import checked_output_dir


@pytest.fixture()
def project(tmp_path, monkeypatch):
    root = tmp_path / "project"
    (root / "data" / "raw" / "private").mkdir(parents=True)
    monkeypatch.setattr(paths, "PROJECT_ROOT", root)
    monkeypatch.setattr(paths, "REPORTS", root / "reports")
    monkeypatch.setattr(paths, "REPORTS_PRIVATE", root / "reports-private")
    monkeypatch.setattr(write_targets, "_RUNNER_OUTPUT", [])
    return root


@pytest.mark.parametrize("output_dir, fragment", [
    ("reports/html/.staging", "reports/, a published folder"),  # H1: named like the runner's staging
    ("reports/.staging/01_dwsra_portfolio-en", "reports/, a published folder"),
    ("reports-private/html", "reports-private/, a published folder"),  # H2
    ("data/raw/out", "data/raw/"),  # H13
    ("data/raw/private/out", "data/raw/"),
    ("studies/out", "studies/"),
    ("notebooks", "notebooks/"),
    ("src/analysis", "src/"),
    (".git/x", ".git/"),
    ("elsewhere/site/html/.staging/run", "site/, a published folder"),  # a folder a run published (--reports)
])
def test_a_hand_runs_output_dir_is_refused_where_no_writer_may_write(project, output_dir, fragment):
    site = project / "elsewhere" / "site"
    site.mkdir(parents=True)
    (site / ".runner-state.json").write_text("{}")
    with pytest.raises(ValueError) as info:
        checked_output_dir(output_dir)
    message = str(info.value)
    assert message.startswith(f"output_dir {output_dir!r} ") and fragment in message, message
    assert "\n" not in message and ("scratch" in message or "write outside them" in message), message
    assert not (project / output_dir).exists()


@pytest.mark.parametrize("output_dir", ["scratch", "scratch/.staging/x", "out/reports-copy"])
def test_a_hand_runs_own_folder_is_accepted_and_said(project, output_dir, capsys):
    assert checked_output_dir(output_dir) == (project / output_dir).resolve()
    assert "Interactive run: outputs go to" in capsys.readouterr().out


def test_the_runners_staging_is_accepted_only_as_announced(project, tmp_path):
    staging = tmp_path / "r" / ".staging" / "01-en"
    with pytest.raises(ValueError, match="published folder|make report"):
        (tmp_path / "r").mkdir()
        (tmp_path / "r" / ".runner-state.json").write_text("{}")
        checked_output_dir(str(staging))
    write_targets.announce_runner_output(staging)
    assert checked_output_dir(str(staging)) == staging.resolve()
    with pytest.raises(ValueError, match="published folder"):
        checked_output_dir(str(staging.with_name("02-en")))


def test_the_runner_announces_its_staging_to_the_kernel_in_one_exec_line(tmp_path):
    from types import SimpleNamespace

    run = SimpleNamespace(parameters={"participants_path": "data/raw/pilot_participants_synthetic.csv"})
    staging = tmp_path / "it's" / ".staging" / "run"
    args = kernel_arguments(run, staging)
    lines = [a for a in args if a.startswith("--IPKernelApp.exec_lines=")]
    assert len(lines) == 1
    code = lines[0].split("=", 1)[1]
    assert "refuse_in_this_process()" in code
    namespace = {}
    try:
        exec(code.replace("private_reads.refuse_in_this_process()", "None"), namespace)  # noqa: S102
        assert write_targets.is_runner_output(staging)
    finally:
        write_targets._RUNNER_OUTPUT.clear()
