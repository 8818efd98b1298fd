"""The report runner: execution, HTML flavours, skipping unchanged runs, parameter errors,
and faults (an exception mid-run, a killed kernel, a missing input) that leave the last
good outputs in place. These tests start real kernels."""

import json
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from analysis.pipeline import runner, runs as run_config, state as run_state

pytestmark = pytest.mark.slow

WRITE_TABLE = """import pandas as pd
from pathlib import Path
Path(output_dir, "tables").mkdir(parents=True, exist_ok=True)
pd.DataFrame({"x": [value]}).to_csv(Path(output_dir, "tables", name + ".csv"), index=False)
print("SECRET-CODE-MARKER")"""


def make_notebook(path: Path, body: str = WRITE_TABLE, params: str = 'value = 1\nname = "t"\noutput_dir = "reports"'):
    cells = [new_markdown_cell("# test"), new_code_cell(params), new_code_cell(body)]
    cells[1].metadata["tags"] = ["parameters"]
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)


@pytest.fixture()
def project(tmp_path):
    nbs = tmp_path / "notebooks"
    nbs.mkdir()
    make_notebook(nbs / "a.ipynb")
    make_notebook(nbs / "b.ipynb", params='value = 2\nname = "b"\noutput_dir = "reports"')
    return nbs, tmp_path / "reports"


def test_run_publishes_both_html_flavours_index_and_manifest_then_skips(project):
    nbs, reports = project
    results = runner.run_report(run_config.discover_runs(nbs), reports, workers=2)
    assert sorted(r.status for r in results) == ["ok", "ok"]
    assert (reports / "tables" / "t.csv").read_text() == "x\n1\n"
    full = (reports / "html" / "full" / "a.html").read_text()
    reviewer = (reports / "html" / "reviewer" / "a.html").read_text()
    assert "WRITE_TABLE" not in full and "to_csv" in full
    assert "to_csv" not in reviewer, "reviewer flavour must hide code"
    assert "Herkomst" in reviewer and "git commit" in full  # a page without `language` is Dutch; the record: full
    index = (reports / "html" / "index.html").read_text()
    assert 'href="reviewer/a.html"' in index and 'href="full/b.html"' in index
    manifest = json.loads((reports / "manifest.json").read_text())["files"]
    assert "tables/t.csv" in manifest and "html/index.html" in manifest
    again = runner.run_report(run_config.discover_runs(nbs), reports, workers=2)
    assert [r.status for r in again] == ["skipped", "skipped"]


def test_changed_notebook_reruns_only_that_notebook(project):
    nbs, reports = project
    runner.run_report(run_config.discover_runs(nbs), reports)
    make_notebook(nbs / "b.ipynb", params='value = 3\nname = "b"\noutput_dir = "reports"')
    results = {r.run.name: r.status for r in runner.run_report(run_config.discover_runs(nbs), reports)}
    assert results == {"a": "skipped", "b": "ok"}
    assert (reports / "tables" / "b.csv").read_text() == "x\n3\n"


@pytest.mark.parametrize("stray", ["tables/debug_counts.csv", "debug_notes.txt", "html/reviewer/extra.html",
                                   "html/important.html", "html/files/tables/leak_k1.csv"])
def test_a_file_no_run_published_stops_the_next_publication_and_nothing_changes(project, stray):
    """The eighth intruder's cell wrote raw counts into the published folder directly; the file
    outlived every later publication. Now the next run names it and publishes nothing."""
    nbs, reports = project
    runner.run_report(run_config.discover_runs(nbs), reports)
    before = (reports / "manifest.json").read_bytes()
    (reports / stray).parent.mkdir(parents=True, exist_ok=True)
    (reports / stray).write_text("hoog,man,1\n")
    make_notebook(nbs / "b.ipynb", params='value = 3\nname = "b"\noutput_dir = "reports"')
    with pytest.raises(run_config.ReportError, match=stray.replace(".", r"\.")):
        runner.run_report(run_config.discover_runs(nbs), reports)
    assert (reports / "manifest.json").read_bytes() == before and (reports / "tables" / "b.csv").read_text() == "x\n2\n"
    (reports / stray).unlink()
    assert {r.run.name: r.status for r in runner.run_report(run_config.discover_runs(nbs), reports)} == {
        "a": "skipped", "b": "ok"}


