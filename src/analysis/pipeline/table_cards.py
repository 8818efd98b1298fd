"""Wide tables read on a phone as one card per row, each value beside its column's name.

A table of four columns or more (index included) does not fit 390 px with whole words, and
in a box that scrolls sideways its right-aligned counts are out of sight. On a narrow screen
the page's stylesheet (``templates/vwnw_offline.html.j2``, class ``vwnw-cards``) shows such a
table as cards: the row's label, then one line per column, *name ... value*, the value still
right-aligned. A line needs its column's name beside each cell, so every data cell gets a
``data-label`` attribute with it; a block's name given once on its first row is carried to
the cards below it (:func:`carried_labels`). Screen at other widths, print and the CSV are unchanged.

Written by hand on the HTML that pandas' Styler writes (``th.col_heading levelL colN``,
``td.data rowR colN``), table by table: parsing the whole page (its images are large data
URLs) was what made nbconvert's own attribute pass slow (see ``html_export``).
"""

from __future__ import annotations

import html
import re

MIN_COLUMNS = 4  # fewer columns fit a phone with whole words (measured at 390 px)
_TABLE = re.compile(r'<table id="(T_[^"]+)">(.*?)</table>', re.S)  # not yet marked
_ID = r'(?: id="[^"]*")?'  # the Styler writes cell ids unless told not to
_HEADER = re.compile(rf'<th{_ID} class="col_heading level(\d+) col(\d+)[^"]*"([^>]*)>(.*?)</th>', re.S)
_INDEX_NAME = re.compile(rf'<th{_ID} class="index_name level(\d+)[^"]*"[^>]*>(.*?)</th>', re.S)
_CELL = re.compile(rf'<td{_ID} class="data row\d+ col(\d+)([^"]*)"')
_ROW_HEADING = re.compile(rf'<th{_ID} class="row_heading level(\d+) row\d+([^"]*)"')
_TAGS = re.compile(r"<[^>]+>")


def _text(inner: str) -> str:
    return " ".join(html.unescape(_TAGS.sub(" ", inner)).split())


def column_labels(table: str) -> dict[int, str]:
    """Column number -> its name, the levels of a column index joined (``Eerste ronde O``)."""
    labels: dict[int, list[str]] = {}
    for _level, col, attrs, inner in _HEADER.findall(table):
        span = re.search(r'colspan="(\d+)"', attrs)
        for c in range(int(col), int(col) + (int(span.group(1)) if span else 1)):
            text = _text(inner)
            if text and text not in labels.setdefault(c, []):
                labels[c].append(text)
    return {c: " ".join(parts) for c, parts in labels.items()}


def index_labels(table: str) -> dict[int, str]:
    """Index level -> its name (empty names left out)."""
    return {int(level): _text(inner) for level, inner in _INDEX_NAME.findall(table) if _text(inner)}


def width(table: str) -> int:
    """Columns of the table: its data columns and its index levels."""
    levels = {int(m.group(1)) for m in _ROW_HEADING.finditer(table)}
    return len(column_labels(table)) + len(levels)


def as_cards(page: str) -> str:
    """Every Styler table of ``page`` with ``MIN_COLUMNS`` columns or more marked ``vwnw-cards``,
    each of its data cells (and row headings) with ``data-label``: its column's name."""
    def one(match: re.Match) -> str:
        ident, body = match.group(1), match.group(2)
        if width(body) < MIN_COLUMNS:
            return match.group(0)
        cols, rows = column_labels(body), index_labels(body)

        def cell(m: re.Match) -> str:
            label = cols.get(int(m.group(1)), "")
            return m.group(0).replace("<td ", f'<td data-label="{html.escape(label)}" ', 1) if label else m.group(0)

        def heading(m: re.Match) -> str:
            label = rows.get(int(m.group(1)), "")
            return m.group(0).replace("<th ", f'<th data-label="{html.escape(label)}" ', 1) if label else m.group(0)

        body = carried_labels(_ROW_HEADING.sub(heading, _CELL.sub(cell, body)))
        return f'<table id="{ident}" class="vwnw-cards">{body}</table>'

    return _TABLE.sub(one, page)


_ROW = re.compile(r"<tr>(.*?)</tr>", re.S)
_FULL_CELL = re.compile(r'(<td[^>]* class="data row\d+ col(\d+)[^"]*"[^>]*)>(.*?)</td>', re.S)


def carried_labels(body: str) -> str:
    """A table that names a block once (its first row's leading cells, the rows below them
    empty) keeps that name on every card: each leading empty cell gets ``data-carried``, the
    value above it, which the phone's stylesheet shows (wide screens and print show the
    table as it is). Only leading cells: an empty cell after a value is a value of its own."""
    last: dict[str, str] = {}

    def row(match: re.Match) -> str:
        leading = True

        def cell(m: re.Match) -> str:
            nonlocal leading
            opening, col, inner = m.group(1), m.group(2), m.group(3)
            if inner.strip():
                leading = False
                last[col] = _text(inner)
                return m.group(0)
            if not leading or col not in last:
                return m.group(0)
            return f'{opening} data-carried="{html.escape(last[col])}"></td>'

        return _FULL_CELL.sub(cell, match.group(0))

    return _ROW.sub(row, body)
