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
