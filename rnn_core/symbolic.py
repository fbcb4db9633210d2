r"""Exact (sympy) proofs of the BPTT closed forms for the scalar linear RNN.

The cell is :math:`h_t = X_t w_X + h_{t-1} w_H` with a given initial state
:math:`h_0` and inputs :math:`X_1, \dots, X_N`. When the loss depends on the
last state only, backpropagation through time gives

.. math::

    \frac{\partial h_N}{\partial w_H} = \sum_{i=1}^{N} w_H^{i-1} h_{N-i},
    \qquad
    \frac{\partial h_N}{\partial w_X} = \sum_{i=0}^{N-1} w_H^{i} X_{N-i},

and :math:`\partial L/\partial w = g\,\partial h_N/\partial w` with
:math:`g = \partial L/\partial h_N`. This module proves these identities in
two ways.

* For each concrete ``N``: unroll :math:`h_N` into a polynomial in the inputs,
  :math:`h_0`, :math:`w_X` and :math:`w_H`, differentiate it, and check that
  the difference from the closed form (with every :math:`h_k` unrolled too)
  expands to exactly ``0`` (:func:`verify_closed_forms`). The same machinery
  rejects the slips the book discusses (:func:`check_closed_form` with
  :func:`slip_wx_recursion`, :func:`offbyone_wh`, :func:`offbyone_wx`) and
  checks the double sum for a loss at every step
  (:func:`verify_every_step_loss`).
* For a symbolic length ``n``: induction on ``n`` with sympy ``Sum`` objects,
  where sympy evaluates the base case and shows that the recursion carries
  the closed form from ``n`` to ``n + 1`` (:func:`induction_proof`).

All symbols come from :func:`symbols`; ``X``, ``h`` and ``g`` are
``IndexedBase`` objects so that ``X[t]`` is :math:`X_t` both for an integer
``t`` and for a symbolic index inside a ``Sum``.
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Callable
from functools import partial
from typing import Literal, NamedTuple

import numpy as np
import sympy as sp

from rnn_core._checks import as_callable, as_int

__all__ = [
    "Identity",
    "InductionProof",
    "LatexRow",
    "ProofLatex",
    "RNNSymbols",
    "check_closed_form",
    "closed_form_dwh",
    "closed_form_dwx",
    "closed_form_sum",
    "induction_proof",
    "latex",
    "latex_table",
    "offbyone_wh",
    "offbyone_wx",
    "polynomial_form_dwh",
    "recursion_step",
    "recursive_derivatives",
    "sine_ar2_identity",
    "slip_recursion_step",
    "slip_wx_recursion",
    "symbols",
    "unroll_states",
    "unrolled_h",
    "unrolled_state_closed_form",
    "verify_closed_forms",
    "verify_every_step_loss",
    "verify_unrolled_state",
]


def latex(expr: sp.Basic, per_line: int | None = None) -> str:
    """LaTeX of a sympy expression, tidied the way the book writes it.

    sympy prints indexed symbols as ``{h}_{0}`` and shifted indices in its own
    term order, ``{h}_{- i + n}``; the book writes ``h_{0}`` and ``h_{n - i}``.
    With ``per_line``, a long sum is broken after every ``per_line`` terms with
    a line break (\\\\ &\\quad), for display inside an ``aligned`` environment.

    Examples
    --------
    >>> s = symbols()
    >>> latex(s.h[s.n - s.i] * s.w_H)
    'w_{H} h_{n - i}'
    >>> print(latex(s.X[1] + s.X[2] + s.X[3], per_line=2))
    X_{1} + X_{2} \\\\ &\\quad + X_{3}
    """
    expr, per_line = _as_expr("expr", expr), _check_per_line(per_line)
    if per_line is not None and isinstance(expr, sp.Add):
        terms = [latex(t) for t in expr.as_ordered_terms()]
        joined = ""
        for k, term in enumerate(terms):
            sign = "" if k == 0 else (" - " if term.startswith("-") else " + ")
            brk = r" \\ &\quad" if k and k % per_line == 0 else ""
            joined += brk + sign + (term[1:] if k and term.startswith("-") else term)
        return joined
    text = re.sub(r"\{([A-Za-z])\}_", r"\1_", sp.latex(expr))
    text = re.sub(r"- i \+ n \+ 1", "n + 1 - i", text)
    return re.sub(r"- i \+ n", "n - i", text)


class RNNSymbols(NamedTuple):
    """The sympy symbols shared by every function of this module."""

    X: sp.IndexedBase  #: inputs, ``X[t]`` for t = 1..N
    h: sp.IndexedBase  #: states, ``h[0]`` is the given initial state
    g: sp.IndexedBase  #: per-step loss gradients ``g[t] = dL_t/dh_t``
    w_X: sp.Symbol  #: input weight
    w_H: sp.Symbol  #: recurrent weight
    i: sp.Symbol  #: summation index (integer)
    n: sp.Symbol  #: symbolic sequence length (positive integer)


# Built once and never modified; sympy objects are immutable.
_SYMBOLS = RNNSymbols(
    X=sp.IndexedBase("X"),
    h=sp.IndexedBase("h"),
    g=sp.IndexedBase("g"),
    w_X=sp.Symbol("w_X"),
    w_H=sp.Symbol("w_H"),
    i=sp.Symbol("i", integer=True),
    n=sp.Symbol("n", integer=True, positive=True),
)

_WRT = ("w_H", "w_X")


def symbols() -> RNNSymbols:
    """Return the symbols used by every expression of this module.

    Returns
    -------
    RNNSymbols
        Named tuple ``(X, h, g, w_X, w_H, i, n)``; ``X``, ``h`` and ``g`` are
        ``IndexedBase`` (so ``s.X[3]`` is :math:`X_3`), ``i`` is an integer
        summation index and ``n`` a positive integer length.

    Examples
    --------
    >>> s = symbols()
    >>> s.X[1] * s.w_X + s.h[0] * s.w_H
    w_H*h[0] + w_X*X[1]
    """
    return _SYMBOLS


def _as_expr(name, value):
    """``value`` as a sympy expression: an expression already, or a (non-bool) number."""
    if isinstance(value, sp.Basic):
        return value
    if isinstance(value, numbers.Number) and not isinstance(value, (bool, np.bool_)):
        return sp.sympify(value)
    raise ValueError(f"{name}: expected a sympy expression or a number, got {type(value).__name__}")


def _check_per_line(per_line):
    return None if per_line is None else as_int("per_line", per_line, 1)


def _check_wrt(wrt):
    """Return the weight symbol named by ``wrt`` or raise ``ValueError``."""
    if wrt not in _WRT:
        raise ValueError(f"wrt: expected 'w_H' or 'w_X', got {wrt!r}")
    return getattr(_SYMBOLS, wrt)


def _cell(h_prev, x):
    """One step of the cell, ``x w_X + h_prev w_H``, on sympy expressions."""
    return x * _SYMBOLS.w_X + h_prev * _SYMBOLS.w_H


def _unrolled_states(N):
    """Return ``[h_0, h_1, ..., h_N]``, each expanded in the inputs and ``h[0]``."""
    states = [_SYMBOLS.h[0]]
    for t in range(1, N + 1):
        # Expanding at every step keeps each state a flat polynomial.
        states.append(sp.expand(_cell(states[-1], _SYMBOLS.X[t])))
    return states


def unrolled_h(N: int) -> sp.Expr:
    """Return :math:`h_N` unrolled into ``X[1..N]``, ``h[0]``, ``w_X`` and ``w_H``.

    Parameters
    ----------
    N : int
        Number of steps, ``N >= 0`` (``N = 0`` gives ``h[0]``).

    Returns
    -------
    sympy.Expr
        The expanded polynomial :math:`w_H^N h_0 + \\sum_t w_H^{N-t} w_X X_t`.

    Raises
    ------
    ValueError
        If ``N`` is not an integer ``>= 0``.

    Examples
    --------
    >>> unrolled_h(2)
    w_H**2*h[0] + w_H*w_X*X[1] + w_X*X[2]
    """
    N = as_int("N", N, 0)
    return _unrolled_states(N)[-1]


def unroll_states(expr: sp.Expr, N: int) -> sp.Expr:
    """Replace every state ``h[k]``, ``1 <= k <= N``, in ``expr`` by its unrolled form.

    Parameters
    ----------
    expr : sympy.Expr
        Expression in the module's symbols; ``h[0]`` is left alone because it
        is the given initial state, not a computed one.
    N : int
        Largest state index to replace, ``N >= 0``.

    Returns
    -------
    sympy.Expr
        ``expr`` with the states substituted (not expanded).

    Raises
    ------
    ValueError
        If ``N`` is not an integer ``>= 0``.

    Examples
    --------
    >>> s = symbols()
    >>> unroll_states(s.h[1] + s.h[0], 1)
    w_H*h[0] + w_X*X[1] + h[0]
    """
    expr, N = _as_expr("expr", expr), as_int("N", N, 0)
    states = _unrolled_states(N)
    return expr.xreplace({_SYMBOLS.h[k]: states[k] for k in range(1, N + 1)})


def closed_form_dwh(N: int) -> sp.Expr:
    """Return the closed form :math:`\\sum_{i=1}^{N} w_H^{i-1} h_{N-i}` of ``dh_N/dw_H``.

    Parameters
    ----------
    N : int
        Number of steps, ``N >= 1``.

    Returns
    -------
    sympy.Expr
        The finite sum written with the states ``h[0..N-1]``.

    Raises
    ------
    ValueError
        If ``N`` is not an integer ``>= 1``.

    Examples
    --------
    >>> closed_form_dwh(3)
    w_H**2*h[0] + w_H*h[1] + h[2]
    """
    N = as_int("N", N, 1)
    s = _SYMBOLS
    return sp.Add(*(s.w_H ** (i - 1) * s.h[N - i] for i in range(1, N + 1)))


def closed_form_dwx(N: int) -> sp.Expr:
    """Return the closed form :math:`\\sum_{i=0}^{N-1} w_H^{i} X_{N-i}` of ``dh_N/dw_X``.

    Parameters
    ----------
    N : int
        Number of steps, ``N >= 1``.

    Returns
    -------
    sympy.Expr
        The finite sum written with the inputs ``X[1..N]``.

    Raises
    ------
    ValueError
        If ``N`` is not an integer ``>= 1``.

    Examples
    --------
    >>> closed_form_dwx(3)
    w_H**2*X[1] + w_H*X[2] + X[3]
    """
    N = as_int("N", N, 1)
    s = _SYMBOLS
    return sp.Add(*(s.w_H**i * s.X[N - i] for i in range(N)))


def polynomial_form_dwh(N: int) -> sp.Expr:
    """Return ``dh_N/dw_H`` written in the inputs, as ``linear.linear_rnn_grads`` computes it.

    With ``P(w) = sum_{i=0}^{N-1} X_{N-i} w^i`` the unrolled state is
    ``h_N = w_H^N h_0 + w_X P(w_H)``, so its derivative is
    :math:`w_X \\sum_{i=1}^{N-1} i\\, w_H^{i-1} X_{N-i} + N w_H^{N-1} h_0`. The sum is
    written out term by term here, not obtained with ``sp.diff``, so that
    :func:`check_closed_form` has something independent to check.

    Parameters
    ----------
    N : int
        Number of steps, ``N >= 1``.

    Returns
    -------
    sympy.Expr

    Raises
    ------
    ValueError
        If ``N`` is not an integer ``>= 1``.

    Examples
    --------
    >>> polynomial_form_dwh(3)
    3*w_H**2*h[0] + w_X*(2*w_H*X[1] + X[2])
    """
    N = as_int("N", N, 1)
    s = _SYMBOLS
    slope = sp.Add(*(i * s.w_H ** (i - 1) * s.X[N - i] for i in range(1, N)))
    return s.w_X * slope + N * s.w_H ** (N - 1) * s.h[0]


def offbyone_wh(N: int) -> sp.Expr:
    """Return the off-by-one slip :math:`\\sum_{i=0}^{N-1} w_H^{i} h_{N-i}` for ``dh_N/dw_H``.

    Both limits are shifted by one, so the sum starts at ``h[N]`` instead of
    ``h[N-1]``; :func:`check_closed_form` rejects it for every ``N``.

    Parameters
    ----------
    N : int
        Number of steps, ``N >= 1``.

    Returns
    -------
    sympy.Expr
        The (wrong) finite sum in the states ``h[1..N]``.

    Raises
    ------
    ValueError
        If ``N`` is not an integer ``>= 1``.

    Examples
    --------
    >>> offbyone_wh(2)
    w_H*h[1] + h[2]
    >>> check_closed_form(2, "w_H", offbyone_wh)
    False
    """
    N = as_int("N", N, 1)
    s = _SYMBOLS
    return sp.Add(*(s.w_H**i * s.h[N - i] for i in range(N)))


def offbyone_wx(N: int) -> sp.Expr:
    """Return the off-by-one slip :math:`\\sum_{i=1}^{N} w_H^{i} X_{N-i}` for ``dh_N/dw_X``.

    The sum reads the nonexistent input ``X[0]`` and misses ``X[N]``;
    :func:`check_closed_form` rejects it for every ``N``.

    Parameters
    ----------
    N : int
        Number of steps, ``N >= 1``.

    Returns
    -------
    sympy.Expr
        The (wrong) finite sum in ``X[0..N-1]``.

    Raises
    ------
    ValueError
        If ``N`` is not an integer ``>= 1``.

    Examples
    --------
    >>> offbyone_wx(2)
    w_H**2*X[0] + w_H*X[1]
    >>> check_closed_form(2, "w_X", offbyone_wx)
    False
    """
    N = as_int("N", N, 1)
    s = _SYMBOLS
    return sp.Add(*(s.w_H**i * s.X[N - i] for i in range(1, N + 1)))


# One step of the derivative recursion: t and (dh/dw_H, dh/dw_X) at t - 1
# to the pair at t.
_Step = Callable[[int, sp.Expr, sp.Expr], tuple[sp.Expr, sp.Expr]]


def recursion_step(
    t: int,
    dwh_prev: sp.Expr,
    dwx_prev: sp.Expr,
) -> tuple[sp.Expr, sp.Expr]:
    """Apply the correct BPTT recursion once, from step ``t - 1`` to step ``t``.

    ``dh_t/dw_H = h_{t-1} + w_H dh_{t-1}/dw_H`` and
    ``dh_t/dw_X = X_t + w_H dh_{t-1}/dw_X``.

    Parameters
    ----------
    t : int
        The step being computed, ``t >= 1``.
    dwh_prev, dwx_prev : sympy.Expr
        ``dh_{t-1}/dw_H`` and ``dh_{t-1}/dw_X``.

    Returns
    -------
    tuple of sympy.Expr
        ``(dh_t/dw_H, dh_t/dw_X)``.

    Examples
    --------
    >>> recursion_step(1, 0, 0)
    (h[0], X[1])
    """
    t, dwh_prev, dwx_prev = _check_step(t, dwh_prev, dwx_prev)
    s = _SYMBOLS
    return s.h[t - 1] + s.w_H * dwh_prev, s.X[t] + s.w_H * dwx_prev


def _check_step(t, dwh_prev, dwx_prev):
    """The arguments of a recursion step: t >= 1 and two expressions."""
    return as_int("t", t, 1), _as_expr("dwh_prev", dwh_prev), _as_expr("dwx_prev", dwx_prev)


def slip_recursion_step(
    t: int,
    dwh_prev: sp.Expr,
    dwx_prev: sp.Expr,
) -> tuple[sp.Expr, sp.Expr]:
    """Apply the lecture notes' wrong recursion once, from step ``t - 1`` to ``t``.

    The ``w_X`` update reads the ``w_H`` derivative:
    ``dh_t/dw_X = X_t + w_H dh_{t-1}/dw_H`` (the ``w_H`` update is correct).

    Parameters
    ----------
    t : int
        The step being computed, ``t >= 1``.
    dwh_prev, dwx_prev : sympy.Expr
        ``dh_{t-1}/dw_H`` and ``dh_{t-1}/dw_X`` (the latter is ignored: that
        is the slip).

    Returns
    -------
    tuple of sympy.Expr
        ``(dh_t/dw_H, wrong dh_t/dw_X)``.

    Examples
    --------
    >>> slip_recursion_step(2, recursion_step(1, 0, 0)[0], 0)
    (w_H*h[0] + h[1], w_H*h[0] + X[2])
    """
    t, dwh_prev, dwx_prev = _check_step(t, dwh_prev, dwx_prev)
    s = _SYMBOLS
    return s.h[t - 1] + s.w_H * dwh_prev, s.X[t] + s.w_H * dwh_prev


def recursive_derivatives(
    N: int,
    step: _Step = recursion_step,
) -> tuple[sp.Expr, sp.Expr]:
    """Run a derivative recursion from ``dh_0/dw = 0`` up to step ``N``.

    Parameters
    ----------
    N : int
        Number of steps, ``N >= 1``.
    step : callable, optional
        ``step(t, dwh_prev, dwx_prev) -> (dwh_t, dwx_t)``; defaults to the
        correct :func:`recursion_step`.

    Returns
    -------
    tuple of sympy.Expr
        ``(dh_N/dw_H, dh_N/dw_X)`` as the recursion produces them, expanded,
        in the states ``h[0..N-1]`` and inputs ``X[1..N]``.

    Raises
    ------
    ValueError
        If ``N`` is not an integer ``>= 1``.

    Examples
    --------
    >>> recursive_derivatives(2)
    (w_H*h[0] + h[1], w_H*X[1] + X[2])
    """
    N = as_int("N", N, 1)
    as_callable("step", step, "a callable step(t, dwh_prev, dwx_prev)")
    # dh_0/dw = 0 for both weights: h_0 is given, not computed from them.
    dwh, dwx = sp.S.Zero, sp.S.Zero
    for t in range(1, N + 1):
        dwh, dwx = step(t, dwh, dwx)
    return sp.expand(dwh), sp.expand(dwx)


def slip_wx_recursion(N: int) -> sp.Expr:
    """Return what the notes' wrong ``w_X`` recursion gives for ``dh_N/dw_X``.

    For ``N = 1`` it coincides with the truth (``dh_0/dw_H = 0`` hides the
    slip); from ``N = 2`` on it differs, e.g. ``X[2] + w_H h[0]`` instead of
    ``X[2] + w_H X[1]``.

    Parameters
    ----------
    N : int
        Number of steps, ``N >= 1``.

    Returns
    -------
    sympy.Expr
        The wrong derivative, in ``X[N]`` and the states ``h[0..N-2]``.

    Raises
    ------
    ValueError
        If ``N`` is not an integer ``>= 1``.

    Examples
    --------
    >>> slip_wx_recursion(2)
    w_H*h[0] + X[2]
    >>> check_closed_form(2, "w_X", slip_wx_recursion)
    False
    """
    return recursive_derivatives(N, slip_recursion_step)[1]


def check_closed_form(
    N: int,
    wrt: Literal["w_H", "w_X"],
    candidate: Callable[[int], sp.Expr],
) -> bool:
    """Check exactly whether ``candidate(N)`` equals ``dh_N/dw`` of the unrolled cell.

    Parameters
    ----------
    N : int
        Number of steps, ``N >= 1``.
    wrt : {"w_H", "w_X"}
        The weight to differentiate with respect to.
    candidate : callable
        ``candidate(N) -> sympy.Expr`` in the symbols of :func:`symbols`; any
        state ``h[k]`` with ``1 <= k <= N`` is replaced by its unrolled form.

    Returns
    -------
    bool
        True iff the expanded difference is exactly ``0``.

    Raises
    ------
    ValueError
        If ``N`` is not an integer ``>= 1`` or ``wrt`` is not a weight name.

    Examples
    --------
    >>> check_closed_form(4, "w_H", closed_form_dwh)
    True
    >>> check_closed_form(4, "w_X", closed_form_dwh)
    False
    """
    N = as_int("N", N, 1)
    w = _check_wrt(wrt)
    as_callable("candidate", candidate, "a callable candidate(N)")
    states = _unrolled_states(N)
    truth = sp.diff(states[N], w)
    claim = _as_expr("candidate", candidate(N)).xreplace(
        {_SYMBOLS.h[k]: states[k] for k in range(1, N + 1)}
    )
    # Both sides are polynomials, so expanding the difference decides equality
    # exactly and far faster than simplify().
    return bool(sp.expand(truth - claim) == 0)


def verify_closed_forms(N: int) -> bool:
    """Prove both closed forms for ``dh_N/dw_H`` and ``dh_N/dw_X`` at a given ``N``.

    Parameters
    ----------
    N : int
        Number of steps, ``N >= 1``.

    Returns
    -------
    bool
        True iff the derivatives of the unrolled :math:`h_N` equal
        :func:`closed_form_dwh` and :func:`closed_form_dwx` exactly.

    Raises
    ------
    ValueError
        If ``N`` is not an integer ``>= 1``.

    Examples
    --------
    >>> verify_closed_forms(3)
    True
    """
    N = as_int("N", N, 1)
    return check_closed_form(N, "w_H", closed_form_dwh) and check_closed_form(
        N, "w_X", closed_form_dwx
    )


def verify_every_step_loss(N: int) -> bool:
    """Prove the double-sum gradients for a loss :math:`L = \\sum_t L_t` at every step.

    With symbolic :math:`g_t = \\partial L_t / \\partial h_t`, the gradient of
    :math:`\\sum_t g_t h_t` must equal
    :math:`\\sum_{t=1}^{N} g_t \\sum_{i=1}^{t} w_H^{i-1} h_{t-i}` for ``w_H`` and
    :math:`\\sum_{t=1}^{N} g_t \\sum_{i=0}^{t-1} w_H^{i} X_{t-i}` for ``w_X``.

    Parameters
    ----------
    N : int
        Number of steps, ``N >= 1``.

    Returns
    -------
    bool
        True iff both identities hold exactly.

    Raises
    ------
    ValueError
        If ``N`` is not an integer ``>= 1``.

    Examples
    --------
    >>> verify_every_step_loss(3)
    True
    """
    N = as_int("N", N, 1)
    s = _SYMBOLS
    states = _unrolled_states(N)
    # Linearising each L_t around h_t: only g_t = dL_t/dh_t matters for the gradient.
    loss = sp.Add(*(s.g[t] * states[t] for t in range(1, N + 1)))
    unroll = {s.h[k]: states[k] for k in range(1, N + 1)}
    for w, inner in ((s.w_H, closed_form_dwh), (s.w_X, closed_form_dwx)):
        double_sum = sp.Add(*(s.g[t] * inner(t) for t in range(1, N + 1)))
        if sp.expand(sp.diff(loss, w) - double_sum.xreplace(unroll)) != 0:
            return False
    return True


def closed_form_sum(wrt: Literal["w_H", "w_X"], m: sp.Expr | int) -> sp.Sum:
    """Return the closed form as an unevaluated sympy ``Sum`` of symbolic length ``m``.

    Parameters
    ----------
    wrt : {"w_H", "w_X"}
        The weight.
    m : sympy.Expr or int
        Sequence length, e.g. ``symbols().n`` or ``symbols().n + 1``.

    Returns
    -------
    sympy.Sum
        :math:`\\sum_{i=1}^{m} w_H^{i-1} h_{m-i}` or
        :math:`\\sum_{i=0}^{m-1} w_H^{i} X_{m-i}`.

    Raises
    ------
    ValueError
        If ``wrt`` is not a weight name.

    Examples
    --------
    >>> closed_form_sum("w_X", symbols().n)
    Sum(w_H**i*X[-i + n], (i, 0, n - 1))
    """
    _check_wrt(wrt)
    m, s = _as_expr("m", m), _SYMBOLS
    if wrt == "w_H":
        return sp.Sum(s.w_H ** (s.i - 1) * s.h[m - s.i], (s.i, 1, m))
    return sp.Sum(s.w_H**s.i * s.X[m - s.i], (s.i, 0, m - 1))


class ProofLatex(NamedTuple):
    """LaTeX of each side of an :class:`InductionProof`."""

    base_lhs: str
    base_rhs: str
    step_lhs: str
    step_rhs: str
    step_rewritten: str


class InductionProof(NamedTuple):
    """An induction on ``n`` for ``dh_n/dw``, each step checked by sympy.

    ``base_*``: ``n = 1``, the derivative of one cell step against the closed
    form evaluated at ``n = 1``. ``step_lhs``: what the recursion gives for
    ``dh_{n+1}/dw`` assuming ``dh_n/dw = S(n)``; ``step_rhs``: ``S(n+1)``;
    ``step_rewritten``: ``S(n+1)`` with its first term split off and the rest
    re-indexed to match the limits of ``S(n)``.
    """

    wrt: str
    base_lhs: sp.Expr
    base_rhs: sp.Expr
    base_holds: bool
    step_lhs: sp.Expr
    step_rhs: sp.Expr
    step_rewritten: sp.Expr
    step_holds: bool
    latex: ProofLatex

    @property
    def holds(self) -> bool:
        """True iff both the base case and the inductive step hold."""
        return self.base_holds and self.step_holds


def _peel_and_shift(total, reference):
    """Split the first term off ``total`` and re-index the rest like ``reference``.

    Returns ``None`` when ``total`` is not a one-index ``Sum`` with provably at
    least one term (the split would then be invalid).
    """
    if not isinstance(total, sp.Sum) or len(total.limits) != 1:
        return None
    f, (var, low, high) = total.function, total.limits[0]
    if not (high - low).is_nonnegative:
        return None
    rest = sp.Sum(f, (var, low + 1, high))
    if isinstance(reference, sp.Sum) and len(reference.limits) == 1:
        # var -> var + shift brings the rest's lower limit onto the reference's.
        shift = reference.limits[0][1] - (low + 1)
        rest = rest.change_index(var, var + shift)
    return f.subs(var, low) + rest


def induction_proof(
    wrt: Literal["w_H", "w_X"],
    closed_form: Callable[[sp.Expr], sp.Expr] | None = None,
) -> InductionProof:
    """Prove ``dh_n/dw = S(n)`` for all ``n >= 1`` by induction, checked by sympy.

    Parameters
    ----------
    wrt : {"w_H", "w_X"}
        The weight.
    closed_form : callable, optional
        ``closed_form(m) -> sympy.Sum``, the claimed ``S(m)``; defaults to
        :func:`closed_form_sum`. Pass a wrong one to see the proof fail.

    Returns
    -------
    InductionProof
        The sides of the base case and the inductive step, their LaTeX, and
        the computed flags ``base_holds`` and ``step_holds``.

    Raises
    ------
    ValueError
        If ``wrt`` is not a weight name.

    Examples
    --------
    >>> proof = induction_proof("w_H")
    >>> proof.base_holds, proof.step_holds
    (True, True)
    >>> proof.step_rewritten
    h[n] + Sum(w_H**i*h[-i + n], (i, 1, n))
    """
    w = _check_wrt(wrt)
    what = "a callable closed_form(m) or None"
    S = (
        partial(closed_form_sum, wrt)
        if closed_form is None
        else as_callable("closed_form", closed_form, what)
    )
    s = _SYMBOLS
    base_lhs = sp.diff(_cell(s.h[0], s.X[1]), w)
    base_rhs = sp.sympify(S(1)).doit()
    base_holds = bool(sp.simplify(base_lhs - base_rhs) == 0)
    # Chain rule on h_{n+1} = cell(h_n, X_{n+1}) with the hypothesis dh_n/dw = S(n).
    cell = _cell(s.h[s.n], s.X[s.n + 1])
    step_lhs = sp.diff(cell, w) + sp.diff(cell, s.h[s.n]) * S(s.n)
    step_rhs = S(s.n + 1)
    rewritten = _peel_and_shift(step_rhs, S(s.n))
    # simplify() merges w_H * S(n) into the re-indexed Sum, so a correct S cancels to 0.
    step_holds = rewritten is not None and bool(sp.simplify(step_lhs - rewritten) == 0)
    rewritten = step_rhs if rewritten is None else rewritten
    sides = (base_lhs, base_rhs, step_lhs, step_rhs, rewritten)
    return InductionProof(
        wrt, *sides[:2], base_holds, *sides[2:], step_holds, ProofLatex(*map(latex, sides))
    )


class LatexRow(NamedTuple):
    """One row of :func:`latex_table`: LaTeX of the two sides and their difference."""

    N: int
    wrt: str
    derivative: str  #: derivative of the unrolled h_N
    closed_form: str  #: closed-form sum, written with the states h_k
    difference: str  #: expanded difference after unrolling the states ("0")


def latex_table(
    N_max: int = 8,
    per_line: int | None = None,
) -> list[LatexRow]:
    """Build, for ``N = 1..N_max`` and both weights, the LaTeX the book displays.

    Parameters
    ----------
    N_max : int, optional
        Largest ``N``, ``>= 1``.
    per_line : int or None
        Break long sums after this many terms (see :func:`latex`).

    Returns
    -------
    list of LatexRow
        ``2 * N_max`` rows, ordered by ``N`` then ``wrt`` (``w_H`` first).

    Raises
    ------
    ValueError
        If ``N_max`` is not an integer ``>= 1``.

    Examples
    --------
    >>> row = latex_table(2)[3]
    >>> row.N, row.wrt, row.closed_form, row.difference
    (2, 'w_X', 'w_{H} X_{1} + X_{2}', '0')
    """
    N_max, per_line = as_int("N_max", N_max, 1), _check_per_line(per_line)
    rows = []
    for N in range(1, N_max + 1):
        states = _unrolled_states(N)
        unroll = {_SYMBOLS.h[k]: states[k] for k in range(1, N + 1)}
        for wrt, closed in (("w_H", closed_form_dwh), ("w_X", closed_form_dwx)):
            derivative, claim = sp.diff(states[N], _check_wrt(wrt)), closed(N)
            difference = sp.expand(derivative - claim.xreplace(unroll))
            rows.append(
                LatexRow(N, wrt, *(latex(e, per_line) for e in (derivative, claim, difference)))
            )
    return rows


class Identity(NamedTuple):
    """A claimed identity ``lhs == rhs``, with sympy's verdict."""

    lhs: sp.Expr
    rhs: sp.Expr
    difference: sp.Expr
    holds: bool


