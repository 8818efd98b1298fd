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
    counts = [k for k in known if k > 0 and k == int(k)]
    return any(round(100 * a / b, decimals) == value for a in counts for b in counts if a <= b)


def unpublished(text: str, language: str, known: Iterable[float]) -> list[str]:
    """The numbers of ``text`` that are not already published (as written)."""
    known = {float(k) for k in known}
    return [t for t, v, d, pct in numbers(text, language, with_percent=True) if not published(v, d, known, pct)]


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
