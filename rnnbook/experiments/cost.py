"""What BPTT and RTRL cost: work, peak memory, measured time, and the textbook scalings.

Per sequence of length ``T`` with ``H`` hidden units, BPTT stores ``T`` states
and does ``O(H^2)`` work per step; RTRL stores the ``H^3`` sensitivities of
``h_t`` to ``Wh`` whatever ``T`` is, and updates them in ``O(H^4)`` per step.
``count`` gives the exact number of multiply-adds each implementation performs
and its peak memory (tracemalloc, exact): the same numbers on every machine and
every run, which is what the book prints and plots. ``measure`` times the runs
instead (wall clock: it varies from run to run), for the tests and benchmarks.
"""

import contextvars
import gc
import os
import statistics
import time
import tracemalloc
from typing import NamedTuple

import numpy as np

from rnn_core._checks import as_int
from rnn_core.cell import rnn_backward, rnn_forward
from rnn_core.rtrl import rtrl_gradients

METHODS = ("bptt", "rtrl")


class CostRecord(NamedTuple):
    """One measurement: median wall time over repeats and peak traced memory."""

    method: str
    T: int
    H: int
    seconds: float
    peak_bytes: int


class CountRecord(NamedTuple):
    """One count: multiply-adds of the matrix products, and peak traced memory."""

    method: str
    T: int
    H: int
    multiply_adds: int
    peak_bytes: int


class TheoreticalCost(NamedTuple):
    """Leading-order scalings per sequence, constants and the input size D dropped."""

    method: str
    T: int
    H: int
    flops: int
    memory: int


def measure(method, N, T, D, H, repeats=3, seed=0):
    """Time and peak memory of computing every weight gradient with BPTT or RTRL.

    ``"bptt"`` runs ``rnn_forward`` then ``rnn_backward``; ``"rtrl"`` runs
    ``rtrl_gradients``. The time is the median of ``repeats`` runs
    (``time.perf_counter``); the peak is taken by ``tracemalloc`` over one
    further run, counting only memory allocated during the run (the inputs
    are made beforehand), and numpy reports its array buffers to tracemalloc.
    On a loaded machine a multithreaded BLAS can slow RTRL's large products
    tenfold; set ``OPENBLAS_NUM_THREADS=1`` before numpy starts for steady times.

    Parameters
    ----------
    method : {"bptt", "rtrl"}
    N, T, D, H : int
        Batch size, sequence length, input size, hidden size.
    repeats : int
        Timed runs.
    seed : int
        Seed of the random inputs and weights.

    Returns
    -------
    CostRecord

    Examples
    --------
    >>> rec = measure("rtrl", N=2, T=5, D=2, H=3, repeats=1)
    >>> rec.method, rec.T, rec.H, rec.seconds > 0, rec.peak_bytes > 0
    ('rtrl', 5, 3, True, True)
    """
    run = _runner(method, N, T, D, H, seed)
    times = []
    for _ in range(as_int("repeats", repeats, 1)):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return CostRecord(method, T, H, statistics.median(times), _peak_bytes(run))


def multiply_adds(method, N, T, D, H):
    """Multiply-adds of every matrix product and contraction one gradient computation does.

    Read off the code, product by product (elementwise work, tanh and the
    additions of the direct terms, is not counted):

    * ``"bptt"``, ``rnn_forward`` then ``rnn_backward``: forward ``x Wx``
      (N T D H) and ``h_{t-1} Wh`` (N T H^2); backward ``delta_{t+1} Wh^T`` at T - 1
      steps and ``delta_0 Wh^T`` for ``dh0`` (N T H^2 together), ``dWh`` (N T H^2),
      ``dWx`` and ``dx`` (N T D H each): ``3 N T H (D + H)``.
    * ``"rtrl"``, ``rtrl_gradients``, per step: ``x_t Wx`` and ``h_{t-1} Wh``
      (N D H + N H^2); the carry ``Wh^T S`` of the four sensitivities, ``Wx``
      (N D H^3), ``Wh`` (N H^4), ``b`` and ``h0`` (N H^3 each); and the step's
      contributions ``dh_t . S_t`` (N D H^2, N H^3, N H^2, N H^2).

    Examples
    --------
    >>> multiply_adds("bptt", N=1, T=10, D=4, H=8)
    2880
    >>> multiply_adds("rtrl", N=1, T=10, D=4, H=8)
    81600
    """
    _check_method(method)
    N, T, D, H = (as_int(n, v, 1) for n, v in zip("NTDH", (N, T, D, H)))
    if method == "bptt":
        return 3 * N * T * H * (D + H)
    per_step = D * H + H**2 + D * H**3 + H**4 + 2 * H**3 + D * H**2 + H**3 + 2 * H**2
    return N * T * per_step


