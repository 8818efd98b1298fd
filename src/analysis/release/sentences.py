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

import html
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping

import pandas as pd

from analysis.presentation.formats import MONTHS as MONTH_NAMES, half_up

MONTHS = "|".join(sorted({m.lower() for names in MONTH_NAMES.values() for m in names}, key=len, reverse=True))
_EXHIBIT = re.compile(r"\b(?:Figuur|Figure|Tabel|Table|Bijlage|Appendix|Sectie|Section|Hoofdstuk|Chapter)"
                      r"\s+[A-Z]?\d+(?:\.\d+)*", re.IGNORECASE)
_DATES = re.compile(rf"\b\d{{4}}-\d{{2}}-\d{{2}}\b|\b\d{{1,2}}\s+(?:{MONTHS})(?:\s+\d{{4}})?\b|"
                    rf"\b(?:{MONTHS})\s+\d{{1,2}},?\s+\d{{4}}\b|\b(?:{MONTHS})\s+\d{{4}}\b", re.IGNORECASE)
_LABELS = re.compile(r"\b[A-Z]\d+\b")  # exhibit codes of the project (M1, T1, A.1)
_GLUED = re.compile(r"(?<=[^\W\d_])(?=\d)")  # "CAP8", and "n3", "v3" (intruder round 11; codes M1, T1 go first)
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
# found by the eighth intruder: the numeral one with its accents, a single person, a pair or trio,
# times, and whole groups said with a person noun or "allemaal" (a bare "alle"/"all" is too common in
# the pages' own text to read; with a person noun it states that every member shares the outcome)
_WORD_VALUES |= {"één": 1.0, "eén": 1.0, "éen": 1.0, "enige deelnemer": 1.0, "a single": 1.0, "only one": 1.0,
                 "the only participant": 1.0, "beide": 2.0, "both": 2.0, "tweemaal": 2.0, "twice": 2.0,
                 "trio": 3.0, "driemaal": 3.0, "thrice": 3.0, "geen enkele": 0.0, "none of the": 0.0,
                 "not a single": 0.0, "not one": 0.0}
_WORD_RATES |= {"allemaal": 100.0, "allen": 100.0, **{f"{a} {b}": 100.0 for a in ("alle", "elke", "iedere")
                                                      for b in ("deelnemers", "deelnemer", "personen", "persoon")},
                **{f"{a} {b}": 100.0 for a in ("all", "every", "each") for b in ("participants", "participant",
                                                                             "persons", "person", "of them")}}
# tens and compounds ("drieëntwintig", "twenty-three"), round counts ("een zevental", "a dozen")
_TENS_NL = {"twintig": 20, "dertig": 30, "veertig": 40, "vijftig": 50, "zestig": 60, "zeventig": 70, "tachtig": 80,
            "negentig": 90}
_TENS_EN = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
            "ninety": 90}
_UNITS_NL = {w: i + 1 for i, w in enumerate("een twee drie vier vijf zes zeven acht negen".split())}
_UNITS_EN = {w: i + 1 for i, w in enumerate("one two three four five six seven eight nine".split())}
_WORD_VALUES |= {w: float(v) for w, v in (_TENS_NL | _TENS_EN).items()}
_WORD_VALUES |= {f"{u}{join}{t}": float(a + b) for u, a in _UNITS_NL.items() for t, b in _TENS_NL.items()
                 for join in ("en", "ën")}
_WORD_VALUES |= {f"{t}{join}{u}": float(a + b) for u, a in _UNITS_EN.items() for t, b in _TENS_EN.items()
                 for join in ("-", " ")}
_WORD_VALUES |= {f"{w}tal": v for w, v in list(_WORD_VALUES.items()) if v >= 2 and " " not in w and "-" not in w}
_WORD_VALUES |= {"dozijn": 12.0, "dozen": 12.0, "honderd": 100.0, "hundred": 100.0}
# shares as words ("de helft", "two thirds"): the exact fraction, as a percentage
# (a bare "derde"/"third" or "quarter" is mostly an ordinal or a part of the year: not read)
_WORD_RATES |= {"helft": 50.0, "half of": 50.0, "half the": 50.0, "een kwart": 25.0, "a quarter of": 25.0,
                "one quarter": 25.0, "driekwart": 75.0, "three quarters": 75.0, "een derde": 100 / 3,
                "one third": 100 / 3, "a third of": 100 / 3, "twee derde": 200 / 3, "tweederde": 200 / 3,
                "two thirds": 200 / 3}
