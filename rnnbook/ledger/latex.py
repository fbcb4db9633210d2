r"""The displayed LaTeX, split into the relations a check can read.

A display such as ``a &= b = c, \qquad d = 0`` inside ``aligned`` holds two
*relations*: the chain ``a = b = c`` and the pair ``d = 0``. :func:`relations`
finds them with a few explicit rules, so that the prose authors can keep writing
equations by hand:

- ``\begin{aligned}`` and ``\end{aligned}`` are dropped and the rows are split at
  ``\\``; the alignment marks ``&`` are removed;
- a row that starts with a relation sign (``&= ...``) continues the last relation
  of the row above: that is how a chain is broken over lines;
- each row is split at ``\qquad`` and at commas outside any brackets; a piece
  without a relation sign joins its neighbour (``i_t, f_t, o_t = ...`` stays one
  relation, and so does ``t = 1, \dots, N``);
- a row is also split at ``\quad``, and a remark in ``\text{...}`` that opens a piece is
  dropped (``\quad \text{for } j \ge 5`` leaves the condition ``j \ge 5``), as are the
  final comma or full stop;
- each relation is cut at ``=``, ``\le``, ``\ge``, ``\leftarrow``, ``\in`` and ``\sim``
  outside brackets, and a side that is only ``\cdots`` ("and so on") is dropped.

The tokenizer, :func:`tokens`, is shared by the two readers of a side:
:mod:`rnnbook.ledger.sympy_form` (sympy's LaTeX parser) and
:mod:`rnnbook.ledger.evaluate` (the numerical evaluator).
"""

import re
from typing import NamedTuple

__all__ = ["RELATIONS", "Relation", "Tok", "relations", "split_top", "tokens"]

_TOKEN = re.compile(
    r"\\[A-Za-z]+|\\\\|\\[,;:! |{}]|\d+(?:\.\d+)?|[A-Za-z]|[{}()\[\]^_&=+\-,.'|<>/*]|\S"
)
#: the relation signs a relation is cut at, in the spelling the book uses
RELATIONS = ("=", r"\le", r"\ge", r"\leftarrow", r"\in", r"\sim")
_OPEN, _CLOSE = "{([", "})]"
_BEGIN, _END = {r"\left", r"\begin"}, {r"\right", r"\end"}
_SPACES = {r"\,", r"\;", r"\:", r"\!", r"\ ", r"\quad", r"\qquad"}


class Relation(NamedTuple):
    """One relation of a display: its sides and the signs between them."""

    row: int  #: the row of the display it starts on, from 1
    sides: tuple  #: LaTeX of each side, stripped
    signs: tuple  #: the relation sign between side k and side k + 1

    def __str__(self):
        parts = [self.sides[0]]
        for sign, side in zip(self.signs, self.sides[1:]):
            parts += [sign, side]
        return " ".join(parts)


class Tok(str):
    """A token that remembers where it stood in its source text."""

    source: str
    start: int
    end: int


def tokens(text):
    r"""Split LaTeX into tokens: commands, single characters and numbers.

    Each token is a :class:`Tok`, a ``str`` that also knows its place in ``text``.

    Examples
    --------
    >>> tokens(r"w_H^{\,i-1} h_{N-i}")
    ['w', '_', 'H', '^', '{', '\\,', 'i', '-', '1', '}', 'h', '_', '{', 'N', '-', 'i', '}']
    """
    found = []
    for m in _TOKEN.finditer(text):
        tok = Tok(m.group())
        tok.source, tok.start, tok.end = text, m.start(), m.end()
        found.append(tok)
    return found


def split_top(toks, separators):
    """Split a token list at separators that sit outside every bracket.

    Returns the pieces and the separator that ended each piece but the last.

    Examples
    --------
    >>> split_top(tokens("f(a, b), c"), {","})
    ([['f', '(', 'a', ',', 'b', ')'], ['c']], [','])
    """
    pieces, seps, depth, current = [], [], 0, []
    for tok in toks:
        depth += (tok in _OPEN or tok in _BEGIN) - (tok in _CLOSE or tok in _END)
        if depth == 0 and tok in separators:
            pieces.append(current)
            seps.append(tok)
            current = []
        else:
            current.append(tok)
    return [*pieces, current], seps


