"""The published ``reports/html`` in a real browser: headless Chromium driven by Selenium
(``make browser-test`` runs ``make report`` first). ``tests/chromium.py`` finds Chromium and
chromedriver without sudo; when there are none the test is skipped saying how to install
them, and in CI (``CI`` set, as ``.ci/run`` does) it fails instead.

The site is served over HTTP on localhost, as a reviewer's static host would. Only
``reports/html`` is served (as a reviewer's host would serve the published folder), so a
link that leaves it fails. Checked: the index loads and lists every reviewer page; every
link and download resolves, anchors included; every figure image has decoded and has alt
text; the console has no errors; the reviewer flavour shows no code; every reviewer page has
a table of contents whose links land on its headings, a caption on every table it shows and
a numbered heading above every figure; no element sticks out horizontally. Screenshots for a
person to look at are not a test: ``make pdf ARGS="--screenshots DIR"`` saves every page at 1366
and 390 px (a test that saved them took 2 % of the suite's time, compared with nothing)."""

from __future__ import annotations

import functools
import http.server
import os
import threading
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urljoin, urlparse

import chromium
import pytest

from analysis import paths

pytestmark = pytest.mark.browser

REPORTS = Path(os.environ.get("VWNW_REPORTS", paths.PROJECT_ROOT / "reports"))
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--hide-scrollbars", "--window-size=1280,900")


@pytest.fixture(scope="module")
def site():
    html = REPORTS / "html"
    if not (html / "index.html").exists():
        pytest.fail(f"{html}/index.html does not exist: run `make report` first (make browser-test does)")
    handler = functools.partial(_QuietHandler, directory=str(html))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep pytest output clean
        pass

    def handle(self):
        try:
            super().handle()
        except (ConnectionResetError, BrokenPipeError):  # the browser closed a connection early
            pass


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    found = chromium.find()
    if found is None:
        why = f"no Chromium with chromedriver found.\n{chromium.HOW_TO_INSTALL}"
        if chromium.in_ci():
            pytest.fail(f"CI is set and the browser test must run: {why}")
        pytest.skip(why)
    opts = webdriver.ChromeOptions()
    opts.binary_location = found.browser
    for flag in FLAGS:
        opts.add_argument(flag)
    opts.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=opts, service=Service(executable_path=found.driver))
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def _visit(browser, url: str) -> dict:
    """Load ``url``; return its title, links, undecoded images, console errors and code cells."""
    browser.get(url)
    return {
        "title": browser.title,
        "links": browser.execute_script(
            "return Array.from(document.querySelectorAll('a[href]')).map(a => a.getAttribute('href'))"),
        "images": browser.execute_script("return document.images.length"),
        "broken_images": browser.execute_script(
            "return Array.from(document.images).filter(i => !i.complete || i.naturalWidth === 0)"
            ".map(i => (i.getAttribute('src') || '').slice(0, 60))"),
        "errors": [e for e in browser.get_log("browser") if e.get("level") == "SEVERE"],
        "code_cells": browser.execute_script(
            "return document.querySelectorAll('.jp-CodeCell .jp-InputArea, .jp-CodeMirrorEditor, "
            ".jp-InputPrompt').length"),
        "shows_source": browser.execute_script("return document.body.innerText.includes('from analysis')"),
    }


def _pages(browser, site) -> dict[str, dict]:
    index = _visit(browser, urljoin(site, "index.html"))
    pages = {"index.html": index}
    for href in index["links"]:
        if urlparse(href).scheme or href.startswith("#"):
            continue
        path = urlparse(href).path
        if path.endswith(".html") and path not in pages:
            pages[path] = _visit(browser, urljoin(site, path))
    return pages


@pytest.fixture(scope="module")
def pages(browser, site):
    return _pages(browser, site)


@pytest.fixture(scope="module")
def printed(browser) -> dict[str, bytes]:
    """Each page's PDF by page, printed once per browser: two tests read the same PDF of every
    reviewer page (it took a quarter of the landscape test's time to print it again)."""
    return {}


def _pdf(browser, printed: dict[str, bytes], page: str) -> bytes:
    """The PDF of ``page``, loaded in ``browser`` with no emulation left on (as printed once)."""
    if page not in printed:
        printed[page] = print_pages.print_pdf(browser)
    return printed[page]


def test_index_loads_and_lists_every_reviewer_page(pages):
    index = pages["index.html"]
    assert index["title"], "index.html has no title"
    reviewer = sorted(p.name for p in (REPORTS / "html" / "reviewer").glob("*.html"))
    linked = sorted({Path(urlparse(h).path).name for h in index["links"] if h.startswith("reviewer/")})
    assert linked == reviewer, f"index links {linked}, reviewer pages {reviewer}"


def test_every_link_resolves(pages, site):
    failures = []
    for page, info in pages.items():
        base = urljoin(site, page)
        for href in info["links"]:
            if href.startswith("#") or urlparse(href).scheme in ("mailto", "data"):
                continue
            if urlparse(href).scheme in ("http", "https") and not href.startswith(site):
                failures.append(f"{page}: external link {href} (the site must work offline)")
                continue
            url, _, anchor = urljoin(base, href).partition("#")
            try:
                with urllib.request.urlopen(url, timeout=10) as r:
                    if r.status != 200:
                        failures.append(f"{page}: {href} -> HTTP {r.status}")
                    elif anchor and f'id="{anchor}"'.encode() not in r.read():
                        failures.append(f"{page}: {href} -> no element with id {anchor!r}")
            except urllib.error.URLError as exc:
                failures.append(f"{page}: {href} -> {exc}")
    assert not failures, "\n".join(failures)


