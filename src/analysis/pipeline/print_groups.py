"""An exhibit kept on one printed page: its heading, its figure and the tables under it.

A figure of a page is three outputs in a row (the heading ``run.heading`` writes, the image,
then the table of its counts or of the number at risk), each a ``jp-OutputArea-child`` of the
cell. The print stylesheet's ``break-after: avoid`` between them is only a wish Chromium gives
up when the three do not fit the rest of a page: it then broke between the heading and its
figure (measured on the time-to-work page: *Figuur T2* at the foot of one page, its curves on
the next). So the outputs of one exhibit are wrapped in one ``div.vwnw-keep`` that print keeps
whole (``break-inside: avoid``) where it fits a page; one taller than a page still breaks
inside, as before.

Written on the exported HTML by hand, as ``table_cards`` is: a parser over the whole page
(its images are large data URLs) was what made nbconvert's own attribute pass slow; only the
``<div>`` tags are counted here.
"""

from __future__ import annotations

import re

_DIV = re.compile(r"<div\b[^>]*>|</div>")
_CHILD = re.compile(r'<div class="jp-OutputArea-child[\s"]')
_HEADING = re.compile(r"<h[2-4]\b")
_FIGURE = 'class="jp-RenderedImage'
_TABLE = "<table"


def output_children(page: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every output child of ``page``, in order (``end`` after its ``</div>``)."""
    found, stack = [], []
    for tag in _DIV.finditer(page):
        if tag.group(0) != "</div>":
            stack.append((tag.start(), bool(_CHILD.match(tag.group(0)))))
            continue
        if stack:
            start, is_child = stack.pop()
            if is_child:
                found.append((start, tag.end()))
    return sorted(found)


def kind(html: str) -> str:
    """What an output child shows: a ``figure``, a ``table``, a ``heading`` (text with a
    heading and nothing else), or ``other``."""
    if _FIGURE in html:
        return "figure"
    if _TABLE in html:
        return "table"
    return "heading" if _HEADING.search(html) else "other"


def exhibit_groups(page: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each run of adjacent output children that make one exhibit: an
    optional heading, a figure, and the tables right under it."""
    children = [(s, e, kind(page[s:e])) for s, e in output_children(page)]
    groups, i = [], 0
    while i < len(children):
        j = i + (children[i][2] == "heading")
        adjacent = j < len(children) and (j == i or not page[children[i][1]:children[j][0]].strip())
        if not (adjacent and children[j][2] == "figure"):
            i += 1
            continue
        end = j
        while end + 1 < len(children) and children[end + 1][2] == "table" \
                and not page[children[end][1]:children[end + 1][0]].strip():
            end += 1
        if end > i:  # a heading or a table beside the figure: something to keep together
            groups.append((children[i][0], children[end][1]))
        i = end + 1
    return groups


def keep_exhibits_together(page: str) -> str:
    """``page`` with each exhibit's outputs (:func:`exhibit_groups`) in one ``div.vwnw-keep``."""
    for start, end in reversed(exhibit_groups(page)):
        page = page[:start] + '<div class="vwnw-keep">' + page[start:end] + "</div>" + page[end:]
    return page


# A table of this many columns or more prints on a landscape page of its own (the page template's
# ``@page wide``): on A4 upright it fitted only at 6.3 pt (review 8), and at 8 pt three stuck out.
WIDE_COLUMNS = 9
_THEAD = re.compile(r"<thead\b.*?</thead>", re.S)
_ROW = re.compile(r"<tr\b.*?</tr>", re.S)
_TH = re.compile(r"<th\b")


def columns(html: str) -> int:
    """The number of columns of the widest header row of the tables in ``html`` (0 without one)."""
    return max((len(_TH.findall(row)) for head in _THEAD.findall(html) for row in _ROW.findall(head)), default=0)


def wide_sections(page: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each wide table's section: the adjacent output children from the
    table's heading (the child right before it that shows a heading and nothing else) through
    the table and the tables right under it (a second table of the same exhibit). Its notes in
    words follow on the upright page: on the landscape page they ran over onto a page of their
    own, a few lines on an empty landscape page (the models page's column key)."""
    children = [(s, e, kind(page[s:e])) for s, e in output_children(page)]
    sections, i = [], 0
    while i < len(children):
        start, end, what = children[i]
        if what != "table" or columns(page[start:end]) < WIDE_COLUMNS:
            i += 1
            continue
        first = i
        if i > 0 and children[i - 1][2] == "heading" and not page[children[i - 1][1]:start].strip() \
                and not (sections and sections[-1][1] > children[i - 1][0]):
            first = i - 1
        last = i
        while last + 1 < len(children) and children[last + 1][2] == "table" \
                and not _HEADING.search(page[children[last + 1][0]:children[last + 1][1]]) \
                and not page[children[last][1]:children[last + 1][0]].strip():
            last += 1
        sections.append((children[first][0], children[last][1]))
        i = last + 1
    return sections


def wide_tables_on_landscape_pages(page: str) -> str:
    """``page`` with each wide table's section (:func:`wide_sections`) in one ``div.vwnw-wide``,
    which print sets on a landscape page (``page: wide``) at the type of every other table."""
    for start, end in reversed(wide_sections(page)):
        page = page[:start] + '<div class="vwnw-wide">' + page[start:end] + "</div>" + page[end:]
    return page
