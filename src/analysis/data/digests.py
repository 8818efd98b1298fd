"""The sha256 of an input file, computed once per process for as long as the file is unchanged.

A kernel hashes its inputs for several keys: the validated copy of the participant file
(:func:`analysis.data.processed.cache_key`), the validated copy of the status history
(keyed by the participant file too) and the joint release made once per run
(:mod:`analysis.release.joint_once`). At 1,000,000 participants each hash of the two files
reads 294 MiB. :func:`sha256_of` remembers the digest under the file's identity and state
as ``os.stat`` gives them (device, inode, size, modification and change time in
nanoseconds): any write to the file, or another file at that path, changes the change time
or the inode, and the file is hashed again.

Written by hand: :func:`functools.lru_cache` would key on the path alone.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from analysis.files import sha256_file

_known: dict[tuple, str] = {}
_lock = threading.Lock()


def identity(path: str | Path) -> tuple:
    """What must be unchanged for a remembered digest of ``path`` to stand."""
    st = os.stat(path)
    return (os.path.realpath(path), st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def sha256_of(path: str | Path) -> str:
    """``sha256_file(path)``, remembered for this process while the file is unchanged."""
    before = identity(path)
    with _lock:
        known = _known.get(before)
    if known is not None:
        return known
    digest = sha256_file(path)
    if identity(path) == before:  # not written while it was read
        with _lock:
            _known[before] = digest
    return digest
