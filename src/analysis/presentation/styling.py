"""Tables as a page shows them: a pandas Styler with human headers in the page's language,
its thousands and decimal separators, no index noise and no ``NaN``/``True``/reprs.

:func:`styled` formats one frame; :func:`use_report_tables` makes it the way every
DataFrame, Series and Styler a notebook displays is rendered in HTML (one call in the
notebook's imports cell), so the analysis cells keep ``display(df)``. The CSV and XLSX
files are written from the frames themselves (``ReportOutputs.table``) and keep machine
names and full precision. The Styler gets a fixed ``uuid`` so a page's bytes do not change
between runs.

Every text that reaches the page is escaped for HTML here (cells, headers and the caption):
pandas' Styler inserts formatted values as they are, and labels, file names and categories
can come from input files (a label ``<script>...`` shows as text, never runs).
"""

from __future__ import annotations

import hashlib
import html
import html as html_lib
import re
from collections.abc import Callable
from datetime import date
from pathlib import PurePath
from typing import Any

import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler

from analysis.presentation import formats, titles
from analysis.presentation.labels import has_label, label
from analysis.stats import released
from analysis.stats.disclosure import SUPPRESSED

# ``df.attrs[QUOTED]``: columns whose text is quoted from a Dutch source (the report's printed
# words); shown verbatim, and inside ``lang="nl"`` on an English page. ``df.attrs[VERBATIM]``:
# columns whose text is already written for the page (shown as given, no label lookup).
QUOTED = "quoted_columns"
VERBATIM = "verbatim_columns"
KEEP = "kept_columns"  # columns shown even with one value on every row (a grid of months, the df of every test)
PERCENT_HINTS = ("pct", "percent", "share", "rate", "aandeel")
NO_GROUPING = ("line", "year", "regel", "jaar")  # identifiers written without thousands separators
# Line numbers of the plain-text conversion of a report: the files keep them (a reader with that
# text finds every value), a page leaves them out (a reviewer has the report's pages, not that text).
FILE_ONLY = ("source_line", "line", "other_lines", "max_subsidy_line")
# Codes whose meaning depends on the column: in a model table's ``group`` column,
# ``opleiding`` is the predictor (education level), not the outflow status.
COLUMN_CODES = {"group": {"opleiding": "opleidingsniveau", "triage": "triage", "leeftijd": "leeftijd",
                          "dienstjaren": "dienstjaren"}}
MIN_PRINT_PT = 8  # the smallest type of a table cell, in print too
# Never smaller than 8 pt: the print stylesheet sets a table's type to 6.8 pt from 7 columns (review 8: too
# small to read on paper); a cell's own size wins over the table's, and on a screen 100% is larger than 8 pt.
# Up to this many columns a table still fits A4's text width at 8 pt; a wider one (Tabel M2, T1) keeps the
# stylesheet's size until print can turn it (a landscape page is the page template's, not a table's, to set).
MAX_COLUMNS_AT_MIN_PT = 8
PRINT_FLOOR = [{"selector": part, "props": f"font-size: max({MIN_PRINT_PT}pt, 100%);"}
               for part in ("td", "th", "caption")]
ROW_SHADES = ("#ffffff", "#f2f2f2")  # odd and even body rows
CSS = [
    {"selector": "", "props": "border-collapse: collapse; margin: 0.5em 0 1em; font-size: 0.92em; min-width: 30em;"},
    {"selector": "caption", "props": "caption-side: top; text-align: left; font-style: italic; padding: 0.3em 0;"},
    {"selector": "th", "props": "text-align: left; border-bottom: 1px solid #555; padding: 0.25em 0.6em;"
                                " vertical-align: bottom;"},
    {"selector": "td", "props": "padding: 0.2em 0.6em; border-bottom: 1px solid #ddd; vertical-align: top;"
                                " text-align: left;"},
    {"selector": "td.num", "props": "text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap;"},
    # shading by row, every cell of a row alike (review 8: the page's style shaded the first cell of odd rows
    # and JupyterLab's the other cells of even rows, a pattern that alternated by column); opaque, so the
    # first column, fixed while a phone scrolls the table, still covers what passes under it
    {"selector": "tbody tr:nth-child(odd) td", "props": f"background: {ROW_SHADES[0]};"},
    {"selector": "tbody tr:nth-child(even) td", "props": f"background: {ROW_SHADES[1]};"},
]


