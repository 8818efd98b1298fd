"""Hostile inputs, what hostile round 13 left open (issue 28, H36h): a committed publication
that cannot be completed, an invisible or look-alike character in a label matched by a
pattern, messages that quote a value whole, advise what does not exist or blame the wrong
cause, and an oversized export refused only inside a kernel. Each test fails on main as it
was (4f77e40)."""

from __future__ import annotations

import errno
import json
import os

import pytest

from analysis.pipeline import journal, state as run_state

# --- a publication that stops part way ------------------------------------------------------------------------------

def _staged(reports, files: dict[str, str]) -> dict:
    """A committed-to-be publication of run 'a' staging ``files`` (path: text); its state."""
    import hashlib

    for rel, text in files.items():
        (reports / journal.STAGING / "a" / rel).parent.mkdir(parents=True, exist_ok=True)
        (reports / journal.STAGING / "a" / rel).write_text(text)
    return {"a": {"status": "ok", "outputs": {rel: hashlib.sha256(text.encode()).hexdigest()
                                             for rel, text in files.items()}}}


def _refusing(monkeypatch, name: str, code: int) -> None:
    """``os.replace`` fails with ``code`` on a destination called ``name`` (an immutable file,
    ``chattr +i``, or one in a read-only folder: what root and a user meet alike)."""
    real = os.replace

    def replace(src, dest, *args, **kwargs):
        if os.path.basename(dest) == name:
            raise OSError(code, os.strerror(code), str(src), None, str(dest))
        return real(src, dest, *args, **kwargs)

    monkeypatch.setattr(journal.os, "replace", replace)


@pytest.mark.parametrize(("code", "remedy"), [(errno.EPERM, "chattr -i"), (errno.EACCES, "chmod u+w"),
                                              (errno.ENOSPC, "Free space")])
def test_a_file_that_cannot_be_replaced_mid_publication_is_said_as_half_published(tmp_path, monkeypatch, code,
                                                                                  remedy):
    """Round 13: ``chattr +i`` on a published file gave "nothing was published from this run"
    while the journal was half applied (the other run's table was already new)."""
    reports = tmp_path / "reports"
    (reports / "tables").mkdir(parents=True)
    (reports / "tables" / "t.csv").write_text("old t\n")
    (reports / "tables" / "u.csv").write_text("old u\n")
    state = _staged(reports, {"tables/t.csv": "new t\n", "tables/u.csv": "new u\n"})
    _refusing(monkeypatch, "u.csv", code)
    with pytest.raises(journal.PublishError) as caught:
        journal.commit(reports, [("a", "tables/t.csv"), ("a", "tables/u.csv")], [], state,
                       lambda st: run_state.write_state(reports, st))
    message = str(caught.value)
    assert (reports / "tables" / "t.csv").read_text() == "new t\n"  # the half that was applied
    assert "nothing was published" not in message.lower()
    for fragment in ("stopped part way", "tables/u.csv", "cannot be replaced", remedy, "rerun `make report`",
                     "completes this publication first"):
        assert fragment in message
    assert "\n" not in message and (reports / journal.JOURNAL_FILE).is_file()


def test_the_half_published_journal_stays_until_the_cause_is_removed_then_completes(tmp_path, monkeypatch):
    reports = tmp_path / "reports"
    (reports / "tables").mkdir(parents=True)
    state = _staged(reports, {"tables/t.csv": "new t\n"})
    entry = {"version": 2, "moves": [["a", "tables/t.csv"]], "remove": [], "state": state}
    (reports / journal.JOURNAL_FILE).write_text(json.dumps(entry))
    _refusing(monkeypatch, "t.csv", errno.EPERM)
    lines: list[str] = []
    with pytest.raises(journal.PublishError, match="stopped part way"):
        journal.recover(reports, lambda st: run_state.write_state(reports, st), lines.append)
    assert (reports / journal.JOURNAL_FILE).is_file() and not (reports / ".journal.failed.json").exists()
    monkeypatch.undo()
    assert journal.recover(reports, lambda st: run_state.write_state(reports, st), lines.append) is True
    assert (reports / "tables" / "t.csv").read_text() == "new t\n" and run_state.read_state(reports) == state


