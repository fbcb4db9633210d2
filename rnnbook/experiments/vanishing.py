"""How much gradient crosses k steps of the tanh cell: the measurements behind chapter 5.

:func:`backflow` carries the gradient of a loss on the last state back to every
earlier state, one Jacobian at a time; :func:`state_gradient_norms` and the
remedies' gradient paths are both built on it. The chapter's figures
(:mod:`rnnbook.figures.ch05`) draw these numbers; nothing here draws.
"""

from typing import NamedTuple

import numpy as np

from rnn_core._checks import as_int, as_scalar
from rnn_core.cell import rnn_forward


def backflow(h, Wh, g):
    """The gradient of a loss on the last state, carried back to every earlier state.

    One step back multiplies the gradient row vector on the right by the Jacobian
    of the step: ``dL/dh_(t-1) = (dL/dh_t * (1 - h_t**2)) Wh^T``.

    Parameters
    ----------
    h : ndarray, shape (N, T, H)
        States of the tanh cell, as from ``rnn_forward``.
    Wh : ndarray, shape (H, H)
    g : ndarray, shape (N, H)
        ``dL/dh_T``, the gradient on the last state.

    Returns
    -------
    ndarray, shape (N, T, H)
        Entry ``[:, k]`` is ``dL/dh_(T-k)``; ``k = 0`` is ``g`` itself.

    Examples
    --------
    >>> h = np.zeros((1, 3, 1))  # tanh slopes all 1: each step multiplies by Wh^T
    >>> backflow(h, np.array([[0.5]]), np.ones((1, 1)))[0, :, 0]
    array([1.  , 0.5 , 0.25])
    """
    T = h.shape[1]
    out = np.empty_like(h)
    out[:, 0] = g
    for k in range(1, T):
        g = (g * (1.0 - h[:, T - k] ** 2)) @ Wh.T  # (N, H): from h_(T-k+1) to h_(T-k)
        out[:, k] = g
    return out


def state_gradient_norms(x, h0, Wx, Wh, b):
    """Norm of the gradient of a loss on the last state reaching each earlier state.

    The loss is ``L = g . h_T`` with ``g = ones(H) / sqrt(H)`` (so ``||dL/dh_T|| = 1``).
    Going back one step multiplies the gradient row vector on the right by the Jacobian:
    ``dL/dh_(t-1) = (dL/dh_t * (1 - h_t**2)) Wh^T``.

    Parameters
    ----------
    x : ndarray, shape (N, T, D)
    h0 : ndarray, shape (N, H)
    Wx : ndarray, shape (D, H)
    Wh : ndarray, shape (H, H)
    b : ndarray, shape (H,)

    Returns
    -------
    ndarray, shape (T,)
        Entry k is ``||dL/dh_(T-k)||`` (k = 0 is the last state), the norm taken per
        example and averaged over the batch.

    Examples
    --------
    >>> x = np.zeros((1, 3, 1))
    >>> state_gradient_norms(x, np.zeros((1, 1)), np.ones((1, 1)), 0.5 * np.ones((1, 1)),
    ...                      np.zeros(1))
    array([1.  , 0.5 , 0.25])
    """
    h, cache = rnn_forward(x, h0, Wx, Wh, b)
    g = np.full(h[:, 0].shape, 1.0 / np.sqrt(h.shape[2]))  # dL/dh_T
    return np.linalg.norm(backflow(h, cache.Wh, g), axis=2).mean(axis=0)


def tanh_jacobian_factors(s, w_h=0.9, T=40, seed=0):
    """Per-step factors w_H (1 - h_t^2) of the scalar tanh cell on seeded inputs.

    The cell is ``h_t = tanh(s x_t + w_H h_(t-1))`` (``w_X = 1``, ``h_0 = 0``, no bias),
    run with ``cell.rnn_forward`` on standard-normal ``x`` from ``seed``.

    Returns
    -------
    factors : ndarray, shape (T,)
        ``factors[t-1] = w_H (1 - h_t^2)`` = dh_t/dh_(t-1), for t = 1..T.
    slope : ndarray, shape (T,)
        The tanh slopes ``1 - h_t^2``.

    Examples
    --------
    >>> f, slope = tanh_jacobian_factors(1.0, w_h=0.9, T=5)
    >>> bool(np.all(np.abs(f) <= 0.9) and np.allclose(f, 0.9 * slope))
    True
    """
    s, w_h = as_scalar("s", s), as_scalar("w_h", w_h)
    x = np.random.default_rng(seed).standard_normal((1, as_int("T", T, 1), 1))
    h, _ = rnn_forward(s * x, np.zeros((1, 1)), np.ones((1, 1)), np.full((1, 1), w_h), np.zeros(1))
    slope = 1.0 - h[0, :, 0] ** 2
    return w_h * slope, slope


def scaled_recurrence(H, radius, seed=0):
    """A standard-normal H x H matrix rescaled to spectral radius ``radius``.

    ``seed`` is an int or a ``numpy.random.Generator`` (which is then advanced, so that
    several matrices can be drawn from one stream). The same int seed gives the same
    direction for every radius: only the scale changes.

    Examples
    --------
    >>> W = scaled_recurrence(4, 0.5)
    >>> round(float(np.max(np.abs(np.linalg.eigvals(W)))), 12)
    0.5
    """
    rng = (
        seed
        if isinstance(seed, np.random.Generator)
        else np.random.default_rng(as_int("seed", seed, 0))
    )
    W = rng.standard_normal((as_int("H", H, 1), H))
    return as_scalar("radius", radius) * W / np.max(np.abs(np.linalg.eigvals(W)))


