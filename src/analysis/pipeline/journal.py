"""One writer per ``reports/`` and all-or-nothing publication.

**Lock.** A run holds ``reports/.lock`` (``fcntl.flock``, released by the kernel when the
process ends, even on ``kill -9``) from before it reads the state until after it has
published. A second run waits, saying which process holds the folder, or stops with a clear
message (``wait=False``).

**Journal.** Publishing one run touches many files in several folders (tables, figures,
HTML, the executed notebook) plus the state, the index and the manifest; no single rename
replaces them all. So a run's outputs are staged completely first, then one small journal
file is written atomically (``reports/.journal.json``): the files to move in, the files to
remove and the new state. Writing the journal is the commit point. Applying it only
renames staged files and rewrites the three bookkeeping files, and can be repeated: a
process killed while applying leaves the journal behind, and the next run applies it
again before anything else (:func:`recover`). Killed before the journal exists, nothing in
``reports/`` has changed and the staged files are removed. This is the write-ahead log of a
database, kept small; no library in the lock file offers it for a folder of files.

:func:`checkpoint` marks the steps of a run; the kill test (``tests/test_runner_kill.py``)
stops the runner at one of them (``VWNW_PAUSE_AT``) and kills it from outside.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator

from analysis.files import write_text_atomically

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None
    import msvcrt

LOCK_FILE = ".lock"
JOURNAL_FILE = ".journal.json"
STAGING = ".staging"
WRITE_ERRORS = {errno.ENOSPC: "no space left on the device", errno.EROFS: "the file system is read-only",
                errno.EACCES: "permission denied", errno.EPERM: "permission denied",
                errno.EDQUOT: "disk quota exceeded"}


class PublishError(RuntimeError):
    """``reports/`` cannot be written (full disk, read-only); the message is one line."""


def write_failure(exc: OSError, reports: Path) -> PublishError | None:
    """One clear line for an OS error that means the folder cannot be written, else None."""
    why = WRITE_ERRORS.get(exc.errno or 0)
    if why is None:
        return None
    return PublishError(f"cannot write to {reports}: {why} ({exc.strerror}); nothing was published "
                        "from this run. Free space or fix the permissions, then rerun `make report`.")


_checkpoints = 0


def checkpoint(step: str) -> None:
    """A named step of a run. With ``VWNW_PAUSE_AT=<n>`` the n-th step (counted from 1 in
    this process) writes its name to ``VWNW_PAUSE_FILE`` and waits there to be killed."""
    global _checkpoints
    _checkpoints += 1
    target = os.environ.get("VWNW_PAUSE_AT")
    if target and int(target) == _checkpoints:
        Path(os.environ["VWNW_PAUSE_FILE"]).write_text(f"{_checkpoints} {step}\n")
        while True:
            time.sleep(60)


def _lock(fd: int, block: bool) -> None:
    """Lock ``fd``; ``BlockingIOError`` when held elsewhere and ``block`` is False.
    (Windows, untested here: ``msvcrt.locking`` on the first byte.)"""
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if block else fcntl.LOCK_NB))
        return
    while True:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return
        except OSError:
            if not block:
                raise BlockingIOError from None
            time.sleep(0.5)


def _holder(fd: int) -> str:
    os.lseek(fd, 0, os.SEEK_SET)
    return os.read(fd, 64).decode(errors="replace").strip() or "another process"


@contextmanager
def exclusive(reports: Path, wait: bool = True, log: Callable[[str], Any] = print) -> Iterator[None]:
    """Hold the lock of ``reports`` for the block; wait (saying so) or stop if held."""
    try:
        reports.mkdir(parents=True, exist_ok=True)
        fd = os.open(reports / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise write_failure(exc, reports) or exc from None
    try:
        try:
            _lock(fd, block=False)
        except BlockingIOError:
            holder = _holder(fd)
            if not wait:
                raise PublishError(f"{reports} is in use by another report run ({holder}); "
                                   "wait for it to finish, then rerun.") from None
            log(f"report: {reports} is in use by another report run ({holder}); waiting for it to finish")
            _lock(fd, block=True)
        if fcntl is not None:  # msvcrt locks the byte the pid would be written to
            os.ftruncate(fd, 0)
            os.lseek(fd, 0, os.SEEK_SET)
            os.write(fd, f"pid {os.getpid()}".encode())
        yield
    finally:
        os.close(fd)  # releases the lock


@contextmanager
def staging_removed_on_error(reports: Path) -> Iterator[None]:
    """A run that stops on an error (a full disk, Ctrl-C) leaves no staged files behind."""
    try:
        yield
    except BaseException:
        shutil.rmtree(reports / STAGING, ignore_errors=True)
        raise


def staging_dir(reports: Path, run_name: str) -> Path:
    return reports / STAGING / run_name


def commit(reports: Path, run_name: str | None, moves: list[str], remove: list[str], state: dict[str, Any],
           finish: Callable[[dict[str, Any]], None]) -> None:
    """Publish atomically: write the journal (the commit point), then apply it."""
    entry = {"staging": run_name, "moves": moves, "remove": remove, "state": state}
    write_text_atomically(reports / JOURNAL_FILE, json.dumps(entry, sort_keys=True) + "\n")
    checkpoint("journal written")
    apply(reports, entry, finish)


def apply(reports: Path, entry: dict[str, Any], finish: Callable[[dict[str, Any]], None]) -> None:
    """Move the staged files in, remove the dropped ones, then ``finish(state)`` (state,
    index, manifest), then drop the journal. Every step can be repeated."""
    staged = staging_dir(reports, entry["staging"]) if entry.get("staging") else None
    for rel in entry["moves"]:
        src = staged / rel if staged else None
        if src is not None and src.is_file():
            dest = reports / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.replace(src, dest)
            checkpoint(f"moved {rel}")
    for rel in entry["remove"]:
        (reports / rel).unlink(missing_ok=True)
    finish(entry["state"])
    if staged is not None:
        shutil.rmtree(staged, ignore_errors=True)
    (reports / JOURNAL_FILE).unlink(missing_ok=True)
    checkpoint("journal removed")


def recover(reports: Path, finish: Callable[[dict[str, Any]], None], log: Callable[[str], Any] = print) -> bool:
    """Complete a publication a killed run left half done; drop unfinished staging.
    Returns True when a journal was applied."""
    journal = reports / JOURNAL_FILE
    applied = False
    if journal.is_file():
        try:
            entry = json.loads(journal.read_text(encoding="utf-8"))
        except json.JSONDecodeError:  # cannot happen with an atomic write; never trust it
            entry = None
        if entry is not None:
            what = f"run '{entry['staging']}'" if entry.get("staging") else "the run state"
            log(f"report: completing the interrupted publication of {what}")
            apply(reports, entry, finish)
            applied = True
        journal.unlink(missing_ok=True)
    shutil.rmtree(reports / STAGING, ignore_errors=True)
    return applied
