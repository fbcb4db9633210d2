"""The built book in Debian's chromium, driven by Playwright.

Serves _build/html on 127.0.0.1 and opens every page. Each page must load, fetch
nothing from another host, log no JavaScript error, show its maths typeset when the book
was built (KaTeX, no typesetting script) with no KaTeX error, and load under 1.5 MB in
all; every image in the article has alt text and every slider figure's SVG is a labelled
image. A full-page screenshot of each page goes to _build/screenshots/. Then, on every page:

- every slider (any ``input[type=range]``) is moved with the keyboard, and its figure,
  its value readout and, where the figure's label names slider values, the label follow;
- axe-core (vendored from the npm registry into _vendor/test/ by `make vendor`, and
  injected only here: the book does not ship it) finds no serious or critical violation.

And as readers meet it (issue 16), at 390 x 844 (device scale 2, touch), 1024 x 768 and
1400 x 1000: the visible menu button shows the chapter list and the visible Contents
button the page's sections, with one search field; at 390 px nothing widens the page and
the figures' text stays readable; printed, no slider control shows and each slider figure
prints its frames; in dark mode no slider figure is brighter than the page around it;
without JavaScript every slider figure shows an image and the maths is there.
"""

import importlib.util
import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from book_toc import toc_pages
from serving import serve_directory

from sliders.static import payload_json

ROOT = Path(__file__).resolve().parents[2]
HTML = ROOT / "_build" / "html"
SHOTS = ROOT / "_build" / "screenshots"
AXE = ROOT / "_vendor" / "test" / "axe.min.js"
BLOCKING = ("serious", "critical")  # axe impacts that fail the test
MINUS = "\N{MINUS SIGN}"

