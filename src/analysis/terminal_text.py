"""Text from files made safe to print: a file name, label or cell may hold terminal escape
codes (``ESC [ 2 J`` clears the screen, ``ESC ] 8`` makes a link), a carriage return that
overwrites the line, or characters that cannot be seen (a zero-width space, a right-to-left
override). Everything printed to a terminal or a log passes :func:`printable`; a value quoted
in a message passes :func:`visible`. Both write such a character as its escape (``\\x1b``,
``\\r``, ``\\u200b``), so the message shows what the file holds and the terminal does nothing
it was not asked to. :func:`visible` also escapes a *look-alike*: a character that shows but
can be taken for another (a Cyrillic ``о`` for the Latin ``o``, a full-width ``２``, a dotless
``ı``, a combining accent written apart from its letter), so a quoted value reads one way only
(hostile round 13: ``min_cell_cоunt`` was quoted as if it were the declared name).

Written by hand: the standard library has no such function (``repr`` also escapes quotes and
backslashes and adds its own quotes, which is how Python writes a value, not the file's text).
"""

from __future__ import annotations

import io
import sys
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

NO_BREAK_SPACE = "\u00a0"
# letters of Dutch and its neighbours that are no ASCII letter with accents, shown as they are
KEPT = frozenset("ßæÆøØœŒĳĲðÐþÞ€£°§")


def _escaped(char: str) -> str:
    return char.encode("unicode_escape").decode("ascii")


def look_alike(char: str) -> bool:
    """Whether ``char`` (not ASCII) can be taken for another character: every character but
    a Latin letter with accents written as one character (``é``, ``ë``, ``ç``: an ASCII letter
    and combining marks once decomposed) and the few letters and signs of :data:`KEPT`. An
    allow-list rather than a table of confusables (Unicode's has 6,000 pairs and grows): a
    Cyrillic, Greek or full-width letter, a digit of another script, a letter-like symbol or a
    lone combining mark each counts, whatever it resembles."""
    if char.isascii() or char in KEPT:
        return False
    parts = unicodedata.normalize("NFD", char)
    return not (len(parts) > 1 and parts[0].isascii() and parts[0].isalpha()
                and all(unicodedata.combining(p) for p in parts[1:]))


def _shown(char: str) -> bool:
    return char.isprintable() and char != NO_BREAK_SPACE


def visible(text: str) -> str:
    """``text`` with every character that does not show on screen, or that can be taken for
    another (:func:`look_alike`), as its escape: a control character, an escape code, a
    zero-width or no-break space, a line break, a bidirectional override, a Cyrillic ``о``
    (``\\u043e``), a full-width digit. A backslash of the text is doubled (``\\\\``), so an
    escape is never mistaken for text that reads like one."""
    if text.isascii() and text.isprintable() and "\\" not in text:
        return text
    return "".join("\\\\" if c == "\\" else c if _shown(c) and not look_alike(c) else _escaped(c) for c in text)


def _invisible_escaped(text: str) -> str:
    return "".join(c if _shown(c) else _escaped(c) for c in text)


def printable(text: str) -> str:
    """A message for a terminal or a log: line breaks and tabs kept, every other character
    that does not show (escape codes, carriage returns, bidirectional overrides) escaped."""
    if text.isprintable():
        return text
    return "\n".join("\t".join(_invisible_escaped(part) for part in line.split("\t")) for line in text.split("\n"))


class StreamProxy(io.TextIOBase):
    """A text stream that passes everything to ``stream``; subclasses change what is written."""

    def __init__(self, stream: TextIO):
        super().__init__()
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(text)
        return len(text)

    def flush(self) -> None:
        self._stream.flush()

    def isatty(self) -> bool:
        return self._stream.isatty()

    def fileno(self) -> int:
        return self._stream.fileno()

    @property
    def encoding(self) -> str:
        return getattr(self._stream, "encoding", "utf-8")

    @property
    def errors(self) -> str | None:
        return getattr(self._stream, "errors", None)

    def __getattr__(self, name: str):  # anything else a library asks of the stream (e.g. buffer)
        return getattr(self._stream, name)


class PrintableStream(StreamProxy):
    """A text stream that writes everything through :func:`printable` (the command line's
    standard output and error: :func:`printable_output`)."""

    def write(self, text: str) -> int:
        self._stream.write(printable(text))
        return len(text)


@contextmanager
def printable_output() -> Iterator[None]:
    """While it lasts, ``sys.stdout`` and ``sys.stderr`` print only :func:`printable` text."""
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = PrintableStream(sys.stdout), PrintableStream(sys.stderr)
    try:
        yield
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        sys.stdout, sys.stderr = saved
