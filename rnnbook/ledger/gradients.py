r"""Checks of the loss, gradient and Jacobian equations of chapters 3-5 against the code.

The displays are evaluated by :mod:`rnnbook.ledger.evaluate` on seeded random
inputs (float64). A derivative in a display, such as ``\partial z_v / \partial h_i``,
is supplied by the check from the code: by ``rnn_core``'s backward passes, or, for
a quantity that is linear in what it is differentiated by, by a difference of two
forward passes, which is exact up to rounding.
"""

import numpy as np
import sympy as sp

import rnn_core
from rnn_core import layers, symbolic
from rnnbook.experiments import vanishing
from rnnbook.ledger.evaluate import Env, evaluate
from rnnbook.ledger.latex import relations
from rnnbook.ledger.sympy_form import LedgerError
from rnnbook.ledger.vector import (
    H,
    T,
    _bind,
    _close,
    _compare_all,
    _compare_or_bound,
    _first,
    _jacobian,
    _steps,
    _tanh_cell,
)

__all__ = ["CHECKS"]

CHECKS = {}
V = 6  #: classes of the softmax checks


def _register(*labels):
    def register(function):
        CHECKS.update(dict.fromkeys(labels, function))
        return function

    return register


def _logits(seed):
    """Random scores y_t (N = 1, T steps, V classes) and correct classes kappa_t."""
    rng = np.random.default_rng(seed)
    return rng.standard_normal((1, T, V)), rng.integers(0, V, size=(1, T))


@_register("eq-softmax-ce")
def check_softmax_ce(latex):
    """[softmax(y)]_v is rnn_core.softmax; L of p_t = softmax(y_t) is temporal_softmax_loss."""
    y, kappa = _logits(20)
    rels = relations(latex)
    entrywise = [r for r in rels if r.sides[0].startswith("[")]
    vector = np.random.default_rng(21).standard_normal(V)
    for rel in entrywise:  # the definition of softmax, entry by entry
        env = Env({"y": vector, "softmax": layers.softmax, "range u": range(V)})
        for v in range(V):
            at = env.at(v=v)
            _close(evaluate(rel.sides[1], at), evaluate(rel.sides[0], at), f"{rel} at v = {v}")
    loss, _ = layers.temporal_softmax_loss(y, kappa)
    values = {"y": _steps(y), "kappa": _steps(kappa[0]), "softmax": layers.softmax, "L": loss}
    rest = [r for r in rels if r not in entrywise]
    count = _compare_all(rest, Env(values, {"T": T}), [{}])
    return f"softmax entry by entry (V = {V}), and L = temporal_softmax_loss ({count} compared)"


@_register("eq-softmax-grad")
def check_softmax_grad(latex):
    """Every entry of dl_t/dy_t and dL/dy_t as displayed equal temporal_softmax_loss's gradient."""
    y, kappa = _logits(22)
    _, dy = layers.temporal_softmax_loss(y, kappa)  # dL/dy_t, L the mean over the T steps
    # dl_t/dy_t from the code's loss on step t alone (then its mean is l_t itself)
    single = {
        t: layers.temporal_softmax_loss(y[:, t - 1 : t], kappa[:, t - 1 : t])[1][0, 0]
        for t in range(1, T + 1)
    }
    values = {
        "dell/dy": lambda s, t, v: single[t][v] if s == t else _mixed(s, t),
        # dL/dy_t (one index) and dL_t/dy_t, with L_t = l_t / T as the prose defines it
        "dL/dy": lambda *i: dy[0, i[0] - 1] if len(i) == 1 else single[i[1]] / T,
        "p": {t: layers.softmax(y[0, t - 1]) for t in range(1, T + 1)},
        "kappa": _steps(kappa[0]),
        "onehot": lambda k: np.eye(V)[round(float(k))],
    }
    bindings = [{"t": t, "v": v} for t in range(1, T + 1) for v in range(V)]
    count = _compare_all(latex, Env(values, {"T": T}), bindings)
    return f"{count} comparisons with temporal_softmax_loss, every t = 1..{T} and v < {V}"


def _mixed(s, t):
    raise LedgerError(f"the derivative of l_{s} with respect to y_{t}, s != t, is not displayed")


