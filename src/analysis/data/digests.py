"""The sha256 of an input file, computed once per process for as long as the file is unchanged.

A kernel hashes its inputs for several keys: the validated copy of the participant file
(:func:`analysis.data.processed.cache_key`), the validated copy of the status history
(keyed by the participant file too) and the joint release made once per run
(:mod:`analysis.release.joint_once`). At 1,000,000 participants each hash of the two files
reads 294 MiB. :func:`sha256_of` remembers the digest under the file's identity and state
as ``os.stat`` gives them (device, inode, size, modification and change time in
nanoseconds): any write to the file, or another file at that path, changes the change time
or the inode, and the file is hashed again.

The runner hashes every input for its fingerprints before any kernel starts; it hands the
digests to its kernels (:func:`shared_with_kernels`: the environment variable
:data:`ENV`, read when a kernel first imports this module), so a kernel hashes an input
again only when the file is no longer the one the runner hashed (its identity differs).

Written by hand: :func:`functools.lru_cache` would key on the path alone.
"""

from __future__ import annotations

import json
import os
import re
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from analysis.files import sha256_file

_known: dict[tuple, str] = {}
_lock = threading.Lock()
ENV = "VWNW_INPUT_DIGESTS"  # the runner's digests of a run's inputs, for its kernels


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


def _seed_from_environment() -> None:
    """Take the digests the runner handed over (:data:`ENV`); anything malformed is ignored
    (the file is then hashed here)."""
    try:
        entries = json.loads(os.environ.get(ENV) or "[]")
        for ident, digest in entries:
            if isinstance(digest, str) and re.fullmatch(r"[0-9a-f]{64}", digest) and len(ident) == 6:
                _known[tuple(ident)] = digest
    except (ValueError, TypeError):
        return


def distrust_environment() -> None:
    """Forget every digest taken from :data:`ENV` and remove it: a command (the runner,
    ``inspect``) hashes its inputs itself. Only the runner's kernels take the digests it
    hands them; an :data:`ENV` inherited from a shell named a typed-over file with a shipped
    file's digest, and the seal believed it (hostile round 13: threshold 1 on real records)."""
    with _lock:
        _known.clear()
    os.environ.pop(ENV, None)


@contextmanager
def shared_with_kernels(paths: Iterable[str | Path]) -> Iterator[None]:
    """While the body runs, :data:`ENV` holds the digests of ``paths`` (each hashed once here,
    or remembered), under each file's identity, for the kernels the body starts."""
    entries = []
    for path in dict.fromkeys(str(p) for p in paths):
        try:
            digest = sha256_of(path)
            entries.append([list(identity(path)), digest])
        except OSError:
            continue
    before = os.environ.get(ENV)
    os.environ[ENV] = json.dumps(entries)
    try:
        yield
    finally:
        os.environ.pop(ENV) if before is None else os.environ.update({ENV: before})


_seed_from_environment()
