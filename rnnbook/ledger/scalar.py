r"""Checks of the scalar linear cell's equations, read from the displayed LaTeX by sympy.

Each check parses the sides of a display (:func:`rnnbook.ledger.sympy_form.parse`),
gives them the meaning of ``rnn_core.symbolic`` (``h(k)`` is the state
:math:`h_k`, ``x(k)`` the input, ``w_{H}`` the weight :math:`w_H`), and for each
concrete length ``N = 1..8`` compares them exactly: with the derivative of the
unrolled state, or with each other for a chain ``a = b = c``. A derivative
placeholder such as ``D_{hwH}(k)`` (for :math:`dh_k/dw_H`) means the true
derivative, unless the display defines it by a recursion: then the recursion, as
displayed, is run from its displayed starting value and its result is compared.
"""

import functools
from typing import NamedTuple

import sympy as sp
from sympy.core.function import AppliedUndef

from rnn_core import symbolic
from rnnbook.ledger.latex import relations
from rnnbook.ledger.sympy_form import LedgerError, parse

__all__ = ["CHECKS", "LENGTHS"]

S = symbolic.symbols()
LENGTHS = range(1, 9)  #: the concrete N every scalar identity is checked for
_NAMES = {"w_{H}": S.w_H, "w_{X}": S.w_X}
_SEQUENCES = {"h": S.h, "x": S.X, "g": S.g}


class Span(NamedTuple):
    """A displayed range ``a, \\dots, b``: its two ends, parsed."""

    first: sp.Expr
    last: sp.Expr


def _parse_side(side):
    """A side parsed by sympy's lark parser, or a range ``a, \\dots, b`` as a :class:`Span`."""
    items = [item.strip() for item in side.split(",")]
    if len(items) >= 3 and items[-2] in (r"\dots", r"\ldots"):
        return Span(parse(items[0]), parse(items[-1]))
    return parse(side)


def _sides(latex, count=None):
    """The relations of a display with every side parsed: list of (relation, [expr])."""
    found = [(rel, [_parse_side(side) for side in rel.sides]) for rel in relations(latex)]
    if count is not None and len(found) != count:
        raise LedgerError(f"expected {count} relations, read {len(found)}: {found}")
    return found


def _model(expr, values=None, functions=None):
    """Give a parsed expression the meaning of ``rnn_core.symbolic``, exactly.

    ``values`` substitutes symbols by name (``{"N": 4}``); sums are then evaluated,
    and the calls ``h(k)``, ``x(k)``, ``g(k)`` become the indexed symbols, other calls
    the result of ``functions[name](*args)``.
    """
    by_name = {sym.name: sym for sym in expr.free_symbols}
    subs = {by_name[k]: v for k, v in (values or {}).items() if k in by_name}
    subs.update({sym: _NAMES[sym.name] for sym in expr.free_symbols if sym.name in _NAMES})
    expr = expand_sums(expr.xreplace(subs))
    # every call at once (their arguments are indices, not calls): xreplace, not replace,
    # whose walk over the tree was a fifth of the checks' time
    return expr.xreplace({call: _call(call, functions) for call in expr.atoms(AppliedUndef)})


def expand_sums(expr):
    r"""Write every sum and product with integer limits out as its terms, outermost first.

    sympy's ``doit`` would try a closed form first (a third of the checks' time);
    with concrete limits the terms are all there is. An inner sum's limits may name
    the outer index (``\sum_{t=1}^{N} \sum_{i=1}^{t}``), so the outer one is written
    out first. Limits that are not integers then raise :class:`LedgerError`: the
    check forgot to give N a value.

    Examples
    --------
    >>> i, t, w = sp.symbols("i t w")
    >>> expand_sums(sp.Sum(sp.Sum(w**i, (i, 1, t)), (t, 1, 2)))
    w**2 + 2*w
    >>> expand_sums(sp.Sum(i, (i, 1, sp.Symbol("N"))))
    Traceback (most recent call last):
    ...
    rnnbook.ledger.sympy_form.LedgerError: the limits of Sum(i, (i, 1, N)) are not integers
    """
    if not isinstance(expr, sp.Basic) or not expr.args:
        return expr
    if not isinstance(expr, sp.Sum | sp.Product):
        return expr.func(*(expand_sums(a) for a in expr.args))
    *inner, (var, low, high) = expr.limits  # sympy lists the innermost limits first
    if not (low.is_Integer and high.is_Integer):
        raise LedgerError(f"the limits of {expr} are not integers")
    body = expr.func(expr.function, *inner) if inner else expr.function
    terms = [expand_sums(body.xreplace({var: k})) for k in range(low, high + 1)]
    return (sp.Add if isinstance(expr, sp.Sum) else sp.Mul)(*terms)


