"""The bound on the large RNN case, measured on the machine that runs it.

rnn_core's forward + backward at (N, T, D, H) = LARGE does 6 N T (D H + H H) flops in
six kinds of matrix product, plus elementwise work. Two parts of it cannot run faster
than numpy runs them, however the code is arranged:

- ``np.tanh`` over all N T H pre-activations (numpy's float64 tanh is scalar libm code on
  most machines, and the tanh of step t must finish before step t + 1 starts);
- the 2T recurrent products (N, H) x (H, H): T in the forward pass (h_{t-1} Wh) and T in
  the backward pass (delta_t Wh^T, the last one giving dh0). Each waits for the one
  before, so each is a small GEMM on its own, and the best an implementation can do is
  run them at whichever thread count is fastest for that size.

Everything else is four large products over all N T rows at once (x Wx, dWh, dWx, dx),
which at best run at the machine's GEMM peak. The bound is

    tanh time + recurrent time (best of 1 thread and all threads) + other flops / peak,

with every elementwise operation (bias, 1 - h**2, the products with it, the sums of
upstream gradients, db), every copy and all Python overhead counted as free. It is a
bound on this algorithm with numpy's kernels, not on the machine: a fused compiled
kernel could beat it. ``rnn_large_bound_ratio`` = rnn_core's time / the bound.
"""

import blas
import numpy as np
import rnn_sides

import rnn_core

LARGE = (32, 200, 128, 128)


def flops(N, T, D, H):
    """(recurrent, other) flops of one forward + backward pass; their sum is 6 N T (DH + HH).

    recurrent: 2T products (N, H) x (H, H), 2 N H H flops each. other: x Wx, dWx and dx
    (2 N T D H each) and dWh (2 N T H H).
    """
    return 2 * T * 2 * N * H * H, 2 * N * T * (3 * D * H + H * H)


def gemm(n=2048):
    """A large float64 matrix product (the machine's GEMM peak) and its flop count."""
    a = np.random.default_rng(0).standard_normal((n, n))
    out = np.empty_like(a)
    return (lambda: np.matmul(a, a, out=out)), 2 * n**3


def parts(N, T, D, H):
    """Calls timing the bound's serial parts: {"tanh": fn, "recurrent_1thread": fn, ...}.

    ``tanh``: ``np.tanh`` over the forward's N*T*H pre-activations, into a buffer.
    ``recurrent_<n>``: the 2T recurrent products on the forward's states, T with ``Wh``
    and T with a contiguous copy of ``Wh.T`` (as the backward pass uses it: OpenBLAS
    multiplies by the transposed view more slowly), each into a
    reused (N, H) buffer, on 1 thread and on all of OpenBLAS's threads. If no OpenBLAS
    is found (another BLAS) only the default thread count is timed, as "recurrent_default".
    """
    x, h0, Wx, Wh, b, _ = rnn_sides.make_inputs(N, T, D, H)
    h, _ = rnn_core.rnn_forward(x, h0, Wx, Wh, b)
    pre = np.arctanh(np.clip(h, -1 + 1e-15, 1 - 1e-15))  # the forward's pre-activations
    out, rec = np.empty_like(pre), np.empty_like(h0)

    WhT = np.ascontiguousarray(Wh.T)  # as cell._deltas multiplies: faster than the view

    def recurrent():
        for W in (Wh, WhT):
            for t in range(T):
                np.matmul(h[:, t], W, out=rec)

    def on(n):
        def fn():
            with blas.limit(n):
                recurrent()

        return fn

    calls = {"tanh": lambda: np.tanh(pre, out=out)}
    n_all = blas.threads()
    if n_all is None:
        calls["recurrent_default"] = recurrent
    else:
        calls["recurrent_1thread"] = on(1)
        if n_all > 1:
            calls["recurrent_allthreads"] = on(n_all)
    return calls


def bound_seconds(times, peak_gflops, size=LARGE):
    """The bound in seconds and its parts, from the times of ``parts`` and the GEMM peak."""
    _, other = flops(*size)
    recurrent = {k: v for k, v in times.items() if k.startswith("recurrent")}
    best = min(recurrent, key=recurrent.get)
    pieces = {
        "tanh_s": times["tanh"],
        "recurrent_s": recurrent[best],
        "other_products_s": other / (peak_gflops * 1e9),
    }
    return sum(pieces.values()), {**pieces, "recurrent_best": best, "recurrent_all": recurrent}
