"""The two sides of the rnn_fwd_bwd cases: rnn_core and torch.nn.RNN on the same float64 inputs.

Shared by ``run.py`` (timing) and ``peak_memory.py`` (one run in a fresh process).
"""

import numpy as np

import rnn_core


def make_inputs(N, T, D, H, seed=0):
    """Inputs, weights and an upstream gradient ``dh`` on every state, all float64."""
    rng = np.random.default_rng(seed)
    x, h0 = rng.standard_normal((N, T, D)), rng.standard_normal((N, H))
    Wx, Wh = rng.standard_normal((D, H)) / np.sqrt(D), rng.standard_normal((H, H)) / np.sqrt(H)
    b, dh = 0.1 * rng.standard_normal(H), rng.standard_normal((N, T, H))
    return x, h0, Wx, Wh, b, dh


def ours(x, h0, Wx, Wh, b, dh):
    """``fn()`` running rnn_forward + rnn_backward; returns (h, dx, dh0, dWx, dWh, db)."""

    def fn():
        h, cache = rnn_core.rnn_forward(x, h0, Wx, Wh, b)
        return (h, *rnn_core.rnn_backward(dh, cache))

    return fn


def theirs(x, h0, Wx, Wh, b, dh, threads):
    """The same computation with ``torch.nn.RNN`` (tanh, batch_first, float64), same weights.

    Gradients are taken with respect to everything ours returns: ``x``, ``h0`` and the
    weights. Returns ``fn()`` giving (h, dx, dh0, dWx, dWh, db) as numpy arrays.
    """
    import torch

    torch.set_num_threads(threads)
    D, H = Wx.shape
    rnn = torch.nn.RNN(D, H, nonlinearity="tanh", batch_first=True, dtype=torch.float64)
    with torch.no_grad():  # torch stores W^T (H, D) and two biases; ours is x Wx + h Wh + b
        rnn.weight_ih_l0.copy_(torch.from_numpy(Wx.T.copy()))
        rnn.weight_hh_l0.copy_(torch.from_numpy(Wh.T.copy()))
        rnn.bias_ih_l0.copy_(torch.from_numpy(b))
        rnn.bias_hh_l0.zero_()
    xt, h0t, dht = torch.from_numpy(x), torch.from_numpy(h0[None]), torch.from_numpy(dh)

    def fn():
        rnn.zero_grad(set_to_none=True)  # no accumulation into old .grad
        xg, h0g = xt.detach().requires_grad_(True), h0t.detach().requires_grad_(True)
        h, _ = rnn(xg, h0g)
        h.backward(dht)
        return (
            h,
            xg.grad,
            h0g.grad[0],
            rnn.weight_ih_l0.grad.T,
            rnn.weight_hh_l0.grad.T,
            rnn.bias_ih_l0.grad,
        )

    return fn


def check_agree(a, b, rtol=1e-9):
    """Both sides computed the same numbers (else the timing compares different work)."""
    names = ("h", "dx", "dh0", "dWx", "dWh", "db")
    for name, u, v in zip(names, a, b):
        v = v.detach().numpy() if hasattr(v, "detach") else v
        scale = np.abs(u).max()
        err = np.abs(u - v).max() / scale
        if not err <= rtol:
            raise AssertionError(f"rnn_core and torch disagree on {name}: rel. error {err:.2e}")
