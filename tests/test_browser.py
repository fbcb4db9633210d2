"""Smoke test of the built book in Debian's chromium, driven by Playwright.

Serves _build/html on 127.0.0.1, opens every page, and checks that it loads,
fetches nothing from another host, logs no JavaScript error and renders its
math. A full-page screenshot of each page goes to _build/screenshots/.
"""

import functools
import http.server
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from book_toc import toc_pages

ROOT = Path(__file__).resolve().parent.parent
HTML = ROOT / "_build" / "html"
SHOTS = ROOT / "_build" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")

BUILD_TEST = "test_book.py::test_book_builds_with_warnings_as_errors"
PAGES = [p.relative_to(ROOT).with_suffix(".html").as_posix() for p in toc_pages()]
PAGES += ["index.html", "genindex.html", "search.html"]

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("book")]  # after the build


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site(request):
    if not (HTML / "index.html").is_file():
        if any(BUILD_TEST in item.nodeid for item in request.session.items):
            pytest.fail("the build test ran in this session but left no _build/html")
        pytest.skip("no _build/html: run `make book` first (make test builds it before this)")
    handler = functools.partial(_QuietHandler, directory=str(HTML))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser():
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


@pytest.mark.parametrize("page_path", PAGES)
def test_page_loads_offline_without_errors(site, browser, page_path):
    here = urlsplit(site).netloc
    off_site, failed, errors = [], [], []

    context = browser.new_context(viewport={"width": 1280, "height": 900})

    def guard(route):
        if urlsplit(route.request.url).netloc == here:
            route.continue_()
        else:
            off_site.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.on("console", lambda m: m.type == "error" and errors.append(f"console: {m.text}"))
    page.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))
    page.on("requestfailed", lambda r: failed.append(f"{r.url} ({r.failure})"))
    page.on(
        "response",
        lambda r: r.status >= 400 and failed.append(f"{r.url} (HTTP {r.status})"),
    )

    response = page.goto(f"{site}/{page_path}", wait_until="load")
    assert response is not None and response.status == 200, f"{page_path}: {response}"
    page.wait_for_load_state("networkidle")

    has_math = page.locator(".math").count() > 0
    mathjax_ran = page.evaluate(
        "async () => { if (!window.MathJax?.startup?.promise) return false;"
        " await MathJax.startup.promise; return true; }"
    )
    if has_math:
        assert mathjax_ran, f"{page_path} has math but MathJax did not start"
        assert page.locator("mjx-container").count() > 0, f"{page_path}: math not typeset"
        assert page.locator("mjx-merror").count() == 0, f"{page_path}: MathJax error in TeX"

    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / (page_path.replace("/", "__")[:-5] + ".png")), full_page=True)
    context.close()

    assert not off_site, f"{page_path} asked for other hosts: {off_site}"
    assert not failed, f"{page_path} had failed requests: {failed}"
    assert not errors, f"{page_path} logged errors: {errors}"
