r"""A small evaluator that turns one side of a displayed equation into numbers.

It reads a limited grammar by recursive descent and evaluates it with numpy in
float64, on values a check supplies (an :class:`Env`). What it reads:

- sums and differences; products: a product written without a sign is numpy's
  ``@`` when both factors are arrays (``x_t W_{xh}``), ``\odot`` is element-wise,
  ``/`` and ``\frac{a}{b}`` divide, a power ``^2`` or ``^{k}`` is element-wise
  (``h_t^2``) except for a name that starts with a capital, a matrix, whose power
  is the matrix power (``\Lambda^{t}``), and ``^\top`` transposes;
- ``\tanh``, ``\sigma`` (the logistic sigmoid), ``\exp``, ``e^{...}``, ``\log``,
  ``\sin``, ``\cos``, ``\operatorname{diag}`` of a vector and any other
  ``\operatorname{name}`` the check supplies (``softmax``), ``\lVert v \rVert``
  (2-norm), ``|a|``, ``\mathbf{1}`` (a vector of ones, as long as the batch), a
  ``bmatrix`` of blocks (``np.block``) and ``cases``;
- ``\sum_{t=a}^{b}`` and ``\prod_{t=a}^{b}`` (an ordered matrix product, the
  factor with the smallest index on the left), over the rest of the term;
  ``\sum_{v}`` without limits runs over the range the check gives for ``v``;
- names: a letter with modifiers (``\tilde c``, ``\hat x``, ``\mathbf{X}``,
  ``\mathcal{A}``), a word (``\text{gradout}``) and a subscript. The subscript is an
  *index* when every letter in it is a bound index (``x_{t-1}`` with ``t`` bound,
  ``W_{iv}`` with ``i`` and ``v`` bound), so the value is ``env[name][index]``;
  otherwise it is part of the name (``W_{xh}``, ``b_y``, ``h_{\text{left}}``). A
  derivative ``\frac{\partial A}{\partial B}`` is the value the check supplies under
  the key ``"dA/dB"`` (with index subscripts, and entries ``y_t[v]``, as
  arguments); ``\bigg|_{\text{direct}}`` after it adds ``"|direct"`` to the key;
- entries: ``p_t[\kappa_t]``, ``(\bar z W^\top)_i`` and ``[\operatorname{softmax}(y)]_v``
  pick an entry (a row vector, a batch of one, is read as its vector), and the
  Iverson bracket ``[v = \kappa_t]`` is 1 or 0;
- calls: a name without a subscript followed by a parenthesis (``\Phi(u_1, u_2)``,
  ``U(h, x)``, ``\mathcal{N}(0, 1)``) calls the function the check supplies with the
  arguments' values. A function marked ``reads_references`` (a probability
  ``P(x_t \mid x_1, \dots, x_{t-1})``) is called instead with *references*, the
  (name, indices) of each argument, one list before ``\mid`` and one after; in an
  argument list, ``a, \dots, b`` is the range of indices from a to b (empty when b
  is one step before a);
- ellipses (:mod:`rnnbook.ledger.ellipsis`): ``A_{i} A_{i-1} \cdots A_{j}`` is a product
  continued between factors (indexed names or probabilities) whose indices step
  by one; ``a_1 b + a_2 b + \dots + a_\tau b``, a sum whose two terms before
  ``\dots`` differ only in integers, which step on until the term reads the same
  indexed names as the term after it; and in a ``bmatrix``, ``\cdots`` in a row
  and a row of ``\vdots`` continue a row or a column of indexed names.

Anything else raises :class:`~rnnbook.ledger.sympy_form.Unreadable` naming the token it
could not read: nothing is skipped.
"""

import functools

import numpy as np

from rnnbook.ledger.ellipsis import antiunify, between, between_one
from rnnbook.ledger.latex import tokens
from rnnbook.ledger.sympy_form import LedgerError, Unreadable

__all__ = ["DOTS", "Env", "evaluate", "name_of", "parse_name"]

