"""Autoregressive models ``x_t = phi_1 x_{t-1} + ... + phi_tau x_{t-tau} + phi_0 + noise``.

Fitting is ordinary least squares on the lagged windows of
``rnn_core.data.make_windows`` (column ``j`` is lag ``j + 1``, so ``coef[j]``
is ``phi_{j+1}``, and the intercept ``c`` is ``phi_0``). Prediction comes in three
flavours: one step ahead from true values, ``k`` steps ahead feeding back the
model's own predictions, and a free rollout. Bad input, a wrong type included,
raises ``ValueError`` naming the argument.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from numpy.typing import ArrayLike, NDArray

from rnn_core._checks import as_array, as_int, as_scalar, check_overflow
from rnn_core.data import make_windows

__all__ = [
    "ARModel",
    "fit_ar",
    "fit_direct",
    "forecast_k_step",
    "latent_states",
    "normal_equations",
    "predict_direct",
    "predict_one_step",
    "rollout",
    "select_tau",
]


class ARModel(NamedTuple):
    """An AR(tau) model: ``coef`` (tau,) with ``coef[j] = phi_{j+1}``, intercept ``c = phi_0``."""

    coef: np.ndarray
    c: float


def _check_bool(name, value):
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name}: expected a bool, got {value!r}")
    return bool(value)


def _check_model(model):
    """Return ``(coef, c)`` of a valid ARModel; coef has shape (tau,)."""
    if not isinstance(model, ARModel):
        raise ValueError(f"model: expected an ARModel, got {type(model).__name__}")
    return as_array("model.coef", model.coef, ("tau",)), as_scalar("model.c", model.c)


def _as_series(name, x, min_len, why):
    """Return ``x`` as a float64 array of shape (T,) with ``T >= min_len``."""
    x = as_array(name, x, ("T",))
    if x.shape[0] < min_len:
        raise ValueError(f"{name}: expected at least {min_len} values ({why}), got shape {x.shape}")
    return x


def _design(x, tau, intercept):
    """Validated least-squares problem: X (T - tau, tau [+ 1]) and y (T - tau,)."""
    tau = as_int("tau", tau, 1)
    intercept = _check_bool("intercept", intercept)
    n = tau + intercept  # unknowns; need at least as many equations T - tau
    x = _as_series("x", x, tau + n, f"T - tau rows >= {n} unknowns of AR({tau})")
    X, y = make_windows(x, tau)
    if intercept:
        X = np.column_stack([X, np.ones(X.shape[0])])  # intercept column last
    return X, y, intercept


def _finite(name, y, what):
    """Raise if a prediction overflowed, instead of returning inf or NaN."""
    if not np.all(np.isfinite(y)):
        raise ValueError(
            f"{name}: expected finite {what}, got overflow: the AR recursion overflowed "
            "float64 (explosive model?)"
        )
    return y


def _step(coef, c, lags):
    """One AR step; ``lags`` has shape (N, tau) with column j holding lag j + 1."""
    with np.errstate(over="ignore", invalid="ignore"):
        return np.ascontiguousarray(lags) @ coef + c


def fit_ar(x: ArrayLike, tau: int, intercept: bool = True) -> ARModel:
    """Least-squares fit of an AR(tau) model to one sequence.

    Minimises ``sum_t (x_t - sum_j coef[j] x_{t-1-j} - c)^2`` over
    ``t = tau, ..., T - 1`` with ``np.linalg.lstsq``. A rank-deficient design
    (e.g. a noise-free sine with ``tau > 2``) gets lstsq's minimum-norm solution.

    Parameters
    ----------
    x : array_like, shape (T,)
        Needs ``T - tau >= tau + intercept`` (at least as many equations as
        unknowns), i.e. ``T >= 2 tau + intercept``.
    tau : int
        Model order, ``tau >= 1``.
    intercept : bool
        Fit ``c``; if False, ``c = 0``.

    Returns
    -------
    ARModel

    Examples
    --------
    >>> model = fit_ar(2.0 ** np.arange(6), tau=1, intercept=False)  # x_t = 2 x_{t-1}
    >>> np.round(model.coef, 6), model.c
    (array([2.]), 0.0)
    """
    X, y, intercept = _design(x, tau, intercept)
    with np.errstate(over="ignore", invalid="ignore"):
        w = np.linalg.lstsq(X, y)[0]
    check_overflow("coef", w, "the least-squares solution: x too large or the fit degenerate")
    return ARModel(coef=w[: X.shape[1] - intercept], c=float(w[-1]) if intercept else 0.0)


def normal_equations(
    x: ArrayLike,
    tau: int,
    intercept: bool = True,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Normal equations ``(X^T X) w = X^T y`` of the AR(tau) least-squares problem.

    ``X`` is ``make_windows(x, tau)[0]`` with a column of ones appended last
    when ``intercept``; ``w = [coef, c]`` solves them, as ``fit_ar`` finds.

    Parameters
    ----------
    x : array_like, shape (T,)
        As for ``fit_ar``.
    tau : int
    intercept : bool

    Returns
    -------
    A : ndarray, shape (n, n)
        Gram matrix ``X^T X``, ``n = tau + intercept``.
    rhs : ndarray, shape (n,)
        ``X^T y``.

    Examples
    --------
    >>> x = np.array([1.0, 0.5, 0.3, 0.1, 0.2, -0.4])
    >>> A, rhs = normal_equations(x, tau=2)
    >>> w = np.linalg.solve(A, rhs)
    >>> model = fit_ar(x, tau=2)
    >>> bool(np.allclose(w, np.append(model.coef, model.c)))
    True
    """
    X, y, _ = _design(x, tau, intercept)
    with np.errstate(over="ignore", invalid="ignore"):
        A, rhs = X.T @ X, X.T @ y
    why = "sums of products of the values of x: x too large"
    return check_overflow("A", A, why), check_overflow("rhs", rhs, why)


