"""H15-2 (issue 28), leftover: a label ending in an address, escaped as running text
(:func:`analysis.presentation.markup.text`), in a *generated* markdown output (a caption, a
finding, a heading written by the run). The allow-list took the link's address away before
the bare address was unwrapped, so the page showed the label's escapes (``example\\.org``,
``a\\_b``) inside an empty ``<a>``; a label written ``<https://...>`` ended in ``&gt;``."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from nbconvert.filters.markdown_mistune import markdown2html_mistune

from analysis.pipeline.sanitize import generated_markdown_html, markdown_html
from analysis.presentation import markup

LABELS = ["Zie https://example.org/a_b_c", "Zie https://example.org/a*b*c", "Zie https://example.org/x).",
          "Zie [rapport](https://evil.example/r.pdf)", "Logo ![x](https://evil.example/a.png)",
          "Zie <https://evil.example/x>", "Zie https://e.x/a_b_ en _c_", "Zie https://e.x/`a`",
          "Zie https://e.x/a|b", "[x](files/x.csv)", "**niet** geplaatst", "<b>x</b>", "a ~~del~~",
          "x [1]: http://e.x", "Zie https://e.x/&amp;", "Zie https://e.x/a&b", "Zie http://e.x/a\\"]


def _shown(html: str) -> tuple[str, set[str]]:
    soup = BeautifulSoup(html, "html.parser")
    for anchor in soup.find_all("a", class_="anchor-link"):  # the heading's own anchor
        anchor.decompose()
    return soup.get_text().strip(), {t.name for t in soup.find_all(True)} - {"h3", "p"}


@pytest.mark.parametrize("clean", [generated_markdown_html, markdown_html])
@pytest.mark.parametrize("start", ["### Figuur 7. ", "Figuur 7. "])
@pytest.mark.parametrize("label", LABELS)
def test_an_escaped_label_shows_as_written_and_is_no_markup(label, start, clean):
    shown, tags = _shown(clean(markdown2html_mistune(start + markup.text(label))))
    assert shown == start.lstrip("# ") + label and not tags, (shown, tags)


# An exhibit's title and finding are a study file's prose that the page writes into markdown
# unescaped (run.heading of notebook 02, the finding's template): on main as it was, each of
# these loaded and showed on the page as a link, an image, emphasis or an element.
MARKUP_TITLES = {
    "Opleiding, zie [rapport](https://evil.example/r.pdf)": "link or image",
    "Opleiding ![logo](figures/x.png)": "link or image",
    "Opleiding (https://example.org/a_b)": "web address",
    "Opleiding, zie www.example.org": "web address",
    "Opleiding **niet** geplaatst": "emphasis",
    "Opleiding _alleen_ mbo": "emphasis",
    "Opleiding ~~oud~~": "emphasis",
    "Opleiding <b>x</b>": "HTML tag",
    "Opleiding &lt;b&gt;": "character reference",  # shown as an angle bracket
    "Opleiding &#60;b": "character reference",
    "Opleiding `code`": "code",
    "Opleiding\\*": "escape",
    "Opleiding\n# kop": "line break",
}
PLAIN_TITLES = ["Opleiding en leeftijd van de deelnemers aan de pilot (totaal)",
                "Participants' years of service with the dismissing employer",
                "Uitstroom naar werk - 50% of meer, \"stand\" & status: 2021/2022"]


def _study_with(tmp_path, field: str, lang: str, text: str):
    from tests.test_study_exhibits import _copy_study

    def change(doc):
        exhibit = doc["exhibits"]["figuur_07_opleiding_leeftijd"]
        exhibit[field] = dict(exhibit[field], **{lang: text})

    return _copy_study(tmp_path, change)


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("title", sorted(MARKUP_TITLES))
def test_a_title_with_markup_is_refused_on_load_naming_what_the_page_would_read(tmp_path, title, lang):
    from analysis.study import StudyError, load_study

    with pytest.raises(StudyError) as info:
        load_study(_study_with(tmp_path, "title", lang, title))
    message = str(info.value)
    assert f"exhibits.figuur_07_opleiding_leeftijd.title.{lang}" in message
    assert MARKUP_TITLES[title] in message and "plain words" in message


def test_a_finding_with_a_link_is_refused_and_plain_titles_load(tmp_path):
    from analysis.study import StudyError, load_study

    with pytest.raises(StudyError, match=r"finding\.en.*web address"):
        load_study(_study_with(tmp_path, "finding", "en", "The largest group is {group}, see https://e.x/"))
    for i, title in enumerate(PLAIN_TITLES):
        folder = tmp_path / str(i)
        folder.mkdir()
        study = load_study(_study_with(folder, "title", "nl", title))
        assert study.exhibits.get("figuur_07_opleiding_leeftijd").title[0] == title
