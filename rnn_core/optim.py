"""Gradient clipping and the two optimisers the book trains with.

Parameters and gradients travel as dicts of arrays with the same keys
(``{"Wx": ..., "Wh": ..., "b": ...}``); the optimisers update the parameter
arrays in place, so a model that holds references to them sees the update.
"""

import numpy as np

from ._checks import as_scalar


def _check_pair(params, grads):
    """Parameters and gradients must name the same arrays with the same shapes."""
    if params.keys() != grads.keys():
        raise ValueError(f"grads: expected keys {sorted(params)}, got keys {sorted(grads)}")
    for name, p in params.items():
        if np.shape(grads[name]) != p.shape:
            raise ValueError(
                f"grads[{name!r}]: expected shape {p.shape}, got shape {np.shape(grads[name])}"
            )
        if not np.all(np.isfinite(grads[name])):
            raise ValueError(f"grads[{name!r}]: expected finite values, got NaN or inf")


def global_norm(grads):
    """The Euclidean norm of all gradients taken together as one vector.

    Examples
    --------
    >>> global_norm({"a": np.array([3.0]), "b": np.array([[4.0]])})
    5.0
    """
    return float(np.sqrt(sum(np.sum(g * g) for g in grads.values())))


def clip_grad_norm(grads, max_norm):
    """Rescale all gradients together so their global norm is at most ``max_norm``.

    This is Algorithm 1 of Pascanu, Mikolov and Bengio (2013): rescaling every
    component by the same factor keeps the direction of the step, which
    element-wise clipping does not.

    Parameters
    ----------
    grads : dict of str to ndarray
    max_norm : float
        Threshold, > 0.

    Returns
    -------
    clipped : dict of str to ndarray
        New arrays; ``grads`` is not modified.
    norm : float
        The global norm before clipping.

    Examples
    --------
    >>> clipped, norm = clip_grad_norm({"w": np.array([3.0, 4.0])}, max_norm=1.0)
    >>> norm, clipped["w"]
    (5.0, array([0.6, 0.8]))
    """
    max_norm = as_scalar("max_norm", max_norm)
    if max_norm <= 0:
        raise ValueError(f"max_norm: expected a value > 0, got {max_norm}")
    _check_pair(grads, grads)
    norm = global_norm(grads)
    scale = min(1.0, max_norm / norm) if norm > 0 else 1.0
    return {k: g * scale for k, g in grads.items()}, norm


class SGD:
    """Plain gradient descent: ``p -= lr * g``.

    Examples
    --------
    >>> params = {"w": np.array([1.0])}
    >>> SGD(lr=0.1).step(params, {"w": np.array([2.0])})
    >>> params["w"]
    array([0.8])
    """

    def __init__(self, lr):
        self.lr = as_scalar("lr", lr)

    def step(self, params, grads):
        """Update every array in ``params`` in place."""
        _check_pair(params, grads)
        for name, p in params.items():
            p -= self.lr * grads[name]


class Adam:
    """Adam (Kingma and Ba, 2015) with bias-corrected moment estimates.

    Examples
    --------
    >>> params = {"w": np.array([1.0])}
    >>> opt = Adam(lr=0.1)
    >>> opt.step(params, {"w": np.array([5.0])})
    >>> np.round(params["w"], 6)  # the first step moves by lr, whatever the scale
    array([0.9])
    """

    def __init__(self, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr, self.beta1 = as_scalar("lr", lr), as_scalar("beta1", beta1)
        self.beta2, self.eps = as_scalar("beta2", beta2), as_scalar("eps", eps)
        self.m, self.v, self.t = {}, {}, 0

    def step(self, params, grads):
        """Update every array in ``params`` in place."""
        _check_pair(params, grads)
        self.t += 1
        for name, p in params.items():
            g = grads[name]
            m = self.m[name] = self.beta1 * self.m.get(name, 0.0) + (1 - self.beta1) * g
            v = self.v[name] = self.beta2 * self.v.get(name, 0.0) + (1 - self.beta2) * g * g
            m_hat = m / (1 - self.beta1**self.t)  # undo the bias towards the zero start
            v_hat = v / (1 - self.beta2**self.t)
            p -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)