_DROP = {r"\,", r"\;", r"\:", r"\!", r"\ ", r"\left", r"\right", r"\bigg", r"\big", r"\Big"}
_MODIFIERS = {
    r"\tilde": "~",
    r"\hat": "^",
    r"\bar": "-",
    r"\mathbf": "",
    r"\boldsymbol": "",
    r"\mathrm": "",
    r"\mathcal": "cal",
}
_DOTS = {r"\dots", r"\cdots", r"\ldots"}
_STEP_LIMIT = 10_000  #: the most terms a sum's \dots may stand for


def _sigmoid(z):
    """The logistic function, as ``(1 + tanh(z / 2)) / 2``: not the code's own formula."""
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z)))


_FUNCTIONS = {
    r"\tanh": np.tanh,
    r"\sigma": _sigmoid,
    r"\exp": np.exp,
    r"\log": np.log,
    r"\sin": np.sin,
    r"\cos": np.cos,
}


class _Marker:
    """An ellipsis in an argument list or a matrix: it has no value of its own."""

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return self.name


DOTS, HDOTS, VDOTS = _Marker("\\dots"), _Marker("\\cdots"), _Marker("\\vdots")


class Env:
    """Values for the evaluator: names, sequences (dicts by index) and bound indices.

    Parameters
    ----------
    values : dict
        Name (as :func:`name_of` spells it) to array, scalar, dict (a sequence) or
        callable (a derivative taking its indices, or a function of a call).
    bound : dict, optional
        Bound indices, e.g. ``{"t": 3, "T": 5}``.
    trace : list, optional
        If given, every read of an indexed name is appended as (name, indices).
    """

    def __init__(self, values, bound=None, trace=None):
        self.values, self.bound, self.trace = values, dict(bound or {}), trace

    def at(self, **bound):
        """The same values with more indices bound."""
        return Env(self.values, {**self.bound, **bound}, self.trace)

    def raw(self, name):
        """The value stored under ``name``, not called and not indexed."""
        if name not in self.values:
            raise LedgerError(f"{name!r} has no value in this check (known: {sorted(self.values)})")
        return self.values[name]

    def lookup(self, name, indices=()):
        value = self.raw(name)
        if indices and self.trace is not None:
            self.trace.append((name, tuple(indices)))
        if callable(value) and indices:
            return value(*indices)
        for index in indices:
            value = _entry_of(name, value, index)
        return value


def _entry_of(name, value, index):
    """Entry ``index`` of a sequence (a dict) or an array (a row vector: its vector)."""
    if isinstance(value, dict):
        if index not in value:
            raise LedgerError(f"{name}_{index} is not defined (indices {sorted(value)})")
        return value[index]
    array = np.asarray(value)
    if array.ndim >= 2 and array.shape[0] == 1:
        array = array[0]  # a row vector, a batch of one
    if array.ndim == 0 or not 0 <= index < array.shape[0]:
        raise LedgerError(f"{name}_{index} is not defined (shape {np.shape(value)})")
    return array[index]


