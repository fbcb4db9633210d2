"""The built book in Debian's chromium, driven by Playwright.

Serves _build/html on 127.0.0.1 and opens every page. Each page must load, fetch
nothing from another host, log no JavaScript error and render its math with no
MathJax error, and load under 3 MB in all; every image in the article has alt text and
every slider figure's SVG is a labelled image. A full-page screenshot of each page goes to
_build/screenshots/. Then, on every page:

- every slider (any ``input[type=range]``) is moved with the keyboard, and its figure,
  its value readout and, where the figure's label names slider values, the label follow;
- axe-core (vendored from the npm registry into _vendor/test/ by `make vendor`, and
  injected only here: the book does not ship it) finds no serious or critical violation.
"""

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from book_toc import toc_pages
from serving import serve_directory

ROOT = Path(__file__).resolve().parents[2]
HTML = ROOT / "_build" / "html"
SHOTS = ROOT / "_build" / "screenshots"
AXE = ROOT / "_vendor" / "test" / "axe.min.js"
BLOCKING = ("serious", "critical")  # axe impacts that fail the test
MINUS = "\N{MINUS SIGN}"

BUILD_TEST = "test_book.py::test_book_builds_with_warnings_as_errors"
PAGES = [p.relative_to(ROOT).with_suffix(".html").as_posix() for p in toc_pages()]
PAGES += ["index.html", "genindex.html", "search.html"]

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("book")]  # after the build


@pytest.fixture(scope="module")
def site(request):
    if not (HTML / "index.html").is_file():
        if any(BUILD_TEST in item.nodeid for item in request.session.items):
            pytest.fail("the build test ran in this session but left no _build/html")
        pytest.skip("no _build/html: run `make book` first (make test builds it before this)")
    server = serve_directory(HTML)
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


class _Visit:
    """One page opened in a fresh context that records what went wrong while loading."""

    def __init__(self, site, browser, page_path):
        here = urlsplit(site).netloc
        self.path, self.off_site, self.failed, self.errors = page_path, [], [], []
        self.loaded = {}  # url -> bytes of the response body (its Content-Length)
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})

        def guard(route):
            if urlsplit(route.request.url).netloc == here:
                route.continue_()
            else:
                self.off_site.append(route.request.url)
                route.abort()

        self.context.route("**/*", guard)
        page = self.page = self.context.new_page()
        page.on("console", lambda m: m.type == "error" and self.errors.append(f"console: {m.text}"))
        page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        page.on("requestfailed", lambda r: self.failed.append(f"{r.url} ({r.failure})"))
        page.on("response", self._on_response)
        response = page.goto(f"{site}/{page_path}", wait_until="load")
        assert response is not None and response.status == 200, f"{page_path}: {response}"
        page.wait_for_load_state("networkidle")
        self.mathjax_ran = page.evaluate(
            "async () => { if (!window.MathJax?.startup?.promise) return false;"
            " await MathJax.startup.promise; return true; }"
        )

    def _on_response(self, response):
        if response.status >= 400:
            self.failed.append(f"{response.url} (HTTP {response.status})")
        self.loaded[response.url] = int(response.headers.get("content-length", -1))

    def mark(self):
        """How many problems of each kind are recorded so far."""
        return len(self.off_site), len(self.failed), len(self.errors)

    def assert_clean(self, since=(0, 0, 0)):
        off_site, failed, errors = (
            found[n:] for found, n in zip((self.off_site, self.failed, self.errors), since)
        )
        assert not off_site, f"{self.path} asked for other hosts: {off_site}"
        assert not failed, f"{self.path} had failed requests: {failed}"
        assert not errors, f"{self.path} logged errors: {errors}"


@pytest.fixture(scope="module")
def visit(site, browser):
    """Open each page once for the whole module; the tests below then run on it in file
    order: load checks and screenshot, then sliders, then axe (which so also sees the
    pages after the sliders moved). One load per page keeps `make test` short."""
    opened = {}

    def open_page(page_path):
        if page_path not in opened:
            opened[page_path] = _Visit(site, browser, page_path)
        return opened[page_path]

    yield open_page
    for v in opened.values():
        v.context.close()


# Images in the article without alt text, and slider figures' SVGs that are not a
# labelled image (role="img" and a non-empty aria-label).
_UNLABELLED = """() => {
  const article = document.querySelector(".bd-article") || document.querySelector("main");
  if (!article) return {article: false, imgs: [], svgs: []};
  const imgs = [...article.querySelectorAll("img")]
    .filter(i => !(i.getAttribute("alt") || "").trim()).map(i => i.outerHTML.slice(0, 160));
  const svgs = [...article.querySelectorAll(".rnnfig svg")]
    .filter(s => s.getAttribute("role") !== "img" || !(s.getAttribute("aria-label") || "").trim())
    .map(s => s.outerHTML.slice(0, 160));
  return {article: true, imgs, svgs};
}"""


