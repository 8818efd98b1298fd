"""The hostile-input corpus (``tests/corpus/hostile/``, issue 28): each case is read through its
route and gives the outcome ``expected.yml`` states, written by hand from the edit that made
the case: an error whose one message holds every fragment (file, sheet, row, column, the
text as written, the rule), or a correct reading. No case may end in a traceback of another
kind: every refusal is an ``InputError`` or a ``ReportError``."""

import faulthandler
import os
import shutil
import signal
import sys
import time
from contextlib import contextmanager
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
                       'language = "nl"\nstudy = "catering_noordoost_brabant_2021"\nmin_cell_count = 10\n'
                       'power_sims = 400\npower_ns = [30, 100]\ndefinitions = ["work"]\norigins = ["start"]\n'
                       'groupings = ["triage"]\nfollow_up_end = "2021-04-16"\n'
                       'predictors = ["triage", "opleiding"]\nprocessed_dir = "data/processed"\noutput_dir = "scratch"')


def test_the_corpus_has_at_least_60_cases_and_every_file_has_an_expectation():
    assert len(EXPECTED) >= 60
    files = {f"{p.parent.name}/{p.name}" for p in HOSTILE.glob("*/*") if p.suffix != ".py"}
    listed = {k for k in EXPECTED if not k.startswith(("path:", "param:", "param_path:", "export_path:", "cli:"))}
    assert files == listed, files ^ listed


GUARD_SECONDS = 20


@contextmanager
def time_guard(seconds: int = GUARD_SECONDS):
    """A hang fails instead of blocking the suite: after ``seconds`` of the process's CPU time
    (SIGPROF: a loaded machine's waiting does not count; CI on two cores shared with other
    work failed on wall-clock seconds) a TimeoutError is raised in Python code; a hang inside
    C code that never returns to Python (a regular expression backtracking) ends the worker
    process after 15 times as long in wall-clock time, with every thread's stack on stderr."""
    def alarm(_signum, _frame):
        raise TimeoutError(f"a hostile input took more than {seconds} s of CPU (a hang)")

    previous = signal.signal(signal.SIGPROF, alarm)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    faulthandler.dump_traceback_later(seconds * 15, exit=True, file=sys.__stderr__)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)
        faulthandler.cancel_dump_traceback_later()


def test_the_time_guard_fails_a_hang():
    with pytest.raises(TimeoutError, match="a hang"), time_guard(1):
        end = time.process_time() + 5
        while time.process_time() < end:  # busy: CPU time is what the guard counts
            pass


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
    if name == "link-to-etc":
        (tmp_path / "deelnemers.csv").symlink_to("/etc/hostname")
        return tmp_path / "deelnemers.csv"
    if name == "link-to-csv":
        (tmp_path / "deelnemers.csv").symlink_to(HOSTILE / "files" / "ok_dates_at_midnight.csv")
        return tmp_path / "deelnemers.csv"
    return Path(name)


EXPORT = Path(__file__).parents[1] / "data" / "raw" / "pilot_export_synthetic.xlsx"


def special_export(name: str, tmp_path: Path) -> Path:
    """The synthetic export and its mapping in ``tmp_path``, with one of them (or the source the
    mapping names) replaced by what ``name`` says; returns the path given to the loader."""
    export, mapping = tmp_path / "export.xlsx", tmp_path / "export.mapping.yml"
    shutil.copyfile(EXPORT, export)
    text = EXPORT.with_name("pilot_export_synthetic.mapping.yml").read_text(encoding="utf-8")
    mapping.write_text(text.replace("source: pilot_export_synthetic.xlsx", "source: export.xlsx"), encoding="utf-8")
    if name == "mapping_fifo":
        mapping.unlink()
        os.mkfifo(mapping)
    elif name == "mapping_folder":
        mapping.unlink()
        mapping.mkdir()
        return export
    elif name == "mapping_link":
        mapping.rename(tmp_path / "real.yml")
        mapping.symlink_to(tmp_path / "real.yml")
    elif name == "source_fifo":
        export.unlink()
        os.mkfifo(export)
    elif name == "source_link":
        export.rename(tmp_path / "real.xlsx")
        export.symlink_to(tmp_path / "real.xlsx")
    elif name == "export_fifo_without_mapping":
        mapping.unlink()
        export.unlink()
        os.mkfifo(export)
        return export
    return mapping


def linked_input(name: str, tmp_path: Path) -> Path:
    """The path a ``param_path`` case names: a special path, a special export's mapping, or
    (``export_of_mapping_link``) the export whose mapping beside it is a link."""
    if name.startswith("link-"):
        return special_path(name, tmp_path)
    if name == "export_of_mapping_link":
        return special_export("mapping_link", tmp_path).with_name("export.xlsx")
    return special_export(name, tmp_path)