# --- labels matched by a pattern ----------------------------------------------------------------------------------

def _level_recode():
    from analysis.data.mapping import Recode

    return Recode("opleidingsniveau", exact={"hbo\u200bx": "hoog"}, patterns=(("^hbo", "hoog"), ("^mbo", "middelbaar")),
                  default="onbekend", unmapped=frozenset({"zie\u200b dossier"}))


@pytest.mark.parametrize(("label", "named"), [
    ("hbo\u200b", "\\u200b (ZERO WIDTH SPACE)"),
    ("hbo\u00ad", "\\xad (SOFT HYPHEN)"),
    ("HBO\u2060", "\\u2060 (WORD JOINER)"),
    ("hbo\ufeff", "\\ufeff (ZERO WIDTH NO-BREAK SPACE)"),
    ("hbo \u202ebachelor", "\\u202e (RIGHT-TO-LEFT OVERRIDE)"),
    ("mbo \u0412", "\\u0412 (CYRILLIC CAPITAL LETTER VE)"),
    ("hbo\u0301", "\\u0301 (COMBINING ACUTE ACCENT)"),
    ("mbo \uff12", "\\uff12 (FULLWIDTH DIGIT TWO)"),
])
def test_a_label_with_a_hidden_or_look_alike_character_is_never_matched_by_a_pattern(label, named):
    code, why = _level_recode().code(label)
    assert code is None and named in why and "values.opleidingsniveau.map" in why


@pytest.mark.parametrize(("label", "code"), [
    ("hbo \u2013 bachelor", "hoog"),  # an en dash: punctuation, read as it shows
    ("Mbo\u00a0niveau 2", "middelbaar"),  # a no-break space is a space
    ("hbo (België)", "hoog"),  # accented Latin letters are no look-alikes
    ("hbo\u200bx", "hoog"),  # listed exactly as written under map
    ("zie\u200b dossier", "onbekend"),  # listed exactly as written under unmapped
])
def test_labels_as_they_show_or_listed_exactly_are_read(label, code):
    assert _level_recode().code(label) == (code, None)


# --- messages: bounded, about what exists, blaming the right cause ------------------------------------------------

LONG = 5_000


@pytest.mark.parametrize("item", [
    "min_cell_count=" + "9" * LONG,  # more digits than Python converts: was argparse's echo of the whole item
    "cutoff_date=" + "2" * LONG,
    "min_cell_count=1." + "5" * LONG,
    "min_cell_count=" + "9" * 4_000,  # converted, then out of range: the range message quoted it whole
    "power_ns=" + "9" * 4_000 + ",30",
    "x" * LONG + "=1",  # a name no notebook declares
    "participants_path=" + "a" * LONG,  # was a traceback (OSError: File name too long)
    "participants_path=" + "ab/" * 2_000,
])
def test_a_5000_character_parameter_is_quoted_as_a_bounded_excerpt(tmp_path, capsys, item):
    from test_runner import make_notebook

    from analysis.pipeline import runner

    nbs = tmp_path / "notebooks"
    nbs.mkdir()
    make_notebook(nbs / "p.ipynb", params='value = 1\nname = "t"\noutput_dir = "reports"\nmin_cell_count = 10\n'
                                          'cutoff_date = "2021-04-01"\npower_ns = [30]\nparticipants_path = ""')
    try:
        code = runner.main(["--notebooks", str(nbs), "--reports", str(tmp_path / "reports"), "--dry-run", "-p", item])
    except SystemExit as stop:  # argparse refuses the item itself
        code = stop.code
    err = capsys.readouterr().err
    assert code in (1, 2) and "Traceback" not in err and err.count("\n") == 1, err[:500]
    assert len(err) < 700, f"{len(err)} characters: {err[:300]}"
    assert "characters)" in err or "bytes" in err  # the length said, the value cut


