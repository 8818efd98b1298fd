"""Print every published page to PDF (A4) with the Chromium the browser test uses.

``make pdf`` runs ``python tests/print_pages.py``: every page under ``reports/html`` (the
landing page, the reviewer pages and the full pages) is loaded from a local HTTP server, as a
reviewer's host would serve it, and printed with the page's own print stylesheet (A4, page
numbers, figures from SVG) into ``reports/pdf/<folder>/<name>.pdf``. ``--screenshots DIR``
also saves each page at 1366 and 390 px wide (``<name>-1366.png``, ``<name>-390.png``).
Without Chromium and chromedriver (``tests/chromium.py`` says how to install them) it prints
that and exits 0, so ``make pdf`` is skipped with a clear message, not an error.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import functools
import http.server
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import chromium  # noqa: E402

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--hide-scrollbars", "--window-size=1366,900")
A4 = {"paperWidth": 8.27, "paperHeight": 11.69}  # inches; margins come from the page's @page rule
WIDTHS = (1366, 390)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def handle(self):
        try:
            super().handle()
        except (ConnectionResetError, BrokenPipeError):
            pass


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """``folder`` over HTTP on localhost; yields the base URL."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()


def start_browser(found: chromium.Chromium, profile: Path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = found.browser
    for flag in FLAGS:
        opts.add_argument(flag)
    opts.add_argument(f"--user-data-dir={profile}")
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=opts, service=Service(executable_path=found.driver))
    driver.set_page_load_timeout(120)
    return driver


def print_pdf(driver) -> bytes:
    """The loaded page printed as the page's print stylesheet sets it up (A4 by default)."""
    out = driver.execute_cdp_cmd("Page.printToPDF", {**A4, "printBackground": True, "preferCSSPageSize": True,
                                                      "displayHeaderFooter": False})
    return base64.b64decode(out["data"])


def screenshot(driver, width: int) -> bytes:
    """The whole page at ``width`` CSS pixels (a phone at 390)."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600})
    try:
        metrics = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})
        size = metrics.get("cssContentSize") or metrics["contentSize"]
        shot = driver.execute_cdp_cmd("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": max(width, size["width"]), "height": size["height"], "scale": 1}})
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    return base64.b64decode(shot["data"])


A4_CONTENT_PX = 695  # 210 mm less the page's 13 mm margins, at 96 px per inch
A4_LANDSCAPE_CONTENT_PX = 1024  # 297 mm less the same margins: a wide table's page (@page wide)
WIDE = "div.vwnw-wide"  # a wide table's section, printed on a landscape page (pipeline/print_groups.py)
SIDEWAYS = """
const width = document.documentElement.clientWidth;
// in print, arguments[1] says which part of the page is measured at this width: 'upright' all but the wide
// tables' sections (they print on a landscape page), 'wide' only those
const scope = arguments[1];
const inScope = el => !scope || (scope === 'wide') === !!el.closest('div.vwnw-wide');
const scrolls = el => { for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
  const o = getComputedStyle(p).overflowX; if (o === 'auto' || o === 'scroll') return p; } return null; };