def outcome(case: str, spec: dict, tmp_path: Path, notebooks: Path):
    """The reading (a value to compare) of ``case`` along its route; refusals raise."""
    from analysis.data.loading import load_table
    from analysis.data.workbook import read_sheets
    from analysis.pilot.history import HISTORY
    from analysis.pilot.inputs import load_participants

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
    if route == "interviews":  # the DWSRA interview counts (labels drawn in Figuren 3.1-4.2)
        from analysis.dwsra.schema import INTERVIEW_COUNTS

        return load_table(HOSTILE / case, INTERVIEW_COUNTS)
    if route == "history_checked":  # every rule of a history beside the synthetic participant file
        from analysis.pilot.history import load_history

        participants = load_participants(HISTORY_FILE.with_name("pilot_participants_synthetic.csv"))
        return load_history(HOSTILE / case, participants)
    if route == "study":
        runs = run_config.apply_overrides(run_config.discover_runs(notebooks), {"study": str(HOSTILE / case)})
        runner.check_runs(runs, tmp_path / "reports")
        return runs[0].parameters
    if route == "export":
        from analysis.pilot.from_export import load_export

        return load_export(HOSTILE / case / "export.mapping.yml")
    if route == "export_study":  # a new pilot's export under its own study, whose file is in the case folder
        from analysis.pilot import schema as ps
        from analysis.pilot.from_export import load_export

        before = ps.STUDY
        ps.use_study(HOSTILE / case / f"{spec['study']}.yml")
        try:
            return load_export(HOSTILE / case / "export.mapping.yml")
        finally:
            ps.use_study(before)
    if route == "export_path":
        from analysis.pilot.from_export import load_export_cached

        return load_export_cached(special_export(case.split(":", 1)[1], tmp_path), tmp_path / "processed")
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
    if route == "param_path":  # a linked input named to the runner: refused before any kernel starts
        given = linked_input(case.split(":", 1)[1], tmp_path)
        runs = run_config.apply_overrides(run_config.discover_runs(notebooks), {"participants_path": str(given)})
        runner.check_runs(runs, tmp_path / "reports", inputs=False)
        return runs[0].parameters
    if route == "cli":
        return cli_outcome(case.split(":", 1)[1])
    if route == "ledger":  # the release ledger of a private folder, holding the case as its ledger.jsonl
        from analysis import ledger

        target = ledger.ledger_path(tmp_path)
        target.parent.mkdir(parents=True)
        shutil.copyfile(HOSTILE / case, target)
        return ledger.read(tmp_path)
    raise AssertionError(f"unknown route {route}")


CONTROL = {"{ESC}": "\x1b", "{BEL}": "\x07"}


def cli_outcome(command: str) -> tuple[int, str]:
    """``python -m analysis`` with ``command`` (split at spaces; ``{ESC}``, ``{BEL}`` stand for
    those control characters), run in the project folder: its exit code and what it printed."""
    import contextlib
    import io
    import shlex

    from analysis import paths
    from analysis.cli import main

    for token, char in CONTROL.items():
        command = command.replace(token, char)
    out, err = io.StringIO(), io.StringIO()
    cwd = os.getcwd()
    os.chdir(paths.PROJECT_ROOT)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(shlex.split(command))
            except SystemExit as stop:
                code = stop.code
    finally:
        os.chdir(cwd)
    return code, out.getvalue() + err.getvalue()


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_hostile_case_is_read_correctly_or_refused_with_one_clear_message(case, tmp_path, notebook_p, pilot30):
    spec = EXPECTED[case]
    start = time.process_time()
    with time_guard():
        check_case(case, spec, tmp_path, notebook_p, pilot30)
    assert time.process_time() - start < GUARD_SECONDS, "a hostile input must not take long (CPU seconds)"