# Roman numerals of two letters or more below 100 ("VII"); after a chapter or part word they number it
_ROMAN = re.compile(r"(?<![\w-])(?=[IVXL]{2,}\b)(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})\b")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_PART_BEFORE = re.compile(r"(?:hoofdstuk|chapter|bijlage|appendix|deel|part|fase|phase|sectie|section|tabel|table|"
                          r"figuur|figure)\s+$", re.IGNORECASE)
# a number word counts persons when a person noun (or "van"/"of": "drie van de twaalf") follows
_PERSONS_AFTER = re.compile(r"(?:\s+\S+){0,2}?\s+(?:personen|persoon|deelnemers?|mensen|mannen|vrouwen|werknemers?|"
                            r"cliënten|clienten|persons?|people|participants?|men|women|employees?|van|of)\b",
                            re.IGNORECASE)
# a number right after a comparison of levels ("triagepad drie t.o.v. twee", "Triage path 1 vs. 2")
_COMPARED = re.compile(r"(?:t\.o\.v\.|vs\.|versus|against|tegen)\s+$", re.IGNORECASE)
NO_LEVELS: Mapping[str, frozenset] = {}
_WORD = re.compile(r"\b(" + "|".join(sorted(map(re.escape, {**_WORD_VALUES, **_WORD_RATES}), key=len, reverse=True))
                   + r")\b", re.IGNORECASE)


# Found by the tenth intruder: a whole group said with its size ("alle 12 deelnemers", "12 van de 12",
# "12/12") or in words that need no number ("stuk voor stuk", "every single one"), and one person
# said with the article or pronoun ("Een deelnemer met onbekend geslacht stopte", "One participant
# ... stopped"): "een"/"one" alone are left out above, but with a person noun they count one.
_NOT_PERSONS = (r"(?:niveaus?|levels?|groep\w*|groups?|categor\w*|tabel\w*|tables?|figur\w*|kolom\w*|columns?|rij\w*|"
                r"rows?|jaar|jaren|years?|maand\w*|months?|we(?:e)?k\w*|dag\w*|days?|toets\w*|tests?|model\w*|"
                r"interval\w*|cel\w*|cells?|runs?|notebook\w*|bestand\w*|files?|pagina\w*|pages?)\b")
_COUNT_WORDS = "|".join(sorted(map(re.escape, (w for w, v in _WORD_VALUES.items() if v >= 2 and " " not in w)),
                               key=len, reverse=True))
_ALL_OF = re.compile(rf"\b(?:alle|all|all of the|all the|de volle|the full|every one of the|each of the|elk van de|"
                     rf"ieder van de)\s+(?:\d+|{_COUNT_WORDS})\b(?!\s*{_NOT_PERSONS})", re.IGNORECASE)
_SAME_OF = re.compile(rf"(?<![\w.,])(\d+|{_COUNT_WORDS})\s*(?:/|out of|of the|of|van de|van|op|uit)\s*"
                      rf"(\d+|{_COUNT_WORDS})(?![\w.,])", re.IGNORECASE)
_WHOLE_PHRASES = re.compile(r"\b(?:elk van hen|ieder van hen|elk van die|ieder van die|stuk voor stuk|"
                            r"zonder uitzondering|zonder enige uitzondering|without exception|every single one|"
                            r"each and every|every one of them|each one of them|one and all|to a man|"
                            r"de hele groep|the whole group|the entire group|de gehele groep|they all|ze allemaal|"
                            r"zij allemaal|none of them|geen van hen|geen van allen|niet één van hen)\b", re.IGNORECASE)
