"""One encoding per text file: a file that is not valid UTF-8 but holds UTF-8 sequences
(``ë`` written as the two bytes ``C3 AB``) beside bytes of another encoding (``ë`` as
Windows-1252 ``EB``) was pasted together from two sources; decoding it as Windows-1252
would turn every UTF-8 letter into two wrong ones (``Ã«``) without a word.

Written by hand: the standard decoders either fail at the first bad byte or decode the whole
file one way; what is needed is where each kind occurs, for the message.
"""

from __future__ import annotations

import re
from pathlib import Path

from analysis.data.errors import InputError, Problem, written

# a UTF-8 sequence of two to four bytes (a letter beyond ASCII, as UTF-8 writes it)
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def first_bad_utf8(raw: bytes) -> int | None:
    """The offset of the first byte that is not UTF-8 (None: the bytes are UTF-8)."""
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start
    return None


def line_of(raw: bytes, offset: int) -> int:
    return raw.count(b"\n", 0, offset) + 1


def check_single_encoding(raw: bytes, path: str | Path) -> None:
    """Refuse ``raw`` when it mixes UTF-8 with another encoding, naming a line of each."""
    bad = first_bad_utf8(raw)
    if bad is None:
        return
    good = _UTF8_SEQUENCE.search(raw)
    if good is None:
        return
    utf8_line, other_line = line_of(raw, good.start()), line_of(raw, bad)
    letters = raw[good.start():good.end()].decode("utf-8")
    raise InputError(path, [Problem(
        f"the file must be in one encoding: line {utf8_line} holds UTF-8 text ({written(letters)} as "
        f"{len(good.group())} bytes), line {other_line} holds byte 0x{raw[bad]:02X}, which is not UTF-8 "
        f"(Windows-1252 {written(bytes([raw[bad]]).decode('cp1252', errors='replace'))}); the file was pasted "
        "together "
        "from two sources. Open it in a text editor or Excel and save it again as UTF-8 (CSV UTF-8)")])
