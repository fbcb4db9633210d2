"""Central finite differences, the reference every analytic gradient is checked against."""

import numpy as np

from ._checks import as_scalar


def numerical_gradient(f, x, eps=1e-5):
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
    x : ndarray
        A float64 array that ``f`` depends on.
    eps : float
        Step size.

    Returns
    -------
    grad : ndarray, same shape as ``x``

    Examples
    --------
    >>> x = np.array([1.0, 2.0])
    >>> np.round(numerical_gradient(lambda: float(np.sum(x**3)), x), 6)
    array([ 3., 12.])
    """
    if not isinstance(x, np.ndarray) or x.dtype != np.float64:
        raise ValueError(f"x: expected a float64 ndarray, got {type(x).__name__}")
    eps = as_scalar("eps", eps)
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        f_plus = f()
        x[i] = old - eps
        f_minus = f()
        x[i] = old  # restore exactly: old is a copy of the scalar
        grad[i] = (f_plus - f_minus) / (2 * eps)
    return grad


def rel_error(a, b):
    """Relative error ``||a - b|| / (||a|| + ||b||)`` of two arrays (0 if both are 0).

    A norm-wise measure: a single entry that is zero in both does not blow it up.

    Examples
    --------
    >>> rel_error(np.array([1.0, 2.0]), np.array([1.0, 2.0]))
    0.0
    >>> rel_error(np.array([1.0]), np.array([3.0]))
    0.5
    """
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    if a.shape != b.shape:
        raise ValueError(f"b: expected shape {a.shape} (the shape of a), got shape {b.shape}")
    denom = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if denom == 0 else float(np.linalg.norm(a - b) / denom)
