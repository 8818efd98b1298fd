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
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from analysis.data.errors import written
from analysis.files import sha256_file, write_text_atomically
from analysis.pipeline.bookkeeping_limits import BookkeepingTooLarge, read_bounded_json, set_aside_command
from analysis.pipeline.fs_safety import UnsafeFolder, inside, leaves, open_lock, refuse_links, refuse_special_files
from analysis.terminal_text import visible

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
                errno.EDQUOT: "disk quota exceeded", errno.EFBIG: "the file size limit is reached (ulimit -f)"}


class PublishError(RuntimeError):
    """``reports/`` cannot be written (full disk, read-only); the message is one line."""


def write_failure(exc: OSError, reports: Path) -> PublishError | None:
    """One clear line for an OS error that means the folder cannot be written, else None."""
    why = WRITE_ERRORS.get(exc.errno or 0)
    if why is None:
        return None
    return PublishError(f"cannot write to {reports}: {why} ({exc.strerror}); nothing was published "
                        "from this run. Free space or fix the permissions, then rerun `make report`.")


REMEDIES = {errno.ENOSPC: "free space", errno.EDQUOT: "free space (disk quota)",
            errno.EROFS: "mount the file system writable", errno.EFBIG: "raise the file size limit (ulimit -f)",
            errno.EACCES: "make the file and its folder writable (chmod u+w; an immutable file: chattr -i)",
            errno.EPERM: "make the file and its folder writable (an immutable file: chattr -i; else chmod u+w)"}


class HalfPublished(PublishError):
    """A committed publication stopped part way: some files are new, some old; the journal
    stays, and the next run completes it once the cause is removed."""


def half_published(exc: OSError, reports: Path) -> HalfPublished:
    """One message for an OS error while a committed journal is applied: what happened (part
    of the files replaced), which file, why, and what to do (remove the cause, run again)."""
    where = exc.filename2 if exc.filename2 is not None else exc.filename
    shown = str(where) if where is not None else str(reports)
    try:
        shown = f"{Path(shown).relative_to(reports).as_posix()}' in '{reports}"
    except ValueError:
        pass
    why = WRITE_ERRORS.get(exc.errno or 0, exc.strerror or type(exc).__name__)
    remedy = REMEDIES.get(exc.errno or 0, "remove the cause")
    return HalfPublished(
        f"the publication stopped part way: '{visible(shown)}' cannot be replaced ({why}: {exc.strerror}). "
        f"{reports} may now hold some of this run's files beside the previous ones; {JOURNAL_FILE} there "
        f"records the rest, and nothing was lost. {remedy[0].upper() + remedy[1:]}, then rerun `make report`: "
        "it completes this publication first.")


def bookkeeping_failure(exc: OSError, reports: Path) -> PublishError:
    """One message for an OS error while the state, landing page or manifest is rewritten with
    every run's files in place: the runs' files are published, the bookkeeping is not (a
    hostile tester was told "nothing was published" while ``html/index.html`` was gone)."""
    where = exc.filename2 if exc.filename2 is not None else exc.filename
    shown = Path(str(where)).name if where is not None else str(reports)
    why = WRITE_ERRORS.get(exc.errno or 0, exc.strerror or type(exc).__name__)
    remedy = REMEDIES.get(exc.errno or 0, "remove the cause")
    return PublishError(
        f"the runs' files in {reports} are published, but its landing page, manifest or state could not be "
        f"written ('{visible(shown)}': {why}), so html/index.html and manifest.json may be missing or out of date. "
        f"{remedy[0].upper() + remedy[1:]}, then rerun `make report`: it writes them.")


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
    """Hold the lock of ``reports`` for the block; wait (saying so) or stop if held. The
    lock file is opened without following a link, and the folder must hold no link
    (:func:`analysis.pipeline.fs_safety.refuse_links`)."""
    try:
        reports.mkdir(parents=True, exist_ok=True)
        fd = open_lock(reports / LOCK_FILE)
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
        refuse_links(reports)
        refuse_special_files(reports)
        if fcntl is not None:  # msvcrt locks the byte the pid would be written to
            os.ftruncate(fd, 0)
            os.lseek(fd, 0, os.SEEK_SET)
            os.write(fd, f"pid {os.getpid()}".encode())
        yield
    finally:
        os.close(fd)  # releases the lock


