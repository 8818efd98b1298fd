"""The runner against hostile or broken surroundings (issue 28) and its all-or-nothing
publication per invocation (issue 23): links in the reports folder, typos in folder and
file names, damaged journal and state, Ctrl-C, runs on private inputs, joint cut-off dates
from the configuration in use. Tests that start kernels are marked slow; the tiny notebooks
come from ``test_runner.make_notebook``."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_runner import WRITE_TABLE, make_notebook

from analysis import paths, private_data
from analysis.files import sha256_file
from analysis.pipeline import journal, private_runs, runner, runs as run_config, state as run_state

FAIL = "raise ValueError('boom 56 jaar')"


@pytest.fixture()
def project(tmp_path):
    nbs = tmp_path / "notebooks"
    nbs.mkdir()
    make_notebook(nbs / "a.ipynb")
    make_notebook(nbs / "b.ipynb", params='value = 2\nname = "b"\noutput_dir = "reports"')
    return nbs, tmp_path / "reports"


def published(reports: Path) -> dict[str, bytes]:
    """Every file under ``reports`` but the lock, by relative path."""
    return {p.relative_to(reports).as_posix(): p.read_bytes() for p in sorted(reports.rglob("*"))
            if p.is_file() and p.name != journal.LOCK_FILE}


def cli(nbs: Path, reports: Path, *extra: str) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "analysis", "report", "--notebooks", str(nbs), "--reports", str(reports), *extra]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300)


# --- typos and missing files: an error, never an empty plan that prunes ---------------------------------------

def test_a_notebook_folder_that_does_not_exist_is_an_error_and_nothing_is_removed(project, capsys):
    nbs, reports = project
    reports.mkdir()
    (reports / "keep.txt").write_text("x")
    code = runner.main(["--notebooks", str(nbs.parent / "notebok"), "--reports", str(reports)])
    err = capsys.readouterr().err
    assert code == 1 and "notebok: no such folder" in err and "Traceback" not in err
    assert (reports / "keep.txt").read_text() == "x"


def test_an_empty_notebook_folder_is_an_error(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    code = runner.main(["--notebooks", str(tmp_path / "empty"), "--reports", str(tmp_path / "r")])
    assert code == 1 and "holds no notebooks" in capsys.readouterr().err


def test_a_config_file_that_does_not_exist_is_an_error(project, capsys):
    nbs, reports = project
    code = runner.main(["--notebooks", str(nbs), "--reports", str(reports), "--config", str(nbs / "reprot.yml")])
    err = capsys.readouterr().err
    assert code == 1 and "reprot.yml: no such file" in err and "nothing was removed" in err


# --- parameters the runner owns or bounds ----------------------------------------------------------------------

@pytest.mark.parametrize("item, fragment", [
    ("output_dir=../..", "output_dir cannot be set"),
    ("joint_cutoffs=2021-01-01", "joint_cutoffs cannot be set"),
])
def test_runner_owned_parameters_are_refused(project, capsys, item, fragment):
    nbs, reports = project
    code = runner.main(["--notebooks", str(nbs), "--reports", str(reports), "-p", item])
    err = capsys.readouterr().err
    assert code == 1 and fragment in err and not reports.exists()


@pytest.mark.parametrize("value, fragment", [
    ("012", "leading zero"), ("010", "leading zero"), ("1:30", "1:30 as 90"), ("7 #2", "no comments"),
    ("1.000", "thousands separator"), ("1,000", "thousands separator"), ("ten", "a whole number"),
    ("1.5", "got '1.5'"),  # as written (it said "got float")
])
def test_int_parameters_are_typed_strictly(project, capsys, value, fragment):
    nbs, reports = project
    code = runner.main(["--notebooks", str(nbs), "--reports", str(reports), "-p", f"value={value}"])
    err = capsys.readouterr().err
    assert code == 1 and fragment in err, err


def test_a_text_parameter_keeps_a_hash_sign_and_everything_after_it():
    assert run_config.typed_value("data/deel.csv #2") == "data/deel.csv #2"
    assert run_config.typed_value("012") == "012" and run_config.typed_value("1:30") == "1:30"
    assert run_config.typed_value("yes") == "yes" and run_config.typed_value("true") is True


@pytest.mark.parametrize("params, fragment", [
    ({"min_cell_count": 0}, "between 1 and 1,000"),
    ({"power_sims": 1_000_000_000}, "between 0 and 100,000"),
    ({"power_ns": [30, 10**9]}, "between 2 and 10,000,000"),
    ({"language": "fr"}, "one of nl, en"),
    ({"predictors": "deelnemer_id"}, "'deelnemer_id'"),
    ({"cutoff_date": "2021-13-01"}, "YYYY-MM-DD"),
    ({"cutoff_date": "3021-01-01"}, "between 1900 and 2099"),
])
def test_parameters_outside_their_documented_range_are_refused_before_any_kernel(tmp_path, params, fragment):
    run = run_config.NotebookRun("x", tmp_path / "x.ipynb", params)
    with pytest.raises(run_config.ReportError, match="Nothing was run") as info:
        runner.check_runs([run], tmp_path / "reports")
    assert fragment in str(info.value)


def test_every_parameter_problem_of_every_run_is_said_at_once(tmp_path):
    # one at a time, a user fixed a value, ran again and met the next (hostile round 13)
    runs = [run_config.NotebookRun("a", tmp_path / "a.ipynb", {"language": "fr", "min_cell_count": -3}),
            run_config.NotebookRun("b", tmp_path / "b.ipynb", {"cutoff_date": "2021-13-01"})]
    with pytest.raises(run_config.ReportError, match="Nothing was run|nothing was run") as info:
        runner.check_runs(runs, tmp_path / "reports")
    text = str(info.value)
    assert text.startswith("3 problems")
    assert "run 'a'" in text and "one of nl, en" in text and "min_cell_count" in text
    assert "run 'b'" in text and "YYYY-MM-DD" in text


@pytest.mark.parametrize("name, value", [
    ("processed_dir", "reports/html/data"), ("participants_path", "reports/tables/x.csv"),
    ("processed_dir", "reports-private/cache"), ("scratch_dir", "{reports}/x"),
])
def test_path_parameters_inside_a_published_folder_are_refused(tmp_path, name, value):
    reports = tmp_path / "out"
    run = run_config.NotebookRun("x", tmp_path / "x.ipynb", {name: value.format(reports=reports)})
    with pytest.raises(run_config.ReportError, match="a published folder"):
        runner.check_runs([run], reports)


def test_a_folder_parameter_naming_a_file_is_refused(tmp_path):
    (tmp_path / "f").write_text("x")
    run = run_config.NotebookRun("x", tmp_path / "x.ipynb", {"processed_dir": str(tmp_path / "f")})
    with pytest.raises(run_config.ReportError, match="is a file; it must name a folder"):
        runner.check_runs([run], tmp_path / "reports")


# --- links in the reports folder -------------------------------------------------------------------------------

@pytest.mark.parametrize("link", [journal.LOCK_FILE, journal.JOURNAL_FILE, run_state.STATE_FILE, "tables",
                                  "html/files", journal.STAGING])
def test_a_link_in_the_reports_folder_is_refused_and_nothing_is_written_through_it(project, tmp_path, link):
    nbs, reports = project
    (reports / "html").mkdir(parents=True)
    target = tmp_path / "elsewhere"
    target.mkdir()
    (target / "victim.txt").write_text("precious")
    dest = target if link in ("tables", "html/files", journal.STAGING) else target / "victim.txt"
    (reports / link).symlink_to(dest)
    with pytest.raises(run_config.ReportError, match="is a symbolic link") as info:
        runner.run_report(run_config.discover_runs(nbs), reports)
    assert f"rm {reports / link}" in str(info.value)
    assert sorted(p.name for p in target.iterdir()) == ["victim.txt"]
    assert (target / "victim.txt").read_text() == "precious"


def test_journal_paths_that_leave_the_reports_folder_are_not_applied(tmp_path):
    reports = tmp_path / "reports"
    reports.mkdir()
    (tmp_path / "victim.txt").write_text("precious")
    bad = {"version": 2, "moves": [], "remove": ["../victim.txt"], "state": {}}
    (reports / journal.JOURNAL_FILE).write_text(json.dumps(bad))
    lines = []
    journal.recover(reports, lambda st: None, lines.append)
    assert (tmp_path / "victim.txt").read_text() == "precious"
    assert "damaged" in lines[0] and "leaves" in lines[0]


def test_a_publication_that_cannot_be_completed_does_not_stop_every_later_run(tmp_path):
    """Hostile tester round 5 (S1): building the landing page failed the same way at every
    completion of the interrupted publication; the folder stayed stuck until the journal was
    removed by hand. Now the journal is set aside with one line and the runs whose files
    differ from the state run again."""
    reports = tmp_path / "reports"
    reports.mkdir()
    entry = {"version": 2, "moves": [], "remove": [], "state": {}}
    (reports / journal.JOURNAL_FILE).write_text(json.dumps(entry))

    def finish(state):
        raise ValueError("a study is a file studies/<id>.yml")

    lines = []
    assert journal.recover(reports, finish, lines.append) is False
    assert not (reports / journal.JOURNAL_FILE).exists() and (reports / ".journal.failed.json").is_file()
    assert "could not be completed" in lines[-1] and "a study is a file" in lines[-1]
    assert journal.recover(reports, finish, lines.append) is False  # the next run is not stopped again


# --- damaged journal and state ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["{not json", "[]", '{"staging": 3}', '{"version": 2, "moves": "x"}', "\x00\x01"])
def test_a_damaged_journal_is_set_aside_with_one_line_and_the_next_steps(tmp_path, text):
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / journal.JOURNAL_FILE).write_text(text)
    lines = []
    assert journal.recover(reports, lambda st: pytest.fail("must not apply"), lines.append) is False
    assert not (reports / journal.JOURNAL_FILE).exists()
    assert (reports / ".journal.damaged.json").read_text() == text
    assert len(lines) == 1 and "--force" in lines[0]


@pytest.mark.parametrize("text", ["{", "[1, 2]", '{"a": 3}', '{"a": {"outputs": [1]}}', '{"a": {"parameters": 1}}'])
def test_a_damaged_state_is_set_aside_and_every_run_runs_again(tmp_path, text):
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / run_state.STATE_FILE).write_text(text)
    lines = []
    assert run_state.read_state(reports, lines.append) == {}
    assert "damaged" in lines[0] and (reports / ".runner-state.damaged.json").read_text() == text


def test_a_lost_staged_file_makes_its_run_stale_and_the_manifest_tells_what_is_there(tmp_path):
    """Ctrl-C or a crash lost the staging of a committed journal: the manifest must list the
    hash of the file actually in place, and the run must run again."""
    reports = tmp_path / "reports"
    (reports / "tables").mkdir(parents=True)
    (reports / "tables" / "t.csv").write_text("old\n")
    (reports / journal.STAGING / "a" / "tables").mkdir(parents=True)
    (reports / journal.STAGING / "a" / "tables" / "u.csv").write_text("new u\n")
    state = {"a": {"fingerprint": "f", "status": "ok", "outputs": {"tables/t.csv": "0" * 64,
                                                                   "tables/u.csv": sha256_bytes_of("new u\n")}}}
    entry = {"version": 2, "moves": [["a", "tables/t.csv"], ["a", "tables/u.csv"]], "remove": [], "state": state}
    written = {}
    journal.apply(reports, entry, written.update)
    assert written["a"]["outputs"]["tables/t.csv"] == sha256_file(reports / "tables" / "t.csv")
    assert written["a"]["outputs"]["tables/u.csv"] == sha256_bytes_of("new u\n")
    assert written["a"]["status"] == "incomplete"


def sha256_bytes_of(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode()).hexdigest()


# --- joint cut-off dates from the configuration in use ---------------------------------------------------------

def joint_notebook(path: Path, cutoff: str) -> None:
    make_notebook(path, body=WRITE_TABLE.replace("[value]", "[','.join(joint_cutoffs)]"),
                  params=f'value = 1\nname = "{path.stem}"\ncutoff_date = "{cutoff}"\njoint_cutoffs = []\n'
                         'min_cell_count = 10\noutput_dir = "reports"')


def test_joint_cutoffs_are_the_sorted_distinct_dates_of_the_invocation(tmp_path):
    nbs = tmp_path / "nb"
    nbs.mkdir()
    joint_notebook(nbs / "p.ipynb", "2021-04-01")
    joint_notebook(nbs / "q.ipynb", "2021-04-16")
    make_notebook(nbs / "r.ipynb", params='value = 1\nname = "r"\ncutoff_date = "2020-01-01"\noutput_dir = "x"')
    (nbs / "other.yml").write_text("runs:\n  p:\n    - {}\n"
                                   "    - {suffix: m, parameters: {cutoff_date: '2021-03-01'}}\n")
    got = {r.name: r.parameters.get("joint_cutoffs") for r in
           run_config.with_joint_cutoffs(run_config.discover_runs(nbs, nbs / "other.yml"))}
    assert got == {"p": ["2021-03-01", "2021-04-01", "2021-04-16"], "p-m": ["2021-03-01", "2021-04-01", "2021-04-16"],
                   "q": ["2021-03-01", "2021-04-01", "2021-04-16"], "r": None}
    over = run_config.with_joint_cutoffs(run_config.discover_runs(nbs, None, {"cutoff_date": "2021-02-01"}))
    assert {r.name: r.parameters.get("joint_cutoffs") for r in over}["p"] == ["2021-02-01"]


@pytest.mark.slow
def test_joint_cutoffs_reach_the_notebooks_and_a_change_makes_the_runs_stale(tmp_path):
    nbs, reports = tmp_path / "nb", tmp_path / "reports"
    nbs.mkdir()
    joint_notebook(nbs / "p.ipynb", "2021-04-01")
    joint_notebook(nbs / "q.ipynb", "2021-04-16")
    runner.run_report(run_config.discover_runs(nbs), reports)
    assert (reports / "tables" / "p.csv").read_text() == 'x\n"2021-04-01,2021-04-16"\n'
    (nbs / "report.yml").write_text("runs:\n  q:\n    - parameters: {cutoff_date: '2021-05-01'}\n")
    todo = dict(runner.dry_run(run_config.discover_runs(nbs, nbs / "report.yml"), reports))
    assert set(todo) == {"p", "q"}
    runner.run_report(run_config.discover_runs(nbs, nbs / "report.yml"), reports)
    assert (reports / "tables" / "p.csv").read_text() == 'x\n"2021-04-01,2021-05-01"\n'


# --- all or nothing per invocation -----------------------------------------------------------------------------

@pytest.mark.slow
def test_one_failed_run_publishes_nothing_of_the_invocation(project, capsys):
    nbs, reports = project
    runner.run_report(run_config.discover_runs(nbs), reports)
    before = published(reports)
    make_notebook(nbs / "a.ipynb", params='value = 5\nname = "t"\noutput_dir = "reports"')
    make_notebook(nbs / "b.ipynb", body=FAIL, params='value = 2\nname = "b"\noutput_dir = "reports"')
    code = runner.main(["--notebooks", str(nbs), "--reports", str(reports), "-j", "1"])
    err = capsys.readouterr().err
    assert code == 1 and "ValueError: boom 56 jaar" in err and "all or nothing" in err
    after = published(reports)
    after.pop("failed/b.ipynb")
    assert after == before, "a run of a failed invocation was published"


@pytest.mark.slow
def test_two_runs_of_one_invocation_writing_one_file_publish_nothing(project):
    nbs, reports = project
    make_notebook(nbs / "b.ipynb")  # writes tables/t.csv too
    with pytest.raises(run_config.ReportError, match="two runs must not share an output name"):
        runner.run_report(run_config.discover_runs(nbs), reports)
    assert not (reports / "tables").exists()


# --- runs on private inputs ------------------------------------------------------------------------------------

def test_private_inputs_choose_their_own_reports_folder(tmp_path):
    shipped = run_config.NotebookRun("s", tmp_path / "s.ipynb",
                                     {"participants_path": "data/raw/pilot_participants_synthetic.csv"})
    private = run_config.NotebookRun("p", tmp_path / "p.ipynb", {"participants_path": "data/raw/private/x.csv"})
    outside = run_config.NotebookRun("o", tmp_path / "o.ipynb", {"export_path": str(tmp_path / "x.xlsx")})
    assert private_runs.default_reports([shipped], None) == paths.REPORTS
    assert private_runs.default_reports([shipped, private], None) == paths.PROJECT_ROOT / "reports-private"
    assert private_runs.default_reports([outside], None) == paths.PROJECT_ROOT / "reports-private"
    assert private_runs.default_reports([outside], tmp_path / "r") == tmp_path / "r"
    kept = private_data.private_dir_path() / "failed"  # the private folder, never beside the input
    assert private_runs.failed_folder(outside, tmp_path / "r") == kept
    assert private_runs.failed_folder(private, tmp_path / "r") == kept
    assert private_runs.failed_folder(shipped, tmp_path / "r") == tmp_path / "r" / "failed"


def test_reports_private_is_ignored_by_git():
    ignored = subprocess.run(["git", "check-ignore", "-q", "reports-private/x.csv"], cwd=paths.PROJECT_ROOT)
    assert ignored.returncode == 0


@pytest.mark.slow
def test_a_failed_private_run_keeps_its_notebook_in_the_private_folder_and_prints_the_whole_cause(tmp_path, capsys,
                                                                                                   monkeypatch):
    nbs, reports, private = tmp_path / "nb", tmp_path / "reports", tmp_path / "private"
    monkeypatch.setenv("VWNW_PRIVATE_DIR", str(tmp_path / "keep"))
    nbs.mkdir()
    private.mkdir()
    (private / "deel.csv").write_text("x\n")
    lines = "\\n".join(f"problem {i}" for i in range(30))
    make_notebook(nbs / "a.ipynb", body=f"raise ValueError('{lines}')",
                  params='participants_path = ""\noutput_dir = "reports"')
    code = runner.main(["--notebooks", str(nbs), "--reports", str(reports), "-p",
                        f"participants_path={private / 'deel.csv'}"])
    err = capsys.readouterr().err
    assert code == 1 and "problem 0" in err and "problem 29" in err, err
    assert (tmp_path / "keep" / "failed" / "a.ipynb").is_file()
    assert not (reports / "failed").exists() and not (private / "failed").exists()


# --- Ctrl-C ----------------------------------------------------------------------------------------------------

def _children(pid: int) -> list[int]:
    """The process ids whose parent is ``pid`` (from /proc)."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.slow
