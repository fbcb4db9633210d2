"""The book's row form, the column form of the notes and PyTorch's form compute the same cell."""

import importlib.util

import numpy as np
import pytest

from rnn_core import rnn_forward, rnn_step_forward
from rnn_core.conventions import column_step, from_torch


def _weights(seed, D=3, H=4):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((D, H)), rng.standard_normal((H, H)), rng.standard_normal(H)


def test_column_form_equals_row_form_for_each_example():
    Wx, Wh, b = _weights(0)
    rng = np.random.default_rng(1)
    x, h_prev = rng.standard_normal((5, 3)), rng.standard_normal((5, 4))
    rows, _ = rnn_step_forward(x, h_prev, Wx, Wh, b)
    for n in range(5):  # W_x = Wx^T, W_h = Wh^T, columns are transposed rows
        col = column_step(x[n][:, None], h_prev[n][:, None], Wx.T, Wh.T, b[:, None])
        np.testing.assert_allclose(col[:, 0], rows[n], rtol=1e-14)


def test_regression_slip8_output_weights_are_not_the_recurrent_weights():
    # BRIEF.md slip 8 reuses W_t (the recurrent weight) in the output layer; with
    # its own W_y the output differs whenever the two matrices differ.
    Wx, Wh, b = _weights(2, D=2, H=2)
    h, _ = rnn_step_forward(np.ones((1, 2)), np.zeros((1, 2)), Wx, Wh, b)
    Wy = np.array([[1.0, 0.0], [0.0, -1.0]])
    assert not np.allclose(h @ Wy, h @ Wh)


def test_torch_layout_converts_to_book_layout():
    rng = np.random.default_rng(3)
    w_ih, w_hh = rng.standard_normal((4, 3)), rng.standard_normal((4, 4))
    b_ih, b_hh = rng.standard_normal(4), rng.standard_normal(4)
    x, h = rng.standard_normal((2, 3)), rng.standard_normal((2, 4))
    torch_style = np.tanh(x @ w_ih.T + b_ih + h @ w_hh.T + b_hh)
    ours, _ = rnn_step_forward(x, h, *from_torch(w_ih, w_hh, b_ih, b_hh))
    np.testing.assert_allclose(ours, torch_style, rtol=1e-14)


def test_bad_shapes_are_named():
    with pytest.raises(ValueError, match=r"W_x: expected shape \(H, D\) with H = 2"):
        column_step(np.ones((3, 1)), np.ones((2, 1)), np.ones((3, 3)), np.eye(2), np.ones((2, 1)))
    with pytest.raises(ValueError, match=r"bias_hh: expected shape \(H,\) with H = 4"):
        from_torch(np.ones((4, 3)), np.eye(4), np.ones(4), np.ones(5))


@pytest.mark.skipif(
    importlib.util.find_spec("torch") is None,
    reason="optional cross-check: torch is only installed for make bench",
)
def test_matches_torch_nn_rnn():
    import torch

    torch.manual_seed(0)
    rnn = torch.nn.RNN(3, 4, batch_first=True, dtype=torch.float64)
    x = torch.randn(2, 5, 3, dtype=torch.float64)
    h0 = torch.randn(1, 2, 4, dtype=torch.float64)
    want, _ = rnn(x, h0)
    params = [
        p.detach().numpy()
        for p in (rnn.weight_ih_l0, rnn.weight_hh_l0, rnn.bias_ih_l0, rnn.bias_hh_l0)
    ]
    got, _ = rnn_forward(x.numpy(), h0[0].numpy(), *from_torch(*params))
    np.testing.assert_allclose(got, want.detach().numpy(), rtol=1e-12)
