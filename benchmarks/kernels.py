"""CPU time of the three cells' kernels at the shapes chapter 5 uses, and of its training runs.

    nice .venv/bin/python benchmarks/kernels.py [--quick] [--json out.json]

The machine is shared, so wall time is noise: every number is ``time.process_time()``
(CPU seconds of this process, all threads) with one BLAS thread, best of several runs.
Wall time and the load average are printed next to it for the record.

Cases:
- ``fb_ens``: forward + backward of one ensemble batch (K, N, T, D, H) = (10, 32, 31, 5, 16)
  through the private kernels, as ``rnn_core.ensemble`` calls them;
- ``fb_one``: the same with no model axis, through the public functions;
- ``train_ens``: ``ensemble.train_recall(cell, 30, range(10))`` (200 Adam steps);
- ``train_one``: ``tasks.train_recall(cell, 30, seed=s)`` for s = 0..9;
- ``large``: ``rnn_forward`` + ``rnn_backward`` at (N, T, D, H) = (32, 200, 128, 128).
"""

import argparse
import json
import os
import time

import numpy as np
from threadpoolctl import threadpool_limits

from rnn_core import cell as rnn_cell
from rnn_core import ensemble, gru, lstm, tasks

K, N, T, D, H = 10, 32, 31, 5, 16
GATES = {"rnn": 1, "lstm": 4, "gru": 3}


def _inputs(cell, lead, seed=0):
    """Random inputs, weights and upstream gradient for one cell, with leading axes ``lead``."""
    rng = np.random.default_rng(seed)
    G = GATES[cell] * H
    x = rng.standard_normal((*lead, N, T, D))
    h0 = np.zeros((*lead, N, H))
    Wx = rng.standard_normal((*lead, D, G)) / np.sqrt(D)
    Wh = rng.standard_normal((*lead, H, G)) / np.sqrt(H)
    b = 0.1 * rng.standard_normal((*lead, G))
    return x, h0, Wx, Wh, b, rng.standard_normal((*lead, N, T, H))


def fb_ens(cell):
    """forward + backward through the private kernels with a model axis of K."""
    x, h0, Wx, Wh, b, dh = _inputs(cell, (K,))
    if cell == "rnn":
        h = rnn_cell._forward(x, h0, Wx, Wh, b)
        rnn_cell.grads_from_deltas(rnn_cell._deltas(dh, h, Wh, T), (x, h0, Wx, Wh, h))
    elif cell == "lstm":
        lstm._backward(dh, x, h0, Wx, Wh, *lstm._forward(x, h0, Wx, Wh, b))
    else:
        gru._backward(dh, x, h0, Wx, Wh, *gru._forward(x, h0, Wx, Wh, b))


def fb_one(cell):
    """forward + backward of one model through the public functions."""
    x, h0, Wx, Wh, b, dh = _inputs(cell, ())
    forward, backward = {
        "rnn": (rnn_cell.rnn_forward, rnn_cell.rnn_backward),
        "lstm": (lstm.lstm_forward, lstm.lstm_backward),
        "gru": (gru.gru_forward, gru.gru_backward),
    }[cell]
    backward(dh, forward(x, h0, Wx, Wh, b)[1])


def large():
    rng = np.random.default_rng(0)
    n, t, d, h = 32, 200, 128, 128
    x, h0 = rng.standard_normal((n, t, d)), rng.standard_normal((n, h))
    Wx, Wh = rng.standard_normal((d, h)) / np.sqrt(d), rng.standard_normal((h, h)) / np.sqrt(h)
    b, dh = 0.1 * rng.standard_normal(h), rng.standard_normal((n, t, h))

    def fn():
        _, cache = rnn_cell.rnn_forward(x, h0, Wx, Wh, b)
        rnn_cell.rnn_backward(dh, cache)

    return fn


def best(fn, repeats, inner=1):
    """Best CPU and wall seconds per call of ``fn`` over ``repeats`` runs of ``inner`` calls."""
    fn()
    cpu, wall = [], []
    for _ in range(repeats):
        c0, w0 = time.process_time(), time.perf_counter()
        for _ in range(inner):
            fn()
        cpu.append((time.process_time() - c0) / inner)
        wall.append((time.perf_counter() - w0) / inner)
    return min(cpu), min(wall)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="kernels and large case only")
    parser.add_argument("--json")
    args = parser.parse_args()
    out = {}
    with threadpool_limits(limits=1, user_api="blas"):
        for cell in GATES:
            out[f"fb_ens_{cell}"] = best(lambda c=cell: fb_ens(c), 7, 5)
            out[f"fb_one_{cell}"] = best(lambda c=cell: fb_one(c), 7, 20)
        out["large"] = best(large(), 5)
        if not args.quick:
            for cell in GATES:
                out[f"train_ens_{cell}"] = best(
                    lambda c=cell: ensemble.train_recall(c, 30, range(10)), 2
                )
                out[f"train_one_{cell}"] = best(
                    lambda c=cell: [tasks.train_recall(c, 30, seed=s) for s in range(10)], 1
                )
    print(f"load average {os.getloadavg()}")
    print(f"{'case':16s} {'cpu s':>10s} {'wall s':>10s}")
    for case, (cpu, wall) in out.items():
        print(f"{case:16s} {cpu:10.4f} {wall:10.4f}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"load": os.getloadavg(), "times": out}, f, indent=1)


if __name__ == "__main__":
    main()