def test_every_figure_renders(pages):
    for page, info in pages.items():
        assert not info["broken_images"], f"{page}: images not rendered: {info['broken_images']}"
    notebooks = {p: i for p, i in pages.items() if not p.startswith("index")}
    assert notebooks and all(i["images"] > 0 for i in notebooks.values()), \
        {p: i["images"] for p, i in notebooks.items()}


def test_no_console_errors(pages):
    errors = {p: [e["message"][:200] for e in i["errors"]] for p, i in pages.items() if i["errors"]}
    assert not errors, errors


def test_reviewer_pages_show_no_code_and_full_pages_do(pages):
    for page, info in pages.items():
        if page.startswith("reviewer/"):
            assert info["code_cells"] == 0, f"{page} shows {info['code_cells']} code elements"
            assert not info["shows_source"], f"{page} shows source code"
        elif page.startswith("full/"):
            assert info["code_cells"] > 0 and info["shows_source"], f"{page} shows no code"


NO_ALT = "No description has been provided for this image"

PAGE_CHECKS = """
const out = {};
const toc = document.querySelector('nav.vwnw-toc');
out.toc_links = toc ? Array.from(toc.querySelectorAll('a')).map(a => a.getAttribute('href')) : null;
out.toc_broken = (out.toc_links || []).filter(h => !document.getElementById(h.slice(1))
  && !document.getElementById(decodeURIComponent(h.slice(1))));
out.tables_without_caption = Array.from(document.querySelectorAll('.jp-OutputArea-output table'))
  .filter(t => !t.querySelector('caption') || !t.querySelector('caption').innerText.trim()).length;
out.tables = document.querySelectorAll('.jp-OutputArea-output table').length;
out.bad_alt = Array.from(document.images).map(i => i.getAttribute('alt') || '')
  .filter(a => a.length < 20 || a.includes('No description'));
// h4: a figure under a report's section (3.1.1 Instroom in de pilot, then Figuur 7 as h4)
const headings = Array.from(document.querySelectorAll('h1, h2, h3, h4'));
out.figures_without_heading = Array.from(document.querySelectorAll('.jp-RenderedImage img')).filter(img => {
  const before = headings.filter(h => h.compareDocumentPosition(img) & Node.DOCUMENT_POSITION_FOLLOWING);
  const h = before[before.length - 1];
  return !h || !/^(Figuur|Figure) /.test(h.innerText.trim());
}).length;
const width = document.documentElement.clientWidth;
const clipped = el => { for (let p = el.parentElement; p; p = p.parentElement) {
  const o = getComputedStyle(p).overflowX; if (o === 'auto' || o === 'scroll' || o === 'hidden') return true; }
  return false; };
out.overflowing = Array.from(document.body.querySelectorAll('*')).filter(el => {
  const r = el.getBoundingClientRect(); return r.width > 0 && r.right > width + 1 && !clipped(el); })
  .map(el => el.tagName + '.' + el.className).slice(0, 5);
out.page_scrolls_sideways = document.documentElement.scrollWidth > width + 1;
out.data_statement = !!document.querySelector('dl.vwnw-settings');  // the settings, inputs by name
return out;
"""


def _reviewer_pages(site):
    return sorted(f"reviewer/{p.name}" for p in (REPORTS / "html" / "reviewer").glob("*.html"))


def test_reviewer_pages_read_as_report_pages(browser, site):
    problems = {}
    for page in _reviewer_pages(site):
        browser.get(urljoin(site, page))
        info = browser.execute_script(PAGE_CHECKS)
        found = []
        if not info["toc_links"]:
            found.append("no table of contents")
        found += [f"table of contents link {h} leads nowhere" for h in info["toc_broken"]]
        if info["tables_without_caption"]:
            found.append(f"{info['tables_without_caption']} of {info['tables']} tables without a caption")
        found += [f"image alt text {a!r}" for a in info["bad_alt"]]
        if info["figures_without_heading"] and not Path(page).stem.startswith(UNNUMBERED_FIGURES):
            found.append(f"{info['figures_without_heading']} figures without a numbered heading above them")
        if info["overflowing"] or info["page_scrolls_sideways"]:
            found.append(f"sticks out horizontally: {info['overflowing']}")
        if not info["data_statement"]:
            found.append("no statement of the data the page was made from")
        if found:
            problems[page] = found
    assert not problems, "\n".join(f"{p}: {f}" for p, fs in problems.items() for f in fs)


# --- Pages a reviewer accepts (issue 26) and hostile inputs (issue 28) -------------------------

import importlib.util  # noqa: E402
import re  # noqa: E402
import sys  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
import print_pages  # noqa: E402

PWNED = "window.vwnwInjected=1"
HOSTILE_IN_BROWSER = [f"<img src=x onerror={PWNED}>", f"<script>{PWNED}</script>", f"a`b<img src=y onerror={PWNED}>`c",
                      f"<svg onload={PWNED}>", f'<a href="javascript:{PWNED}" id="vwnw-js-link">x</a>',
                      f"<details open ontoggle={PWNED}>", f"<iframe srcdoc='<script>parent.{PWNED}</script>'></iframe>"]


