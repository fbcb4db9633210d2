r"""A small evaluator that turns one side of a displayed vector equation into numbers.

It reads a limited grammar by recursive descent and evaluates it with numpy in
float64, on values a check supplies (an :class:`Env`). What it reads:

- sums and differences; products: a product written without a sign is numpy's
  ``@`` when both factors are arrays (``x_t W_{xh}``), ``\odot`` is element-wise,
  ``/`` and ``\frac{a}{b}`` divide, a power ``^2`` or ``^{k}`` is element-wise for an
  array (``h_t^2``), ``^\top`` transposes;
- ``\tanh``, ``\sigma`` (the logistic sigmoid), ``\exp``, ``e^{...}``, ``\log``,
  ``\operatorname{diag}`` of a vector, ``\lVert v \rVert`` (2-norm), ``|a|``,
  ``\mathbf{1}`` (a vector of ones, as long as the batch), a ``bmatrix`` of blocks
  (``np.block``);
- ``\sum_{t=a}^{b}`` and ``\prod_{t=a}^{b}`` (an ordered matrix product, the
  factor with the smallest index on the left), over the rest of the term;
- names: a letter with modifiers (``\tilde c``, ``\hat x``, ``\mathbf{X}``) and a
  subscript. The subscript is an *index* when every letter in it is a bound index
  (``x_{t-1}`` with ``t`` bound), so the value is ``env[name][index]``; otherwise it
  is part of the name (``W_{xh}``, ``b_y``, ``h_{\text{left}}``). A derivative
  ``\frac{\partial A}{\partial B}`` is the value the check supplies under the key
  ``"dA/dB"`` (with index subscripts as arguments); ``\bigg|_{\text{direct}}`` after it
  adds ``"|direct"`` to the key;
- ``A_{i} A_{i-1} \cdots A_{j}``: a product of factors of one name whose indices
  step by one, filled in between.

Anything else raises :class:`~rnnbook.ledger.sympy_form.LedgerError` naming the
token it could not read: nothing is skipped.
"""

import numpy as np
from scipy.special import expit

from rnnbook.ledger.latex import tokens
from rnnbook.ledger.sympy_form import LedgerError

__all__ = ["Env", "evaluate", "name_of"]

_DROP = {r"\,", r"\;", r"\:", r"\!", r"\ ", r"\left", r"\right", r"\bigg", r"\big", r"\Big"}
_MODIFIERS = {
    r"\tilde": "~",
    r"\hat": "^",
    r"\bar": "-",
    r"\mathbf": "",
    r"\boldsymbol": "",
    r"\mathrm": "",
}
_FUNCTIONS = {r"\tanh": np.tanh, r"\sigma": expit, r"\exp": np.exp, r"\log": np.log}


class Env:
    """Values for the evaluator: names, sequences (dicts by index) and bound indices.

    Parameters
    ----------
    values : dict
        Name (as :func:`name_of` spells it) to array, scalar, dict (a sequence) or
        callable (a derivative taking its indices).
    bound : dict, optional
        Bound indices, e.g. ``{"t": 3, "T": 5}``.
    """

    def __init__(self, values, bound=None):
        self.values, self.bound = values, dict(bound or {})

    def at(self, **bound):
        """The same values with more indices bound."""
        return Env(self.values, {**self.bound, **bound})

    def lookup(self, name, indices=()):
        if name not in self.values:
            raise LedgerError(f"{name!r} has no value in this check (known: {sorted(self.values)})")
        value = self.values[name]
        if callable(value):
            return value(*indices)
        for index in indices:
            if index not in value:
                raise LedgerError(f"{name}_{index} is not defined (indices {sorted(value)})")
            value = value[index]
        return value