def _join(toks):
    """The source text that a run of tokens came from."""
    if not toks:
        return ""
    return toks[0].source[toks[0].start : toks[-1].end].strip()


def _strip_remarks(toks):
    r"""Drop ``\text{...}`` remarks, spacing at either end and a final comma or stop."""
    out = list(toks)
    while out and (out[0] in _SPACES or _is_remark(out)):
        out = out[_skip_group(out, 1) :] if out[0] == r"\text" else out[1:]
    while out and out[-1] in {",", ".", *_SPACES}:
        out.pop()
    return out


def _is_remark(toks):
    r"""``\text{...}`` holding prose (a space or a bracket), not a name like gradout."""
    if toks[0] != r"\text":
        return False
    inner = _join(toks[1 : _skip_group(toks, 1)])
    return bool(re.search(r"[\s(),]", inner[1:-1])) or inner[1:-1] != inner[1:-1].strip()


def _skip_group(toks, k):
    """Index just past the brace group that opens at ``toks[k]``."""
    depth = 0
    for j in range(k, len(toks)):
        depth += (toks[j] == "{") - (toks[j] == "}")
        if depth == 0:
            return j + 1
    raise ValueError("unbalanced braces in " + _join(toks))


def _pieces(row_toks):
    """A row's relations as token lists: split at \\qquad and top-level commas."""
    parts = []
    for part in split_top(row_toks, {r"\qquad", r"\quad"})[0]:
        pieces = [_strip_remarks(p) for p in split_top(_strip_remarks(part), {","})[0]]
        pieces = [p for p in pieces if p]
        merged = []
        for piece in pieces:
            if merged and not _has_relation(piece):
                merged[-1] += [",", *piece]  # "t = 1, \dots, N": the list continues
            elif merged and not _has_relation(merged[-1]):
                merged[-1] += [",", *piece]  # "i_t, f_t, o_t = ...": a tuple on the left
            else:
                merged.append(piece)
        parts += merged
    return parts


def _has_relation(toks):
    return len(split_top(toks, set(RELATIONS))[0]) > 1


def _rows(text):
    body = text.replace(r"\begin{aligned}", "").replace(r"\end{aligned}", "")
    rows, _ = split_top(tokens(body), {"\\\\"})
    return [[t for t in row if t != "&"] for row in rows]


def relations(text):
    r"""The relations of a displayed equation, in reading order.

    Parameters
    ----------
    text : str
        The body of a ``{math}`` block (without its ``:label:`` line).

    Returns
    -------
    list of Relation

    Examples
    --------
    >>> [str(r) for r in relations(r"a &= b \\ &= c, \qquad d_0 = 0 .")]
    ['a = b = c', 'd_0 = 0']
    >>> relations(r"t = 1, \dots, N")[0].sides
    ('t', '1, \\dots, N')
    """
    found = []
    for row_no, row in enumerate(_rows(text), start=1):
        for k, piece in enumerate(_pieces(row)):
            sides, signs = split_top(piece, set(RELATIONS))
            if k == 0 and found and not sides[0]:
                previous = found.pop()  # "&= ...": the chain goes on
                sides = [tokens(s) for s in previous.sides] + sides[1:]
                signs = list(previous.signs) + signs
                row_no_used = previous.row
            else:
                row_no_used = row_no
            keep = [(s, g) for s, g in zip(sides[1:], signs) if _join(s) != r"\cdots"]
            found.append(
                Relation(
                    row_no_used,
                    tuple([_join(sides[0])] + [_join(s) for s, _ in keep]),
                    tuple(g for _, g in keep),
                )
            )
    return found