const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
  (typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
const out = {page_scrolls_sideways: document.documentElement.scrollWidth > width + 1, sticking_out: [], cut: []};
for (const el of document.body.querySelectorAll('*')) {
  const r = el.getBoundingClientRect();
  if (r.width === 0 || getComputedStyle(el).display === 'none' || !inScope(el)) continue;
  const box = scrolls(el);
  if (!box && r.right > width + 1) out.sticking_out.push(name(el));
  if (arguments[0] && el.tagName === 'TABLE' && box && box.scrollWidth > box.clientWidth + 1) out.cut.push(name(el));
}
if (scope) out.page_scrolls_sideways = out.sticking_out.length > 0;  // paper does not scroll: what sticks out is cut
out.sticking_out = out.sticking_out.slice(0, 8);
out.broken_words = [];  // in print: a word of a table cell split over two lines ("Triagep|ad")
if (arguments[0]) for (const cell of document.body.querySelectorAll('td, th')) {
  if (!inScope(cell)) continue;
  const walk = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
  for (let t = walk.nextNode(); t; t = walk.nextNode()) {
    if (t.parentElement.closest('.vwnw-token, code')) continue;  // a file name, hash or code may break anywhere
    const word = /[^\\s\\-\\u2013\\/]+[\\-\\u2013\\/]?/g;
    for (let m = word.exec(t.data); m; m = word.exec(t.data)) {
      const range = document.createRange();
      range.setStart(t, m.index); range.setEnd(t, m.index + m[0].length);
      const lines = new Set(Array.from(range.getClientRects()).filter(r => r.width > 0).map(r => Math.round(r.bottom)));
      if (lines.size > 1 && out.broken_words.length < 8) out.broken_words.push(m[0]);
    }
  }
}
return out;
"""


PROBLEMS = ("page_scrolls_sideways", "sticking_out", "cut", "broken_words")


def layout_problems(driver, width: int, media: str = "screen") -> dict:
    """What sticks out of a page ``width`` px wide in ``media`` (``print``: at A4's text width,
    where a table wider than its box would be cut, as print shows no scrollbars, and a word
    of a table cell split over two lines is a broken word; a wide table's section, which prints
    on a landscape page, at the width of A4 landscape's text)."""
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": media})
    try:
        if media != "print":
            return _measured(driver, width, False, None)
        upright = _measured(driver, width, True, "upright")
        wide = _measured(driver, A4_LANDSCAPE_CONTENT_PX, True, "wide")
        return {key: upright[key] or wide[key] if key == "page_scrolls_sideways" else (upright[key] + wide[key])[:8]
                for key in upright}
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


def _measured(driver, width: int, printed: bool, scope: str | None) -> dict:
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600})
    try:
        return driver.execute_script(SIDEWAYS, printed, scope)
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def published_pages(html: Path) -> list[str]:
    """Every page of the site, relative to ``reports/html``: the landing pages first."""
    pages = [p for p in ("index.html", "index-en.html") if (html / p).is_file()]  # the landing page, both languages
    for folder in ("reviewer", "full"):
        pages += sorted(f"{folder}/{p.name}" for p in (html / folder).glob("*.html"))
    return pages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--html", type=Path, default=Path("reports/html"), help="the published site")
    parser.add_argument("--out", type=Path, default=Path("reports/pdf"), help="where the PDF files go")
    parser.add_argument("--screenshots", type=Path, help="also save screenshots at 1366 and 390 px here")
    parser.add_argument("--check", action="store_true", help="report what sticks out in print and at 390 px")
    parser.add_argument("--only", nargs="*", default=None, help="pages (relative to --html) to print")
    args = parser.parse_args(argv)
    if not (args.html / "index.html").is_file():
        print(f"make pdf: {args.html}/index.html does not exist; run `make report` first")
        return 1
    found = chromium.find(download=False)
    if found is None:
        print(f"make pdf skipped: no Chromium with chromedriver found.\n{chromium.HOW_TO_INSTALL}")
        return 0
    import tempfile

    pages = args.only or published_pages(args.html)
    with tempfile.TemporaryDirectory() as profile, serve(args.html) as base:
        driver = start_browser(found, Path(profile))
        try:
            for page in pages:
                driver.get(base + page)
                pdf = args.out / Path(page).with_suffix(".pdf")
                pdf.parent.mkdir(parents=True, exist_ok=True)
                pdf.write_bytes(print_pdf(driver))
                if args.screenshots:
                    args.screenshots.mkdir(parents=True, exist_ok=True)
                    stem = page.replace("/", "_").removesuffix(".html")
                    for width in WIDTHS:
                        (args.screenshots / f"{stem}-{width}.png").write_bytes(screenshot(driver, width))
                if args.check:
                    for width, media in ((A4_CONTENT_PX, "print"), (390, "screen")):
                        found = layout_problems(driver, width, media)
                        if any(found.get(k) for k in PROBLEMS):
                            print(f"  {page} at {width} px ({media}): {found}")
                print(f"  printed {pdf}")
        finally:
            driver.quit()
    print(f"make pdf: {len(pages)} page(s) printed to {args.out}/ (A4)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