def test_undeclared_parameter_is_an_error(project):
    nbs, reports = project
    run = run_config.NotebookRun("a", nbs / "a.ipynb", {"valu": 5})
    with pytest.raises(run_config.ReportError, match=r"\['valu'\] are not declared"):
        runner.run_report([run], reports)


def test_notebook_without_parameters_cell_is_an_error(tmp_path):
    nb = new_notebook(cells=[new_code_cell("output_dir = 'x'")])
    nbformat.write(nb, tmp_path / "n.ipynb")
    with pytest.raises(run_config.ReportError, match="no cell tagged 'parameters'"):
        run_config.validate_parameters(run_config.NotebookRun("n", tmp_path / "n.ipynb"))


@pytest.mark.parametrize("fault, expected", [
    ("raise ValueError('boom in cell')", "ValueError: boom in cell"),
    ("import os, signal\nos.kill(os.getpid(), signal.SIGKILL)", "DeadKernelError"),
    ("open('/nonexistent/input.csv')", "FileNotFoundError"),
])
def test_fault_exits_nonzero_names_notebook_and_keeps_last_good_outputs(project, fault, expected, capsys):
    nbs, reports = project
    runner.run_report(run_config.discover_runs(nbs), reports)
    good = (reports / "tables" / "t.csv").read_bytes()
    good_html = (reports / "html" / "full" / "a.html").read_bytes()
    bookkeeping = {f: (reports / f).read_bytes() for f in (run_state.STATE_FILE, "manifest.json", "html/index.html")}
    make_notebook(nbs / "a.ipynb", body=WRITE_TABLE.replace("value]", "value + 100]") + "\n" + fault)
    code = runner.main(["--notebooks", str(nbs), "--reports", str(reports), "--only", "a"])
    err = capsys.readouterr().err
    assert code == 1
    assert "notebook a.ipynb" in err and expected in err and "make report" in err
    assert (reports / "tables" / "t.csv").read_bytes() == good, "partial output replaced a good one"
    assert (reports / "html" / "full" / "a.html").read_bytes() == good_html
    if "DeadKernel" not in expected:
        assert (reports / "failed" / "a.ipynb").is_file()
    assert {f: (reports / f).read_bytes() for f in bookkeeping} == bookkeeping, "the publication changed"
    assert "a" in {r[0] for r in runner.dry_run(run_config.discover_runs(nbs), reports)}, "the failed run reruns"


def test_config_runs_a_notebook_with_several_parameter_sets(project):
    nbs, reports = project
    (nbs / "report.yml").write_text("runs:\n  a:\n    - {}\n    - {suffix: big, parameters: {value: 9, name: big}}\n")
    runs = run_config.discover_runs(nbs, nbs / "report.yml")
    assert [r.name for r in runs] == ["a", "a-big", "b"]
    runner.run_report([r for r in runs if r.name == "a-big"], reports)
    assert (reports / "tables" / "big.csv").read_text() == "x\n9\n"


def test_outputs_a_run_no_longer_makes_are_removed(project):
    nbs, reports = project
    runner.run_report(run_config.discover_runs(nbs), reports)
    make_notebook(nbs / "a.ipynb", params='value = 1\nname = "renamed"\noutput_dir = "reports"')
    runner.run_report(run_config.discover_runs(nbs), reports)
    assert (reports / "tables" / "renamed.csv").is_file()
    assert not (reports / "tables" / "t.csv").exists()


def test_verify_finds_identical_and_changed_outputs(project):
    from analysis.pipeline.verify import compare

    nbs, reports = project
    runner.run_report(run_config.discover_runs(nbs), reports)
    other = reports.parent / "again"
    runner.run_report(run_config.discover_runs(nbs), other, force=True)
    assert compare(reports, other) == []
    (other / "tables" / "t.csv").write_text("x\n2\n")
    assert compare(reports, other) == ["differs: tables/t.csv"]


def test_verify_compares_xlsx_cells_and_ignores_only_the_commit(tmp_path):
    import pandas as pd

    from analysis.pipeline.export import write_xlsx
    from analysis.pipeline.provenance import Provenance
    from analysis.pipeline.verify import compare

    table = pd.DataFrame({"n": [1, 2]})
    made = {"a": ("abc123", table), "b": ("def456", table), "c": ("abc123", table.assign(n=[1, 3]))}
    for folder, (commit, df) in made.items():
        prov = Provenance("x.ipynb", {"p": 1}, {}, commit=commit)
        write_xlsx(df, tmp_path / folder / "tables" / "t.xlsx", prov)
    assert compare(tmp_path / "a", tmp_path / "b") == []  # only the commit differs
    assert compare(tmp_path / "a", tmp_path / "c") == ["differs: tables/t.xlsx"]


