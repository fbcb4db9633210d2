"""Scratch for issue 18's phase 2: variants of cell.py's kernels, timed in turns with the bound.

Not part of make bench; kept so the numbers of the proposed cell.py patch can be
reproduced: ``PATCHED=<dir holding rnn_core_patched/> python benchmarks/scratch_kernels.py
[repeats]`` adds the patched package (a copy of rnn_core with the patch applied, renamed).
Every variant is first compared bit for bit with rnn_core. The variants here switch
threads with ``blas.limit`` (ctypes); the patch itself uses threadpoolctl.
"""

import os
import statistics
import sys
import time

import blas
import bound
import numpy as np
import rnn_sides

import rnn_core
from rnn_core import cell

N, T, D, H = bound.LARGE


# --- forward -----------------------------------------------------------------------------


def fwd_1thread(x, h0, Wx, Wh, b):
    """Current loop, recurrent products on one OpenBLAS thread."""
    N, T, D = x.shape
    h = (x.reshape(N * T, D) @ Wx).reshape(N, T, -1)
    h += b
    rec = np.empty_like(h0)
    h_prev = h0
    with blas.limit(1):
        for t in range(T):
            h_t = h[:, t]
            h_t += np.matmul(h_prev, Wh, out=rec)
            np.tanh(h_t, out=h_t)
            h_prev = h_t
    return h, cell.RNNCache(x, h0, Wx, Wh, h)


def fwd_bias_in_loop(x, h0, Wx, Wh, b):
    """The bias added per step (cache-hot) instead of one pass over (N, T, H)."""
    N, T, D = x.shape
    h = (x.reshape(N * T, D) @ Wx).reshape(N, T, -1)
    rec = np.empty_like(h0)
    h_prev = h0
    with blas.limit(1):
        for t in range(T):
            h_t = h[:, t]
            np.matmul(h_prev, Wh, out=rec)
            rec += b
            h_t += rec
            np.tanh(h_t, out=h_t)
            h_prev = h_t
    return h, cell.RNNCache(x, h0, Wx, Wh, h)


# --- backward ----------------------------------------------------------------------------


def deltas_1thread(dh, h, Wh, k):
    delta = h * h
    np.subtract(1.0, delta, out=delta)
    carry = np.zeros_like(dh[:, 0])
    with blas.limit(1):
        for t in range(dh.shape[1] - 1, -1, -1):
            carry += dh[:, t]
            d_t = delta[:, t]
            d_t *= carry
            if t % k == 0:
                carry.fill(0.0)
            else:
                np.matmul(d_t, Wh.T, out=carry)
    return delta


def deltas_fused(dh, h, Wh, k):
    """1 - h_t**2 computed per step, on data already in cache, instead of two passes."""
    delta = np.empty_like(h)
    carry = np.zeros_like(dh[:, 0])
    with blas.limit(1):
        for t in range(dh.shape[1] - 1, -1, -1):
            carry += dh[:, t]
            d_t = delta[:, t]
            h_t = h[:, t]
            np.multiply(h_t, h_t, out=d_t)
            np.subtract(1.0, d_t, out=d_t)
            d_t *= carry
            if t % k == 0:
                carry.fill(0.0)
            else:
                np.matmul(d_t, Wh.T, out=carry)
    return delta


def deltas_fma(dh, h, Wh, k):
    """delta_t = g - (g * h_t) * h_t with g = dL/dh_t: no 1 - h**2 array at all."""
    delta = np.empty_like(h)
    carry = np.zeros_like(dh[:, 0])
    with blas.limit(1):
        for t in range(dh.shape[1] - 1, -1, -1):
            carry += dh[:, t]
            d_t = delta[:, t]
            h_t = h[:, t]
            np.multiply(carry, h_t, out=d_t)
            d_t *= h_t
            np.subtract(carry, d_t, out=d_t)
            if t % k == 0:
                carry.fill(0.0)
            else:
                np.matmul(d_t, Wh.T, out=carry)
    return delta