def _linear_loss(N=6, seed=23):
    """The scalar linear cell with L = (h_N - target)^2 / 2: numbers and exact sympy gradients."""
    rng = np.random.default_rng(seed)
    x, (w_x, w_h, h0, target) = rng.standard_normal(N), rng.uniform(-0.9, 0.9, 4)
    S = symbolic.symbols()
    numbers = {S.w_X: w_x, S.w_H: w_h, S.h[0]: h0, **{S.X[i]: x[i - 1] for i in range(1, N + 1)}}
    loss = (symbolic.unrolled_h(N) - target) ** 2 / 2
    exact = [float(sp.diff(loss, w).xreplace(numbers)) for w in (S.w_H, S.w_X)]
    h_N = float(symbolic.unrolled_h(N).xreplace(numbers))

    def dL_dh(k):  # dL/dh_k: h_N written in h_k is k steps fewer of the cell, started at h_k
        later = symbolic.unrolled_h(N - k)
        return float((h_N - target) * sp.diff(later, S.h[0]).xreplace(numbers))

    return (x, w_x, w_h, h0), exact, dL_dh, N


@_register("eq-gradout")
def check_gradout(latex):
    """With gradout as displayed, linear_rnn_grads gives the exact gradient of L (sympy)."""
    (x, w_x, w_h, h0), exact, dL_dh, N = _linear_loss()
    env = Env({"dL/dh": dL_dh}, {"N": N})
    ((rel,),) = [relations(latex)]
    gradout = float(evaluate(rel.sides[1], env))
    got = rnn_core.linear_rnn_grads(x, w_x, w_h, h0, gradout)
    _close(got, exact, f"{rel}: linear_rnn_grads(..., gradout) against sympy's exact gradient")
    return f"linear_rnn_grads with this gradout is the exact gradient of L (N = {N})"


@_register("eq-affine-grads")
def check_affine_grads(latex):
    """Every index-level side equals temporal_affine_backward's dh and dW, entry by entry."""
    rng = np.random.default_rng(24)
    Hs, Vs = 3, 4  # H != V, so that a slip between the two indices shows
    h, W, b, zbar = (rng.standard_normal(s) for s in ((1, Hs), (Hs, Vs), Vs, (1, Vs)))
    z, cache = layers.temporal_affine_forward(h[None], W, b)
    dh, dW, _ = layers.temporal_affine_backward(zbar[None], cache)

    def forward(hh, WW):
        return layers.temporal_affine_forward(hh[None], WW, b)[0][0, 0]

    # z is linear in h and in W: a difference of two forward passes is its derivative
    dz_dh = {i: forward(h + np.eye(Hs)[i], W) - z[0, 0] for i in range(Hs)}
    dz_dW = {
        (i, v): forward(h, W + np.outer(np.eye(Hs)[i], np.eye(Vs)[v])) - z[0, 0]
        for i in range(Hs)
        for v in range(Vs)
    }
    values = {
        "h": h,
        "W": W,
        "z-": zbar,
        "range v": range(Vs),
        "dz/dh": lambda v, i: dz_dh[i][v],
        "dz/dW": lambda v, i, w: dz_dW[(i, w)][v],
        "dL/dh": lambda i: dh[0, 0, i],
        "dL/dW": lambda i, v: dW[i, v],
    }
    bindings = [{"i": i, "v": v} for i in range(Hs) for v in range(Vs)]
    count = _compare_all(latex, Env(values), bindings)
    return f"{count} comparisons with temporal_affine_backward (H = {Hs}, V = {Vs})"


def _direct_terms(cache, t, block):
    """da_t/dw, the direct term, for w = W_hh, W_xh or b flattened row-major: (H, P)."""
    source = {"W_{hh}": cache.h0[0] if t == 1 else cache.h[0, t - 2], "W_{xh}": cache.x[0, t - 1]}
    if block == "b":
        return np.eye(H)
    inputs = source[block]
    out = np.zeros((H, len(inputs), H))  # [unit i, p, q] = [i = q] * input[p]
    out[np.arange(H), :, np.arange(H)] = inputs
    return out.reshape(H, -1)


