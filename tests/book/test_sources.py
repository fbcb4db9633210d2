"""Checks on the book's source text that no rendering step would catch."""

import re

import pytest
from book_toc import toc_pages

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # everything but newline (and \r: none)


@pytest.mark.parametrize(
    "page", [p for p in toc_pages() if p.suffix == ".md"], ids=lambda p: p.stem
)
def test_regression_no_control_characters_in_the_sources(page):
    # A "\top" written through a Python string became a TAB and "op" (x_t^<TAB>op):
    # KaTeX typesets it as x_t^o p without a word of warning.
    hits = [
        (n, line)
        for n, line in enumerate(page.read_text("utf8").splitlines(), 1)
        if _CONTROL.search(line)
    ]
    assert not hits, f"{page.name}: control characters on lines {[n for n, _ in hits]}"


# The article column holds 77 characters of code at 1280 px (test_browser's
# test_code_and_outputs_fit_the_column measures it in the built page); a source
# line longer than this scrolls sideways on screen and runs out of the box in print.
CODE_COLUMN = 76
SOLUTION_COLUMN = 74  # a solution's box is 20 px narrower
_CELL = re.compile(r"^```\{code-cell\}[^\n]*\n(.*?)^```$", re.S | re.M)
_HIDDEN = re.compile(r"remove-(cell|input)")
_FENCE = re.compile(r"^(~~~|```)(?:python|ipython3?)\n(.*?)^\1$", re.S | re.M)


def visible_code_lines(text):
    """(line number, text) of every code line a reader sees, metadata left out.

    A cell's metadata is a YAML block between ``---`` lines or leading ``:key:``
    lines; cells tagged remove-cell or remove-input are not shown at all.
    """
    for cell in _CELL.finditer(text):
        lines = cell.group(1).splitlines()
        if lines and lines[0] == "---":
            skip = lines.index("---", 1) + 1
        else:
            skip = next((i for i, s in enumerate(lines) if not s.startswith(":")), len(lines))
        if _HIDDEN.search("\n".join(lines[:skip])):
            continue
        first = text.count("\n", 0, cell.start(1)) + 1
        yield from enumerate(lines[skip:], first + skip)


def solution_code_lines(text):
    """(line number, text) of the fenced Python blocks: the exercises' solutions."""
    for block in _FENCE.finditer(text):
        first = text.count("\n", 0, block.start(2)) + 1
        yield from enumerate(block.group(2).splitlines(), first)


@pytest.mark.parametrize(
    "page", [p for p in toc_pages() if p.suffix == ".md"], ids=lambda p: p.stem
)
def test_code_lines_fit_the_column(page):
    text = page.read_text("utf8")
    long = [(n, len(s)) for n, s in visible_code_lines(text) if len(s) > CODE_COLUMN]
    long += [(n, len(s)) for n, s in solution_code_lines(text) if len(s) > SOLUTION_COLUMN]
    assert not long, f"{page.name}: (line, length) of code lines too long for their box: {long}"


def test_visible_code_lines_skip_metadata_and_hidden_cells():
    text = (
        "```{code-cell} ipython3\n---\nmystnb:\n  image:\n    alt: "
        + "a" * 90
        + "\n---\nx = 1\n```\n\n```{code-cell} ipython3\n:tags: [remove-cell]\n"
        + "y" * 90
        + "\n```\n```{code-cell} ipython3\nz = 2\n```\n~~~python\nw = 3\n~~~\n"
    )
    assert list(visible_code_lines(text)) == [(7, "x = 1"), (15, "z = 2")]
    assert list(solution_code_lines(text)) == [(18, "w = 3")]
