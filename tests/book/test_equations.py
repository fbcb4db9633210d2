"""Every labelled equation in the book is in the equation ledger, with tests that exist.

A chapter that adds a ``{math}`` block must add an entry for its label to
``rnnbook/ledger/__init__.py`` (its kind, a mutation, the tests of the code beside it),
and every displayed equation must be a labelled ``{math}`` block (no bare ``$$``), so no
formula reaches the reader without an entry. tests/book/test_ledger.py runs the checks.
"""

import re
from pathlib import Path

import pytest
from book_toc import toc_pages

from rnnbook import ledger
from rnnbook.ledger.source import displays

ROOT = Path(__file__).resolve().parents[2]

# The registry is the equation ledger: one entry per labelled equation, with the tests of
# the code beside it (and, in the ledger, the check that reads the displayed LaTeX).
EQUATION_TESTS = {entry.label: list(entry.tests) for entry in ledger.ENTRIES}

_LABEL = re.compile(r"^```\{math\}\s*\n:label:\s*(\S+)", re.MULTILINE)


def _pages():
    return [p for p in toc_pages() if p.suffix == ".md" and p.is_file()]


def test_every_labelled_equation_has_a_test():
    labels = {label: page.name for page in _pages() for label in _LABEL.findall(page.read_text())}
    missing = sorted(
        f"{label} ({page})" for label, page in labels.items() if label not in EQUATION_TESTS
    )
    assert not missing, f"equations without a registered test: {missing}"
    stale = sorted(set(EQUATION_TESTS) - set(labels))
    assert not stale, f"registered equations no longer in the book: {stale}"


@pytest.mark.parametrize("page", _pages(), ids=lambda p: p.stem)
def test_no_unlabelled_display_math(page):
    text = page.read_text()
    assert "$$" not in text, f"{page.name}: use a labelled {{math}} block instead of $$"
    blocks = text.count("```{math}")
    assert blocks == len(_LABEL.findall(text)), f"{page.name}: a {{math}} block has no label"


@pytest.mark.parametrize("label", sorted(EQUATION_TESTS))
def test_registered_tests_exist(label):
    for node in EQUATION_TESTS[label]:
        file, name = node.split("::")
        source = (ROOT / "tests" / file).read_text()
        assert re.search(rf"^def {name}\(", source, re.MULTILINE), f"{label}: no test {node}"


def test_ledger_numbers_are_the_plain_notebooks():
    """The ledger page's numbers are the ones tools/plain_notebook.py (and the HTML) print."""
    import sys

    sys.path.insert(0, str(ROOT / "tools"))
    import plain_notebook

    numbers = {label: d.number for label, d in displays().items()}
    assert numbers == plain_notebook.equation_numbers()


@pytest.mark.parametrize("label", sorted(EQUATION_TESTS))
def test_registered_equation_has_at_least_one_test(label):
    assert EQUATION_TESTS[label], f"{label}: no test of the code registered"
