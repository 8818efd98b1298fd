"""The DWSRA report's plain text as ``dwsra-sources`` reads it: a regular UTF-8 file of at most
:data:`MAX_BYTES`, refused with an :class:`~analysis.data.errors.InputError` otherwise (a
device, a pipe or a file of gigabytes was read whole, and a folder or binary file gave a
traceback: hostile round 16)."""

from __future__ import annotations

from pathlib import Path

from analysis.data.errors import InputError, Problem
from analysis.data.readers import check_path

MAX_BYTES = 20_000_000  # the report's text is about 0.4 MB


def report_lines(path: str | Path) -> list[str]:
    """The lines of the report's text at ``path`` (split at ``\\n``, as its line numbers count)."""
    path = Path(path)
    check_path(path)  # a system file, a link, a folder, a pipe or device, an empty file: refused
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise InputError(path, [Problem(f"the report's plain text is {size:,} bytes; at most {MAX_BYTES:,} are "
                                        "read (the report's text is about 400,000)")])
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8").split("\n")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise InputError(path, [Problem(f"the report's plain text must be UTF-8; byte {exc.start:,} (line {line:,}) "
                                        "is not: convert the text to UTF-8")]) from None
