"""Two editions of one book: English (``_build/html/``) and Korean (``_build/html/ko/``).

Both builds load this extension; the edition is Sphinx's ``language`` (``ko`` in
ko/_config.yml, English otherwise). Which Korean page translates which English page is
tools/editions.py's business; this extension

- sets ``RNNBOOK_LANG`` for the kernels myst-nb starts (``ko`` or ``en``), as
  sliders_static.py sets SLIDERS_STATIC: the figure code takes its words from the string
  table of that language (sliders.i18n), so the code cells of both editions are the same;
- puts a language switch in every page's header (``language-switch.html``, before the
  theme's buttons): a plain link, working offline and without JavaScript, to the same page
  in the other edition (to that edition's front page if the page has no counterpart yet),
  and a ``<link rel="alternate" hreflang>`` in the head;
- in the Korean build, resolves a reference to a page that is not translated yet
  (tools/editions.py's UNTRANSLATED: an ``{eq}`` to one of its equations, a ``{doc}`` to
  it) as a link into the English edition, with the English equation number, so a Korean
  page can be built before every chapter is; any other broken reference stays a warning;
- adds Korean for the theme's words that neither Sphinx's nor the theme's catalogs have
  (pydata-sphinx-theme ships no Korean), compiled into a message catalog at build time.
"""

import importlib.util
import os
import posixpath
import re
from pathlib import Path

from docutils import nodes
from sphinx.errors import ExtensionError
from sphinx.util import logging

logger = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parents[2]


def _load(name):
    """A module of tools/ (editions.py, plain_notebook.py), loaded from its file."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


editions = _load("editions")

SWITCH = {  # edition -> how its pages name the other edition, in the other's language
    "en": {"text": "한국어", "lang": "ko", "title": "이 쪽의 한국어판"},
    "ko": {"text": "English", "lang": "en", "title": "This page in English"},
}

#: Words sphinx-book-theme writes in fixed English (or, "By", which its Korean catalog
#: renders as "으로"): each template is copied from the installed theme with that one
#: attribute or call made translatable, and put ahead of the theme's own. A theme upgrade
#: that changed one of them stops the build (the copy must then be looked at).
THEME_WORDS = {
    "components/toggle-primary-sidebar.html": ('title="Toggle primary sidebar"',),
    "components/toggle-secondary-sidebar.html": ('title="Toggle secondary sidebar"',),
    "components/sbt-sidebar-nav.html": ('aria-label="Main"',),
    "components/author.html": ("{{ translate('By') }}",),
    "layout.html": ('aria-label="Page"',),
}
_WORD = re.compile(r"""(?:(\w[\w-]*)="([^"]*)"|\{\{ translate\('([^']*)'\) \}\})""")


def translatable(text, fixed):
    """``text`` with the attribute (or ``translate()`` call) ``fixed`` made a ``_()`` call.

    >>> translatable('<a title="Next page">', 'title="Next page"')
    '<a title="{{ _(\\'Next page\\') }}">'
    """
    if text.count(fixed) != 1:
        raise ExtensionError(f"expected {fixed!r} once in a sphinx-book-theme template")
    name, value, word = _WORD.fullmatch(fixed).groups()
    new = f"{name}=\"{{{{ _('{value}') }}}}\"" if name else f"{{{{ _('{word}') }}}}"
    return text.replace(fixed, new)


def theme_templates():
    """Template name -> text: THEME_WORDS applied to the installed sphinx-book-theme."""
    import sphinx_book_theme

    theme = Path(sphinx_book_theme.__file__).parent / "theme" / "sphinx_book_theme"
    out = {}
    for path, words in THEME_WORDS.items():
        text = (theme / path).read_text(encoding="utf8")
        for fixed in words:
            text = translatable(text, fixed)
        out[Path(path).name] = text
    return out


TEMPLATE = """\
{%- if rnn_edition_switch %}
<a class="btn btn-sm rnn-edition-switch" href="{{ rnn_edition_switch.url }}"
  hreflang="{{ rnn_edition_switch.lang }}" lang="{{ rnn_edition_switch.lang }}"
  title="{{ rnn_edition_switch.title }}">
  <i class="fa-solid fa-language" aria-hidden="true"></i>
  <span class="rnn-edition-text">{{ rnn_edition_switch.text }}</span></a>
{%- endif %}
"""

