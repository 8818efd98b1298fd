"""One validation of an input per run, however many kernels read it.

The notebooks of a run start in parallel kernels, and each loads the same input through
the validated copy in ``processed_dir`` (:mod:`analysis.data.processed`). Without
coordination every kernel that starts before the first has written the copy validates
the raw file again: at 1,000,000 participants both pilot kernels validated both files
(docs/performance.md). :func:`one_at_a_time` holds an exclusive advisory lock (``flock``)
on ``<stem>.parquet.lock`` beside the copy while a kernel checks, validates and writes it;
the next kernel waits, then finds the copy current and reads it.

Written by hand because the standard library has the lock (``fcntl.flock``) and the
project needs nothing more (no timeouts: the lock is released when its holder ends, even
by a crash). Where ``fcntl`` does not exist (Windows) or the lock file cannot be opened,
loads proceed unlocked, as before: correct, only slower.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from analysis.data.processed import processed_path, refuse_unsafe_folder
from analysis.files import file_lock


def lock_path(raw: Path, processed_dir: Path) -> Path:
    """The lock file of ``raw``'s validated copy in ``processed_dir``."""
    target = processed_path(raw, processed_dir)
    return target.with_name(target.name + ".lock")


@contextmanager
def one_at_a_time(raw: Path, processed_dir: Path) -> Iterator[None]:
    """Hold the lock of ``raw``'s validated copy in ``processed_dir`` while the body runs. The
    folder is judged first by the rule of every writer (:func:`analysis.write_targets.write_problem`):
    the lock file is a write too."""
    refuse_unsafe_folder(Path(processed_dir))
    with file_lock(lock_path(Path(raw), Path(processed_dir))):
        yield
