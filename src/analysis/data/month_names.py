"""Month names in text dates read under a ``date_formats`` entry with ``%b`` or ``%B``.

Python's ``strptime`` knows the English month names of the C locale only, so ``15 maart
2024`` under ``%d %B %Y`` or ``07-mrt-2024`` under ``%d-%b-%Y`` was refused, with a message
telling the user to write the date in a format it was written in (hostile round 16, finding
3). Here a month name, Dutch or English, full or abbreviated, with or without a dot, in any
case, is replaced by its number and the format's ``%b``/``%B`` by ``%m`` before ``strptime``
reads it: the reading is the same in every locale. Either code takes either length of name
(the name itself says the month, so nothing can be misread by it).
"""

from __future__ import annotations

import re

from analysis.data.errors import written

DUTCH = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
         "november", "december")
DUTCH_SHORT = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
ENGLISH = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")
ENGLISH_SHORT = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# other abbreviations in use: maa. in some Dutch registers, febr. and sept. (hostile round 18: "febr."
# was refused while "sept." was read)
EXTRA = {"maa": 3, "febr": 2, "sept": 9}

MONTHS: dict[str, int] = {name: i for names in (DUTCH, DUTCH_SHORT, ENGLISH, ENGLISH_SHORT)
                          for i, name in enumerate(names, 1)}
MONTHS.update(EXTRA)

ACCEPTED = ("a month name in Dutch or English, full or abbreviated, with or without a dot, in any case "
            "(januari or jan, februari, feb or febr, maart or mrt, april or apr, mei, juni or jun, juli or jul, "
            "augustus or aug, september, sep or sept, oktober or okt, november or nov, december or dec)")

_CODE = re.compile(r"%[bB]\.?")
_WORD = re.compile(r"[^\W\d_]+\.?")
_SHORT = 40  # a longer text is no date (the patterns' time stays bounded)
# a day, a month name (a dot after an abbreviation) and a year, each two separated alike or by spaces
_NAMED_DATE = re.compile(r"(\d{1,2})( +|-|/|\.)([^\W\d_]+)(\.?)( +|-|/|\.)(\d{4}|\d{2})")


def names_month(fmt: str) -> bool:
    """Whether ``fmt`` reads the month as a name (``%b`` or ``%B``)."""
    return _CODE.search(fmt) is not None


def month_number(word: str) -> int | None:
    """The month a name gives (``Mrt.`` 3, ``mei`` 5, ``October`` 10); None for another word."""
    return MONTHS.get(word.casefold().rstrip("."))


def with_month_number(text: str, fmt: str) -> tuple[str, str] | None:
    """``text`` and ``fmt`` with the month name and its code replaced by the month's number and
    ``%m`` (``7 mrt. 2024``, ``%d %b %Y`` -> ``7 3 2024``, ``%d %m %Y``); None when ``fmt``
    names no month, ``text`` holds no word or another word than one month name."""
    if not names_month(fmt) or len(text) > _SHORT:
        return None
    words = _WORD.findall(text)
    if len(words) != 1 or month_number(words[0]) is None:
        return None
    number = month_number(words[0])
    return _WORD.sub(str(number), text, count=1), _CODE.sub("%m", fmt, count=1)


def unread_month(text: str, formats: tuple[str, ...]) -> str | None:
    """The words of ``text`` that are no month name when a format of ``formats`` reads the month
    as a name (``15 marz 2024``: ``marz``), for the message; None otherwise."""
    if not any(names_month(fmt) for fmt in formats) or len(text) > _SHORT:
        return None
    words = [w for w in _WORD.findall(text) if month_number(w) is None]
    return ", ".join(words) if words else None


def month_rule(text: str, formats: tuple[str, ...]) -> str | None:
    """Why ``text`` was not read, as far as month names tell: under a format that reads the month
    as a name, the part that did not read (a word that is no month name, or the day and year
    around a month name that did read) and what is accepted; a month name where no format reads
    one; None otherwise."""
    named = tuple(fmt for fmt in formats if names_month(fmt))
    if len(text) > _SHORT or not _WORD.search(text):
        return None
    if not named:
        month = next((w for w in _WORD.findall(text) if month_number(w) is not None), None)
        return None if month is None else (
            f"a date in the format{'' if len(formats) == 1 else 's'} {', '.join(formats)} (date_formats), read with "
            f"the month as a number: this date names the month ({written(month)}); add its format with %B or %b "
            "for the month name to date_formats (e.g. %d %B %Y), or write it as an Excel date")
    which = f"the format{'' if len(named) == 1 else 's'} {', '.join(named)} (date_formats)"
    words = unread_month(text, named)
    if words is not None:
        return f"a date in {which}: {written(words)} is no month name; the month is {ACCEPTED}"
    return (f"a date in {which}: the month name reads, but the day and the four-digit year around it do not "
            "(the day 1 to the month's last, the separators as in the format), or write it as an Excel date")


def named_format(text: str) -> str | None:
    """The ``date_formats`` entry a text date with a month name is written in (``15 maart
    2024`` -> ``%d %B %Y``, ``7-mrt-24`` -> ``%d-%b-%y``, ``7 mrt. 2024`` -> ``%d %b. %Y``):
    ``%B`` for a full name, ``%b`` for an abbreviation (either reads either; the draft shows
    what the file writes); None when ``text`` is no day, month name and year."""
    m = _NAMED_DATE.fullmatch(" ".join(text.split())) if len(text) <= _SHORT else None
    if m is None or month_number(m.group(3)) is None:
        return None
    word = m.group(3).casefold()
    code = "%B" if (word in DUTCH or word in ENGLISH) and not m.group(4) else "%b"
    return f"%d{m.group(2)}{code}{m.group(4)}{m.group(5)}{'%Y' if len(m.group(6)) == 4 else '%y'}"
