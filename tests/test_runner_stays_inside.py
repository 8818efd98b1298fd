"""The runner never writes or deletes outside its reports folder, whatever the folder holds
(hostile round 14): a journal naming a staging folder outside it (H9), a bookkeeping file that
is a hard link to a file elsewhere (H14), a copy made into a place that is a hard link."""

import json
import os

import pytest

from analysis.pipeline import journal, tampering
from analysis.pipeline.fs_safety import UnsafeFolder


@pytest.fixture()
def victim(tmp_path):
    folder = tmp_path / "victimdir"
    folder.mkdir()
    (folder / "precious.txt").write_text("keep me\n")
    (folder / "x.txt").write_text("x\n")
    return folder


def test_a_journal_in_the_form_before_version_2_is_set_aside_and_deletes_nothing(tmp_path, victim):
    reports = tmp_path / "a" / "rj"
    (reports / journal.STAGING).mkdir(parents=True)
    entry = {"moves": ["x.txt"], "staging": "../../../victimdir", "remove": [], "state": {}}
    (reports / journal.JOURNAL_FILE).write_text(json.dumps(entry))
    lines = []
    assert journal.recover(reports, lambda st: pytest.fail("must not apply"), lines.append) is False
    assert sorted(p.name for p in victim.iterdir()) == ["precious.txt", "x.txt"]
    assert not (reports / "x.txt").exists()
    assert (reports / ".journal.damaged.json").is_file() and "no known version" in lines[0]


@pytest.mark.parametrize("run", ["../../../victimdir", "../../victimdir/..", "link"])
def test_staged_files_are_removed_only_inside_the_staging_folder(tmp_path, victim, run):
    reports = tmp_path / "a" / "rj"
    (reports / journal.STAGING).mkdir(parents=True)
    (reports / journal.STAGING / "link").symlink_to(victim)
    journal.remove_staged(reports, run)
    assert sorted(p.name for p in victim.iterdir()) == ["precious.txt", "x.txt"]


def test_staged_files_of_a_run_are_removed(tmp_path):
    reports = tmp_path / "rj"
    staged = journal.staging_dir(reports, "01-en")
    (staged / "tables").mkdir(parents=True)
    (staged / "tables" / "t.csv").write_text("a\n")
    journal.remove_staged(reports, "01-en")
    assert not staged.exists() and (reports / journal.STAGING).is_dir()


def test_a_lock_that_is_a_hard_link_is_refused_and_its_file_left_as_it_is(tmp_path):
    reports = tmp_path / "rjm"
    reports.mkdir()
    outside = tmp_path / "victim4.txt"
    outside.write_text("IMPORTANT DATA LINE 1\nLINE 2\n")
    os.link(outside, reports / journal.LOCK_FILE)
    with pytest.raises(UnsafeFolder, match="hard link") as info, journal.exclusive(reports):
        pytest.fail("must not hold the folder")
    assert str(reports / journal.LOCK_FILE) in str(info.value) and "rm " in str(info.value)
    assert outside.read_text() == "IMPORTANT DATA LINE 1\nLINE 2\n"


def test_a_lock_with_one_name_is_written_as_before(tmp_path):
    reports = tmp_path / "r"
    with journal.exclusive(reports):
        pass
    assert (reports / journal.LOCK_FILE).read_text() == f"pid {os.getpid()}"


def test_a_copy_of_a_tampered_file_never_writes_through_a_hard_link(tmp_path):
    reports = tmp_path / "r"
    (reports / "tables").mkdir(parents=True)
    (reports / "tables" / "t.csv").write_text("edited by hand\n")
    outside = tmp_path / "victim.txt"
    outside.write_text("outside\n")
    kept = reports / tampering.TAMPERED / "tables"
    kept.mkdir(parents=True)
    os.link(outside, kept / "t.csv")
    tampering.keep_copies(reports, [("tables/t.csv", "changed")])
    assert outside.read_text() == "outside\n"
    assert (kept / "t.csv").read_text() == "edited by hand\n"


@pytest.mark.parametrize("kind", ["fifo", "link", "folder"])
def test_a_lock_of_a_validated_copy_that_is_no_regular_file_is_refused_at_once(tmp_path, kind):
    """H20: a named pipe where the validated copy's lock goes made every load wait for ever
    (``open(lock, "ab")`` blocks on a pipe without a reader); a link made the lock a file
    elsewhere. Refused in one line naming the file and the command that removes it."""
    import signal

    from analysis.files import LockFileError, file_lock

    lock = tmp_path / "proc" / "x.parquet.lock"
    lock.parent.mkdir()
    outside = tmp_path / "outside.txt"
    if kind == "fifo":
        os.mkfifo(lock)
    elif kind == "link":
        lock.symlink_to(outside)
    else:
        lock.mkdir()

    def hang(_signum, _frame):
        raise TimeoutError("the lock was waited on")

    previous = signal.signal(signal.SIGALRM, hang)
    signal.alarm(10)
    try:
        with pytest.raises(LockFileError) as info, file_lock(lock):
            pytest.fail("must not hold the lock")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert str(lock) in str(info.value) and "rm" in str(info.value) and "\n" not in str(info.value)
    assert not outside.exists()


def test_a_lock_of_a_validated_copy_is_held_and_released(tmp_path):
    from analysis.files import file_lock

    lock = tmp_path / "proc" / "x.parquet.lock"
    with file_lock(lock):
        assert lock.is_file()
    with file_lock(lock):  # released: taken again at once
        pass