def _as_index(value):
    number = float(np.real(value))
    if abs(number - round(number)) > 1e-9:
        raise LedgerError(f"an index must be an integer, got {number}")
    return round(number)


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
            raise Unreadable(f"expected {expected!r}, read {tok!r} in {' '.join(self.toks)}")
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
        terms = [(1, *self._spanned_term())]
        while self.peek() in ("+", "-"):
            sign = 1 if self.take() == "+" else -1
            if self.peek() in _DOTS and self.peek(1) in ("+", "-"):
                self.take()
                terms.append((sign, DOTS, None))
            else:
                terms.append((sign, *self._spanned_term()))
        nodes = _sum_fills(terms)
        if len(nodes) == 1 and nodes[0][0] == 1:
            return nodes[0][1]  # one term: its own node (a name stays a name, for a call)
        return lambda env: _add(nodes, env)

    def _spanned_term(self):
        start = self.k
        node = self.term()
        return node, self.toks[start : self.k]

    def term(self):
        factors = [("", self.unary())]
        while True:
            tok = self.peek()
            if tok in (r"\odot", "/", r"\cdot"):
                factors.append((self.take(), self.unary()))
            elif tok in _DOTS:
                self.take()
                factors.append(("cdots", self.unary()))
            elif tok in (r"\sum", r"\prod"):
                factors.append(("", self.big_operator()))
                return lambda env: _multiply(factors, env)
            elif tok is not None and tok not in _STOP:
                factors.append(("", self.unary()))
            else:
                if len(factors) == 1:
                    return factors[0][1]
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
        while self.peek() in ("^", "["):
            if self.take() == "[":
                index = self.expr()
                self.take("]")
                node = (lambda n, i: lambda env: _entry(n(env), [i(env)]))(node, index)
            elif self.peek() == r"\top" or self.toks[self.k : self.k + 3] == ["{", r"\top", "}"]:
                self.k += 1 if self.peek() == r"\top" else 3
                node = (lambda n: lambda env: np.asarray(n(env)).T)(node)
            else:
                power = self.group()
                matrix = isinstance(node, _Name) and node.base[:1].isupper()
                node = (lambda n, p, m: lambda env: _power(n(env), p(env), m))(node, power, matrix)
        return node

    def primary(self):
        tok = self.peek()
        if tok is None:
            raise Unreadable("the side ends where a value was expected")
        if tok[0].isdigit():
            self.take()
            return lambda env, v=float(tok): v
        if tok in ("(", "{"):
            self.take()
            node = self.expr()
            self.take(")" if tok == "(" else "}")
            return self.entry(node) if tok == "(" else node
        if tok == "[":
            return self.bracket()
        if tok == r"\frac":
            return self.fraction()
        if (tok in _FUNCTIONS and self.peek(1) != "_") or tok == r"\operatorname":
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
        node = self.name()
        if node.sub is None and not node.sup and self.peek() == "(":
            return _Call(node, self.arguments())
        return node

    def entry(self, node):
        """``(...)_i``: an entry of the group's value, if a subscript follows."""
        if self.peek() != "_":
            return node
        self.take("_")
        nodes = _index_nodes(self.raw_group())
        if nodes is None:
            raise Unreadable(f"cannot read the index after a group in {' '.join(self.toks)}")
        return lambda env: _entry(node(env), [n(env) for n in nodes])

    def bracket(self):
        """``[a = b]`` (1 or 0), or ``[...]_v`` (an entry)."""
        self.take("[")
        left = self.expr()
        if self.peek() == "=":
            self.take("=")
            right = self.expr()
            self.take("]")
            return lambda env: float(np.array_equal(left(env), right(env)))
        self.take("]")
        return self.entry(left)

    def arguments(self):
        """The argument groups of a call: items split at commas, groups at ``\\mid``."""
        self.take("(")
        groups, items = [], []
        while True:
            if self.peek() in _DOTS:
                self.take()
                items.append(DOTS)
            else:
                items.append(self.expr())
            tok = self.take()
            if tok == ")":
                return [*groups, items]
            if tok == r"\mid":
                groups, items = [*groups, items], []
            elif tok != ",":
                raise Unreadable(f"expected ',', '\\mid' or ')' in a call, read {tok!r}")

    def fraction(self):
        self.take(r"\frac")
        num, den = self.raw_group(), self.raw_group()
        if num[:1] in (["d"], [r"\partial"]) and den[:1] == num[:1]:
            top, bottom = _derivative_part(num[1:]), _derivative_part(den[1:])
            where = ""
            if self.peek() == "|" and self.peek(1) == "_":
                self.k += 2
                where = "|" + _words(self.raw_group())
            return lambda env: _derivative(top, bottom, where, env)
        top, bottom = _Parser(" ".join(num)).whole(), _Parser(" ".join(den)).whole()
        return lambda env: top(env) / bottom(env)

    def function(self):
        tok = self.take()
        word = _words(self.raw_group()) if tok == r"\operatorname" else None
        arg = self.primary() if self.peek() in ("(", "{") else self.unary()
        if word is None:
            fn = _FUNCTIONS[tok]
            return lambda env: fn(arg(env))
        return lambda env: _operator(word, env)(arg(env))

    def norm(self):
        close = r"\rVert" if self.take() == r"\lVert" else "|"
        inner = self.expr()
        self.take(close)
        if close == "|":
            return lambda env: np.abs(inner(env))
        order = 2  # a vector's 2-norm, a matrix's spectral norm
        if self.peek() == "_":  # \lVert A \rVert_2, \lVert A \rVert_F
            self.take("_")
            order = {"2": 2, "F": "fro"}.get(_words(self.raw_group()))
            if order is None:
                raise Unreadable(
                    f"a norm with subscript other than 2 or F in {' '.join(self.toks)}"
                )
        return lambda env: np.linalg.norm(inner(env), order)

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
        if kind == "bmatrix" and any(c in (HDOTS, VDOTS) for r in rows for c in r):
            return lambda env: _dotted_matrix(rows, env)
        if kind == "bmatrix":
            return lambda env: np.block([[np.atleast_2d(c(env)) for c in r] for r in rows])
        if kind == "cases":
            return _cases(rows)
        raise Unreadable(f"the environment {kind!r} cannot be evaluated")

    def cell(self):
        tok = self.peek()
        if tok in ("&", "\\\\", r"\end"):
            return None
        if tok in _DOTS or tok == r"\vdots":
            self.take()
            return VDOTS if tok == r"\vdots" else HDOTS
        if tok == r"\text":  # \text{otherwise}: the last case
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
        if self.peek() == r"\text":
            self.take()
            base = _words(self.raw_group())
        else:
            base = _words(self.raw_group() if self.peek() == "{" else [self.take()])
        if not base or not (base[0].isalpha() or base == "1"):
            raise Unreadable(f"cannot evaluate {base!r} in {' '.join(self.toks)}")
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
            raise Unreadable(f"cannot read {self.peek()!r} in {' '.join(self.toks)}")
        return node


