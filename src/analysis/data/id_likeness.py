"""What two ids that a reader takes for one person differ by (case, spaces, the separators
``-`` and ``_``, the look-alike characters O for 0 and l or I for 1, leading zeros of a digit
run), for the message that refuses them: ``'k0007'`` beside ``'K0007'`` differs only by case,
``'K07'`` only by leading zeros, ``'KO007'`` (letter O) beside ``'K0007'`` only by a
look-alike character, ``'K-0007'`` only by a separator. The message said "case, spaces and
leading zeros are ignored" whatever the ids were, which sent the evaluator looking for a case
difference in ids that differ by zeros; a row copied under an id with the letter O was read as a second
person (hostile round 14, H17).

Two keys: :func:`id_key` (case, spaces, leading zeros) names the people in the ledger's
sketches, whose recorded releases were hashed with it (a new key would make the same people
strangers to their earlier releases); :func:`reader_key` (also separators and look-alikes)
is what uniqueness is checked on."""

from __future__ import annotations

import re

ZEROS = r"(?<!\d)0+(?=\d)"  # the leading zeros of a run of digits
SEPARATORS = r"[-_]"  # the separators a participant id may hold (the schema's [A-Za-z0-9_-])
# After casefolding: the letters a reader takes for a digit (O for 0; l, and I written i, for 1).
LOOK_ALIKES = str.maketrans({"o": "0", "l": "1", "i": "1"})
LIKENESS = "case, spaces, '-' and '_', look-alike characters (O for 0, l or I for 1) and leading zeros"


def id_key(text: str) -> str:
    """An id as the ledger's sketch takes it: without case, spaces and the leading zeros of its
    digit runs (``K 0007`` -> ``k7``)."""
    return re.sub(ZEROS, "", "".join(str(text).split()).casefold())


def reader_key(text: str) -> str:
    """An id as a reader tells ids apart: without case, spaces, separators, look-alike letters
    and the leading zeros of its digit runs (``K-O007`` -> ``k7``)."""
    flat = re.sub(SEPARATORS, "", "".join(str(text).split()).casefold()).translate(LOOK_ALIKES)
    return re.sub(ZEROS, "", flat)


_WAYS = {
    "spaces": lambda s: "".join(s.split()),
    "separators": lambda s: re.sub(SEPARATORS, "", s),
    "case": str.casefold,
    "look-alike characters": lambda s: s.translate(str.maketrans({"O": "0", "o": "0", "l": "1", "L": "1",
                                                                  "I": "1", "i": "1"})),
    "leading zeros": lambda s: re.sub(ZEROS, "", s),
}


def _same(a: str, b: str, ways: list[str]) -> bool:
    for way in ways:
        a, b = _WAYS[way](a), _WAYS[way](b)
    return a == b


def difference(a: object, b: object) -> str:
    """``"case"``, ``"leading zeros"``, ``"case and spaces"``, ``"look-alike characters (O
    for 0, l or I for 1)"``...: what ``a`` and ``b`` differ by, among the ways ids are compared
    (each way that matters: without it they differ)."""
    a, b = str(a), str(b)
    order = list(_WAYS)
    found = [w for w in order if not _same(a, b, [o for o in order if o != w])]
    if not found:
        return LIKENESS
    named = [{"separators": "'-' or '_'", "look-alike characters": "look-alike characters (O for 0, l or I for 1)"}
             .get(w, w) for w in found]
    return named[0] if len(named) == 1 else ", ".join(named[:-1]) + " and " + named[-1]
