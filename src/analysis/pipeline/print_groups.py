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
