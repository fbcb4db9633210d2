r"""One side of a displayed equation read by sympy's LaTeX parser (the lark backend).

sympy's lark grammar reads a small subset of LaTeX: a subscript must be a single
character or a word (``w_H``, not ``h_{N-1}``), a product of two factors must be
written out unless the first is a single letter, and the argument of a sum or a
sine runs on to the end of the expression. :func:`for_lark` rewrites a side into
that subset with these rules, each one tested:

1. spacing (``\,``, ``\;``, ``\quad``), ``\left``/``\right`` and ``\text{...}``
   around a word are removed or turned into a name (``\text{gradout}`` becomes the
   symbol ``gradout``);
2. a sequence symbol with an index, ``h_{N-i}`` (and ``h_0``, ``\delta_k``), becomes
   the function call ``h(N - i)``; which letters are sequences is the caller's
   choice (``indexed``), so ``w_H`` stays a name;
3. a derivative ``\frac{dh_{t-1}}{dw_H}`` or ``\frac{\partial h_t}{\partial x_s}``
   becomes a call ``D_{hwH}(t - 1)``, ``D_{hx}(t, s)``: the name joins the two
   letters (and the name subscripts) of numerator and denominator, the arguments
   are their indices; ``\frac{\partial L}{\partial w_H}`` becomes the symbol
   ``D_{LwH}``;
4. an upper-case Greek letter, which the grammar lacks, becomes ``F_{Sigma}``, with
   its primes (``\Psi'`` becomes ``F_{Psi'}``);
5. every product is written with ``\cdot``, a sum or product sign takes the rest of
   its term as its body, in braces, and a function such as ``\sin(...)`` is
   wrapped in braces with its argument, so its argument ends where its
   parenthesis does.

:func:`parse` then parses the rewritten text. Where lark's grammar allows two
readings (a call ``f(x)`` is also the product ``f \cdot (x)``), it keeps the
readings with the fewest implicit products, which after rule 5 are the intended
ones, and raises :class:`LedgerError` if those still differ.

Speed. sympy's lark grammar is parsed by Earley's algorithm with a dynamic
lexer, which costs about 6 ms per character: the book's scalar sides took 10 s.
:func:`parse` therefore runs sympy's grammar *restricted to the constructs that
the rewrite emits* (:data:`SUBSET_EDITS`: no implicit products, no integrals,
limits, matrices, binomials, primes after a subscript, and only the functions
``\sin`` and ``\cos`` besides calls), with lark's LALR(1) parser and contextual
lexer (:data:`SUBSET_OPTIONS`), about ten times faster than Earley on the same
subset. Removing alternatives from a grammar can only remove readings, never add
one, and an LALR parse is a derivation of its grammar, so every tree it returns
is a reading of sympy's grammar. The subset still has shift/reduce conflicts,
all of one kind: the body of a sum, a product or a sine "runs on" (``\sum ... a
+ b``); LALR resolves them by shifting, the body taking all it can, and rule 5's
braces make that the only reading anyway. tests/book/test_ledger_grammar.py (a
slow test) parses every displayed side, and every mutated one, with sympy's own
parser too and requires the same sympy expression. Each parser is built once per
process, on first use (:func:`parser`); it holds no state between parses.
"""

import functools
import re
from pathlib import Path

import lark
import sympy as sp
import sympy.parsing.latex.lark as sympy_lark
from lark import Tree
from sympy.parsing.latex.lark import LarkLaTeXParser
from sympy.parsing.latex.lark.transformer import TransformToSymPyExpr

from rnnbook.ledger.latex import tokens

__all__ = [
    "LARK_OPTIONS",
    "SUBSET_EDITS",
    "SUBSET_OPTIONS",
    "LedgerError",
    "Unreadable",
    "for_lark",
    "parse",
    "parser",
]