@pytest.mark.parametrize(("make", "fragment"), [
    (lambda root: root / "notebooks", "is a folder; it must name a configuration file"),
    (lambda root: root, "is a folder; it must name a configuration file"),
    (lambda root: root / "notebooks" / "reprot.yml", "reprot.yml: no such file"),
])
def test_config_naming_a_folder_says_it_is_a_folder(tmp_path, capsys, make, fragment):
    from test_runner import make_notebook

    from analysis.pipeline import runner

    (tmp_path / "notebooks").mkdir()
    make_notebook(tmp_path / "notebooks" / "a.ipynb")
    code = runner.main(["--notebooks", str(tmp_path / "notebooks"), "--reports", str(tmp_path / "reports"),
                        "--config", str(make(tmp_path)), "--dry-run"])
    err = capsys.readouterr().err
    assert code == 1 and fragment in err and "nothing was run" in err
    if "folder" in fragment:
        assert "no such file" not in err


def _one_notebook_and_its_reports(tmp_path):
    """A notebook folder with one notebook, and a reports folder an earlier run wrote (empty)."""
    from test_runner import make_notebook

    nbs = tmp_path / "notebooks"
    nbs.mkdir()
    make_notebook(nbs / "a.ipynb")
    reports = tmp_path / "reports"
    (reports / "tables").mkdir(parents=True)
    run_state.write_state(reports, {})
    return nbs, reports


def test_a_file_placed_by_hand_in_the_reports_folder_is_not_blamed_on_a_cell_and_no_kernel_starts(tmp_path,
                                                                                                  monkeypatch):
    from analysis.pipeline import runner, runs as run_config

    nbs, reports = _one_notebook_and_its_reports(tmp_path)
    (reports / "tables" / "by_hand.csv").write_text("groep,n\na,3\n")
    monkeypatch.setattr(runner, "execute_all", lambda *a, **k: pytest.fail("a kernel started"))
    with pytest.raises(run_config.ReportError) as caught:
        runner.run_report(run_config.discover_runs(nbs), reports)
    message = str(caught.value)
    assert "'tables/by_hand.csv'" in message and "before this run started" in message
    assert "notebook cell" not in message and "Nothing was run or published" in message
    assert (reports / "tables" / "by_hand.csv").is_file()


# --- an oversized export: refused by the runner, before any kernel starts ----------------------------------------

@pytest.mark.parametrize(("limit", "value", "fragment"), [
    ("MAX_READ_SHEET_BYTES", 10_000, "a sheet is read up to 10,000 bytes"),  # one sheet the mapping reads
    ("MAX_READ_TOTAL_BYTES", 40_000, "an export is read up to 40,000 bytes in all"),  # the sheets together
])
def test_an_oversized_export_is_refused_by_the_runner_before_any_kernel(tmp_path, monkeypatch, limit, value,
                                                                        fragment):
    """The limits are lowered here to the sizes of the shipped export's sheets (the real ones
    are 100 and 250 MB); the runner applies the reader's own checks from the zip directory."""
    import shutil
    import zipfile

    from test_runner import make_notebook

    from analysis import paths
    from analysis.data import workbook, xlsx_parts
    from analysis.pipeline import runner, runs as run_config

    with zipfile.ZipFile(paths.DATA_RAW / "pilot_export_synthetic.xlsx") as book:
        sizes = {i.filename: i.file_size for i in book.infolist()}
    sheets = [n for n in sizes if n.startswith("xl/worksheets/")]
    assert max(sizes[n] for n in sheets) > 10_000 and sum(sizes[n] for n in sheets) > 40_000  # the limits bite
    monkeypatch.setattr(xlsx_parts if limit == "MAX_READ_SHEET_BYTES" else workbook, limit, value)
    data = tmp_path / "data"
    data.mkdir()
    shutil.copyfile(paths.DATA_RAW / "pilot_export_synthetic.xlsx", data / "pilot_export_synthetic.xlsx")
    shutil.copyfile(paths.DATA_RAW / "pilot_export_synthetic.mapping.yml", data / "pilot_export_synthetic.mapping.yml")
    nbs = tmp_path / "notebooks"
    nbs.mkdir()
    make_notebook(nbs / "p.ipynb", params='value = 1\nname = "t"\noutput_dir = "reports"\n'
                                          f'participants_path = "{data / "pilot_export_synthetic.xlsx"}"')
    monkeypatch.setattr(runner, "execute_all", lambda *a, **k: pytest.fail("a kernel started"))
    with pytest.raises(run_config.ReportError) as caught:
        runner.run_report(run_config.discover_runs(nbs), tmp_path / "reports")
    message = str(caught.value)
    assert message.startswith("run 'p': ") and "pilot_export_synthetic.xlsx" in message and fragment in message
    assert message.endswith("Nothing was run.")