def test_runs_are_ordered_longest_first_with_untimed_runs_before_timed_ones(tmp_path):
    runs = [(run_config.NotebookRun(name, tmp_path / f"{name}.ipynb"), "fp") for name in ("a", "b", "c", "d")]
    state = {"a": {"duration": 2.0}, "b": {"duration": 9.0}, "d": {"duration": 5.0}}
    assert [r.name for r, _ in runner.longest_first(runs, state)] == ["c", "b", "d", "a"]


@pytest.mark.parametrize("workers, n_runs, expected", [("auto", 100, None), ("auto", 1, 1), (3, 2, 2), ("1", 5, 1),
                                                       (0, 5, 1)])
def test_worker_count_is_bounded_by_the_runs(workers, n_runs, expected):
    import os

    if expected is None:
        expected = min(100, os.cpu_count() or 1)  # one per core (round 20)
    assert runner.resolve_workers(workers, n_runs) == expected


def test_auto_runs_one_notebook_at_a_time_on_a_large_input():
    """Issue 29: at 2,000,000 participants three kernels at once peaked at 6.8 GiB; one at
    a time stays under 4 GiB. ``-j`` given as a number is taken as it is."""
    big = runner.LARGE_INPUT + 1
    assert runner.resolve_workers("auto", 7, big) == 1
    assert runner.resolve_workers("auto", 7, runner.LARGE_INPUT) == min(7, __import__("os").cpu_count() or 1)
    assert runner.resolve_workers(2, 7, big) == 2


@pytest.mark.parametrize("n, csv_mib, one_at_a_time", [
    (10_000, 2.9, False), (1_000_000, 294.5, False), (2_000_000, 589.0, True)])  # the benchmark's CSV sizes
def test_the_benchmark_populations_get_the_measured_choice(n, csv_mib, one_at_a_time):
    """At 1,000,000 participants (294 MiB of CSV, benchmarks/results) the runs go in
    parallel (the time target), at 2,000,000 (589 MiB) one at a time (the memory target)."""
    assert (runner.resolve_workers("auto", 11, int(csv_mib * 2**20)) == 1) is one_at_a_time


def test_the_size_is_a_runs_participant_file_and_history_together(tmp_path):
    participants, history = tmp_path / "p.csv", tmp_path / "h.csv"
    participants.write_bytes(b"x" * 300)
    history.write_bytes(b"y" * 200)
    runs = [run_config.NotebookRun("a", tmp_path / "a.ipynb", {"participants_path": str(participants),
                                                    "status_history_path": str(history)}),
            run_config.NotebookRun("b", tmp_path / "b.ipynb", {"participants_path": str(participants)}),
            run_config.NotebookRun("c", tmp_path / "c.ipynb", {"participants_path": str(tmp_path / "missing.csv")})]
    assert runner.run_input_bytes(runs) == 500
    assert runner.run_input_bytes(runs[1:]) == 300
    assert runner.run_input_bytes([]) == 0


def test_xlsx_text_cells_are_never_formulas(tmp_path):
    import zipfile

    import pandas as pd
    from openpyxl import load_workbook

    from analysis.pipeline.export import write_xlsx
    from analysis.pipeline.provenance import Provenance

    risky = ["=HYPERLINK(\"http://x\")", "+31 6 1234", "-1+2", "@SUM(A1)", "=1+1"]
    prov = Provenance("=evil.ipynb", {"participants_path": "=cmd|' /C calc'!A0"}, {"=data.csv": "ab"}, commit="c")
    write_xlsx(pd.DataFrame({"text": risky}), tmp_path / "t.xlsx", prov)
    with zipfile.ZipFile(tmp_path / "t.xlsx") as z:
        sheets = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/")]
    assert sheets and not any("<f>" in s for s in sheets), "a cell was stored as a formula"
    book = load_workbook(tmp_path / "t.xlsx")
    values = [c.value for c in book["tabel"]["B"][1:]]
    assert values == risky and all(c.data_type == "s" for c in book["tabel"]["B"][1:])
    prov_cells = {row[0].value: row[1] for row in book["provenance"].iter_rows(min_row=2)}
    assert prov_cells["notebook"].value == "=evil.ipynb" and prov_cells["notebook"].data_type == "s"


