"""Executed notebooks published as HTML: a reviewer page (code hidden) and a full page.

- Template ``templates/vwnw_offline.html.j2``: JupyterLab's template without scripts from a
  CDN (pages render offline, with no failed requests in a reviewer's browser).
- :class:`PublishedHTMLExporter`: nbconvert's ``HTMLExporter`` with the same output, made
  cheaper. The upstream exporter parses and re-serialises every page with BeautifulSoup
  only to add alt text to images and keyboard focus (``tabindex``) to cells; that took
  four fifths of the export time. Here the same two attributes are added to the rendered
  text. A test checks, on the real notebooks, that both exporters give pages with the same
  images, alt texts, focusable elements and text.
- A notebook with an image referenced from a markdown cell goes through the upstream
  exporter with ``embed_images`` (that needs the parse), so a page always travels alone.
- Markdown cells, markdown outputs and HTML outputs pass the allow-list of
  :mod:`analysis.pipeline.sanitize` (template blocks ``markdowncell``, ``data_markdown``,
  ``data_html``); SVG outputs are shown as images, never inlined.
- Exporters are created once per process (templates compiled once) and used under a lock.
- Each page is a report page (:mod:`analysis.pipeline.pages`): only its language's
  narrative, the report's title, its links, source citation and table of contents under the
  first heading, the colophon last (the reviewer's in words, the full page's with the record).
  Images carry the alt text the figure code put in the output's metadata (template block
  ``data_png``); a phone shows a figure scaled to its width, whole, with a link to its SVG.
- Each exhibit gets a line of its downloads (:func:`exhibit_downloads`, the files its run
  wrote, matched as the landing page matches them), and its heading, figure and tables are
  kept together in print (:mod:`analysis.pipeline.print_groups`). Both are written with the
  page, in the run's staging folder: a published page is never changed afterwards (the
  runner would find its hash changed and run it again).
"""

from __future__ import annotations

import base64
import copy
import hashlib
import re
import threading
from pathlib import Path
from typing import Any

from nbconvert import HTMLExporter
from nbconvert.exporters.templateexporter import TemplateExporter
from nbconvert.filters.highlight import Highlight2HTML
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

from analysis.pipeline import pages, parameter_cell, print_groups, sanitize, site, table_cards
from analysis.pipeline.site import DOWNLOADS

TEMPLATES = Path(__file__).parent / "templates"
OFFLINE_TEMPLATE = "vwnw_offline.html.j2"
FLAVOURS = (("reviewer", True), ("full", False))  # (folder, hide code)
ZOOM = {"nl": "Open de figuur op volle grootte (SVG, scherp bij elke vergroting)",
        "en": "Open the figure full size (SVG, sharp at any zoom)"}  # under a figure on a phone
NO_ALT = "No description has been provided for this image"  # nbconvert's own wording

_IMG_WITHOUT_ALT = re.compile(r"<img(?![^>]*\balt=)")
_FOCUSABLE_DIV = re.compile(
    r'(<div\b[^>]*?\bclass="(?:[^"]*\s)?(?:jp-Cell-inputWrapper|jp-OutputArea-output)(?=[\s"])[^"]*")')


def add_accessibility(html: str) -> str:
    """What ``HTMLExporter`` adds with BeautifulSoup: alt text on images without one, and
    ``tabindex="0"`` on cell inputs and outputs."""
    html = _IMG_WITHOUT_ALT.sub(f'<img alt="{NO_ALT}"', html)
    return _FOCUSABLE_DIV.sub(r'\1 tabindex="0"', html)


class PublishedHTMLExporter(HTMLExporter):
    """``HTMLExporter`` whose accessibility pass works on the text (see the module)."""

    def from_notebook_node(self, nb: Any, resources: dict | None = None, **kw: Any) -> tuple[str, dict]:
        # HTMLExporter.from_notebook_node (nbconvert 7.17) up to its BeautifulSoup pass
        langinfo = nb.metadata.get("language_info", {})
        lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
        highlight_code = self.filters.get("highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self))
        resources = self._init_resources(resources)
        filter_data_type = WidgetsDataTypeFilter(notebook_metadata=self._nb_metadata, parent=self,
                                                 resources=resources)
        self.register_filter("highlight_code", highlight_code)
        self.register_filter("filter_data_type", filter_data_type)
        html, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
        return add_accessibility(html), resources


_EXPORTERS: dict[tuple[bool, bool], HTMLExporter] = {}
_LOCK = threading.Lock()  # exporters keep per-call state; export is GIL-bound anyway


def exporter(hide_code: bool, markdown_images: bool = False) -> HTMLExporter:
    key = (hide_code, markdown_images)
    if key not in _EXPORTERS:
        cls = HTMLExporter if markdown_images else PublishedHTMLExporter
        _EXPORTERS[key] = cls(
            exclude_input=hide_code, exclude_input_prompt=hide_code, exclude_output_prompt=hide_code,
            embed_images=markdown_images, template_name="lab", extra_template_paths=[str(TEMPLATES)],
            template_file=OFFLINE_TEMPLATE,
            filters={"vwnw_markdown": sanitize.markdown_html, "vwnw_output_html": sanitize.output_html,
                     "vwnw_generated_markdown": sanitize.generated_markdown_html})
    return _EXPORTERS[key]


def has_markdown_images(nb: Any) -> bool:
    return any(c.cell_type == "markdown" and ("![" in c.source or "<img" in c.source) for c in nb.cells)


def as_page(nb: Any, name: str, study: str | None = None, parameters: dict | None = None) -> tuple[Any, str]:
    """A copy of ``nb`` as its page shows it (see :mod:`analysis.pipeline.pages`), and the
    page's language. ``parameters``: the run's own, over the notebook's."""
    lang = pages.page_language(nb)
    params = {**pages.parameters(nb), **(parameters or {})}
    if study:
        params["study"] = study
    page = copy.deepcopy(nb)
    page.cells = pages.for_language(page.cells, lang, pages.has_report(params))
    pages.fill_placeholders(page.cells, pages.study_words(params, lang))
    page.metadata["title"] = pages.report_title(name, lang, params.get("study"))
    return page, lang


def attach_print_svgs(nb: Any, figures: Path) -> int:
    """Give every figure output whose PNG is a file in ``figures`` that file's SVG (metadata
    ``print_svg``, base64), the image the page prints. Returns how many were found."""
    svgs = {}
    for png in sorted(figures.glob("*.png")) if figures.is_dir() else []:
        if png.with_suffix(".svg").is_file():
            svgs[hashlib.sha256(png.read_bytes()).hexdigest()] = png.with_suffix(".svg")
    found = 0
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {}).get("image/png")
            if not data:
                continue
            svg = svgs.get(hashlib.sha256(base64.b64decode(data)).hexdigest())
            if svg is not None:
                meta = output.setdefault("metadata", {}).setdefault("image/png", {})
                meta["print_svg"] = base64.b64encode(svg.read_bytes()).decode("ascii")
                found += 1
    return found


