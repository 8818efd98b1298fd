"""A table as its CSV and XLSX download show it: in the file's language, as the page writes it.

:func:`for_download` is called where a table is written (``ReportOutputs.table``), so every
download of a run in Dutch (``_nl``) has Dutch headers and category labels, one in English
English ones (review 10: the ``_nl`` and ``_en`` files were the same bytes, with snake_case
headers, ``7.0`` for a count and shares with 17 digits). What changes, and only that:

- a header with a label in the catalogue gets that label (a code without one stays as it is);
- a category code in a text column or an index level gets its label; its code stays beside it in
  a column ``<header> (code)`` (a program reading the file by code still finds it);
- in a table of the models or time-to-work page (:data:`STATISTICS_SIGNS`), a text the statistics
  modules write in English (a model, test, method, design, estimand, note, rule, curve, origin) is
  written as the page writes it, from the page's catalogue (:func:`analysis.presentation.model_texts.
  translate`, :mod:`analysis.presentation.survival_texts`); a short name (:data:`NAMED_TEXTS`) keeps
  its code in a ``<header> (code)`` column, a clause (:data:`CLAUSES`) needs none (issue 26);
- a yes/no column is written in words (``ja``/``nee``, ``yes``/``no``), never ``True``/``False``;
- a column of whole numbers (counts stored as floats) is written whole: ``7``, not ``7.0``;
- a percentage (a ``pct`` column) is rounded to the one decimal the page shows.

- any other number (a coefficient, p-value, interval, recount) is rounded to six significant digits
  (``SIGNIFICANT``), never into its whole part (an amount in euros keeps every euro; a column that is
  then whole is written whole): more than any page shows and enough to recompute from, without the float's
  representation noise (review 12: ``1.7870537999999998`` in a register recount).

Pure: the frame in, a new frame out.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from analysis.presentation import formats, model_texts, survival_texts
from analysis.presentation.labels import has_label, label
from analysis.stats.disclosure import SUPPRESSED

# a percentage (0-100), shown with one decimal on a page; a proportion (0-1: ``report_share``) keeps its digits
PERCENT_HINTS = ("pct", "percent", "aandeel")
SHARE_DECIMALS = 1
CODE_SUFFIX = " (code)"
YES_NO_CODES = ("True", "False")  # a yes/no variable's levels in a crosstab (its codes as text)
SIGNIFICANT = 6  # significant digits of a number that is neither whole nor a percentage
# a column only the models' and time-to-work tables have: their text columns are the statistics modules' English
STATISTICS_SIGNS = ("estimand", "ci_method", "two_sided", "design", "origin")
NAMED_TEXTS = ("model", "scale", "ci_method", "test", "family", "comparison", "design", "method", "intercept",
               "quantity", "origin", "curve")  # short names: the code stays beside the words
CLAUSES = ("estimand", "two_sided", "note")  # sentences: written in words only


def header(name: object, lang: str) -> object:
    """A column's or index level's header in ``lang``: its label, starting with a capital; a name
    without a label (or not a string) as it is."""
    if name in YES_NO_CODES:  # a crosstab's yes/no level as a column (attack 22)
        return formats.yes_no(name == "True", lang)
    if not isinstance(name, str) or not has_label(name):
        return name
    text = label(name, lang)
    if text != name and text[:1].islower() and text[1:2] not in ("-", " "):
        text = text[:1].upper() + text[1:]
    return text


def code_header(name: object, lang: str) -> str:
    """The header of the column that keeps the codes of column ``name``."""
    return f"{header(name, lang)}{CODE_SUFFIX}"


def _is_share(name: object) -> bool:
    low = str(name).lower()
    return any(h in low for h in PERCENT_HINTS)


def _bools(values: pd.Series) -> bool:
    """A yes/no column: booleans, and perhaps the withheld mark (``gelijk``: True, False or x)."""
    present = [v for v in values if not _absent(v) and not (isinstance(v, str) and v == SUPPRESSED)]
    return bool(present) and all(isinstance(v, (bool, np.bool_)) for v in present)


def _absent(v: Any) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v))


def _word(value: object, name: object, lang: str) -> object:
    """A code as the page writes it: a model's term (``const``, ``triage[1]``) as its words, any
    other code with a label as its label."""
    if not isinstance(value, str):
        return value
    if name == "term":
        return model_texts.term_label(value, lang)
    if value in YES_NO_CODES:  # a crosstab's yes/no level (attack 22): its code stays in the code column
        return formats.yes_no(value == "True", lang)
    if name == "group" and value in model_texts.PREDICTORS:  # a predictor's name, not a status code (attack 22)
        words = model_texts.predictor_label(value, lang)
        return words[:1].upper() + words[1:]
    return label(value, lang) if has_label(value) else value


def _labelled(values: pd.Series, name: object, lang: str) -> pd.Series | None:
    """``values`` with every code written as the page writes it; None when nothing changes."""
    if not (pd.api.types.is_object_dtype(values) or pd.api.types.is_string_dtype(values)
            or isinstance(values.dtype, pd.CategoricalDtype)):
        return None
    before = list(values.astype(object))
    after = [_word(v, name, lang) for v in before]
    return None if after == before else pd.Series(after, index=values.index, dtype=object)


def _numbers(values: pd.Series, name: object) -> pd.Series:
    """Whole numbers as integers, a share rounded to the page's decimal, any other number to six significant digits."""
    if pd.api.types.is_object_dtype(values):  # numbers with None among them (a p-value not computed)
        present = [v for v in values if not _absent(v)]
        if present and all(isinstance(v, (int, float, np.integer, np.floating))
                           and not isinstance(v, (bool, np.bool_)) for v in present):
            values = pd.to_numeric(values.map(lambda v: np.nan if _absent(v) else v)).astype(float)
    if pd.api.types.is_bool_dtype(values) or not pd.api.types.is_float_dtype(values):
        return values
    present = values.dropna()
    if len(present) and np.isfinite(present).all() and (present == present.round()).all():
        return values.astype("Int64")
    if _is_share(name):
        return values.round(SHARE_DECIMALS)
    rounded = values.map(significant)
    present = rounded.dropna()
    if len(present) and np.isfinite(present).all() and (present == present.round()).all():
        return rounded.astype("Int64")  # amounts in euros: 50775212.47 is written 50775212, not 50775212.0
    return rounded


