"""Headless Chromium for the page tests, driven by Playwright; skips when neither can run here.

CI installs Debian's ``chromium`` and the ``review-test`` extra (playwright). Playwright's own
browser download is never used: the system's Chromium is launched by path.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any, Iterator

import pytest

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def chromium_path() -> str | None:
    """The system's Chromium (``BIALIGN_CHROMIUM`` overrides), or None."""
    for candidate in (os.environ.get("BIALIGN_CHROMIUM"), shutil.which("chromium"), shutil.which("chromium-browser"),
                      "/usr/bin/chromium"):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """A headless Chromium, shared by one module's page tests (Playwright runs one at a time)."""
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        pytest.skip("browser tests skipped: playwright is not installed (pip install '.[review-test]')")
    executable = chromium_path()
    if executable is None:
        pytest.skip("browser tests skipped: no Chromium found (apt-get install chromium, or set BIALIGN_CHROMIUM)")
    with sync_playwright() as playwright:
        try:
            instance = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        except Error as exc:
            pytest.skip(f"browser tests skipped: Chromium at {executable} did not start: {str(exc).splitlines()[0]}")
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh page that records script errors in ``page.errors`` (downloads allowed)."""
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.errors = []
    tab.on("pageerror", lambda exc: tab.errors.append(str(exc)))
    yield tab
    context.close()
