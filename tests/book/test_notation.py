"""The notation page lists each symbol once, and the Korean page lists the same symbols.

book/notation.md has four tables of symbols: three under "Symbols" (the book-wide
notation) and one for the scalar linear cell. A symbol cell may hold several symbols
(``$\\bar x$, $d_t$`` or ``$i_t, f_t, o_t$``); each counts on its own. Within the
book-wide tables no symbol may appear in two rows, and the scalar cell's table shares
with them exactly the symbols whose shift the page records (``x_t``, ``h_t``, ``N``).
ko/notation.md must have the same symbol cells, row by row. And the letters the
notation issue (14) renamed in the chapters must not come back there.
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ENGLISH, KOREAN = ROOT / "book" / "notation.md", ROOT / "ko" / "notation.md"

# Symbols added to the page (issue 14), each checked against the chapters: one row each.
ADDED = [
    r"I",
    r"\mathbf{1}",
    r"(\cdot)^\top",
    r"\operatorname{onehot}(\kappa_t)",
    r"[v = \kappa_t]",
    r"\tanh",
    r"\tanh'",
    r"\sigma'",
    r"\Psi'",
    r"\lVert \mathbf{g} \rVert",
    r"O(\cdot)",
    r"e",
    r"\pi",
    r"\log",
    r"\ln",
    r"W",
    r"\zeta",
    r"W_{x\cdot}",
    r"W_{h\cdot}",
    r"b_\cdot",
    r"W_{xc}",
    r"W_{hc}",
    r"b_c",
    r"W_{x\tilde h}",
    r"W_{h\tilde h}",
    r"b_{\tilde h}",
    r"k_{\max}",
    r"\bar y",
    r"\bar x_{(j)}",
    r"\mathcal{N}",
    r"\sigma_x^2",
    r"\chi",
    r"\lvert\xi\rvert",
    r"\arg\xi",
    r"\bar\xi",
    r"\psi",
    r"\Sigma(n)",
    # added before issue 14's last round, by the same review
    r"r_k",
    r"\lambda",
    r"\omega",
    r"\boldsymbol\beta",
    r"A",
]

# The symbols of the scalar cell's table that also have a book-wide row: the page's
# section on shifts says what they mean there.
SHIFTED = {"x_t", "h_t", "N"}

_MATH = re.compile(r"(?<!\\)\$([^$]+)(?<!\\)\$")


def _split(math):
    """The symbols of one ``$...$``, split at commas outside braces, brackets and
    parentheses, with whitespace normalised: ``i_t, f_t, o_t`` is three symbols."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(math):
        depth += (char in "{[(") - (char in "}])")
        if char == "," and depth == 0:
            parts.append(math[start:i])
            start = i + 1
    parts.append(math[start:])
    return [" ".join(part.split()) for part in parts if part.strip()]


def _sections(text):
    """``{heading: body}`` for the ``## `` sections of a page."""
    pieces = re.split(r"^## (.+)$", text, flags=re.MULTILINE)
    return dict(zip(pieces[1::2], pieces[2::2]))


def _rows(body):
    """The symbol cell of every row of every table in ``body``, as lists of symbols."""
    rows = []
    for line in body.splitlines():
        if not line.startswith("| ") or line.startswith("| ---"):
            continue
        cell = line.split(" | ")[0].removeprefix("| ")
        if cell in ("symbol", "기호"):  # the header
            continue
        rows.append([s for math in _MATH.findall(cell) for s in _split(math)])
    return rows


def _tables(path):
    """(book-wide rows, scalar-cell rows) of a notation page, in the page's order."""
    sections = list(_sections(path.read_text(encoding="utf8")).values())
    # English and Korean headings differ; the order of the sections does not.
    symbols, scalar = sections[1], sections[2]
    return _rows(symbols), _rows(scalar)


def _count(rows):
    counts = {}
    for row in rows:
        for symbol in set(row):
            counts[symbol] = counts.get(symbol, 0) + 1
    return counts


def test_the_tables_are_found():
    book, scalar = _tables(ENGLISH)
    assert len(book) > 80 and len(scalar) >= 9, (len(book), len(scalar))
    assert all(book) and all(scalar), "a row without a symbol"


@pytest.mark.parametrize("which", ["book-wide", "scalar cell"])
def test_no_symbol_is_in_two_rows(which):
    rows = _tables(ENGLISH)[which == "scalar cell"]
    twice = sorted(symbol for symbol, n in _count(rows).items() if n > 1)
    assert not twice, f"symbols in two rows of the {which} tables: {twice}"


def test_the_scalar_table_shares_only_the_shifted_symbols():
    book, scalar = _tables(ENGLISH)
    shared = set(_count(book)) & set(_count(scalar))
    assert shared == SHIFTED, sorted(shared ^ SHIFTED)
    shifts = list(_sections(ENGLISH.read_text(encoding="utf8")).values())[3]
    assert "$N$" in shifts and "$h_t$" in shifts


@pytest.mark.parametrize("symbol", ADDED)
def test_an_added_symbol_has_exactly_one_row(symbol):
    book, scalar = _tables(ENGLISH)
    assert _count(book + scalar).get(symbol, 0) == 1, symbol


def test_the_korean_page_has_the_same_symbol_cells():
    assert _tables(KOREAN) == _tables(ENGLISH)


# Uses the chapters gave up in issue 14, and what replaced them: the continuation
# probability c (now zeta; c is the LSTM cell state), gamma_0 and rho_1 in chapter 2
# (now sigma_x^2 and chi; gamma and rho are chapter 5's), phi for a nonlinearity (phi_j
# are AR coefficients) and Delta for a gradient's error (Delta_t is a deviation).
RETIRED = {
    "bare c": re.compile(r"(?<![\\A-Za-z_{])c(?![A-Za-z_])"),
    "gamma_0": re.compile(r"\\gamma_0"),
    "rho_1": re.compile(r"\\rho_1"),
    "phi'": re.compile(r"\\phi'"),
    "Delta alone": re.compile(r"\\Delta(?![A-Za-z_])"),
}
CHAPTERS = sorted((ROOT / "book").glob("ch0*.md")) + sorted((ROOT / "ko" / "book").glob("ch0*.md"))
_CODE = re.compile(r"^(`{3,}|~{3,})(\{code-cell\}|python).*?^\1[ \t]*$", re.MULTILINE | re.DOTALL)


@pytest.mark.parametrize("page", CHAPTERS, ids=[str(p.relative_to(ROOT)) for p in CHAPTERS])
def test_the_renamed_letters_stay_renamed(page):
    text = _CODE.sub("", page.read_text(encoding="utf8"))  # code may keep its names
    maths = _MATH.findall(text) + re.findall(r"^```\{math\}\n(.*?)^```", text, re.M | re.S)
    found = sorted({name for m in maths for name, rx in RETIRED.items() if rx.search(m)})
    assert not found, f"{page.name}: {found}"