_STOP = {"+", "-", ")", "}", "]", "&", "\\\\", r"\end", "|", r"\rVert", ",", "=", r"\le", r"\ge"}
_STOP |= {r"\mid", r"\sim", "<", ">"}


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
            return self.base + self.sup, tuple(_as_index(n(env)) for n in self.nodes)
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
    if any(t.startswith("\\") and t != r"\tau" and not t.startswith(r"\slot") for t in sub):
        return None
    if len(sub) > 1 and all(t.isalpha() and len(t) == 1 for t in sub):
        return [_Parser(t).whole() for t in sub]
    try:
        return [_Parser(" ".join(sub)).whole()]
    except LedgerError:
        return None


class _Call:
    """``f(a, b)`` or ``P(a \\mid b, \\dots, c)``: see the module docstring."""

    def __init__(self, callee, groups):
        self.callee, self.groups = callee, groups

    def function(self, env):
        return env.raw(self.callee.key(env)[0])

    def __call__(self, env):
        fn = self.function(env)
        if getattr(fn, "reads_references", False):
            return fn(*(_references(g, env) for g in self.groups))
        if len(self.groups) != 1:
            raise Unreadable(f"\\mid in a call of {self.callee.base}, which is not a probability")
        if callable(fn):
            return fn(*_values(self.groups[0], env))
        if len(self.groups[0]) != 1:
            raise Unreadable(f"{self.callee.base} is not a function, and (...) holds a list")
        return _product(fn, self.groups[0][0](env))  # a name times a parenthesis


def _references(items, env):
    """(name, indices) of every argument, a range ``a, \\dots, b`` written out."""
    out, k = [], 0
    while k < len(items):
        if items[k] is DOTS:
            if not out or k + 1 >= len(items):
                raise Unreadable("a range needs a name on either side of \\dots")
            before = out[-2:] if k >= 2 and items[k - 2] is not DOTS else out[-1:]
            out = out[: len(out) - len(before)] + _range(before, _reference(items[k + 1], env))
            k += 2
        else:
            out.append(_reference(items[k], env))
            k += 1
    return out


def _reference(item, env):
    if not isinstance(item, _Name):
        raise Unreadable("an argument of a probability must be a name")
    return item.key(env)


