"""Which numbers a sentence on a private run's page may carry: only numbers already published.

A sentence is text, so the display guard cannot tell its numbers from any other string. On
data that are not synthetic, ``run.say`` therefore reads every number in the sentence and
accepts it only when it is already public: a shown cell of the run's release, a number of a
released table the run has shown or written (a model estimate, a rate), a number of the
run's own parameters (threshold, dates, settings) or part of an exhibit's number or a date.
A count typed into an f-string from participant rows is refused, with the number named.
Written by hand: ACRO checks tables and models, not prose.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

MONTHS = ("januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|"
          "january|february|march|may|june|july|august|october")
_EXHIBIT = re.compile(r"\b(?:Figuur|Figure|Tabel|Table|Bijlage|Appendix|Sectie|Section|Hoofdstuk|Chapter)"
                      r"\s+[A-Z]?\d+(?:\.\d+)*", re.IGNORECASE)
_DATES = re.compile(rf"\b\d{{4}}-\d{{2}}-\d{{2}}\b|\b\d{{1,2}}\s+(?:{MONTHS})(?:\s+\d{{4}})?\b|"
                    rf"\b(?:{MONTHS})\s+\d{{1,2}},?\s+\d{{4}}\b|\b(?:{MONTHS})\s+\d{{4}}\b", re.IGNORECASE)
_LABELS = re.compile(r"\b[A-Z]\d+\b")  # exhibit codes of the project (M1, T1, A.1)
_NUMBER = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)*")


_PERCENT = re.compile(r"\s*(?:%|procent|percent)", re.IGNORECASE)

# Numbers written as words. "een"/"one" are left out: in Dutch "een" is also the article, in
# English "one" a pronoun. Words that say a whole group of persons shares an outcome (nobody,
# everyone) state a count of 0 or a rate of 100 percent.
_WORDS_NL = ("nul twee drie vier vijf zes zeven acht negen tien elf twaalf dertien veertien vijftien zestien "
             "zeventien achttien negentien twintig").split()
_WORDS_EN = ("zero two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
             "sixteen seventeen eighteen nineteen twenty").split()
_WORD_VALUES = {w: float(i + (i > 0)) for words in (_WORDS_NL, _WORDS_EN) for i, w in enumerate(words)}
_WORD_VALUES |= {"dertig": 30.0, "veertig": 40.0, "vijftig": 50.0, "thirty": 30.0, "forty": 40.0, "fifty": 50.0,
                 "niemand": 0.0, "nobody": 0.0, "no one": 0.0}
_WORD_RATES = {"iedereen": 100.0, "everyone": 100.0, "everybody": 100.0}
# a number word counts persons when a person noun (or "van"/"of": "drie van de twaalf") follows
_PERSONS_AFTER = re.compile(r"(?:\s+\S+){0,2}?\s+(?:personen|persoon|deelnemers?|mensen|mannen|vrouwen|werknemers?|"
                            r"cliënten|clienten|persons?|people|participants?|men|women|employees?|van|of)\b",
                            re.IGNORECASE)
# a number word right after one of these names a level or a comparison ("triagepad drie t.o.v. twee")
_LABEL_BEFORE = re.compile(r"(?:triagepad|triage path|pad|path|t\.o\.v\.|vs\.|versus)\s+$", re.IGNORECASE)
_WORD = re.compile(r"\b(" + "|".join(sorted(map(re.escape, {**_WORD_VALUES, **_WORD_RATES}), key=len, reverse=True))
                   + r")\b", re.IGNORECASE)


def word_numbers(text: str) -> list[tuple]:
    """Numbers written as words in ``text``: (as written, value, 0 decimals, is a rate)."""
    out = []
    for match in _WORD.finditer(text):
        if _LABEL_BEFORE.search(text[max(0, match.start() - 20):match.start()]):
            continue
        word = match.group(0).lower()
        rate = word in _WORD_RATES
        if not rate and _WORD_VALUES.get(word) == 2.0 and not _PERSONS_AFTER.match(text, match.end()):
            continue  # "twee groepen", "two levels": not a count of persons (three and more always count)
        out.append((match.group(0), _WORD_RATES[word] if rate else _WORD_VALUES[word], 0, rate))
    return out


def numbers(text: str, language: str, with_percent: bool = False) -> list[tuple]:
    """The numbers of ``text`` beyond exhibit numbers, project codes and dates, as
    (as written, value, decimals shown) and, ``with_percent``, whether a percent sign or
    word follows."""
    text = _LABELS.sub(" ", _DATES.sub(" ", _EXHIBIT.sub(" ", text)))
    out = []
    for match in _NUMBER.finditer(text):
        token = match.group(0)
        pct = bool(_PERCENT.match(text, match.end()))
        thousands, decimal = (".", ",") if language == "nl" else (",", ".")
        plain = token
        if re.fullmatch(rf"\d{{1,3}}(?:\{thousands}\d{{3}})+", token):
            plain = token.replace(thousands, "")
        plain = plain.replace(decimal, ".")
        try:
            value = float(plain)
        except ValueError:
            continue
        decimals = len(plain.split(".")[1]) if "." in plain else 0
        out.append((token, value, decimals, pct) if with_percent else (token, value, decimals))
    return out


def published(value: float, decimals: int, known: Iterable[float], percent: bool = False) -> bool:
    """Whether ``value`` (shown with ``decimals``) is a known number or its percentage; a
    ``percent`` may also be the percentage one known count is of another (a rate of shown
    counts), as rounded on the page."""
    known = [k for k in known if math.isfinite(k)]
    if decimals == 0 and not percent:  # a whole number: exactly a known count, never a rounded estimate
        return value in {k for k in known if k == int(k)}
    if any(round(c, decimals) == value for k in known for c in (k, 100 * k)):
        return True
    if not percent:
        return False
    counts = [k for k in known if k > 0 and k == int(k)]  # never a == b: "100%" says a whole group shares it
    return any(round(100 * a / b, decimals) == value for a in counts for b in counts if a < b)


def unpublished(text: str, language: str, known: Iterable[float], public_words=frozenset()) -> list[str]:
    """The numbers of ``text`` that are not already published (as written). A number word
    among ``public_words`` (lower case: the project's own text catalogues say it, e.g. "one or
    two persons decide the estimate") is text, not a count."""
    known = {float(k) for k in known}
    words = [w for w in word_numbers(text) if w[0].lower() not in public_words]
    found = numbers(text, language, with_percent=True) + words
    return [t for t, v, d, pct in found if not published(v, d, known, pct)]


def numbers_of(obj, texts: bool = True) -> set[float]:
    """Every number of a table (values, index, columns) or of scalars and strings; without
    ``texts`` only the numbers a table holds as numbers (not those inside its labels: "t/m 5
    jaar" does not make 5 a published count)."""
    import pandas as pd

    if isinstance(obj, pd.Series):
        obj = obj.to_frame()
    found: set[float] = set()
    if isinstance(obj, pd.DataFrame):
        items = [obj.to_numpy().ravel(), obj.index.to_flat_index(), obj.columns.to_flat_index()]
        for part in items[:None if texts else 1]:
            for v in part:
                if texts or not isinstance(v, str):
                    found |= numbers_of(v)
        return found
    if isinstance(obj, tuple):
        for v in obj:
            found |= numbers_of(v)
        return found
    if isinstance(obj, bool):
        return found
    if isinstance(obj, int | float):
        return {float(obj)} if not (isinstance(obj, float) and math.isnan(obj)) else set()
    if hasattr(obj, "item") and not isinstance(obj, str):  # numpy scalars
        try:
            return numbers_of(obj.item())
        except (ValueError, TypeError):
            return found
    if isinstance(obj, str):
        for lang in ("nl", "en"):
            found |= {v for _, v, _ in numbers(obj, lang)}
    return found


def catalogue_words(*catalogues, digits: bool = False) -> frozenset:
    """The number words (lower case) that the given text catalogues (dicts, tuples and
    strings, nested) contain; with ``digits``, the numbers written in digits (as values)."""
    found: set = set()
    stack = list(catalogues)
    while stack:
        item = stack.pop()
        if isinstance(item, str) and digits:
            found |= {v for lang in ("nl", "en") for _, v, _ in numbers(item, lang)}
        elif isinstance(item, str):
            found |= {w[0].lower() for w in word_numbers(item)}
        elif isinstance(item, dict):
            stack += [*item.keys(), *item.values()]
        elif isinstance(item, tuple | list):
            stack += list(item)
    return frozenset(found)
