"""Tests of rnn_core.gradcheck: the checker must be right, and must catch a wrong gradient."""

import numpy as np
import pytest

from rnn_core import numerical_gradient, rel_error


def test_central_differences_on_a_known_gradient():
    x = np.array([0.3, -1.2, 2.0])
    numeric = numerical_gradient(lambda: float(np.sum(np.sin(x) * x)), x)
    np.testing.assert_allclose(numeric, np.cos(x) * x + np.sin(x), rtol=0, atol=1e-9)


def test_input_is_restored():
    x = np.array([0.1, 0.2])
    numerical_gradient(lambda: float(x @ x), x)
    np.testing.assert_array_equal(x, [0.1, 0.2])


def test_a_wrong_gradient_fails_the_tolerance():
    x = np.array([0.5, 1.5])
    numeric = numerical_gradient(lambda: float(np.sum(np.tanh(x))), x)
    assert rel_error(1 - np.tanh(x) ** 2, numeric) < 1e-9
    assert rel_error(1 - np.tanh(x), numeric) > 1e-2  # tanh' written wrongly


def test_rel_error_properties():
    a = np.array([1.0, -2.0, 3.0])
    assert rel_error(a, a) == 0.0
    assert rel_error(np.zeros(3), np.zeros(3)) == 0.0
    assert rel_error(a, -a) == pytest.approx(1.0)


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="x: expected a float64 ndarray, got list"):
        numerical_gradient(lambda: 0.0, [1.0])
    with pytest.raises(ValueError, match=r"b: expected shape \(2,\) \(the shape of a\)"):
        rel_error(np.ones(2), np.ones(3))
