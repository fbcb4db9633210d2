"""Fixtures shared by the browser tests (test_browser.py, test_interactive.py), and the
environment every test that builds the book or runs a chapter shares with `make`."""

import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Property tests check values, never speed (speed targets live in `make bench`): on a
# loaded 2-core CI machine hypothesis's own timers (the 200 ms deadline, "input
# generation is slow") failed correct code, so neither applies anywhere.
settings.register_profile("book", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("book")

CHROMIUM = Path("/usr/bin/chromium")  # Debian's chromium; Playwright's own download fails here

# `make` exports SOURCE_DATE_EPOCH (the date matplotlib writes into its files); a pytest
# run started by hand builds with the same one, so that two builds compare equal.
_EPOCH = re.search(
    r"^export SOURCE_DATE_EPOCH := (\d+)$",
    (Path(__file__).resolve().parent.parent / "Makefile").read_text(encoding="utf8"),
    flags=re.MULTILINE,
)
os.environ.setdefault("SOURCE_DATE_EPOCH", _EPOCH.group(1))


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