_FUNCTIONS = {r"\sin", r"\cos", r"\tan", r"\tanh", r"\log", r"\exp"}
_UPPER_GREEK = {r"\Sigma", r"\Psi", r"\Phi", r"\Lambda", r"\Gamma", r"\Delta", r"\Omega"}
_DROP = {r"\,", r"\;", r"\:", r"\!", r"\ ", r"\quad", r"\qquad", r"\left", r"\right"}
_SEPARATORS = {"+", "-", "=", ",", r"\le", r"\ge", r"\cdot", r"\times"}
#: sympy's grammar folder; the subset grammar imports its Greek letters from there
GRAMMAR_DIR = Path(sympy_lark.__file__).parent / "grammar"
#: the options LarkLaTeXParser (sympy 1.14) builds its lark parser with; a test compares
LARK_OPTIONS = {
    "parser": "earley",
    "start": "latex_string",
    "lexer": "auto",
    "ambiguity": "explicit",
    "propagate_positions": False,
    "maybe_placeholders": False,
    "keep_all_tokens": True,
}
#: the subset grammar's parser: LALR(1), contextual lexer, sympy's other options
SUBSET_OPTIONS = {**LARK_OPTIONS, "parser": "lalr", "lexer": "contextual"}
del SUBSET_OPTIONS["ambiguity"]  # an LALR parse has one reading
#: (text of sympy's latex.lark, its replacement): alternatives the rewrite never emits
SUBSET_EDITS = (
    (
        "_expression_func: _expression_core\n    | group_round_parentheses\n    | fraction\n"
        "    | binomial\n    | _function\n    | _integral// | derivative\n    | limit\n"
        "    | matrix\n",
        "_expression_func: _expression_core\n    | group_round_parentheses\n    | _function\n",
    ),
    (
        "_expression_power: _expression_func | superscript | matrix_prime | symbol_prime\n",
        "_expression_power: _expression_func | superscript\n",
    ),
    (
        "_expression_mul: _expression_power\n    | mul | div | adjacent_expressions\n"
        "    | summation | product\n",
        "_expression_mul: _expression_power\n    | mul | summation | product\n",
    ),
    (
        "_function: function_applied\n    | abs | floor | ceil\n",
        "_function: function_applied | sin | cos\n_unused_function: abs | floor | ceil\n",
    ),
)


class LedgerError(ValueError):
    """A displayed equation is wrong, could not be read, or its check could not run."""


class Unreadable(LedgerError):
    """The display uses LaTeX that the reader (sympy's parser or the evaluator) does not read.

    A mutation must make its check fail for another reason: the mutated equation
    was read, and found wrong.
    """


def _tree(toks):
    """Nest a token list at its braces and parentheses: lists for groups."""
    stack = [[]]
    for tok in toks:
        if tok in ("{", "("):
            stack.append([tok])
        elif tok in ("}", ")"):
            group = stack.pop()
            if not stack or group[0] != {"}": "{", ")": "("}[tok]:
                raise Unreadable(f"unbalanced {tok!r}")
            stack[-1].append(group)
        elif tok not in _DROP:
            stack[-1].append(tok)
    if len(stack) != 1:
        raise Unreadable("unclosed bracket")
    return stack[0]


def _flat(item):
    """The tokens of a (nested) item as plain text."""
    if isinstance(item, list):
        close = "}" if item[0] == "{" else ")"
        return item[0] + "".join(_flat(i) for i in item[1:]) + close
    return item


def _inner(group):
    """The items inside a brace or parenthesis group."""
    return group[1:] if isinstance(group, list) and group[0] in "{(" else [group]