def _range(before, end):
    """``a, \\dots, b``: ``before`` holds the item before the dots (and the one before it)."""
    (name, first), (end_name, last) = before[-1], end
    if name != end_name or len(first) != 1 or len(last) != 1:
        raise LedgerError(f"\\dots between {name}{first} and {end_name}{last}: not one sequence")
    step = 1
    if len(before) == 2 and before[0][0] == name and len(before[0][1]) == 1:
        step = first[0] - before[0][1][0]
    if step not in (-1, 1):
        raise LedgerError(f"\\dots: {name} steps by {step}")
    if last[0] == first[0] - step:  # x_1, \dots, x_0: nothing
        return before[:-1]
    if (last[0] - first[0]) * step < 0:
        raise LedgerError(f"\\dots: {name}_{first[0]} does not lead to {name}_{last[0]}")
    return [*before[:-1], *((name, (i,)) for i in range(first[0], last[0] + step, step))]


def _values(items, env):
    if DOTS not in items:
        return [item(env) for item in items]
    return [env.lookup(name, idx) for name, idx in _references(items, env)]


def _runs(refs):
    """References as runs of one name with consecutive indices: [(name, first, last)]."""
    runs = []
    for name, idx in refs:
        if len(idx) != 1:
            raise LedgerError(f"{name}{idx}: a probability's argument has one index")
        if runs and runs[-1][0] == name and runs[-1][2] + 1 == idx[0]:
            runs[-1] = (name, runs[-1][1], idx[0])
        else:
            runs.append((name, idx[0], idx[0]))
    return runs


def _signature(node, env):
    """(what kind of item, its integers) for an indexed name or a probability, else None."""
    if isinstance(node, _Name) and node.sub is not None:
        name, idx = node.key(env)
        return (("name", name), idx) if idx else None
    if isinstance(node, _Call) and getattr(node.function(env), "reads_references", False):
        groups = [_runs(_references(g, env)) for g in node.groups]
        kind = ("call", node.callee.base, tuple(tuple(r[0] for r in g) for g in groups))
        return kind, tuple(i for g in groups for r in g for i in r[1:])
    return None


def _instance(node, kind, ints, env):
    """The item of ``node``'s kind at the integers ``ints``."""
    if kind[0] == "name":
        return node(env, ints)
    groups, k = [], 0
    for names in kind[2]:
        refs = []
        for name in names:
            first, last = ints[k], ints[k + 1]
            refs += [(name, (i,)) for i in range(first, last + 1)]
            k += 2
        groups.append(refs)
    return node.function(env)(*groups)


def _fill(before, last, after, env):
    """The factors ``\\cdots`` stands for, between ``before last`` and ``after``."""
    sigs = [_signature(n, env) for n in (before, last, after)]
    if any(s is None for s in sigs):
        raise Unreadable("\\cdots stands between factors that are not indexed names")
    (k1, s1), (k2, s2), (k3, s3) = sigs
    if not k1 == k2 == k3:
        raise LedgerError(f"\\cdots between items of different kinds: {k1}, {k2}, {k3}")
    return [_instance(last, k2, ints, env) for ints in between(s1, s2, s3)]


class _SumFill:
    """The terms a sum's ``\\dots`` stands for (see the module docstring)."""

    def __init__(self, before, last, after):
        template, self.slots = antiunify(before, last)
        self.template, self.after = _Parser(" ".join(template)).whole(), after

    def _at(self, env, j):
        return env.at(**{name: b + j * (b - a) for name, a, b in self.slots})

    def __call__(self, env):
        target = _indexed_reads(self.after, env)
        for j in range(1, _STEP_LIMIT):
            if _indexed_reads(self.template, self._at(env, j)) == target:
                return sum((self.template(self._at(env, i)) for i in range(1, j)), 0.0)
        raise LedgerError(f"\\dots: the terms never reach the one after it, {target}")


def _indexed_reads(node, env):
    """The indexed names a node reads, in order."""
    traced = Env(env.values, env.bound, [])
    node(traced)
    return traced.trace


