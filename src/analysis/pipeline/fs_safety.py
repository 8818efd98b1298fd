"""Filesystem safety of the reports folder: the runner writes only inside it and never
through a symbolic link.

A link anywhere under the reports folder (its lock, journal, state, staging folder, an output
folder such as ``tables/`` or ``html/files/``, or a published file) would make a write land
where the link points, outside the folder; so the runner refuses to start while one exists,
naming it and the command that removes it. Paths read from the journal are relative to the
reports folder and must stay inside it (:func:`inside`). The standard library has what is
needed (``os.walk`` does not follow links); no extra library."""

from __future__ import annotations

import os
import stat
from pathlib import Path, PurePosixPath

from analysis.data.errors import written
from analysis.files import file_kind
from analysis.write_targets import linked_component


class UnsafeFolder(RuntimeError):
    """The reports folder holds a symbolic link or a path that leaves it."""


def first_link(folder: Path) -> Path | None:
    """The first symbolic link under ``folder`` (sorted walk, links not followed), else None."""
    folder = Path(folder)
    if not folder.exists():
        return None
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs.sort()
        for name in sorted(dirs + files):
            path = Path(root, name)
            if path.is_symlink():
                return path
    return None


def refuse_links(reports: Path) -> None:
    """:class:`UnsafeFolder` when ``reports`` holds a symbolic link anywhere."""
    link = linked_component(reports) or (Path(reports) if Path(reports).is_symlink() else None) or first_link(reports)
    if link is not None:
        raise UnsafeFolder(f"{link} is a symbolic link (to {os.readlink(link)}); the runner writes only inside "
                           f"{reports} and never through a link. Remove the link (rm {link}) and rerun "
                           "`make report`; nothing was run.")


BOOKKEEPING = (".runner-state.json", ".journal.json", "manifest.json")  # the runner's own files, written whole
BOOKKEEPING_FOLDERS = (".staging", ".tampered")  # the runner's own folders (journal.STAGING, tampering.TAMPERED)


def refuse_special_files(reports: Path) -> None:
    """:class:`UnsafeFolder` when one of the runner's bookkeeping files in ``reports`` exists as
    something else than a regular file, or one of its folders as something else than a folder:
    a named pipe blocked the reading run, a pipe as the state made every run refuse its own
    outputs (hostile round 13, session 10), and ``.staging`` or ``.tampered`` as a file gave a raw
    "[Errno 20] Not a directory" after a kernel slot was taken (hostile round 15, H5)."""
    for name in BOOKKEEPING + BOOKKEEPING_FOLDERS:
        path = Path(reports) / name
        try:
            mode = os.lstat(path).st_mode
        except OSError:
            continue
        folder = name in BOOKKEEPING_FOLDERS
        if stat.S_ISLNK(mode) or (stat.S_ISDIR(mode) if folder else file_kind(mode) is None):
            continue  # a link: refuse_links names it
        kind = "a regular file" if stat.S_ISREG(mode) else file_kind(mode)
        remove = "rm -r" if stat.S_ISDIR(mode) else "rm"
        wanted = ("the folder a report run keeps there" if folder
                  else "the file a report run writes there (a regular file)")
        raise UnsafeFolder(f"{path} is {kind}, not {wanted}; nothing was run. Remove it ({remove} {path}) and "
                           "rerun: the next run writes it again")


def inside(reports: Path, rel: str) -> Path:
    """``reports / rel`` for a relative path that stays inside ``reports`` (no ``..``, not
    absolute); :class:`UnsafeFolder` otherwise."""
    if leaves(rel):
        raise UnsafeFolder(f"the path {written(rel)} leaves {reports}; refused")
    return Path(reports) / PurePosixPath(rel)


def leaves(rel: str) -> bool:
    """Whether the relative path ``rel`` is empty or may lead out of the folder it is joined
    to (absolute, ``..``, a backslash, ``~``)."""
    pure = PurePosixPath(rel)
    return not rel or pure.is_absolute() or ".." in pure.parts or "\\" in rel or rel.startswith("~")


def open_lock(path: Path) -> int:
    """Open the lock file for writing without following a link (``O_NOFOLLOW``). The lock is
    the one file the runner writes in place (its holder's pid), so it must be a regular file
    with one name: a hard link to a file elsewhere was truncated and overwritten (hostile
    round 14, H14); every other file in the folder is replaced by a rename."""
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags, 0o644)
    except OSError as exc:
        if Path(path).is_symlink():
            raise UnsafeFolder(f"{path} is a symbolic link; remove it (rm {path}) and rerun") from None
        if Path(path).is_dir():
            raise UnsafeFolder(_not_a_lock(path, "a folder", "rm -r")) from None
        raise exc
    info = os.fstat(fd)
    kind = file_kind(info.st_mode)
    if kind is None and info.st_nlink > 1:  # written in place: a hard link would overwrite a file elsewhere
        kind = f"a hard link ({info.st_nlink} names for one file, perhaps outside the folder)"
    if kind is not None:  # a pipe, socket or device named .lock: opened (a pipe without blocking), never used
        os.close(fd)
        raise UnsafeFolder(_not_a_lock(path, kind, "rm"))
    return fd


def _not_a_lock(path: Path, kind: str, remove: str) -> str:
    return (f"{path} is {kind}, not the lock file a report run writes there (a regular file); nothing was run. "
            f"Remove it ({remove} {path}) and rerun")