def predict_one_step(model: ARModel, x: ArrayLike) -> NDArray[np.float64]:
    """Predict each ``x[t]``, ``t >= tau``, from the true values ``x[t - tau : t]``.

    Parameters
    ----------
    model : ARModel
    x : array_like, shape (T,)
        ``T > tau``.

    Returns
    -------
    ndarray, shape (T - tau,)
        Aligned with ``x[tau:]``.

    Examples
    --------
    >>> model = ARModel(coef=np.array([1.0, -0.5]), c=1.0)
    >>> predict_one_step(model, [1.0, 2.0, 3.0, 4.0])  # x_t = x_{t-1} - x_{t-2} / 2 + 1
    array([2.5, 3. ])
    """
    coef, c = _check_model(model)
    x = _as_series("x", x, coef.shape[0] + 1, f"more than tau = {coef.shape[0]}")
    return _finite("model", _step(coef, c, make_windows(x, coef.shape[0])[0]), "prediction")


def forecast_k_step(
    model: ARModel,
    x: ArrayLike,
    k: int,
) -> NDArray[np.float64]:
    """``k``-step-ahead predictions, each fed by ``k - 1`` of the model's own predictions.

    For every target ``t = tau + k - 1, ..., T - 1`` the model starts from the
    true values ``x[t - k - tau + 1 : t - k + 1]`` and iterates ``k`` times.
    All start points advance together: the loop is over the ``k`` steps only.

    Parameters
    ----------
    model : ARModel
    x : array_like, shape (T,)
        ``T > tau``.
    k : int
        Horizon, ``1 <= k <= T - tau``.

    Returns
    -------
    ndarray, shape (T - tau - k + 1,)
        Aligned with ``x[tau + k - 1:]``; ``k = 1`` gives ``predict_one_step``.

    Examples
    --------
    >>> model = ARModel(coef=np.array([1.0]), c=1.0)  # x_t = x_{t-1} + 1
    >>> forecast_k_step(model, [0.0, 10.0, 20.0, 30.0], k=2)
    array([ 2., 12.])
    """
    coef, c = _check_model(model)
    tau = coef.shape[0]
    x = _as_series("x", x, tau + 1, f"more than tau = {tau}")
    k = as_int("k", k, 1, x.shape[0] - tau)
    n = x.shape[0] - tau - k + 1  # number of start points
    buf = np.empty((n, tau + k))  # row i: x[i : i + tau], then k predictions
    buf[:, :tau] = sliding_window_view(x, tau)[:n]
    for s in range(k):
        # Columns s .. s + tau - 1 hold the last tau values in time order; reverse to lag order.
        buf[:, tau + s] = _step(coef, c, buf[:, s : s + tau][:, ::-1])
    return _finite("model", buf[:, -1].copy(), f"{k}-step forecast")