CSS = """\
/* Written by book/_ext/editions.py: the language switch in the article header, in one
   row with the theme's buttons. */
.bd-header-article .header-article-items__end{display:flex;align-items:center}
.rnn-edition-switch{display:inline-flex;align-items:center;gap:0.35em;min-height:44px;
  white-space:nowrap}
.rnn-edition-switch .rnn-edition-text{font-size:0.9rem}
/* Korean breaks lines between words (at spaces), not inside them: "배치 우선", never
   "배치 우" / "선". A word too long for its line still breaks. */
html[lang="ko"] body{word-break:keep-all;overflow-wrap:break-word}
html[lang="ko"] pre,html[lang="ko"] code{word-break:normal}
"""

#: The theme's words that no catalog has in Korean (pydata-sphinx-theme has no Korean).
KO_MESSAGES = {
    "Color mode": "색상 모드",
    "Skip to main content": "본문으로 건너뛰기",
    "Back to top": "맨 위로",
    "Search": "검색",
    "Search the docs ...": "책에서 검색 ...",
    "Search this book...": "이 책에서 검색...",
    "On this page": "이 쪽의 내용",
    "Contents": "목차",
    "Download this page": "이 쪽 내려받기",
    "Source repository": "소스 저장소",
    "Light": "밝게",
    "Dark": "어둡게",
    "System Settings": "시스템 설정",
    "Print to PDF": "PDF로 인쇄",
    "Fullscreen mode": "전체 화면",
    "Toggle navigation": "탐색 열고 닫기",
    "Site navigation": "사이트 탐색",
    "Section Navigation": "절 탐색",
    "previous": "이전",
    "next": "다음",
    "By": "지은이:",
    "Last updated on": "마지막 수정:",
    "Copyright": "저작권",
    "© Copyright %(copyright)s.": "저작권 © %(copyright)s.",
    "Version warning": "버전 경고",
    "Main": "본문",
    "Page": "쪽",
    "previous page": "이전 쪽",
    "next page": "다음 쪽",
    "Toggle primary sidebar": "차례 열고 닫기",
    "Toggle secondary sidebar": "이 쪽의 목차 열고 닫기",
    "Link to this heading": "이 제목으로 가는 링크",
    "Link to this equation": "이 수식으로 가는 링크",
    "Link to this table": "이 표로 가는 링크",
    "Link to this image": "이 그림으로 가는 링크",
    "Link to this code": "이 코드로 가는 링크",
    "Link to this definition": "이 정의로 가는 링크",
    "Please activate JavaScript to enable the search functionality.": (
        "검색 기능을 쓰려면 JavaScript를 켜십시오."
    ),
}

SEARCH_BAR = {"en": "Search this book...", "ko": "이 책에서 검색..."}


def edition(config):
    """``"ko"`` for the Korean build, else ``"en"``."""
    return "ko" if (config.language or "en").startswith("ko") else "en"


def _configure(app, config):
    lang = edition(config)
    os.environ["RNNBOOK_LANG"] = lang  # read by every kernel the build starts
    generated = Path(app.outdir).parent / ".rnn_editions"
    (generated / "templates").mkdir(parents=True, exist_ok=True)
    (generated / "static").mkdir(parents=True, exist_ok=True)
    for name, text in {**theme_templates(), "language-switch.html": TEMPLATE}.items():
        (generated / "templates" / name).write_text(text, encoding="utf8")
    (generated / "static" / "rnn_editions.css").write_text(CSS, encoding="utf8")
    # First, so these win over sphinx-book-theme's components of the same name. Relative
    # to the config folder, as in a11y.py: the paths enter .buildinfo's hash, which must
    # not depend on where the book is checked out (two builds differed in it).
    where = Path(os.path.relpath(generated, app.confdir))
    config.templates_path = [str(where / "templates"), *config.templates_path]
    config.html_static_path = [*config.html_static_path, str(where / "static")]
    options = dict(config.html_theme_options or {})
    end = options.get("article_header_end") or ["article-header-buttons.html"]
    if isinstance(end, str):
        end = [e.strip() for e in end.split(",")]
    options["article_header_end"] = ["language-switch.html", *end]
    options["search_bar_text"] = SEARCH_BAR[lang]
    config.html_theme_options = options
    if lang == "ko":
        app.add_message_catalog("sphinx", str(_catalog(generated / "locale")))