def _sum_fills(terms):
    """(sign, node) for each term, a ``\\dots`` between terms made a :class:`_SumFill`."""
    out = []
    for k, (sign, node, _) in enumerate(terms):
        if node is not DOTS:
            out.append((sign, node))
            continue
        if k < 2 or k + 1 >= len(terms) or DOTS in (terms[k - 2][1], terms[k - 1][1]):
            raise Unreadable("a sum's \\dots needs two terms before it and one after")
        if len({terms[k - 1][0], sign, terms[k + 1][0]}) != 1:
            raise Unreadable("a sum's \\dots between terms of different signs")
        out.append((sign, _SumFill(terms[k - 2][2], terms[k - 1][2], terms[k + 1][1])))
    return out


def _dotted_matrix(rows, env):
    """A bmatrix with ``\\cdots`` in rows and ``\\vdots`` rows, written out."""
    specs = []
    for row in rows:
        cells = [c for c in row if c is not None]
        if cells and all(c is VDOTS for c in cells):
            specs.append(VDOTS)
        else:
            specs.append(_row_specs(cells, env))
    for k in [k for k, s in enumerate(specs) if s is VDOTS][::-1]:
        if k == 0 or k + 1 >= len(specs) or VDOTS in (specs[k - 1], specs[k + 1]):
            raise Unreadable("a row of \\vdots needs a row before it and one after")
        before = [s for s in specs[max(k - 2, 0) : k] if s is not VDOTS]
        specs[k : k + 1] = _rows_between(before, specs[k + 1])
    return np.block([[np.atleast_2d(_spec_value(s, env)) for s in row] for row in specs])


def _spec(cell, env):
    """A cell as ("ref", name, indices) for an indexed name, else ("node", node)."""
    if isinstance(cell, _Name) and cell.sub is not None:
        name, idx = cell.key(env)
        if idx:
            return ("ref", name, idx)
    if cell in (HDOTS, VDOTS):
        raise Unreadable("\\cdots and \\vdots in one place")
    return ("node", cell)


def _row_specs(cells, env):
    out, pending = [], False
    for cell in cells:
        if cell is HDOTS:
            pending = True
            continue
        spec = _spec(cell, env)
        if pending:
            out += _continue_refs(out[-2:], spec)
            pending = False
        out.append(spec)
    return out


def _continue_refs(before, end):
    """The ("ref", ...) specs between ``before`` (one or two refs) and ``end``."""
    if not all(s[0] == "ref" and s[1] == end[1] for s in (*before, end)) or not before:
        raise LedgerError("\\cdots in a matrix stands between cells that are not one sequence")
    sigs = [s[2] for s in before]
    filled = between(*sigs, end[2]) if len(sigs) == 2 else between_one(sigs[0], end[2])
    return [("ref", end[1], ints) for ints in filled]


def _rows_between(before, end):
    """The rows a row of ``\\vdots`` stands for: each column's indices step on together."""
    last = before[-1]
    if any(len(r) != len(end) for r in before) or any(
        a[0] != b[0] or (a[0] == "ref" and a[1] != b[1]) for a, b in zip(last, end)
    ):
        raise LedgerError("\\vdots between rows of different forms")
    refs = [j for j, spec in enumerate(last) if spec[0] == "ref"]

    def flat(row):
        return tuple(i for j in refs for i in row[j][2])

    sigs = [flat(r) for r in before]
    filled = between(*sigs, flat(end)) if len(sigs) == 2 else between_one(sigs[0], flat(end))
    rows = []
    for ints in filled:
        row, k = list(last), 0
        for j in refs:
            width = len(last[j][2])
            row[j] = ("ref", last[j][1], ints[k : k + width])
            k += width
        rows.append(row)
    return rows


def _spec_value(spec, env):
    return env.lookup(spec[1], spec[2]) if spec[0] == "ref" else spec[1](env)


def _words(toks):
    """A token group as one word: ``\\text{cell path}`` gives 'cell path', ``x\\tilde h`` 'x~h'."""
    out = ""
    for t in toks:
        if t in ("{", "}", r"\text"):
            continue
        out += _MODIFIERS.get(t, t.lstrip("\\") if t.startswith("\\") and len(t) > 2 else t)
    return out.replace("\\ ", " ")


