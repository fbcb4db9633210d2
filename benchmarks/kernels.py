"""CPU time of the cells' kernels at the shapes chapter 5 uses, and of its training runs.

    nice .venv/bin/python benchmarks/kernels.py [--against DIR] [--quick] [--only CASE ...]
                                                [--repeats R] [--json FILE]

``--against DIR`` also times the ``rnn_core`` package found in ``DIR`` (for example
``git archive main rnn_core | tar -x -C DIR``), loaded under another name, in turns
with this tree's (baseline, ours, baseline, ours, ...), so that both see the same load.

The machine is shared, so wall time is mostly noise: every number is the least
``time.process_time()`` (CPU seconds of this process) over the repeats. BLAS threads are
left as each package sets them (``rnn_core.ensemble`` trains on one thread; the
products at chapter 5's sizes are below OpenBLAS's own threshold for a second one). The
median wall time and the load average are printed beside it for the record.

Cases at (K, N, T, D, H) = (10, 32, 16, 5, 16), chapter 5's recall task at lag 15:
- ``fwd_ens`` and ``fb_ens``: the forward pass, and the forward and backward passes, of
  a K-seed ensemble through the private kernels, as ``rnn_core.ensemble`` calls them;
- ``fb_one``: forward and backward for one model through the public functions;
- ``sweep``: chapter 5's lag sweep for one cell, ``ensemble.train_recall(cell, k,
  range(10))`` for k in ``rnnbook.experiments.remedies.LAGS`` (200 Adam steps each);
- ``large``: ``rnn_forward`` + ``rnn_backward`` at (N, T, D, H) = (32, 200, 128, 128).
"""

import argparse
import importlib.util
import json
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

import rnn_core
from rnnbook.experiments.remedies import LAGS

K, N, T, D, H = 10, 32, 16, 5, 16
GATES = {"rnn": 1, "lstm": 4, "gru": 3}


def load(directory, name="baseline_core"):
    """The package ``directory/rnn_core`` imported as ``name``, beside this tree's rnn_core."""
    init = Path(directory) / "rnn_core" / "__init__.py"
    where = [str(init.parent)]
    spec = importlib.util.spec_from_file_location(name, init, submodule_search_locations=where)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _inputs(cell, lead, n=N, t=T, d=D, h=H, seed=0):
    """Random inputs, weights and upstream gradient, with leading axes ``lead``."""
    rng = np.random.default_rng(seed)
    G = GATES[cell] * h
    return (
        rng.standard_normal((*lead, n, t, d)),
        np.zeros((*lead, n, h)),
        rng.standard_normal((*lead, d, G)) / np.sqrt(d),
        rng.standard_normal((*lead, h, G)) / np.sqrt(h),
        0.1 * rng.standard_normal((*lead, G)),
        rng.standard_normal((*lead, n, t, h)),
    )


def cases(core, quick):
    """name -> (function to time, repeats) for the package ``core``."""
    sub = {c: importlib.import_module(f"{core.__name__}.{m}") for c, m in
           [("rnn", "cell"), ("lstm", "lstm"), ("gru", "gru"), ("ens", "ensemble")]}  # fmt: skip
    out = {}
    for cell in GATES:
        batch, single = _inputs(cell, (K,)), _inputs(cell, ())
        out[f"fwd_ens_{cell}"] = (lambda c=cell, a=batch: _private(sub, c, a, backward=False), 40)
        out[f"fb_ens_{cell}"] = (lambda c=cell, a=batch: _private(sub, c, a), 40)
        out[f"fb_one_{cell}"] = (lambda c=cell, a=single: _public(sub, c, a), 40)
    args = _inputs("rnn", (), 32, 200, 128, 128)
    out["large"] = (
        lambda: sub["rnn"].rnn_backward(args[-1], sub["rnn"].rnn_forward(*args[:5])[1]),
        5,
    )
    if not quick:
        for cell in GATES:
            out[f"sweep_{cell}"] = (lambda c=cell: _sweep(sub["ens"], c), 2)
    return out


def _sweep(ens, cell):
    return [ens.train_recall(cell, k, range(K)).test_accuracy for k in LAGS]


def _private(sub, cell, args, backward=True):
    x, h0, Wx, Wh, b, dh = args
    if cell == "rnn":
        rnn = sub["rnn"]
        h = rnn._forward(x, h0, Wx, Wh, b)
        if not backward:
            return h
        return rnn.grads_from_deltas(rnn._deltas(dh, h, Wh, T), (x, h0, Wx, Wh, h))
    kernels = sub[cell]
    states = kernels._forward(x, h0, Wx, Wh, b)
    return kernels._backward(dh, x, h0, Wx, Wh, *states) if backward else states


def _public(sub, cell, args):
    forward, backward = (
        getattr(sub[cell], f"{cell}_forward"),
        getattr(sub[cell], f"{cell}_backward"),
    )
    return backward(args[-1], forward(*args[:5])[1])


def measure(tables, repeats, only=None):
    """Each case of every table timed in turns: {case: [(least cpu s, median wall s), ...]}."""
    results = {}
    for case in tables[0]:
        if only and not any(case.startswith(prefix) for prefix in only):
            continue
        cpu, wall = [[] for _ in tables], [[] for _ in tables]
        fns, n = [t[case][0] for t in tables], repeats or tables[0][case][1]
        for fn in fns if n > 2 else []:
            fn()  # warm up (caches, allocator), except for the runs of seconds
        for _ in range(n):
            for fn, c, w in zip(fns, cpu, wall):
                c0, w0 = time.process_time(), time.perf_counter()
                fn()
                c.append(time.process_time() - c0)
                w.append(time.perf_counter() - w0)
        results[case] = [(min(c), statistics.median(w)) for c, w in zip(cpu, wall)]
        print(case, results[case], f"load {os.getloadavg()[0]:.1f}", flush=True)
    return results


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--against", action="append", default=[], help="a directory holding another rnn_core"
    )
    parser.add_argument("--quick", action="store_true", help="kernels and large case only")
    parser.add_argument("--only", nargs="+", help="only the cases whose names start so")
    parser.add_argument("--repeats", type=int, help="override every case's repeats")
    parser.add_argument("--json")
    args = parser.parse_args()
    others = [load(d, f"baseline_core_{i}") for i, d in enumerate(args.against)]
    cores = [*others, rnn_core]
    load_before = os.getloadavg()
    results = measure([cases(core, args.quick) for core in cores], args.repeats, args.only)
    names = [Path(d).name for d in args.against] + ["this tree"]
    print(f"\nload average before {load_before}, after {os.getloadavg()}")
    print(f"{'case':16s}" + "".join(f"{n + ' cpu s':>18s}{'wall s':>10s}" for n in names))
    for case, rows in results.items():
        print(f"{case:16s}" + "".join(f"{c:18.4f}{w:10.4f}" for c, w in rows))
    if args.json:
        Path(args.json).write_text(json.dumps({"load": os.getloadavg(), "results": results}))


if __name__ == "__main__":
    main()
