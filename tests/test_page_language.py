"""Every word a reviewer reads on a published page is in the page's language, not only
the catalogued labels (``tests/test_language.py``): the running text, the sentences code
cells print, table cells and notes, captions and alt texts.

The check is independent of the label catalogue: it looks for function words that exist in
one language only (``the``, ``which``, ``withheld`` on a Dutch page; ``het``, ``niet``,
``wordt`` on an English one). What is quoted rather than written by us is exempt when the
page marks it so: code (``<code>``, ``<pre>``, the input cells of the full pages) and any
element carrying a ``lang`` attribute other than the page's (a Dutch project name or a
quotation from the report on an English page)."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from analysis import paths

PAGES = sorted((paths.REPORTS / "html" / "reviewer").glob("*.html"))

# Words that exist in one of the two languages only (not "is", "in", "of", "we", "per", "over", "has").
ENGLISH_ONLY = frozenset("""
the and with which from this that these those their there were would should could into about
without within between below above after before only each every when where what who whose
withheld shown computed rows columns column row group groups because than while however
not estimable estimate participants uptake report's reports printed published number numbers
to for are its our own ours also against both error rounding loaded validated computable recomputed checked
appendix section line lines table figure source sources total text claim claims finding findings round rounds
running projects costs subsidy share spread unknown coded
""".split())
DUTCH_ONLY = frozenset("""
de het een van en niet met voor zijn wordt worden door bij naar uit ook dat die deze dit aan
als maar nog geen tot dan meer wel er om alle elke ieder heeft hebben kan moet zij hun waar
wat hoe tussen zonder onder tabel figuur deelnemers uitstroom gegevens aantal aantallen
op ook naar gedrukte regel regels rapport projecten bedragen ronde rondes lopende toelichting beschikking
wijkt afronding bron paragraaf bijlage kosten subsidie aandeel onbekend gecodeerd eigen ons onze wij
ingelezen gecontroleerd nagerekend
""".split())
WORD = re.compile(r"[A-Za-zÀ-ÿ']+")


def readable_text(soup: BeautifulSoup, lang: str) -> list[str]:
    """The texts of the page a reviewer reads, without code and without what the page
    marks as another language."""
    # code cells' input only: a markdown cell's text sits in a .jp-InputArea too
    for el in soup.select("script, style, code, pre, .jp-CodeCell .jp-InputArea, .code_cell .input_area"):
        el.decompose()
    for el in soup.select("[lang]"):
        if el.name != "html" and el.get("lang") != lang:
            el.decompose()
    texts = [s.strip() for s in soup.body.stripped_strings] if soup.body else []
    texts += [img.get("alt", "") for img in soup.find_all("img")]
    texts += [soup.title.get_text()] if soup.title else []
    return [t for t in texts if t]


def foreign_words(texts: list[str], lang: str) -> dict[str, str]:
    """Each word of the other language found, with the first text it occurs in."""
    other = ENGLISH_ONLY if lang == "nl" else DUTCH_ONLY
    found: dict[str, str] = {}
    for text in texts:
        for word in WORD.findall(text):
            w = word.lower()
            if w in other and w not in found:
                found[w] = text[:140]
    return found


@pytest.mark.skipif(not PAGES, reason="needs reports/html (make report runs before the tests)")
@pytest.mark.parametrize("path", PAGES, ids=[p.stem for p in PAGES])
def test_every_text_on_the_page_is_in_its_language(path):
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    lang = soup.html.get("lang")
    assert lang in ("nl", "en"), f"{path.name}: <html lang={lang!r}>"
    found = foreign_words(readable_text(soup, lang), lang)
    assert not found, f"{path.name} ({lang}): words of the other language:\n" + "\n".join(
        f"  {w!r} in: {t}" for w, t in sorted(found.items()))


@pytest.mark.skipif(not PAGES, reason="needs reports/html (make report runs before the tests)")
def test_both_reports_are_published_in_both_languages():
    langs: dict[str, set] = {}
    for p in PAGES:
        soup = BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser")
        langs.setdefault(p.stem.split("-")[0], set()).add(soup.html.get("lang"))
    assert langs and all(v == {"nl", "en"} for v in langs.values()), langs


def test_the_check_finds_a_sentence_of_the_other_language_and_respects_marked_quotes():
    page = ("<html lang='nl'><body><p>Dit is de tabel.</p><p>The rows withheld.</p>"
            "<p lang='en'>the quoted report</p><code>the code</code></body></html>")
    soup = BeautifulSoup(page, "html.parser")
    assert set(foreign_words(readable_text(soup, "nl"), "nl")) == {"the", "rows", "withheld"}
    english = BeautifulSoup("<html lang='en'><body><p>The table <span lang='nl'>Van werk naar werk</span>"
                            "</p><p>niet gevonden</p></body></html>", "html.parser")
    assert set(foreign_words(readable_text(english, "en"), "en")) == {"niet"}


def test_markdown_cells_are_read_and_code_cells_input_is_not():
    page = ("<html lang='nl'><body>"
            "<div class='jp-Cell jp-MarkdownCell'><div class='jp-InputArea'><p>Rows withheld here.</p></div></div>"
            "<div class='jp-Cell jp-CodeCell'><div class='jp-InputArea'>print('the rows')</div>"
            "<div class='jp-OutputArea'>De tabel.</div></div></body></html>")
    soup = BeautifulSoup(page, "html.parser")
    assert set(foreign_words(readable_text(soup, "nl"), "nl")) == {"rows", "withheld"}
