"""The book's table of contents, its build, and that built pages load nothing off-site."""

import importlib.util
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar

import pytest
from book_toc import toc_pages

ROOT = Path(__file__).resolve().parents[2]
HTML = ROOT / "_build" / "html"
_EDITIONS = importlib.util.spec_from_file_location("editions", ROOT / "tools" / "editions.py")
editions = importlib.util.module_from_spec(_EDITIONS)
_EDITIONS.loader.exec_module(editions)
KOREAN_PAGES = editions.built_korean_files()  # ko/intro.md, ..., as ko/_toc.yml lists them


def test_toc_starts_with_intro_and_notation_and_every_page_exists():
    pages = toc_pages()
    assert [p.relative_to(ROOT).as_posix() for p in pages[:2]] == [
        "book/intro.md",
        "book/notation.md",
    ]
    missing = [str(p.relative_to(ROOT)) for p in pages if not p.is_file()]
    assert not missing, f"_toc.yml lists pages that do not exist: {missing}"
    assert len(set(pages)) == len(pages), "a page is listed twice in _toc.yml"


@pytest.mark.slow
@pytest.mark.xdist_group("book")  # build first, then the tests below and test_browser.py
def test_book_builds_with_warnings_as_errors():
    # so no page can pass from an old build, and the pages are a fresh build's (over an
    # earlier build Sphinx adds ?v=checksums to stylesheet links), as `make book` does
    for folder in (HTML, ROOT / "_build" / ".doctrees", ROOT / "_build" / "jupyter_execute"):
        shutil.rmtree(folder, ignore_errors=True)
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    result = subprocess.run(
        [str(jupyter_book), "build", ".", "--all", "-W", "-n", "--keep-going"],
        check=False,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    log = (result.stdout + result.stderr)[-6000:]
    assert result.returncode == 0, f"jupyter-book build failed:\n{log}"
    for page in toc_pages():
        html = HTML / page.relative_to(ROOT).with_suffix(".html")
        assert html.is_file(), f"no HTML for {page.relative_to(ROOT)}"
    # The Korean edition, as `make book` builds it second, into _build/html/ko/.
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "ko_build.py"), "--all", "-W", "-n", "--keep-going"],
        check=False,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    log = (result.stdout + result.stderr)[-6000:]
    assert result.returncode == 0, f"the Korean build failed:\n{log}"
    for page in KOREAN_PAGES:
        html = HTML / "ko" / Path(page).relative_to("ko").with_suffix(".html")
        assert html.is_file(), f"no HTML for {page}"


BUILD_TEST = "test_book.py::test_book_builds_with_warnings_as_errors"


class _Resources(HTMLParser):
    """Collect what a page makes the browser fetch, as opposed to links a reader may follow."""

    RESOURCE_ATTRS: ClassVar[dict[str, str]] = {
        "script": "src",
        "link": "href",  # stylesheet, icon, preload: every <link> in these pages loads something
        "img": "src",
        "iframe": "src",
        "source": "src",
        "video": "src",
        "audio": "src",
        "embed": "src",
        "object": "data",
    }

    def __init__(self):
        super().__init__()
        self.urls = []
        self.inline_scripts = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = self.RESOURCE_ATTRS.get(tag)
        if name and attrs.get(name):
            self.urls.append(f"<{tag} {name}={attrs[name]}>")
        if tag == "script" and not attrs.get("src"):
            kind = attrs.get("type") or "text/javascript"
            self._in_script = "javascript" in kind or kind == "module"

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.inline_scripts.append(data)


# url(https://...), url("//..."), @import "https://..." in a stylesheet
_CSS_OFF_SITE = re.compile(r"""(url\(|@import)\s*["']?\s*(https?:)?//[^"')\s]*""", re.IGNORECASE)


# XML namespace names look like URLs but are only identifiers; nothing fetches them.
_NAMESPACES = re.compile(r"http://www\.w3\.org/(2000/svg|1999/xhtml|1999/xlink)")


def _off_site(url: str) -> bool:
    url = url.split("=", 1)[1].lower()
    return url.startswith(("http://", "https://", "//"))