class _Parser:
    """Recursive descent over the tokens of one side."""

    def __init__(self, text):
        self.toks = [t for t in tokens(text) if t not in _DROP]
        self.k = 0

    def peek(self, offset=0):
        k = self.k + offset
        return self.toks[k] if k < len(self.toks) else None

    def take(self, expected=None):
        tok = self.peek()
        if tok is None or (expected is not None and tok != expected):
            raise LedgerError(f"expected {expected!r}, read {tok!r} in {' '.join(self.toks)}")
        self.k += 1
        return tok

    def group(self):
        """A brace group's node, or a single token's."""
        if self.peek() == "{":
            self.take("{")
            node = self.expr()
            self.take("}")
            return node
        return self.primary()

    def raw_group(self):
        """The tokens of a brace group (or one token), unparsed."""
        if self.peek() != "{":
            return [self.take()]
        depth, out = 0, []
        while True:
            tok = self.take()
            depth += (tok == "{") - (tok == "}")
            if depth == 0:
                return out[1:]
            out.append(tok)

    def expr(self):
        terms = [(1, self.term())]
        while self.peek() in ("+", "-"):
            sign = 1 if self.take() == "+" else -1
            terms.append((sign, self.term()))
        return lambda env: _add(terms, env)

    def term(self):
        factors = [("", self.unary())]
        while True:
            tok = self.peek()
            if tok in (r"\odot", "/", r"\cdot"):
                factors.append((self.take(), self.unary()))
            elif tok in (r"\cdots", r"\dots"):
                self.take()
                factors.append(("cdots", self.unary()))
            elif tok in (r"\sum", r"\prod"):
                factors.append(("", self.big_operator()))
                return lambda env: _multiply(factors, env)
            elif tok is not None and tok not in _STOP:
                factors.append(("", self.unary()))
            else:
                return lambda env: _multiply(factors, env)

    def unary(self):
        if self.peek() == "-":
            self.take()
            inner = self.unary()
            return lambda env: -inner(env)
        if self.peek() in (r"\sum", r"\prod"):
            return self.big_operator()
        return self.postfix(self.primary())

    def postfix(self, node):
        while self.peek() == "^":
            self.take()
            if self.peek() == r"\top" or self.toks[self.k : self.k + 3] == ["{", r"\top", "}"]:
                self.k += 1 if self.peek() == r"\top" else 3
                node = (lambda n: lambda env: np.asarray(n(env)).T)(node)
            else:
                power = self.group()
                node = (lambda n, p: lambda env: np.power(n(env), p(env)))(node, power)
        return node

    def primary(self):
        tok = self.peek()
        if tok is None:
            raise LedgerError("the side ends where a value was expected")
        if tok[0].isdigit():
            self.take()
            return lambda env, v=float(tok): v
        if tok in ("(", "{"):
            self.take()
            node = self.expr()
            self.take(")" if tok == "(" else "}")
            return node
        if tok == r"\frac":
            return self.fraction()
        if tok in _FUNCTIONS or tok == r"\operatorname":
            return self.function()
        if tok == "e" and self.peek(1) == "^":
            self.take()
            self.take("^")
            power = self.group()
            return lambda env: np.exp(power(env))
        if tok in (r"\lVert", "|"):
            return self.norm()
        if tok == r"\begin":
            return self.environment()
        return self.name()

    def fraction(self):
        self.take(r"\frac")
        num, den = self.raw_group(), self.raw_group()
        if num[:1] in (["d"], [r"\partial"]) and den[:1] == num[:1]:
            top, bottom = _Parser(" ".join(num[1:])).name(), _Parser(" ".join(den[1:])).name()
            where = ""
            if self.peek() == "|" and self.peek(1) == "_":
                self.k += 2
                where = "|" + _words(self.raw_group())
            return lambda env: _derivative(top, bottom, where, env)
        top, bottom = _Parser(" ".join(num)).whole(), _Parser(" ".join(den)).whole()
        return lambda env: top(env) / bottom(env)

    def function(self):
        tok = self.take()
        fn = _FUNCTIONS.get(tok) or _named_function(_words(self.raw_group()))
        arg = self.primary() if self.peek() in ("(", "{") else self.unary()
        return lambda env: fn(arg(env))

    def norm(self):
        close = r"\rVert" if self.take() == r"\lVert" else "|"
        inner = self.expr()
        self.take(close)
        if close == "|":
            return lambda env: np.abs(inner(env))
        if self.peek() == "_":  # \lVert A \rVert_2: the spectral norm of a matrix
            self.k += 1
            self.raw_group()
        return lambda env: np.linalg.norm(inner(env), 2)

    def environment(self):
        self.take(r"\begin")
        kind = _words(self.raw_group())
        rows, row = [], [self.cell()]
        while self.peek() in ("&", "\\\\"):
            if self.take() == "\\\\":
                rows.append(row)
                row = []
            row.append(self.cell())
        rows.append([c for c in row if c is not None])
        self.take(r"\end")
        self.raw_group()
        if kind == "bmatrix":
            return lambda env: np.block([[np.atleast_2d(c(env)) for c in r] for r in rows])
        if kind == "cases":
            return _cases(rows)
        raise LedgerError(f"the environment {kind!r} cannot be evaluated")

    def cell(self):
        if self.peek() in ("&", "\\\\", r"\end"):
            return None
        if self.peek() == r"\text":  # \text{otherwise}: the last case
            self.take()
            self.raw_group()
            return "otherwise"
        node = self.expr()
        if self.peek() in (r"\le", r"\ge", "<", ">"):
            sign, right = self.take(), self.expr()
            if self.peek() == ",":  # "\le \theta, \\": the case's comma
                self.take()
            return _condition(node, sign, right)
        return node

    def name(self):
        """A name with modifiers and a subscript: see the module docstring."""
        prefix = ""
        while self.peek() in _MODIFIERS:
            prefix += _MODIFIERS[self.take()]
        base = _words(self.raw_group() if self.peek() == "{" else [self.take()])
        if not base or not (base[0].isalpha() or base == "1"):
            raise LedgerError(f"cannot evaluate {base!r} in {' '.join(self.toks)}")
        sub, sup, transpose = None, "", False
        if self.peek() == "_":
            self.take()
            sub = self.raw_group()
        if self.peek() == "^" and r"\text" in self.toks[self.k : self.k + 4]:
            self.take()
            group = self.raw_group()  # W_{hh}^{\text{torch}\,\top}: a name, transposed
            sup = "^{" + _words([t for t in group if t != r"\top"]) + "}"
            transpose = r"\top" in group
        return _Name(base + prefix, sub, sup, transpose)

    def big_operator(self):
        op = self.take()
        self.take("_")
        lower, upper = self.raw_group(), None
        if self.peek() == "^":
            self.take()
            upper = _Parser(" ".join(self.raw_group())).whole()
        var = lower[0].lstrip("\\")
        start = _Parser(" ".join(lower[2:])).whole() if len(lower) > 2 else None
        body = self.term()
        return lambda env: _big(op, var, start, upper, body, env)

    def whole(self):
        """Parse everything: the node of a complete side."""
        node = self.expr()
        if self.peek() is not None:
            raise LedgerError(f"cannot read {self.peek()!r} in {' '.join(self.toks)}")
        return node