def _hostile_site(tmp: Path) -> Path:
    """A site with one page and a landing page made from inputs named and labelled with the
    payloads above (the real export code: styling, markdown, provenance, data statement)."""
    spec = importlib.util.spec_from_file_location("test_escaping", Path(__file__).parent / "test_escaping.py")
    escaping = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(escaping)
    from analysis.pipeline import html_export, site

    for i, payload in enumerate(HOSTILE_IN_BROWSER):
        escaping.FILE_NAME, escaping.LABEL, escaping.BACKTICK = payload + ".csv", payload, f"`{payload}`"
        html_export.export_html(escaping.hostile_notebook(), tmp / "html", f"02_pilot_participants-h{i}")
    state = {f"02_pilot_participants-h{i}": {"status": "ok", "outputs": [], "parameters": {
        "language": "nl", "participants_path": f"data/raw/{p}.csv", "label": p}}
        for i, p in enumerate(HOSTILE_IN_BROWSER)}
    (tmp / "html" / "index.html").write_text(site.build_index(tmp, state), encoding="utf-8")
    return tmp / "html"


def test_pages_made_from_hostile_inputs_run_no_script(browser, tmp_path):
    html = _hostile_site(tmp_path)
    problems = []
    with print_pages.serve(html) as base:
        for page in ["index.html", *(f"{f}/{p.name}" for f in ("reviewer", "full")
                                     for p in sorted((html / f).glob("*.html")))]:
            browser.get(base + page)
            found = browser.execute_script(
                "document.querySelectorAll('details').forEach(d => d.open = !d.open);"
                "const js = document.getElementById('vwnw-js-link'); if (js) js.click();"
                "return {ran: window.vwnwInjected === 1, injected: Array.from(document.querySelectorAll("
                "'body script:not([type=module]), body iframe, body svg, body object, body embed, [onerror], [onload], "
                "[ontoggle], a[href^=javascript]')).map(e => e.tagName)}")
            if found["ran"] or found["injected"]:
                problems.append(f"{page}: {found}")
            shown = browser.execute_script("return document.body.innerText")
            i = re.search(r"-h(\d+)\.html$", page)
            expected = [HOSTILE_IN_BROWSER[int(i.group(1))]] if i else HOSTILE_IN_BROWSER
            if not all(p in shown for p in expected):
                problems.append(f"{page}: the hostile text is not shown as text")
    assert not problems, "\n".join(problems)


def _all_pages() -> list[str]:
    return print_pages.published_pages(REPORTS / "html")


def test_every_page_prints_on_a4_and_fits_a_phone(browser, site, printed):
    """At A4's text width in print media no table is wider than the paper (print has no
    scrollbars, so it would be cut), nothing sticks out and no word of a table cell is split
    over two lines (file names, hashes and code excepted); at 390 px nothing makes the page
    scroll sideways (wide tables scroll inside their own box). Every page prints to a PDF."""
    problems = []
    for page in _all_pages():
        browser.get(urljoin(site, page))
        for width, media in ((print_pages.A4_CONTENT_PX, "print"), (390, "screen")):
            found = print_pages.layout_problems(browser, width, media)
            if any(found.get(k) for k in print_pages.PROBLEMS):  # broken words too: no 'Triagep|ad' in print
                problems.append(f"{page} at {width} px ({media}): {found}")
        if page.startswith("reviewer/"):
            pdf = _pdf(browser, printed, page)
            assert pdf.startswith(b"%PDF") and len(pdf) > 10_000, page
    assert not problems, "\n".join(problems)


def test_every_page_links_to_the_landing_page_its_twin_downloads_and_sources(browser, site):
    problems = []
    for page in _all_pages():
        if page.startswith("index"):
            continue
        browser.get(urljoin(site, page))
        hrefs = browser.execute_script(
            "return Array.from(document.querySelectorAll('nav.vwnw-links a')).map(a => a.getAttribute('href'))")
        lang = browser.execute_script("return document.documentElement.lang")
        name = Path(page).stem
        index = "../index-en.html" if lang == "en" else "../index.html"  # the landing page in the page's language
        wanted = [index, f"{index}#{name}"]
        missing = [h for h in wanted if h not in hrefs] + \
            ([] if any(h.startswith(f"{index}#bron") for h in hrefs) else [f"{index}#bron..."])
        if missing:
            problems.append(f"{page}: no link to {missing}")
    assert not problems, "\n".join(problems)


NUMBER = re.compile(r"^(Tabel|Figuur|Table|Figure)\s+([A-Z]\.\d+|[A-Z]?\d+(?:\.\d+)*[a-z]?)\b")  # A.1 too (review 7)


def test_no_exhibit_number_is_used_twice_on_a_page(browser, site):
    problems = []
    for page in _reviewer_pages(site):
        browser.get(urljoin(site, page))
        texts = browser.execute_script(
            "return Array.from(document.querySelectorAll('main h2, main h3, main h4, main caption'))"
            ".map(e => e.innerText.trim())")
        numbers = [f"{m.group(1)} {m.group(2)}" for t in texts if (m := NUMBER.match(t))]
        twice = sorted({n for n in numbers if numbers.count(n) > 1})
        if twice:
            problems.append(f"{page}: {twice}")
    assert not problems, "\n".join(problems)