def check_case(case, spec, tmp_path, notebook_p, pilot30):
    from analysis.terminal_text import printable

    if spec["route"] == "cli":  # what the user sees: one line, the exit code, nothing a terminal obeys
        code, text = outcome(case, spec, tmp_path, notebook_p)
        assert code == spec["code"], text
        lines = spec.get("lines", 1)  # an option: one line; an input error: the file, then each problem
        assert text.count("\n") == lines and text.endswith("\n"), f"{lines} line(s), got:\n{text}"
        assert printable(text) == text and "Traceback" not in text
        for fragment in spec["fragments"]:
            assert fragment in text, f"{case}: {fragment!r} missing from:\n{text}"
        return
    if spec["outcome"] == "onbekend":  # the synthetic data, but one not recorded cell read as onbekend (F14)
        got, want = outcome(case, spec, tmp_path, notebook_p), pilot30.copy()
        row = want.index[want["deelnemer_id"] == spec["id"]][0]
        assert pd.notna(want.at[row, spec["column"]]) and want.at[row, spec["column"]] != "onbekend"
        want.at[row, spec["column"]] = "onbekend"
        pd.testing.assert_frame_equal(got, want, check_dtype=True)
        return
    if spec["outcome"] == "ok":
        got = outcome(case, spec, tmp_path, notebook_p)
        if spec["route"] in ("participants", "path", "export", "export_path"):
            pd.testing.assert_frame_equal(got, pilot30, check_dtype=True)
        elif spec["route"] == "export_study":  # as the case it names (its cells as listed), read the same way
            want = outcome(spec["same_as"], EXPECTED[spec["same_as"]], tmp_path, notebooks=None) \
                if "same_as" in spec else got.copy()
            for pid, cells in spec.get("cells", {}).items():
                for name, value in cells.items():
                    want.loc[want["deelnemer_id"] == pid, name] = value
            pd.testing.assert_frame_equal(got, want, check_dtype=True)
            for name, value in spec.get("read", {}).items():  # a column's values counted by hand
                assert got[name].value_counts(dropna=False).to_dict() == value, got[name].value_counts(dropna=False)
        elif spec["route"] == "sheets":
            row, column = spec["cell"]
            assert got[row - 1][column - 1] == spec["value"]
        elif spec["route"] == "history":
            assert len(got) == len(pd.read_csv(HISTORY_FILE))
        elif spec["route"] in ("history_checked", "interviews"):
            assert len(got) == len(pd.read_csv(HOSTILE / case))
        elif spec["route"] == "config":
            assert got == spec["runs"]
        elif spec["route"] == "ledger":
            assert [e.cutoffs for e in got] == [tuple(c) for c in spec["cutoffs"]]
        else:
            assert {k: got[k] for k in spec["parameters"]} == spec["parameters"]
    else:
        # a damaged ledger is a ValueError naming the ledger and the line (analysis.ledger.read)
        with pytest.raises(ValueError if spec["route"] == "ledger" else (InputError, ReportError)) as info:
            outcome(case, spec, tmp_path, notebook_p)
        message = str(info.value)
        for fragment in spec["fragments"]:
            assert fragment in message, f"{case}: {fragment!r} missing from:\n{message}"
        if isinstance(info.value, InputError):
            assert len(info.value.problems) == spec.get("problems", 1), message
            if spec["route"] not in ("path", "export_path"):
                assert message.startswith(str(HOSTILE / case)), "the message names the file first"
        assert "Traceback" not in message
        if spec["route"] != "path":  # a path names the file as given; printing escapes it (route cli)
            assert printable(message) == message, f"a cell's control characters must be shown escaped:\n{message}"


EXPORT_CASES = sorted(k for k, v in EXPECTED.items() if v["route"] == "export")


_RULES_PASSED: set[tuple] = set()


def _report_rules_once(rules):
    """``report_rules`` that runs once per content: a pure function of the validated frame, the
    status history, the threshold and the active study (it returns nothing or raises). The
    corpus's readable exports read to the same 30 persons (``test_hostile_case_...`` compares
    each with the shipped file), and each ran the whole gate and drew every figure again
    (about 6 s of CPU each, the largest part of this file's time). A frame that differs in any
    value, dtype, index or study runs the rules; a rule that raises is never remembered."""
    from analysis.pilot import schema as ps

    def digest(frame):
        if frame is None:
            return None
        hashed = pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes()
        return hashed, tuple(map(str, frame.dtypes)), tuple(frame.columns)

    def once(df, status_history, threshold, config=None, cutoffs=None):
        key = (digest(df), digest(status_history), threshold, ps.STUDY, str(config), str(cutoffs))
        if key not in _RULES_PASSED:
            rules(df, status_history, threshold, config, cutoffs)
            _RULES_PASSED.add(key)

    return once


@pytest.mark.parametrize("case", EXPORT_CASES)
def test_inspect_check_of_a_hostile_export_is_one_message_without_a_traceback(case, capsys, monkeypatch):
    """What the user sees: ``inspect --check`` on the export prints the problems (or passes)."""
    from analysis import export_inspection
    from analysis.cli import main

    monkeypatch.setattr(export_inspection, "report_rules", _report_rules_once(export_inspection.report_rules))
    spec = EXPECTED[case]
    with time_guard():
        code = main(["inspect", str(HOSTILE / case / "export.mapping.yml"), "--check"])
    out = capsys.readouterr()
    text = out.out + out.err
    assert "Traceback" not in text
    if spec["outcome"] in ("ok", "onbekend"):
        assert code == 0, text
    else:
        assert code == 1 and all(f in text for f in spec["fragments"]), text