class _Rewriter:
    """Rules 1-5 of the module docstring, applied to one nesting level at a time."""

    def __init__(self, indexed):
        self.indexed = set(indexed)

    def side(self, items):
        """Rewrite a list of items (one level) into lark-readable LaTeX."""
        units, ops = self._units(items)
        out, term = [], []
        for unit, op in zip(units, ops):
            if op is None:
                term.append(unit)
                continue
            out += [self._term(term), op] if term else [op]
            term = []
        if term:
            out.append(self._term(term))
        return " ".join(out)

    def _term(self, units):
        """Join a term's factors with \\cdot; a sum sign takes the factors after it."""
        for k, unit in enumerate(units):
            if isinstance(unit, tuple):  # ("sum", head): the body runs to the term's end
                body = self._term(units[k + 1 :]) if units[k + 1 :] else "1"
                head = f"{{{unit[1]}{{{body}}}}}"
                return " \\cdot ".join([*units[:k], head])
        return " \\cdot ".join(units)

    def _units(self, items):
        """Factors (str, or ("sum", head) for a sum sign) and the operator after each."""
        units, ops, k = [], [], 0
        while k < len(items):
            item = items[k]
            if isinstance(item, str) and item in _SEPARATORS:
                units.append(None)
                ops.append(item)
                k += 1
                continue
            unit, k = self._unit(items, k)
            units.append(unit)
            ops.append(None)
        pairs = [(u, o) for u, o in zip(units, ops)]
        return [u for u, _ in pairs], [o for _, o in pairs]

    def _unit(self, items, k):
        """Read one factor starting at ``items[k]``; return it and the next index."""
        item = items[k]
        if isinstance(item, list):
            return self._symbol(items, k)
        if item == r"\frac":
            return self._fraction(items[k + 1], items[k + 2]), k + 3
        if item in (r"\sum", r"\prod"):
            low, high = self.side(_inner(items[k + 2])), self.side(_inner(items[k + 4]))
            return ("sum", f"{item}_{{{low}}}^{{{high}}}"), k + 5
        if item in _FUNCTIONS:
            arg = items[k + 1]
            if isinstance(arg, list) and arg[0] == "(":
                return f"{{{item}({self.side(arg[1:])})}}", k + 2
            inner, j = self._unit(items, k + 1)
            return f"{{{item}{{{inner}}}}}", j
        return self._symbol(items, k)

    def _symbol(self, items, k):
        """A letter, number or group with its sub- and superscripts and primes."""
        item, k = items[k], k + 1
        base = self._atom(item)
        primes = ""
        while k < len(items) and items[k] == "'":
            primes, k = primes + "'", k + 1
        sub = sup = None
        while k + 1 < len(items) and items[k] in ("_", "^"):
            if items[k] == "_":
                sub = items[k + 1]
            else:
                sup = items[k + 1]
            k += 2
        name = item if isinstance(item, str) else None
        if name in _UPPER_GREEK:
            base = f"F_{{{item[1:]}{primes}}}"
            primes = ""
        if sub is not None and name in self.indexed:
            base = f"{base}({self.side(_inner(sub))})"
        elif sub is not None:
            base = f"{base}_{{{''.join(_flat(i) for i in _inner(sub))}}}"
        if base.startswith("F_") and k < len(items) and isinstance(items[k], list):
            base, k = f"{base}({self.side(items[k][1:])})", k + 1
        base += primes
        if sup is not None:
            base = f"{base}^{{{self.side(_inner(sup))}}}"
        return base, k

    def _atom(self, item):
        if isinstance(item, list):
            inner = self.side(item[1:])
            return f"{{{inner}}}" if item[0] == "{" else f"({inner})"
        return item

    def _fraction(self, num, den):
        """A derivative (rule 3) or an ordinary fraction."""
        num, den = _inner(num), _inner(den)
        for d in ("d", r"\partial"):
            if num[:1] == [d] and den[:1] == [d]:
                return self._derivative(num[1:], den[1:])
        return f"\\frac{{{self.side(num)}}}{{{self.side(den)}}}"

    def _derivative(self, num, den):
        name, args = "", []
        for part in (num, den):
            letter, rest = part[0], part[1:]
            name += letter.lstrip("\\")
            if rest[:1] == ["_"]:
                sub = _inner(rest[1])
                if letter in self.indexed:
                    args.append(self.side(sub))
                else:
                    name += "".join(_flat(i) for i in sub)
        call = f"D_{{{name}}}"
        return f"{call}({', '.join(args)})" if args else call


def for_lark(side, indexed=("h", "x", "g", r"\delta")):
    r"""Rewrite one side of an equation into the LaTeX that sympy's lark grammar reads.

    Parameters
    ----------
    side : str
        LaTeX of one side, as :func:`rnnbook.ledger.latex.relations` returns it.
    indexed : iterable of str
        The letters (or Greek commands) whose subscript is an index, not a name.

    Returns
    -------
    str

    Examples
    --------
    >>> for_lark(r"\text{gradout} \sum_{i=1}^{N} w_H^{\,i-1}\, h_{N-i}")
    '\\mathit{gradout} \\cdot {\\sum_{i = 1}^{N}{w_{H}^{i - 1} \\cdot h(N - i)}}'
    >>> for_lark(r"h_{t-1} + w_H \frac{dh_{t-1}}{dw_H}")
    'h(t - 1) + w_{H} \\cdot D_{hwH}(t - 1)'
    >>> for_lark(r"w_X \Psi'(w_H)")
    "w_{X} \\cdot F_{Psi'}(w_{H})"
    """
    text = re.sub(r"\\text\{([A-Za-z]+)\}", r"\\mathit{\1}", side)
    text = re.sub(r"\\mathit\{([A-Za-z]+)\}", r"@\1@", text)
    items = _tree([t for t in tokens(text)])
    items = _words(items)
    return _Rewriter(indexed).side(items)


