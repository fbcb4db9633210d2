"""Gradient clipping and the two optimisers the book trains with.

Parameters and gradients travel as dicts of arrays with the same keys
(``{"Wx": ..., "Wh": ..., "b": ...}``); the optimisers update the parameter
arrays in place, so a model that holds references to them sees the update.
An update that would overflow float64 raises instead, and leaves every
parameter as it was.
"""

from __future__ import annotations

import numpy as np

from ._checks import (
    as_fraction,
    as_positive,
    as_real,
    as_scalar,
    check_finite,
    check_overflow,
    norm,
    overflow_checked,
)
from ._typing import Params

__all__ = ["SGD", "Adam", "clip_grad_norm", "global_norm"]


def _as_grads(grads):
    """``grads`` as a dict of finite float64 arrays, each named ``grads[key]``."""
    if not isinstance(grads, dict):
        raise ValueError(f"grads: expected a dict of arrays, got {type(grads).__name__}")
    return {k: as_real(f"grads[{k!r}]", g) for k, g in grads.items()}


def _check_pair(params, grads):
    """Parameters and gradients must name the same arrays with the same shapes.

    Every parameter must be a float64 ndarray, as it is updated in place.
    Returns the gradients as float64 arrays.
    """
    if not isinstance(params, dict):
        raise ValueError(f"params: expected a dict of arrays, got {type(params).__name__}")
    grads = _as_grads(grads)
    if params.keys() != grads.keys():
        missing = [k for k in params if k not in grads] + [k for k in grads if k not in params]
        raise ValueError(
            f"grads: expected keys {sorted(params, key=str)}, got keys {sorted(grads, key=str)} "
            f"(not in both: {missing})"
        )
    for name, p in params.items():
        if not isinstance(p, np.ndarray) or p.dtype != np.float64:
            got = p.dtype if isinstance(p, np.ndarray) else type(p).__name__
            raise ValueError(
                f"params[{name!r}]: expected a float64 ndarray (updated in place), got {got}"
            )
        check_finite(f"params[{name!r}]", p)
        if grads[name].shape != p.shape:
            raise ValueError(
                f"grads[{name!r}]: expected shape {p.shape}, got shape {grads[name].shape}"
            )
    return grads


def _norm(grads):
    """Global norm of validated gradients (``_checks.norm``: no overflow, no underflow)."""
    value = norm(*grads.values())
    if not np.isfinite(value):
        raise ValueError(
            f"grads: the global norm overflowed float64 (it exceeds {np.finfo(np.float64).max:.3g})"
        )
    return value


@overflow_checked
def global_norm(grads: dict[str, np.ndarray]) -> float:
    """The Euclidean norm of all gradients taken together as one vector.

    Computed without overflow or underflow: gradients of 1e200 have a norm of
    order 1e200, not inf, and gradients of 1e-200 not 0.

    Parameters
    ----------
    grads : dict of str to array_like
        Finite gradients of any shapes.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If a gradient is not an array of finite real numbers, or the norm itself
        exceeds the largest float64.

    Examples
    --------
    >>> global_norm({"a": np.array([3.0]), "b": np.array([[4.0]])})
    5.0
    """
    return _norm(_as_grads(grads))


@overflow_checked
def clip_grad_norm(
    grads: dict[str, np.ndarray],
    max_norm: float,
) -> tuple[Params, float]:
    """Rescale all gradients together so their global norm is at most ``max_norm``.

    This is Algorithm 1 of Pascanu, Mikolov and Bengio (2013): rescaling every
    component by the same factor keeps the direction of the step, which
    element-wise clipping does not.

    Parameters
    ----------
    grads : dict of str to array_like
        Finite gradients.
    max_norm : float
        Threshold, > 0.

    Returns
    -------
    clipped : dict of str to ndarray
        New arrays; ``grads`` is not modified.
    norm : float
        The global norm before clipping (see :func:`global_norm`).

    Examples
    --------
    >>> clipped, norm = clip_grad_norm({"w": np.array([3.0, 4.0])}, max_norm=1.0)
    >>> norm, clipped["w"]
    (5.0, array([0.6, 0.8]))
    >>> clip_grad_norm({"w": np.array([1e200, 1e200])}, 1.0)[0]["w"].round(4)
    array([0.7071, 0.7071])
    """
    max_norm = as_max_norm(max_norm)
    grads = _as_grads(grads)
    norm = _norm(grads)
    scale = min(1.0, max_norm / norm) if norm > 0 else 1.0
    return {k: g * scale for k, g in grads.items()}, norm