def backward_with(deltas):
    def rnn_backward(dh, cache, truncate=None):
        x, h0, Wx, Wh, h = cache
        N, T, H = h.shape
        k = T if truncate is None else truncate
        delta = deltas(dh, h, Wh, k)
        rows = delta.reshape(N * T, H)
        h_prev = np.concatenate([h0[:, None], h[:, :-1]], axis=1)
        dWh = h_prev.reshape(N * T, H).T @ rows
        del h_prev
        dWx = x.reshape(N * T, -1).T @ rows
        dx = (rows @ Wx.T).reshape(x.shape)
        return dx, delta[:, 0] @ Wh.T, dWx, dWh, rows.sum(axis=0)

    return rnn_backward


# --- harness -----------------------------------------------------------------------------


def pair(fwd, bwd, inputs):
    x, h0, Wx, Wh, b, dh = inputs

    def fn():
        h, cache = fwd(x, h0, Wx, Wh, b)
        return (h, *bwd(dh, cache))

    return fn


VARIANTS = {
    "current": (rnn_core.rnn_forward, rnn_core.rnn_backward),
    "1thread": (fwd_1thread, backward_with(deltas_1thread)),
    "1thread+bias_in_loop": (fwd_bias_in_loop, backward_with(deltas_1thread)),
    "1thread+fused_deriv": (fwd_1thread, backward_with(deltas_fused)),
    "1thread+fma_deriv": (fwd_1thread, backward_with(deltas_fma)),
}
if os.environ.get("PATCHED"):  # the proposed cell.py, as a package rnn_core_patched
    sys.path.insert(0, os.environ["PATCHED"])
    import rnn_core_patched

    VARIANTS["patched"] = (rnn_core_patched.rnn_forward, rnn_core_patched.rnn_backward)
    VARIANTS["patched_2threads"] = (
        lambda *a: _all_threads(rnn_core_patched.rnn_forward, *a),
        lambda *a: _all_threads(rnn_core_patched.rnn_backward, *a),
    )


def _all_threads(fn, *args):
    """The patched kernels with their one-thread switch disabled: the fusion alone."""
    import rnn_core_patched._blas as b

    saved, b.SPLIT_ABOVE = b.SPLIT_ABOVE, float("inf")
    try:
        return fn(*args)
    finally:
        b.SPLIT_ABOVE = saved


def main(repeats=15):
    inputs = rnn_sides.make_inputs(N, T, D, H)
    fns = {name: pair(f, b, inputs) for name, (f, b) in VARIANTS.items()}
    ref = fns["current"]()
    for name, fn in fns.items():
        same = all(np.array_equal(u, v) for u, v in zip(ref, fn()))
        err = max(float(np.abs(u - v).max() / np.abs(u).max()) for u, v in zip(ref, fn()))
        print(f"{name:24s} bit-identical: {same}  max rel. diff {err:.1e}")
    gemm_call, gemm_flops = bound.gemm()
    parts = {"gemm": gemm_call, **bound.parts(N, T, D, H)}
    fns.update(parts)
    times = {name: [] for name in fns}
    print("load", os.getloadavg())
    for _ in range(repeats):
        for name, fn in fns.items():
            t0 = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t0)
    print("load", os.getloadavg())
    for name, ts in times.items():
        best, mid = min(ts) * 1e3, statistics.median(ts) * 1e3
        print(f"{name:24s} min {best:6.1f} ms  median {mid:6.1f} ms")
    for stat in (min, statistics.median):
        t = {name: stat(ts) for name, ts in times.items()}
        total, _ = bound.bound_seconds(
            {k: t[k] for k in parts if k != "gemm"}, gemm_flops / t["gemm"] / 1e9
        )
        ratios = ", ".join(f"{n} {t[n] / total:.2f}" for n in VARIANTS)
        print(f"{stat.__name__}: bound {total * 1e3:.1f} ms; ratios: {ratios}")


if __name__ == "__main__":
    main(*map(int, sys.argv[1:]))