def _words(items):
    """Put the ``@word@`` marks of \\mathit back together as one item."""
    out, k = [], 0
    while k < len(items):
        item = items[k]
        if isinstance(item, list):
            out.append([item[0], *_words(item[1:])])
        elif item == "@":
            end = items.index("@", k + 1)
            out.append(r"\mathit{" + "".join(items[k + 1 : end]) + "}")
            k = end
        else:
            out.append(item)
        k += 1
    return out


class _Transformer(TransformToSymPyExpr):
    """sympy's transformer, told how to settle the readings an ambiguity leaves."""

    def _ambig(self, readings):
        first = readings[0]
        for other in readings[1:]:
            if sp.expand(sp.sympify(other) - sp.sympify(first)) != 0:
                raise Unreadable(f"two readings differ: {first} and {other}")
        return first


def _implicit(tree):
    """The fewest implicit products any reading of ``tree`` needs."""
    if not isinstance(tree, Tree):
        return 0
    if tree.data == "_ambig":
        return min(_implicit(c) for c in tree.children)
    own = tree.data == "adjacent_expressions"
    return own + sum(_implicit(c) for c in tree.children)


def _prune(tree):
    """Keep, at each ambiguity, only the readings with the fewest implicit products."""
    if not isinstance(tree, Tree):
        return tree
    children = tree.children
    if tree.data == "_ambig":
        best = min(_implicit(c) for c in children)
        children = [c for c in children if _implicit(c) == best]
        if len(children) == 1:
            return _prune(children[0])
    return Tree(tree.data, [_prune(c) for c in children])


def parse(side, indexed=("h", "x", "g", r"\delta"), grammar="subset"):
    r"""Parse one side with sympy's lark LaTeX grammar, after :func:`for_lark`.

    Parameters
    ----------
    side : str
        LaTeX of one side of an equation.
    indexed : iterable of str
        As in :func:`for_lark`.
    grammar : {"subset", "sympy"}
        sympy's grammar restricted to what the rewrite emits (the default, fast), or
        sympy's own (the tests read every side with both).

    Returns
    -------
    sympy.Expr
        Sequences are undefined functions (``h(N - i)``), sums ``sympy.Sum``.

    Raises
    ------
    Unreadable
        If the grammar cannot read the rewritten text, or two readings differ.

    Examples
    --------
    >>> parse(r"h_{N-1} + w_H \frac{dh_{N-1}}{dw_H}")
    w_{H}*D_{hwH}(N - 1) + h(N - 1)
    """
    return _parse_rewritten(for_lark(side, indexed), grammar)


@functools.cache
def _parse_rewritten(text, grammar):
    """Parse rewritten text once per process: a mutation re-reads only the side it edits."""
    try:
        tree = parser(grammar).parse(text)
    except Exception as err:  # lark raises several exception types
        raise Unreadable(f"sympy's parser cannot read {text!r}: {err}") from None
    return _Transformer().transform(_prune(tree))


def subset_grammar():
    """sympy's latex.lark with :data:`SUBSET_EDITS` applied (each must match once)."""
    text = (GRAMMAR_DIR / "latex.lark").read_text(encoding="utf-8")
    for old, new in SUBSET_EDITS:
        if text.count(old) != 1:
            raise LedgerError(f"sympy's grammar changed: {old.splitlines()[0]!r} not found once")
        text = text.replace(old, new)
    return text


def parser(grammar="subset"):
    """The lark parser for ``grammar``: "subset" (:func:`subset_grammar`) or "sympy".

    Built on first use and kept for the process (building takes about 0.3 s); a
    parser holds no state between parses. "sympy" is ``LarkLaTeXParser``'s own.

    Examples
    --------
    >>> parser() is parser("subset")
    True
    """
    return _parser(grammar)


@functools.cache
def _parser(grammar):
    """:func:`parser`, cached by the name: ``parser()`` and ``parser("subset")`` are one."""
    if grammar == "sympy":
        return LarkLaTeXParser(transform=False).parser
    return lark.Lark(subset_grammar(), source_path=str(GRAMMAR_DIR) + "/", **SUBSET_OPTIONS)
