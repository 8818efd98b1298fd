"""File helpers shared by the pipeline and the data layer: content hashes and atomic
replacement (readers of a file see the old version or the new one, never a part)."""

from __future__ import annotations

import hashlib
import io
import os
import re
import stat
import threading
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
SOURCE_SUFFIXES = (".py", ".j2")


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: str | Path, chunk: int = 1 << 20) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(chunk), b""):
            h.update(block)
    return h.hexdigest()


def sha256_published(path: str | Path) -> str:
    """:func:`sha256_file`, hashed once per process while the file's inode, size and change
    time stay (the run plan and the tamper check both hash every published file: a no-op
    rerun would read the reports folder twice)."""
    st = os.stat(path)
    return _sha256_stamped(str(path), st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


@lru_cache(maxsize=4096)
def _sha256_stamped(path: str, _ino: int, _size: int, _mtime: int, _ctime: int) -> str:
    return sha256_file(path)


@lru_cache(maxsize=4)
def source_hash(package: Path = PACKAGE) -> str:
    """Hash of every source file (``.py``, ``.j2``) in the package and all its subpackages,
    with its path: a change to any module changes the hash. The sources are small; hashing
    them takes milliseconds."""
    h = hashlib.sha256()
    for f in sorted(p for p in package.rglob("*") if p.suffix in SOURCE_SUFFIXES and p.is_file()):
        h.update(f.relative_to(package).as_posix().encode())
        h.update(f.read_bytes())
    return h.hexdigest()


def replace_atomically(target: Path, write_to: Callable[[Path], object]) -> None:
    """``write_to(tmp)`` then rename over ``target``; the temporary file is removed if the
    write fails."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp{os.getpid()}-{threading.get_ident()}")
    try:
        write_to(tmp)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def write_text_atomically(path: Path, text: str) -> None:
    replace_atomically(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def fixed_zip_bytes(raw: bytes, when) -> bytes:
    """An XLSX (any zip) written by openpyxl with every zip entry stamped ``when``, entries
    in name order, and the document's ``modified`` date (openpyxl stamps the time of
    saving) set to ``when``: the bytes depend only on the content. Shared by the report's
    tables and the synthetic case-manager export."""
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in sorted(src.infolist(), key=lambda i: i.filename):
            info = zipfile.ZipInfo(item.filename, date_time=when.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            data = src.read(item.filename)
            if item.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)", rb"\g<1>" + stamp + rb"\g<2>",
                              data)
            dst.writestr(info, data)
    return out.getvalue()


class LockFileError(ValueError):
    """A lock file that is no regular file (a named pipe, a device, a folder, a link): opening
    it would block for ever or write where the link points."""


@contextmanager
def file_lock(lock: Path) -> Iterator[None]:
    """Hold an exclusive advisory lock on the file ``lock`` (created) while the body runs;
    unlocked where ``fcntl`` does not exist (Windows) or the lock file cannot be opened:
    correct, only slower (each caller then does the work itself). A lock that is something
    else than a regular file is refused (:class:`LockFileError`) and never waited on: a named
    pipe there made every load of a validated copy wait for ever (hostile round 14, H20)."""
    try:
        import fcntl  # POSIX only (Windows: no lock, see above)
    except ImportError:
        yield
        return
    try:
        lock.parent.mkdir(parents=True, exist_ok=True)
        fd = open_lock_file(lock)
    except LockFileError:
        raise
    except OSError:
        yield
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def open_lock_file(lock: Path) -> int:
    """A descriptor of the regular file ``lock`` (created), opened without following a link
    and without blocking (a named pipe opens at once, then is refused); :class:`LockFileError`
    for anything else than a regular file."""
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(lock, flags, 0o644)
    except OSError:
        if Path(lock).is_symlink():
            raise LockFileError(_not_a_lock(lock, "a symbolic link")) from None
        if Path(lock).is_dir():
            raise LockFileError(_not_a_lock(lock, "a folder", "rm -r")) from None
        raise
    kind = file_kind(os.fstat(fd).st_mode)
    if kind is not None:
        os.close(fd)
        raise LockFileError(_not_a_lock(lock, kind))
    return fd


def _not_a_lock(lock: Path, kind: str, remove: str = "rm") -> str:
    return (f"{lock} is {kind}, not the lock file the project keeps there (a regular file); nothing was read "
            f"through it. Remove it ({remove} {lock}) and rerun")


def file_kind(mode: int) -> str | None:
    """What a file of ``mode`` is when it is no regular file (None: a regular file)."""
    for test, name in ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"),
                       (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"), (stat.S_ISDIR, "a folder")):
        if test(mode):
            return name
    return None if stat.S_ISREG(mode) else "not a regular file"