@_register("eq-rtrl")
def check_rtrl(latex):
    """S_t run from S_0 = 0 is dh_t/dw by rnn_backward, and the sum is its gradient (3 blocks)."""
    values, cache, rng = _tanh_cell(seed=25)
    values = _first(values)
    x, h0 = cache.x[:1], cache.h0[:1]
    Wx, Wh, b = values["W_{xh}"], values["W_{hh}"], values["b"]
    _, cache1 = rnn_core.rnn_forward(x, h0, Wx, Wh, b)
    g = rng.standard_normal((1, T, H))
    grads = rnn_core.rnn_backward(g, cache1)  # (dx, dh0, dWx, dWh, db)
    code = {"W_{hh}": grads[3], "W_{xh}": grads[2], "b": grads[4]}
    jac = {t: _state_jacobians(cache1, t) for t in range(1, T + 1)}
    for block, index in (("W_{hh}", 3), ("W_{xh}", 2), ("b", 4)):
        env = Env({**values, "range t": range(1, T + 1), "dL/dw": code[block].reshape(-1)})
        env.values["da/dw|direct"] = lambda t, block=block: _direct_terms(cache1, t, block)
        env.values["dL/dh"] = lambda s, t: g[:, t - 1] if s == t else _mixed(s, t)
        rels = _bind(relations(latex), env, 1, T, {"t"})
        dict.__setitem__(env.values["S"], 0, np.zeros((H, code[block].size)))  # S_0 = 0
        for t in range(1, T + 1):
            got = env.lookup("S", (t,))
            _close(got, jac[t][index].reshape(H, -1), f"S_{t} for {block}: rnn_backward")
        _compare_all(rels, env, [{}])
    return f"S_t = dh_t/dw for t = 1..{T}, and the gradient, for W_hh, W_xh and b"


def _state_jacobians(cache, t):
    """dh_t/dw for every parameter block: rnn_backward with a unit upstream at step t, unit i."""
    rows = []
    for i in range(H):
        up = np.zeros((1, T, H))
        up[0, t - 1, i] = 1.0
        rows.append(rnn_core.rnn_backward(up, cache))
    return [np.stack([r[k].reshape(-1) for r in rows]) for k in range(5)]


def _cell(x, h0, Wx, Wh, b):
    """The evaluator's values for a tanh cell run by rnn_forward on one sequence."""
    h, _ = rnn_core.rnn_forward(x, h0, Wx, Wh, b)
    values = {"x": _steps(x), "h": {0: h0, **_steps(h)}, "W_{xh}": Wx, "W_{hh}": Wh, "b": b}
    values["dh/dh"] = lambda t, s: _jacobian(values, s, t)
    return values


def _tight_cell(seed):
    """0.9 times an orthogonal W_hh, inputs near 0: every slope near 1, the bound nearly tight."""
    rng = np.random.default_rng(seed)
    Q, _ = np.linalg.qr(rng.standard_normal((H, H)))
    x, Wx = 1e-4 * rng.standard_normal((1, T, 3)), rng.standard_normal((3, H))
    return _cell(x, np.zeros((1, H)), Wx, 0.9 * Q, np.zeros(H))


@_register("eq-pascanu-bound")
def check_pascanu_bound(latex):
    """||dh_T/dh_{T-k}||_2 <= (gamma sigma_max)^k for random cells and a nearly tight one."""
    cells = [_first(_tanh_cell(seed)[0]) for seed in (26, 27)] + [_tight_cell(28)]
    count, ((rel,),) = 0, [relations(latex)]
    for values in cells:
        values = {**values, "gamma": 1.0, "sigma_{max}": np.linalg.norm(values["W_{hh}"], 2)}
        values["dh/dh"] = lambda t, s, values=values: _jacobian(values, s, t)
        env, ks = Env(values, {"T": T}), [{"k": k} for k in range(1, T)]
        count += _compare_or_bound(latex, env, ks)
    # the last cell shows the bound is not loose: its norms come within `gap` of it
    ratios = [evaluate(rel.sides[0], env.at(**k)) / evaluate(rel.sides[1], env.at(**k)) for k in ks]
    gap = 1.0 - min(ratios)
    return f"{count} bounds hold, k = 1..{T - 1}, in three cells; in one within {gap:.0e} of it"


@_register("eq-eigen")
def check_eigen(latex):
    """Q Lambda^t Q^T h_0 (numpy's eigh) is the recurrence h_t = W^T h_{t-1}, t = 0..8."""
    rng = np.random.default_rng(29)
    A = rng.standard_normal((H, H))
    W, h0 = (A + A.T) / 4, rng.standard_normal((H, 1))
    lam, Q = np.linalg.eigh(W)
    steps = 8
    # vanishing.backflow multiplies a row vector by Wh^T once per step (slopes 1 at h = 0):
    # with Wh = W^T that is h_t^T = h_{t-1}^T W, the recurrence h_t = W^T h_{t-1}
    rows = vanishing.backflow(np.zeros((1, steps + 1, H)), W.T, h0.T)[0]
    values = {"Q": Q, "Lambda": np.diag(lam), "h": {t: rows[t][:, None] for t in range(steps + 1)}}
    count = _compare_all(latex, Env(values), [{"t": t} for t in range(steps + 1)])
    return f"{count} comparisons with the recurrence run by vanishing.backflow (H = {H})"
