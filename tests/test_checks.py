"""Tests of rnn_core._checks, the validation every public function relies on."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis.extra.numpy import array_shapes

from rnn_core._checks import as_array, as_int, as_scalar


@given(shape=array_shapes(min_dims=1, max_dims=4, min_side=1, max_side=5))
def test_named_sizes_are_learned_and_enforced(shape):
    names = tuple("ABCD"[: len(shape)])
    sizes = {}
    as_array("a", np.zeros(shape), names, sizes)
    assert sizes == dict(zip(names, shape))
    wrong = (shape[0] + 1, *shape[1:])
    with pytest.raises(ValueError, match=rf"b: expected shape .* with A = {shape[0]}"):
        as_array("b", np.zeros(wrong), names, sizes)


def test_integer_input_becomes_float64():
    assert as_array("x", [[1, 2]], ("N", "D")).dtype == np.float64


@pytest.mark.parametrize("value", [True, np.bool_(False), "1", None, [1.0], np.ones(1)])
def test_as_scalar_rejects_non_scalars(value):
    with pytest.raises(ValueError, match="w: expected a finite real scalar"):
        as_scalar("w", value)


def test_as_scalar_accepts_numpy_scalars():
    assert as_scalar("w", np.float32(0.5)) == 0.5
    assert as_scalar("w", np.array(2)) == 2.0


@pytest.mark.parametrize("value", [1.0, True, "2", np.float64(3.0)])
def test_as_int_rejects_non_integers(value):
    with pytest.raises(ValueError, match=r"k: expected an integer in \[1, 5\]"):
        as_int("k", value, 1, 5)


def test_as_int_accepts_numpy_integers():
    assert as_int("k", np.int64(3), 1, 5) == 3


def test_as_array_can_leave_the_finite_check_to_the_caller():
    # linear_rnn_grads reads a long x once and checks its result instead (see as_array).
    a = as_array("x", [1.0, np.nan], ("N",), finite=False)
    assert np.isnan(a[1])
    with pytest.raises(ValueError, match=r"x: expected finite values"):
        as_array("x", [1.0, np.nan], ("N",))
    with pytest.raises(ValueError, match=r"x: expected 1-d array"):
        as_array("x", [[1.0]], ("N",), finite=False)  # the shape is still checked