@pytest.mark.heavy
@pytest.mark.skipif(not Path("/proc").is_dir() or os.environ.get("VWNW_COLD_KERNELS"), reason="warm kernels, /proc")
def test_no_kernel_outlives_a_runner_killed_with_sigkill(project):
    """Hostile tester round 3: after SIGKILL of the runner a forked kernel lived on. The zygote
    ends every live kernel when the runner's pipe closes."""
    nbs, reports = project
    make_notebook(nbs / "a.ipynb", body="import time\ntime.sleep(60)", params='value = 9\nname = "t"\noutput_dir = "r"')
    proc = subprocess.Popen([sys.executable, "-m", "analysis", "report", "--notebooks", str(nbs), "--reports",
                             str(reports)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline, kernels = time.time() + 60, []
    while time.time() < deadline and not kernels:
        time.sleep(0.5)
        kernels = [k for z in _children(proc.pid) for k in _children(z)]  # runner -> zygote -> kernels
    assert kernels, "no forked kernel found"
    watched = [*kernels, *_children(proc.pid)]
    proc.kill()
    proc.communicate(timeout=30)
    deadline = time.time() + 15
    while time.time() < deadline and any(_alive(p) for p in watched):
        time.sleep(0.5)
    assert not [p for p in watched if _alive(p)], "a kernel or the zygote outlived the runner"


@pytest.mark.slow
@pytest.mark.parametrize("sig, code, line", [
    (signal.SIGINT, 130, "report: interrupted (Ctrl-C); the reports folder holds the last complete publication"),
    (signal.SIGTERM, 143, "report: terminated (SIGTERM); the reports folder holds the last complete publication")],
    ids=["ctrl_c", "sigterm"])
def test_a_signal_while_kernels_run_prints_one_line_and_keeps_the_publication(project, sig, code, line):
    nbs, reports = project
    assert cli(nbs, reports).returncode == 0
    before = published(reports)
    # generous bounds (a loaded CI machine starts kernels slowly); a quiet one passes in seconds
    make_notebook(nbs / "a.ipynb", body="import time\ntime.sleep(900)",
                  params='value = 9\nname = "t"\noutput_dir = "r"')
    # Ctrl-C as in a terminal: a suite started in the background (`make test &`) passes SIGINT on ignored
    proc = subprocess.Popen([sys.executable, "-m", "analysis", "report", "--notebooks", str(nbs), "--reports",
                             str(reports)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.time() + 300
    while time.time() < deadline and not (reports / journal.STAGING / "a").exists():
        time.sleep(0.2)
    time.sleep(2)
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == code, err
    assert err.strip().splitlines() == [line], err
    assert published(reports) == before


def test_ctrl_c_during_a_publication_lets_it_finish_first(tmp_path):
    reports = tmp_path / "reports"
    (reports / journal.STAGING / "a" / "tables").mkdir(parents=True)
    (reports / journal.STAGING / "a" / "tables" / "t.csv").write_text("new\n")
    state = {"a": {"status": "ok", "outputs": {"tables/t.csv": sha256_bytes_of("new\n")}}}

    def finish(st):
        os.kill(os.getpid(), signal.SIGINT)  # arrives mid-publication
        run_state.write_state(reports, st)

    with pytest.raises(KeyboardInterrupt):
        journal.commit(reports, [("a", "tables/t.csv")], [], state, finish)
    assert (reports / "tables" / "t.csv").read_text() == "new\n"
    assert run_state.read_state(reports) == state and not (reports / journal.JOURNAL_FILE).exists()


# --- files a run reads or writes beside the runner -------------------------------------------------------------

def test_a_file_named_by_a_mapping_source_is_part_of_the_run_inputs(tmp_path):
    from analysis.data.file_pairs import companion_files

    (tmp_path / "export.xlsx").write_bytes(b"PK old")
    (tmp_path / "export.mapping.yml").write_text("source: other.xlsx\n")
    (tmp_path / "other.xlsx").write_bytes(b"PK data")
    assert companion_files(tmp_path / "export.xlsx") == [tmp_path / "export.mapping.yml", tmp_path / "other.xlsx"]
    make_notebook(tmp_path / "x.ipynb")
    run = run_config.NotebookRun("x", tmp_path / "x.ipynb", {"export_path": str(tmp_path / "export.xlsx")})
    before = run_state.fingerprint(run, "code")
    (tmp_path / "other.xlsx").write_bytes(b"PK changed")
    assert run_state.fingerprint(run, "code") != before, "a change to the mapping's source must make the run stale"


def test_a_mapping_whose_source_is_an_alias_bomb_is_not_expanded(tmp_path):
    from analysis.data.file_pairs import source_path

    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{n}: &{n} [{', '.join([f'*{m}'] * 10)}]\n" for m, n in zip("abcde", "bcdef")) + "source: *f\n"
    (tmp_path / "e.mapping.yml").write_text(bomb)
    start = time.perf_counter()
    assert source_path(tmp_path / "e.mapping.yml") == tmp_path / "e.mapping.yml"
    assert time.perf_counter() - start < 1


@pytest.mark.parametrize("draft, fragment", [("{export}", "is the export itself"),
                                             ("{dir}/notes.txt", "must end in .yml")])
def test_inspect_never_writes_its_draft_over_the_export_or_another_kind_of_file(tmp_path, draft, fragment, capsys):
    from analysis.cli import main

    export = tmp_path / "X.xlsx"
    export.write_bytes(b"PK precious")
    (tmp_path / "notes.txt").write_text("keep")
    code = main(["inspect", str(export), "--draft", draft.format(export=export, dir=tmp_path), "--force"])
    assert code == 1 and fragment in capsys.readouterr().err
    assert export.read_bytes() == b"PK precious" and (tmp_path / "notes.txt").read_text() == "keep"


@pytest.mark.parametrize("content", [b"{broken", b"\xff\xfe\x00", b"[]", b'{"cells": 3}'])
def test_a_damaged_notebook_is_one_clear_message(project, capsys, content):
    nbs, reports = project
    (nbs / "c.ipynb").write_bytes(content)
    code = runner.main(["--notebooks", str(nbs), "--reports", str(reports)])
    err = capsys.readouterr().err
    assert code == 1 and "c.ipynb: not a" in err and "Traceback" not in err


# --- round three (issue 28): SIGTERM, a dry run that changes nothing, inspect's draft and threshold ------------

@pytest.mark.parametrize("signum, name, code", [(signal.SIGTERM, "SIGTERM", 143), (signal.SIGHUP, "SIGHUP", 129)])
def test_sigterm_is_one_line_in_the_command_itself(project, capsys, monkeypatch, signum, name, code):
    """The handler the command installs turns SIGTERM (or SIGHUP: the terminal closed) into
    one line and exit code 128 + the signal's number."""
    nbs, reports = project

    def plan_then_term(*args, **kwargs):
        os.kill(os.getpid(), signum)
        time.sleep(1)
        pytest.fail("SIGTERM did not end the command")

    monkeypatch.setattr(runner, "dry_run", plan_then_term)
    ap = __import__("argparse").ArgumentParser()
    runner.add_arguments(ap)
    got = runner.command(ap.parse_args(["--notebooks", str(nbs), "--reports", str(reports), "--dry-run"]))
    assert got == code
    assert capsys.readouterr().err.strip().splitlines() == [
        f"report: terminated ({name}); the reports folder holds the last complete publication"]
    assert signal.getsignal(signum) is not runner._terminate, "the handler is restored"


def test_a_dry_run_completes_no_pending_publication_and_changes_nothing(project, tmp_path, capsys):
    nbs, reports = project
    (reports / "tables").mkdir(parents=True)
    (reports / "tables" / "t.csv").write_text("old\n")
    (reports / journal.STAGING / "a" / "tables").mkdir(parents=True)
    (reports / journal.STAGING / "a" / "tables" / "t.csv").write_text("new\n")
    entry = {"version": 2, "moves": [["a", "tables/t.csv"]], "remove": [],
             "state": {"a": {"status": "ok", "outputs": {"tables/t.csv": sha256_bytes_of("new\n")}}}}
    (reports / journal.JOURNAL_FILE).write_text(json.dumps(entry))
    (reports / run_state.STATE_FILE).write_text("{damaged")
    before = {p.relative_to(reports).as_posix(): p.read_bytes() for p in reports.rglob("*") if p.is_file()}
    lines = []
    todo = runner.dry_run(run_config.discover_runs(nbs), reports, log=lines.append)
    after = {p.relative_to(reports).as_posix(): p.read_bytes() for p in reports.rglob("*") if p.is_file()}
    assert after == before, "a dry run changes nothing: no lock, no journal applied, no state set aside"
    assert len(lines) == 2 and "interrupted publication" in lines[0] and "leaves it as it is" in lines[0]
    assert "is damaged" in lines[1] and "leaves it as it is" in lines[1]  # hostile 12 (F1): the state is said
    assert {name for name, _ in todo} == {"a", "b"}


def test_a_dry_run_creates_no_reports_folder(project):
    nbs, reports = project
    runner.dry_run(run_config.discover_runs(nbs), reports, log=lambda _: None)
    assert not reports.exists()


@pytest.mark.parametrize("draft, fragment", [
    ("README.md", "must end in .yml"),
    ("data/raw/pilot_export_synthetic.mapping.yml", "completed mapping"),
    (".pre-commit-config.yaml", "tracked by git"),
    ("reports/html/draft.yml", "inside reports/, a published folder"),
    ("reports-private/x.yml", "inside reports-private/, a published folder"),
    ("/dev/stdout.yml", "file of the running system"),
    ("{dir}/folder.yml", "not a regular file"),
    ("{dir}/fifo.yml", "not a regular file"),
    ("{dir}/missing/draft.yml", "does not exist"),
])
def test_inspect_writes_its_draft_only_where_nothing_is_lost_or_published(tmp_path, draft, fragment, capsys):
    from analysis.cli import main

    (tmp_path / "folder.yml").mkdir()
    os.mkfifo(tmp_path / "fifo.yml")
    export = paths.PROJECT_ROOT / "data" / "raw" / "pilot_export_synthetic.xlsx"
    target = draft.format(dir=tmp_path)
    target = target if target.startswith("/") else str(paths.PROJECT_ROOT / target)
    before = Path(target).read_bytes() if Path(target).is_file() else None
    code = main(["inspect", str(export), "--draft", target, "--force"])
    assert code == 1 and fragment in capsys.readouterr().err
    assert (Path(target).read_bytes() if Path(target).is_file() else None) == before


def test_inspect_threshold_below_10_only_for_a_shipped_file(tmp_path, capsys):
    import shutil

    import openpyxl

    from analysis.cli import main

    export = paths.PROJECT_ROOT / "data" / "raw" / "pilot_export_synthetic.xlsx"
    copy = tmp_path / "export.xlsx"  # opened and saved: not the bytes the project made (a template typed over)
    openpyxl.load_workbook(export).save(copy)
    assert main(["inspect", str(copy), "--threshold", "5"]) == 1
    assert "real data and counts below 10 are never shown" in capsys.readouterr().err
    assert not (tmp_path / "export.mapping.draft.yml").exists()
    assert main(["inspect", str(copy), "--threshold", "0", "--check"]) == 1
    assert "between 1 and 1,000" in capsys.readouterr().err
    assert main(["inspect", str(export), "--check", "--threshold", "5"]) == 0
    same = tmp_path / "unchanged" / export.name  # a copy of the same bytes is the project's file, as in a run
    same.parent.mkdir()
    shutil.copyfile(export, same)
    shutil.copyfile(export.with_suffix(".mapping.yml"), same.with_suffix(".mapping.yml"))
    assert main(["inspect", str(same), "--check", "--threshold", "5"]) == 0


@pytest.mark.parametrize("option, target, fragment", [
    ("--out", "README.md", "must end in .csv or .parquet"),
    ("--out", "data/raw/dwsra_project_register.csv", "tracked by git) that is not synthetic"),
    ("--out", "data/raw/private/deelnemers.csv", "inside data/raw/private/"),
    ("--out", "reports/tables/x.csv", "inside reports/, a published folder"),
    ("--export", "data/raw/private/export.xlsx", "inside data/raw/private/"),
    ("--export", "data/raw/pilot_export_synthetic.mapping.yml", "must end in .xlsx"),
    ("--out", "{dir}/fifo.csv", "not a regular file"),
    ("--out", "/dev/shm/x.csv", "file of the running system"),
])
def test_synthetic_writes_only_where_no_real_published_or_other_file_is_lost(tmp_path, option, target, fragment,
                                                                              capsys):
    from analysis.cli import main

    os.mkfifo(tmp_path / "fifo.csv")
    target = target.format(dir=tmp_path)
    absolute = Path(target) if target.startswith("/") else paths.PROJECT_ROOT / target
    before = absolute.read_bytes() if absolute.is_file() else None
    args = ["synthetic", "--out", str(tmp_path / "s.csv"), "--export", ""]
    args[args.index(option) + 1] = target
    assert main(args) == 1
    err = capsys.readouterr().err
    assert fragment in err and "nothing was written" in err
    assert (absolute.read_bytes() if absolute.is_file() else None) == before
    assert not (tmp_path / "s.csv").exists(), "every target is checked before anything is written"


def test_synthetic_still_writes_a_new_file(tmp_path, capsys):
    from analysis.cli import main

    assert main(["synthetic", "--out", str(tmp_path / "s.csv"), "--export", str(tmp_path / "e.xlsx")]) == 0
    assert (tmp_path / "s.csv").is_file() and (tmp_path / "e.mapping.yml").is_file()


@pytest.mark.parametrize("folder, fragment", [
    (".", "the project folder or a folder above it"),
    ("..", "the project folder or a folder above it"),
    ("data/raw/private", "inside the project's data/ folder"),
    ("notebooks", "inside the project's notebooks/ folder"),
    ("src/analysis", "inside the project's src/ folder"),
    ("/proc/self", "a folder of the running system"),
    ("{dir}/holiday_photos", "holds other files and is not a reports folder"),
    ("{dir}/documents", "holds other files and is not a reports folder"),  # an empty .lock is no evidence
    ("{dir}/a_file", "is a file"),
])
def test_reports_is_never_a_folder_where_a_run_would_write_among_other_files(project, tmp_path, folder, fragment,
                                                                           capsys):
    nbs, _ = project
    (tmp_path / "holiday_photos").mkdir()
    (tmp_path / "holiday_photos" / "beach.jpg").write_bytes(b"jpg")
    (tmp_path / "documents").mkdir()
    (tmp_path / "documents" / "contract.docx").write_bytes(b"docx")
    (tmp_path / "documents" / ".lock").write_bytes(b"")
    (tmp_path / "a_file").write_text("x")
    target = folder.format(dir=tmp_path)
    target = target if target.startswith("/") else str(paths.PROJECT_ROOT / target)
    before = sorted(p.name for p in Path(target).iterdir()) if Path(target).is_dir() else None
    assert runner.main(["--notebooks", str(nbs), "--reports", target]) == 1
    err = capsys.readouterr().err
    assert fragment in err and "nothing was run" in err
    assert (sorted(p.name for p in Path(target).iterdir()) if Path(target).is_dir() else None) == before


def test_reports_may_be_a_new_folder_or_one_a_report_run_wrote(tmp_path):
    assert private_runs.reports_folder_problem(tmp_path / "new") is None
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "manifest.json").write_text("{}")
    assert private_runs.reports_folder_problem(tmp_path / "old") is None
    (tmp_path / "empty").mkdir()
    assert private_runs.reports_folder_problem(tmp_path / "empty") is None
    (tmp_path / "failed_first").mkdir()  # a first run that failed left only its lock
    (tmp_path / "failed_first" / ".lock").write_text("12345\n")
    assert private_runs.reports_folder_problem(tmp_path / "failed_first") is None


@pytest.mark.parametrize("study, fragment", [("reports/html/study.yml", "inside reports/, a published folder"),
                                             ("nergens_2024", "no such study"),
                                             ("/etc/passwd", "neither a study id")])
def test_inspect_study_is_checked_like_the_runs_study(study, fragment, capsys):
    from analysis.cli import main

    export = paths.PROJECT_ROOT / "data" / "raw" / "pilot_export_synthetic.xlsx"
    assert main(["inspect", str(export), "--check", "--study", study]) == 1
    err = capsys.readouterr().err
    assert fragment in err and "--study" in err and study in err


def test_a_study_files_folder_is_not_published_in_the_executed_notebook():
    """Hostile tester round 4: ``study=/home/<name>/.../x.yml`` put the folder (a user's name)
    into the executed notebook and the full page. Intruder round 10 (F1): the file's name can
    name a person too (``jansen_ontslag_2021.yml``): the notebook says ``private input``."""
    import nbformat

    from analysis.pipeline import execute

    value = "/home/jansen_p/studies/drukkerij_2024.yml"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(f'study = "{value}"')])
    nb.metadata["papermill"] = {"parameters": {"study": value}}
    execute._scrub_private_paths(nb, {"study": value})
    execute._scrub_papermill_metadata(nb, run_config.NotebookRun("r", Path("notebooks/x.ipynb"), {"study": value}))
    assert "jansen" not in nbformat.writes(nb) and "drukkerij" not in nbformat.writes(nb)
    assert 'study = "private input"' in nb.cells[0].source


def test_the_runner_state_names_a_study_file_in_the_private_folder_by_its_id_never_its_path():
    """Intruder round 11 (F1): ``study: data/raw/private/jansen_ontslag_2021.yml`` stood with its
    private path in the private site's runner state; a shipped study file keeps its path."""
    from analysis.pipeline.runner import shown_parameters

    private = "data/raw/private/jansen_ontslag_2021.yml"
    shipped = "studies/schoonmaak_twente_2023.yml"
    assert shown_parameters({"study": private}) == {"study": "jansen_ontslag_2021"}
    assert shown_parameters({"study": shipped}) == {"study": shipped}


@pytest.mark.parametrize("text", ["runs:\n  a:\n    - parameters: {min_cell_count: 10, min_cell_count: 1}\n",
                                  "runs:\n  a: []\n  a:\n    - parameters: {}\n"])
def test_a_key_written_twice_in_a_configuration_is_refused(text):
    """Hostile tester round 4: a duplicate key in a run configuration silently kept the last
    value (min_cell_count 1, or the second list of runs of a notebook)."""
    from analysis.strict_yaml import YamlLimitError, load

    with pytest.raises(YamlLimitError, match="written twice"):
        load(text, "the configuration")


def _shipped_as_workbook(path: Path, column: str, row: int, write) -> Path:
    """The shipped participant file as a workbook, with one cell of ``column`` (data row
    ``row``) written by ``write(cell)``."""
    import openpyxl
    import pandas as pd

    frame = pd.read_csv(paths.DATA_RAW / "pilot_participants_synthetic.csv", dtype=str, keep_default_na=False)
    frame.to_excel(path, index=False)
    book = openpyxl.load_workbook(path)
    ws = book.active
    write(ws.cell(row=row + 2, column=list(frame.columns).index(column) + 1))
    book.save(path)
    return path


@pytest.mark.parametrize("column, write, rule", [
    ("triage", lambda c: setattr(c, "value", True), "TRUE"),  # a logical cell is not path 1
    ("leeftijd", lambda c: setattr(c, "value", __import__("openpyxl").worksheet.formula.ArrayFormula(
        c.coordinate, "=SUM(60,3)")), "without a computed value"),  # an array formula never calculated
])
def test_workbook_cells_that_would_be_misread_are_refused(tmp_path, column, write, rule):
    """Hostile tester round 4: an Excel TRUE in the triage column was read as triage path 1,
    an array formula without a computed value in leeftijd as missing."""
    from analysis.data.errors import InputError
    from analysis.pilot.inputs import load_participants

    path = _shipped_as_workbook(tmp_path / "deelnemers.xlsx", column, 0, write)
    with pytest.raises(InputError) as err:
        load_participants(path)
    assert rule in str(err.value) and column in str(err.value), str(err.value)


def test_a_page_of_a_study_file_outside_the_project_is_titled_by_its_name():
    """Hostile tester round 5 (S1): the landing page's title of such a run loaded the study by
    the name the state keeps, and the publication crashed."""
    from analysis.pipeline.pages import report_title

    assert report_title("02_pilot_participants", "nl", "evil_2024").startswith("evil_2024: ")
    assert report_title("02_pilot_participants", "en", "/elders/evil_2024.yml").startswith("evil_2024: ")


def _history_after_a_run(nbs: Path, reports: Path, home: Path, monkeypatch) -> list[Path]:
    monkeypatch.setenv("IPYTHONDIR", str(home))
    results = runner.run_report(run_config.discover_runs(nbs), reports, workers=1)
    assert all(r.status == "ok" for r in results), results
    return [p for p in home.rglob("history.sqlite*") if b"value = " in p.read_bytes()] if home.exists() else []


@pytest.mark.slow
def test_a_kernel_keeps_no_history_of_the_cells_it_ran(project, tmp_path, monkeypatch):
    """Intruder round 14: IPython's history.sqlite in the user's home kept every executed cell,
    a private run's parameter cell with its input's name among them. Kernels run without it;
    the control (the kernel's arguments before round 14) finds the cell kept."""
    from analysis.pipeline import execute
    nbs, reports = project
    assert not _history_after_a_run(nbs, reports, tmp_path / "now", monkeypatch)
    monkeypatch.setattr(execute, "KERNEL_QUIET", ["--log-level=CRITICAL"])
    (nbs / "a.ipynb").write_text((nbs / "a.ipynb").read_text().replace("value = ", "value =  "))  # stale: runs again
    assert _history_after_a_run(nbs, tmp_path / "reports2", tmp_path / "before", monkeypatch)
