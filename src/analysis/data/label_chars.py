"""Characters that make a label read one way on screen and match another way: a character
that does not show (a zero-width space or joiner, a soft hyphen, a bidirectional override,
a byte-order mark) or a letter, digit or mark that can be taken for another (a Cyrillic
``В``, a full-width ``ｈ``, a lone combining accent: :func:`analysis.terminal_text.look_alike`).

A label such a character is in is never matched by a *pattern* of a mapping (hostile round
13: ``hbo`` followed by a zero-width space was read as ``hoog`` by the pattern ``^hbo``
without a word): a pattern matches part of a label, so the hidden rest would be read as
what shows. It is refused naming the character, unless the mapping lists the label exactly
(``map`` or ``unmapped``, written with the character), which is a decision made in writing.
Punctuation and symbols that resemble others (an en dash, curly quotes) are read as written:
a pattern that matches around them matches what shows. Spacing is not a concern here: every
kind of space is one space once a label is normalised (``str.split``)."""

from __future__ import annotations

import unicodedata

from analysis.terminal_text import look_alike

_LETTERS_DIGITS_MARKS = ("L", "N", "M")


def suspect_characters(text: str) -> list[str]:
    """The distinct characters of ``text``, in order, that do not show (other than spacing)
    or are look-alike letters, digits or marks."""
    if text.isascii() and text.isprintable():
        return []
    found: list[str] = []
    for char in text:
        hidden = not char.isprintable() and not char.isspace()
        alike = look_alike(char) and unicodedata.category(char)[0] in _LETTERS_DIGITS_MARKS
        if (hidden or alike) and char not in found:
            found.append(char)
    return found


def suspect_rule(text: str) -> str | None:
    """Why a label is not matched by a pattern (the characters, escaped and named), or None."""
    found = suspect_characters(text)
    if not found:
        return None
    named = ", ".join(f"{char.encode('unicode_escape').decode('ascii')} ({unicodedata.name(char, 'unnamed')})"
                      for char in found[:3]) + (f" and {len(found) - 3} more" if len(found) > 3 else "")
    hidden = any(not c.isprintable() for c in found)
    alike = any(c.isprintable() for c in found)
    kind = " or ".join(k for k, there in (("a character that does not show", hidden),
                                          ("a character that can be taken for another", alike)) if there)
    return f"the label holds {kind}: {named}"
