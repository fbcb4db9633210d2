"""The built back-matter page "How each equation is checked" (after the book's build).

The page runs the ledger while the book is built; here the built HTML is read back:
one row per labelled equation, every check passed and every mutation caught in that
build, and every row's link lands on its equation.
"""

import re
from html.parser import HTMLParser

import pytest
from test_book import BUILD_TEST, HTML

from rnnbook import ledger
from rnnbook.ledger.source import displays

PAGE = HTML / "book" / "equation_ledger.html"


class _Rows(HTMLParser):
    """The text and the links of every row of the ledger's table body."""

    def __init__(self):
        super().__init__()
        self.rows, self._in_body = [], False

    def handle_starttag(self, tag, attrs):
        if tag == "tbody":
            self._in_body = True
        elif tag == "tr" and self._in_body:
            self.rows.append({"text": "", "links": []})
        elif tag in ("td", "br") and self._in_body and self.rows:
            self.rows[-1]["text"] += " "
        elif tag == "a" and self._in_body and self.rows:
            self.rows[-1]["links"].append(dict(attrs).get("href", ""))

    def handle_endtag(self, tag):
        if tag == "tbody":
            self._in_body = False

    def handle_data(self, data):
        if self._in_body and self.rows:
            self.rows[-1]["text"] += data


EDITIONS = {  # the page, the words a passing row and the summary show (rnnbook/ledger/words.py)
    "en": (PAGE, " passed What: ", ": caught.", "All {n} checks passed in this build",
           "all {n} mutations were caught"),
    "ko": (HTML / "ko" / "equation_ledger.html", " 통과 검사 내용: ", ": 잡힘.",
           "이번 빌드에서 검사 {n}개가 모두 통과했고", "변이 {n}개가 모두 잡혔다"),
}  # fmt: skip
ENGLISH_FRAME = ("What:", "In this build", "Where:", "Mutation:", "passed", "caught")


@pytest.mark.slow
@pytest.mark.xdist_group("book")  # after test_book.py's build, on the same worker
@pytest.mark.parametrize("edition", EDITIONS)
def test_built_ledger_page_shows_every_equation_passed_and_its_mutation_caught(request, edition):
    path, passed, caught, all_passed, all_caught = EDITIONS[edition]
    if not path.is_file():
        if any(BUILD_TEST in item.nodeid for item in request.session.items):
            pytest.fail("the build test ran in this session but left no ledger page")
        pytest.skip("no _build/html yet: run `make book` (make test builds it first)")
    parser = _Rows()
    parser.feed(path.read_text(encoding="utf8"))
    assert len(parser.rows) == len(displays()) == len(ledger.ENTRIES)
    for row, d in zip(parser.rows, displays().values()):
        text = " ".join(row["text"].split())
        assert text.startswith(f"({d.number}) {d.label} "), text[:80]
        assert passed in text and text.endswith(caught), f"{d.label}: {text}"
        if edition == "ko":  # the Korean page's own words are Korean
            assert not [w for w in ENGLISH_FRAME if w in text], f"{d.label}: {text}"
        page, anchor = row["links"][0].split("#")
        target = (path.parent / page).read_text(encoding="utf8")
        assert re.search(rf'id="{re.escape(anchor)}"', target), f"{d.label}: no #{anchor}"
    summary = " ".join(path.read_text(encoding="utf8").split())
    assert all_passed.format(n=len(displays())) in summary
    assert all_caught.format(n=len(displays())) in summary