_PERSON_NOUN = (r"(?:deelnemers?|deelneemsters?|personen|persoon|mensen|werknemers?|cliënt(?:en)?|client(?:en)?|"
                r"man|vrouw|participants?|persons?|people|employees?|woman|worker|individual)\b")
_ONE_PERSON = re.compile(rf"\b(?:(?:een|één|one) (?:van|of) (?:de|the)|een|one|de ene|de enkele|een enkele|one single)"
                         rf"\s+(?:[^\W\d_]+\s+)?{_PERSON_NOUN}|\b(?:iemand|someone|somebody)\b", re.IGNORECASE)


def whole_groups(text: str) -> list[str]:
    """Statements in ``text`` that every member of a group shares an outcome, by its size or
    in words (as written): a rate of 100 percent whatever is published."""
    found = [m.group(0) for m in (*_ALL_OF.finditer(text), *_WHOLE_PHRASES.finditer(text))]
    return found + [m.group(0) for m in _SAME_OF.finditer(text) if _count(m.group(1)) == _count(m.group(2))]


def _count(written: str) -> float:
    """A count written in digits or as a word (:data:`_WORD_VALUES`)."""
    return float(written) if written.isdigit() else _WORD_VALUES[written.lower()]


def one_persons(text: str) -> list[tuple]:
    """One person said with the article or pronoun ("een deelnemer", "one participant"): (as
    written, 1, 0, False)."""
    return [(m.group(0), 1.0, 0, False) for m in _ONE_PERSON.finditer(text)
            if not any(w.lower() in _WORD_VALUES or w.lower().endswith("tal") for w in m.group(0).split()[1:-1])]


_DUTCH_TEN = re.compile(r"\s+(?:minste|hoogste|laatste|eerste|opzichte|behoeve|einde|slotte|gevolge|aanzien|tijde|"
                        r"onrechte|volle|dele|grondslag|name)\b", re.IGNORECASE)


def _roman(numeral: str) -> int:
    values = [_ROMAN_VALUES[c] for c in numeral]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def roman_numbers(text: str) -> list[tuple]:
    """Roman numerals in ``text`` that may count something: (as written, value, 0, False)."""
    return [(m.group(0), float(_roman(m.group(0))), 0, False) for m in _ROMAN.finditer(text)
            if m.group(0) and not _PART_BEFORE.search(text[max(0, m.start() - 20):m.start()])]


def level_name(text: str, start: int, value: float, levels: Mapping[str, frozenset]) -> bool:
    """Whether the number ``value`` at ``start`` names a level of a categorical variable, not a
    count: it follows the variable's name or label ("Triagepad 1", "triage path drie"), or a
    comparison of levels ("t.o.v. 2"), and it is one of that variable's levels. ``levels``
    maps each name and label (lower case) to the variable's numeric levels; a number after a
    name that is not one of its levels ("triagepad 7") still counts."""
    before = text[max(0, start - 40):start].lower()
    if _COMPARED.search(before):
        return any(value in values for values in levels.values())
    return any(value in values and re.search(rf"(?<!\w){re.escape(name)}(?:\s+|\s*[\[(=:]\s*)$", before)
               for name, values in levels.items())  # "Triagepad 1", and a model term's "triage[2]"


def word_numbers(text: str, levels: Mapping[str, frozenset] = NO_LEVELS) -> list[tuple]:
    """Numbers written as words in ``text``: (as written, value, decimals, is a rate); a
    share as a word ("de helft") is its exact percentage (6 decimals); a level's name
    (:func:`level_name`) is not a number."""
    out = []
    for match in _WORD.finditer(text):
        word = match.group(0).lower()
        if word in _WORD_VALUES and level_name(text, match.start(), _WORD_VALUES[word], levels):
            continue
        if word == "ten" and _DUTCH_TEN.match(text, match.end()):
            continue  # Dutch "ten minste", "ten opzichte van": no number
        rate = word in _WORD_RATES
        if not rate and _WORD_VALUES.get(word) == 2.0 and not _PERSONS_AFTER.match(text, match.end()):
            continue  # "twee groepen", "two levels": not a count of persons (three and more always count)
        value = _WORD_RATES[word] if rate else _WORD_VALUES[word]
        out.append((match.group(0), round(value, 6), 0 if value == int(value) else 6, rate))
    return out