BUILD_TEST = "test_book.py::test_book_builds_with_warnings_as_errors"
PAGES = [p.relative_to(ROOT).with_suffix(".html").as_posix() for p in toc_pages()]
PAGES += ["index.html", "search.html"]  # no genindex.html: the book has no index entries
# The Korean edition (_build/html/ko/, tools/ko_build.py) passes the same tests: its pages
# as ko/_toc.yml lists them, less those tools/editions.py lists as not translated yet.
_EDITIONS = importlib.util.spec_from_file_location("editions", ROOT / "tools" / "editions.py")
editions = importlib.util.module_from_spec(_EDITIONS)
_EDITIONS.loader.exec_module(editions)
KOREAN = [f[: -len(".md")] + ".html" for f in editions.built_korean_files()]
PAGES += [*KOREAN, "ko/index.html", "ko/search.html"]
# Entries of each edition's chapter list (its table of contents less the front page).
MENU_ENTRIES = {"en": 7, "ko": len(KOREAN) - 1}

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
  const svgs = [...article.querySelectorAll(".rnnfig svg:not([aria-hidden='true'])")]
    .filter(s => s.getAttribute("role") !== "img" || !(s.getAttribute("aria-label") || "").trim())
    .map(s => s.outerHTML.slice(0, 160));
  return {article: true, imgs, svgs};
}"""


@pytest.mark.parametrize("page_path", PAGES)
def test_page_loads_offline_without_errors(visit, page_path):
    v = visit(page_path)
    page = v.page
    if page.locator(".math").count() > 0:
        assert page.locator(".math .katex").count() > 0, f"{page_path}: math not typeset"
        assert page.locator(".katex-error").count() == 0, f"{page_path}: KaTeX error in TeX"
        assert page.locator(".katex-mathml math").count() > 0, f"{page_path}: no MathML"
    typesetters = page.evaluate(
        "() => [...document.scripts].map(s => s.src).filter(s => /mathjax|katex/i.test(s))"
    )
    assert not typesetters, f"{page_path} typesets maths in the browser: {typesetters}"

    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / (page_path.replace("/", "__")[:-5] + ".png")), full_page=True)

    labels = page.evaluate(_UNLABELLED)
    assert labels["article"], f"{page_path}: no article element (.bd-article or main)"
    assert not labels["imgs"], f"{page_path}: images without alt text: {labels['imgs']}"
    assert not labels["svgs"], (
        f"{page_path}: slider figures without role=img and aria-label: {labels['svgs']}"
    )
    v.assert_clean()


PAGE_BUDGET = 1_500_000  # bytes a page may load, everything included (issues 7 and 16)


@pytest.mark.parametrize("page_path", PAGES)
def test_page_loads_under_1_5_mb(visit, page_path):
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


# --- every screen a reader uses (issue 16) --------------------------------------------------

SCREENS = {
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    },
    "tablet": {"viewport": {"width": 1024, "height": 768}},
    "desktop": {"viewport": {"width": 1400, "height": 1000}},
}
SLIDER_PAGES = [p for p in PAGES if p.startswith(("book/ch", "ko/book/ch"))]  # the chapters


def _open_clean(site, browser, page_path, **context):
    """A page in a fresh context, with the problems its loading logged (as _Visit does)."""
    ctx = browser.new_context(**context)
    problems = []
    here = urlsplit(site).netloc
    ctx.route(
        "**/*",
        lambda r: r.continue_() if urlsplit(r.request.url).netloc == here else r.abort(),
    )
    page = ctx.new_page()
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(f"{site}/{page_path}", wait_until="load")
    page.wait_for_load_state("networkidle")
    return ctx, page, problems


# Links a reader can see: rendered, not transparent or hidden, and inside the viewport
# (the phone's closed drawer sits off-screen; a collapsed sidebar is hidden).
_SEEN = """(sel) => [...document.querySelectorAll(sel)].filter(a => {
  const r = a.getBoundingClientRect();
  return a.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})
    && r.width > 0 && r.right > 0 && r.left < innerWidth;
}).length"""
_VISIBLE_BUTTON = """(sel) => [...document.querySelectorAll(sel)]
  .findIndex(b => b.checkVisibility() && b.getBoundingClientRect().width > 0)"""


def _press(page, selector, touch):
    index = page.evaluate(_VISIBLE_BUTTON, selector)
    if index < 0:
        return False
    button = page.locator(selector).nth(index)
    button.tap() if touch else button.click()
    page.wait_for_timeout(350)  # the sidebar's transition
    return True


def _close_dialogs(page):
    page.keyboard.press("Escape")
    page.wait_for_timeout(200)


@pytest.mark.parametrize("screen", list(SCREENS))
@pytest.mark.parametrize("page_path", PAGES)
def test_menu_and_contents_buttons_work_at_every_width(site, browser, page_path, screen):
    """Regression test for the dead menu buttons (pydata-sphinx-theme#2451): the visible
    buttons, tapped or clicked, show the chapter list and the page's sections."""
    touch = SCREENS[screen].get("has_touch", False)
    ctx, page, problems = _open_clean(site, browser, page_path, **SCREENS[screen])
    try:
        searches = page.evaluate(
            "() => [...document.querySelectorAll('.search-button-field, .search-button')]"
            ".filter(b => b.checkVisibility() && b.getBoundingClientRect().width > 0).length"
        )
        assert searches == 1, f"{page_path} at {screen}: {searches} search fields"
        shown = page.evaluate(_SEEN, ".bd-sidenav a")
        assert _press(page, ".primary-toggle", touch), f"{page_path} {screen}: no menu button"
        if shown:  # wide: the list is there; the button hides it, and shows it again
            assert page.evaluate(_SEEN, ".bd-sidenav a") == 0, f"{page_path} {screen}: no effect"
            _press(page, ".primary-toggle", touch)
        entries = MENU_ENTRIES["ko" if page_path.startswith("ko/") else "en"]
        assert page.evaluate(_SEEN, ".bd-sidenav a") >= entries, (
            f"{page_path} {screen}: no chapters"
        )
        _close_dialogs(page)
        if page.locator("nav.page-toc a").count():
            if _press(page, ".secondary-toggle", touch):
                assert page.evaluate(_SEEN, "nav.page-toc a"), f"{page_path} {screen}: no sections"
            else:  # wide: no button, the sections are on the page
                assert page.evaluate(_SEEN, "nav.page-toc a"), f"{page_path} {screen}: no sections"
        assert not problems, problems
    finally:
        ctx.close()


# Heights of the text boxes of every slider figure's SVG, in CSS px.
_TEXT_HEIGHTS = """() => [...document.querySelectorAll('.rnnfig svg.rnnfig-live text')]
  .map(t => t.getBoundingClientRect().height).filter(h => h > 0)"""


@pytest.mark.parametrize("page_path", PAGES)
def test_phone_layout_fits_and_prints_slider_frames(site, browser, page_path):
    """At 390 px nothing widens the page and figure text is readable (10th percentile of
    text box heights >= 10 px, was 5.5); printed, no slider control shows and every
    slider figure prints the frames its text refers to."""
    ctx, page, problems = _open_clean(site, browser, page_path, **SCREENS["phone"])
    try:
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 390, f"{page_path}: the page is {width} px wide on a 390 px phone"
        figures = page.locator(".rnnfig").count()
        if figures:
            page.wait_for_function(
                "() => [...document.querySelectorAll('.rnnfig')]"
                ".every(f => f.dataset.ready === '1')"
            )
            heights = sorted(page.evaluate(_TEXT_HEIGHTS))
            p10 = heights[len(heights) // 10]
            assert p10 >= 10, f"{page_path}: 10th percentile of figure text height {p10:.1f} px"
        page.emulate_media(media="print")
        controls = page.evaluate(
            "() => [...document.querySelectorAll('.rnnfig input, .rnnfig button, "
            ".rnnfig output')].filter(e => e.checkVisibility()).length"
        )
        assert controls == 0, f"{page_path}: {controls} slider controls visible in print"
        for k in range(figures):
            fig = page.locator(".rnnfig").nth(k)
            script = fig.locator("script.rnnfig-data").evaluate("e => e.outerHTML")
            (data,) = payload_json(script)
            wanted = len(json.loads(data)["print"])
            printed = fig.locator(".rnnfig-print svg").evaluate_all(
                "els => els.filter(e => e.checkVisibility() && e.querySelector('text')).length"
            )
            assert printed == wanted, f"{page_path} figure {k}: {printed} of {wanted} frames"
        assert not problems, problems
    finally:
        ctx.close()


def test_regression_printed_slider_frames_are_not_chained_to_what_precedes(site, browser):
    """In print a frame's label (above its picture) must not avoid a break before it:
    that chained each frame to the previous one and the first to the code cell, and
    Chromium pushed chapter 5's figures down, leaving most of a page blank."""
    ctx, page, problems = _open_clean(site, browser, "book/ch05_vanishing.html")
    try:
        page.emulate_media(media="print")
        rules = page.evaluate(
            "() => [...document.querySelectorAll('.rnnfig-frame')].map(f => [\n"
            "  getComputedStyle(f).breakInside,\n"
            "  getComputedStyle(f.querySelector('figcaption')).breakBefore])"
        )
        assert len(rules) >= 3, rules
        assert all(r == ["avoid", "auto"] for r in rules), rules
        assert not problems, problems
    finally:
        ctx.close()


def _luminance(png, outside=None):
    """Mean relative luminance (0 black, 1 white) of a screenshot, or of its pixels outside
    the box ``outside`` (x, y, width, height in CSS px, device scale 1)."""
    import io

    import numpy as np
    from PIL import Image

    rgb = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=float) / 255
    lum = rgb @ [0.2126, 0.7152, 0.0722]
    if outside is None:
        return float(lum.mean())
    keep = np.ones(lum.shape, bool)
    x, y, w, h = (round(v) for v in outside)
    keep[max(0, y) : max(0, y + h), max(0, x) : max(0, x + w)] = False
    return float(lum[keep].mean())


@pytest.mark.parametrize("page_path", SLIDER_PAGES)
def test_dark_mode_slider_figures_are_not_brighter_than_the_page(site, browser, page_path):
    """Regression test for the white panel in dark mode (figure brightness 0.93-0.97)."""
    ctx, page, problems = _open_clean(
        site, browser, page_path, viewport={"width": 1024, "height": 768}, color_scheme="dark"
    )
    try:
        page.evaluate(
            "() => { localStorage.setItem('mode', 'dark'); localStorage.setItem('theme', 'dark'); }"
        )
        page.reload(wait_until="networkidle")
        assert page.evaluate("() => document.documentElement.dataset.theme") == "dark"
        figures = page.locator(".rnnfig")
        assert figures.count() > 0, f"{page_path}: no slider figure"
        for k in range(figures.count()):
            fig = figures.nth(k)
            fig.evaluate("e => e.scrollIntoView({block: 'center'})")
            box = fig.bounding_box()
            inside = _luminance(fig.screenshot())
            page_around = _luminance(
                page.screenshot(), (box["x"], box["y"], box["width"], box["height"])
            )
            assert inside <= page_around + 0.05, (
                f"{page_path} figure {k}: brightness {inside:.2f}, page around {page_around:.2f}"
            )
        assert not problems, problems
    finally:
        ctx.close()


@pytest.mark.parametrize("page_path", SLIDER_PAGES)
def test_without_javascript_every_slider_figure_shows_an_image(site, browser, page_path):
    """Regression test for the empty 720 x 360 boxes and raw TeX without JavaScript."""
    ctx, page, _ = _open_clean(
        site,
        browser,
        page_path,
        viewport={"width": 1024, "height": 768},
        java_script_enabled=False,
    )
    try:
        figures = page.locator(".rnnfig")
        assert figures.count() > 0, f"{page_path}: no slider figure"
        for k in range(figures.count()):
            img = figures.nth(k).locator("img.rnnfig-still")
            img.scroll_into_view_if_needed()
            assert img.count() == 1 and img.is_visible(), f"{page_path} figure {k}: no image"
            loaded = img.evaluate("i => i.complete && i.naturalWidth > 0")
            assert loaded, f"{page_path} figure {k}: its image did not load"
            assert not figures.nth(k).locator("svg.rnnfig-live").is_visible()
        maths = page.locator(".bd-article .katex").first
        assert maths.is_visible(), f"{page_path}: maths not shown"
        assert "\\(" not in page.locator(".bd-article").inner_text(), f"{page_path}: raw TeX"
    finally:
        ctx.close()


# Two-syllable words these pages write only with a particle (감쇠는, 감쇠를; 계산을, 계산한다):
# the browser's search matches parts of words from three letters on, so not these.
@pytest.mark.parametrize("query, page", [("감쇠", "errata.html"), ("계산", "notation.html")])
def test_korean_search_page_finds_a_word_written_with_a_particle(site, browser, query, page):
    """Sphinx's own splitter indexed 감쇠는 and 감쇠를, never 감쇠: the search found nothing
    on a page that writes the word only with a particle (book/_ext/korean_search.py)."""
    ctx, tab, problems = _open_clean(
        site, browser, f"ko/search.html?q={query}", viewport={"width": 1280, "height": 900}
    )
    try:
        tab.wait_for_function("() => document.querySelectorAll('#search-results li').length > 0")
        found = tab.evaluate(
            "() => [...document.querySelectorAll('#search-results li a')].map(a => a.href)"
        )
        assert any(href.split("?")[0].endswith("/ko/" + page) for href in found), found
        assert not problems, problems
    finally:
        ctx.close()


def test_served_korean_font_loads_from_the_book(site, browser):
    """The font the Korean pages fall back to (book/_ext/korean_font.py) loads in chromium
    from the book itself, by URL, as a valid font (test_korean_parity.py checks that it
    holds every Korean character of the pages)."""
    ctx, tab, problems = _open_clean(site, browser, "ko/intro.html")
    try:
        loaded = tab.evaluate(
            """async () => {
              const face = new FontFace("Served only", "url(_static/rnn-korean.woff)");
              await face.load();
              document.fonts.add(face);
              const title = document.querySelector("h1").textContent.trim();
              return [face.status, document.fonts.check('16px "Served only"', title), title,
                      face.unicodeRange];
            }"""
        )
        assert loaded[:2] == ["loaded", True], loaded
        assert not problems, problems
    finally:
        ctx.close()
