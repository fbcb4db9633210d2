"""One BLAS thread for the small matrix products of the time loops.

A time loop multiplies each step's state by a weight matrix, one product after another,
each waiting for the one before: ``h_{t-1} Wh`` in ``cell._forward``, ``delta_t Wh^T``
in ``cell._deltas``, the gates' products of ``lstm`` and ``gru``. OpenBLAS splits a
product over all its threads once ``M * N * K`` passes 2^18 (its
``GEMM_MULTITHREAD_THRESHOLD``), and the threads meet again after every product. For
products just above that size the meeting costs more than the split saves, and on a
machine shared with other work a thread waits for a free core. On the book's 2-core
machine under load, 400 products (32, 128) x (128, 128) (the large benchmark's) took
0.12 s on one thread against 2.2 s on two (``benchmarks/bound.py`` times both).

:func:`one_thread_if_small` runs a block on one thread when its products are at most
``SMALL`` multiply-adds (and more than ``SERIAL``, below which OpenBLAS uses one thread
anyway); larger ones, and the products over all steps at once outside the loops, keep
the library's threads. Under load one thread was faster at every size
tried, up to (256, 512) x (512, 512); ``SMALL`` = 2^20 takes in the loops of the book's
sizes with room to spare and leaves larger products, which a quiet machine splits
with profit, to the library.
"""

import contextlib
import functools

from threadpoolctl import ThreadpoolController

SMALL = 2**20  # M * N * K of one product, e.g. (64, 128) x (128, 128)
SERIAL = 2**18  # at most this many, OpenBLAS runs a product on one thread by itself
_UNCHANGED = contextlib.nullcontext()  # reusable: no object made per call

__all__ = ["SERIAL", "SMALL", "one_thread", "one_thread_for", "one_thread_if_small"]


@functools.cache
def _controller():
    """The BLAS libraries loaded in this process, found once (a scan of the loaded libraries)."""
    return ThreadpoolController()


def one_thread():
    """A context manager: BLAS on one thread inside the block, the old count restored after.

    Examples
    --------
    >>> import numpy as np
    >>> with one_thread():
    ...     product = np.ones((2, 3)) @ np.ones((3, 2))
    >>> product
    array([[3., 3.],
           [3., 3.]])
    """
    return _controller().limit(limits=1, user_api="blas")


def one_thread_for(multiply_adds):
    """:func:`one_thread` for products of more than ``SERIAL`` and at most ``SMALL``
    multiply-adds, else a block that changes nothing.

    Products of at most ``SERIAL`` multiply-adds (chapter 5's, a few thousand) already
    run on one thread, so the switch, which builds a few Python objects, is left out:
    it would cost more than the products, and it would add to the memory that
    ``rnnbook.experiments.cost`` traces.

    Examples
    --------
    >>> type(one_thread_for(2**30)).__name__, type(one_thread_for(2**10)).__name__
    ('nullcontext', 'nullcontext')
    """
    if SERIAL < multiply_adds <= SMALL:
        return one_thread()
    return _UNCHANGED


def one_thread_if_small(a, W):
    """:func:`one_thread_for` the products ``a @ W`` of a loop: one thread if they are small.

    Parameters
    ----------
    a : ndarray, shape (..., M, K)
        The left factor of the loop's products (per model, with leading model axes).
    W : ndarray, shape (..., K, N)
        The right factor.

    Examples
    --------
    >>> import numpy as np
    >>> with one_thread_if_small(np.zeros((32, 128)), np.zeros((128, 128))):
    ...     pass  # 2^19 multiply-adds per product: one thread
    >>> type(one_thread_if_small(np.zeros((512, 512)), np.zeros((512, 512)))).__name__
    'nullcontext'
    """
    M, K = a.shape[-2:]
    return one_thread_for(M * K * W.shape[-1])
