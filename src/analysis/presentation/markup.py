"""Text from inputs written into markdown that a page renders (a sentence naming a file or a
label, the provenance cell), so that it shows as written and never as markup.

Written by hand because markdown has no escaping function in the libraries the project uses:
mistune (nbconvert's renderer) renders, it does not quote. Two cases:

- :func:`text`: running text. HTML special characters become entities and markdown's own
  punctuation (``*_`[]<>#|~!\\``) is backslash-escaped, so ``<img onerror=...>`` or
  ``**x**`` in a file name shows as those characters.
- :func:`code`: a code span (``\\`name\\```). A backtick inside the text cannot end the span:
  the fence is one backtick longer than the longest run inside (CommonMark's rule), with a
  space inside the fence when the text starts or ends with a backtick. Inside a code span
  mistune escapes ``<`` and ``&`` itself.
"""

from __future__ import annotations

import html
import re

_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]{}()#+\-.!|~>])")
_NEWLINES = re.compile(r"\s*\n\s*")


def text(value: object) -> str:
    """``value`` as markdown running text that renders as exactly these characters."""
    flat = _NEWLINES.sub(" ", str(value))  # a newline could start a heading or a list
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", html.escape(flat, quote=False))


def code(value: object) -> str:
    """``value`` as a markdown code span that no character inside can end early."""
    flat = _NEWLINES.sub(" ", str(value))
    longest = max((len(run) for run in re.findall(r"`+", flat)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if flat.startswith("`") or flat.endswith("`") or not flat.strip() else ""
    return f"{fence}{pad}{flat}{pad}{fence}"
