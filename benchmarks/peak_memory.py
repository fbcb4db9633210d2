"""Peak memory of one forward + backward pass, in a fresh process: ``peak_memory.py SIDE N T D H``.

SIDE is ``ours`` (rnn_core) or ``torch``. After the inputs exist and a tiny warm-up run
has loaded the libraries, the kernel's peak-RSS counter is reset (``/proc/self/clear_refs``)
and one full-size run follows; the printed JSON gives the peak resident memory it added
over the inputs, in MiB, which counts every allocator (numpy, torch, BLAS buffers) alike.
For ``ours`` it also gives tracemalloc's peak, the exact bytes numpy allocated.
"""

import gc
import json
import sys
import tracemalloc

import rnn_sides


def _status_kib(key):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    raise KeyError(key)


def main(side, N, T, D, H):
    inputs = rnn_sides.make_inputs(N, T, D, H)
    small = rnn_sides.make_inputs(2, 3, D, H)
    if side == "ours":
        make = rnn_sides.ours
    else:
        import torch

        def make(*arrays):
            return rnn_sides.theirs(*arrays, threads=torch.get_num_threads())

    make(*small)()  # load BLAS, torch's kernels and autograd once
    run = make(*inputs)
    gc.collect()
    base = _status_kib("VmRSS")
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")  # reset VmHWM (peak RSS) to the current RSS
    if side == "ours":
        tracemalloc.start()
    out = run()
    peak = _status_kib("VmHWM")
    result = {
        "side": side,
        "peak_rss_added_mib": (peak - base) / 1024,
        "outputs_mib": sum(a.nbytes for a in out) / 2**20 if side == "ours" else None,
    }
    if side == "ours":
        result["tracemalloc_peak_mib"] = tracemalloc.get_traced_memory()[1] / 2**20
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1], *map(int, sys.argv[2:6]))