def rollout(
    model: ARModel,
    history: ArrayLike,
    steps: int,
) -> NDArray[np.float64]:
    """Free-running prediction: iterate the model ``steps`` times from the end of ``history``.

    Parameters
    ----------
    model : ARModel
    history : array_like, shape (T,)
        ``T >= tau``; only its last ``tau`` values are used.
    steps : int
        Number of predicted values, ``steps >= 1``.

    Returns
    -------
    ndarray, shape (steps,)

    Examples
    --------
    >>> model = ARModel(coef=np.array([0.5]), c=0.0)
    >>> rollout(model, [3.0, 8.0], steps=3)
    array([4., 2., 1.])
    """
    coef, c = _check_model(model)
    tau = coef.shape[0]
    history = _as_series("history", history, tau, f"tau = {tau} values of context")
    steps = as_int("steps", steps, 1)
    buf = np.concatenate([history[-tau:], np.empty(steps)])
    for s in range(steps):
        buf[tau + s] = _step(coef, c, buf[None, s : s + tau][:, ::-1])[0]
    return _finite("model", buf[tau:], "rollout")


def _direct_design(x, tau, k):
    """Rows ``[x_{t-k}, ..., x_{t-k-tau+1}, 1]`` and targets ``x_t``, t = k + tau - 1 ..."""
    X, y = make_windows(x, tau + k - 1)  # column j holds lag j + 1
    return np.column_stack([X[:, k - 1 :], np.ones(X.shape[0])]), y


def fit_direct(x: ArrayLike, tau: int, k: int) -> ARModel:
    """Direct ``k``-step regression: least squares of ``x_t`` on ``x_{t-k} .. x_{t-k-tau+1}``.

    Instead of iterating a one-step model ``k`` times, fit one model per horizon
    to the quantity that is wanted. ``coef[j]`` multiplies lag ``k + j``.

    Parameters
    ----------
    x : array_like, shape (T,)
        Needs ``T - tau - k + 1 >= tau + 1`` equations.
    tau : int
        Number of lagged values, >= 1.
    k : int
        Horizon, >= 1; ``k = 1`` is ``fit_ar``.

    Returns
    -------
    ARModel

    Examples
    --------
    >>> x = 3.0 ** np.arange(8)  # x_t = 9 x_{t-2}
    >>> model = fit_direct(x, tau=1, k=2)
    >>> np.round(model.coef, 6), abs(model.c) < 1e-6  # c is 0 or -0 by rounding
    (array([9.]), True)
    """
    tau, k = as_int("tau", tau, 1), as_int("k", k, 1)
    x = _as_series("x", x, 2 * tau + k, f"T - tau - k + 1 rows >= {tau + 1} unknowns")
    X, y = _direct_design(x, tau, k)
    w = np.linalg.lstsq(X, y)[0]
    return ARModel(coef=w[:-1], c=float(w[-1]))


def predict_direct(
    model: ARModel,
    x: ArrayLike,
    k: int,
) -> NDArray[np.float64]:
    """The direct ``k``-step predictions of ``model`` (from ``fit_direct``) for ``x``.

    Parameters
    ----------
    model : ARModel
        From ``fit_direct`` with the same ``k``; ``tau`` is ``len(model.coef)``.
    x : array_like, shape (T,)
        At least ``tau + k`` values.
    k : int
        Horizon, >= 1.

    Returns
    -------
    ndarray, shape (T - tau - k + 1,)
        Aligned with ``x[tau + k - 1:]``, as ``forecast_k_step``'s.

    Examples
    --------
    >>> predict_direct(ARModel(np.array([9.0]), 0.0), [1.0, 3.0, 9.0, 27.0], k=2)
    array([ 9., 27.])
    """
    coef, c = _check_model(model)
    tau, k = coef.shape[0], as_int("k", k, 1)
    x = _as_series("x", x, tau + k, f"at least tau + k = {tau + k} values")
    X, _ = _direct_design(x, tau, k)
    return _finite("model", _step(np.append(coef, c), 0.0, X), "direct forecast")


