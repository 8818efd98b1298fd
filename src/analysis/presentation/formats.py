"""Numbers and dates as a reader of the page's language writes them.

Dutch: ``1.234,5``, ``okt 2016``, ``1 april 2021``; English: ``1,234.5``, ``Oct 2016``,
``1 April 2021``. Written by hand rather than through ``locale`` (the nl_NL locale is often
not installed, and ``setlocale`` is process-wide, which the parallel runs share) or Babel
(a new dependency for twelve month names and two separators).
"""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pandas as pd

SEPARATORS = {"nl": (".", ","), "en": (",", ".")}  # (thousands, decimal)
MONTHS = {
    "nl": ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
           "oktober", "november", "december"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"),
}
MONTHS_SHORT = {
    "nl": ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}
MISSING = "–"  # an en dash: no value (not a suppressed cell, which is "x")


def _check(lang: str) -> None:
    if lang not in SEPARATORS:
        raise ValueError(f"language must be one of {sorted(SEPARATORS)}, got {lang!r}")


def half_up(value, decimals: int = 0):
    """``value`` (a number or a pandas Series) rounded half away from zero, as a report
    rounds (62,5 to 63; Python and pandas round half to even: 62). The value is first
    taken to nine decimals beyond ``decimals``, so that 100 * 0.285 (28.4999...) is 28.5."""
    scale = 10.0 ** decimals
    if isinstance(value, pd.Series):
        scaled = (pd.to_numeric(value, errors="coerce").astype(float) * scale).round(9)
        return pd.Series(np.sign(scaled) * np.floor(scaled.abs() + 0.5) / scale, index=value.index, name=value.name)
    scaled = round(float(value) * scale, 9)
    return math.copysign(math.floor(abs(scaled) + 0.5), scaled) / scale


def number(value: object, lang: str = "nl", decimals: int = 0, grouping: bool = True) -> str:
    """``value`` with the language's thousands and decimal separators (``grouping=False``:
    no thousands separator, for line numbers and years), rounded half up (:func:`half_up`);
    missing as ``–``."""
    _check(lang)
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    thousands, decimal = SEPARATORS[lang]
    value = float(value)
    if math.isfinite(value):
        value = half_up(value, decimals)
    text = f"{value:{',' if grouping else ''}.{decimals}f}"
    if text.startswith("-") and float(text.replace(",", "")) == 0:
        text = text[1:]  # no "-0,0"
    return text.replace(",", "\0").replace(".", decimal).replace("\0", thousands)


P_FLOOR_SHOWN = 0.001  # below it a page writes "< 0,001": no page prints a p-value in scientific notation
P_CEILING_SHOWN = 0.999  # above it "> 0,999": no p-value of 1,000 that reads as a thousand (review 11)


def p_value(value: object, lang: str = "nl", upper_bound: bool = False) -> str:
    """A p-value as every page writes it, in tables and sentences alike: three decimals
    (``0,070``, ``0,999``), ``< 0,001`` below 0.001 (never ``5,5e-5`` or ``0,000``), ``> 0,999``
    where three decimals would give one (never ``1,000``, which reads as a thousand in the other
    language), and ``< bound`` when the value is only an upper bound (``< 0,002``); missing as ``–``."""
    _check(lang)
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    value = float(value)
    if value < P_FLOOR_SHOWN or (upper_bound and half_up(value, 3) <= P_FLOOR_SHOWN):
        return "< " + number(P_FLOOR_SHOWN, lang, 3)
    if upper_bound:
        bound = math.ceil(round(value * 1000, 9)) / 1000
        return "< " + (number(1, lang, 0) if bound >= 1 else number(bound, lang, 3))  # "< 1", never "< 1,000"
    if half_up(value, 3) >= 1:
        return "> " + number(P_CEILING_SHOWN, lang, 3)
    return number(value, lang, 3)


def p_phrase(value: object, lang: str = "nl", upper_bound: bool = False) -> str:
    """A p-value in a sentence, in the tables' format: ``p = 0,071``, ``p < 0,001``."""
    text = p_value(value, lang, upper_bound)
    return "p\u00a0<\u00a0" + text[2:] if text.startswith("< ") else "p\u00a0=\u00a0" + text


def decimals_needed(values: pd.Series, cap: int = 3) -> int:
    """The fewest decimals (at most ``cap``) that show every value as it is at ``cap``
    decimals: 20.8 needs one, 0.12345 needs three, counts stored as floats need none."""
    v = pd.to_numeric(values, errors="coerce").dropna().astype(float)
    for d in range(cap + 1):
        if ((v.round(d) - v.round(cap)).abs() < 10 ** -(cap + 1)).all():
            return d
    return cap


def month(value: object, lang: str = "nl") -> str:
    """A month (``2016-10``, a Period or a date) as ``okt 2016`` / ``Oct 2016``."""
    _check(lang)
    p = pd.Period(str(value)[:7], freq="M")
    return f"{MONTHS_SHORT[lang][p.month - 1]} {p.year}"


def long_date(value: object, lang: str = "nl") -> str:
    """A date (``2021-04-01``) as ``1 april 2021`` / ``1 April 2021``."""
    _check(lang)
    d = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
    return f"{d.day} {MONTHS[lang][d.month - 1]} {d.year}"


def yes_no(value: bool, lang: str = "nl") -> str:
    _check(lang)
    return ("ja" if value else "nee") if lang == "nl" else ("yes" if value else "no")
