"""The ledger's fast parser reads every displayed side as sympy's own parser does.

rnnbook.ledger.sympy_form parses with sympy's lark grammar restricted to what its
rewrite emits, by LALR(1) (a few ms a side) instead of Earley over the full grammar
(about 6 ms a character). These tests parse every side of every symbolic display,
and of its mutation, with sympy's own parser too: about 20 s, hence ``slow``.
"""

import lark
import pytest
import sympy as sp

from rnnbook import ledger
from rnnbook.ledger import scalar, sympy_form
from rnnbook.ledger.latex import relations
from rnnbook.ledger.source import displays

pytestmark = pytest.mark.slow


def _scalar_sides():
    """Every side a symbolic check parses, of the displays and of their mutations."""
    sides = set()
    for entry in ledger.ENTRIES:
        if entry.how != "symbolic":
            continue
        latex = displays()[entry.label].latex
        for text in (latex, latex.replace(*entry.mutation, 1)):
            for rel in relations(text):
                for side in rel.sides:
                    items = [item.strip() for item in side.split(",")]
                    ranged = len(items) >= 3 and items[-2] in (r"\dots", r"\ldots")
                    sides.update([items[0], items[-1]] if ranged else [side])
    return sorted(sides)


def test_the_subset_parser_reads_every_side_as_sympys_parser_does():
    sides = _scalar_sides()
    assert len(sides) > 50
    differ = []
    for side in sides:
        fast, full = sympy_form.parse(side), sympy_form.parse(side, grammar="sympy")
        if sp.expand(fast - full) != 0:
            differ.append((side, fast, full))
    assert not differ, differ


def test_the_sympy_grammar_is_built_with_the_options_sympy_uses():
    # LARK_OPTIONS are sympy's own (lark normalises some: 'auto' becomes 'dynamic')
    text = (sympy_form.GRAMMAR_DIR / "latex.lark").read_text(encoding="utf-8")
    path = str(sympy_form.GRAMMAR_DIR) + "/"
    mine = lark.Lark(text, source_path=path, **sympy_form.LARK_OPTIONS).options
    sympys = sympy_form.parser("sympy").options
    for key in sympy_form.LARK_OPTIONS:
        assert getattr(mine, key) == getattr(sympys, key), key
    subset = sympy_form.parser("subset").options
    assert (subset.parser, subset.lexer) == ("lalr", "contextual")


def test_every_symbolic_check_registers_a_label_of_the_book():
    assert set(scalar.CHECKS) <= set(displays())
