"""Runnable toys of the four input/output shapes of an RNN, and a recursive (tree) network.

One tanh RNN (``cell.rnn_forward``) and one output layer
(``layers.temporal_affine_forward``) arranged four ways:

* ``one_to_many``    (N, D)       -> (N, T, V)      image captioning
* ``many_to_one``    (N, T, D)    -> (N, V)         sentiment of a sentence
* ``many_to_many``   (N, T, D)    -> (N, T, V)      tagging, one label per input
* ``encoder_decoder`` (N, T_in, D) -> (N, T_out, V)  translation

They are untrained: random parameters from ``init_architecture_params`` are
enough to show what goes in and what comes out. Where a model generates, it
decodes greedily: the most likely token of step ``t`` is embedded with ``E``
and fed back as the input of step ``t + 1``. ``recursive_forward`` runs the same
kind of cell over a tree instead of a chain. Bad input raises ``ValueError``
naming the argument.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from rnn_core._checks import as_array, as_int, as_params, check_overflow
from rnn_core._typing import Params
from rnn_core.cell import rnn_forward, rnn_step_forward
from rnn_core.layers import embedding_forward, temporal_affine_forward

__all__ = [
    "TreeResult",
    "bidirectional_forward",
    "encoder_decoder",
    "init_architecture_params",
    "left_leaning_tree",
    "many_to_many",
    "many_to_one",
    "one_to_many",
    "recursive_forward",
    "stacked_forward",
]

BOS = 0  # id of the start-of-sequence token that opens the decoder of encoder_decoder

_SPECS = {
    "E": ("V", "D"),  # embeds a fed-back token id as the next input
    "Wx": ("D", "H"),  # the RNN (the encoder in encoder_decoder)
    "Wh": ("H", "H"),
    "b": ("H",),
    "Wy": ("H", "V"),  # output layer, shared by every toy
    "by": ("V",),
    "Wx_dec": ("D", "H"),  # the decoder of encoder_decoder
    "Wh_dec": ("H", "H"),
    "b_dec": ("H",),
}


class TreeResult(NamedTuple):
    """Output of ``recursive_forward``."""

    root: np.ndarray  # (H,)
    nodes: list  # internal node vectors, each (H,), in post-order (root last)


def _check_params(params, keys, sizes):
    """Validate ``params[key]`` for each needed key against the sizes fixed so far."""
    return as_params("params", params, {k: _SPECS[k] for k in keys}, sizes)


def init_architecture_params(
    D: int,
    H: int,
    V: int,
    seed: int = 0,
) -> Params:
    """Random parameters for every toy of this module.

    Weights are Gaussian with variance 1 / fan-in and the biases zero, as in
    ``lm.init_lm``; the embedding ``E`` has unit-variance entries.

    Parameters
    ----------
    D, H, V : int
        Input size, hidden size and number of outputs (vocabulary), each >= 1.
    seed : int
        Seed for ``np.random.default_rng``.

    Returns
    -------
    params : dict of str to ndarray
        ``E`` (V, D); ``Wx`` (D, H), ``Wh`` (H, H), ``b`` (H,) for the RNN or
        encoder; ``Wy`` (H, V), ``by`` (V,) for the output layer; ``Wx_dec``,
        ``Wh_dec``, ``b_dec`` for the decoder of ``encoder_decoder``.

    Examples
    --------
    >>> params = init_architecture_params(D=3, H=4, V=5)
    >>> params["Wx"].shape, params["Wh_dec"].shape, params["Wy"].shape
    ((3, 4), (4, 4), (4, 5))
    """
    D, H, V = as_int("D", D, 1), as_int("H", H, 1), as_int("V", V, 1)
    rng = np.random.default_rng(as_int("seed", seed, 0))
    n = {"V": V, "D": D, "H": H}
    params = {}
    for name, spec in _SPECS.items():
        shape = tuple(n[s] for s in spec)
        if len(shape) == 1:
            params[name] = np.zeros(shape)  # biases
        else:  # E's rows are looked up, not summed over: unit variance
            scale = 1.0 if name == "E" else 1.0 / np.sqrt(shape[0])
            params[name] = scale * rng.standard_normal(shape)
    return params


def _greedy_decode(x, h, Wx, Wh, b, p, T):
    """Run ``T`` RNN steps from input ``x`` (N, D) and state ``h`` (N, H), feeding back argmax."""
    ys = []
    for _ in range(T):
        h, _ = rnn_step_forward(x, h, Wx, Wh, b)  # (N, H)
        y = temporal_affine_forward(h[:, None], p["Wy"], p["by"])[0][:, 0]  # (N, V)
        ys.append(y)
        x = embedding_forward(y.argmax(axis=1)[:, None], p["E"])[0][:, 0]  # (N, D)
    return np.stack(ys, axis=1)  # (N, T, V)


def one_to_many(
    x0: ArrayLike,
    params: dict[str, np.ndarray],
    T: int,
) -> NDArray[np.float64]:
    """One input vector in, a sequence of ``T`` output distributions out (captioning).

    ``x0`` (say, an image's feature vector) is the input of the first step,
    from a zero state, as in Show and Tell (Vinyals et al., 2015). Every later
    input is the embedding ``E[argmax y_t]`` of the previous step's most likely
    token (greedy decoding), so the sequence is generated, not read.

    Parameters
    ----------
    x0 : ndarray, shape (N, D)
    params : dict
        Needs ``E``, ``Wx``, ``Wh``, ``b``, ``Wy``, ``by``.
    T : int
        Number of output steps, >= 1.

    Returns
    -------
    y : ndarray, shape (N, T, V)
        Output logits at every step.

    Examples
    --------
    >>> params = init_architecture_params(D=3, H=4, V=5)
    >>> one_to_many(np.ones((2, 3)), params, T=6).shape
    (2, 6, 5)
    """
    sizes = {}
    x0 = as_array("x0", x0, ("N", "D"), sizes)
    p = _check_params(params, ("E", "Wx", "Wh", "b", "Wy", "by"), sizes)
    T = as_int("T", T, 1)
    h0 = np.zeros((sizes["N"], sizes["H"]))
    return _greedy_decode(x0, h0, p["Wx"], p["Wh"], p["b"], p, T)


def _encode(x, params, keys):
    """Validate and run the RNN over ``x`` (N, T, D) from a zero state; states (N, T, H)."""
    sizes = {}
    x = as_array("x", x, ("N", "T", "D"), sizes)
    p = _check_params(params, keys, sizes)
    h, _ = rnn_forward(x, np.zeros((sizes["N"], sizes["H"])), p["Wx"], p["Wh"], p["b"])
    return h, p


def many_to_one(
    x: ArrayLike,
    params: dict[str, np.ndarray],
) -> NDArray[np.float64]:
    """A sequence in, one output distribution out, read off the last state (sentiment).

    Parameters
    ----------
    x : ndarray, shape (N, T, D)
    params : dict
        Needs ``Wx``, ``Wh``, ``b``, ``Wy``, ``by``.

    Returns
    -------
    y : ndarray, shape (N, V)
        ``h_T Wy + by``.

    Examples
    --------
    >>> params = init_architecture_params(D=3, H=4, V=2)
    >>> many_to_one(np.ones((2, 7, 3)), params).shape
    (2, 2)
    """
    h, p = _encode(x, params, ("Wx", "Wh", "b", "Wy", "by"))
    return temporal_affine_forward(h[:, -1:], p["Wy"], p["by"])[0][:, 0]


def many_to_many(
    x: ArrayLike,
    params: dict[str, np.ndarray],
) -> NDArray[np.float64]:
    """A sequence in, one output distribution per input step out, aligned (tagging).

    Parameters
    ----------
    x : ndarray, shape (N, T, D)
    params : dict
        Needs ``Wx``, ``Wh``, ``b``, ``Wy``, ``by``.

    Returns
    -------
    y : ndarray, shape (N, T, V)
        ``y[:, t] = h_t Wy + by``.

    Examples
    --------
    >>> params = init_architecture_params(D=3, H=4, V=5)
    >>> many_to_many(np.ones((2, 7, 3)), params).shape
    (2, 7, 5)
    """
    h, p = _encode(x, params, ("Wx", "Wh", "b", "Wy", "by"))
    return temporal_affine_forward(h, p["Wy"], p["by"])[0]


def encoder_decoder(
    x: ArrayLike,
    params: dict[str, np.ndarray],
    T_out: int,
) -> NDArray[np.float64]:
    """A sequence in, a sequence of another length out (translation).

    The encoder (``Wx``, ``Wh``, ``b``) reads ``x`` from a zero state; its last
    state ``h_T_in`` is the decoder's initial state, the only path from input
    to output. The decoder (``Wx_dec``, ``Wh_dec``, ``b_dec``) starts from the
    embedding of the start token ``BOS = 0`` and feeds back its most likely
    token at every step (greedy decoding), like ``one_to_many``.

    Parameters
    ----------
    x : ndarray, shape (N, T_in, D)
    params : dict
        As from ``init_architecture_params``.
    T_out : int
        Number of output steps, >= 1.

    Returns
    -------
    y : ndarray, shape (N, T_out, V)

    Examples
    --------
    >>> params = init_architecture_params(D=3, H=4, V=5)
    >>> encoder_decoder(np.ones((2, 7, 3)), params, T_out=4).shape
    (2, 4, 5)
    """
    h, p = _encode(x, params, tuple(_SPECS))
    T_out = as_int("T_out", T_out, 1)
    bos = np.full((h.shape[0], 1), BOS)
    x_dec = embedding_forward(bos, p["E"])[0][:, 0]  # (N, D)
    return _greedy_decode(x_dec, h[:, -1], p["Wx_dec"], p["Wh_dec"], p["b_dec"], p, T_out)


def stacked_forward(
    x: ArrayLike,
    layers: Sequence[tuple[ArrayLike, ArrayLike, ArrayLike]],
) -> list[NDArray[np.float64]]:
    """A stacked (deep) RNN: the states of each layer are the inputs of the next.

    Parameters
    ----------
    x : ndarray, shape (N, T, D)
    layers : sequence of (Wx, Wh, b)
        Layer ``l`` has ``Wx`` of shape (input size, H_l), ``Wh`` (H_l, H_l) and ``b``
        (H_l,); the input size of layer 0 is ``D``, of layer ``l > 0`` it is
        ``H_(l-1)``. Each layer starts from a zero state.

    Returns
    -------
    states : list of ndarray
        ``states[l]`` has shape (N, T, H_l); the last is what an output layer reads.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> layers = [(rng.standard_normal((3, 4)), np.eye(4), np.zeros(4)),
    ...           (rng.standard_normal((4, 2)), np.eye(2), np.zeros(2))]
    >>> [h.shape for h in stacked_forward(np.ones((5, 6, 3)), layers)]
    [(5, 6, 4), (5, 6, 2)]
    """
    inputs = as_array("x", x, ("N", "T", "D"))
    if isinstance(layers, (str, bytes, dict)) or not isinstance(layers, (list, tuple)):
        raise ValueError(f"layers: expected a list of (Wx, Wh, b), got {type(layers).__name__}")
    if not layers:
        raise ValueError("layers: expected at least one layer, got none")
    states = []
    for i, layer in enumerate(layers):
        inputs = _layer_states(f"layers[{i}]", inputs, layer)
        states.append(inputs)
    return states


def _layer_states(name, x, layer):
    """States (N, T, H) of one tanh layer ``(Wx, Wh, b)`` over a validated ``x`` from zero.

    The layer's arrays are named ``name.Wx``, ``name.Wh`` and ``name.b`` in errors.
    """
    if not isinstance(layer, (list, tuple)) or len(layer) != 3:
        got = f"{len(layer)} arrays" if isinstance(layer, (list, tuple)) else type(layer).__name__
        raise ValueError(f"{name}: expected (Wx, Wh, b), got {got}")
    sizes = {"D": x.shape[-1]}
    Wh = as_array(f"{name}.Wh", layer[1], ("H", "H"), sizes)
    Wx = as_array(f"{name}.Wx", layer[0], ("D", "H"), sizes)
    b = as_array(f"{name}.b", layer[2], ("H",), sizes)
    return rnn_forward(x, np.zeros((x.shape[0], sizes["H"])), Wx, Wh, b)[0]


def bidirectional_forward(
    x: ArrayLike,
    forward: tuple[ArrayLike, ArrayLike, ArrayLike],
    backward: tuple[ArrayLike, ArrayLike, ArrayLike],
) -> NDArray[np.float64]:
    """A bidirectional RNN: one cell reads the sequence left to right, another right to left.

    At every step the two states are concatenated, so the output at step ``t`` can
    depend on the whole sequence, past and future: useful for tagging a given
    sentence, impossible for forecasting it.

    Parameters
    ----------
    x : ndarray, shape (N, T, D)
    forward, backward : (Wx, Wh, b)
        The two cells' weights, as for ``rnn_forward``; both start from zero.

    Returns
    -------
    ndarray, shape (N, T, H_forward + H_backward)
        ``[:, t]`` joins the forward state after ``x_1 .. x_t`` and the backward
        state after ``x_T .. x_t``.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> cell = (rng.standard_normal((2, 3)), 0.5 * np.eye(3), np.zeros(3))
    >>> bidirectional_forward(np.ones((4, 5, 2)), cell, cell).shape
    (4, 5, 6)
    """
    x = as_array("x", x, ("N", "T", "D"))
    ahead = _layer_states("forward", x, forward)
    behind = _layer_states("backward", np.ascontiguousarray(x[:, ::-1]), backward)[:, ::-1]
    return np.concatenate([ahead, behind], axis=-1)


def _check_leaf(tree, L):
    """Raise unless ``tree``, which is not a pair, is a leaf index in [0, L)."""
    if (
        isinstance(tree, (bool, np.bool_))
        or not isinstance(tree, numbers.Integral)
        or not (0 <= tree < L)
    ):
        raise ValueError(
            f"tree: expected nested 2-tuples of leaf indices in [0, {L - 1}], got subtree {tree!r}"
        )


def _is_pair(tree):
    return isinstance(tree, tuple) and len(tree) == 2


def _forward_tree(tree, leaves, W, b):
    """Vector of ``tree`` and its internal nodes in post-order, without Python recursion.

    An explicit stack stands in for the call stack, so a tree as deep as its
    number of leaves (a chain of 10,000) is fine. Each pair is visited twice:
    first to push its children (right below left, so the left is done first),
    then, once both child vectors are on ``values``, to combine them. Every
    leaf is checked before it is used.
    """
    nodes, values, stack = [], [], [(tree, False)]
    while stack:
        subtree, children_done = stack.pop()
        if not _is_pair(subtree):
            _check_leaf(subtree, leaves.shape[0])
            values.append(leaves[subtree])  # (H,)
        elif children_done:
            right, left = values.pop(), values.pop()
            h = np.tanh(np.concatenate([left, right]) @ W + b)  # (2H,) @ (2H, H) -> (H,)
            nodes.append(h)
            values.append(h)
        else:
            stack += [(subtree, True), (subtree[1], False), (subtree[0], False)]
    return values.pop(), nodes


def recursive_forward(
    tree: int | tuple,
    leaves: ArrayLike,
    W: ArrayLike,
    b: ArrayLike,
) -> TreeResult:
    """A recursive neural network: one shared layer applied at every node of a binary tree.

    Each internal node combines its children as ``h = tanh([h_left, h_right] W + b)``.
    Splitting ``W`` into its top half ``W[:H]`` (acting on the left child) and
    bottom half ``W[H:]`` (right child) shows the recurrent cell inside: on the
    left-leaning tree ``(((0, 1), 2), 3)`` the node vectors are exactly the
    states of an RNN with ``h0 = leaves[0]``, inputs ``leaves[1:]``,
    ``Wh = W[:H]`` and ``Wx = W[H:]``. A recurrent network is the recursive
    network of a chain.

    Parameters
    ----------
    tree : int or tuple
        A leaf index, or a pair ``(left, right)`` of trees, e.g. ``((0, 1), (2, 3))``.
    leaves : ndarray, shape (L, H)
        Leaf vectors, one row per index.
    W : ndarray, shape (2H, H)
    b : ndarray, shape (H,)

    Returns
    -------
    TreeResult
        ``root`` (H,) and ``nodes``, the internal node vectors in post-order
        (each node after its children; the root last). A bare leaf index has no
        internal nodes and is its own root.

    Examples
    --------
    >>> res = recursive_forward(((0, 1), (2, 3)), np.ones((4, 2)), np.ones((4, 2)), np.zeros(2))
    >>> res.root.shape, len(res.nodes)
    ((2,), 3)
    """
    sizes = {}
    leaves = as_array("leaves", leaves, ("L", "H"), sizes)
    W = as_array("W", W, (2 * sizes["H"], "H"), sizes)
    b = as_array("b", b, ("H",), sizes)
    root, nodes = _forward_tree(tree, leaves, W, b)
    check_overflow("root", root, "tanh's input added +inf and -inf: leaves or W too large")
    return TreeResult(root, nodes)


def left_leaning_tree(L: int) -> int | tuple:
    """The chain-shaped tree ``((...((0, 1), 2), ...), L - 1)`` over ``L`` leaves.

    Examples
    --------
    >>> left_leaning_tree(4)
    (((0, 1), 2), 3)
    """
    tree = 0
    for i in range(1, as_int("L", L, 1)):
        tree = (tree, i)
    return tree
