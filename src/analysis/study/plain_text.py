"""A study file's own prose that a page writes into markdown as it is: an exhibit's title
(the page's heading of a table or figure) and its finding sentence (a template whose fields
are filled in escaped). The text is the evaluator's, not the participants', but it is written
into markdown unescaped, so markup in it becomes markup on the page (H15-2, issue 28): a
title ending in ``[rapport](https://...)`` or a bare ``https://...`` became a link, ``![x](...)``
an image, ``**niet**`` or ``_x_`` emphasis that changes what the title says, ``<b>`` an
element; a bidirectional override (U+202E) made ``Functie \\u202eknil`` show as *Functie link*
(hostile round 17). Such a text is refused on load, naming what markdown or HTML would read in
it, or the invisible character by its code point; a title is plain words (parentheses, dashes,
quotes, ``&``, digits and ``%`` are plain)."""

from __future__ import annotations

import re
import unicodedata

# (what the reader would see it as, a pattern that finds it), in the order a message names them
_MARKUP = (
    ("an HTML tag, comment or angle bracket", re.compile(r"[<>]")),
    ("an HTML character reference (&name; or &#...;)", re.compile(r"&(?:[A-Za-z][A-Za-z0-9]*|#[0-9]+|#x[0-9a-f]+);?",
                                                                 re.I)),
    ("a markdown link or image ([text](address), ![alt](address), [text][ref])", re.compile(r"[\[\]]")),
    ("a web address, which the page would make a link (http://, https://, www.)",
     re.compile(r"\b(?:https?|ftp)://|\bwww\.", re.I)),
    ("markdown emphasis, strike-through or code (*, _, ~, `)", re.compile(r"[*_~`]")),
    ("a markdown escape or table bar (\\, |)", re.compile(r"[\\|]")),
    ("a line break (a title is one line)", re.compile(r"[\r\n\u2028\u2029]")),
)


def markup_in(text: str) -> list[str]:
    """What markdown or HTML would read in ``text`` other than plain words, each kind once, with
    the text found (``"a web address ...: 'https://'"``); empty when ``text`` is plain."""
    found = []
    for kind, pattern in _MARKUP:
        if m := pattern.search(text):
            found.append(f"{kind}: {m.group(0)!r}" if m.group(0).isprintable() else kind)
    if hidden := formatting_characters(text):
        found.append("a character that does not show and changes how the text reads (a bidirectional control, "
                     "a zero-width character, a soft hyphen): " + ", ".join(hidden))
    return found


def formatting_characters(text: str) -> list[str]:
    """The distinct invisible formatting characters of ``text`` (Unicode category Cf: U+202E
    shows ``Functie \\u202eknil`` as *Functie link*), each as its code point and name."""
    chars = [c for c in dict.fromkeys(text) if unicodedata.category(c) == "Cf"]
    return [f"U+{ord(c):04X} ({unicodedata.name(c, 'unnamed')})" for c in chars]


def control_problems(doc: object, key: str = "") -> list[tuple[str, None, str]]:
    """(key, None, rule) for every text of a parsed YAML document ``doc`` (keys and values, at
    any depth) holding a control character other than a line break (hostile round 18: an escape
    sequence ``\\x1b[31m`` in a status label passed the study's check and stopped the run minutes
    later at the spreadsheet writer, which refuses it, without naming the key; a carriage
    return before ``=`` began a CSV cell on a new line). The character is named by its code
    point, never written out."""
    if isinstance(doc, dict):
        return [p for k, v in doc.items() for p in (*control_problems(k, key), *control_problems(
            v, f"{key}.{k}" if key else str(k)))]
    if isinstance(doc, list):
        return [p for i, v in enumerate(doc) for p in control_problems(v, f"{key}[{i}]")]
    if not isinstance(doc, str):
        return []
    bad = [c for c in dict.fromkeys(doc) if unicodedata.category(c) == "Cc" and c != "\n"]
    return [(key or "(key)", None, "holds a control character ("
             + ", ".join(f"U+{ord(c):04X}" for c in bad) + "): write the text without it")] if bad else []


def plain_rule(text: object) -> str | None:
    """Why ``text`` may not be a title or finding (the markup found and what to do), or None."""
    found = markup_in(str(text))
    if not found:
        return None
    return (f"is written into the page's markdown as it stands, and holds {'; '.join(found)}: write it as plain "
            "words (a page shows no link, image or emphasis from a study file)")
