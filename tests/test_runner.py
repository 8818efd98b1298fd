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
    assert "Provenance" in reviewer and "git commit" in reviewer
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
    make_notebook(nbs / "a.ipynb", body=WRITE_TABLE.replace("value]", "value + 100]") + "\n" + fault)
    code = runner.main(["--notebooks", str(nbs), "--reports", str(reports), "--only", "a"])
    err = capsys.readouterr().err
    assert code == 1
    assert "notebook a.ipynb" in err and expected in err and "make report" in err
    assert (reports / "tables" / "t.csv").read_bytes() == good, "partial output replaced a good one"
    assert (reports / "html" / "full" / "a.html").read_bytes() == good_html
    if "DeadKernel" not in expected:
        assert (reports / "failed" / "a.ipynb").is_file()
    state = json.loads((reports / run_state.STATE_FILE).read_text())
    assert state["a"]["status"] == "failed"


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
        expected = 2 * (os.cpu_count() or 1)
    assert runner.resolve_workers(workers, n_runs) == expected