def significant(value: float, digits: int = SIGNIFICANT) -> float:
    """``value`` rounded to ``digits`` significant digits, its whole part never (nan, inf and 0 as
    they are): ``1.7870537999999998`` -> ``1.78705``, ``0.000123456789`` -> ``0.000123457``,
    ``50775212.47`` -> ``50775212.0`` (an amount in euros keeps every euro)."""
    if not np.isfinite(value) or value == 0:
        return value
    return round(float(value), max(0, digits - 1 - math.floor(math.log10(abs(value)))))


def statistics_text(value: object, name: object, lang: str) -> object:
    """A text cell of column ``name`` of a models or time-to-work table in ``lang``, as the page writes it:
    an origin (``start``) and a curve (``triage=1``) by the time-to-work page's words, a note by its
    words or phrases, any other text phrase by phrase (:data:`analysis.presentation.model_texts.PHRASES`)."""
    if not isinstance(value, str) or not value:
        return value
    if name == "origin":
        return survival_texts.origin_label(value, lang)
    if name == "curve":
        return survival_texts.curve_label(value, lang) if value == "all" or "=" in value else value
    if name == "note":
        return survival_texts.note_label(value, lang)
    return model_texts.cell_text(value, lang, name=name in NAMED_TEXTS)


def _statistics_column(values: pd.Series, name: object, lang: str) -> tuple[pd.Series, pd.Series | None] | None:
    """A text column of a models or time-to-work table in words, and its codes where it is a short
    name that changed (None for a column that is neither a name nor a clause, or holds no text)."""
    if name not in (*NAMED_TEXTS, *CLAUSES) or not (pd.api.types.is_object_dtype(values)
                                                    or pd.api.types.is_string_dtype(values)):
        return None
    before = list(values.astype(object))
    after = [statistics_text(v, name, lang) for v in before]
    coded = values if name in NAMED_TEXTS and after != before else None
    return pd.Series(after, index=values.index, dtype=object), coded