_LANG_SPAN = re.compile(r'&lt;span lang="(nl|en)"&gt;(.*?)&lt;/span&gt;')


_LONG_TOKEN = re.compile(r"(?<![^\s>])([\w.\-/:]{25,})(?![^\s<])")  # a file name, path or hash


def _escape(text: str) -> str:
    """Text for an HTML element's content (quotes need no escaping there). The one piece of
    markup a text may carry, ``<span lang="nl">...</span>`` around words quoted in the other
    language (the constraint facts do), is kept; its content stays escaped. A token of 25
    characters or more of letters, digits, ``_.-/:`` (a file name, a path, a hash) is marked ``vwnw-token``: the
    print stylesheet lets it break anywhere, so it cannot widen a table beyond the paper,
    while words break only between words."""
    escaped = _LANG_SPAN.sub(r'<span lang="\1">\2</span>', html.escape(text, quote=False))
    return _LONG_TOKEN.sub(r'<span class="vwnw-token">\1</span>', escaped)


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ALL_ROWS = {"nl": "In alle rijen", "en": "In every row"}


def _missing(v: Any) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)) or \
        (isinstance(v, str) and v.strip() in ("", formats.MISSING))


def _uninformative(frame: pd.DataFrame, kept: tuple = ()) -> tuple[list[int], list[int]]:
    """Positions of the columns a reader gains nothing from: empty ones, and (in a table of
    three rows or more) ones with the same value on every row, the first column excepted, a
    column of ``kept`` and a column withheld on every row (*x*: "In alle rijen: 36-45 jaar: x"
    read as a value; the sixth reviewer)."""
    empty, constant = [], []
    for i in range(frame.shape[1]):
        values = frame.iloc[:, i]
        if all(_missing(v) for v in values):
            empty.append(i)
        elif i > 0 and len(values) >= 3 and not any(_missing(v) for v in values) \
                and values.map(lambda v: str(v) if not isinstance(v, list) else repr(v)).nunique() == 1 \
                and str(values.iloc[0]) != SUPPRESSED and str(frame.columns[i]) not in kept:
            constant.append(i)
    return empty, constant


def _cap(column: object) -> int:
    name = str(column).lower()
    return 1 if any(h in name for h in PERCENT_HINTS) and "rate" not in name else 3


def _cell(value: Any, lang: str, decimals: int, grouping: bool = True, codes: dict | None = None) -> str:
    if isinstance(value, (bool, np.bool_)):
        return formats.yes_no(bool(value), lang)
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return formats.MISSING
    if isinstance(value, (int, float, np.integer, np.floating)):
        return formats.number(value, lang, decimals, grouping)
    if isinstance(value, PurePath):
        return _escape(value.name)
    if isinstance(value, (pd.Timestamp, date)) or (isinstance(value, str) and _ISO_DATE.match(value)):
        return formats.long_date(value, lang)
    if isinstance(value, (list, tuple, set)):
        return ", ".join(_cell(v, lang, decimals, grouping) for v in value)
    if codes and str(value) in codes:
        return _escape(label(codes[str(value)], lang))
    return _escape(label(value, lang) if has_label(value) else str(value))  # the study's own codes too


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, (bool, np.bool_))


def _formatter(series: pd.Series, lang: str) -> tuple[Callable[[Any], str], bool]:
    """The cell formatter of one column, and whether it is numeric (right-aligned)."""
    numeric = pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)
    if not numeric:  # object columns of numbers, possibly with "x" for suppressed cells
        values = series.dropna()
        values = values[values.map(lambda v: not (isinstance(v, str) and v == SUPPRESSED))]
        # a column withheld on every row (only "x") is a column of counts too: its x sits where its
        # numbers would, not left under the next column's header (review 10: "x x" read as one cell)
        numeric = (len(values) > 0 and values.map(_is_number).all()) or _withheld_throughout(series)
    decimals = formats.decimals_needed(series.where(series != SUPPRESSED), _cap(series.name)) if numeric else 0
    grouping = not any(h in str(series.name).lower() for h in NO_GROUPING)
    codes = COLUMN_CODES.get(str(series.name))
    money = "€" in label(str(series.name), "nl")  # amounts keep their decimals: 11,00 beside 7,95
    if numeric and decimals >= 2 and _mixes_whole_numbers(series) and not money:
        # a whole number among fractions is written whole: "37" next to "12,50", and a
        # probability of one as "1", never "1,000" (which reads as a thousand in English)
        return (lambda v: _cell(v, lang, 0 if _is_number(v) and float(v).is_integer() else decimals, grouping,
                                codes)), numeric
    return (lambda v: _cell(v, lang, decimals, grouping, codes)), numeric