def numbers(text: str, language: str, with_percent: bool = False, levels: Mapping[str, frozenset] = NO_LEVELS
            ) -> list[tuple]:
    """The numbers of ``text`` beyond exhibit numbers, project codes, dates and the names of
    levels (:func:`level_name`), as (as written, value, decimals shown) and, ``with_percent``,
    whether a percent sign or word follows."""
    text = _LABELS.sub(" ", _DATES.sub(" ", _EXHIBIT.sub(" ", plain_digits(text))))
    text = _GLUED.sub(" ", text)  # "CAP8": digits glued to a word are a number (one-letter codes M1, T1 are not)
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
        if decimals == 0 and not pct and level_name(text, match.start(), value, levels):
            continue  # a level's name ("Triagepad 1 t.o.v. 2"), not a count
        out.append((token, value, decimals, pct) if with_percent else (token, value, decimals))
    return out


def plain_digits(text: str) -> str:
    """``text`` as a page shows it, with every digit written another way as an ASCII digit:
    HTML character references resolved (``&#50;`` renders as "2" in Markdown), then
    superscript, subscript, full-width and other scripts' digits and numerals normalised
    (Unicode's compatibility normalisation, NFKC: "²" and "Ⅱ" become "2" and "II")."""
    return unicodedata.normalize("NFKC", html.unescape(html.unescape(text)))


def published(value: float, decimals: int, known: Iterable[float], percent: bool = False) -> bool:
    """Whether ``value`` (shown with ``decimals``) is a known number or its percentage; a
    ``percent`` may also be the percentage one known count is of another (a rate of shown
    counts), as rounded on the page. A percentage of 0 or 100 is never published: it says a
    whole group shares an outcome (found by the sixth intruder: "100%" passed once a 1 was
    known, a parameter's or a count's)."""
    known = [k for k in known if math.isfinite(k)]
    if percent and value in (0.0, 100.0):
        return False  # nobody or everyone of a group: a fact of each member, whatever else is known
    if decimals == 0 and not percent:  # a whole number: exactly a known count, never a rounded estimate
        return value in {k for k in known if k == int(k)}
    if any(value in _rounded(c, decimals) for k in known for c in (k, 100 * k)):
        return True
    if not percent:
        return False
    counts = [k for k in known if k > 0 and k == int(k)]  # never a == b: "100%" says a whole group shares it
    return any(value in _rounded(100 * a / b, decimals) for a in counts for b in counts if a < b)


def _rounded(value: float, decimals: int) -> set[float]:
    """``value`` rounded as Python does (half to even) and as a page does (half up: 62,5 is 63,
    ``presentation.formats.half_up``)."""
    return {round(value, decimals), round(half_up(value, decimals), decimals)}


_MONTH_NUMBER = {m.lower(): i + 1 for months in MONTH_NAMES.values() for i, m in enumerate(months)}


def _date_parts(written: str) -> tuple[int | None, int, int | None]:
    """(year or None, month, day or None) of a date as :data:`_DATES` finds it."""
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", written):
        return int(m[1]), int(m[2]), int(m[3])
    words = re.findall(r"[^\W\d_]+|\d+", written.lower())
    month = next(_MONTH_NUMBER[w] for w in words if w in _MONTH_NUMBER)
    numbers = [int(w) for w in words if w.isdigit()]
    year = next((n for n in numbers if n >= 1000), None)
    day = next((n for n in numbers if n < 1000), None)
    return year, month, day


def _unknown_days(text: str, dates: Iterable[str]) -> str:
    """``text`` with each date that is not one of ``dates`` (ISO) replaced by its day, which is
    then read like any other number: a count written as a day ("Sinds 3 april", "2021-04-03")
    is a number (found by the eighth intruder), a date the run publishes anyway is not."""
    known = {tuple(map(int, str(d)[:10].split("-"))) for d in dates}

    def day_or_blank(m: re.Match) -> str:
        year, month, day = _date_parts(m.group(0))
        if day is None or any(k[1:] == (month, day) and year in (None, k[0]) for k in known):
            return " "
        return f" {day} "

    return _DATES.sub(day_or_blank, text)