def _catalog(folder):
    """Compile :data:`KO_MESSAGES` into ``folder/ko/LC_MESSAGES/sphinx.mo``; return folder."""
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo

    catalog = Catalog(locale="ko", domain="sphinx")
    for english, korean in KO_MESSAGES.items():
        catalog.add(english, korean)
    target = Path(folder, "ko", "LC_MESSAGES", "sphinx.mo")
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as out:
        write_mo(out, catalog)
    return folder


def _built_korean_docnames():
    """The Korean build's pages; none for a book without ko/ (the tests' probe books)."""
    if not (editions.KO / "_toc.yml").is_file():
        return set()
    return {f[len("ko/") : -len(".md")] for f in editions.built_korean_files()}


def other_edition(lang, pagename, korean_built=None):
    """(URL of ``pagename`` in the other edition, relative to this page, found).

    ``found`` is False when the page has no counterpart (yet), and the URL is then the
    other edition's front page.

    >>> other_edition("en", "book/notation", {"intro", "notation"})
    ('../ko/notation.html', True)
    >>> other_edition("ko", "book/ch04_bptt", {"intro"})
    ('../../book/ch04_bptt.html', True)
    >>> other_edition("en", "book/ch04_bptt", {"intro", "notation"})
    ('../ko/intro.html', False)
    >>> other_edition("ko", "glossary", {"intro", "glossary"})
    ('../book/intro.html', False)
    """
    up = "../" * pagename.count("/")
    if lang == "en":
        built = _built_korean_docnames() if korean_built is None else korean_built
        target = editions.korean_docname(pagename)
        found = target in built or target == "search"
        return f"{up}ko/{target if found else 'intro'}.html", found
    target = editions.english_docname(pagename)
    found = target is not None
    return f"{up}../{target if found else 'book/intro'}.html", found


def _add_switch(app, pagename, templatename, context, doctree):
    lang = edition(app.config)
    url, found = other_edition(lang, pagename)
    context["rnn_edition_switch"] = {"url": url, **SWITCH[lang]}
    if found:
        other = SWITCH[lang]["lang"]
        link = f'<link rel="alternate" hreflang="{other}" href="{url}">'
        context["metatags"] = context.get("metatags", "") + "\n" + link


_LABEL = re.compile(r"^`{3,}\{math\}[^\n]*\n:label:[ \t]*(\S+)", re.MULTILINE)


def untranslated_equations():
    """Label -> English docname for the equations of the pages not translated yet."""
    out = {}
    for page in editions.UNTRANSLATED:
        for label in _LABEL.findall((ROOT / page).read_text(encoding="utf8")):
            out[label] = page[: -len(".md")]
    return out


def _english_link(app, env, node, contnode):
    """A reference into an untranslated page, resolved into the English edition."""
    if edition(app.config) != "ko" or not editions.UNTRANSLATED:
        return None
    up = "../" * node["refdoc"].count("/") + "../"  # from this page to the English root
    target = node.get("reftarget", "")
    if node.get("reftype") == "eq":
        page = untranslated_equations().get(target)
        if page is None:
            return None
        number = _load("plain_notebook").equation_numbers(ROOT)[target]
        url, text = f"{up}{page}.html#equation-{target}", f"({number})"
    elif node.get("reftype") == "doc":
        docname = posixpath.normpath(posixpath.join(posixpath.dirname(node["refdoc"]), target))
        english = editions.english_docname(docname)
        if english is None or f"{english}.md" not in editions.UNTRANSLATED:
            return None
        url = f"{up}{english}.html"
        explicit = node.get("refexplicit")
        text = contnode.astext() if explicit else _english_title(english)
    else:
        return None
    logger.info(f"{node['refdoc']}: {target} is not translated yet; linked to the English page")
    ref = nodes.reference("", "", internal=False, refuri=url, classes=["rnn-english-edition"])
    ref["reftitle"] = "영문판 (아직 번역되지 않은 쪽)"
    ref += nodes.Text(text)
    return ref


def _english_title(docname):
    """The first heading of an English page, with " (영문판)" after it."""
    text = (ROOT / f"{docname}.md").read_text(encoding="utf8")
    title = re.search(r"^# (.+)$", text, re.MULTILINE).group(1).strip()
    return f"{title} (영문판)"


def setup(app):
    # After reader_pages.py and a11y.py have set their paths (default priority 500).
    app.connect("config-inited", _configure, priority=600)
    app.add_css_file("rnn_editions.css", priority=950)
    app.connect("html-page-context", _add_switch)
    app.connect("missing-reference", _english_link)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