def in_notebook_order(page: Any, order: dict, lang: str = "nl") -> Any:
    """A full page's cells in the notebook's order (the appendix and rerun cells where they
    run, so code never reads before what it uses), the provenance cell still last, the
    parameters cell with only the defaults the run kept (:mod:`analysis.pipeline.parameter_cell`); the
    findings' outputs under the summary's heading all the same (``pages.findings_shown_first``)."""
    full = copy.copy(page)
    full.cells = pages.findings_shown_first(
        sorted(page.cells, key=lambda c: ("provenance" in c.get("metadata", {}).get("tags", []),
                                          order.get(c.get("id"), len(order)))), lang)
    overridden = set(page.metadata.get("papermill", {}).get("parameters", {}))  # shown in the injected cell
    full.cells = parameter_cell.as_run(full.cells, overridden)
    return full


def exhibit_downloads(page: str, run_dir: Path, name: str, params: dict[str, Any]) -> dict[str, list[str]]:
    """Anchor -> the downloads of each exhibit on the run's ``page``: the tables and figures
    the run wrote into ``run_dir`` (its staging folder), matched as the landing page matches
    them (:func:`analysis.pipeline.site.exhibit_files`)."""
    outputs = sorted(f.relative_to(run_dir).as_posix() for folder in ("tables", "figures")
                     if (run_dir / folder).is_dir() for f in (run_dir / folder).rglob("*")
                     if f.is_file() and f.suffix in DOWNLOADS)
    entry = {"parameters": params, "notebook": f"{pages.notebook_stem(name)}.ipynb", "outputs": outputs}
    return site.exhibit_files(page, entry, run_dir / "executed" / f"{name}.ipynb")


def export_html(nb: Any, target_dir: Path, name: str, source_dir: Path | None = None,
                parameters: dict | None = None) -> list[Path]:
    """Write ``<target_dir>/reviewer/<name>.html`` and ``<target_dir>/full/<name>.html``.
    Images a markdown cell refers to are found relative to ``source_dir`` (the notebook's
    folder) and embedded. Figures print from their SVG when the run wrote it beside the
    pages (``<target_dir>/../figures``). ``parameters``: the run's own (the notebook's cells
    may show a private path as ``private input``; the page's data statement names its
    inputs itself)."""
    written = []
    images = has_markdown_images(nb)
    order = {c.get("id"): i for i, c in enumerate(nb.cells)}
    nb, lang = as_page(nb, name, (parameters or {}).get("study"), parameters)
    attach_print_svgs(nb, Path(target_dir).parent / "figures")
    params = {**pages.parameters(nb), **(parameters or {})}
    files: dict[str, list[str]] | None = None  # anchor -> downloads, from the reviewer page (the full one shares them)
    for folder, hide_code in FLAVOURS:
        resources = {"metadata": {"name": name, "path": str(source_dir or Path.cwd())}, "vwnw_zoom": ZOOM[lang]}
        # the reviewer's colophon in words; the full page's code reads in the order it runs
        shown = (pages.with_reader_colophon(pages.without_warnings(nb), params, lang, name) if hide_code
                 else in_notebook_order(nb, order, lang))
        with _LOCK:
            exp = exporter(hide_code, images)
            exp.language_code = lang  # <html lang="...">
            body, _ = exp.from_notebook_node(shown, resources=resources)
        body = table_cards.as_cards(pages.decorate(body, params, lang, name, reader=hide_code))
        if files is None:
            files = exhibit_downloads(body, Path(target_dir).parent, name, params)
        body = print_groups.keep_exhibits_together(
            print_groups.wide_tables_on_landscape_pages(site.with_exhibit_files(body, files, lang)))
        out = target_dir / folder / f"{name}.html"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(body, encoding="utf-8")
        written.append(out)
    return written