@contextmanager
def staging_removed_on_error(reports: Path) -> Iterator[None]:
    """A run that stops on an error (a full disk, Ctrl-C) leaves no staged files behind,
    unless a journal still needs them (the next run completes that publication)."""
    try:
        yield
    except BaseException:
        if not (reports / JOURNAL_FILE).exists():
            shutil.rmtree(reports / STAGING, ignore_errors=True)
        raise


@contextmanager
def signals_deferred() -> Iterator[None]:
    """Ctrl-C (SIGINT), SIGTERM and SIGHUP wait until the block is done, then take effect: a
    publication, once committed, is applied completely by this process. Only the main
    thread can install handlers; elsewhere the block runs as it is."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    deferred = (signal.SIGINT, signal.SIGTERM, *([signal.SIGHUP] if hasattr(signal, "SIGHUP") else []))
    previous = {sig: signal.signal(sig, lambda num, _frame: received.append(num)) for sig in deferred}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if received:
            if received[0] == signal.SIGINT:
                raise KeyboardInterrupt
            signal.raise_signal(received[0])


def staging_dir(reports: Path, run_name: str) -> Path:
    return reports / STAGING / run_name


def commit(reports: Path, moves: list[tuple[str, str]], remove: list[str], state: dict[str, Any],
           finish: Callable[[dict[str, Any]], None]) -> None:
    """Publish atomically: write the journal (the commit point), then apply it. ``moves``
    are (run, path) pairs: the staged file ``.staging/<run>/<path>`` goes to ``<path>``."""
    entry = {"version": 2, "moves": [list(m) for m in moves], "remove": list(remove), "state": state}
    with signals_deferred():
        write_text_atomically(reports / JOURNAL_FILE, json.dumps(entry, sort_keys=True) + "\n")
        checkpoint("journal written")
        apply(reports, entry, finish)


def entry_problem(entry: Any) -> str | None:
    """What is wrong with a journal entry read from disk (None: well formed)."""
    if not isinstance(entry, dict):
        return "it is not a JSON object"
    if entry.get("version") != 2:  # the form before version 2 named a staging folder unchecked (hostile round 14)
        return "it has no known version"
    if not isinstance(entry.get("moves"), list) or not all(
            isinstance(m, list) and len(m) == 2 and all(isinstance(x, str) for x in m) for m in entry["moves"]):
        return "'moves' is not a list of [run, path] pairs"
    if not isinstance(entry.get("remove"), list) or not all(isinstance(r, str) for r in entry["remove"]):
        return "'remove' is not a list of paths"
    if not isinstance(entry.get("state"), dict):
        return "'state' is not an object"

    try:
        for rel in [m[1] for m in entry["moves"]] + entry["remove"] + [m[0] for m in entry["moves"]]:
            inside(Path("."), rel)
    except UnsafeFolder as exc:
        return str(exc)
    return None


def _pairs(entry: dict[str, Any]) -> list[tuple[str, str]]:
    return [(run, rel) for run, rel in entry["moves"]]


def remove_staged(reports: Path, run: str) -> None:
    """Remove the staged files of ``run``: only a folder that is, resolved, inside
    ``<reports>/.staging`` (a run name that led out of it deleted a folder elsewhere: hostile
    round 14, H9); anything else is left where it is."""
    base = (Path(reports) / STAGING).resolve()
    target = staging_dir(reports, run)
    if leaves(run) or target.is_symlink() or base not in target.resolve().parents:
        return
    shutil.rmtree(target, ignore_errors=True)


def apply(reports: Path, entry: dict[str, Any], finish: Callable[[dict[str, Any]], None]) -> None:
    """Move the staged files in, remove the dropped ones, then ``finish(state)`` (state,
    index, manifest), then drop the journal. Every step can be repeated. A staged file that
    is gone (its staging was lost) and whose place does not hold the file the state records
    makes that run stale instead of leaving a wrong hash in the manifest
    (:func:`_settle_lost_moves`). A file that cannot be replaced (immutable, read-only, a
    full disk) stops it with :class:`HalfPublished`: the journal stays, and the message says
    that part of the files are new (never "nothing was published": hostile round 13)."""
    try:
        _apply(reports, entry, finish)
    except OSError as exc:
        raise half_published(exc, reports) from None


def _apply(reports: Path, entry: dict[str, Any], finish: Callable[[dict[str, Any]], None]) -> None:
    lost = []
    for run, rel in _pairs(entry):
        src = inside(staging_dir(reports, run), rel)
        dest = inside(reports, rel)
        if src.is_file():
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.replace(src, dest)
            checkpoint(f"moved {rel}")
        else:
            lost.append((run, rel))
    for rel in entry["remove"]:
        inside(reports, rel).unlink(missing_ok=True)
    state = _settle_lost_moves(reports, entry["state"], lost)
    finish(state)
    for run in sorted({run for run, _ in _pairs(entry)}):
        remove_staged(reports, run)
    (reports / JOURNAL_FILE).unlink(missing_ok=True)
    checkpoint("journal removed")


def _settle_lost_moves(reports: Path, state: dict[str, Any], lost: list[tuple[str, str]]) -> dict[str, Any]:
    """The state with each lost move's recorded hash replaced by the hash of the file now in
    its place (dropped when none is) and its run marked to run again, so the manifest tells
    what is published and the next run repairs it."""
    state = {k: dict(v) if isinstance(v, dict) else v for k, v in state.items()}
    for run, rel in lost:
        entry = state.get(run)
        outputs = dict(entry.get("outputs") or {}) if isinstance(entry, dict) else {}
        if rel not in outputs:
            continue
        dest = reports / rel
        actual = sha256_file(dest) if dest.is_file() else None
        if actual == outputs[rel]:
            continue
        if actual is None:
            outputs.pop(rel)
        else:
            outputs[rel] = actual
        state[run] = dict(entry, outputs=outputs, status="incomplete")
    return state


def recover(reports: Path, finish: Callable[[dict[str, Any]], None], log: Callable[[str], Any] = print) -> bool:
    """Complete a publication a killed run left half done; drop unfinished staging.
    Returns True when a journal was applied. A damaged journal (not written by this runner:
    the journal is replaced atomically) is set aside as ``.journal.damaged.json`` and not
    applied; the hash check of every published file then reruns what it left inconsistent."""
    journal = reports / JOURNAL_FILE
    applied = False
    if journal.is_file():
        try:
            entry = read_bounded_json(journal)
            problem = entry_problem(entry)
        except BookkeepingTooLarge as exc:
            raise PublishError(f"{journal} is not a journal the runner wrote ({exc}). Nothing was run. Set it aside "
                               f"({set_aside_command(journal, str(journal))}) and run again: runs whose published "
                               "files differ from the state then run again.") from None
        except (json.JSONDecodeError, UnicodeDecodeError, RecursionError):
            entry, problem = None, "it is not valid JSON"
        if problem is None:
            pending = sorted({run for run, _ in _pairs(entry)})
            what = f"run(s) {', '.join(written(r) for r in pending)}" if pending else "the run state"
            log(f"report: completing the interrupted publication of {what}")
            try:
                with signals_deferred():
                    apply(reports, entry, finish)
                applied = True
            except HalfPublished:
                raise  # the disk (full, read-only) or a file that cannot be replaced: the journal stays
            except Exception as exc:  # noqa: BLE001 - a cause that would stop every later run the same way
                os.replace(journal, reports / ".journal.failed.json")
                log(f"report: the interrupted publication could not be completed ({type(exc).__name__}: "
                    f"{str(exc).splitlines()[0][:300] if str(exc) else ''}); its journal is set aside as "
                    ".journal.failed.json. Runs whose published files differ from the state run again.")
        else:
            os.replace(journal, reports / ".journal.damaged.json")
            log(f"report: {journal} was damaged ({problem}); set aside as .journal.damaged.json and not applied. "
                "Runs whose published files differ from the state run again; `make report ARGS=--force` "
                "republishes everything.")
        journal.unlink(missing_ok=True)
    shutil.rmtree(reports / STAGING, ignore_errors=True)
    return applied
