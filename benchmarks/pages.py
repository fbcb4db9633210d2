"""page_bytes_max_mb and page_longest_task_ms: every built page loaded as a reader's browser does.

``measure_pages(html_dir)`` serves the built book (``_build/html``) on 127.0.0.1 and opens
each HTML page in headless Chromium (Playwright driving /usr/bin/chromium), each load in
a new browser context, so nothing is cached from an earlier page: a reader's first visit.
For every load it

- counts the **transfer**: response headers + body of every request the page made, from
  the document to the last font and on-demand script (Playwright's ``Request.sizes()``,
  which are Chromium's own network counters), until the network is idle after the page
  has been scrolled to its end (so lazy images load) and MathJax, if the page has it, has
  finished typesetting. Requests to any other host are aborted and listed (the book must
  load nothing from outside); they carry no bytes.
- records the **longest main-thread task**, from a ``PerformanceObserver`` for
  ``longtask`` entries installed before any of the page's scripts run (``buffered``, so
  tasks during parsing count too). The Long Tasks API reports only tasks over 50 ms, so
  0 means no task reached 50 ms.

Each page is loaded ``repeats`` times; a page's numbers are the medians of its loads,
and the two results are the largest over all pages. A redirect stub (``index.html``,
``<meta http-equiv="refresh">``) is not a page and is skipped.
"""

import functools
import http.server
import statistics
import threading
from pathlib import Path
from urllib.parse import urlsplit

CHROMIUM = "/usr/bin/chromium"  # Debian's; Playwright cannot download its own here
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1400, "height": 1000}  # the desktop width of the browser tests

LONGTASKS = """
window.__longtasks = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) window.__longtasks.push(entry.duration);
}).observe({ type: "longtask", buffered: true });
"""

SETTLE = """async () => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
    await MathJax.startup.promise;
  }
  const step = window.innerHeight;
  for (let y = 0; y < document.documentElement.scrollHeight; y += step) {
    window.scrollTo(0, y);
    await new Promise((resolve) => requestAnimationFrame(() => resolve()));
  }
}"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def pages(html_dir):
    """The built pages: every .html outside Sphinx's _-folders, redirect stubs left out."""
    html_dir = Path(html_dir)
    found = []
    for path in sorted(html_dir.rglob("*.html")):
        rel = path.relative_to(html_dir)
        if any(part.startswith("_") for part in rel.parts[:-1]):
            continue
        if 'http-equiv="refresh"' in path.read_text(encoding="utf8", errors="replace").lower():
            continue
        found.append(rel.as_posix())
    return found


def load(browser, url, settle_ms=500):
    """One cold load of ``url``: {"bytes", "requests", "longest_task_ms", "offsite"}."""
    context = browser.new_context(viewport=VIEWPORT, service_workers="block")
    context.add_init_script(LONGTASKS)
    offsite, finished = [], []

    def route(r):
        if urlsplit(r.request.url).hostname == "127.0.0.1":
            return r.continue_()
        offsite.append(r.request.url)
        return r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("requestfinished", lambda request: finished.append(request))
    page.goto(url, wait_until="load")
    page.evaluate(SETTLE)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(settle_ms)  # a task still running now is reported when it ends
    tasks = page.evaluate("window.__longtasks")
    sizes = [r.sizes() for r in finished]
    context.close()
    return {
        "bytes": sum(s["responseHeadersSize"] + max(s["responseBodySize"], 0) for s in sizes),
        "requests": len(sizes),
        "longest_task_ms": max(tasks, default=0.0),
        "offsite": offsite,
    }


def _median_load(browser, url, repeats):
    loads = [load(browser, url) for _ in range(repeats)]
    return {
        "bytes": statistics.median(x["bytes"] for x in loads),
        "requests": max(x["requests"] for x in loads),
        "longest_task_ms": statistics.median(x["longest_task_ms"] for x in loads),
        "longest_task_ms_each": [x["longest_task_ms"] for x in loads],
        "offsite": sorted({u for x in loads for u in x["offsite"]}),
    }


def measure_pages(html_dir, repeats=3):
    """Transfer and longest main-thread task of every built page, and their maxima.

    Parameters
    ----------
    html_dir : str or Path
        The built book, ``_build/html``.
    repeats : int
        Loads per page; each page's numbers are the medians.

    Returns
    -------
    dict
        ``page_bytes_max_mb`` (largest transfer over all pages, MB = 10**6 bytes),
        ``page_longest_task_ms`` (the longest task over all pages, ms) and
        ``per_page``: {page: {"bytes", "requests", "longest_task_ms",
        "longest_task_ms_each", "offsite"}}.
    """
    from playwright.sync_api import sync_playwright

    handler = functools.partial(_Quiet, directory=str(html_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            per_page = {rel: _median_load(browser, base + rel, repeats) for rel in pages(html_dir)}
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return {
        "page_bytes_max_mb": max(p["bytes"] for p in per_page.values()) / 1e6,
        "page_longest_task_ms": max(p["longest_task_ms"] for p in per_page.values()),
        "per_page": per_page,
    }


if __name__ == "__main__":
    import json
    import sys

    print(json.dumps(measure_pages(sys.argv[1] if len(sys.argv) > 1 else "_build/html"), indent=2))
