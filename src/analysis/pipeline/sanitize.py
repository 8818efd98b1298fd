"""HTML that a published page takes from a notebook, reduced to what a report page needs.

A page shows text that can come from inputs: file names (the data statement, the provenance
cell), labels and categories (table cells, captions, sentences in markdown outputs). The
code that writes them escapes them (:mod:`analysis.presentation.styling`,
:mod:`analysis.presentation.markup`); this module is the second line: every markdown cell,
markdown output and HTML output of a page passes through an allow-list of elements and
attributes (bleach, which nbconvert itself uses for ``sanitize_html``), so a value that
slipped through unescaped shows as text or loses its attributes, and never runs as script.

nbconvert's own ``clean_html`` is not used because its allow-list drops headings,
paragraphs and table captions (a page would lose its structure); the list here is what
markdown rendering and the table styling produce. ``<style>`` is kept for the styled
tables (bleach keeps its text as text; a ``</style><script>`` inside it is cut at the
close tag and the script is dropped), unless it loads anything (``url()``, ``@import``) or
escapes characters, in which case it is left out. URLs keep only ``http``, ``https``, ``mailto`` and
relative links; images only raster ``data:`` and relative sources. A link (``<a>``) keeps no
``style``; a link in generated output (a markdown or HTML output, which can hold a label
from an input) keeps no address on another site (a scheme or ``//host``) either: a label
that reached a page unescaped could otherwise plant a styled "download" link to a phishing
site (hostile tester 12, G2); it shows as the text it holds. The project's own links are
relative (downloads, other pages, anchors) and stay links; a notebook's own markdown cell,
written and reviewed with the code, may link to another site.

bleach parses with html5lib (pure Python), which tripled the export time of the DWSRA page.
So HTML whose every tag is plainly harmless (allowed names and attributes, balanced double
quotes, no ``&``, ``:``, backtick, ``'`` or ``<`` inside a tag) is passed as it is; anything
else (a comment, an unknown element, a link with a scheme) goes through bleach. The check
is deliberately stricter than needed: a false alarm costs time, never safety.
"""

from __future__ import annotations

import functools
import re

import bleach
from bleach.css_sanitizer import CSSSanitizer

TEXT_TAGS = {"p", "br", "hr", "em", "strong", "b", "i", "u", "s", "del", "ins", "sub", "sup", "small", "mark",
             "code", "kbd", "samp", "pre", "blockquote", "q", "cite", "abbr", "span", "div", "a",
             "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "details", "summary",
             "figure", "figcaption", "img"}
TABLE_TAGS = {"table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td"}
ATTRIBUTES = {
    "*": ["id", "class", "lang", "title", "dir", "style", "aria-label", "role", "tabindex"],
    "a": ["href", "download", "hreflang"],
    "img": ["src", "alt", "width", "height"],
    "th": ["colspan", "rowspan", "scope"],
    "td": ["colspan", "rowspan"],
    "ol": ["start"],
    "col": ["span"],
    "style": ["type"],
}
PROTOCOLS = {"http", "https", "mailto", "data"}
_SAFE_DATA_IMAGE = re.compile(r"^data:image/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]*$")
_TAG = re.compile(r"<[^>]*>?")
_TAG_NAME = re.compile(r"^</?([a-z][a-z0-9]*)(?=[\s/>])")
_ATTRIBUTE_NAME = re.compile(r"""[\s/"]([^\s=/>"]+)\s*=""")
_ALL_ATTRIBUTES = {a for names in ATTRIBUTES.values() for a in names}
_STYLE_BLOCK = re.compile(r"<style\b[^>]*>(.*?)</style\s*>", re.S | re.I)
_RISKY_CSS = re.compile(r"url\s*\(|@import|expression\s*\(|javascript:|\\", re.I)
_OTHER_HOST = re.compile(r"^(?:[a-z][a-z0-9+.\-]*:|[/\\]{2})", re.I)  # a scheme, or //host (\\host)


def _keep_own_link_attribute(tag: str, name: str, value: str) -> bool:
    """:func:`_keep_attribute`, and no link to another site (generated output)."""
    if tag == "a" and name == "href" and _OTHER_HOST.match(value.strip()):
        return False  # a link to another site in generated output: its text only
    return _keep_attribute(tag, name, value)


