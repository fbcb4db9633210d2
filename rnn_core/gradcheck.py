"""Central finite differences, the reference every analytic gradient is checked against."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._checks import as_callable, as_positive, as_real, as_scalar, norm

__all__ = ["numerical_gradient", "rel_error"]

# Norms above this have no entry lost to underflow in their squares (see rel_error).
_TINY = 2.0**-450


def numerical_gradient(
    f: Callable[[], float],
    x: NDArray[np.float64],
    eps: float = 1e-5,
) -> NDArray[np.float64]:
    """Gradient of a scalar function by central differences, one entry at a time.

    ``df/dx_i ~ (f(x + eps e_i) - f(x - eps e_i)) / (2 eps)``. The truncation
    error shrinks like ``eps**2`` while the rounding error of the two evaluations,
    about ``1e-16 * |f| / eps``, grows as ``eps`` shrinks; the two balance near
    the cube root of machine epsilon, about 1e-5 for inputs of order one. With
    the smaller, popular 1e-6, small gradients (a ``dh0`` after several
    saturated steps) drown in rounding noise.

    Parameters
    ----------
    f : callable
        Takes no argument and returns a float; it must read ``x`` (which is
        perturbed in place and restored).
    x : ndarray, shape (...)
        A float64 array that ``f`` depends on, finite and writeable.
    eps : float
        Step size.

    Returns
    -------
    grad : ndarray, same shape as ``x``

    Raises
    ------
    ValueError
        If ``f`` is not callable or returns anything but a finite real number,
        ``x`` is not a finite writeable float64 array, ``eps`` is not > 0 or too
        small to change an entry of ``x``, or a difference overflows.

    Examples
    --------
    >>> x = np.array([1.0, 2.0])
    >>> np.round(numerical_gradient(lambda: float(np.sum(x**3)), x), 6)
    array([ 3., 12.])
    """
    as_callable("f", f, "a callable taking no argument")
    _check_perturbable(x)
    eps = as_positive("eps", eps)
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        grad[i] = _central_difference(f, x, i, eps)
    return grad


def _check_perturbable(x):
    """``x`` must be a finite, non-empty, writeable float64 ndarray: f reads it in place."""
    if not isinstance(x, np.ndarray) or x.dtype != np.float64 or not x.flags.writeable:
        got = f"{x.dtype} ndarray" if isinstance(x, np.ndarray) else type(x).__name__
        got = got if not isinstance(x, np.ndarray) or x.flags.writeable else f"read-only {got}"
        raise ValueError(
            f"x: expected a float64 ndarray, got {got} (f reads x, and x is perturbed in "
            "place: it must be a writeable float64 ndarray)"
        )
    as_real("x", x, nonempty=True)  # finite and with entries (float64 already: no copy)


def _central_difference(f, x, i, eps):
    """``(f(x + eps e_i) - f(x - eps e_i)) / (2 eps)``, ``x[i]`` restored even if f raises."""
    old = x[i]
    if old + eps == old or old - eps == old:  # the step would be lost in rounding
        raise ValueError(
            f"eps: expected a step that changes x[{i}] = {old!r}, got {eps!r} "
            "(below half its rounding unit)"
        )
    try:
        x[i] = old + eps
        f_plus = _value(f, i)
        x[i] = old - eps
        f_minus = _value(f, i)
    finally:
        x[i] = old  # restore exactly: old is a copy of the scalar
    with np.errstate(over="ignore"):
        slope = (f_plus - f_minus) / (2 * eps)
    if not np.isfinite(slope):
        raise ValueError(
            f"f: the central difference at x[{i}] overflowed float64 "
            f"(f(x + eps e_i) = {f_plus!r}, f(x - eps e_i) = {f_minus!r}, eps = {eps!r})"
        )
    return slope


def _value(f, i):
    """``f()`` as a finite float, or a ValueError naming ``f`` and the entry perturbed."""
    value = f()
    try:
        return as_scalar("f", value)
    except ValueError:
        raise ValueError(
            f"f: expected a finite real scalar from f() with x[{i}] perturbed, got {value!r}"
        ) from None


def rel_error(a: ArrayLike, b: ArrayLike) -> float:
    """Relative error ``||a - b|| / (||a|| + ||b||)`` of two arrays (0 if both are 0).

    A norm-wise measure: a single entry that is zero in both does not blow it up.
    Computed without overflow or underflow (entries of 1e300 or 1e-300 are fine).

    Parameters
    ----------
    a : array_like, shape (...)
        Finite, non-empty.
    b : array_like, same shape as ``a``
        Finite.

    Returns
    -------
    float
        In [0, 1].

    Examples
    --------
    >>> rel_error(np.array([1.0, 2.0]), np.array([1.0, 2.0]))
    0.0
    >>> rel_error(np.array([1.0]), np.array([3.0]))
    0.5
    """
    a, b = as_real("a", a, nonempty=True), as_real("b", b)
    if a.shape != b.shape:
        raise ValueError(f"b: expected shape {a.shape} (the shape of a), got shape {b.shape}")
    with np.errstate(over="ignore", invalid="ignore"):
        diff, denom = np.linalg.norm(a - b), np.linalg.norm(a) + np.linalg.norm(b)
    if np.isfinite(diff) and np.isfinite(denom) and denom > _TINY:
        return float(diff / denom)
    # The norms overflowed (entries near 1e154 or more) or may have underflowed: the
    # ratio does not change when both arrays are divided by their largest magnitude.
    m = max(np.max(np.abs(a), initial=0.0), np.max(np.abs(b), initial=0.0))
    if m == 0.0:
        return 0.0
    a, b = a / m, b / m
    return float(norm(a - b) / (norm(a) + norm(b)))
