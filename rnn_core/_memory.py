"""Freed memory kept for the next arrays: a training loop allocates the same ones at every step.

Every training step allocates the same large arrays again: the forward pass's buffers
(states, gates), the backward pass's deltas, a few MB each at chapter 5's sizes, and
frees them before the next step. glibc's malloc takes a block larger than its mmap
threshold (128 KB at start, raised to the size of each larger block freed) from the
system with mmap, and gives freed memory at the top of its heap back to the system
once more than twice that threshold has piled up there. Either way the next step's
arrays can arrive as fresh pages, which the kernel must fault in and zero one 4 KB page
at a time, and that work counts as the process's own CPU time. Measured on the book's
2-core machine (AMD EPYC, under load), in a process that had run nothing larger: one
backward pass of a ten-seed LSTM ensemble at chapter 5's lag 15 (K = 10, N = 32, T = 16,
H = 16) took 9.4 ms of CPU with the defaults and 4.2 ms with the settings below, and
training that ensemble (200 steps) 5.4-5.8 s against 3.3-4.0 s. The arithmetic is the
same, and so are the results. (Once a process has freed a block of tens of MB, the
defaults' thresholds have grown and the difference is small.)

:func:`keep_freed_memory` sets glibc's ``M_MMAP_THRESHOLD`` to 32 MB (blocks up to that
size come from the heap) and ``M_TRIM_THRESHOLD`` to 64 MB (up to that much freed memory
stays with the process for its next arrays). The price is that a process may hold up to
64 MB it no longer uses. Where malloc is not glibc's, or where the user has set
``MALLOC_MMAP_THRESHOLD_`` or ``MALLOC_TRIM_THRESHOLD_`` in the environment (glibc reads
them at start-up), nothing is changed.
"""

import ctypes
import ctypes.util
import functools
import os

MMAP_THRESHOLD = 32 * 2**20  # bytes: larger blocks still go to mmap
TRIM_THRESHOLD = 64 * 2**20  # bytes of freed memory kept at the top of the heap
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # mallopt's parameter numbers, malloc.h

__all__ = ["keep_freed_memory"]


def _glibc():
    """The C library if it is glibc (it has ``mallopt`` and ``gnu_get_libc_version``), or None."""
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        libc = ctypes.CDLL(name)
    except OSError:
        return None
    has = all(hasattr(libc, f) for f in ("mallopt", "gnu_get_libc_version"))
    return libc if has else None


@functools.cache
def keep_freed_memory():
    """Let glibc's malloc keep freed memory for reuse (once per process); True if it was set.

    Examples
    --------
    >>> keep_freed_memory() in (True, False)
    True
    """
    if any(f"MALLOC_{n}_THRESHOLD_" in os.environ for n in ("MMAP", "TRIM")):
        return False  # the user's own settings, which glibc has already applied
    libc = _glibc()
    if libc is None:
        return False
    # mallopt returns 1 on success; the mmap threshold first, so that the trim
    # threshold is never below it.
    ok = libc.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 1
    return ok and libc.mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD) == 1
