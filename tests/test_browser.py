"""The published ``reports/html`` in a real browser: headless Debian Chromium driven by
Selenium through Debian's chromedriver (``make browser-test`` installs both when missing and
runs ``make report`` first).

The site is served over HTTP on localhost, as a reviewer's static host would. Only
``reports/html`` is served (as a reviewer's host would serve the published folder), so a
link that leaves it fails. Checked: the index loads and lists every reviewer page; every
link and download resolves, anchors included; every figure image has decoded and has alt
text; the console has no errors; the reviewer flavour shows no code; every reviewer page has
a table of contents whose links land on its headings, a caption on every table it shows and
a numbered heading above every figure; no element sticks out horizontally. Full-page
screenshots of every reviewer page are saved to ``test-artifacts/browser/`` (or
``$VWNW_ARTIFACTS``) for a person to look at."""

from __future__ import annotations

import base64
import functools
import http.server
import os
import shutil
import threading
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest

from analysis import paths

pytestmark = pytest.mark.browser

REPORTS = Path(os.environ.get("VWNW_REPORTS", paths.PROJECT_ROOT / "reports"))
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--window-size=1280,900")


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

    for exe in (CHROMIUM, CHROMEDRIVER):
        if not Path(exe).exists():
            pytest.fail(f"{exe} missing: `make browser-test` installs Debian's chromium and chromium-driver")
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in FLAGS:
        opts.add_argument(flag)
    opts.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=opts, service=Service(executable_path=CHROMEDRIVER))
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
        "shows_source": browser.execute_script("return document.body.innerText.includes('from analysis import')"),
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
    notebooks = {p: i for p, i in pages.items() if p != "index.html"}
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


ARTIFACTS = Path(os.environ.get("VWNW_ARTIFACTS", paths.PROJECT_ROOT / "test-artifacts" / "browser"))
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
const headings = Array.from(document.querySelectorAll('h1, h2, h3'));
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
out.data_statement = !!document.querySelector('p.vwnw-data');
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
        if info["figures_without_heading"]:
            found.append(f"{info['figures_without_heading']} figures without a numbered heading above them")
        if info["overflowing"] or info["page_scrolls_sideways"]:
            found.append(f"sticks out horizontally: {info['overflowing']}")
        if not info["data_statement"]:
            found.append("no statement of the data the page was made from")
        if found:
            problems[page] = found
    assert not problems, "\n".join(f"{p}: {f}" for p, fs in problems.items() for f in fs)


def test_full_page_screenshots_of_every_reviewer_page(browser, site):
    """Artefacts for a person to look at (not compared with anything)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for page in _reviewer_pages(site):
        browser.get(urljoin(site, page))
        metrics = browser.execute_cdp_cmd("Page.getLayoutMetrics", {})
        size = metrics.get("cssContentSize") or metrics["contentSize"]
        shot = browser.execute_cdp_cmd("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}})
        out = ARTIFACTS / f"{Path(page).stem}.png"
        out.write_bytes(base64.b64decode(shot["data"]))
        assert out.stat().st_size > 10_000, out