def _call(e, functions):
    name = e.func.__name__
    if name in (functions or {}):  # a recursion of the display comes before the states
        return functions[name](*e.args)
    if name in _SEQUENCES:
        return _SEQUENCES[name][e.args[0]]
    raise LedgerError(f"{name}{e.args} has no meaning in this check")


def _equal(a, b, N=None):
    """Exact equality after every state h_1..h_N is unrolled into the inputs."""
    if N is not None:
        a, b = symbolic.unroll_states(a, N), symbolic.unroll_states(b, N)
    return sp.expand(a - b) == 0


def _expect(ok, what, rel, **at):
    if not ok:
        where = ", ".join(f"{k} = {v}" for k, v in at.items())
        raise LedgerError(f"row {rel.row}: {rel} fails {what} at {where}")


@functools.cache
def _dh(N, wrt):
    """d h_N / d wrt of the unrolled state, expanded: every check's truth, computed once."""
    return sp.expand(sp.diff(symbolic.unrolled_h(N), wrt))


def _derivative(wrt):
    """``D_{hwH}(k)`` as the true derivative of the unrolled state."""
    return lambda k: _dh(int(k), wrt)


class _Sequence:
    """A sequence defined by a displayed recursion, evaluated on demand.

    ``rhs`` is the right side with the index symbol ``index``; ``known`` holds the
    displayed starting values. A value outside ``lo..hi`` that is not known, or a
    value that needs itself, is an error: that is how a recursion that runs the
    wrong way, or reads the step it defines, fails.
    """

    def __init__(self, name, rhs, index, known, lo, hi, functions=None):
        self.name, self.rhs, self.index, self.known = name, rhs, index, dict(known)
        self.lo, self.hi, self.functions, self.busy = lo, hi, dict(functions or {}), set()
        self.functions[name] = self

    def __call__(self, k):
        k = int(k)
        if k in self.known:
            return self.known[k]
        if not self.lo <= k <= self.hi or k in self.busy:
            why = "needs itself" if k in self.busy else "is not defined by the display"
            raise LedgerError(f"{self.name}({k}) {why}")
        self.busy.add(k)
        self.known[k] = sp.expand(_model(self.rhs, {self.index: k}, self.functions))
        self.busy.discard(k)
        return self.known[k]


def _index_of(call):
    """The index symbol of a call such as ``D_{hwH}(t)``: its only free symbol."""
    (sym,) = call.args[0].free_symbols
    return sym.name


def _name(expr):
    """The name of a call or a symbol, as the parser spelled it."""
    return expr.func.__name__ if isinstance(expr, AppliedUndef) else str(expr)


def _wrt(name):
    """The weight a placeholder such as ``D_{hwH}`` or ``D_{LwX}`` differentiates by."""
    return {"H}": S.w_H, "X}": S.w_X}[name[-2:]]


CHECKS = {}


def _check(*labels):
    """Register a check for the given labels."""

    def register(function):
        CHECKS.update(dict.fromkeys(labels, function))
        return function

    return register


@_check("eq-cell-linear", "eq-notation-linear")
def check_step(latex):
    """The step, run from h_0 over the displayed range, is ``symbolic.unrolled_h``."""
    (rel, (lhs, rhs)), (rng, (index, span)) = _sides(latex, 2)
    if not isinstance(span, Span) or _name(index) != _index_of(lhs):
        raise LedgerError(f"row {rng.row}: expected the range of {lhs}, read {rng}")
    # one run for every N (the step does not read N): the display defines h_1..h_hi(8), so a
    # step that reads a later state fails at N = 8, and a range that stops short fails there
    hi = int(span.last.subs(sp.Symbol("N"), LENGTHS[-1]))
    h = _Sequence("h", rhs, _name(index), {0: S.h[0]}, int(span.first), hi)
    if sp.Symbol("N") in rhs.free_symbols:
        raise LedgerError(f"row {rel.row}: the step {rel} reads N")
    for N in LENGTHS:
        _expect(_equal(h(N), symbolic.unrolled_h(N)), "symbolic.unrolled_h", rel, N=N)
    return f"the step, run from h_0 for N = 1..{LENGTHS[-1]}, is the unrolled state"


@_check("eq-unrolled-state")
def check_unrolled_state(latex):
    """The closed form of h_t equals the unrolled state for t = 0..8."""
    ((rel, (lhs, rhs)),) = _sides(latex, 1)
    for t in range(LENGTHS[-1] + 1):
        value = _model(rhs, {_index_of(lhs): t})
        _expect(_equal(value, symbolic.unrolled_h(t)), "symbolic.unrolled_h", rel, t=t)
    return f"equals symbolic.unrolled_h(t) for t = 0..{LENGTHS[-1]}"