@pytest.mark.parametrize(("copied", "role", "remedy"), [
    ("status_history", "its status history", "Read the status history the generator wrote"),
    ("participants", "its participant file", "Mark its people real (the column synthetisch false)"),
])
def test_a_threshold_below_10_on_a_file_the_project_did_not_make_names_that_file_by_its_role(tmp_path, monkeypatch,
                                                                                           copied, role, remedy):
    """Round 13: the kernel refused a status history the project did not make by advising to
    set its column ``synthetisch`` to false (a status history has no such column)."""
    from test_runner import make_notebook

    from analysis import paths
    from analysis.pipeline import runner, runs as run_config

    files = {"participants": paths.DATA_RAW / "pilot_participants_synthetic.csv",
             "status_history": paths.DATA_RAW / "pilot_status_history_synthetic.csv"}
    mine = tmp_path / f"{copied}.csv"
    mine.write_bytes(files[copied].read_bytes().replace(b"\n", b"\r\n"))  # the same rows, other bytes: not sealed
    files[copied] = mine
    nbs = tmp_path / "notebooks"
    nbs.mkdir()
    make_notebook(nbs / "p.ipynb", params='value = 1\nname = "t"\noutput_dir = "reports"\nmin_cell_count = 5\n'
                                          f'participants_path = "{files["participants"]}"\n'
                                          f'status_history_path = "{files["status_history"]}"')
    monkeypatch.setattr(runner, "execute_all", lambda *a, **k: pytest.fail("a kernel started"))
    with pytest.raises(run_config.ReportError) as caught:
        runner.run_report(run_config.discover_runs(nbs), tmp_path / "reports")
    message = str(caught.value)
    assert f"{role} {mine.name} is not such a file" in message and remedy in message
    assert "min_cell_count=5 is below 10" in message and message.endswith("Nothing was run.")
    if copied == "status_history":
        assert "synthetisch" not in message


def test_a_dry_run_refuses_a_file_placed_in_the_reports_folder_as_the_real_run_does(tmp_path):
    from analysis.pipeline import runner, runs as run_config

    nbs, reports = _one_notebook_and_its_reports(tmp_path)
    (reports / "notes.txt").write_text("by hand\n")
    before = sorted(p.relative_to(reports).as_posix() for p in reports.rglob("*"))
    with pytest.raises(run_config.ReportError, match="before this run started"):
        runner.dry_run(run_config.discover_runs(nbs), reports)
    assert sorted(p.relative_to(reports).as_posix() for p in reports.rglob("*")) == before


