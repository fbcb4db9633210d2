"""Each deliberate slip in rnn_core.slips must fail the check the correct version passes."""

import numpy as np

from rnn_core import numerical_gradient, rel_error, rnn_backward, rnn_forward
from rnn_core.slips import delta_recursion_forward_in_time


def test_regression_delta_recursion_run_forward_fails_finite_differences():
    rng = np.random.default_rng(0)
    x, h0 = rng.standard_normal((2, 5, 3)), rng.standard_normal((2, 4))
    Wx, Wh, b = 0.5 * rng.standard_normal((3, 4)), 0.5 * rng.standard_normal((4, 4)), np.zeros(4)
    dh = rng.standard_normal((2, 5, 4))
    _, cache = rnn_forward(x, h0, Wx, Wh, b)

    def loss():
        return float(np.sum(rnn_forward(x, h0, Wx, Wh, b)[0] * dh))

    numeric = numerical_gradient(loss, Wh)
    assert rel_error(rnn_backward(dh, cache)[3], numeric) < 1e-7
    assert rel_error(delta_recursion_forward_in_time(dh, cache)[3], numeric) > 0.1
