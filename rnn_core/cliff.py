"""The exploding-gradient cliff of Pascanu, Mikolov and Bengio (2013), figure 6.

A single recurrent unit with a sigmoid,

    x_t = w * sigmoid(x_{t-1}) + b,    x_0 = 0.5,    t = 1 .. T (T = 50),

scored by ``E(w, b) = (sigmoid(x_T) - 0.7)**2``. For ``w`` above 4 the map
``x -> w sigmoid(x) + b`` has two stable fixed points over a band of ``b``,
separated by an unstable one. On the line ``b = x_0 - w sigmoid(x_0)`` the
start ``x_0`` is itself that fixed point, and it is unstable once its slope
``w sigmoid'(x_0)`` exceeds 1 (``w > 4.25`` for ``x_0 = 0.5``): on one side of
the line ``x_T`` runs to the low fixed point, on the other to the high one.
The error steps by up to 0.4 across the line, a wall whose width shrinks and
whose gradient grows like ``(w sigmoid'(x_0))**T``: about 3e3 at ``w = 5``,
3e7 at ``w = 6``, beyond float64 resolution (a true step) from ``w = 8``.
Everything is vectorised: ``w`` and ``b`` may be arrays of any (common) shape,
one independent network per entry.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._checks import (
    as_array,
    as_int,
    as_positive,
    as_real,
    as_scalar,
    check_overflow,
    overflow_checked,
)
from .lstm import (
    _sigmoid,
    sigmoid,  # noqa: F401 (the doctests show the public one)
)
from .optim import as_max_norm, clip_grad_norm

__all__ = ["cliff_error", "cliff_gradient", "cliff_surface", "descend"]


def _check(w, b, T, x0, target):
    """Broadcast ``w`` and ``b`` to one float64 shape and validate the scalars."""
    w, b = as_real("w", w, nonempty=True), as_real("b", b, nonempty=True)
    try:
        w, b = np.broadcast_arrays(w, b)
    except ValueError:
        raise ValueError(
            f"b: expected a shape that broadcasts with w's {w.shape}, got shape {b.shape}"
        ) from None
    return w, b, as_int("T", T, 1), as_scalar("x0", x0), as_scalar("target", target)


def _states(w, b, T, x0):
    """All states ``x_0 .. x_T``, shape ``(T + 1, *w.shape)``."""
    x = np.empty((T + 1, *w.shape))
    x[0] = x0
    for t in range(1, T + 1):
        x[t] = w * _sigmoid(x[t - 1]) + b
    return x


@overflow_checked
def cliff_error(
    w: ArrayLike,
    b: ArrayLike,
    T: int = 50,
    x0: float = 0.5,
    target: float = 0.7,
) -> NDArray[np.float64]:
    """Error ``(sigmoid(x_T) - target)**2`` of the single-unit network.

    Parameters
    ----------
    w, b : float or ndarray, shape (...)
        Recurrent weight and bias; arrays must broadcast to one shape.
    T : int
        Number of steps, >= 1.
    x0 : float
        Initial state.
    target : float
        Desired ``sigmoid(x_T)``.

    Returns
    -------
    E : ndarray, the broadcast shape of ``w`` and ``b``

    Examples
    --------
    >>> np.round(cliff_error(np.array([0.0, 1.0]), 0.0), 4)  # w = 0: x_T = b = 0
    array([0.04  , 0.0017])
    """
    w, b, T, x0, target = _check(w, b, T, x0, target)
    E = (_sigmoid(_states(w, b, T, x0)[-1]) - target) ** 2
    return check_overflow("E", E, "(sigmoid(x_T) - target)**2: target too large")


@overflow_checked
def cliff_gradient(
    w: ArrayLike,
    b: ArrayLike,
    T: int = 50,
    x0: float = 0.5,
    target: float = 0.7,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """``(dE/dw, dE/db)`` by backpropagation through the ``T`` steps.

    With ``delta_t = dE/dx_t`` and ``s_t = sigmoid(x_t)``:

        delta_T = 2 (s_T - target) s_T (1 - s_T),
        delta_{t-1} = delta_t * w * s_{t-1} (1 - s_{t-1}),
        dE/dw = sum_t delta_t s_{t-1},        dE/db = sum_t delta_t.

    Parameters
    ----------
    w, b, T, x0, target
        As in ``cliff_error``.

    Returns
    -------
    dE_dw, dE_db : ndarray, the broadcast shape of ``w`` and ``b``

    Examples
    --------
    >>> dw, db = cliff_gradient(0.0, 0.0, T=1)  # x_1 = b: dE/db = 2 (0.5 - 0.7) / 4
    >>> round(float(db), 12), bool(np.isclose(dw, db * sigmoid(0.5)))
    (-0.1, True)
    """
    w, b, T, x0, target = _check(w, b, T, x0, target)
    s = _sigmoid(_states(w, b, T, x0))  # (T + 1, ...)
    delta = 2 * (s[T] - target) * s[T] * (1 - s[T])
    dw, db = np.zeros_like(w), np.zeros_like(w)
    for t in range(T, 0, -1):
        dw += delta * s[t - 1]
        db += delta
        delta = delta * w * s[t - 1] * (1 - s[t - 1])  # dx_t/dx_{t-1} = w sigmoid'(x_{t-1})
    why = "the delta is multiplied by w sigmoid'(x_t) at every step back: w or target too large"
    return check_overflow("dE_dw", dw, why), check_overflow("dE_db", db, why)


@overflow_checked
def descend(
    w0: float,
    b0: float,
    lr: float,
    steps: int,
    max_norm: float | None = None,
    T: int = 50,
    x0: float = 0.5,
    target: float = 0.7,
) -> NDArray[np.float64]:
    """Gradient descent on ``E(w, b)``, optionally with norm clipping.

    With ``max_norm`` the gradient ``g = (dE/dw, dE/db)`` is rescaled to
    ``g * max_norm / |g|`` whenever ``|g| > max_norm`` (Algorithm 1 of
    Pascanu et al., via ``optim.clip_grad_norm``): the step keeps the
    gradient's direction and its length is at most ``lr * max_norm``.

    Parameters
    ----------
    w0, b0 : float
        Starting point.
    lr : float
        Learning rate, > 0.
    steps : int
        Number of updates, >= 0.
    max_norm : float or None
        Clipping threshold; None for plain gradient descent.
    T, x0, target
        As in ``cliff_error``.

    Returns
    -------
    trajectory : ndarray, shape (steps + 1, 2)
        ``(w, b)`` before each update and after the last.

    Examples
    --------
    >>> path = descend(1.0, 0.0, lr=1.0, steps=3, max_norm=0.1)
    >>> path.shape, bool(np.all(np.linalg.norm(np.diff(path, axis=0), axis=1) <= 0.1 + 1e-12))
    ((4, 2), True)
    """
    point = np.array([as_scalar("w0", w0), as_scalar("b0", b0)])
    lr, steps = as_positive("lr", lr), as_int("steps", steps, 0)
    max_norm = None if max_norm is None else as_max_norm(max_norm)
    _, _, T, x0, target = _check(*point, T, x0, target)  # checked even if steps = 0
    path = np.empty((steps + 1, 2))
    path[0] = point
    for s in range(steps):
        dw, db = cliff_gradient(point[0], point[1], T, x0, target)
        g = {"w": dw, "b": db}
        if max_norm is not None:
            g = clip_grad_norm(g, max_norm)[0]
        point = point - lr * np.array([g["w"], g["b"]])
        check_overflow("path", point, "(w, b) - lr * gradient: lr too large", step=(s, steps))
        path[s + 1] = point
    return path


def cliff_surface(
    w_range: tuple[float, float],
    b_range: tuple[float, float],
    n: int = 200,
    T: int = 50,
    x0: float = 0.5,
    target: float = 0.7,
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """The error on an ``n`` by ``n`` grid, for a surface or contour plot.

    Parameters
    ----------
    w_range, b_range : (float, float)
        Lower and upper ends of each axis.
    n : int
        Points per axis, >= 2.
    T, x0, target
        As in ``cliff_error``.

    Returns
    -------
    W, B : ndarray, shape (n, n)
        ``np.meshgrid`` of the axes: ``W[i, j] = w_j``, ``B[i, j] = b_i``.
    E : ndarray, shape (n, n)

    Examples
    --------
    >>> W, B, E = cliff_surface((0, 10), (-6, 0), n=3)
    >>> W[0].tolist(), B[:, 0].tolist(), E.shape
    ([0.0, 5.0, 10.0], [-6.0, -3.0, 0.0], (3, 3))
    """
    w_range = as_array("w_range", w_range, (2,))
    b_range = as_array("b_range", b_range, (2,))
    n = as_int("n", n, 2)
    W, B = np.meshgrid(np.linspace(*w_range, n), np.linspace(*b_range, n))
    return W, B, cliff_error(W, B, T, x0, target)