@pytest.mark.parametrize(("copied", "role", "remedy"), [
    ("status_history", "its status history", "read the status history the generator wrote"),
    ("participants", "its participant file", "mark its people real (the column synthetisch false)"),
])
def test_a_notebook_opened_without_the_runner_names_the_file_by_its_role_too(tmp_path, copied, role, remedy):
    """The kernel's own refusal (a notebook run in JupyterLab, without the runner's check before
    it) gave a status history the participant file's advice: set its column ``synthetisch``."""
    from analysis import paths
    from analysis.pilot.inputs import load_participants
    from analysis.release.run import believed_claim
    from analysis.stats.disclosure import DisclosureError

    files = {"participants": paths.DATA_RAW / "pilot_participants_synthetic.csv",
             "status_history": paths.DATA_RAW / "pilot_status_history_synthetic.csv"}
    mine = tmp_path / f"{copied}.csv"
    mine.write_bytes(files[copied].read_bytes().replace(b"\n", b"\r\n"))  # the same rows, other bytes: not sealed
    files[copied] = mine
    frame = load_participants(files["participants"])
    with pytest.raises(DisclosureError) as caught:
        believed_claim(frame, files, 5)
    message = str(caught.value)
    assert f"{role} {mine.name} is neither a shipped file" in message and remedy in message
    assert "min_cell_count at 10 or more" in message
    if copied == "status_history":
        assert "synthetisch" not in message


@pytest.mark.parametrize("first", ["Totaal\u200b", "Tоtaal"])  # a zero-width space; a Cyrillic o
def test_a_skip_pattern_never_drops_a_row_for_what_shows_of_its_first_cell(first):
    """Round 13's leftover: ``skip_rows: ["totaal"]`` dropped a row whose first cell held a
    character that does not show (or a look-alike) when the pattern matched the rest."""
    from analysis.data.mapped import MappingError, skip_rows
    from analysis.data.workbook import sheet_table

    grid = [("id", "leeftijd"), ("P1", 40), ("P2", 50), (first, 90)]
    table = sheet_table("Deelnemers", grid, 1)
    assert len(skip_rows(table, ("^totaal$",)).rows) == 3  # the pattern does not match: the row is kept (and read)
    with pytest.raises(MappingError) as caught:
        skip_rows(table, ("taal",), "export.xlsx", "participants.skip_rows")
    message = str(caught.value)
    assert "sheet 'Deelnemers'" in message and "row 4" in message and "participants.skip_rows" in message
    assert ("\\u200b" in message) if "\u200b" in first else ("\\u043e" in message)
    plain = sheet_table("Deelnemers", [*grid[:3], ("Totaal", 90)], 1)
    assert list(skip_rows(plain, ("taal",)).rows["id"]) == ["P1", "P2"]  # as it shows: skipped


def test_a_landing_page_that_cannot_be_rewritten_after_the_runs_is_not_said_as_nothing_published(tmp_path,
                                                                                              monkeypatch):
    """Round 13's leftover: with every run's files in place, a landing page that could not be
    written (an immutable ``html/`` folder) was said as "nothing was published from this run"
    while ``html/index.html`` was gone."""
    from test_runner import make_notebook

    from analysis.pipeline import runner, runs as run_config

    nbs = tmp_path / "notebooks"
    nbs.mkdir()
    make_notebook(nbs / "a.ipynb")
    reports = tmp_path / "reports"
    runner.run_report(run_config.discover_runs(nbs), reports)
    index = reports / "html" / "index.html"
    index.unlink()

    def refused(folder, state):
        raise PermissionError(errno.EPERM, os.strerror(errno.EPERM), str(index))
    monkeypatch.setattr(runner, "write_index", refused)
    with pytest.raises(run_config.ReportError) as caught:
        runner.run_report(run_config.discover_runs(nbs), reports)
    message = str(caught.value)
    assert "nothing was published" not in message.lower()
    for fragment in ("files in", "are published", "'index.html'", "chattr -i", "rerun `make report`"):
        assert fragment in message
    monkeypatch.undo()
    runner.run_report(run_config.discover_runs(nbs), reports)
    assert index.is_file()  # the advice holds: the rerun writes it