def _parameter_names() -> set[str]:
    import nbformat

    from analysis.pipeline import pages

    names = set()
    for nb in sorted((paths.PROJECT_ROOT / "notebooks").glob("*.ipynb")):
        names |= set(pages.parameters(nbformat.read(nb, as_version=4)))
    return {n for n in names if "_" in n}  # one-word names (language) are ordinary words


# "onthullingsbeheersing": the Dutch statistical offices say "statistische beveiliging" (review 9)
JARGON = ("onthullingsbeheersing", "Onthullingsbeheersing",
          "p_holm", "group_n", "ci_method", "firthmodels", "MNLogit", "statsmodels", "pijplijn", "pipeline",
          "HC3", "OLS", "PHReg", "SurvfuncRight", "CumIncidenceRight", "lifelines", "Brent", "LR-toets",
          "const", "predictor[level]", "testsuite", "test suite")


def _jargon(browser, site, pages: list[str]) -> list[str]:
    """The jargon on ``pages``, their colophon included (a reviewer page's colophon gives the
    settings in words; parameter names, versions and hashes are the full page's)."""
    words = sorted(_parameter_names()) + list(JARGON)
    problems = []
    for page in pages:
        browser.get(urljoin(site, page))
        text = browser.execute_script("return (document.querySelector('main') || document.body).innerText")
        found = sorted({w for w in words if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text)})
        if found:
            problems.append(f"{page}: {found}")
    return problems


# Pages whose figures may lack a numbered heading (none: notebook 04 numbers its own T1, T2, ...).
UNNUMBERED_FIGURES: tuple[str, ...] = ()


def test_reviewer_text_names_no_parameters_column_codes_or_libraries(browser, site):
    """A reviewer's text (everything but the provenance at the end) names no parameter of
    the notebooks, no CSV column code and no library: every reviewer page, notebook 04's too."""
    pages = _reviewer_pages(site)
    assert any(Path(p).stem.startswith("04_time_to_work") for p in pages)
    problems = _jargon(browser, site, pages + ["index.html", "index-en.html"])  # landing pages: settings in words
    assert not problems, "\n".join(problems)


def _on_a_phone(browser, script: str):
    """The result of ``script`` on the page loaded in ``browser``, seen at 390 px."""
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": 390, "height": 900, "deviceScaleFactor": 1, "mobile": True})
    try:
        return browser.execute_script(script)
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


FIGURE_TEXT = """
return Array.from(document.querySelectorAll('.jp-RenderedImage')).map(box => {
  const img = box.querySelector('img.vwnw-screen, img:not(.vwnw-print)');
  if (!img || getComputedStyle(img).display === 'none') return null;
  const print = box.querySelector('img.vwnw-print'), link = box.querySelector('a.vwnw-zoom-hint');
  let smallest = null;
  if (print) {  // the figure's SVG: its text's font sizes in the units of its viewBox
    const svg = atob(print.getAttribute('src').split(',')[1]);
    const view = /viewBox="[-\\d.]+ [-\\d.]+ ([\\d.]+)/.exec(svg);
    const sizes = Array.from(svg.matchAll(/font(?:-size)?:\\s*(?:[a-z]+\\s+)*([\\d.]+)px/g)).map(m => +m[1]);
    if (view && sizes.length) smallest = Math.min(...sizes) * img.getBoundingClientRect().width / +view[1];
  }
  const shown = img.getBoundingClientRect(), inside = box.getBoundingClientRect();
  return {right: Math.round(inside.right), text_px: smallest,
          whole: shown.left >= inside.left - 1 && shown.right <= inside.right + 1 && shown.right <= innerWidth + 1,
          link: link && getComputedStyle(link).display !== 'none' ? link.getAttribute('href') : null};
}).filter(x => x);
"""


def test_figures_are_whole_on_a_phone_with_a_link_to_their_svg(browser, site):
    """At 390 px every figure is scaled to the page's width, whole inside its box and the screen
    (review 11: drawn wider, at the width where its smallest text was 9 px, it was clipped inside
    a box that scrolled sideways), with a link under it to its SVG among the downloads (sharp at any
    zoom, for the smallest text: its size as drawn is measured, and must still be drawn)."""
    problems = []
    for page in _reviewer_pages(site):
        browser.get(urljoin(site, page))
        found = _on_a_phone(browser, FIGURE_TEXT)
        past = [f["right"] for f in found if f["right"] > 390]
        cut = sum(not f["whole"] for f in found)
        unmeasured = sum(not f["text_px"] for f in found)
        unlinked = [f["link"] for f in found
                    if not (f["link"] and f["link"].startswith("../files/figures/") and f["link"].endswith(".svg"))]
        if past or cut or unmeasured or unlinked or not found:
            problems.append(f"{page}: box past the screen {past}, {cut} figure(s) cut, {unmeasured} without an SVG, "
                            f"links {unlinked}, figures {len(found)}")
    assert not problems, "\n".join(problems)