def as_max_norm(max_norm):
    """A clipping threshold: a finite float > 0 (also checked by the trainers before they start)."""
    max_norm = as_scalar("max_norm", max_norm)
    if max_norm <= 0:
        raise ValueError(f"max_norm: expected a value > 0, got {max_norm}")
    return max_norm


def _apply(params, new):
    """Copy every updated array into ``params``, after checking them all: all or nothing."""
    for name, value in new.items():
        check_overflow(
            f"params[{name!r}]", value, "the update overflowed: lr or the gradient too large"
        )
    for name, value in new.items():
        params[name][...] = value


class SGD:
    """Plain gradient descent: ``p -= lr * g``.

    Parameters
    ----------
    lr : float
        Learning rate, > 0.

    Examples
    --------
    >>> params = {"w": np.array([1.0])}
    >>> SGD(lr=0.1).step(params, {"w": np.array([2.0])})
    >>> params["w"]
    array([0.8])
    """

    def __init__(self, lr: float) -> None:
        self.lr = as_positive("lr", lr)

    @overflow_checked
    def step(self, params: Params, grads: dict[str, np.ndarray]) -> None:
        """Update every array in ``params`` in place (none if an update would overflow)."""
        grads = _check_pair(params, grads)
        _apply(params, {name: p - self.lr * grads[name] for name, p in params.items()})


class Adam:
    """Adam (Kingma and Ba, 2015) with bias-corrected moment estimates.

    Parameters
    ----------
    lr : float
        Learning rate, > 0.
    beta1, beta2 : float
        Decay rates of the moment estimates, in [0, 1).
    eps : float
        Added to the root of the second moment, > 0 (with 0, a zero gradient
        would give 0 / 0).

    Examples
    --------
    >>> params = {"w": np.array([1.0])}
    >>> opt = Adam(lr=0.1)
    >>> opt.step(params, {"w": np.array([5.0])})
    >>> np.round(params["w"], 6)  # the first step moves by lr, whatever the scale
    array([0.9])
    """

    def __init__(
        self,
        lr: float = 1e-3,
        beta1: float = 0.9,
        beta2: float = 0.999,
        eps: float = 1e-8,
    ) -> None:
        self.lr = as_positive("lr", lr)
        self.beta1 = as_fraction("beta1", beta1, open_high=True)
        self.beta2 = as_fraction("beta2", beta2, open_high=True)
        self.eps = as_positive("eps", eps)
        self.m, self.v, self.t = {}, {}, 0

    @overflow_checked
    def step(self, params: Params, grads: dict[str, np.ndarray]) -> None:
        """Update every array in ``params`` in place (none if an update would overflow)."""
        grads = _check_pair(params, grads)
        t, m, v, new = self.t + 1, {}, {}, {}
        for name, p in params.items():
            g = grads[name]
            m[name] = self.beta1 * self.m.get(name, 0.0) + (1 - self.beta1) * g
            v[name] = self.beta2 * self.v.get(name, 0.0) + (1 - self.beta2) * g * g
            check_overflow(
                f"grads[{name!r}]",
                v[name],
                "Adam's second moment of g**2 overflowed: |g| above 1e154; clip the gradients",
            )
            m_hat = m[name] / (1 - self.beta1**t)  # undo the bias towards the zero start
            v_hat = v[name] / (1 - self.beta2**t)
            new[name] = p - self.lr * m_hat / (np.sqrt(v_hat) + self.eps)
        _apply(params, new)  # raises before any change if an update overflowed
        self.m.update(m)
        self.v.update(v)
        self.t = t
