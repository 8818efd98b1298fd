"""Standard output that a reader stopped reading (``python -m analysis report ... | head``):
what is printed after the reader left is dropped, and the command goes on to its end.

Python ignores SIGPIPE, so the next ``print`` after ``head`` exits raises
``BrokenPipeError``; uncaught, it ended the command with a traceback, and a report run in
the middle of its work. The usual recipe (the ``signal`` module's documentation: point the
descriptor at ``os.devnull``) is applied on the first such error, so that nothing is written
to the closed pipe again, neither by a later ``print`` nor by the interpreter's last flush.
"""

from __future__ import annotations

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

    def write(self, text: str) -> int:
        if not self.reader_gone:
            try:
                self._stream.write(text)
            except BrokenPipeError:
                self._drop()
        return len(text)

    def flush(self) -> None:
        if not self.reader_gone:
            try:
                self._stream.flush()
            except BrokenPipeError:
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