# a card's label narrower than its longest word (review 13: "Opmerking" beside a long note, broken "Op/me/rki/ng")
BROKEN_LABELS = """
const canvas = document.createElement('canvas').getContext('2d');
return Array.from(document.querySelectorAll('table.vwnw-cards td[data-label], table.vwnw-cards th[data-label]'))
  .filter(c => c.getBoundingClientRect().width > 0).filter(c => {
    const before = getComputedStyle(c, '::before');
    canvas.font = before.font;
    const longest = Math.max(...c.dataset.label.split(/\\s+/).map(w => canvas.measureText(w).width));
    return parseFloat(before.width) + 1 < longest; }).map(c => c.dataset.label);
"""


def test_tables_keep_every_count_in_view_on_a_phone(browser, site):
    """At 390 px no count of a table lies outside its box (out of sight to the right): a wide
    table reads as one card per row, each value beside its column's name, and no name is
    broken inside a word by a long value beside it."""
    problems = []
    for page in _reviewer_pages(site):
        browser.get(urljoin(site, page))
        hidden = _on_a_phone(
            browser, "return Array.from(document.querySelectorAll('.jp-RenderedHTML table')).filter(t => "
            "t.getBoundingClientRect().width > 0).filter(t => { const box = t.closest('.jp-OutputArea-output')"
            ".getBoundingClientRect(); return Array.from(t.querySelectorAll('td.num')).some(c => "
            "c.getBoundingClientRect().right > box.right + 1); }).map(t => t.id)")
        broken = sorted(set(_on_a_phone(browser, BROKEN_LABELS)))
        if hidden or broken:
            problems.append(f"{page}: {hidden} {broken}")
    assert not problems, "\n".join(problems)


def test_no_table_is_cut_at_the_right_on_a_phone(browser, site):
    """At 390 px no cell of a table, text or number, lies past the right of its box (review 12: the
    models page's "Interval en toets per model", three columns of long Dutch words, was cut at the right
    edge: its words did not break, so the table was wider than the screen)."""
    problems = []
    for page in _reviewer_pages(site):
        browser.get(urljoin(site, page))
        cut = _on_a_phone(
            browser, "return Array.from(document.querySelectorAll('.jp-RenderedHTML table')).filter(t => "
            "t.getBoundingClientRect().width > 0).filter(t => { const box = t.closest('.jp-OutputArea-output')"
            ".getBoundingClientRect(); return Array.from(t.querySelectorAll('td, th')).some(c => "
            "c.getBoundingClientRect().right > Math.min(box.right, 390) + 1); }).map(t => t.id || "
            "(t.querySelector('caption') || {}).textContent)")
        if cut:
            problems.append(f"{page}: {cut}")
    assert not problems, "\n".join(problems)


def test_the_colophon_ends_every_reviewer_page(browser, site):
    """The colophon is each reviewer page's last section, none of it before the exhibits, and
    written for a reader: the settings as labelled values (dates in the page's language, no
    ISO date), the inputs by name, and no library version or hash (the full page's)."""
    problems = []
    for page in _reviewer_pages(site):
        browser.get(urljoin(site, page))
        found = browser.execute_script(
            "const h2 = Array.from(document.querySelectorAll('main h2'));"
            "const last = h2[h2.length - 1];"
            "const after = el => !!el && !!last && "
            "(last.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING) > 0;"
            "const dl = document.querySelector('dl.vwnw-settings');"
            "return {last: last ? last.innerText.replace('¶', '').trim() : null, settings: after(dl),"
            " labels: dl ? Array.from(dl.querySelectorAll('dt')).map(d => d.innerText) : [],"
            " values: dl ? dl.innerText : '', versions: !!document.querySelector('p.vwnw-versions, p.vwnw-data'),"
            " text: document.body.innerText}")
        tail = found["text"][found["text"].rfind(found["last"] or "\0"):]
        wrong = []
        if found["last"] not in ("Colofon", "Colophon") or not found["settings"] or not found["labels"]:
            wrong.append(f"last section {found['last']!r}, settings {found['labels']}")
        if found["versions"] or re.search(r"\b(pandas|numpy|statsmodels) \d", tail):
            wrong.append("library versions or the data statement with hashes")
        if re.search(r"\b[0-9a-f]{16,}\b", tail) or re.search(r"\d{4}-\d{2}-\d{2}", found["values"]):
            wrong.append("a hash or an ISO date in the colophon")
        if wrong:
            problems.append(f"{page}: {wrong}")
    assert not problems, "\n".join(problems)


FINDINGS = {"nl": ("Samenvatting", "Bevindingen."), "en": ("Summary", "Findings.")}


def test_the_pilot_pages_start_with_their_findings_in_words(browser, site):
    """Under the summary's heading, before the first exhibit, the page says what it found,
    with numbers of its own tables (a percentage where a total is shown; on the 16 April page
    at threshold 10 only Figuur 11's count is left, and the findings say which figures are
    left out, as the page does)."""
    pages = [p for p in _reviewer_pages(site)
             if Path(p).stem.startswith(("02_pilot_participants", "03_outcome_models", "04_time_to_work"))]
    assert len(pages) >= 9  # every run: the 16 April run at threshold 10 and the second study's too
    problems = []
    for page in pages:
        browser.get(urljoin(site, page))
        lang = browser.execute_script("return document.documentElement.lang") or "nl"
        heading, lead = FINDINGS["en" if lang.startswith("en") else "nl"]
        found = browser.execute_script(
            "const h = Array.from(document.querySelectorAll('main h2')).find(e => e.innerText.trim()"
            ".startsWith(arguments[0])); if (!h) return null;"
            "const all = Array.from(document.querySelectorAll('main h2, main p, main table, main img'));"
            "const after = all.slice(all.indexOf(h) + 1);"
            "const first = after.find(e => e.tagName === 'P');"
            "const exhibit = after.find(e => e.tagName === 'TABLE' || e.tagName === 'IMG');"
            "return {text: first ? first.innerText : '', before_exhibit: !exhibit || "
            "(first && (first.compareDocumentPosition(exhibit) & Node.DOCUMENT_POSITION_FOLLOWING) > 0)};",
            heading)
        if not found or not found["text"].startswith(lead) or not re.search(r"\d", found["text"]) \
                or not found["before_exhibit"]:
            problems.append(f"{page}: {found}")
    assert not problems, "\n".join(problems)