@pytest.mark.slow
@pytest.mark.xdist_group("book")
def test_built_pages_load_nothing_from_other_hosts(request):
    pages = sorted(p for p in HTML.rglob("*.html") if "_static" not in p.parts)
    if not pages:
        if any(BUILD_TEST in item.nodeid for item in request.session.items):
            pytest.fail("the build test ran in this session but left no _build/html")
        pytest.skip("no _build/html yet: run `make book` (make test builds it first)")
    problems = []
    for page in pages:
        parser = _Resources()
        parser.feed(page.read_text(encoding="utf8"))
        where = page.relative_to(HTML)
        problems += [f"{where}: {u}" for u in parser.urls if _off_site(u)]
        problems += [
            f"{where}: inline script names an outside URL: {s.strip()[:120]}"
            for s in parser.inline_scripts
            if re.search(r"https?://", _NAMESPACES.sub("", s))
        ]
    for css in HTML.rglob("*.css"):
        text = css.read_text(encoding="utf8", errors="replace")
        for match in _CSS_OFF_SITE.finditer(text):
            problems.append(f"{css.relative_to(HTML)}: {match.group(0)}")
    assert not problems, "built pages fetch from outside hosts:\n" + "\n".join(problems)
    # Maths is typeset at build time (book/_ext/katex_static.py): pages ship KaTeX's
    # stylesheet and fonts, served from the book itself, and no typesetting script.
    katex = HTML / "_static" / "vendor" / "katex"
    assert (katex / "katex.min.css").is_file(), "vendored KaTeX CSS missing (run `make vendor`)"
    assert list((katex / "fonts").glob("*.woff2")), "KaTeX's fonts missing from _build/html"
    scripts = [p for p in pages if re.search(r"<script[^>]*(mathjax|katex)", p.read_text("utf8"))]
    assert not scripts, f"pages that typeset maths in the browser: {scripts}"
    assert not (HTML / "genindex.html").exists(), "an empty index page (html_use_index: false)"
    assert not [p for p in pages if "genindex.html" in p.read_text(encoding="utf8")]
    # The theme's 1.5 MB icon script is not loaded (book/_ext/lean_pages.py).
    assert not [p for p in pages if "fontawesome.js" in p.read_text(encoding="utf8")]
    # axe-core is for the browser tests only (_vendor/test/): the book must not ship it.
    shipped = [str(p.relative_to(HTML)) for p in HTML.rglob("axe*.js")]
    assert not shipped, f"test-only axe-core copied into the book: {shipped}"


class _Links(HTMLParser):
    """Every <a>: its href and attributes, and the text inside it."""

    def __init__(self):
        super().__init__()
        self.links, self._open = [], []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._open.append({**dict(attrs), "text": ""})

    def handle_data(self, data):
        for link in self._open:
            link["text"] += data

    def handle_endtag(self, tag):
        if tag == "a" and self._open:
            self.links.append(self._open.pop())


NOTEBOOK_LINK_TEXT = "Download this chapter as a Jupyter notebook (.ipynb)"
NOTEBOOK_LINK_TEXTS = {
    "en": NOTEBOOK_LINK_TEXT,
    "ko": "이 쪽을 Jupyter 노트북(.ipynb)으로 내려받기",
}


def _edition_pages(edition):
    """(source, built page) of every page of an edition: English, or Korean (ko/)."""
    if edition == "en":
        return [(p, HTML / p.relative_to(ROOT).with_suffix(".html")) for p in toc_pages()]
    return [
        (ROOT / f, HTML / "ko" / Path(f).relative_to("ko").with_suffix(".html"))
        for f in KOREAN_PAGES
    ]


@pytest.mark.slow
@pytest.mark.xdist_group("book")
@pytest.mark.parametrize("edition", ["en", "ko"])
def test_every_notebook_page_links_its_ipynb_with_the_sources_code(request, edition):
    import jupytext
    import nbformat
    from book_toc import is_notebook

    pages = _edition_pages(edition)
    notebooks = [(s, p) for s, p in pages if s.suffix == ".md" and is_notebook(s)]
    assert notebooks, f"no page of the {edition} edition is a MyST notebook"
    if not (HTML / "index.html").is_file() or not (HTML / "ko" / "index.html").is_file():
        if any(BUILD_TEST in item.nodeid for item in request.session.items):
            pytest.fail("the build test ran in this session but left no _build/html")
        pytest.skip("no _build/html yet: run `make book` (make test builds it first)")
    link_text = NOTEBOOK_LINK_TEXTS[edition]
    for source, page in notebooks:
        parser = _Links()
        parser.feed(page.read_text(encoding="utf8"))
        visible = [
            a
            for a in parser.links
            if a.get("href", "").endswith(".ipynb") and " ".join(a["text"].split()) == link_text
        ]
        assert visible, f"{page.name}: no link '{link_text}'"
        menu = [a for a in parser.links if "btn-download-notebook-button" in a.get("class", "")]
        assert [a["href"] for a in menu] == [visible[0]["href"]], f"{page.name}: download menu"
        for link in visible:
            target = (page.parent / link["href"]).resolve()
            where = f"{page.name}: {link['href']}"
            assert target.is_relative_to(HTML.resolve()), f"{where} leaves the site"
            assert target.is_file(), f"{where} does not exist"
            nb = nbformat.read(target, as_version=4)
            nbformat.validate(nb)
            expected = [c.source for c in jupytext.read(source).cells if c.cell_type == "code"]
            got = [c.source for c in nb.cells if c.cell_type == "code"]
            assert got == expected, f"{target.name}: code cells differ from {source.name}"
            assert nb.metadata.get("kernelspec"), f"{target.name}: no kernelspec"
