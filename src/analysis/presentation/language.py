"""Which catalogue strings of the other language a text contains.

The catalogue is every Dutch/English pair the pages and figures are written from: the
labels (:mod:`labels`), the titles, source lines and report titles (:mod:`titles`), every
shipped study's labels, declared exhibits and chapter titles (``studies/``), the page
furniture (:mod:`page_texts`) and the phrases, predictors and levels of the model tables
(:mod:`model_texts`). A Dutch page or figure must not contain an
English string of a pair whose two sides differ, and vice versa; ``tests/test_language.py``
and ``tests/test_figures.py`` apply this to the published pages and to every figure.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

from analysis.presentation import model_texts, titles
from analysis.presentation.labels import LABELS
from analysis.presentation.page_texts import TEXT
from analysis.study import SHIPPED, active_study, load_study, study_ids

MIN_LENGTH = 4  # shorter strings ("DW", "n") are codes, not words of a language


@lru_cache(maxsize=1)
def pairs() -> tuple[tuple[str, str], ...]:
    found = list(LABELS.values()) + list(titles.TITLES.values()) + list(titles.SOURCES.values())
    found += list(titles.REPORT_TITLES.values()) + list(titles.CAPTIONS.values())
    found += list(titles.SENTENCES.values()) + study_pairs()
    found += [(TEXT["nl"][k], TEXT["en"][k]) for k in TEXT["nl"]]
    found += [(nl, shown[0] if shown else en) for en, nl, *shown in model_texts.PHRASES]
    found += list(model_texts.PREDICTORS.values()) + list(model_texts.LEVELS.values())
    out = set()
    for nl, en in found:
        nl, en = nl.split("{")[0].strip(), en.split("{")[0].strip()  # templates: the fixed part
        if nl != en and len(nl) >= MIN_LENGTH and len(en) >= MIN_LENGTH:
            out.add((nl, en))
    return tuple(sorted(out))


def study_pairs() -> list[tuple[str, str]]:
    """The (Dutch, English) pairs of every shipped study: its labels, its declared exhibits'
    titles and its chapters' page titles."""
    found = []
    for sid in study_ids(SHIPPED):
        study = load_study(SHIPPED / f"{sid}.yml")
        found += list(study.labels.values()) + [study.name, study.short_name]
        if study.exhibits:
            found += [(e.full_title("nl"), e.full_title("en")) for e in study.exhibits.items]
            found += [(f"{name[0]}: {nl}", f"{name[1]}: {en}") for name in {study.name, study.short_name}
                      for nl, en in study.exhibits.chapters.values()]
    return found


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


def dutch_names(study=None) -> tuple[str, ...]:
    """The Dutch proper names of a study (the active one by default) that an English page
    quotes as they are: its employers, case managers' organisations and municipality, from
    its study file; longest first, so a longer name wins over a name inside it."""
    study = study or active_study()
    names = {*study.employers, *study.case_manager_orgs, *([study.municipality] if study.municipality else [])}
    return tuple(sorted(names, key=lambda n: (-len(n), n)))


def mark_dutch_names(table, column: str, lang: str, names: tuple[str, ...] | None = None):
    """A copy of ``table`` whose ``column`` has each Dutch name (``names``; by default the
    active study's, :func:`dutch_names`) inside ``<span lang="nl">`` on a page of another
    language (the rest HTML-escaped), so a reader's tools (and tests/test_page_language.py)
    know them for Dutch."""
    if lang == "nl":
        return table
    pattern = re.compile("|".join(rf"(?<!\w){re.escape(html.escape(n))}(?!\w)" for n in names or dutch_names()))
    out = table.copy()
    out[column] = out[column].map(lambda t: pattern.sub(lambda m: f'<span lang="nl">{m[0]}</span>', html.escape(t))
                                  if isinstance(t, str) else t)
    return out