@pytest.mark.slow
def test_a_run_on_a_participants_file_with_a_hostile_name_runs_no_script(browser, tmp_path):
    """Notebook 02 run by the runner's executor on a copy of the synthetic file named
    ``<img src=x onerror=...>.csv``: its pages and a landing page run no script."""
    import shutil

    from analysis.pipeline import site as site_module
    from analysis.pipeline.execute import execute_run
    from analysis.pipeline.runs import NotebookRun

    hostile = tmp_path / f"<img src=x onerror={PWNED}>.csv"
    shutil.copyfile(paths.DATA_RAW / "pilot_participants_synthetic.csv", hostile)
    run = NotebookRun("02_pilot_participants-hostile", paths.NOTEBOOKS / "02_pilot_participants.ipynb",
                      {"participants_path": str(hostile), "cutoff_date": "2021-04-01", "min_cell_count": 1,
                       "processed_dir": str(tmp_path / "processed")})
    result = execute_run(run, tmp_path / "reports")
    assert result.status == "ok", result.message
    html = next((tmp_path / "reports").rglob("html"))
    state = {run.name: {"status": "ok", "outputs": [], "parameters": run.parameters}}
    (html / "index.html").write_text(site_module.build_index(html.parent, state), encoding="utf-8")
    with print_pages.serve(html) as base:
        for page in ("index.html", f"reviewer/{run.name}.html", f"full/{run.name}.html"):
            browser.get(base + page)
            found = browser.execute_script("return {ran: window.vwnwInjected === 1, "
                                           "injected: document.querySelectorAll('[onerror]').length}")
            assert found == {"ran": False, "injected": 0}, (page, found)


def test_the_landing_page_in_each_language_is_complete_and_links_the_other(browser, site):
    """index.html is Dutch, index-en.html English: each lists every reviewer page, is framed
    in its own language (every element without a lang of its own), and links to the other."""
    reviewer = {f"reviewer/{p.name}" for p in (REPORTS / "html" / "reviewer").glob("*.html")}
    for page, lang, other in (("index.html", "nl", "index-en.html"), ("index-en.html", "en", "index.html")):
        browser.get(urljoin(site, page))
        found = browser.execute_script(
            "return {lang: document.documentElement.lang,"
            " links: Array.from(document.querySelectorAll('a[href]')).map(a => a.getAttribute('href')),"
            " headers: Array.from(document.querySelectorAll('table.items th')).map(t => t.textContent.trim()),"
            " sections: Array.from(document.querySelectorAll('section[id]')).map(s => s.lang)}")
        assert found["lang"] == lang and other in found["links"], page
        assert reviewer <= {h for h in found["links"] if h.startswith("reviewer/")}, page
        assert set(found["sections"]) == {lang}, (page, set(found["sections"]))
        assert set(found["headers"]) == ({"Nummer", "Titel", "Voorbeeld", "Bestanden"} if lang == "nl"
                                         else {"Number", "Title", "Preview", "Files"}), page


def _main_text(browser) -> str:
    return browser.execute_script("return (document.querySelector('main') || document.body).innerText")


SCIENTIFIC = re.compile(r"\d[.,]?\d*\s?[eE]\s?[-\u2212+]?\d")


def test_p_values_have_one_format_and_no_page_prints_scientific_notation(browser, site):
    """Review 7: "5,5e-5" on the cleaning pilot's models page beside "< 0,001" elsewhere. Every
    reviewer page writes a p-value with three decimals or as "< 0,001" (formats.p_value)."""
    problems = []
    for page in _reviewer_pages(site):
        browser.get(urljoin(site, page))
        text = _main_text(browser)
        found = sorted(set(SCIENTIFIC.findall(text)) | set(re.findall(r"p\s?=\s?0[,.]0{3}\b", text)))
        if found:
            problems.append(f"{page}: {found[:5]}")
    assert not problems, "\n".join(problems)


def test_every_numbered_table_is_numbered_by_a_heading(browser, site):
    """Review 7: Tabel T1-T3 of the time-to-work page were numbered only in their table's caption,
    so print did not keep them with their table as a heading and the contents did not list them as
    the other exhibits. A caption says what the rows hold; the number is the heading's."""
    problems = []
    for page in _reviewer_pages(site):
        browser.get(urljoin(site, page))
        captions = browser.execute_script(
            "return Array.from(document.querySelectorAll('main caption')).map(e => e.innerText.trim())")
        numbered = [c[:60] for c in captions if NUMBER.match(c)]
        if numbered:
            problems.append(f"{page}: {numbered}")
    assert not problems, "\n".join(problems)