_STOP = {"+", "-", ")", "}", "]", "&", "\\\\", r"\end", "|", r"\rVert", ",", "=", r"\le", r"\ge"}


class _Name:
    """A name's node. Its subscript is read when it is evaluated, against the bound indices."""

    def __init__(self, base, sub=None, sup="", transpose=False):
        self.base, self.sub, self.sup, self.transpose = base, sub, sup, transpose
        self.nodes = None if sub is None else _index_nodes(sub)

    def key(self, env):
        """The name and the indices it is read at, in this environment."""
        if self.sub is None:
            return self.base + self.sup, ()
        letters = [t.lstrip("\\") for t in self.sub if t.lstrip("\\").isalpha()]
        if self.nodes is not None and all(c in env.bound for c in letters):
            return self.base + self.sup, tuple(round(float(n(env))) for n in self.nodes)
        return f"{self.base}_{{{_words(self.sub)}}}{self.sup}", ()

    def __call__(self, env, indices=None):
        if self.base == "1":
            return np.ones(env.values.get("batch", 1))
        if self.sub is None and not self.sup and self.base in env.bound:
            return env.bound[self.base]  # a bound index, such as t in x_{t-1}
        name, found = self.key(env)
        value = env.lookup(name, found if indices is None else indices)
        return np.asarray(value).T if self.transpose else value


def _index_nodes(sub):
    """Nodes of a subscript read as indices (``iv`` is two), or None if it cannot be one."""
    if any(t.startswith("\\") and t not in (r"\tau",) for t in sub):
        return None
    if len(sub) > 1 and all(t.isalpha() and len(t) == 1 for t in sub):
        return [_Parser(t).whole() for t in sub]
    try:
        return [_Parser(" ".join(sub)).whole()]
    except LedgerError:
        return None


def _words(toks):
    """A token group as one word: ``\\text{cell path}`` gives 'cell path', ``x\\tilde h`` 'x~h'."""
    out = ""
    for t in toks:
        if t in ("{", "}", r"\text"):
            continue
        out += _MODIFIERS.get(t, t.lstrip("\\") if t.startswith("\\") and len(t) > 2 else t)
    return out.replace("\\ ", " ")


def _derivative(top, bottom, where, env):
    """The value the check gives for dA/dB, at the indices of A and B."""
    (a, i), (b, j) = top.key(env), bottom.key(env)
    return env.lookup(f"d{a}/d{b}{where}", i + j)


def _add(terms, env):
    total = 0.0
    for sign, term in terms:
        total = total + sign * np.asarray(term(env))
    return total


