"""The scalar linear cell of the BPTT derivation, and its closed-form gradients.

The cell is ``h_t = x_t w_x + h_{t-1} w_h`` for ``t = 1..N`` with ``h_0`` given.
With the loss on the last state and ``gradout = dL/dh_N``, unrolling the
recursion gives

    dL/dw_h = gradout * sum_{i=1}^{N} w_h^{i-1} h_{N-i}
    dL/dw_x = gradout * sum_{i=0}^{N-1} w_h^{i} x_{N-i}

Arrays are 0-based while the mathematics counts from 1: ``x[t-1]`` holds
``x_t`` and ``h[t]`` holds ``h_t`` (so ``h`` has one more entry than ``x``).
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._checks import as_array, as_scalar, check_finite

__all__ = [
    "linear_grad_terms",
    "linear_rnn",
    "linear_rnn_bptt",
    "linear_rnn_grads",
    "linear_rnn_grads_every_step",
]


def linear_rnn(
    x: ArrayLike,
    w_x: float,
    w_h: float,
    h0: float = 0.0,
) -> NDArray[np.float64]:
    """Run the scalar linear cell ``h_t = x_t w_x + h_{t-1} w_h``.

    Parameters
    ----------
    x : ndarray, shape (T,)
        Inputs ``x_1..x_T``.
    w_x, w_h : float
        Input and recurrent weights.
    h0 : float
        Initial state.

    Returns
    -------
    h : ndarray, shape (T + 1,)
        ``h[0] = h0`` and ``h[t]`` is ``h_t``.

    Raises
    ------
    ValueError
        On bad input, or if the states overflow (``|w_h| > 1`` on a long sequence).

    Examples
    --------
    >>> linear_rnn(np.array([1.0, 0.0, 0.0]), w_x=1.0, w_h=0.5)
    array([0.  , 1.  , 0.5 , 0.25])
    """
    x = as_array("x", x, ("T",))
    w_x, w_h, h0 = as_scalar("w_x", w_x), as_scalar("w_h", w_h), as_scalar("h0", h0)
    from scipy.signal import lfilter  # imported here: scipy.signal takes 1-2 s to import

    # The recursion is a first-order IIR filter, y_t = w_x x_t + w_h y_{t-1};
    # lfilter runs that loop in C. zi carries h0 in as the filter's initial state.
    with np.errstate(over="ignore", invalid="ignore"):
        states, _ = lfilter([w_x], [1.0, -w_h], x, zi=[w_h * h0])
    h = np.concatenate([[h0], states])
    _check_overflow("h", h, w_h, x.shape[0])
    return h


def linear_grad_terms(
    x: ArrayLike,
    w_x: float,
    w_h: float,
    h0: float = 0.0,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The individual terms of the two closed-form sums, before multiplying by gradout.

    Parameters
    ----------
    x : ndarray, shape (N,)
        Inputs ``x_1..x_N``.
    w_x, w_h, h0 : float
        The cell's weights and initial state.

    Returns
    -------
    terms_h : ndarray, shape (N,)
        ``terms_h[i-1] = w_h**(i-1) * h_{N-i}`` for ``i = 1..N``: the part of
        ``dh_N/dw_h`` that travels ``i - 1`` recurrent steps.
    terms_x : ndarray, shape (N,)
        ``terms_x[i] = w_h**i * x_{N-i}`` for ``i = 0..N-1``.

    Examples
    --------
    >>> th, tx = linear_grad_terms(np.array([1.0, 2.0]), w_x=1.0, w_h=0.5)
    >>> th, tx
    (array([1., 0.]), array([2. , 0.5]))
    """
    x = as_array("x", x, ("N",))  # a list too
    h, N = linear_rnn(x, w_x, w_h, h0), x.shape[0]
    # w_h ** i for i = 0..N-1, each power computed directly (no running
    # product, whose rounding error would grow with i).
    i = np.arange(N, dtype=np.float64)
    terms_h = _power_times(w_h, i, h[N - 1 :: -1])  # h_{N-1}, ..., h_0
    terms_x = _power_times(w_h, i, x[::-1])  # x_N, x_{N-1}, ..., x_1
    _check_overflow("terms", np.concatenate([terms_h, terms_x]), w_h, N)
    return terms_h, terms_x