def select_tau(
    x_train: ArrayLike,
    x_valid: ArrayLike,
    taus: Sequence[int],
    intercept: bool = True,
) -> NDArray[np.float64]:
    """Validation one-step MSE of an AR(tau) model fitted on ``x_train``, for each tau.

    The validation predictions use the last ``tau`` values of ``x_train`` as
    context, so every ``tau`` is scored on the same targets: all of ``x_valid``.

    Parameters
    ----------
    x_train : array_like, shape (T_train,)
        ``T_train >= 2 tau + intercept`` for every tau (see ``fit_ar``).
    x_valid : array_like, shape (T_valid,)
    taus : sequence of int, shape (m,)
        Non-empty; each ``>= 1``.
    intercept : bool

    Returns
    -------
    mse : ndarray, shape (m,)
        ``mse[i]`` is the mean squared one-step error on ``x_valid`` for ``taus[i]``.

    Examples
    --------
    >>> from rnn_core.data import sine_with_noise
    >>> _, x = sine_with_noise(T=1000)
    >>> mse = select_tau(x[:600], x[600:], [1, 4, 16])
    >>> bool(mse[1] < mse[0])
    True
    """
    intercept = _check_bool("intercept", intercept)
    x_train = _as_series("x_train", x_train, 2 + intercept, "enough to fit AR(1)")
    x_valid = as_array("x_valid", x_valid, ("T_valid",))
    if np.ndim(taus) != 1 or len(taus) == 0:  # no np.asarray: it would turn [1, 2.0] into floats
        raise ValueError(f"taus: expected a non-empty 1-d sequence of int, got {taus!r}")
    tau_max = (x_train.shape[0] - intercept) // 2  # fit_ar needs T >= 2 tau + intercept
    mse = np.empty(len(taus))
    for i, tau in enumerate(taus):
        tau = as_int(f"taus[{i}]", tau, 1, tau_max)
        model = fit_ar(x_train, tau, intercept)
        err = predict_one_step(model, np.concatenate([x_train[-tau:], x_valid])) - x_valid
        with np.errstate(over="ignore"):
            mse[i] = np.mean(err**2)
    return check_overflow(
        "mse", mse, "the mean squared one-step error: x_train or x_valid too large"
    )


def latent_states(
    x: ArrayLike,
    lam: float,
    h0: float = 0.0,
) -> NDArray[np.float64]:
    """A hand-built latent autoregressive model: ``h_t = lam h_{t-1} + (1 - lam) x_{t-1}``.

    The state ``h_t`` summarises ``x_1 .. x_{t-1}`` in one number, an exponential
    moving average, and ``x_t`` is predicted as ``h_t``. An RNN learns the update
    ``g(h_{t-1}, x_{t-1})`` instead of fixing it; the indexing is the same.

    Parameters
    ----------
    x : array_like, shape (T,)
        ``x[t]`` holds ``x_{t+1}`` (arrays are 0-based).
    lam : float
        Memory, ``0 <= lam < 1``: the weight of the old summary.
    h0 : float
        The summary of an empty past.

    Returns
    -------
    h : ndarray, shape (T,)
        ``h[t]`` depends on ``x[:t]`` only, so it is a fair prediction of ``x[t]``.

    Examples
    --------
    >>> latent_states([1.0, 1.0, 1.0], lam=0.5)
    array([0.  , 0.5 , 0.75])
    """
    x = _as_series("x", x, 1, "at least one value")
    lam = as_scalar("lam", lam)
    if not 0.0 <= lam < 1.0:
        raise ValueError(f"lam: expected a value in [0, 1), got {lam!r}")
    h = np.empty_like(x)
    h[0] = as_scalar("h0", h0)
    for t in range(1, x.shape[0]):
        h[t] = lam * h[t - 1] + (1.0 - lam) * x[t - 1]  # x[t] itself is not used: no leak
    return h
