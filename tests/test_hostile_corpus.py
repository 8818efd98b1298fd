"""The hostile-input corpus (``tests/corpus/hostile/``, issue 28): each case is read through its
route and gives the outcome ``expected.yml`` states, written by hand from the edit that made
the case: an error whose one message holds every fragment (file, sheet, row, column, the
text as written, the rule), or a correct reading. No case may end in a traceback of another
kind: every refusal is an ``InputError`` or a ``ReportError``."""

import os
import time
from pathlib import Path

import pandas as pd
import pytest
import yaml
from nbformat.v4 import new_code_cell, new_notebook

from analysis.data.errors import InputError
from analysis.pipeline import runner, runs as run_config
from analysis.pipeline.runs import ReportError

HOSTILE = Path(__file__).parent / "corpus" / "hostile"
EXPECTED = yaml.safe_load((HOSTILE / "expected.yml").read_text(encoding="utf-8"))
HISTORY_FILE = Path(__file__).parents[1] / "data" / "raw" / "pilot_status_history_synthetic.csv"
NOTEBOOK_PARAMETERS = ('participants_path = "data/raw/pilot_participants_synthetic.csv"\ncutoff_date = "2021-04-01"\n'
                       'language = "nl"\nmin_cell_count = 10\npower_sims = 400\npower_ns = [30, 100]\n'
                       'predictors = ["triage", "opleiding"]\nprocessed_dir = "data/processed"\noutput_dir = "scratch"')


def test_the_corpus_has_at_least_60_cases_and_every_file_has_an_expectation():
    assert len(EXPECTED) >= 60
    files = {f"{p.parent.name}/{p.name}" for p in HOSTILE.glob("*/*") if p.suffix != ".py"}
    listed = {k for k in EXPECTED if not k.startswith(("path:", "param:"))}
    assert files == listed, files ^ listed


@pytest.fixture()
def notebook_p(tmp_path):
    nbs = tmp_path / "notebooks"
    nbs.mkdir()
    cell = new_code_cell(NOTEBOOK_PARAMETERS)
    cell.metadata["tags"] = ["parameters"]
    nb = new_notebook(cells=[cell])
    import nbformat

    nbformat.write(nb, nbs / "p.ipynb")
    return nbs


def special_path(name: str, tmp_path: Path) -> Path:
    if name == "fifo":
        os.mkfifo(tmp_path / "deelnemers.csv")
        return tmp_path / "deelnemers.csv"
    if name == "link-to-csv":
        (tmp_path / "deelnemers.csv").symlink_to(HOSTILE / "files" / "ok_dates_at_midnight.csv")
        return tmp_path / "deelnemers.csv"
    return Path(name)


def outcome(case: str, spec: dict, tmp_path: Path, notebooks: Path):
    """The reading (a value to compare) of ``case`` along its route; refusals raise."""
    from analysis.data.loading import load_table
    from analysis.data.workbook import read_sheets
    from analysis.pilot.history import HISTORY
    from analysis.pilot.schema import load_participants

    route = spec["route"]
    if route == "participants":
        return load_participants(HOSTILE / case)
    if route == "path":
        return load_participants(special_path(case.split(":", 1)[1], tmp_path))
    if route == "sheets":
        grid = read_sheets(HOSTILE / case)[spec["sheet"]]
        return grid
    if route == "history":
        return load_table(HOSTILE / case, HISTORY)
    if route == "config":
        runs = run_config.discover_runs(notebooks, HOSTILE / case)
        runner.check_runs(runs, tmp_path / "reports")
        return {r.name: r.parameters for r in runs}
    if route == "param":
        item = case.split(":", 1)[1]
        import argparse

        try:
            name, value = runner.parameter(item)
        except argparse.ArgumentTypeError as exc:
            raise ReportError(str(exc)) from None
        runs = run_config.apply_overrides(run_config.discover_runs(notebooks), {name: value})
        runner.check_runs(runs, tmp_path / "reports")
        return runs[0].parameters
    raise AssertionError(f"unknown route {route}")


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_hostile_case_is_read_correctly_or_refused_with_one_clear_message(case, tmp_path, notebook_p, pilot30):
    spec = EXPECTED[case]
    start = time.perf_counter()
    if spec["outcome"] == "ok":
        got = outcome(case, spec, tmp_path, notebook_p)
        if spec["route"] in ("participants", "path"):
            pd.testing.assert_frame_equal(got, pilot30, check_dtype=True)
        elif spec["route"] == "sheets":
            row, column = spec["cell"]
            assert got[row - 1][column - 1] == spec["value"]
        elif spec["route"] == "history":
            assert len(got) == len(pd.read_csv(HISTORY_FILE))
        elif spec["route"] == "config":
            assert got == spec["runs"]
        else:
            assert {k: got[k] for k in spec["parameters"]} == spec["parameters"]
    else:
        with pytest.raises((InputError, ReportError)) as info:
            outcome(case, spec, tmp_path, notebook_p)
        message = str(info.value)
        for fragment in spec["fragments"]:
            assert fragment in message, f"{case}: {fragment!r} missing from:\n{message}"
        if isinstance(info.value, InputError):
            assert len(info.value.problems) == spec.get("problems", 1), message
            if spec["route"] != "path":
                assert message.startswith(str(HOSTILE / case)), "the message names the file first"
        assert "Traceback" not in message
    assert time.perf_counter() - start < 20, "a hostile input must not take long (nothing unpacked that is not read)"
