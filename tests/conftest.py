"""Fixtures shared by the browser tests (test_browser.py, test_interactive.py)."""

from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")  # Debian's chromium; Playwright's own download fails here


@pytest.fixture(scope="module")
def browser():
    """Headless chromium driven by Playwright, one per test module."""
    if not CHROMIUM.exists():
        pytest.fail("/usr/bin/chromium is missing: run `make chromium`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()