APPENDIX = re.compile(r"^(Bijlage|Appendix)\s+([A-Z])\b")


def test_a_table_numbered_by_an_appendix_letter_stands_in_that_appendix(browser, site):
    """Review 7: the DWSRA page's register table, in chapter 3, was *Tabel A.1*, while *Bijlage A*
    is the published cells: a number *X.n* on a page with a *Bijlage X* belongs to that appendix."""
    problems = []
    for page in _reviewer_pages(site):
        browser.get(urljoin(site, page))
        heads = browser.execute_script(
            "return Array.from(document.querySelectorAll('main h2, main h3, main h4')).map(e => e.innerText.trim())")
        appendix_of, current = [], None
        for h in heads:
            if m := APPENDIX.match(h):
                current = m.group(2)
            elif re.match(r"^(Colofon|Colophon)\b", h):
                current = None
            appendix_of.append(current)
        letters = {m.group(2) for h in heads if (m := APPENDIX.match(h))}
        for h, inside in zip(heads, appendix_of, strict=True):
            m = NUMBER.match(h)
            if m and re.fullmatch(r"[A-Z]\.\d+", m.group(2)) and m.group(2)[0] in letters \
                    and inside != m.group(2)[0]:
                problems.append(f"{page}: {h[:50]} stands outside Bijlage {m.group(2)[0]}")
    assert not problems, "\n".join(problems)


def test_no_library_warning_reaches_a_reviewer_page(browser, site):
    """Review 7: statsmodels' ConvergenceWarning, with its path, stood in the time-to-work page's
    method section."""
    problems = []
    for page in _reviewer_pages(site):
        browser.get(urljoin(site, page))
        text = _main_text(browser)
        found = [w for w in ("Warning:", "site-packages", "Traceback") if w in text]
        if found:
            problems.append(f"{page}: {found}")
    assert not problems, "\n".join(problems)


def test_the_time_to_work_summary_leads_with_what_was_observed(browser, site):
    """Review 7: the summary led with flagged six-month estimates. It first says how many of
    those who started had work by the end of follow-up, then the estimates."""
    pages = [p for p in _reviewer_pages(site) if Path(p).stem.startswith("04_time_to_work")]
    assert pages
    problems = []
    for page in pages:
        browser.get(urljoin(site, page))
        lang = browser.execute_script("return document.documentElement.lang") or "nl"
        lead = FINDINGS["en" if lang.startswith("en") else "nl"][1]
        text = browser.execute_script(  # the findings: the paragraph they start with and the paragraphs after it
            "const ps = Array.from(document.querySelectorAll('main p')).map(e => e.innerText.trim());"
            "const i = ps.findIndex(t => t.startsWith(arguments[0])); return i < 0 ? '' : ps.slice(i, i + 8).join(' ')",
            lead)
        observed = "end of observation" if lang.startswith("en") else "einde van de waarneming"
        estimate = "an estimate, not a count" if lang.startswith("en") else "een schatting, geen telling"
        if not (observed in text and estimate in text and text.index(observed) < text.index(estimate)):
            problems.append(f"{page}: {text[:160]}")
    assert not problems, "\n".join(problems)


CODE_WORD = re.compile(r"(?<![\w./-])[a-z]+(?:_[a-z0-9]+)+(?![\w.])")  # a code: snake_case, not a file name


def test_no_code_stands_in_a_reviewer_s_text_before_the_colophon(browser, site):
    """Review 7: the DWSRA page's tables and text carried the text reader's categories and a
    file's column codes. Before the colophon (which names files and, in the version with code,
    parameters) a reviewer reads words, never a snake_case code (a new label left out shows here)."""
    problems = []
    for page in _reviewer_pages(site):
        browser.get(urljoin(site, page))
        text = re.split(r"\n(?:Colofon|Colophon)\b", _main_text(browser))[0]
        found = sorted(set(CODE_WORD.findall(text)))
        if found:
            problems.append(f"{page}: {found[:8]}")
    assert not problems, "\n".join(problems)


ROW_SHADING = """
return Array.from(document.querySelectorAll('.jp-OutputArea-output table')).map(t => {
  const rows = Array.from(t.querySelectorAll('tbody tr')).slice(0, 4);
  return {caption: (t.caption ? t.caption.innerText : '').slice(0, 50),
          rows: rows.map(r => Array.from(r.children).map(c => getComputedStyle(c).backgroundColor))};
}).filter(t => t.rows.length >= 2 && t.rows[0].length >= 2);
"""


def test_tables_are_shaded_by_row_not_by_column(browser, site):
    """Every cell of a table row has the row's shade, and the shade alternates from row to row
    (review 8: the first cell of odd rows and the other cells of even rows were grey, which read as
    shading by column)."""
    problems = []
    for page in _reviewer_pages(site):
        browser.get(urljoin(site, page))
        for table in browser.execute_script(ROW_SHADING):
            shades = [set(r) for r in table["rows"]]
            if any(len(s) != 1 for s in shades) or shades[0] == shades[1]:
                problems.append(f"{page}: {table['caption']!r} {table['rows'][:2]}")
    assert not problems, "\n".join(problems[:20])