def _derivative_part(toks):
    """The name of a derivative's numerator or denominator, and entries after it (``y_t[v]``)."""
    parser = _Parser(" ".join(toks))
    node, entries = parser.name(), []
    while parser.peek() == "[":
        parser.take("[")
        entries.append(parser.expr())
        parser.take("]")
    if parser.peek() is not None:
        raise Unreadable(f"cannot read {parser.peek()!r} in the derivative's {' '.join(toks)}")
    return node, entries


def _derivative(top, bottom, where, env):
    """The value the check gives for dA/dB, at the indices of A and B."""
    (a_node, a_entries), (b_node, b_entries) = top, bottom
    (a, i), (b, j) = a_node.key(env), b_node.key(env)
    entries = [_as_index(n(env)) for n in (*a_entries, *b_entries)]
    return env.lookup(f"d{a}/d{b}{where}", (*i, *j, *entries))


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


def _power(value, power, matrix):
    value = np.asarray(value)
    if matrix and value.ndim == 2 and value.shape[0] == value.shape[1] > 1:
        return np.linalg.matrix_power(value, _as_index(power))
    return np.power(value, power)


def _entry(value, indices):
    for index in indices:
        value = _entry_of("the value", value, _as_index(index))
    return value


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


def _big(op, var, start, upper, body, env):
    """A sum or an ordered product over ``var`` from ``start`` to ``upper``."""
    if start is None:  # \sum_{t}: over the range the check gives for t
        indices = env.raw(f"range {var}")
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


def _operator(word, env):
    """``\\operatorname{word}``: diag, or a function the check supplies under ``word``."""
    if word == "diag":
        return _diag
    fn = env.values.get(word)
    if not callable(fn):
        raise LedgerError(
            f"\\operatorname{{{word}}} cannot be evaluated: the check gives no {word}"
        )
    return fn


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
    Unreadable
        If the side uses a construct the evaluator does not read.
    LedgerError
        If a name has no value, or an ellipsis cannot be continued.

    Examples
    --------
    >>> x = {1: np.array([[1.0, 2.0]])}
    >>> env = Env({"x": x, "W_{xh}": np.eye(2), "b": np.ones(2)}, {"t": 1})
    >>> evaluate(r"\tanh\left(x_t W_{xh} + b\right)", env).round(3)
    array([[0.964, 0.995]])
    >>> evaluate(r"\sum_{t=1}^{1} x_t^\top x_t", env)
    array([[1., 2.],
           [2., 4.]])
    >>> phi = {1: 0.5, 2: 0.25, 3: 0.125}
    >>> float(evaluate(r"\phi_1 + \phi_2 + \dots + \phi_\tau", Env({"phi": phi}, {"tau": 4})))
    Traceback (most recent call last):
    ...
    rnnbook.ledger.sympy_form.LedgerError: phi_4 is not defined (indices [1, 2, 3])
    >>> float(evaluate(r"\phi_1 + \phi_2 + \dots + \phi_\tau", Env({"phi": phi}, {"tau": 3})))
    0.875
    """
    return _compiled(side)(env)


@functools.cache
def _compiled(side):
    """The node of a side, parsed once per process (nodes hold no state)."""
    return _Parser(side).whole()


@functools.cache
def parse_name(side):
    """The node of a side that is a single name (its ``key(env)`` gives name and indices)."""
    parser = _Parser(side)
    node = parser.name()
    if parser.peek() is not None:
        raise Unreadable(f"{side!r} is not a single name")
    return node


def name_of(side):
    r"""The key a side that is a single name is looked up under, with no index bound.

    Examples
    --------
    >>> name_of(r"\tilde c_t"), name_of(r"W_{hh}^{\text{torch}}"), name_of(r"W_{x\tilde h}")
    ('c~_{t}', 'W_{hh}^{torch}', 'W_{x~h}')
    >>> name_of(r"\mathcal{N}"), name_of(r"\text{gradout}")
    ('Ncal', 'gradout')
    """
    return parse_name(side).key(Env({}))[0]