def test_interactive_runs_write_to_scratch_never_into_reports(tmp_path, monkeypatch, capsys):
    from analysis import paths
    from analysis.pipeline.export import ReportOutputs

    monkeypatch.setattr(paths, "REPORTS", tmp_path / "reports")
    monkeypatch.setattr(paths, "PROJECT_ROOT", tmp_path)
    out = ReportOutputs.create("n.ipynb", {}, output_dir="scratch")
    assert out.output_dir == (tmp_path / "scratch").resolve()
    assert "Interactive run: outputs go to scratch/ (not reports/" in capsys.readouterr().out
    for inside in ("reports", "reports/tables", str(tmp_path / "reports")):
        with pytest.raises(ValueError, match="only `make report` writes"):
            ReportOutputs.create("n.ipynb", {}, output_dir=inside)
    staging = tmp_path / "reports" / ".staging" / "run"
    with pytest.raises(ValueError, match="only `make report` writes"):  # a staging folder by its name alone
        ReportOutputs.create("n.ipynb", {}, output_dir=str(staging))
    from analysis import write_targets

    monkeypatch.setattr(write_targets, "_RUNNER_OUTPUT", [])
    write_targets.announce_runner_output(staging)  # as the runner's kernel does before any cell
    staged = ReportOutputs.create("n.ipynb", {}, output_dir=str(staging))
    assert staged.output_dir.name == "run" and capsys.readouterr().out == ""
    with pytest.raises(ValueError, match="only `make report` writes"):  # another run's staging
        ReportOutputs.create("n.ipynb", {}, output_dir=str(staging.with_name("other")))


def test_notebooks_default_to_the_scratch_folder():
    from papermill.inspection import inspect_notebook

    from analysis import paths

    for nb in sorted(paths.NOTEBOOKS.glob("*.ipynb")):
        assert inspect_notebook(str(nb))["output_dir"]["default"] == '"scratch"', nb.name


def test_verify_reruns_each_published_run_with_its_own_parameters(project):
    from analysis.pipeline.verify import published_runs

    nbs, reports = project
    run = run_config.NotebookRun("a", nbs / "a.ipynb", {"value": 7})
    runner.run_report([run], reports, prune=False)
    make_notebook(nbs / "a.ipynb", params='value = 99\nname = "t"\noutput_dir = "reports"')  # defaults moved on
    assert [(r.name, r.parameters) for r in published_runs(reports, nbs)] == [("a", {"value": 7})]


def test_a_file_changed_by_hand_makes_its_run_rerun_and_only_that_run(project):
    nbs, reports = project
    runner.run_report(run_config.discover_runs(nbs), reports)
    (reports / "tables" / "t.csv").write_text("x\n666\n")
    lines = []
    results = {r.run.name: r.status for r in runner.run_report(run_config.discover_runs(nbs), reports,
                                                                  log=lines.append)}
    assert results == {"a": "ok", "b": "skipped"}
    assert (reports / "tables" / "t.csv").read_text() == "x\n1\n"
    assert any("tables/t.csv was changed after publication" in line for line in lines)
    (reports / "html" / "full" / "b.html").unlink()
    assert [n for n, _ in runner.dry_run(run_config.discover_runs(nbs), reports, log=lambda _: None)] == ["b"]


def test_only_keeps_the_other_runs_in_state_index_and_manifest(project):
    nbs, reports = project
    runner.run_report(run_config.discover_runs(nbs), reports)
    code = runner.main(["--notebooks", str(nbs), "--reports", str(reports), "--only", "a", "--force"])
    assert code == 0
    state = json.loads((reports / run_state.STATE_FILE).read_text())
    assert set(state) == {"a", "b"}
    assert 'href="reviewer/b.html"' in (reports / "html" / "index.html").read_text()
    assert "tables/b.csv" in json.loads((reports / "manifest.json").read_text())["files"]