def count(method, N, T, D, H, seed=0):
    """Multiply-adds and peak memory of computing every weight gradient with BPTT or RTRL.

    Deterministic, unlike ``measure``'s wall time: ``multiply_adds`` is counted
    (see :func:`multiply_adds`) and the peak is ``tracemalloc``'s, over one run
    on the same seeded inputs as ``measure``.

    Parameters
    ----------
    method : {"bptt", "rtrl"}
    N, T, D, H : int
        Batch size, sequence length, input size, hidden size.
    seed : int
        Seed of the random inputs and weights.

    Returns
    -------
    CountRecord

    Examples
    --------
    >>> rec = count("rtrl", N=2, T=5, D=2, H=3)
    >>> rec.method, rec.T, rec.H, rec.multiply_adds, rec.peak_bytes > 0
    ('rtrl', 5, 3, 2670, True)
    """
    run = _runner(method, N, T, D, H, seed)
    run()  # a first run allocates numpy's and Python's caches: not part of the peak
    return CountRecord(method, T, H, multiply_adds(method, N, T, D, H), _peak_bytes(run))


def theoretical_cost(method, T, H):
    """The textbook scalings of one gradient computation, for a table.

    BPTT: time ``T H^2``, memory ``T H`` (every state is kept for the backward
    pass). RTRL: time ``T H^4`` (the ``Wh`` sensitivity update), memory ``H^3``.

    Examples
    --------
    >>> theoretical_cost("bptt", 100, 8)
    TheoreticalCost(method='bptt', T=100, H=8, flops=6400, memory=800)
    >>> theoretical_cost("rtrl", 100, 8)
    TheoreticalCost(method='rtrl', T=100, H=8, flops=409600, memory=512)
    """
    _check_method(method)
    T, H = as_int("T", T, 1), as_int("H", H, 1)
    if method == "bptt":
        return TheoreticalCost(method, T, H, T * H**2, T * H)
    return TheoreticalCost(method, T, H, T * H**4, H**3)


def measure_grid(Hs, Ts, N=4, D=4, repeats=3, seed=0):
    """``measure`` for both methods over every ``(T, H)`` pair: a list of CostRecord.

    Examples
    --------
    >>> [(r.method, r.T, r.H) for r in measure_grid([2], [3], N=1, D=1, repeats=1)]
    [('bptt', 3, 2), ('rtrl', 3, 2)]
    """
    return [measure(m, N, T, D, H, repeats, seed) for T in Ts for H in Hs for m in METHODS]


def _check_method(method):
    if method not in METHODS:
        raise ValueError(f"method: expected one of {list(METHODS)}, got {method!r}")


def _runner(method, N, T, D, H, seed):
    """A no-argument function computing all gradients on fixed seeded inputs."""
    _check_method(method)
    N, T, D, H = (as_int(n, v, 1) for n, v in zip("NTDH", (N, T, D, H)))
    rng = np.random.default_rng(as_int("seed", seed, 0))
    x = rng.standard_normal((N, T, D))
    h0 = rng.standard_normal((N, H))
    Wx = rng.standard_normal((D, H)) / np.sqrt(D)
    Wh = rng.standard_normal((H, H)) / np.sqrt(H)  # variance-preserving: tanh not saturated
    b = np.zeros(H)
    dh = rng.standard_normal((N, T, H))
    if method == "bptt":
        return lambda: rnn_backward(dh, rnn_forward(x, h0, Wx, Wh, b)[1])
    return lambda: rtrl_gradients(x, h0, Wx, Wh, b, dh)


def _peak_bytes(run):
    """Peak memory allocated by ``run()`` above what was live when it started.

    tracemalloc counts the allocations of every thread, and a Jupyter kernel has
    threads of its own (output, history) that allocate while a cell runs: the peak
    changed by up to a kilobyte from one execution of a chapter to the next. So the
    run is traced in a forked child, which has only the thread that forked it and
    the parent's memory as it was; it sends the peak back through a pipe.
    """
    if not hasattr(os, "fork"):  # not on Windows: trace here, other threads and all
        return _traced_peak(run)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: trace, report, and leave without running any cleanup
        os.close(read)
        try:
            os.write(write, str(_traced_peak(run)).encode())
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read) as pipe:
        reply = pipe.read()
    os.waitpid(pid, 0)
    if not reply.isdigit():
        raise RuntimeError("the traced run failed in the child process")
    return int(reply)


def _traced_peak(run):
    """``_peak_bytes`` in this process.

    The cyclic garbage collector is paused during the run: a full collection
    empties CPython's free lists, and refilling them inside the run adds tens of
    kilobytes to the peak at random, which swamps small arrays. The run gets an
    empty ``contextvars.Context``: numpy's ``errstate`` sets a context variable,
    and copying a kernel's context, whose size varies, allocated a varying amount.
    """
    was_tracing, gc_was_enabled = tracemalloc.is_tracing(), gc.isenabled()
    context = contextvars.Context()
    gc.disable()
    if not was_tracing:
        tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        context.run(run)
        return tracemalloc.get_traced_memory()[1] - base
    finally:
        if not was_tracing:
            tracemalloc.stop()
        if gc_was_enabled:
            gc.enable()