@_check("eq-influence")
def check_influence(latex):
    """dh_t/dx_s of the unrolled state, for every (t, s) the displayed condition allows."""
    (rel, (_lhs, rhs)), (cond, (low, _s_sym, t_sym)) = _sides(latex, 2)
    if cond.signs != (r"\le", r"\le"):
        raise LedgerError(f"row {cond.row}: expected 'a \\le s \\le t', read {cond}")
    pairs = 0
    for t in LENGTHS:
        upper = int(t_sym.subs(sp.Symbol("t"), t))
        for s in range(int(low), upper + 1):
            truth = _dh(t, S.X[s])
            value = _model(rhs, {"t": t, "s": s})
            _expect(_equal(value, truth), "the derivative of symbolic.unrolled_h", rel, t=t, s=s)
            pairs += 1
    return f"{pairs} pairs (t, s), t = 1..{LENGTHS[-1]}, equal the exact derivative"


@_check("eq-rec-wh", "eq-rec-wx")
def check_recursion(latex):
    """The recursion, run from its displayed start, gives the derivative of h_N."""
    (rel, (lhs, rhs)), (start, (lhs0, value)) = _sides(latex, 2)
    name = _name(lhs)
    if _name(lhs0) != name:
        raise LedgerError(f"row {start.row}: {start} does not start the recursion {rel}")
    w = _wrt(name)
    # a derivative the recursion does not define (dh/dw_H in the w_X recursion) is the true one
    others = {d: _derivative(_wrt(d)) for d in ("D_{hwH}", "D_{hwX}") if d != name}
    if sp.Symbol("N") in rhs.free_symbols:
        raise LedgerError(f"row {rel.row}: the recursion {rel} reads N")
    start = {int(lhs0.args[0]): _model(value)}
    # one run for every N, defined up to 8: a recursion that reads ahead fails at N = 8
    seq = _Sequence(name, rhs, _index_of(lhs), start, 1, LENGTHS[-1], others)
    for N in LENGTHS:
        _expect(_equal(seq(N), _dh(N, w), N), f"d h_N / d {w}", rel, N=N)
    return f"run from its start, equals d h_N/d {w} for N = 1..{LENGTHS[-1]}"


@_check("eq-unroll-steps", "eq-ex-wx-unroll")
def check_unrolling(latex):
    """Every line of the unrolling equals the derivative of h_N (so every link holds)."""
    ((rel, sides),) = _sides(latex, 1)
    w = _wrt(_name(sides[0]))
    derivative = {_name(sides[0]): _derivative(w)}
    for N in range(3, LENGTHS[-1] + 1):  # the last line reads dh_{N-3}: N >= 3
        truth = _dh(N, w)
        for k, side in enumerate(sides):
            value = _model(side, {"N": N}, derivative)
            _expect(_equal(value, truth, N), f"side {k + 1} = d h_N / d {w}", rel, N=N)
    return f"all {len(sides)} sides equal d h_N/d {w} for N = 3..{LENGTHS[-1]}"


@_check("eq-closed-wh", "eq-closed-wx")
def check_closed_form(latex):
    """gradout times the sum equals dL/dw for L = gradout * h_N."""
    ((rel, (lhs, rhs)),) = _sides(latex, 1)
    w, gradout = _wrt(_name(lhs)), sp.Symbol("gradout")
    for N in LENGTHS:
        truth = gradout * _dh(N, w)
        _expect(_equal(_model(rhs, {"N": N}), truth, N), f"gradout * d h_N / d {w}", rel, N=N)
    return f"equals gradout * d h_N/d {w} for N = 1..{LENGTHS[-1]}"


@_check("eq-induction-step")
def check_induction_step(latex):
    """The four sides are equal for n = 1..8, with Sigma(m) = sum_i w_H^(i-1) h_(m-i)."""
    ((rel, sides),) = _sides(latex, 1)
    sigma = {"F_{Sigma}": lambda m: symbolic.closed_form_dwh(int(m))}
    for n in LENGTHS:
        values = [_model(side, {"n": n}, sigma) for side in sides]
        for k in range(1, len(values)):
            _expect(
                _equal(values[k - 1], values[k]), f"link {k} (side {k} = side {k + 1})", rel, n=n
            )
    return f"all {len(sides) - 1} links hold for n = 1..{LENGTHS[-1]}"


def _psi_prime(N):
    """Psi'(w) for Psi(w) = sum_{i=0}^{N-1} x_{N-i} w^i, the chapter's polynomial."""
    w = sp.Symbol("w")
    psi = sp.Add(*(S.X[N - i] * w**i for i in range(N)))
    return lambda at: sp.diff(psi, w).subs(w, at)