def _column(values: pd.Series, name: object, lang: str,
            statistics: bool = False) -> tuple[pd.Series, pd.Series | None]:
    """A column as written, and its codes (None when it has no labelled codes); ``statistics``: of a
    models or time-to-work table (:data:`STATISTICS_SIGNS`)."""
    if statistics and (texts := _statistics_column(values, name, lang)) is not None:
        return texts
    if _bools(values):
        return values.map(lambda v: formats.yes_no(bool(v), lang) if isinstance(v, (bool, np.bool_)) else v), None
    labelled = _labelled(values, name, lang)
    if labelled is not None:
        return labelled, values
    return _numbers(values, name), None


def for_download(df: pd.DataFrame | pd.Series, lang: str) -> pd.DataFrame:
    """``df`` as its download in ``lang`` (see the module's docstring); the index stays the index."""
    frame = pd.DataFrame(df).copy()
    names = list(frame.index.names)
    flat = frame.reset_index() if any(n is not None for n in names) else frame.reset_index(drop=True)
    if not any(n is not None for n in names) and not isinstance(frame.index, pd.RangeIndex):
        flat.index = frame.index  # an unnamed index of labels (rows named by value) stays as it is
    index_cols = [n for n in names if n is not None]
    columns, codes = {}, {}
    statistics = any(name in STATISTICS_SIGNS for name in flat.columns)
    for i, name in enumerate(flat.columns):
        shown, coded = _column(flat.iloc[:, i], name, lang, statistics)
        columns[name] = shown
        if coded is not None:
            codes[code_header(name, lang)] = coded
    out = pd.DataFrame(columns, index=flat.index)
    for name, coded in codes.items():
        out[name] = coded.values
    out.columns = _distinct([header(c, lang) if not str(c).endswith(CODE_SUFFIX) else c for c in out.columns],
                            list(out.columns))
    if index_cols:
        out = out.set_index([out.columns[list(columns).index(n)] for n in index_cols])
    return out


def _distinct(shown: list, machine: list) -> list:
    """``shown`` headers, a header two columns would share given back as its machine name."""
    return [s if shown.count(s) == 1 else m for s, m in zip(shown, machine, strict=True)]


def _yes_no(text: object) -> bool | None:
    for lang in ("nl", "en"):
        for truth in (True, False):
            if text == formats.yes_no(truth, lang):
                return truth
    return None


def from_download(frame: pd.DataFrame, lang: str, names: Iterable[str]) -> pd.DataFrame:
    """A download read back (``pd.read_csv`` of a file :func:`for_download` made in ``lang``) with the
    machine names ``names`` of the columns a program reads: such a column's codes where it has a code
    column, its yes/no words as booleans, its header as the code. For a program (the landing page's count
    of reproduced cells, a test) that reads a file by code; other columns stay as they are."""
    out = frame.reset_index() if any(n is not None for n in frame.index.names) else frame.copy()
    renamed = {}
    for name in names:
        shown, coded = header(name, lang), code_header(name, lang)
        if coded in out.columns:
            out[shown] = out.pop(coded).values if shown in out.columns else out.pop(coded)
        if shown not in out.columns:
            continue
        words = out[shown].map(_yes_no)
        other = out[shown].notna() & words.isna() & (out[shown].astype(str) != SUPPRESSED)
        if words.notna().any() and not other.any():
            out[shown] = [w if w is not None else v for w, v in zip(words, out[shown], strict=True)]
        renamed[shown] = name
    return out.rename(columns=renamed)
