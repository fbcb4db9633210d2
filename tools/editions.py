"""The book's two editions: which Korean file is the translation of which English page.

The English edition is built from ``_toc.yml`` (sources in ``book/``), the Korean one from
``ko/_toc.yml`` (sources in ``ko/``, built into ``_build/html/ko/``; tools/ko_build.py). A
Korean chapter sits where its English chapter sits, one folder deeper:
``book/ch03_rnn_cell.md`` -> ``ko/book/ch03_rnn_cell.md``; the front and back matter
(``book/intro.md``, ``book/notation.md``, ...) sit at the top of ``ko/``. The glossary,
``ko/glossary.md``, has no English page.

While a translation is being written its English page is listed in :data:`UNTRANSLATED`:
the Korean build leaves it out of its table of contents, links to it in the English
edition instead, and the parity test (tests/book/test_korean_parity.py) checks every
other page. An empty list is the finished state: every English page has a Korean page.

Used by book/_ext/editions.py (the language switch, the links to untranslated pages),
tools/ko_build.py, tools/ko_sync.py and the tests; it reads files, nothing else.
"""

import re
from pathlib import Path, PurePosixPath

import yaml

ROOT = Path(__file__).resolve().parents[1]
KO = ROOT / "ko"

#: English pages (paths from the repository root) with no Korean file yet. Remove a page
#: when its translation lands; the parity test fails while a listed page has a file, so
#: the list can only shrink. Empty = strict: every English page has a Korean page.
UNTRANSLATED = ()

#: Korean pages with no English counterpart (docnames of the Korean build).
KOREAN_ONLY = ("glossary",)

_CHAPTER = re.compile(r"ch\d\d_")


def toc_files(toc_path):
    """Every ``file:`` of a jb-book table of contents, root first, as written there."""
    toc = yaml.safe_load(Path(toc_path).read_text(encoding="utf8"))
    files = [toc["root"]]
    for part in toc.get("parts", []):
        files += [entry["file"] for entry in part.get("chapters", [])]
    return files


def english_pages(root=ROOT):
    """The English pages of ``_toc.yml`` as paths from ``root`` (``book/intro.md``, ...)."""
    return [PurePosixPath(f).with_suffix(".md").as_posix() for f in toc_files(root / "_toc.yml")]


def korean_path(english):
    """The Korean file of an English page, from the repository root.

    >>> korean_path("book/ch03_rnn_cell.md"), korean_path("book/notation.md")
    ('ko/book/ch03_rnn_cell.md', 'ko/notation.md')
    """
    path = PurePosixPath(english)
    if path.parts[0] != "book" or len(path.parts) != 2:
        raise ValueError(f"english: expected book/<page>.md, got {english!r}")
    if _CHAPTER.match(path.name):
        return f"ko/book/{path.name}"
    return f"ko/{path.name}"


def english_path(korean):
    """The English page a Korean file translates, or None for a Korean-only page.

    >>> english_path("ko/book/ch03_rnn_cell.md"), english_path("ko/intro.md")
    ('book/ch03_rnn_cell.md', 'book/intro.md')
    >>> english_path("ko/glossary.md") is None
    True
    """
    path = PurePosixPath(korean)
    if path.parts[0] != "ko":
        raise ValueError(f"korean: expected ko/..., got {korean!r}")
    if path.stem in KOREAN_ONLY and len(path.parts) == 2:
        return None
    return f"book/{path.name}"


def korean_docname(english_docname):
    """English docname -> Korean docname: ``book/intro`` -> ``intro``.

    >>> korean_docname("book/ch03_rnn_cell"), korean_docname("search")
    ('book/ch03_rnn_cell', 'search')
    """
    if not english_docname.startswith("book/"):
        return english_docname  # search and other pages every build makes
    return str(PurePosixPath(korean_path(english_docname + ".md")).with_suffix(""))[len("ko/") :]


def english_docname(korean_docname_):
    """Korean docname -> English docname, or None for a Korean-only page.

    >>> english_docname("intro"), english_docname("book/ch04_bptt"), english_docname("search")
    ('book/intro', 'book/ch04_bptt', 'search')
    >>> english_docname("glossary") is None
    True
    """
    if korean_docname_ in KOREAN_ONLY:
        return None
    if korean_docname_ == "search" or korean_docname_.startswith("_"):
        return korean_docname_
    english = english_path(f"ko/{korean_docname_}.md")
    return english[: -len(".md")]


def pairs(root=ROOT):
    """(English page, its Korean file, whether that file is written) for every English page."""
    return [(e, korean_path(e), (root / korean_path(e)).is_file()) for e in english_pages(root)]


def built_korean_files(root=ROOT, untranslated=UNTRANSLATED):
    """The Korean files the Korean build includes: those of ``ko/_toc.yml`` whose English
    page is not in ``untranslated``, plus the Korean-only pages."""
    out = []
    for name in toc_files(root / "ko" / "_toc.yml"):
        korean = f"ko/{PurePosixPath(name).with_suffix('.md')}"
        english = english_path(korean)
        if english is None or english not in untranslated:
            out.append(korean)
    return out