def _keep_attribute(tag: str, name: str, value: str) -> bool:
    if name not in ATTRIBUTES.get(tag, []) + ATTRIBUTES["*"]:
        return False
    if tag == "a" and name == "style":
        return False  # a link dressed up by style (a full-width "download" button): a plain link
    if tag == "a" and name == "href" and value.strip().lower().startswith("data:"):
        return False
    if tag == "img" and name == "src":  # data: only for raster images (an SVG data URL can carry script)
        if value.strip().lower().startswith("data:"):
            return bool(_SAFE_DATA_IMAGE.match(value.strip()))
        # relative only: an image from another host is fetched when the page opens and tells that host
        # whatever its address carries (the eighth intruder sent a count in a query string)
        return not _OTHER_HOST.match(value.strip())
    return True


@functools.lru_cache(maxsize=4)
def _cleaner(with_style: bool, generated: bool = True) -> bleach.Cleaner:
    tags = TEXT_TAGS | TABLE_TAGS | ({"style"} if with_style else set())
    return bleach.Cleaner(tags=tags, attributes=_keep_own_link_attribute if generated else _keep_attribute,
                          protocols=PROTOCOLS, strip=True, strip_comments=True, css_sanitizer=CSSSanitizer())


def plainly_harmless(html: str, with_style: bool) -> bool:
    """True when every tag of ``html`` is an allowed element with allowed attributes and
    nothing in a tag could hide another name (see the module docstring)."""
    allowed = TEXT_TAGS | TABLE_TAGS | ({"style"} if with_style else set())
    for tag in _TAG.findall(html):
        name = _TAG_NAME.match(tag)
        if (name is None or name.group(1) not in allowed or not tag.endswith(">") or tag.count('"') % 2
                or "<" in tag[1:] or any(c in tag for c in "&:`'") or "//" in tag or "\\" in tag):
            return False
        names = _ATTRIBUTE_NAME.findall(tag[len(name.group(0)):])
        if any(a not in _ALL_ATTRIBUTES for a in names) or (name.group(1) == "a" and "style" in names):
            return False
    return True


# a link markdown made of a bare address in the text (mistune's url plugin): <a href="...">https://...</a>
_AUTOLINK = re.compile(r'<a href="[^"]*">((?:https?|ftp|mailto):[^<]*|www\.[^<]*)</a>(;?)', re.I)
_MARKDOWN_ESCAPE = re.compile(r"\\([\\`*_\[\]{}()#+\-.!|~>])")
# a bare address ends before an entity's ``;``: an escaped label's ``<https://...>`` is written
# ``&lt;https://...&gt;`` and was linked as ``...&gt`` (shown ``&gt;``, not ``>``)
_ENTITY_CUT = re.compile(r"&amp;(lt|gt|quot)$")


def _unlinked(html: str) -> str:
    """A bare address in text (a label written as a URL) as the text it is, not a link: the
    renderer links it before the label's escapes apply (which it then shows as backslashes).
    A link written as a link (``[text](url)``) keeps its own text and is left as it is; the
    project's own pages write links that way (``<https://...>`` also stays text). Applied before
    the allow-list: in generated output the allow-list drops an address on another site, and
    the link's text then kept the label's escapes (``https://example\\.org/a\\_b``: H15-2)."""
    def text(m: re.Match) -> str:  # a lone backslash at the end escaped the character after the link
        address = _MARKDOWN_ESCAPE.sub(r"\1", m.group(1))
        address = address[:-1] if address.endswith("\\") and not m.group(1).endswith("\\\\") else address
        return _ENTITY_CUT.sub(r"&\1", address) + m.group(2) if m.group(2) else address

    return _AUTOLINK.sub(text, html)


def markdown_html(html: str) -> str:
    """The HTML rendered from a notebook's own markdown cell, reduced to the allow-list; a
    bare address in the text stays text (:func:`_unlinked`)."""
    html = _unlinked(html)  # before the allow-list, which may take the link's address away first
    return html if plainly_harmless(html, False) else _cleaner(False, False).clean(html)


def generated_markdown_html(html: str) -> str:
    """The HTML rendered from a markdown output (generated, perhaps from an input's labels):
    as :func:`markdown_html`, and a link to another site keeps its text only."""
    html = _unlinked(html)  # before the allow-list: it drops an address on another site, and the
    return html if plainly_harmless(html, False) else _cleaner(False).clean(html)  # escapes stayed


def output_html(html: str) -> str:
    """An HTML output (a styled table with its ``<style>``), reduced to the allow-list."""
    clean = html if plainly_harmless(html, True) else _cleaner(True).clean(html)
    return _STYLE_BLOCK.sub(lambda m: "" if _RISKY_CSS.search(m.group(1)) else m.group(0), clean)