def sine_ar2_identity(
    a1: sp.Expr | float | None = None,
    a2: sp.Expr | float = -1,
) -> Identity:
    """Check that ``sin(omega t) = a1 sin(omega (t-1)) + a2 sin(omega (t-2))`` for all t.

    With the defaults ``a1 = 2 cos(omega)`` and ``a2 = -1`` this is the exact
    AR(2) recursion of a noise-free sine; the angle-addition formulas
    (``expand_trig``) reduce the difference of the two sides to 0.

    Parameters
    ----------
    a1, a2 : sympy expression or number, optional
        Candidate coefficients (``a1=None``: ``2 cos(omega)``).

    Returns
    -------
    Identity

    Examples
    --------
    >>> sine_ar2_identity().holds
    True
    >>> sine_ar2_identity(a1=2).holds  # the coefficients must depend on omega
    False
    """
    t, omega = sp.symbols("t omega", real=True)
    a1 = 2 * sp.cos(omega) if a1 is None else _as_expr("a1", a1)
    lhs = sp.sin(omega * t)
    rhs = a1 * sp.sin(omega * (t - 1)) + _as_expr("a2", a2) * sp.sin(omega * (t - 2))
    difference = sp.simplify(sp.expand_trig(lhs - rhs))
    return Identity(lhs, rhs, difference, difference == 0)


def unrolled_state_closed_form(N: int) -> sp.Expr:
    """The claimed closed form of the state, ``w_H^N h_0 + sum_{s=1}^{N} w_H^{N-s} w_X X_s``.

    Examples
    --------
    >>> unrolled_state_closed_form(2)
    w_H**2*h[0] + w_H*w_X*X[1] + w_X*X[2]
    """
    N = as_int("N", N, 0)
    s = _SYMBOLS
    terms = [s.w_H ** (N - k) * s.w_X * s.X[k] for k in range(1, N + 1)]
    return s.w_H**N * s.h[0] + sp.Add(*terms)


def verify_unrolled_state(N: int) -> bool:
    """Check exactly that running the cell N times gives ``unrolled_state_closed_form(N)``.

    Parameters
    ----------
    N : int
        Number of steps, ``N >= 0``.

    Returns
    -------
    bool

    Examples
    --------
    >>> all(verify_unrolled_state(N) for N in range(6))
    True
    """
    return sp.expand(unrolled_h(N) - unrolled_state_closed_form(N)) == 0
