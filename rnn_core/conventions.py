"""The one cell in the three notations a reader meets.

The book writes a batch of inputs as rows, ``h_t = tanh(x_t Wx + h_{t-1} Wh + b)``
with ``x_t`` of shape ``(N, D)``. Lecture notes often write one example as a
column, ``h_t = tanh(W_x x_t + W_h h_{t-1} + b)`` with ``W_x`` of shape ``(H, D)``,
and PyTorch's ``nn.RNN`` stores ``weight_ih`` ``(H, D)``, ``weight_hh`` ``(H, H)``
and two biases, computing ``tanh(x W_ih^T + b_ih + h W_hh^T + b_hh)``. The
functions here translate between them so that a chapter can show all three
agree on the same numbers.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._checks import as_array

__all__ = ["column_step", "from_torch"]


def column_step(
    x: ArrayLike,
    h_prev: ArrayLike,
    W_x: ArrayLike,
    W_h: ArrayLike,
    b: ArrayLike,
) -> NDArray[np.float64]:
    """One step in column-vector notation, for a single example.

    Parameters
    ----------
    x : ndarray, shape (D, 1)
    h_prev : ndarray, shape (H, 1)
    W_x : ndarray, shape (H, D)
        Equal to ``Wx.T`` in the book's notation.
    W_h : ndarray, shape (H, H)
        Equal to ``Wh.T`` in the book's notation.
    b : ndarray, shape (H, 1)

    Returns
    -------
    h : ndarray, shape (H, 1)
        ``tanh(W_x @ x + W_h @ h_prev + b)``.

    Examples
    --------
    >>> column_step(np.ones((2, 1)), np.zeros((1, 1)), np.array([[0.5, 0.25]]),
    ...             np.eye(1), np.zeros((1, 1))).round(4)
    array([[0.6351]])
    """
    sizes = {}
    x = as_array("x", x, ("D", 1), sizes)
    h_prev = as_array("h_prev", h_prev, ("H", 1), sizes)
    W_x = as_array("W_x", W_x, ("H", "D"), sizes)
    W_h = as_array("W_h", W_h, ("H", "H"), sizes)
    b = as_array("b", b, ("H", 1), sizes)
    return np.tanh(W_x @ x + W_h @ h_prev + b)


def from_torch(
    weight_ih: ArrayLike,
    weight_hh: ArrayLike,
    bias_ih: ArrayLike,
    bias_hh: ArrayLike,
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Convert ``nn.RNN`` parameters (as arrays) to the book's ``Wx, Wh, b``.

    Parameters
    ----------
    weight_ih : ndarray, shape (H, D)
    weight_hh : ndarray, shape (H, H)
    bias_ih, bias_hh : ndarray, shape (H,)

    Returns
    -------
    Wx : ndarray, shape (D, H)
        ``weight_ih.T``.
    Wh : ndarray, shape (H, H)
        ``weight_hh.T``: PyTorch's ``W_hh`` is the transpose of the book's.
    b : ndarray, shape (H,)
        ``bias_ih + bias_hh``: two biases added at the same place act as one.

    Examples
    --------
    >>> Wx, Wh, b = from_torch(np.ones((3, 2)), np.eye(3), np.ones(3), np.ones(3))
    >>> Wx.shape, b
    ((2, 3), array([2., 2., 2.]))
    """
    sizes = {}
    weight_ih = as_array("weight_ih", weight_ih, ("H", "D"), sizes)
    weight_hh = as_array("weight_hh", weight_hh, ("H", "H"), sizes)
    bias_ih = as_array("bias_ih", bias_ih, ("H",), sizes)
    bias_hh = as_array("bias_hh", bias_hh, ("H",), sizes)
    return weight_ih.T.copy(), weight_hh.T.copy(), bias_ih + bias_hh
