"""Time rnn_core on the book's sizes and write the results to _build/bench.json.

Each case is the median of repeated runs. Where PyTorch is installed (``make
bench`` installs it into the virtualenv), ``torch.nn.RNN`` runs on the same
float64 inputs in the same process as the reference; otherwise the reference
fields are null. Run with ``make bench``; nothing here is part of ``make test``.
"""

import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np

import rnn_core
from rnn_core import symbolic

try:
    import torch
except ImportError:  # the book does not depend on torch; the comparison is optional
    torch = None

RNN_SIZES = [(1, 50, 1, 1), (1, 1000, 1, 1), (32, 100, 64, 64), (32, 200, 128, 128),
             (8, 500, 16, 32)]


def median_time(fn, repeats=7, min_seconds=0.2):
    """Median wall time of ``fn()``, after one warm-up call."""
    fn()
    times = []
    start = time.perf_counter()
    while len(times) < repeats or time.perf_counter() - start < min_seconds:
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def record(case, value, unit, reference=None, reference_value=None):
    return {"case": case, "value": value, "unit": unit, "reference": reference,
            "reference_value": reference_value}


def rnn_case(N, T, D, H):
    rng = np.random.default_rng(0)
    x, h0 = rng.standard_normal((N, T, D)), rng.standard_normal((N, H))
    Wx, Wh = rng.standard_normal((D, H)) / np.sqrt(D), rng.standard_normal((H, H)) / np.sqrt(H)
    b, dh = np.zeros(H), rng.standard_normal((N, T, H))

    def ours():
        _, cache = rnn_core.rnn_forward(x, h0, Wx, Wh, b)
        rnn_core.rnn_backward(dh, cache)

    value = median_time(ours)
    ref = torch_rnn_time(x, h0, Wx, Wh, b, dh) if torch is not None else None
    return record(f"rnn_fwd_bwd_{N}x{T}x{D}x{H}", value, "s", "torch" if ref else None, ref)


def torch_rnn_time(x, h0, Wx, Wh, b, dh):
    torch.set_num_threads(2)
    D, H = Wx.shape
    rnn = torch.nn.RNN(D, H, batch_first=True, dtype=torch.float64)
    with torch.no_grad():
        rnn.weight_ih_l0.copy_(torch.from_numpy(Wx.T.copy()))
        rnn.weight_hh_l0.copy_(torch.from_numpy(Wh.T.copy()))
        rnn.bias_ih_l0.copy_(torch.from_numpy(b))
        rnn.bias_hh_l0.zero_()
    xt, h0t, dht = (torch.from_numpy(a) for a in (x, h0[None], dh))

    def theirs():
        xg = xt.clone().requires_grad_(True)
        h, _ = rnn(xg, h0t)
        h.backward(dht)

    return median_time(theirs)


def gemm_peak():
    a = np.random.default_rng(0).standard_normal((2048, 2048))
    seconds = median_time(lambda: a @ a, repeats=5)
    return record("gemm_peak_gflops", 2 * 2048**3 / seconds / 1e9, "GFLOP/s")


def rnn_gflops(N=32, T=200, D=128, H=128):
    rec = rnn_case(N, T, D, H)
    # multiply-adds: forward x@Wx and h@Wh; backward delta@Wx^T, delta@Wh^T, dWx, dWh
    flops = 2 * N * T * (D * H + H * H) * 3
    return record("rnn_large_gflops", flops / rec["value"] / 1e9, "GFLOP/s")


def linear_grads_case(n=100_000):
    x = np.random.default_rng(0).standard_normal(n)
    xs = x.tolist()

    def python_loop():  # forward-mode recurrence, one Python step per element
        h, s_h, s_x = 0.0, 0.0, 0.0
        for x_t in xs:
            s_h, s_x = h + 0.999 * s_h, x_t + 0.999 * s_x
            h = 0.5 * x_t + 0.999 * h
        return s_h, s_x

    value = median_time(lambda: rnn_core.linear_rnn_grads(x, 0.5, 0.999, 0.0, 1.0))
    return record("linear_grads_1e5", value, "s", "python-loop", median_time(python_loop, 3))


def sympy_case():
    t0 = time.perf_counter()
    assert all(symbolic.verify_closed_forms(n) for n in range(1, 13))
    return record("sympy_verify_1_to_12_s", time.perf_counter() - t0, "s")


def main():
    records = [sympy_case()]  # first, so sympy's cache is cold as in a fresh kernel
    records += [rnn_case(*size) for size in RNN_SIZES]
    records += [gemm_peak(), rnn_gflops(), linear_grads_case()]
    out = Path("_build/bench.json")
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(records, indent=2) + "\n")
    print(f"{'case':32} {'value':>12} {'unit':8} {'reference':>12} {'ratio':>7}")
    for r in records:
        ref = r["reference_value"]
        ratio = f"{r['value'] / ref:7.3f}" if ref else ""
        ref_s = f"{ref:12.4g}" if ref else ""
        print(f"{r['case']:32} {r['value']:12.4g} {r['unit']:8} {ref_s:>12} {ratio:>7}")
    print(f"wrote {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
