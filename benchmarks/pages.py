"""What every built page costs a reader's browser: bytes transferred and the longest task.

``measure_pages(html_dir)`` serves a built book (``_build/html``) on 127.0.0.1 with no
compression, opens each page once in Debian's chromium (``/usr/bin/chromium``, driven by
Playwright, a fresh context and so a cold cache per page, viewport 1280 x 900) and records:

- **bytes**: the sum of the Content-Length of every response the page loads until the
  network is idle and its web fonts are ready: HTML, CSS, scripts, fonts, images. This is
  the transfer of an uncompressed first visit. Images load lazily (as the reader scrolls
  to them), so ``bytes_scrolled`` also gives the total once the page has been scrolled to
  its end. Requests to other hosts are aborted and counted in ``off_site`` (the book must
  make none).
- **longest task**: the longest main-thread task, from a ``PerformanceObserver`` of
  ``longtask`` entries installed before any of the page's scripts run and read one second
  after the network went idle (so typesetting or figure drawing that starts at load is
  included). Chromium reports only tasks over 50 ms; a page with none scores 0.

Pages: every ``*.html`` of ``html_dir`` outside ``_static``, ``_sources``, ``_notebooks``,
``_images`` and ``reports``, sorted. The two numbers ``make bench`` reports are the largest
over all pages:

- ``page_bytes_max_mb`` (megabytes, 1e6 bytes; target <= 1.5),
- ``page_longest_task_ms`` (milliseconds; target <= 300).

The longest task depends on the machine and its load; run it on a quiet machine. Wiring
into ``make bench`` (benchmarks/run.py) is left to its owner: call ``measure_pages`` and
record the two values. From the command line: ``python benchmarks/pages.py _build/html``
prints the result as JSON.
"""

import functools
import http.server
import json
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

__all__ = ["CHROMIUM", "SKIP", "measure_pages", "page_paths"]

CHROMIUM = "/usr/bin/chromium"
SKIP = {"_static", "_sources", "_notebooks", "_images", "reports"}  # not pages a reader opens
SETTLE_MS = 1000  # after network idle: tasks started by the load (maths, figures) finish

# Installed before any script of the page: collects every long task from the start.
_OBSERVE = """
window.__longTasks = [];
new PerformanceObserver(list => {
  for (const e of list.getEntries()) window.__longTasks.push(e.duration);
}).observe({type: "longtask", buffered: true});
"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def page_paths(html_dir):
    """The pages of a built book, relative to ``html_dir``, as POSIX paths, sorted.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> for p in ("index.html", "book/ch01.html", "_static/x.html"):
    ...     (d / p).parent.mkdir(parents=True, exist_ok=True); _ = (d / p).write_text("")
    >>> page_paths(d)
    ['book/ch01.html', 'index.html']
    """
    html_dir = Path(html_dir)
    return sorted(
        p.relative_to(html_dir).as_posix()
        for p in html_dir.rglob("*.html")
        if not SKIP & set(p.relative_to(html_dir).parts[:-1])
    )


def _measure_one(browser, site, path):
    """Bytes, longest task (ms) and off-site requests of one page, in a fresh context."""
    here, loaded, off_site = urlsplit(site).netloc, {}, []
    context = browser.new_context(viewport={"width": 1280, "height": 900})

    def guard(route):
        if urlsplit(route.request.url).netloc == here:
            route.continue_()
        else:
            off_site.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    context.add_init_script(_OBSERVE)
    page = context.new_page()
    page.on(
        "response",
        lambda r: loaded.__setitem__(r.url, int(r.headers.get("content-length", 0) or 0)),
    )
    page.goto(f"{site}/{path}", wait_until="load")
    page.wait_for_load_state("networkidle")
    page.evaluate("() => document.fonts.ready.then(() => true)")
    page.wait_for_timeout(SETTLE_MS)
    tasks = page.evaluate("() => window.__longTasks")
    at_load = sum(loaded.values())
    page.evaluate("() => window.scrollTo(0, document.documentElement.scrollHeight)")
    for y in range(0, page.evaluate("() => document.documentElement.scrollHeight"), 600):
        page.evaluate(f"() => window.scrollTo(0, {y})")
    page.wait_for_load_state("networkidle")
    context.close()
    return {
        "bytes": at_load,
        "bytes_scrolled": sum(loaded.values()),
        "requests": len(loaded),
        "longest_task_ms": round(max(tasks, default=0.0), 1),
        "long_tasks": len(tasks),
        "off_site": off_site,
    }


def measure_pages(html_dir):
    """Open every page of a built book in chromium and measure what it costs to load.

    Parameters
    ----------
    html_dir : str or Path
        A built book, e.g. ``_build/html``.

    Returns
    -------
    dict
        ``page_bytes_max_mb`` (float, MB = 1e6 bytes) and ``page_longest_task_ms``
        (float, ms), the largest over all pages; ``pages``, a dict from each page's path
        to its ``bytes`` (at load), ``bytes_scrolled``, ``requests``, ``longest_task_ms``,
        ``long_tasks`` (tasks over 50 ms) and ``off_site`` (requests to other hosts).

    Raises
    ------
    FileNotFoundError
        If ``html_dir`` holds no ``index.html`` or chromium is missing.
    """
    html_dir = Path(html_dir)
    if not (html_dir / "index.html").is_file():
        raise FileNotFoundError(f"{html_dir}: no index.html; build the book first")
    if not Path(CHROMIUM).exists():
        raise FileNotFoundError(f"{CHROMIUM} is missing: run `make chromium`")
    from playwright.sync_api import sync_playwright

    handler = functools.partial(_Quiet, directory=str(html_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    site = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=CHROMIUM,
                args=["--headless", "--no-sandbox", "--disable-gpu"],
            )
            pages = {p: _measure_one(browser, site, p) for p in page_paths(html_dir)}
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return {
        "page_bytes_max_mb": round(max(p["bytes"] for p in pages.values()) / 1e6, 3),
        "page_longest_task_ms": max(p["longest_task_ms"] for p in pages.values()),
        "pages": pages,
    }


if __name__ == "__main__":
    print(json.dumps(measure_pages(sys.argv[1] if len(sys.argv) > 1 else "_build/html"), indent=1))
