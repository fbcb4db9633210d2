"""The labelled equations as the book's pages display them, and their numbers.

The pages are read in the order of ``_toc.yml``, the order in which the HTML build
numbers them: "4.8" for the eighth labelled equation of the fourth numbered page,
and a running count over the unnumbered pages (the front matter).
"""

import functools
import re
from pathlib import Path
from typing import NamedTuple

import yaml

__all__ = ["ROOT", "Display", "displays"]

ROOT = Path(__file__).resolve().parents[2]  # the repository (rnnbook is installed editable)
#: a labelled ``{math}`` block: the label, then the body up to the closing fence
MATH_BLOCK = re.compile(r"^(`{3,})\{math\}[^\n]*\n:label:[ \t]*(\S+)\n(.*?)^\1[ \t]*$", re.M | re.S)


class Display(NamedTuple):
    """One labelled display equation of the book."""

    label: str
    number: str  #: as the HTML build prints it, e.g. "4.8"
    page: str  #: the source file, relative to the repository
    line: int  #: line of the ``{math}`` fence in that file, from 1
    latex: str  #: the body of the block, as the author wrote it


def _toc_pages(root):
    """(path, numbered) for every page of _toc.yml, in the book's order."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf8"))
    pages = [(toc["root"], False)]
    for part in toc.get("parts", []):
        pages += [(entry["file"], bool(part.get("numbered"))) for entry in part["chapters"]]
    return [(root / (name if Path(name).suffix else name + ".md"), n) for name, n in pages]


def displays(root=ROOT):
    """Every labelled display equation of the book, in reading order.

    Parameters
    ----------
    root : pathlib.Path, optional
        The repository; its ``_toc.yml`` lists the pages.

    Returns
    -------
    dict of str to Display
        Keyed by label. The pages are read once per process.

    Examples
    --------
    >>> d = displays()["eq-closed-wh"]
    >>> d.number, d.page
    ('4.5', 'book/ch04_bptt.md')
    """
    return dict(_displays(Path(root)))


@functools.cache
def _displays(root):
    """:func:`displays`, read once per process: the checks and the page read it often."""
    found, chapter, loose = {}, 0, 0
    for path, numbered in _toc_pages(root):
        if path.suffix != ".md" or not path.is_file():
            continue
        text = path.read_text(encoding="utf8")
        chapter += numbered
        for k, m in enumerate(MATH_BLOCK.finditer(text), start=1):
            loose += not numbered
            number = f"{chapter}.{k}" if numbered else str(loose)
            line = text.count("\n", 0, m.start()) + 1
            page = path.relative_to(root).as_posix()
            found[m.group(2)] = Display(m.group(2), number, page, line, m.group(3).strip())
    return found