def _product(a, b):
    """A product written without a sign: ``@`` for two arrays, else a scalar product."""
    a, b = np.asarray(a), np.asarray(b)
    if (a.ndim == 0 and a == 0) or (b.ndim == 0 and b == 0):
        return 0.0  # a displayed 0 (delta_{T+1} = 0) is the zero of whatever shape it meets
    return a @ b if a.ndim and b.ndim else a * b


def _multiply(factors, env):
    values = []
    for k, (op, node) in enumerate(factors):
        if op == "cdots":
            values += [("", v) for v in _fill(factors[k - 2][1], factors[k - 1][1], node, env)]
        values.append((op if op != "cdots" else "", node(env)))
    acc = values[0][1]
    for op, value in values[1:]:
        if op == r"\odot":
            acc = np.asarray(acc) * value
        elif op == "/":
            acc = np.asarray(acc) / value
        else:
            acc = _product(acc, value)
    return acc


def _fill(before, last, after, env):
    """The factors ``\\cdots`` stands for, between ``before last`` and ``after``."""
    if not all(isinstance(n, _Name) for n in (before, last, after)):
        raise LedgerError("\\cdots stands between factors that are not indexed names")
    (n1, (i1,)), (n2, (i2,)), (n3, (i3,)) = (n.key(env) for n in (before, last, after))
    step = i2 - i1
    if not n1 == n2 == n3 or abs(step) != 1 or (i3 - i2) * step <= 0:
        raise LedgerError(f"\\cdots: cannot continue {n1}_{i1} {n2}_{i2} to {n3}_{i3}")
    return [after(env, (i,)) for i in range(i2 + step, i3, step)]


def _big(op, var, start, upper, body, env):
    """A sum or an ordered product over ``var`` from ``start`` to ``upper``."""
    if start is None:  # \sum_{t}: over the range the check gives for t
        indices = env.values[f"range {var}"]
    else:
        indices = range(round(start(env)), round(upper(env)) + 1)
    values = [body(env.at(**{var: i})) for i in indices]
    if op == r"\sum":
        return sum(values, 0.0)
    acc = 1.0
    for value in values:
        acc = _product(acc, value)
    return acc


def _condition(left, sign, right):
    compare = {r"\le": np.less_equal, r"\ge": np.greater_equal, "<": np.less, ">": np.greater}
    return lambda env: bool(compare[sign](left(env), right(env)))


def _cases(rows):
    """``\\begin{cases} value & condition \\\\ ... \\end{cases}``: the first case that holds."""

    def evaluate_cases(env):
        for value, condition in rows:
            if condition == "otherwise" or condition(env):
                return value(env)
        raise LedgerError("no case holds")

    return evaluate_cases


def _diag(v):
    v = np.asarray(v)
    if v.ndim == 2 and v.shape[0] == 1:  # a batch of one: the row vector
        v = v[0]
    return np.diag(v)


def _named_function(word):
    functions = {"diag": _diag}
    if word not in functions:
        raise LedgerError(f"\\operatorname{{{word}}} cannot be evaluated")
    return functions[word]


def evaluate(side, env):
    r"""Evaluate one side of a displayed equation on the values of ``env``.

    Parameters
    ----------
    side : str
        LaTeX of one side.
    env : Env
        The values of its names and the bound indices.

    Returns
    -------
    ndarray or float

    Raises
    ------
    LedgerError
        If the side uses a construct the evaluator does not read, or a name
        without a value.

    Examples
    --------
    >>> x = {1: np.array([[1.0, 2.0]])}
    >>> env = Env({"x": x, "W_{xh}": np.eye(2), "b": np.ones(2)}, {"t": 1})
    >>> evaluate(r"\tanh\left(x_t W_{xh} + b\right)", env).round(3)
    array([[0.964, 0.995]])
    >>> evaluate(r"\sum_{t=1}^{1} x_t^\top x_t", env)
    array([[1., 2.],
           [2., 4.]])
    """
    return _Parser(side).whole()(env)


def name_of(side):
    r"""The key a side that is a single name is looked up under, with no index bound.

    Examples
    --------
    >>> name_of(r"\tilde c_t"), name_of(r"W_{hh}^{\text{torch}}"), name_of(r"W_{x\tilde h}")
    ('c~_{t}', 'W_{hh}^{torch}', 'W_{x~h}')
    """
    parser = _Parser(side)
    node = parser.name()
    if parser.peek() is not None:
        raise LedgerError(f"{side!r} is not a single name")
    return node.key(Env({}))[0]