def _withheld_throughout(series: pd.Series) -> bool:
    """Every value of ``series`` is the withheld mark (or missing), and one at least is withheld."""
    values = [v for v in series if not _missing(v)]
    return len(values) > 0 and all(isinstance(v, str) and v == SUPPRESSED for v in values)


def _header_alignment(numeric: list[str]) -> dict[str, list[dict[str, str]]]:
    """A numeric column's header right-aligned, over its right-aligned numbers (review 10: every
    header stood left, so a value sat closer to the next column's header than to its own)."""
    return {col: [{"selector": "th", "props": "text-align: right;"}] for col in numeric}


def _mixes_whole_numbers(series: pd.Series) -> bool:
    values = [float(v) for v in series if _is_number(v) and not np.isnan(float(v))]
    whole = [v.is_integer() for v in values]
    return any(whole) and not all(whole)


def _verbatim(value: Any, mark: str | None) -> str:
    """A text cell as given (escaped), inside ``lang=mark`` when ``mark`` is set."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return formats.MISSING
    text = html.escape(str(value))
    return f'<span lang="{mark}">{text}</span>' if mark else text


def _written_numbers(column: pd.Series) -> bool:
    """A verbatim column of numbers already written out ("1,7", "−27,0", "30.545.648", an interval
    "0,04 – 1,92", a bound such as a p-value's "< 0,001" or "> 0,999", the missing mark)."""
    text = column.dropna().astype(str)
    one = r"(?:[<>] )?[-\u2212]?[\d.,]+"
    written = rf"{one}(?:\u00a0–\u2060\u00a0{one})?|{re.escape(formats.MISSING)}"
    return len(text) > 0 and text.str.fullmatch(written).all()


def _header(column: object, lang: str) -> str:
    """A column's header as HTML (escaped)."""
    if isinstance(column, (int, float, np.integer, np.floating)) and not isinstance(column, bool):
        return formats.number(column, lang, formats.decimals_needed(pd.Series([column])))
    if column is None:
        return ""
    text = label(column, lang)  # a header starts with a capital (a label may be a value's: "gereproduceerd")
    if text != str(column) and text[:1].islower() and text[1:2] not in ("-", " "):  # a code stays as written
        text = text[:1].upper() + text[1:]
    return _escape(text)


def _flatten(df: pd.DataFrame | pd.Series) -> pd.DataFrame:
    frame = df.to_frame(name="" if df.name is None else df.name) if isinstance(df, pd.Series) else df.copy()
    if frame.index.nlevels == 1 and frame.index.name is None and pd.api.types.is_integer_dtype(frame.index):
        frame = frame.reset_index(drop=True)  # row numbers (of a filtered frame) are not data
    if not isinstance(frame.index, pd.RangeIndex) or any(n is not None for n in frame.index.names):
        clash = [n for n in frame.index.names if n is not None and n in frame.columns]
        names = [f"{n} " if n in clash else ("" if n is None else n) for n in frame.index.names]
        frame = frame.rename_axis(names).reset_index()
    if isinstance(frame.columns, pd.MultiIndex):
        frame.columns = [" ".join(str(p) for p in c if str(p)) for c in frame.columns]
    return frame.loc[:, ~frame.columns.duplicated()]


def styled(df: pd.DataFrame | pd.Series, lang: str = "nl", caption: str | None = None,
           tidy: bool = True) -> Styler:
    """``df`` as a formatted table: index levels become ordinary columns, headers and
    category codes come from the label catalogue, numbers use the language's separators
    and as many decimals as the values have (at most one for percentages, three otherwise),
    dates as the language writes them. With ``tidy``, empty columns are left out and a
    column with one value on every row (three rows or more) is said once, after the
    caption (``In alle rijen: Niveau: 0,95``), and so are the line numbers of a report's text
    conversion (:data:`FILE_ONLY`); the CSV keeps every column. On data that
    are not synthetic, only a table from the release (:mod:`analysis.stats.released`)."""
    released.require(df)
    attrs = getattr(df, "attrs", {})
    marks = {c: None for c in attrs.get(VERBATIM, ())} | {c: "nl" if lang != "nl" else None
                                                         for c in attrs.get(QUOTED, ())}
    frame = _flatten(df)
    if tidy and frame.shape[1] > 1:
        empty, constant = _uninformative(frame, tuple(map(str, attrs.get(KEEP, ()))))
        empty += [i for i, c in enumerate(frame.columns) if str(c) in FILE_ONLY and i > 0 and i not in empty]
        said = []
        for i in constant:
            fmt, _ = _formatter(frame.iloc[:, i].rename(str(frame.columns[i])), lang)
            value = frame.iloc[0, i]
            shown = fmt(value) if str(frame.columns[i]) not in marks or _is_number(value) else _verbatim(value, None)
            said.append(f"{_header(frame.columns[i], lang)}: {html.unescape(shown)}")
        keep = [i for i in range(frame.shape[1]) if i not in empty + constant]
        if keep and len(keep) < frame.shape[1]:
            frame = frame.iloc[:, keep]
            if said:
                note = f"{ALL_ROWS[lang]}: " + "; ".join(html.unescape(t) for t in said) + "."
                caption = f"{caption}. {note}" if caption and not caption.endswith(".") else \
                    f"{caption} {note}" if caption else note
    machine = [str(c) for c in frame.columns]
    frame.columns = [_header(c, lang) for c in frame.columns]
    if (own := released.own_column_names(df)) is not None:  # the release's columns under their labels (attack 25)
        released.vouch_labels(frame, [h for m, h in zip(machine, frame.columns) if m in own or m.strip() in own])
    formatters, numeric = {}, []
    for i, col in enumerate(frame.columns):
        fmt, is_num = _formatter(frame.iloc[:, i].rename(machine[i]), lang)
        formatters[col] = (lambda v, f=fmt, m=marks[machine[i]]: f(v) if _is_number(v) else _verbatim(v, m)) \
            if machine[i] in marks else fmt
        is_num = is_num or (machine[i] in marks and _written_numbers(frame.iloc[:, i]))
        if is_num:
            numeric.append(col)
    uuid = hashlib.sha256(frame.to_csv().encode() + (caption or "").encode()).hexdigest()[:10]
    st = Styler(frame, uuid=uuid, cell_ids=False).format(formatters).hide(axis="index")
    st = st.set_table_styles(CSS + (PRINT_FLOOR if frame.shape[1] <= MAX_COLUMNS_AT_MIN_PT else [])).set_td_classes(
        pd.DataFrame([["num" if c in numeric else "" for c in frame.columns]] * len(frame),
                     index=frame.index, columns=frame.columns))
    if numeric:
        st = st.set_table_styles(_header_alignment(numeric), overwrite=False)
    st = st.set_caption(_escape(caption)) if caption else st
    st.vwnw_styled = True  # rendered as it is by the display hook (its data carries labels, not codes)
    return st


def use_report_tables(lang: str = "nl") -> None:
    """Render every DataFrame, Series and Styler this kernel displays through :func:`styled`."""
    from IPython import get_ipython  # IPython (0.3 s) only where a kernel displays: scripts and tests go without

    ip = get_ipython()
    if ip is None:
        return
    html = ip.display_formatter.formatters["text/html"]
    html.for_type(pd.DataFrame, lambda df: _html_or_refusal(df, lambda: styled(df, lang)))
    html.for_type(pd.Series, lambda s: _html_or_refusal(s, lambda: styled(s, lang)))
    html.for_type(Styler, lambda s: _html_or_refusal(s.data, lambda: s if getattr(s, "vwnw_styled", False)
                                                     else styled(s.data, lang, s.caption)))


def _html_or_refusal(data, make) -> str:
    """The table's HTML, or the release's refusal when it may not be shown."""
    if not released.allowed(data):
        return f"<p><em>{html_lib.escape(released.refusal(data))}</em></p>"
    return make().to_html()


def show(df: pd.DataFrame | pd.Series | Styler, caption_key: str, lang: str = "nl", **fields: str) -> None:
    """Display ``df`` formatted, with the caption ``caption_key`` of the title catalogue."""
    from IPython.display import display  # IPython (0.3 s) only where a kernel displays: scripts and tests go without

    data = df.data if isinstance(df, Styler) else df
    display(styled(data, lang, titles.caption(caption_key, lang, **fields)))
