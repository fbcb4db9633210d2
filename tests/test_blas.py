"""rnn_core._blas: the time loops' small products run on one BLAS thread, larger ones on all."""

import numpy as np
import pytest
from threadpoolctl import threadpool_info, threadpool_limits

from rnn_core import _blas, cell


def _blas_threads():
    return [lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"]


needs_blas = pytest.mark.skipif(not _blas_threads(), reason="no BLAS that threadpoolctl can see")


@needs_blas
def test_small_products_run_on_one_thread_and_the_count_is_restored():
    with threadpool_limits(limits=2, user_api="blas"):
        with _blas.one_thread_if_small(np.zeros((32, 128)), np.zeros((128, 128))):
            inside = _blas_threads()
        after = _blas_threads()
    assert set(inside) == {1}
    assert set(after) == {2}


@needs_blas
def test_large_products_keep_the_librarys_threads():
    big = np.zeros((512, 512))
    with threadpool_limits(limits=2, user_api="blas"), _blas.one_thread_if_small(big, big):
        inside = _blas_threads()
    assert set(inside) == {2}


def test_the_threshold_counts_multiply_adds_of_one_product():
    # (M, K) x (K, N) per model: the leading model axes do not count.
    at, above = np.zeros((10, 64, 128)), np.zeros((10, 64, 129))
    W = np.zeros((10, 128, 128))
    assert _blas.SMALL == 64 * 128 * 128
    assert type(_blas.one_thread_if_small(at, W)).__name__ != "nullcontext"
    assert type(_blas.one_thread_if_small(above, np.zeros((10, 129, 128)))).__name__ == (
        "nullcontext"
    )


@needs_blas
def test_rnn_kernels_give_the_same_numbers_on_one_thread_and_on_two():
    # The switch changes how a product is split over threads, not what it computes.
    rng = np.random.default_rng(0)
    x, h0 = rng.standard_normal((32, 20, 8)), rng.standard_normal((32, 128))
    Wx, Wh = rng.standard_normal((8, 128)) / 3, rng.standard_normal((128, 128)) / 12
    b = rng.standard_normal(128)
    one = cell._forward(x, h0, Wx, Wh, b)
    with threadpool_limits(limits=2, user_api="blas"):
        saved, _blas.SMALL = _blas.SMALL, 0  # nothing counts as small: two threads
        try:
            two = cell._forward(x, h0, Wx, Wh, b)
        finally:
            _blas.SMALL = saved
    np.testing.assert_allclose(two, one, rtol=1e-13, atol=1e-13)


def test_products_the_library_runs_on_one_thread_anyway_skip_the_switch():
    # Chapter 5's products, (32, 22) x (22, 64) per model: the switch would build Python
    # objects at every call, which chapter 4's traced peaks (rnnbook.experiments.cost)
    # counted, one run more than the next.
    tiny = _blas.one_thread_if_small(np.zeros((10, 32, 22)), np.zeros((10, 22, 64)))
    assert tiny is _blas.one_thread_if_small(np.zeros((1, 8)), np.zeros((8, 8)))
    assert type(tiny).__name__ == "nullcontext"
