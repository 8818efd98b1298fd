"""A label that looks like an address (a study's name, a category written as a URL) is text on
a page, not a link (H32h, issue 28): markdown's renderer links a bare address before the
label's escapes apply, and showed those escapes as backslashes. A link the page writes as a
link keeps its target."""

import pytest
from nbconvert.filters.markdown_mistune import markdown2html_mistune

from analysis.pipeline.sanitize import markdown_html
from analysis.presentation import markup


@pytest.mark.parametrize("label", ["https://evil.example/x", "http://a.b?x=1&y=2", "www.evil.example",
                                   "mailto:a@b.nl", "Studie (zie https://example.org/p.pdf)"])
def test_a_label_written_as_an_address_shows_as_written_and_links_nowhere(label):
    import html

    page = markdown_html(markdown2html_mistune(f"Studie: {markup.text(label)}"))
    assert "<a" not in page and "\\" not in page
    assert html.escape(label, quote=False) in page


def test_a_link_written_as_a_link_keeps_its_target():
    page = markdown_html(markdown2html_mistune("[rapport](https://example.org/r.pdf)"))
    assert '<a href="https://example.org/r.pdf">rapport</a>' in page
