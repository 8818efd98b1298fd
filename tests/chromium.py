"""Finding headless Chromium and its chromedriver for the browser test, without sudo.

Looked for, in order:
1. ``VWNW_CHROMIUM`` and ``VWNW_CHROMEDRIVER`` (paths), when set;
2. Chromium or Chrome on the PATH or in the usual macOS application folders, and chromedriver
   on the PATH (Debian: ``apt-get install chromium chromium-driver``; macOS: ``brew install
   --cask chromium`` and ``brew install chromedriver``);
3. Selenium Manager (part of the selenium package): it finds a driver for the browser found in
   step 2, or downloads Chrome for Testing and its driver into ``~/.cache/selenium`` (needs
   network access to Google's download servers; no root).

``python tests/chromium.py`` prints what it found (``make browser-deps`` runs it), or says how
to install and exits 1. It does not download (``--download`` lets Selenium Manager try).
"""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
MACOS_APPS = ("/Applications/Chromium.app/Contents/MacOS/Chromium",
              "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
              "/Applications/Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing")
HOW_TO_INSTALL = (
    "Install Chromium and chromedriver without sudo in one of these ways, then rerun:\n"
    "  - Debian/Ubuntu as root: make browser-deps (apt-get install chromium chromium-driver)\n"
    "  - macOS: brew install --cask chromium && brew install chromedriver\n"
    "  - any system with network access: Selenium Manager downloads Chrome for Testing into\n"
    "    ~/.cache/selenium when the test runs (no root needed)\n"
    "  - or point VWNW_CHROMIUM and VWNW_CHROMEDRIVER at the two executables.")


@dataclass(frozen=True)
class Chromium:
    browser: str
    driver: str
    found_by: str


def in_ci() -> bool:
    """CI sets CI (``.ci/run`` sets CI=1; GitHub, GitLab and most services set CI=true)."""
    return os.environ.get("CI", "").lower() not in ("", "0", "false", "no")


def _local_browser() -> str | None:
    for name in BROWSER_NAMES:
        found = shutil.which(name)
        if found:
            return found
    if sys.platform == "darwin":
        return next((app for app in MACOS_APPS if Path(app).is_file()), None)
    return None


def _selenium_manager(browser: str | None) -> Chromium | None:
    try:
        from selenium.webdriver.common.selenium_manager import SeleniumManager
    except ImportError:
        return None
    args = ["--browser", "chrome", "--skip-driver-in-path"]
    args += ["--browser-path", browser] if browser else ["--force-browser-download"]
    try:
        found = SeleniumManager().binary_paths(args)
    except Exception:  # noqa: BLE001 - no network, no browser: the caller reports what to install
        return None
    if found.get("driver_path") and found.get("browser_path"):
        return Chromium(found["browser_path"], found["driver_path"], "Selenium Manager")
    return None


def find(download: bool = True) -> Chromium | None:
    """The browser and driver to use, or None; ``download`` lets Selenium Manager fetch them."""
    env_browser, env_driver = os.environ.get("VWNW_CHROMIUM"), os.environ.get("VWNW_CHROMEDRIVER")
    if env_browser and env_driver:
        return Chromium(env_browser, env_driver, "VWNW_CHROMIUM/VWNW_CHROMEDRIVER")
    browser = env_browser or _local_browser()
    driver = env_driver or shutil.which("chromedriver")
    if browser and driver:
        return Chromium(browser, driver, "PATH")
    return _selenium_manager(browser) if download else None


def main(argv: list[str]) -> int:
    found = find(download="--download" in argv)
    if found:
        if "--quiet" not in argv:
            print(f"browser test uses {found.browser} with {found.driver} ({found.found_by})")
        return 0
    if "--quiet" not in argv:
        print("No Chromium with chromedriver found (the browser test will try Selenium Manager, then "
              f"{'fail: CI is set' if in_ci() else 'skip'}).\n{HOW_TO_INSTALL}")
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