@pytest.mark.parametrize("page_path", PAGES)
def test_page_loads_offline_without_errors(visit, page_path):
    v = visit(page_path)
    page = v.page
    if page.locator(".math").count() > 0:
        assert v.mathjax_ran, f"{page_path} has math but MathJax did not start"
        assert page.locator("mjx-container").count() > 0, f"{page_path}: math not typeset"
        assert page.locator("mjx-merror").count() == 0, f"{page_path}: MathJax error in TeX"

    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / (page_path.replace("/", "__")[:-5] + ".png")), full_page=True)

    labels = page.evaluate(_UNLABELLED)
    assert labels["article"], f"{page_path}: no article element (.bd-article or main)"
    assert not labels["imgs"], f"{page_path}: images without alt text: {labels['imgs']}"
    assert not labels["svgs"], (
        f"{page_path}: slider figures without role=img and aria-label: {labels['svgs']}"
    )
    v.assert_clean()


PAGE_BUDGET = 3_000_000  # bytes a page may load, everything included (issue 7)


@pytest.mark.parametrize("page_path", PAGES)
def test_page_loads_under_3_mb(visit, page_path):
    v = visit(page_path)
    v.page.evaluate("() => document.fonts.ready.then(() => true)")  # web fonts, once used
    unsized = [url for url, n in v.loaded.items() if n < 0]
    assert not unsized, f"{page_path}: responses without a Content-Length: {unsized}"
    total = sum(v.loaded.values())
    largest = sorted(v.loaded.items(), key=lambda kv: -kv[1])[:5]
    listing = "\n".join(f"{n / 1e3:8.1f} kB  {url}" for url, n in largest)
    assert total < PAGE_BUDGET, f"{page_path} loads {total / 1e6:.2f} MB; largest:\n{listing}"


# Code and outputs in the article that need a horizontal scroll bar to be read whole.
_SCROLLING_PRE = """() => [...document.querySelectorAll(".bd-article pre")]
  .filter(p => p.scrollWidth > p.clientWidth + 1)
  .map(p => p.textContent.split("\\n").reduce((a, b) => (b.length > a.length ? b : a), ""))"""


@pytest.mark.parametrize("page_path", PAGES)
def test_code_and_outputs_fit_the_column(visit, page_path):
    wide = visit(page_path).page.evaluate(_SCROLLING_PRE)
    assert not wide, f"{page_path}: blocks that scroll sideways, longest lines: {wide}"


# --- sliders ------------------------------------------------------------------------------

# The state of slider k on the page: its value, the visible readout (an <output> for it:
# one whose `for` names the input, or else the one that shares the input's row), and the
# figure it drives (the nearest enclosing element holding an svg/img/canvas), with the
# template of the figure's label when the slider mechanism embeds one.
_SLIDER_STATE = """(k) => {
  const input = document.querySelectorAll('input[type="range"]')[k];
  let fig = input.parentElement, pic = null;
  while (fig && !(pic = fig.querySelector('svg[role="img"], img, canvas'))) fig = fig.parentElement;
  const readoutOf = (inp) => {
    const named = [...document.querySelectorAll("output")]
      .filter(o => inp.id && (o.htmlFor || []).contains && o.htmlFor.contains(inp.id));
    if (named.length) return named[0];
    let row = inp.parentElement;
    while (row && row !== fig && !row.querySelector("output")) row = row.parentElement;
    const near = row && row !== fig ? row.querySelectorAll("output") : [];
    return near.length === 1 ? near[0] : null;
  };
  const output = readoutOf(input);
  const outputs = output ? [output] : [];
  const data = fig ? fig.querySelector('script[type="application/json"]') : null;
  const rows = fig ? [...fig.querySelectorAll('input[type="range"]')] : [];
  const readouts = {};
  if (data) {
    const d = JSON.parse(data.textContent);
    d.sliders.forEach((s, i) => {
      const o = rows[i] ? readoutOf(rows[i]) : null;
      readouts[s.name] = o ? o.lastChild.textContent : null;
    });
  }
  const named = (input.getAttribute("aria-label") || "").trim()
    || (input.labels && input.labels.length && input.labels[0].textContent.trim())
    || (input.getAttribute("aria-labelledby") ? "by id" : "");
  return {
    id: input.id, value: input.value, min: input.min, max: input.max,
    valuetext: input.getAttribute("aria-valuetext"), named: !!named,
    readout: outputs.length ? outputs[0].textContent : null,
    readoutVisible: outputs.length ? outputs[0].checkVisibility() : false,
    figure: pic ? pic.outerHTML : null,
    label: pic ? (pic.getAttribute("aria-label") || pic.getAttribute("alt")) : null,
    alt: data ? JSON.parse(data.textContent).alt : null, readouts,
  };
}"""