def _spectral_setup(H, T, seed, N=8, D=4):
    """Seeded inputs (N, T, D) and input weights (D, H) scaled by 0.1."""
    rng = np.random.default_rng(seed + 1)
    return rng.standard_normal((N, T, D)), 0.1 * rng.standard_normal((D, H))


def spectral_norms(radius, H=32, T=60, seed=0):
    """``state_gradient_norms`` of the tanh cell with W_hh at the given spectral radius.

    Returns
    -------
    norms : ndarray, shape (T,)
    sigma_max : float
        The largest singular value of W_hh.

    Examples
    --------
    >>> norms, sigma = spectral_norms(0.5, H=4, T=5)
    >>> norms.shape, bool(norms[-1] < norms[0])
    ((5,), True)
    """
    Wh = scaled_recurrence(H, radius, seed)
    x, Wx = _spectral_setup(H, T, seed)
    norms = state_gradient_norms(x, np.zeros((x.shape[0], H)), Wx, Wh, np.zeros(H))
    return norms, float(np.linalg.norm(Wh, 2))


class SpectralStudy(NamedTuple):
    """:func:`spectral_norms` for many random matrices at each spectral radius."""

    radii: tuple
    seeds: tuple  # one matrix per seed
    norms: dict  # radius -> (matrices, T), ||dL/dh_(T-k)|| for k = 0 .. T-1
    sigma_max: dict  # radius -> (matrices,), largest singular value of each W_hh
    factor_norms: dict  # radius -> (matrices, T), spectral norm of each step's Jacobian
    slope: dict  # radius -> (matrices,), mean tanh slope 1 - h_t**2 over units, steps, inputs


def _factors(radius, H, T, seed):
    """Spectral norms of the per-step Jacobians diag(1 - h_t^2) W_hh^T, averaged over the
    batch (T,), and the mean tanh slope, on :func:`spectral_norms`'s inputs."""
    Wh = scaled_recurrence(H, radius, seed)
    x, Wx = _spectral_setup(H, T, seed)
    h, _ = rnn_forward(x, np.zeros((x.shape[0], H)), Wx, Wh, np.zeros(H))
    slope = 1.0 - h**2  # (N, T, H)
    jacobians = slope[..., :, None] * Wh.T  # (N, T, H, H): row i scaled by the slope of unit i
    return np.linalg.norm(jacobians, 2, axis=(-2, -1)).mean(axis=0), float(slope.mean())


def spectral_study(radii=(0.8, 1.0, 1.2), seeds=range(20), H=32, T=60):
    """The gradient's decay for many random W_hh (one per seed) at each spectral radius.

    Examples
    --------
    >>> s = spectral_study(radii=(0.5,), seeds=(0, 1), H=4, T=5)
    >>> s.norms[0.5].shape, s.sigma_max[0.5].shape, s.factor_norms[0.5].shape
    ((2, 5), (2,), (2, 5))
    """
    seeds, radii = tuple(seeds), tuple(radii)
    norms, sigma, factors, slopes = {}, {}, {}, {}
    for r in radii:
        runs = [spectral_norms(r, H, T, s) for s in seeds]
        norms[r], sigma[r] = np.array([n for n, _ in runs]), np.array([g for _, g in runs])
        pairs = [_factors(r, H, T, s) for s in seeds]
        factors[r], slopes[r] = np.array([f for f, _ in pairs]), np.array([m for _, m in pairs])
    return SpectralStudy(radii, seeds, norms, sigma, factors, slopes)


def _tag(radius):
    """0.8 -> "08": a glue-safe name for a radius."""
    return f"{radius:.1f}".replace(".", "")


def spectral_facts(study, start=10):
    """The numbers chapter 5 quotes about a :class:`SpectralStudy`, by name.

    ``rate_<r>`` is the measured decay rate per step, the geometric mean of
    ``norms[k + 1] / norms[k]`` from ``k = start`` to the last step (median over
    matrices), and ``predicted_<r>`` is rho times the mean tanh slope (median).

    Examples
    --------
    >>> s = spectral_study(radii=(0.8,), seeds=(0, 1), H=4, T=20)
    >>> sorted(spectral_facts(s))[:3]
    ['factor_08_max', 'factor_08_min', 'final_08_max']
    """
    ratios = np.concatenate([study.sigma_max[r] / r for r in study.radii])
    facts = {"sigma_ratio_min": float(ratios.min()), "sigma_ratio_max": float(ratios.max())}
    for r in study.radii:
        norms, t = study.norms[r], _tag(r)
        steps = norms.shape[1] - 1 - start
        facts |= {
            f"factor_{t}_min": float(study.factor_norms[r].min()),
            f"factor_{t}_max": float(study.factor_norms[r].max()),
            f"rate_{t}": float(np.median((norms[:, -1] / norms[:, start]) ** (1 / steps))),
            f"predicted_{t}": float(np.median(r * study.slope[r])),
            f"slope_{t}": float(np.median(study.slope[r])),
            f"final_{t}_min": float(norms[:, -1].min()),
            f"final_{t}_max": float(norms[:, -1].max()),
            f"linear_{t}": float(r ** (norms.shape[1] - 1)),
        }
    return facts