def unpublished(text: str, language: str, known: Iterable[float], public_words=frozenset(),
                levels: Mapping[str, frozenset] = NO_LEVELS, dates: Iterable[str] | None = None) -> list[str]:
    """The numbers of ``text`` that are not already published (as written). A phrase among
    ``public_words`` (lower case, with a space: a piece of the project's own text catalogues,
    e.g. "one or two persons decide the estimate") is text, not a count, where it appears
    verbatim; a single word among them is exempt everywhere (tests and callers that name one)."""
    known = {float(k) for k in known}
    text = plain_digits(text)
    if dates is not None:  # the dates a page may name: the others are read by their day
        text = _unknown_days(text, dates)
    text = without_phrases(text, public_words)
    words = [w for w in word_numbers(text, levels) + roman_numbers(text) + one_persons(text)
             if w[0].lower() not in public_words]
    found = numbers(text, language, with_percent=True, levels=levels) + words
    return [t for t, v, d, pct in found if not published(v, d, known, pct)] + whole_groups(text)


def without_phrases(text: str, public_words=frozenset()) -> str:
    """``text`` without the catalogue phrases among ``public_words`` (pieces of the project's
    own texts, :func:`catalogue_phrases`) where they appear verbatim: a method's "odds ratio
    above 1" is text, not a count."""
    for phrase in sorted((p for p in public_words if len(p.split()) > 1 or len(p) >= 8), key=len, reverse=True):
        # whole words only: "1 person" of a catalogue inside "11 personen" left "1" to be read (attack 16, B1)
        start = r"(?<!\w)" if re.match(r"\w", phrase) else ""
        end = r"(?!\w)" if re.search(r"\w$", phrase) else ""
        text = re.sub(start + re.escape(phrase) + end, " ", text, flags=re.IGNORECASE)
    return text


def numbers_of(obj, texts: bool = True) -> set[float]:
    """Every number of a table (values, index, columns) or of scalars and strings; without
    ``texts`` only the numbers a table holds as numbers (not those inside its labels: "t/m 5
    jaar" does not make 5 a published count)."""
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
    if isinstance(obj, int | float):  # no NaN, no infinity (the odds of a 100% group: an infinity among the
        return {float(obj)} if math.isfinite(obj) else set()  # published numbers broke every later check of the run)
    if hasattr(obj, "item") and not isinstance(obj, str):  # numpy scalars
        try:
            return numbers_of(obj.item())
        except (ValueError, TypeError):
            return found
    if isinstance(obj, str):
        for lang in ("nl", "en"):
            found |= {v for _, v, _ in numbers(obj, lang)}
    return found


def catalogue_phrases(*catalogues) -> frozenset:
    """The pieces of the given text catalogues' strings (between their ``{placeholders}``)
    that hold a number word or digits, lower case: a page may repeat them verbatim ("één of
    twee personen bepalen de schatting" of a method, "odds ratio 1"), while the same number
    elsewhere is read."""
    found: set = set()
    stack = list(catalogues)
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            pieces = re.split(r"\{[^}]*\}", item)
            pieces += [clause for piece in pieces for clause in re.split(r"[():;]", piece)]  # a clause quoted alone
            pieces += [part for piece in pieces for part in re.split(r"\b[a-z0-9]+_[a-z0-9_]+\b", piece)]  # a column
            # name in a catalogue's text is shown as its label ("power >= target_power": "power >= *Target power*")
            found |= {piece.strip().lower() for piece in pieces
                      if (word_numbers(piece) or re.search(r"\d", piece) or one_persons(piece) or whole_groups(piece))
                      and len(piece.strip()) >= 8}
        elif isinstance(item, dict):
            stack += [*item.keys(), *item.values()]
        elif isinstance(item, tuple | list):
            stack += list(item)
    return frozenset(found)


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
