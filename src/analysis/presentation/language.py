"""Which catalogue strings of the other language a text contains.

The catalogue is every Dutch/English pair the pages and figures are written from: the
labels (:mod:`labels`), the titles, source lines and report titles (:mod:`titles`), the
page furniture (:mod:`page_texts`) and the phrases, predictors and levels of the
model tables (:mod:`model_texts`). A Dutch page or figure must not contain an
English string of a pair whose two sides differ, and vice versa; ``tests/test_language.py``
and ``tests/test_figures.py`` apply this to the published pages and to every figure.
"""

from __future__ import annotations

import re
from functools import lru_cache

from analysis.presentation import model_texts, titles
from analysis.presentation.labels import LABELS

MIN_LENGTH = 4  # shorter strings ("DW", "n") are codes, not words of a language


@lru_cache(maxsize=1)
def pairs() -> tuple[tuple[str, str], ...]:
    from analysis.presentation.page_texts import TEXT

    found = list(LABELS.values()) + list(titles.TITLES.values()) + list(titles.SOURCES.values())
    found += list(titles.REPORT_TITLES.values()) + list(titles.CAPTIONS.values())
    found += list(titles.SENTENCES.values())
    found += [(TEXT["nl"][k], TEXT["en"][k]) for k in TEXT["nl"]]
    found += [(nl, shown[0] if shown else en) for en, nl, *shown in model_texts.PHRASES]
    found += list(model_texts.PREDICTORS.values()) + list(model_texts.LEVELS.values())
    out = set()
    for nl, en in found:
        nl, en = nl.split("{")[0].strip(), en.split("{")[0].strip()  # templates: the fixed part
        if nl != en and len(nl) >= MIN_LENGTH and len(en) >= MIN_LENGTH:
            out.add((nl, en))
    return tuple(sorted(out))


def _pattern(s: str) -> re.Pattern:
    return re.compile(rf"(?<!\w){re.escape(s)}(?!\w)")


def foreign(text: str, lang: str) -> list[str]:
    """The catalogue strings of the language other than ``lang`` that occur in ``text``
    as whole words (and are not also a string of ``lang`` that occurs there)."""
    own = 0 if lang == "nl" else 1
    mine = {p[own] for p in pairs()}
    hits = []
    for pair in pairs():
        other = pair[1 - own]
        if other not in mine and _pattern(other).search(text):
            hits.append(other)
    return sorted(set(hits))


# Dutch proper names an English page quotes as they are: marked ``lang="nl"`` there, so a
# reader's tools (and tests/test_page_language.py) know them for Dutch.
DUTCH_NAMES = ("Maison van den Boer", "Gemeente Meierijstad")
_NAME = re.compile("|".join(re.escape(n) for n in DUTCH_NAMES))


def mark_dutch_names(table, column: str, lang: str):
    """A copy of ``table`` whose ``column`` has each Dutch name of :data:`DUTCH_NAMES`
    inside ``<span lang="nl">`` on a page of another language (the rest HTML-escaped)."""
    import html

    if lang == "nl":
        return table
    out = table.copy()
    out[column] = out[column].map(lambda t: _NAME.sub(lambda m: f'<span lang="nl">{m[0]}</span>', html.escape(t))
                                  if isinstance(t, str) else t)
    return out