PRINT_TYPE = """
return Array.from(document.querySelectorAll('.jp-OutputArea-output table')).map(t => {
  const cols = t.querySelectorAll('thead tr:last-child th').length;
  const sizes = Array.from(t.querySelectorAll('tbody td')).slice(0, 20)
    .map(c => parseFloat(getComputedStyle(c).fontSize));
  return {caption: (t.caption ? t.caption.innerText : '').slice(0, 50), cols: cols,
          smallest: sizes.length ? Math.min(...sizes) : null};
});
"""
MIN_PRINT_PX = 8 * 96 / 72  # 8 pt: the smallest type of a printed table (review 8: 5-6 pt could not be read)
MAX_COLUMNS_UPRIGHT = 8  # a wider table prints on a landscape page (stated here, not taken from the code)


def _in_print(browser, url: str, script: str):
    """What ``script`` returns on the page at ``url`` in print media."""
    browser.get(url)
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        return browser.execute_script(script)
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


def test_every_printed_table_is_at_least_8_pt(browser, site):
    """In print media every table has type of 8 pt or more (review 8: the print stylesheet set
    6.8 pt from seven columns; the 16 tables of 9-12 columns printed at 6.3 pt until they got a
    landscape page)."""
    problems = []
    for page in _reviewer_pages(site):
        tables = _in_print(browser, urljoin(site, page), PRINT_TYPE)
        problems += [f"{page}: {t}" for t in tables if t["smallest"] is not None
                     and t["smallest"] < MIN_PRINT_PX - 0.01]
    assert not problems, "\n".join(problems[:20])


WIDE_TABLES = """
return Array.from(document.querySelectorAll('.jp-OutputArea-output table')).map(t => {
  const section = t.closest('div.vwnw-wide');
  return {caption: (t.caption ? t.caption.innerText : '').slice(0, 50),
          cols: Math.max(0, ...Array.from(t.querySelectorAll('thead tr')).map(r => r.querySelectorAll('th').length)),
          page: section ? getComputedStyle(section).page : 'auto',
          heading: section && section.querySelector('h2, h3, h4') ? section.querySelector('h2, h3, h4').innerText : ''};
});
"""
LANDSCAPE = re.compile(rb"/MediaBox\s*\[\s*0 0 (\d+(?:\.\d+)?) (\d+(?:\.\d+)?)\s*\]")


def test_wide_tables_print_on_a_landscape_page_with_their_heading(browser, site, printed):
    """A table of more than eight columns prints on the landscape page ``wide`` (A4 across) with
    its numbered heading, and the printed PDF of a page with one has landscape pages, a page
    without one none (review 8: such tables printed upright at 6.3 pt)."""
    problems = []
    for page in _reviewer_pages(site):
        tables = _in_print(browser, urljoin(site, page), WIDE_TABLES)
        wide = [t for t in tables if t["cols"] > MAX_COLUMNS_UPRIGHT]
        problems += [f"{page}: {t}" for t in wide
                     if t["page"] != "wide" or not re.match(r"(Tabel|Table) ", t["heading"])]
        boxes = [(float(w), float(h)) for w, h in LANDSCAPE.findall(_pdf(browser, printed, page))]
        across = sum(w > h for w, h in boxes)
        if bool(wide) != bool(across) or not boxes:
            problems.append(f"{page}: {len(wide)} wide table(s), {across} landscape page(s) of {len(boxes)}")
    assert not problems, "\n".join(problems[:20])


COLUMN_ALIGNMENT = r"""
const number = /^(?:[-\u2212]?[\d.,\u00a0]+%?|x)$/;  // a count, share or amount as written, or withheld
const right = el => ['right', 'end'].includes(getComputedStyle(el).textAlign);
const out = [];
for (const t of document.querySelectorAll('.jp-OutputArea-output table')) {
  const head = t.querySelector('thead tr:last-child');
  if (!head) continue;
  const ths = Array.from(head.children);
  const rows = Array.from(t.querySelectorAll('tbody tr')).map(r => Array.from(r.children))
    .filter(r => r.length === ths.length);
  ths.forEach((th, j) => {
    if (j === 0 || !rows.length) return;
    const cells = rows.map(r => r[j]).filter(c => c.innerText.trim() !== '' && c.innerText.trim() !== '\u2013');
    if (!cells.length || !cells.every(c => number.test(c.innerText.trim()))) return;
    const off = cells.filter(c => !right(c)).map(c => c.innerText.trim());
    if (!right(th) || off.length)
      out.push(`${(t.caption ? t.caption.innerText : t.id).slice(0, 40)} | ${th.innerText.trim()}: header `
               + `${getComputedStyle(th).textAlign}, cells not right-aligned ${JSON.stringify(off.slice(0, 3))}`);
  });
}
return out;
"""


def test_a_column_of_numbers_has_its_header_over_its_numbers(browser, site):
    """A column whose cells are all numbers or withheld ("x") is right-aligned, header and cells
    (review 10: headers stood left over right-aligned numbers, Tabel 3.4's "Aantal projecten" over
    the next column's values; a column of only "x" stood left beside a right-aligned one)."""
    problems = []
    for page in _reviewer_pages(site):
        browser.get(urljoin(site, page))
        problems += [f"{page}: {p}" for p in browser.execute_script(COLUMN_ALIGNMENT)]
    assert not problems, "\n".join(problems[:30])