def _number(text):
    """The last number in a readout such as "w_H = 0.90" (a Unicode minus counts as "-")."""
    found = re.findall(r"[-+]?\d+(?:\.\d+)?(?:e[-+]?\d+)?", (text or "").replace(MINUS, "-"))
    return float(found[-1]) if found else None


def _check_move(page_path, k, before, after, problems):
    where = f"{page_path} slider #{k} ({before['id'] or 'no id'})"
    old, new = before["value"], after["value"]
    if new == old:
        problems.append(f"{where}: the keyboard did not move it (value {old})")
        return
    if after["figure"] == before["figure"]:
        problems.append(f"{where}: figure unchanged when the value went {old} -> {new}")
    shown = _number(after["readout"])
    if after["readout"] is None or not after["readoutVisible"]:
        problems.append(f"{where}: no visible <output> showing its value")
    elif shown is None or abs(shown - float(new)) > 1e-9 * max(1.0, abs(float(new))):
        problems.append(f"{where}: readout {after['readout']!r} does not show the value {new}")
    if after["valuetext"] is not None and _number(after["valuetext"]) != shown:
        problems.append(f"{where}: aria-valuetext {after['valuetext']!r} != {after['readout']!r}")
    if after["alt"] and "{" in after["alt"]:
        expected = after["alt"]
        for name, text in after["readouts"].items():
            expected = expected.replace("{" + name + "}", text or "")
        if after["label"] != expected:
            problems.append(f"{where}: figure label {after['label']!r}, expected {expected!r}")


@pytest.mark.parametrize("page_path", PAGES)
def test_every_slider_moves_its_figure_and_shows_its_value(visit, page_path):
    html = (HTML / page_path).read_text(encoding="utf8") if (HTML / page_path).is_file() else ""
    if 'type="range"' not in html:
        pytest.skip(f"{page_path} has no slider")
    v = visit(page_path)
    since, page = v.mark(), v.page
    page.wait_for_function(
        "() => [...document.querySelectorAll('.rnnfig')].every(f => f.dataset.ready === '1')"
    )
    sliders = page.locator('input[type="range"]')
    assert sliders.count() > 0, f"{page_path}: the HTML has a range input but the page shows none"
    problems = []
    for k in range(sliders.count()):
        state = page.evaluate(_SLIDER_STATE, k)
        if not state["named"]:
            problems.append(f"{page_path} slider #{k}: no accessible name")
        if state["figure"] is None:
            problems.append(f"{page_path} slider #{k}: drives no svg[role=img], img or canvas")
            continue
        slider = sliders.nth(k)
        slider.scroll_into_view_if_needed()
        slider.focus()
        # To one end, then one step back: a jump and a single step.
        for key in ("End" if state["value"] != state["max"] else "Home", "ArrowLeft"):
            if key == "ArrowLeft" and state["value"] == state["min"]:
                key = "ArrowRight"
            page.keyboard.press(key)
            after = page.evaluate(_SLIDER_STATE, k)
            _check_move(page_path, k, state, after, problems)
            state = after
    assert not problems, "\n".join(problems)
    v.assert_clean(since)


# --- accessibility ------------------------------------------------------------------------


@pytest.mark.parametrize("page_path", PAGES)
def test_axe_finds_no_serious_or_critical_violation(visit, page_path):
    if not AXE.is_file():
        pytest.fail(f"{AXE.relative_to(ROOT)} is missing: run `make vendor`")
    v = visit(page_path)
    since = v.mark()
    if not v.page.evaluate("() => !!window.axe"):
        v.page.add_script_tag(path=str(AXE))
    violations = v.page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
             .map(x => ({id: x.id, impact: x.impact, help: x.help,
                         nodes: x.nodes.map(n => n.target.join(" ") + "  " + n.html.slice(0, 120))
             }))"""
    )
    blocking = [x for x in violations if x["impact"] in BLOCKING]
    report = "\n".join(
        f"{x['impact']} {x['id']} ({x['help']}):\n    " + "\n    ".join(x["nodes"][:5])
        for x in blocking
    )
    assert not blocking, f"{page_path}: axe-core violations:\n{report}"
    v.assert_clean(since)
