"""What two ids that a reader takes for one person differ by (case, spaces, leading zeros of
a digit run), for the message that refuses them: ``'k0007'`` beside ``'K0007'`` differs
only by case, ``'K07'`` only by leading zeros. The message said "case, spaces and leading
zeros are ignored" whatever the ids were, which sent the evaluator looking for a case
difference in ids that differ by zeros."""

from __future__ import annotations

import re

ZEROS = r"(?<!\d)0+(?=\d)"  # the leading zeros of a run of digits


def id_key(text: str) -> str:
    """An id as a reader tells ids apart: without case, spaces and the leading zeros of its
    digit runs (``K 0007`` -> ``k7``)."""
    return re.sub(ZEROS, "", "".join(str(text).split()).casefold())
_WAYS = {
    "case": str.casefold,
    "spaces": lambda s: "".join(s.split()),
    "leading zeros": lambda s: re.sub(ZEROS, "", s),
}


def _same(a: str, b: str, ways: list[str]) -> bool:
    for way in ways:
        a, b = _WAYS[way](a), _WAYS[way](b)
    return a == b


def difference(a: object, b: object) -> str:
    """``"case"``, ``"leading zeros"``, ``"case and spaces"``...: what ``a`` and ``b`` differ
    by, among the ways ids are compared (each way that matters: without it they differ)."""
    a, b = str(a), str(b)
    order = ["spaces", "case", "leading zeros"]
    found = [w for w in order if not _same(a, b, [o for o in order if o != w])]
    if not found:
        return "case, spaces or leading zeros"
    return found[0] if len(found) == 1 else ", ".join(found[:-1]) + " and " + found[-1]
