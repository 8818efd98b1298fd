"""Hostile inputs, the classes left open after round 12 (issue 28, H34h) that the file corpus
(``tests/corpus/hostile``, round 9) cannot hold: a published file changed by hand, the runner's
state, journal and manifest grown huge or deep, a studies folder with two quota generators,
look-alike characters in quoted values. Each test fails on main as it was (109edcf): a silent
repair, a file read whole, a refusal only inside the kernel, a look-alike quoted as the
character it resembles."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from analysis.pipeline import runner, runs as run_config
from analysis.pipeline.runs import ReportError

STUDIES = Path(__file__).parents[1] / "studies"


# --- look-alikes ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "shown"), [
    ("min_cell_c\u043eunt", "min_cell_c\\u043eunt"),  # Cyrillic o
    ("\uff12\uff10", "\\uff12\\uff10"),  # full-width digits
    ("\u0661\u0662", "\\u0661\\u0662"),  # Arabic-Indic digits
    ("cafe\u0301", "cafe\\u0301"),  # an accent written apart from its letter
    ("SYN00\u0131", "SYN00\\u0131"),  # dotless i
    ("\u0391BC", "\\u0391BC"),  # Greek capital alpha
    ("\U0001d41a", "\\U0001d41a"),  # mathematical bold a
    ("a\u2044b", "a\\u2044b"),  # fraction slash, not /
    ("l\\u0430ag", "l\\\\u0430ag"),  # a backslash of the text: doubled, so it is no escape
    ("café, Zoë, ĳs, Geïnterviewd, €5, 3°", "café, Zoë, ĳs, Geïnterviewd, €5, 3°"),  # stays as written
])
def test_visible_escapes_a_look_alike_and_keeps_accented_latin(text, shown):
    from analysis.terminal_text import visible

    assert visible(text) == shown


def test_printing_keeps_look_alikes_but_quoting_escapes_them():
    """``printable`` (everything a terminal shows) escapes only what does not show; the quoted
    value of a message (``visible``) also what can be taken for another character."""
    from analysis.terminal_text import printable

    assert printable("Tabel 2.1 – ‘ja’ → 10") == "Tabel 2.1 – ‘ja’ → 10"
    assert printable("a\u202eb") == "a\\u202eb"


# --- a published file changed by hand -------------------------------------------------------------------------------

def published(tmp_path: Path) -> Path:
    """A reports folder as a publication leaves it: two files of run 'r' and a landing page,
    each listed in manifest.json with its hash (written here with hashlib)."""
    import hashlib

    reports = tmp_path / "reports"
    files = {"tables/a.csv": "x,y\n1,2\n", "figures/b.svg": "<svg/>", "html/index.html": "<p>index</p>"}
    for rel, text in files.items():
        (reports / rel).parent.mkdir(parents=True, exist_ok=True)
        (reports / rel).write_text(text, encoding="utf-8")
    digest = {rel: hashlib.sha256(text.encode()).hexdigest() for rel, text in files.items()}
    (reports / "manifest.json").write_text(json.dumps({"files": digest}), encoding="utf-8")
    state = {"r": {"status": "ok", "outputs": {k: v for k, v in digest.items() if not k.startswith("html/")}}}
    (reports / ".runner-state.json").write_text(json.dumps(state), encoding="utf-8")
    return reports


def test_a_file_changed_or_removed_after_publication_is_found_and_kept(tmp_path):
    from analysis.pipeline.tampering import keep_copies, tamper_message, tampered_files

    reports = published(tmp_path)
    assert tampered_files(reports) == []
    (reports / "tables/a.csv").write_text("x,y\n1,3\n", encoding="utf-8")  # a count edited by hand
    (reports / "html/index.html").unlink()
    found = tampered_files(reports)
    assert found == [("html/index.html", "removed"), ("tables/a.csv", "changed")]
    kept = keep_copies(reports, found)
    assert (kept / "tables/a.csv").read_text(encoding="utf-8") == "x,y\n1,3\n"
    line = tamper_message(found, str(kept))
    assert line.count("\n") == 0
    for said in ("2 published file(s) differ from manifest.json", "html/index.html (removed)",
                 "tables/a.csv (changed)", "each is replaced with what the runner publishes",
                 f"a copy of each changed file is kept in {kept}"):
        assert said in line, line


@pytest.mark.parametrize("out", ["../outside.txt", "/dev/zero", "html/../../x"])
def test_a_manifest_listing_a_file_outside_the_folder_is_damaged_and_nothing_outside_is_hashed(tmp_path, out):
    from analysis.pipeline.publish import manifest_problem
    from analysis.pipeline.tampering import tampered_files

    reports = published(tmp_path)
    (tmp_path / "outside.txt").write_text("not the runner's", encoding="utf-8")
    files = json.loads((reports / "manifest.json").read_text(encoding="utf-8"))["files"]
    (reports / "manifest.json").write_text(json.dumps({"files": {**files, out: "ab"}}), encoding="utf-8")
    assert "it lists a file outside the reports folder" in manifest_problem(reports)
    assert tampered_files(reports) == []  # the damaged manifest is refused on its own, before any run


def test_a_tampered_file_of_a_run_not_invoked_is_said_to_stay(tmp_path):
    from analysis.pipeline.state import read_state
    from analysis.pipeline.tampering import left_alone, tamper_message, tampered_files

    reports = published(tmp_path)
    (reports / "figures/b.svg").write_text("<svg>edited</svg>", encoding="utf-8")
    found = tampered_files(reports)
    alone = left_alone(found, read_state(reports), {"other"})
    assert alone == ["figures/b.svg"]
    assert "belong to runs this invocation does not run (figures/b.svg)" in tamper_message(found, "k", alone)
    assert left_alone(found, read_state(reports), {"r"}) == []


@pytest.fixture()
def notebook_p(tmp_path):
    cell = new_code_cell('participants_path = "data/raw/pilot_participants_synthetic.csv"\nmin_cell_count = 10\n')
    cell.metadata["tags"] = ["parameters"]
    (tmp_path / "notebooks").mkdir()
    nbformat.write(new_notebook(cells=[cell]), tmp_path / "notebooks" / "r.ipynb")
    return tmp_path / "notebooks"


def test_a_dry_run_says_which_published_files_were_changed_and_keeps_no_copy(tmp_path, notebook_p):
    reports = published(tmp_path)
    (reports / "tables/a.csv").write_text("x,y\n1,3\n", encoding="utf-8")
    said = []
    todo = runner.dry_run(run_config.discover_runs(notebook_p), reports, log=said.append)
    assert [name for name, _ in todo] == ["r"]
    line = next(s for s in said if "differ from manifest.json" in s)
    assert "tables/a.csv (changed)" in line and "the next report run replaces each" in line
    assert not (reports / ".tampered").exists()


# --- the runner's own JSON files: bounded ---------------------------------------------------------------------------

def test_a_huge_state_is_refused_before_it_is_read_with_the_command_that_sets_it_aside(tmp_path, monkeypatch):
    from analysis.pipeline import bookkeeping_limits
    from analysis.pipeline.state import STATE_FILE, read_state, state_damage

    monkeypatch.setattr(bookkeeping_limits, "MAX_BOOKKEEPING_BYTES", 1000)
    monkeypatch.setattr(bookkeeping_limits.size_problem, "__defaults__", (1000,))
    state = tmp_path / STATE_FILE
    state.write_text(json.dumps({"r": {"status": "ok", "notebook": "x" * 2000}}), encoding="utf-8")
    for read in (lambda: read_state(tmp_path, print), lambda: state_damage(tmp_path)):
        with pytest.raises(ReportError) as info:
            read()
        message = str(info.value)
        assert "is not a run state the runner wrote" in message and "the runner writes at most 1,000 bytes" in message
        assert f"mv {state} {tmp_path / '.runner-state.damaged.json'}" in message and "Nothing was run" in message
    assert state.is_file(), "refused, not set aside"


def test_a_deep_state_journal_or_manifest_is_refused_with_its_repair(tmp_path):
    from analysis.pipeline import journal
    from analysis.pipeline.publish import manifest_problem
    from analysis.pipeline.state import STATE_FILE, read_state

    deep = {"r": {"status": "ok", "parameters": {"x": json.loads("[" * 40 + "]" * 40)}}}
    (tmp_path / STATE_FILE).write_text(json.dumps(deep), encoding="utf-8")
    with pytest.raises(ReportError, match="nests more than 16 levels deep"):
        read_state(tmp_path, print)
    (tmp_path / STATE_FILE).unlink()
    (tmp_path / journal.JOURNAL_FILE).write_text(json.dumps({"version": 2, "moves": [], "remove": [],
                                                               "state": deep}), encoding="utf-8")
    with pytest.raises(journal.PublishError) as info:
        journal.recover(tmp_path, lambda st: None, print)
    assert "is not a journal the runner wrote" in str(info.value)
    assert f"mv {tmp_path / '.journal.json'} {tmp_path / '.journal.damaged.json'}" in str(info.value)
    (tmp_path / "manifest.json").write_text(json.dumps({"files": {}, "x": deep}), encoding="utf-8")
    assert "nests more than 16 levels deep" in manifest_problem(tmp_path)


def test_the_bounds_leave_a_real_state_alone():
    from analysis.pipeline.bookkeeping_limits import MAX_BOOKKEEPING_DEPTH, nesting_depth

    state = {"r": {"status": "ok", "parameters": {"power_ns": [30, 100], "study": "s"}, "outputs": {"a": "b"}}}
    assert nesting_depth(state) == 4 <= MAX_BOOKKEEPING_DEPTH
    assert nesting_depth([[[]]]) == 3 and nesting_depth(5) == 0


def test_a_manifest_beyond_the_size_bound_is_damaged(tmp_path, monkeypatch):
    from analysis.pipeline import bookkeeping_limits
    from analysis.pipeline.publish import last_manifest, manifest_problem

    monkeypatch.setattr(bookkeeping_limits.size_problem, "__defaults__", (100,))
    (tmp_path / "manifest.json").write_text(json.dumps({"files": {f"f{i}": "ab" for i in range(50)}}), encoding="utf-8")
    assert "the runner writes at most 100 bytes" in manifest_problem(tmp_path)
    assert last_manifest(tmp_path) == {}


# --- a studies folder with two quota generators ---------------------------------------------------------------------

def test_two_quota_generators_are_refused_before_any_kernel_naming_both_files(tmp_path, monkeypatch, notebook_p):
    from analysis.study import load

    folder = tmp_path / "studies"
    shutil.copytree(STUDIES, folder)
    shutil.copyfile(folder / "catering_noordoost_brabant_2021.yml", folder / "kopie_2024.yml")
    monkeypatch.setattr(load, "SHIPPED", folder)
    runs = run_config.discover_runs(notebook_p)
    for check in (lambda: runner.check_runs(runs, tmp_path / "reports"),
                  lambda: runner.dry_run(runs, tmp_path / "reports")):
        with pytest.raises(ReportError) as info:
            check()
        message = str(info.value)
        assert "found 2:" in message and str(folder / "kopie_2024.yml") in message
        assert str(folder / "catering_noordoost_brabant_2021.yml") in message and "Nothing was run" in message


@pytest.mark.parametrize("section, count", [
    ("synthetic: {generator: quota}", 2),  # flow style
    ("synthetic:\n  generator: 'quota'  # quoted", 2),
    ("synthetic:\n  generator: \"q\\x75ota\"", 2),  # an escape in a double-quoted scalar
    ("synthetic:\n  generator: study", 1),
    ("notes: |\n  synthetic:\n    generator: quota", 1),  # text inside a block scalar is no key
])
def test_the_quota_generator_is_found_however_the_yaml_writes_it(tmp_path, section, count):
    from analysis.study.load import quota_studies

    shutil.copyfile(STUDIES / "catering_noordoost_brabant_2021.yml", tmp_path / "a.yml")
    (tmp_path / "b.yml").write_text(f"id: b\n{section}\n", encoding="utf-8")
    assert len(quota_studies(tmp_path)) == count


def test_the_shipped_studies_have_one_quota_generator():
    from analysis.study.load import quota_problem

    assert quota_problem() is None


# --- a large workbook on the export route -------------------------------------------------------------------------

EXPORT = Path(__file__).parents[1] / "data" / "raw" / "pilot_export_synthetic.xlsx"


def test_a_sheet_beyond_the_read_bound_is_refused_from_the_zip_directory(tmp_path, monkeypatch):
    """The 32 MB workbook of round 13 (one sheet of 368 MB XML) ran over 8 minutes (104 s of
    CPU on the shared machine) before it was stopped; its refusal comes from the zip's
    directory. Here the bound is lowered below the synthetic export's first sheet (10,668
    bytes of XML, read with zipfile)."""
    import zipfile

    from analysis.data import xlsx_parts
    from analysis.data.errors import InputError
    from analysis.data.workbook import read_sheets

    size = zipfile.ZipFile(EXPORT).getinfo("xl/worksheets/sheet1.xml").file_size
    monkeypatch.setattr(xlsx_parts, "MAX_READ_SHEET_BYTES", size - 1)
    with pytest.raises(InputError) as info:
        read_sheets(EXPORT)["Jansen (UWV)"]
    message = str(info.value)
    assert f"sheet 'Jansen (UWV)' breaks rule: the sheet unpacks to {size:,} bytes of XML" in message
    assert f"a sheet is read up to {size - 1:,} bytes" in message and "split the export" in message
    monkeypatch.setattr(xlsx_parts, "MAX_READ_SHEET_BYTES", size)
    assert read_sheets(EXPORT)["Jansen (UWV)"][1][0] == "Klantnr."


def test_the_sheets_of_one_export_are_bounded_in_all(tmp_path, monkeypatch):
    import zipfile

    from analysis.data import workbook
    from analysis.data.errors import InputError

    sizes = [zipfile.ZipFile(EXPORT).getinfo(f"xl/worksheets/sheet{i}.xml").file_size for i in (1, 2)]
    monkeypatch.setattr(workbook, "MAX_READ_TOTAL_BYTES", sum(sizes) - 1)
    sheets = workbook.read_sheets(EXPORT)
    assert sheets["Jansen (UWV)"]  # the first alone is within the bound
    with pytest.raises(InputError) as info:
        sheets["De Vries (gemeente)"]
    assert f"the sheets read unpack to {sum(sizes):,} bytes of XML with this one" in str(info.value)


def test_a_ledger_beyond_its_bound_is_refused_before_it_is_read(tmp_path):
    from analysis import ledger

    target = ledger.ledger_path(tmp_path)
    target.parent.mkdir(parents=True)
    with open(target, "wb") as f:  # sparse: no disk used, and read whole it would be 65 MiB
        f.truncate(ledger.MAX_LEDGER_BYTES + 1)
    with pytest.raises(ValueError, match="restore it from your backup") as info:
        ledger.read(tmp_path)
    assert f"{ledger.MAX_LEDGER_BYTES + 1:,} bytes" in str(info.value)
    with open(target, "r+b") as f:  # at the bound: read (and its NUL bytes are no record)
        f.truncate(ledger.MAX_LEDGER_BYTES)
    with pytest.raises(ValueError, match="line 1: not a ledger record"):
        ledger.read(tmp_path)


def test_digests_inherited_from_the_environment_are_not_believed_by_a_command(tmp_path, monkeypatch):
    """Hostile round 13 (session 10): VWNW_INPUT_DIGESTS, the runner's hand-over to its
    kernels, set in a shell named a typed-over file with the shipped file's digest, and the
    seal believed it (threshold 1 on real records, published on the public site). A command
    forgets such digests and hashes its inputs itself."""
    import csv
    import subprocess
    import sys

    from analysis import paths
    from analysis.data import digests
    from analysis.pipeline.private_runs import makes_run_private

    shipped = paths.DATA_RAW / "pilot_participants_synthetic.csv"
    rows = list(csv.reader(shipped.open(encoding="utf-8")))
    age = rows[0].index("leeftijd")
    rows[1][age] = str(int(rows[1][age]) + 1)  # one record typed over
    typed = tmp_path / "typed.csv"
    with typed.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    forged = json.dumps([[list(digests.identity(typed)), digests.sha256_of(shipped)]])
    monkeypatch.setenv(digests.ENV, forged)
    digests._seed_from_environment()
    assert not makes_run_private(typed)  # the control: believed, the forged digest makes it the project's file
    digests.distrust_environment()
    assert makes_run_private(typed) and digests.ENV not in os.environ
    done = subprocess.run([sys.executable, "-m", "analysis", "inspect", str(typed), "--check", "--threshold", "5"],
                          env={**os.environ, digests.ENV: forged}, capture_output=True, text=True)
    assert done.returncode == 1 and "is real data" in done.stderr, done.stderr


def test_a_study_outside_the_project_is_named_by_its_id_in_the_settings_of_a_page():
    """Attack 16 (F3): a run of a study given as a file outside ``studies/`` was published, and
    then the landing page failed on its id (the state keeps the id only): the invocation ended
    with an error after its files had moved, and they were left unlisted."""
    from analysis.pipeline.run_settings import value_in_words

    assert value_in_words("study", "catering_b", "nl") == "catering_b"
    assert value_in_words("study", "data/raw/private/catering_b.yml", "en") == "catering_b"
    assert value_in_words("study", "catering_noordoost_brabant_2021", "nl").startswith("Pilot VWNW")


@pytest.mark.parametrize("name", [".runner-state.json", ".journal.json", "manifest.json"])
@pytest.mark.parametrize("kind", ["fifo", "folder"])
def test_a_bookkeeping_file_that_is_no_regular_file_is_refused_before_anything_runs(tmp_path, name, kind):
    """Hostile round 13 (session 10): a manifest that was a named pipe blocked the run until it
    was killed; a state that was one made every later run refuse its own outputs."""
    from analysis.pipeline import fs_safety, journal
    from analysis.pipeline.state import STATE_FILE

    assert set(fs_safety.BOOKKEEPING) == {STATE_FILE, journal.JOURNAL_FILE, "manifest.json"}
    reports = tmp_path / "reports"
    reports.mkdir()
    os.mkfifo(reports / name) if kind == "fifo" else (reports / name).mkdir()
    with pytest.raises(fs_safety.UnsafeFolder, match="not the file a report run writes there"):
        with journal.exclusive(reports, False, print):
            pass
    with pytest.raises(ReportError, match=f"Remove it \\(rm{' -r' if kind == 'folder' else ''} "):
        runner.dry_run([], reports)


@pytest.mark.parametrize("kind", ["dangling link", "link", "fifo", "folder"])
def test_a_ledger_that_is_no_regular_file_is_refused_and_never_written_through(tmp_path, monkeypatch, kind):
    """Hostile round 13 (session 10): a dangling link as the ledger was read as an empty memory
    and the next record written where it pointed, outside the private folder."""
    from analysis import ledger

    monkeypatch.setenv("VWNW_PRIVATE_DIR", str(tmp_path / "private"))
    path = ledger.ledger_path()
    path.parent.mkdir(parents=True)
    elsewhere = tmp_path / "elsewhere" / "ledger.jsonl"
    elsewhere.parent.mkdir()
    if kind == "link":
        elsewhere.write_text("")
    if "link" in kind:
        path.symlink_to(elsewhere)
    elif kind == "fifo":
        os.mkfifo(path)
    else:
        path.mkdir()
    with pytest.raises(ValueError, match="not the ledger file the project writes"):
        ledger.read()
    entry = ledger.Entry("s", "hmac:a", "02", 10, ("2021-04-16",), {"c": 12}, {}, ())
    with pytest.raises(ValueError, match="not the ledger file"):
        ledger.record(entry)
    assert not elsewhere.exists() or elsewhere.read_text() == ""
