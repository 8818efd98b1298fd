"""The published HTML: the faster exporter gives the pages nbconvert's own HTMLExporter
gives (same images, alt texts, focusable cells and text), for the real notebooks."""

import re

import nbformat
import pytest
from bs4 import BeautifulSoup
from nbconvert import HTMLExporter

from analysis import paths
from analysis.pipeline import html_export

EXECUTED = sorted((paths.REPORTS / "executed").glob("*.ipynb"))


def upstream(nb, hide_code):
    return HTMLExporter(exclude_input=hide_code, exclude_input_prompt=hide_code, exclude_output_prompt=hide_code,
                        template_name="lab", extra_template_paths=[str(html_export.TEMPLATES)],
                        template_file=html_export.OFFLINE_TEMPLATE,
                        filters=html_export.exporter(hide_code).filters).from_notebook_node(nb)[0]


def summary(html):
    soup = BeautifulSoup(html, "html.parser")
    return {
        "images": [(img.get("src", "")[:80], img.get("alt")) for img in soup.find_all("img")],
        "focusable": [" ".join(d.get("class", [])) for d in soup.find_all("div", attrs={"tabindex": "0"})],
        "text": re.sub(r"\s+", " ", soup.get_text()).strip(),
    }


@pytest.mark.skipif(not EXECUTED, reason="needs reports/executed (make report runs before the tests)")
@pytest.mark.parametrize("path", EXECUTED, ids=[p.stem for p in EXECUTED])
@pytest.mark.parametrize("hide_code", [True, False], ids=["reviewer", "full"])
def test_published_pages_match_nbconvert_html_exporter(path, hide_code):
    nb = nbformat.read(path, as_version=4)
    ours = summary(html_export.exporter(hide_code).from_notebook_node(nb)[0])
    theirs = summary(upstream(nb, hide_code))
    assert ours["images"] == theirs["images"]
    assert ours["focusable"] == theirs["focusable"]
    assert ours["text"] == theirs["text"]
    assert ours["images"] and ours["focusable"], "a real notebook has figures and cells"


def test_accessibility_pass_adds_alt_text_and_focus_only_where_missing():
    html = ('<div class="jp-Cell-inputWrapper"><img src="a.png"><img alt="kept" src="b.png"></div>'
            '<div id="x" class="jp-RenderedText jp-OutputArea-output other">t</div>'
            '<div class="jp-OutputArea-output-not">u</div>')
    out = html_export.add_accessibility(html)
    assert out.count('tabindex="0"') == 2
    assert f'<img alt="{html_export.NO_ALT}" src="a.png">' in out and '<img alt="kept" src="b.png">' in out
    assert '<div class="jp-OutputArea-output-not">' in out


def test_an_image_referenced_from_markdown_is_embedded_in_both_pages(tmp_path):
    png = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15"
           b"\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
    (tmp_path / "logo.png").write_bytes(png)
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("![logo](logo.png)")])
    pages = html_export.export_html(nb, tmp_path / "out", "nb", source_dir=tmp_path)
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert 'src="data:image/png;base64,' in html and 'src="logo.png"' not in html, page.name


def _page_nb(language="nl"):
    params = nbformat.v4.new_code_cell(
        f'language = "{language}"\nregister_path = "data/raw/dwsra_project_register.csv"')
    params.metadata["tags"] = ["parameters"]
    cells = [nbformat.v4.new_markdown_cell("# Titel"), params,
             nbformat.v4.new_markdown_cell("## 1 Eerste deel"), nbformat.v4.new_markdown_cell("### Tabel 2.1 Iets"),
             nbformat.v4.new_markdown_cell("## 2 Tweede deel"), nbformat.v4.new_markdown_cell("## 2 Second part")]
    cells[4].metadata["tags"] = ["lang-nl"]
    cells[5].metadata["tags"] = ["lang-en"]
    prov = nbformat.v4.new_markdown_cell("**Provenance.** run")
    prov.metadata["tags"] = ["provenance"]
    return nbformat.v4.new_notebook(cells=[prov] + cells)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_page_has_its_language_title_data_statement_and_table_of_contents(tmp_path, language):
    from analysis.files import sha256_file

    reviewer, full = html_export.export_html(_page_nb(language), tmp_path, "01_dwsra_portfolio-x")
    soup = BeautifulSoup(reviewer.read_text(encoding="utf-8"), "html.parser")
    assert soup.html["lang"] == language
    assert soup.title.get_text() == ("Evaluatie DWSRA 2018: het projectenportfolio" if language == "nl"
                                     else "DWSRA interim evaluation 2018: the project portfolio")
    text = soup.get_text(" ")
    assert ("Tweede deel" in text) == (language == "nl") and ("Second part" in text) == (language == "en")
    digest = sha256_file(paths.PROJECT_ROOT / "data/raw/dwsra_project_register.csv")[:16]
    settings = soup.select_one("dl.vwnw-settings").get_text(" ")  # the reviewer: the file by name, no hash
    assert "dwsra_project_register.csv" in settings and digest not in soup.get_text() and "register_path" not in text
    toc = [a.get_text() for a in soup.select("nav.vwnw-toc a")]
    colophon = ["Colofon", "Instellingen van deze pagina", "Herkomst"] if language == "nl" else \
        ["Colophon", "Settings of this page", "Provenance"]
    assert toc == ["1 Eerste deel", "Tabel 2.1 Iets", "2 Tweede deel" if language == "nl" else "2 Second part",
                   *colophon]
    for a in soup.select("nav.vwnw-toc a"):
        assert soup.find(id=a["href"][1:]) is not None, a["href"]
    full_page = BeautifulSoup(full.read_text(encoding="utf-8"), "html.parser")
    statement = full_page.select_one("p.vwnw-data").get_text(" ")  # the full page: the file by path and hash
    assert "data/raw/dwsra_project_register.csv" in statement and digest in statement
    cells = full_page.select(".jp-Cell")
    assert "Provenance" in cells[-1].get_text(), "the provenance goes last"


def test_figure_alt_text_comes_from_the_output_metadata(tmp_path):
    from IPython.display import Image

    png = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15"
           b"\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
    alt = 'Figuur 7. "Opleiding" & leeftijd'
    data, md = Image(data=png, format="png", width=10, metadata={"alt": alt})._repr_png_()
    cell = nbformat.v4.new_code_cell("fig")
    cell.outputs = [nbformat.v4.new_output("display_data", data={"image/png": data}, metadata={"image/png": md})]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# T"), cell])
    for page in html_export.export_html(nb, tmp_path, "x"):
        img = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").find("img")
        assert img["alt"] == alt and img["width"] == "10"