def test_a_second_run_waits_for_the_lock_or_stops_with_a_clear_message(project):
    import fcntl
    import os
    import threading

    nbs, reports = project
    reports.mkdir()
    fd = os.open(reports / ".lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)
    os.write(fd, b"pid 4242")
    try:
        with pytest.raises(run_config.ReportError, match=r"in use by another report run \(pid 4242\)"):
            runner.run_report(run_config.discover_runs(nbs), reports, wait_for_lock=False)
        lines = []
        threading.Timer(1.0, lambda: fcntl.flock(fd, fcntl.LOCK_UN)).start()
        results = runner.run_report(run_config.discover_runs(nbs), reports, log=lines.append)
    finally:
        os.close(fd)
    assert "waiting for it to finish" in lines[0]
    assert sorted(r.status for r in results) == ["ok", "ok"]


@pytest.mark.parametrize("err", [28, 30])  # ENOSPC, EROFS
def test_full_disk_or_read_only_reports_is_one_clear_line_and_leaves_no_partial_files(project, monkeypatch, err):
    import os

    from analysis.pipeline import journal

    nbs, reports = project
    runner.run_report(run_config.discover_runs(nbs), reports)
    before = {p.relative_to(reports): p.read_bytes() for p in reports.rglob("*") if p.is_file() and p.name != ".lock"}
    make_notebook(nbs / "a.ipynb", params='value = 5\nname = "t"\noutput_dir = "reports"')
    real_replace = os.replace

    def failing_replace(src, dst):
        if ".journal" in str(dst):
            raise OSError(err, os.strerror(err), str(dst))
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(run_config.ReportError) as info:
        runner.run_report(run_config.discover_runs(nbs), reports)
    message = str(info.value)
    assert "\n" not in message and message.startswith(f"cannot write to {reports}")
    monkeypatch.setattr(os, "replace", real_replace)
    after = {p.relative_to(reports): p.read_bytes() for p in reports.rglob("*") if p.is_file() and p.name != ".lock"}
    assert after == before, "a failed write left partial or changed files"
    assert not (reports / journal.STAGING).exists() or not any((reports / journal.STAGING).iterdir())


def test_the_terminal_shows_one_line_per_run_no_kernel_noise_and_where_the_results_are(project):
    import subprocess
    import sys

    nbs, reports = project
    cmd = [sys.executable, "-m", "analysis", "report", "--notebooks", str(nbs), "--reports", str(reports)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    output = (done.stdout + done.stderr).strip().splitlines()
    assert "without encryption" not in done.stderr and "KeyboardInterrupt" not in done.stderr, done.stderr
    assert len(output) == 1 + 2 + 1, output  # header, one line per run, last line
    assert output[-1].endswith(f"open {reports / 'html' / 'index.html'}")


def test_kernels_start_in_the_notebook_folder_and_the_runner_keeps_its_own(project):
    import os

    nbs, reports = project
    body = WRITE_TABLE.replace("[value]", "[__import__('os').getcwd()]")
    for name in ("a", "b"):
        make_notebook(nbs / f"{name}.ipynb", body=body, params=f'value = 1\nname = "{name}"\noutput_dir = "r"')
    before = os.getcwd()
    runner.run_report(run_config.discover_runs(nbs), reports, workers=2)
    assert os.getcwd() == before
    for name in ("a", "b"):
        assert (reports / "tables" / f"{name}.csv").read_text().splitlines()[1] == str(nbs)


@pytest.mark.parametrize("fault, shown, hidden", [
    ("raise ValueError('data.csv: 3 problem(s) in the input\\n  row 1: a\\n  row 2: b\\n  row 3: c')",
     ["3 problem(s)", "row 1: a", "row 3: c"], []),
    ("raise OSError(28, 'No space left on device', 'tables/t.csv')", ["no space left on the device"], ["Traceback"]),
])
def test_the_console_shows_the_first_problems_and_a_full_disk_in_one_line(project, fault, shown, hidden, capsys):
    nbs, reports = project
    make_notebook(nbs / "a.ipynb", body=fault)
    code = runner.main(["--notebooks", str(nbs), "--reports", str(reports), "--only", "a"])
    err = capsys.readouterr().err
    assert code == 1
    assert all(s in err for s in shown) and not any(h in err for h in hidden), err
    if "OSError" in fault:
        assert len(err.strip().splitlines()) == 1, err
        assert not (reports / ".staging").exists() or not any((reports / ".staging").iterdir())


def test_a_read_only_reports_folder_is_one_clear_line_before_anything_runs(project, monkeypatch):
    import errno
    import os

    nbs, reports = project
    real_open = os.open

    def read_only(path, *args, **kwargs):
        if str(path).endswith(".lock"):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", read_only)
    with pytest.raises(run_config.ReportError) as info:
        runner.run_report(run_config.discover_runs(nbs), reports)
    assert str(info.value).startswith(f"cannot write to {reports}: the file system is read-only")
    assert "\n" not in str(info.value)


def test_runs_publishing_person_counts_run_together(tmp_path, capsys):
    """Runs whose disclosure control is joint (they declare ``min_cell_count``) are never
    published from different invocations: when one must run, all run, also with ``--only``;
    a run without person counts is left alone."""
    nbs, reports = tmp_path / "notebooks", tmp_path / "reports"
    nbs.mkdir()
    counts = 'value = 1\nname = "{}"\nmin_cell_count = 10\ncutoff_date = "2021-04-01"\noutput_dir = "reports"'
    make_notebook(nbs / "p.ipynb", params=counts.format("p"))
    make_notebook(nbs / "q.ipynb", params=counts.format("q"))
    make_notebook(nbs / "r.ipynb", params='value = 1\nname = "r"\noutput_dir = "reports"')
    runner.run_report(run_config.discover_runs(nbs), reports)
    make_notebook(nbs / "q.ipynb", params=counts.format("q").replace("value = 1", "value = 5"))
    results = {r.run.name: (r.status, r.reason) for r in runner.run_report(run_config.discover_runs(nbs), reports)}
    assert results["q"][0] == "ok" and results["r"] == ("skipped", "")
    assert results["p"] == ("ok", "protected together with q")
    capsys.readouterr()
    code = runner.main(["--notebooks", str(nbs), "--reports", str(reports), "--only", "p", "-p",
                        "cutoff_date=2021-03-01"])
    assert code == 0
    state = run_state.read_state(reports)
    assert {state[n]["status"] for n in ("p", "q")} == {"ok"}
    ran = capsys.readouterr().out
    assert "ok      q" in ran and "ok      r" not in ran, ran


def test_a_failure_of_the_machinery_is_not_blamed_on_the_notebook(tmp_path):
    """Hostile tester round 5 (CON2, KZ, T1): a port race, a killed kernel server and a timeout
    printed raw tracebacks or errno text, "kept at (none)" and "Fix the cause"."""
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    from analysis.pipeline.execute import _failure_message

    class ZMQError(Exception):  # as pyzmq names it; matched by name, like the others
        pass

    run = run_config.NotebookRun("02_x", tmp_path / "02_x.ipynb")
    for exc, cause in [(ZMQError("Address already in use (addr='tcp://127.0.0.1:36601')"), "port taken"),
                       (BrokenPipeError(32, "Broken pipe"), "lost its kernel server"),
                       (DeadKernelError("Kernel died"), "kernel died"),
                       (CellTimeoutError("A cell timed out while it was being executed, after 1 seconds."),
                        "--timeout")]:
        message = _failure_message(run, exc, None)
        assert cause in message and "no fault of the notebook" in message, message
        assert "(none)" not in message and "Fix the cause" not in message and "Traceback" not in message
    plain = _failure_message(run, ValueError("a bug"), None)
    assert "failed: ValueError: a bug" in plain and "(none)" not in plain and "kept at" not in plain


def test_a_run_on_shipped_inputs_reads_no_private_file_from_its_first_cell_and_fails_privately(project, tmp_path,
                                                                                             monkeypatch):
    """Intruder round 9 (G1a, G2): the read guard started in setup(), so a cell above it read the
    real file onto the public site; and the failed notebook of a refused read, which names the
    private file, was kept in the public reports/failed/."""
    nbs, reports = project
    private = tmp_path / "private"
    private.mkdir()
    (private / "deJong.csv").write_text("hoog,3\n", encoding="utf-8")
    monkeypatch.setenv("VWNW_PRIVATE_DIR", str(private))
    make_notebook(nbs / "a.ipynb", body=f"print(open({str(private / 'deJong.csv')!r}).read())")
    with pytest.raises(run_config.ReportError, match="may not open 'deJong.csv' in the private folder"):
        runner.run_report(run_config.discover_runs(nbs), reports)
    assert not (reports / "failed").exists() or not list((reports / "failed").iterdir())
    kept = private / "failed" / "a.ipynb"
    assert kept.is_file() and "deJong.csv" in kept.read_text(encoding="utf-8")
    assert not list(reports.rglob("*deJong*")) and "hoog,3" not in "".join(
        p.read_text(errors="replace") for p in reports.rglob("*") if p.is_file())