@_check("eq-closed-poly")
def check_polynomial_form(latex):
    """Each side is d h_N / d w_H, with Psi the chapter's polynomial in the inputs."""
    ((rel, sides),) = _sides(latex, 1)
    for N in LENGTHS:
        truth = _dh(N, S.w_H)
        for k, side in enumerate(sides):
            value = _model(side, {"N": N}, {"F_{Psi'}": _psi_prime(N)})
            _expect(_equal(value, truth, N), f"side {k + 1} = d h_N / d w_H", rel, N=N)
    return f"all {len(sides)} sides equal d h_N/d w_H for N = 1..{LENGTHS[-1]}"


@functools.cache
def _every_step_gradient(N, w):
    """dL/dw for L = sum_t L_t with symbolic g_t = dL_t/dh_t, as ``verify_every_step_loss``."""
    return sp.Add(*(S.g[t] * _dh(t, w) for t in range(1, N + 1)))


@_check("eq-double-sum")
def check_double_sum(latex):
    """Both double sums equal the gradient of a loss at every step."""
    found = _sides(latex, 2)
    for N in LENGTHS:
        for rel, (lhs, rhs) in found:
            truth = _every_step_gradient(N, _wrt(_name(lhs)))
            _expect(_equal(_model(rhs, {"N": N}), truth, N), "dL/dw, L = sum_t L_t", rel, N=N)
    return f"both equal dL/dw of a loss at every step, N = 1..{LENGTHS[-1]}"


@_check("eq-adjoint")
def check_adjoint(latex):
    """delta_k: the sum, the backward recursion from delta_{N+1}, and the gradients."""
    (chain, (delta, total, step)), (_start, (lhs0, value)), *grads = _sides(latex, 4)
    for N in LENGTHS:
        end = int(lhs0.args[0].subs(sp.Symbol("N"), N))
        seq = _Sequence(_name(delta), step.subs(sp.Symbol("N"), N), "k", {end: _model(value)}, 1, N)
        for k in range(1, N + 1):
            summed = _model(total, {"N": N, "k": k})
            _expect(_equal(seq(k), summed), "recursion = sum", chain, N=N, k=k)
        for rel, (lhs, rhs) in grads:
            got = _model(rhs, {"N": N}, {_name(delta): seq})
            truth = _every_step_gradient(N, _wrt(_name(lhs)))
            _expect(_equal(got, truth, N), "dL/dw, L = sum_t L_t", rel, N=N)
    return f"recursion = sum for every k, both gradients exact, N = 1..{LENGTHS[-1]}"


@_check("eq-decay-linear")
def check_decay_linear(latex):
    """dh_T/dh_(T-k) of the unrolled linear cell, T = 8, k = 0..8."""
    ((rel, (lhs, rhs)),) = _sides(latex, 1)
    T = LENGTHS[-1]
    for k in range(T + 1):
        # h_T written in h_{T-k}: k steps of the cell from the state h_{T-k}, called h[0]
        truth = _dh(k, S.h[0])
        start = _model(lhs.args[1], {"T": T, "k": k})
        _expect(start == T - k, f"the state differentiated by is h_{T - k}", rel, k=k)
        _expect(_equal(_model(rhs, {"T": T, "k": k}), truth), "the exact derivative", rel, k=k)
    return f"equals the exact derivative for T = {T}, k = 0..{T}"


@functools.cache
def _sine_ar2_identity():
    """``symbolic.sine_ar2_identity()``, computed once (its simplify takes 0.4 s)."""
    return symbolic.sine_ar2_identity()


@_check("eq-sine-ar2")
def check_sine_ar2(latex):
    """Both sides are ``symbolic.sine_ar2_identity``'s, and their difference is 0."""
    ((rel, (lhs, rhs)),) = _sides(latex, 1)
    identity = _sine_ar2_identity()
    names = {sym.name: sym for sym in identity.lhs.free_symbols | identity.rhs.free_symbols}
    lhs, rhs = (e.xreplace({s: names.get(s.name, s) for s in e.free_symbols}) for e in (lhs, rhs))
    # the arguments written out as sums, then the angle-sum formulas: a polynomial in
    # sin and cos of omega t and omega that expands to 0 (simplify took 0.5 s)
    difference = sp.expand(sp.expand_trig(sp.expand(lhs - rhs)))
    _expect(difference == 0, "sympy's trigonometric identities", rel)
    _expect(sp.expand(lhs - identity.lhs) == 0, "symbolic.sine_ar2_identity's left side", rel)
    _expect(sp.expand(rhs - identity.rhs) == 0, "symbolic.sine_ar2_identity's right side", rel)
    return "an identity in t and omega (sympy), and the one symbolic.sine_ar2_identity proves"
