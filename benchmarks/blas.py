"""OpenBLAS's thread count, read and set through the libraries this process has loaded.

numpy's wheels bundle their own OpenBLAS (``scipy_openblas64_``) and scipy's another
(``scipy_openblas``); each has its own thread pool. The functions here find every loaded
OpenBLAS in ``/proc/self/maps`` and call its ``get``/``set_num_threads``, so the benchmark
needs no extra package. With another BLAS (MKL, Accelerate) nothing is found:
``threads()`` returns None and ``limit`` changes nothing, which run.py reports.
"""

import contextlib
import ctypes
import functools

# Symbol names across OpenBLAS builds: scipy-openblas64 (numpy), scipy-openblas (scipy),
# a plain 64-bit-integer build, a plain build.
_SUFFIXES = ("scipy_openblas_{}64_", "scipy_openblas_{}", "openblas_{}64_", "openblas_{}")


@functools.cache
def _libraries():
    """(get, set) function pairs of every OpenBLAS mapped into this process, numpy's first."""
    with open("/proc/self/maps") as f:
        paths = {line.split()[-1] for line in f if "openblas" in line.lower()}
    paths = sorted(paths, key=lambda p: ("numpy" not in p, p))
    pairs = []
    for path in paths:
        so = ctypes.CDLL(path)
        for pattern in _SUFFIXES:
            get, put = pattern.format("get_num_threads"), pattern.format("set_num_threads")
            if hasattr(so, get) and hasattr(so, put):
                pairs.append((getattr(so, get), getattr(so, put)))
                break
    return tuple(pairs)


def threads():
    """Threads numpy's OpenBLAS uses (the first found), or None if none is loaded."""
    pairs = _libraries()
    return int(pairs[0][0]()) if pairs else None


@contextlib.contextmanager
def limit(n):
    """Run the block with every loaded OpenBLAS on ``n`` threads, then restore each one.

    Used only by the benchmark, around the calls it times on a given thread count;
    nothing in rnn_core depends on it.
    """
    before = [int(get()) for get, _ in _libraries()]
    for _, put in _libraries():
        put(ctypes.c_int(int(n)))
    try:
        yield
    finally:
        for (_, put), old in zip(_libraries(), before):
            put(ctypes.c_int(old))
