"""The book on every screen: working menus, nothing wider than a phone, print, search, dates.

Files in ``reader_static/`` beside this module, copied into the build's ``_static/``:

- ``reader.css`` (every page, after the theme's): one header and one search field, focus
  rings on the article header's buttons, inline code that wraps, display formulas and
  tables that scroll inside their own box with a shadow at the edge that has more, the
  search field's magnifier beside the text, and the print stylesheet (numbered chapter
  titles, wrapped code, figures kept with their captions, solutions marked);
- ``reader.js`` (every page): the article header's menu and Contents buttons work at every
  width. pydata-sphinx-theme 0.17 and sphinx-book-theme 1.3 bind their handlers to the
  first ``.primary-toggle`` / ``.secondary-toggle`` in the page, a hidden copy in the top
  header (pydata/pydata-sphinx-theme#2451, executablebooks/sphinx-book-theme#988); the
  script hands a click on any other copy to that one;
- ``search.js`` (the search page only): result snippets without the download menu's text
  or the visual layer of formulas (their MathML text stays).

Every image in a page's body gets ``loading="lazy"``: it loads as the reader scrolls to
it, not with the page.

It also defines the MyST substitution ``{{ last_updated }}`` that the front page shows:
the date of the sources (:func:`source_date`: the commit date of ``HEAD``, else
``SOURCE_DATE_EPOCH``; never the clock, so two builds of one commit are identical).
"""

import contextlib
import datetime
import os
import re
import shutil
import subprocess
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
FILES = HERE / "reader_static"


def source_date(root=ROOT, environ=os.environ, lang="en"):
    """The date of the book's sources as ``'1 January 2026'`` (Korean: ``'2026년 1월 1일'``),
    or None if unknown.

    The commit date of ``HEAD`` in ``root`` if it is a git checkout, else
    ``SOURCE_DATE_EPOCH`` (seconds since 1970, UTC), else None: never today's date.

    >>> source_date("/nonexistent", {"SOURCE_DATE_EPOCH": "1767225600"})
    '1 January 2026'
    >>> source_date("/nonexistent", {"SOURCE_DATE_EPOCH": "1767225600"}, lang="ko")
    '2026년 1월 1일'
    >>> source_date("/nonexistent", {}) is None
    True
    """
    seconds = None
    with contextlib.suppress(OSError, subprocess.CalledProcessError):
        seconds = subprocess.run(
            ["git", "log", "-1", "--format=%ct"],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    seconds = seconds or environ.get("SOURCE_DATE_EPOCH")
    if not seconds:
        return None
    day = datetime.datetime.fromtimestamp(int(seconds), tz=datetime.UTC)
    if lang == "ko":
        return f"{day.year}년 {day.month}월 {day.day}일"
    return f"{day.day} {day:%B %Y}"


def _install(app, config):
    static = Path(app.outdir).parent / ".rnn_reader"
    static.mkdir(parents=True, exist_ok=True)
    for name in ("reader.css", "reader.js", "search.js"):
        shutil.copyfile(FILES / name, static / name)
    # Relative to the config folder: the path enters .buildinfo's hash, which must not
    # depend on where the book is checked out.
    config.html_static_path = [*config.html_static_path, os.path.relpath(static, app.confdir)]
    korean = (config.language or "").startswith("ko")
    date = source_date(lang="ko" if korean else "en")
    date = date or ("기록되지 않은 날짜" if korean else "an unrecorded date")
    config.myst_substitutions = {**config.myst_substitutions, "last_updated": date}


_IMG = re.compile(r"<img (?![^>]*\bloading=)")


def _search_page_and_lazy_images(app, pagename, templatename, context, doctree):
    if pagename == "search":
        app.add_js_file("search.js", defer="defer")
    # Images load as the reader scrolls to them, not all with the page.
    if "body" in context:
        context["body"] = _IMG.sub('<img loading="lazy" ', context["body"])


def setup(app):
    app.connect("config-inited", _install)
    app.add_css_file("reader.css", priority=950)  # after the theme's and a11y.py's
    app.add_js_file("reader.js", defer="defer")
    app.connect("html-page-context", _search_page_and_lazy_images)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
