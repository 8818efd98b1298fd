"""Standard output that a reader stopped reading (``python -m analysis report ... | head``):
what is printed after the reader left is dropped, and the command goes on to its end.

Python ignores SIGPIPE, so the next ``print`` after ``head`` exits raises
``BrokenPipeError``; uncaught, it ended the command with a traceback, and a report run in
the middle of its work. The usual recipe (the ``signal`` module's documentation: point the
descriptor at ``os.devnull``) is applied on the first such error, so that nothing is written
to the closed pipe again, neither by a later ``print`` nor by the interpreter's last flush.

Standard output on a full disk (``>/dev/full``, a file past ``ulimit -f``, a quota) raises
``OSError`` on the write or flush that reaches it: the output is dropped the same way and the
error kept in ``write_error``, so that the command ends with one line saying so
(:func:`write_error_line`) and exit code 1, not a traceback.
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

from analysis.terminal_text import StreamProxy


class PipeSafeStream(StreamProxy):
    """A text stream that drops what it is given once its reader has gone."""

    def __init__(self, stream: TextIO):
        super().__init__(stream)
        self.reader_gone = False
        self.write_error: OSError | None = None

    def write(self, text: str) -> int:
        if not self.reader_gone:
            try:
                self._stream.write(text)
            except BrokenPipeError:
                self._drop()
            except OSError as exc:
                self._failed(exc)
        return len(text)

    def flush(self) -> None:
        if not self.reader_gone:
            try:
                self._stream.flush()
            except BrokenPipeError:
                self._drop()
            except OSError as exc:
                self._failed(exc)

    def _failed(self, exc: OSError) -> None:
        """Output that could not be written (a full disk): kept to be said once, then dropped."""
        if self.write_error is None:
            self.write_error = exc
        self._drop()

    def _drop(self) -> None:
        self.reader_gone = True
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            try:
                os.dup2(devnull, self._stream.fileno())
            finally:
                os.close(devnull)
        except (OSError, ValueError):  # a stream without a descriptor (tests): dropping is enough
            pass


@contextmanager
def pipe_safe_stdout() -> Iterator[PipeSafeStream]:
    """While it lasts, ``sys.stdout`` drops its output once its reader has gone."""
    saved = sys.stdout
    sys.stdout = PipeSafeStream(saved)
    try:
        yield sys.stdout
    finally:
        sys.stdout.flush()
        sys.stdout = saved


LIMITS = {errno.ENOSPC: "the disk is full", errno.EFBIG: "the file size limit (ulimit -f) is reached",
          errno.EDQUOT: "the disk quota is used up"}


def write_error_line(exc: OSError) -> str:
    """One line for output that could not be written: what ran out, and what to do."""
    what = LIMITS.get(exc.errno or 0, exc.strerror or type(exc).__name__)
    return (f"error: the command's output (standard output) could not be written: {what}; free space or write "
            "the output elsewhere, then run the command again")