def _power_times(w, e, v):
    """``w ** e * v`` elementwise, finite wherever the exact product is.

    ``w ** e`` alone may overflow where ``v`` is 0 (the product is 0) or small;
    only those entries are recomputed, as ``(w ** (e/2) v) w ** (e - e/2)``, so
    every other entry is exactly ``w ** e * v``.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        out = w**e * v
        bad = ~np.isfinite(out)
        if bad.any():
            half = np.floor(e[bad] / 2)
            split = (w**half * v[bad]) * w ** (e[bad] - half)
            out[bad] = np.where(v[bad] == 0, 0.0, split)
    return out


def _polyval_and_slope(p, w):
    """``numpy.polyval(p, w)`` and the polynomial's derivative at ``w``, in O(n).

    As in ``numpy.polyval``, ``p[0]`` goes with the highest power:
    ``P(w) = sum_k p[k] w**(n-1-k)``. Each exponent is split as ``e = b q + r`` with
    ``b = ceil(sqrt(n))`` and ``0 <= r < b``, so ``w**e = w**(b q) * w**r``: about
    4 sqrt(n) powers (value and slope), each computed directly (no running product,
    whose rounding error would grow with e). In rows of b, ``p`` is a table with one
    row per q and one column per r, a view with nothing copied, and the 2n
    multiply-adds are one matrix product. When b does not divide n, the first
    ``n mod b`` coefficients form a short row above the table.

    Parameters
    ----------
    p : ndarray, shape (n,)
        Coefficients, highest power first. Not checked here: the caller has
        checked the shape, and checks the result (a NaN or inf in ``p`` makes it
        NaN or inf) instead of reading all of ``p`` once more beforehand.
    w : float
        Where to evaluate.

    Returns
    -------
    value, slope : float
        ``P(w)`` and ``P'(w)``; inf or nan if ``p`` is not finite or they overflow,
        and also when a single power ``w**(b q)`` overflows (|w| > 1, within a
        factor of about ``|w|**b`` of the float64 limit) even if the sum would not.

    Examples
    --------
    >>> _polyval_and_slope(np.array([3.0, 2.0, 1.0]), 2.0)  # 3w^2 + 2w + 1, 6w + 2
    (17.0, 14.0)
    """
    b = math.isqrt(p.shape[0] - 1) + 1  # b * b >= n
    rows, head = divmod(p.shape[0], b)
    # p[head:] is the table; entry [j, k] has exponent b(rows-1-j) + b-1-k.
    # p[:head] is a short row above it, exponents b rows + head-1 ... b rows.
    r = np.arange(b - 1, -1, -1, dtype=np.float64)  # r = b-1-k for column k
    bq = b * np.arange(rows, -1, -1, dtype=np.float64)  # short row first
    with np.errstate(over="ignore", invalid="ignore"):
        # d/dw w**e = e w**(e-1), the exponent floored at 0: e = 0 gives
        # 0 * w**0 = 0, not 0 * 0.0**-1 = nan, at w = 0.
        dw_r = r * w ** np.maximum(r - 1, 0)
        w_r = np.stack([w**r, dw_r], axis=1)  # (b, 2)
        w_q = w**bq  # (rows + 1,)
        dw_q = bq * w ** np.maximum(bq - 1, 0)
        inner = np.empty((rows + 1, 2))  # row sums: p w**r, p d(w**r)/dw
        inner[0] = p[:head] @ w_r[b - head :]
        np.matmul(p[head:].reshape(rows, b), w_r, out=inner[1:])
        value = w_q @ inner[:, 0]
        slope = dw_q @ inner[:, 0] + w_q @ inner[:, 1]  # product rule
    return float(value), float(slope)


def linear_rnn_grads(
    x: ArrayLike,
    w_x: float,
    w_h: float,
    h0: float,
    gradout: float,
) -> tuple[float, float]:
    """Gradients of a loss on the last state of the scalar linear cell.

    Evaluates the closed forms ``gradout * sum_{i=1}^{N} w_h^{i-1} h_{N-i}`` and
    ``gradout * sum_{i=0}^{N-1} w_h^i x_{N-i}`` in O(N) without running the cell:
    unrolled, ``h_N = w_h^N h0 + w_x P(w_h)`` with ``P(w) = sum_i x_{N-i} w^i``, so
    the second sum is ``P(w_h)`` and the first is ``w_x P'(w_h) + N w_h^(N-1) h0``.

    Parameters
    ----------
    x : ndarray, shape (N,)
        Inputs ``x_1..x_N``.
    w_x, w_h, h0 : float
        The cell's weights and initial state.
    gradout : float
        ``dL/dh_N``.

    Returns
    -------
    dL_dw_h, dL_dw_x : float

    Raises
    ------
    ValueError
        On bad input, or if a sum overflows float64.

    Examples
    --------
    >>> linear_rnn_grads(np.array([1.0, 2.0]), w_x=1.0, w_h=0.5, h0=0.0, gradout=1.0)
    (1.0, 2.5)
    """
    # x is read once: a NaN or inf in it makes the sums NaN or inf, checked below.
    x = as_array("x", x, ("N",), finite=False)
    w_x, w_h, h0 = as_scalar("w_x", w_x), as_scalar("w_h", w_h), as_scalar("h0", h0)
    gradout, N = as_scalar("gradout", gradout), x.shape[0]
    p, slope = _polyval_and_slope(x, w_h)  # x[0] = x_1 goes with w_h**(N-1)
    with np.errstate(over="ignore", invalid="ignore"):
        grads = gradout * np.array([w_x * slope + N * np.power(w_h, N - 1.0) * h0, p])
    if not np.isfinite(grads).all():
        check_finite("x", x)  # bad input is named as such, before blaming overflow
        # Every power w_h**e is formed, and one may overflow though its coefficient
        # (and the answer) is 0: the recursions, in C, only form what the answer needs.
        s_h, s_x = _sensitivities(x, w_h, linear_rnn(x, w_x, w_h, h0))
        with np.errstate(over="ignore", invalid="ignore"):
            grads = gradout * np.array([s_h[-1], s_x[-1]])
        _check_overflow("gradient", grads, w_h, N)
    return float(grads[0]), float(grads[1])


def _sensitivities(x, w_h, h):
    """``s_h[t-1] = dh_t/dw_h`` and ``s_x[t-1] = dh_t/dw_x`` for t = 1..N, by two filters.

    ``s_t = h_{t-1} + w_h s_{t-1}`` (``x_t + w_h s_{t-1}`` for ``w_x``) from ``s_0 = 0``;
    ``h`` is ``linear_rnn``'s (N + 1,) states. Not checked: the callers check what they use.
    """
    from scipy.signal import lfilter  # as in linear_rnn

    with np.errstate(over="ignore", invalid="ignore"):
        return lfilter([1.0], [1.0, -w_h], h[:-1]), lfilter([1.0], [1.0, -w_h], x)


def _check_overflow(what, values, w_h, steps):
    """Turn float64 overflow into a ValueError that says why it happened."""
    try:
        check_finite(what, values)
    except ValueError as err:
        raise ValueError(
            f"{err}: the linear cell overflowed float64 with w_h = {w_h} over "
            f"N = {steps} steps; |w_h| > 1 grows like |w_h|**N"
        ) from None


def linear_rnn_grads_every_step(
    x: ArrayLike,
    w_x: float,
    w_h: float,
    h0: float,
    g: ArrayLike,
) -> tuple[float, float]:
    """Gradients of a loss on every state of the scalar linear cell, in O(N).

    With ``g[t-1] = dL_t/dh_t`` for ``t = 1..N`` and ``L = sum_t L_t``, the
    closed forms become double sums,

        dL/dw_h = sum_{t=1}^{N} g_t sum_{i=1}^{t} w_h^{i-1} h_{t-i}
        dL/dw_x = sum_{t=1}^{N} g_t sum_{i=0}^{t-1} w_h^{i} x_{t-i},

    O(N^2) as written. The inner sums are the forward-mode sensitivities
    ``s_t = dh_t/dw_h``, which obey ``s_t = h_{t-1} + w_h s_{t-1}`` (and
    ``x_t + w_h s_{t-1}`` for ``w_x``) from ``s_0 = 0``: one first-order filter
    each, as in ``linear_rnn``, then one dot product with ``g``.

    Parameters
    ----------
    x : ndarray, shape (N,)
        Inputs ``x_1..x_N``.
    w_x, w_h, h0 : float
        The cell's weights and initial state.
    g : ndarray, shape (N,)
        ``g[t-1] = dL_t/dh_t``, the loss's gradient at every state.

    Returns
    -------
    dL_dw_h, dL_dw_x : float

    Raises
    ------
    ValueError
        On bad input, or if a sum overflows float64.

    Examples
    --------
    >>> linear_rnn_grads_every_step(np.array([1.0, 2.0]), w_x=1.0, w_h=0.5, h0=0.0,
    ...                             g=np.array([1.0, 1.0]))
    (1.0, 3.5)
    """
    x = as_array("x", x, ("N",))  # C order, as linear_rnn_bptt reads it
    h = linear_rnn(x, w_x, w_h, h0)  # (N + 1,), validates the scalars
    g = as_array("g", g, ("N",), {"N": h.shape[0] - 1})
    s_h, s_x = _sensitivities(x, w_h, h)  # (N,) each
    with np.errstate(over="ignore", invalid="ignore"):
        grads = np.array([g @ s_h, g @ s_x])
    _check_overflow("gradient", np.concatenate([s_h, s_x, grads]), w_h, g.shape[0])
    return float(grads[0]), float(grads[1])


def linear_rnn_bptt(
    x: ArrayLike,
    w_x: float,
    w_h: float,
    h0: float,
    g: ArrayLike,
) -> tuple[float, float]:
    """The same gradients as :func:`linear_rnn_grads_every_step`, by the backward recursion.

    Exchanging the order of the double sums collects, for every state, the
    gradient arriving from all later losses, ``delta_k = g_k + w_h delta_{k+1}``
    with ``delta_{N+1} = 0``; then ``dL/dw_h = sum_k delta_k h_{k-1}`` and
    ``dL/dw_x = sum_k delta_k x_k``. This is backpropagation through time for the
    scalar cell: one pass backwards, O(N).

    Parameters
    ----------
    x : ndarray, shape (N,)
    w_x, w_h, h0 : float
    g : ndarray, shape (N,)
        ``g[k-1] = dL_k/dh_k``.

    Returns
    -------
    dL_dw_h, dL_dw_x : float

    Examples
    --------
    >>> linear_rnn_bptt(np.array([1.0, 2.0]), w_x=1.0, w_h=0.5, h0=0.0,
    ...                 g=np.array([1.0, 1.0]))
    (1.0, 3.5)
    """
    x = as_array("x", x, ("N",))  # C order: BLAS sums strided x differently
    h = linear_rnn(x, w_x, w_h, h0)  # (N + 1,), validates the scalars
    g = as_array("g", g, ("N",), {"N": h.shape[0] - 1})
    delta = np.empty_like(g)  # delta[k-1] = total dL/dh_k
    carry = 0.0  # delta_{N+1}
    for k in range(g.shape[0] - 1, -1, -1):
        carry = delta[k] = g[k] + w_h * carry
    with np.errstate(over="ignore", invalid="ignore"):
        grads = np.array([delta @ h[:-1], delta @ x])  # h[:-1]: h_0..h_{N-1}
    _check_overflow("gradient", np.concatenate([delta, grads]), w_h, len(g))
    return float(grads[0]), float(grads[1])
