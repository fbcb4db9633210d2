r"""Checks of the vector equations: the displayed LaTeX evaluated against ``rnn_core``.

Every check builds an :class:`~rnnbook.ledger.evaluate.Env` from ``rnn_core`` on
seeded random inputs (float64), then reads each relation of the display with
:func:`rnnbook.ledger.evaluate.evaluate`:

- a relation whose left side is a name the code does not supply *defines* it
  (``W_x = W_{xh}^\top``, ``J_t = ...``; a name with an index, ``\delta_t``, is a
  sequence computed on demand from the display, with its displayed end value
  such as ``\delta_{T+1} = 0``);
- every other relation is compared, side by side, with the code's values at every
  step ``t = 1..T`` (and every ``k`` the check names), to 1e-10.
"""

import re

import numpy as np

import rnn_core
from rnn_core import ar, architectures, cell, conventions, data, gru, layers, lm, lstm, optim
from rnnbook.ledger.evaluate import Env, _Parser, evaluate
from rnnbook.ledger.latex import Relation, relations
from rnnbook.ledger.sympy_form import LedgerError

__all__ = ["CHECKS", "TOLERANCE"]

TOLERANCE = 1e-10  #: absolute and relative, float64
N, T, D, H = 2, 5, 3, 4  #: batch, steps, inputs, units of the random cells
CHECKS = {}


def _check(*labels):
    def register(function):
        CHECKS.update(dict.fromkeys(labels, function))
        return function

    return register


def _close(got, want, what):
    got, want = np.squeeze(np.asarray(got, float)), np.squeeze(np.asarray(want, float))
    if got.shape != want.shape:
        raise LedgerError(f"{what}: shape {got.shape}, expected {want.shape}")
    if not np.allclose(got, want, rtol=TOLERANCE, atol=TOLERANCE):
        err = np.max(np.abs(got - want))
        raise LedgerError(f"{what}: differs by {err:.3g} (tolerance {TOLERANCE:g})")


def _steps(array, first=1):
    """(N, T, ...) or (T,) arrays as {t: value} with t from ``first``."""
    axis = 1 if np.ndim(array) > 1 else 0
    return {t + first: np.take(array, t, axis=axis) for t in range(np.shape(array)[axis])}


class _Lazy(dict):
    """A sequence defined by a displayed relation, computed when first read."""

    def __init__(self, rhs, var, env, lo, hi):
        super().__init__()
        self.rhs, self.var, self.env, self.lo, self.hi, self.busy = rhs, var, env, lo, hi, set()

    def __contains__(self, k):
        return dict.__contains__(self, k) or self.lo <= k <= self.hi

    def __getitem__(self, k):
        if dict.__contains__(self, k):
            return dict.__getitem__(self, k)
        if k in self.busy or not self.lo <= k <= self.hi:
            raise LedgerError(f"step {k} of a displayed recursion is not defined")
        self.busy.add(k)
        self[k] = evaluate(self.rhs, self.env.at(**{self.var: k}))
        self.busy.discard(k)
        return dict.__getitem__(self, k)


def _defines(rel, env, index_vars):
    """(name, index var or None) if ``rel`` defines a name the code does not give."""
    if rel.signs != ("=",):
        return None
    try:
        parser = _Parser(rel.sides[0])
        node = parser.name()
    except LedgerError:
        return None
    if parser.peek() is not None:
        return None
    key, _ = node.key(env.at(**dict.fromkeys(index_vars, 0)))
    if key in env.values and not isinstance(env.values[key], _Lazy):
        return None
    sub = [t for t in (node.sub or []) if t.isalpha()]
    return key, (sub[0] if len(sub) == 1 and sub[0] in index_vars and len(node.sub) == 1 else None)


def _bind(rels, env, lo, hi, index_vars):
    """Bind the display's definitions into ``env``; return the relations left to compare."""
    rest = []
    for rel in rels:
        found = _defines(rel, env, index_vars)
        if found is None:
            rest.append(rel)
        elif found[1] is not None:  # x_t = ...: a sequence
            env.values[found[0]] = _Lazy(rel.sides[1], found[1], env, lo, hi)
        elif found[0] in env.values:  # delta_{T+1} = 0: a value of a sequence
            node = _Parser(rel.sides[0]).name()
            (index,) = node.key(env)[1]
            dict.__setitem__(env.values[found[0]], index, evaluate(rel.sides[1], env))
        else:
            env.values[found[0]] = evaluate(rel.sides[1], env)
    return rest


def _compare_all(latex, env, bindings, lo=1, hi=T, skip=()):
    """Bind the definitions, then compare every other relation under each binding."""
    index_vars = {"t", "k"} | {v for b in bindings for v in b}
    found = relations(latex) if isinstance(latex, str) else latex
    rels = _bind(found, env, lo, hi, index_vars)
    compared = 0
    for rel in rels:
        if rel.signs[0] in skip:
            continue
        for bound in bindings:
            at = env.at(**bound)
            values = [evaluate(side, at) for side in rel.sides]
            for k in range(1, len(values)):
                where = ", ".join(f"{a} = {b}" for a, b in bound.items())
                _close(values[k], values[0], f"row {rel.row}: {rel} (side {k + 1}) at {where}")
            compared += 1
    if not compared:
        raise LedgerError("no relation of the display was compared with the code")
    return compared


def _tanh_cell(seed=0):
    """Random parameters and the states ``rnn_core.rnn_forward`` computes."""
    rng = np.random.default_rng(seed)
    x, h0 = rng.standard_normal((N, T, D)), rng.standard_normal((N, H))
    Wx, Wh, b = (
        rng.standard_normal((D, H)),
        0.6 * rng.standard_normal((H, H)),
        rng.standard_normal(H),
    )
    h, cache = rnn_core.rnn_forward(x, h0, Wx, Wh, b)
    values = {"x": _steps(x), "h": {0: h0, **_steps(h)}, "W_{xh}": Wx, "W_{hh}": Wh, "b": b}
    return values, cache, rng


def _each_step():
    return [{"t": t} for t in range(1, T + 1)]


@_check("eq-intro-cell", "eq-notation-cell", "eq-cell-tanh")
def check_tanh_cell(latex):
    """h_t (and y_t) as displayed equal ``rnn_forward`` (and ``temporal_affine_forward``)."""
    values, cache, rng = _tanh_cell()
    Why, by = rng.standard_normal((H, 6)), rng.standard_normal(6)
    y, _ = layers.temporal_affine_forward(cache.h, Why, by)
    values.update({"W_{hy}": Why, "b_{y}": by, "y": _steps(y), "batch": N})
    env = Env(values)
    for rel in relations(latex):
        if rel.signs == (r"\in",):
            _shape(rel, env)
    count = _compare_all(latex, env, _each_step(), skip=(r"\in",))
    return f"{count} comparisons with rnn_core at t = 1..{T} (N = {N}, D = {D}, H = {H})"


def _shape(rel, env):
    """``x_t \\in \\mathbb{R}^{N \\times D}``: the shape of the code's value."""
    m = re.fullmatch(r"\\mathbb\{R\}\^\{(\w) \\times (\w)\}", rel.sides[1].strip())
    if m is None:
        raise LedgerError(f"row {rel.row}: cannot read the space in {rel}")
    sizes = {"N": N, "T": T, "D": D, "H": H}
    want = tuple(sizes[g] for g in m.groups())
    got = np.shape(evaluate(rel.sides[0], env.at(t=1)))
    if got != want:
        raise LedgerError(f"row {rel.row}: {rel}: the code's value has shape {got}")


@_check("eq-notation-column")
def check_column_form(latex):
    """The column form, with its W_x and W_h, equals ``conventions.column_step``."""
    values, cache, _ = _tanh_cell()
    Wx, Wh, b = values["W_{xh}"], values["W_{hh}"], values["b"]
    h = {0: cache.h0[0][:, None]}
    for t in range(1, T + 1):
        h[t] = conventions.column_step(cache.x[0, t - 1][:, None], h[t - 1], Wx.T, Wh.T, b[:, None])
    env = Env(
        {
            "x": {t: cache.x[0, t - 1][:, None] for t in range(1, T + 1)},
            "h": h,
            "W_{xh}": Wx,
            "W_{hh}": Wh,
            "b": b[:, None],
        }
    )
    count = _compare_all(latex, env, _each_step())
    return f"{count} comparisons with conventions.column_step at t = 1..{T}"


@_check("eq-notation-torch")
def check_torch_form(latex):
    """PyTorch's layout, and each conversion, equal ``conventions.from_torch``."""
    rng = np.random.default_rng(1)
    W_ih, W_hh, b_ih, b_hh = (rng.standard_normal(s) for s in ((H, D), (H, H), H, H))
    Wx, Wh, b = conventions.from_torch(W_ih, W_hh, b_ih, b_hh)
    x, h0 = rng.standard_normal((N, T, D)), rng.standard_normal((N, H))
    h, _ = rnn_core.rnn_forward(x, h0, Wx, Wh, b)
    env = Env(
        {
            "x": _steps(x),
            "h": {0: h0, **_steps(h)},
            "W_{ih}": W_ih,
            "W_{hh}^{torch}": W_hh,
            "b_{ih}": b_ih,
            "b_{hh}": b_hh,
            "W_{xh}": Wx,
            "W_{hh}": Wh,
            "b": b,
        }
    )
    count = _compare_all(latex, env, _each_step())
    return f"{count} comparisons with from_torch and rnn_forward at t = 1..{T}"


@_check("eq-concat")
def check_concat(latex):
    """Both sides agree, and equal the pre-activation rnn_forward used (minus b)."""
    values, _cache, _ = _tanh_cell()
    env = Env(values)
    count = _compare_all(latex, env, _each_step())
    for t in range(1, T + 1):
        pre = np.arctanh(values["h"][t]) - values["b"]
        _close(evaluate(relations(latex)[0].sides[0], env.at(t=t)), pre, f"rnn_forward at t = {t}")
    return f"both sides equal rnn_forward's pre-activation at t = 1..{T} ({count} comparisons)"


@_check("eq-recursive")
def check_recursive(latex):
    """The parent of every node of a tree equals ``architectures.recursive_forward``."""
    rng = np.random.default_rng(2)
    leaves, W, b = (
        rng.standard_normal((4, H)),
        rng.standard_normal((2 * H, H)),
        rng.standard_normal(H),
    )
    tree = ((0, 1), (2, 3))
    nodes = architectures.recursive_forward(tree, leaves, W, b).nodes
    pairs = [(leaves[0], leaves[1]), (leaves[2], leaves[3]), (nodes[0], nodes[1])]
    for (left, right), parent in zip(pairs, nodes):
        env = Env({"h_{left}": left, "h_{right}": right, "h_{parent}": parent, "W": W, "b": b})
        _compare_all(latex, env, [{}])
    return f"all {len(nodes)} internal nodes of {tree} equal recursive_forward"


def _upstream(values, rng):
    """Random dL_t/dh_t at every step, and what rnn_backward computes from them."""
    dh = rng.standard_normal((N, T, H))
    h = np.stack([values["h"][t] for t in range(1, T + 1)], axis=1)
    return dh, cell._deltas(dh, h, values["W_{hh}"], T)


@_check("eq-delta")
def check_delta(latex):
    """The recursion, run back from delta_{T+1} as displayed, gives rnn_core's deltas."""
    values, _, rng = _tanh_cell()
    dh, deltas = _upstream(values, rng)
    values["dL/dh"] = lambda s, t: dh[:, t - 1] if s == t else _mixed(s, t)
    env = Env(values, {"T": T})
    _bind(relations(latex), env, 1, T, {"t"})
    for t in range(1, T + 1):
        _close(env.lookup("delta", (t,)), deltas[:, t - 1], f"delta_{t} (rnn_core.cell._deltas)")
    return f"delta_t equals rnn_core's for t = 1..{T}"


def _mixed(s, t):
    raise LedgerError(f"dL_{s}/dh_{t} with s != t has no meaning here")


@_check("eq-bptt-grads")
def check_bptt_grads(latex):
    """Each gradient, summed from rnn_core's deltas as displayed, equals rnn_backward's."""
    values, cache, rng = _tanh_cell()
    dh, deltas = _upstream(values, rng)
    dx, dh0, dWx, dWh, db = rnn_core.rnn_backward(dh, cache)
    values.update(
        {
            "delta": _steps(deltas),
            "batch": N,
            "dL/dW_{xh}": dWx,
            "dL/dW_{hh}": dWh,
            "dL/db": db,
            "dL/dh": {0: dh0},
            "dL/dx": _steps(dx),
        }
    )
    count = _compare_all(latex, Env(values, {"T": T}), _each_step())
    return f"{count} comparisons with rnn_backward (T = {T}, N = {N})"


def _jacobian(values, s, t):
    """dh_t/dh_s (column convention, (H, H)) of the batch's first sequence, by rnn_backward."""
    x = np.stack([values["x"][k][:1] for k in range(s + 1, t + 1)], axis=1)
    _, cache = rnn_core.rnn_forward(
        x, values["h"][s][:1], values["W_{xh}"], values["W_{hh}"], values["b"]
    )
    rows, width = [], values["W_{hh}"].shape[0]
    for i in range(width):
        up = np.zeros((1, t - s, width))
        up[0, -1, i] = 1.0
        rows.append(rnn_core.rnn_backward(up, cache)[1][0])
    return np.array(rows)


def _first(values):
    """The tanh cell's values for the batch's first sequence only (N = 1)."""
    return {
        **values,
        "x": {t: v[:1] for t, v in values["x"].items()},
        "h": {t: v[:1] for t, v in values["h"].items()},
    }


@_check("eq-jacobian-product")
def check_jacobian_product(latex):
    """The product of the displayed J_t equals dh_T/dh_{T-k} from rnn_backward, k = 3..T."""
    values, _, _ = _tanh_cell()
    values = _first(values)
    values["dh/dh"] = lambda t, s: _jacobian(values, s, t)
    ks = [{"k": k, "T": T} for k in range(3, T + 1)]  # the display writes three factors
    count = _compare_all(latex, Env(values, {"T": T}), ks, lo=1, hi=T)
    return f"{count} comparisons with rnn_backward's Jacobians, k = 3..{T}"


def _scalar_cell(seed):
    """A one-unit tanh cell, batch of one: its values for the evaluator."""
    rng = np.random.default_rng(seed)
    x, h0 = rng.standard_normal((1, T, 1)), rng.standard_normal((1, 1))
    Wx, Wh, b = rng.standard_normal((1, 1)), rng.uniform(-1.5, 1.5, (1, 1)), rng.standard_normal(1)
    h, _ = rnn_core.rnn_forward(x, h0, Wx, Wh, b)
    values = {"x": _steps(x), "h": {0: h0, **_steps(h)}, "W_{xh}": Wx, "W_{hh}": Wh, "b": b}
    values["w_{H}"] = Wh[0, 0]
    values["dh/dh"] = lambda t, s: _jacobian(values, s, t)
    return values


@_check("eq-decay-tanh", "eq-tanh-bound")
def check_scalar_decay(latex):
    """The one-unit cell's dh_T/dh_{T-k} from rnn_backward, k = 1..T-1, five random cells."""
    count = 0
    for seed in range(5):
        env = Env(_scalar_cell(seed), {"T": T})
        count += _compare_or_bound(latex, env, [{"k": k} for k in range(1, T)])
    return f"{count} comparisons with rnn_backward, k = 1..{T - 1}, five random cells"


def _compare_or_bound(latex, env, bindings):
    """Compare an equation, or check that an inequality holds, under every binding."""
    count = 0
    for rel in relations(latex):
        for bound in bindings:
            a, b = (evaluate(side, env.at(**bound)) for side in rel.sides)
            if rel.signs == ("=",):
                _close(a, b, f"row {rel.row}: {rel} at {bound}")
            elif not (np.all(a <= b + TOLERANCE) if rel.signs == (r"\le",) else np.all(a >= b)):
                raise LedgerError(f"row {rel.row}: {rel} fails at {bound}: {a} and {b}")
            count += 1
    return count


def _per_gate(rels):
    r"""One relation per gate of ``i_t, f_t, o_t = \sigma(... W_{x\cdot} ...)``."""
    out = []
    for rel in rels:
        names = [n.strip() for n in rel.sides[0].split(",")]
        if len(names) == 1:
            out.append(rel)
            continue
        for name in names:
            letter = name.split("_")[0].strip()
            out.append(Relation(rel.row, (name, rel.sides[1].replace(r"\cdot", letter)), rel.signs))
    return out


def _blocks(prefix, W, letters):
    """Split packed column blocks into the display's names: W_{xi}, W_{xf}, ..."""
    width = W.shape[-1] // len(letters)
    return {f"{prefix}{g}}}": W[..., k * width : (k + 1) * width] for k, g in enumerate(letters)}


def _gated(module, letters, seed):
    """Random parameters, a forward pass of ``module`` and the display's names for them."""
    rng = np.random.default_rng(seed)
    x, h0 = rng.standard_normal((N, T, D)), rng.standard_normal((N, H))
    k = len(letters)
    Wx, Wh, b = (
        rng.standard_normal((D, k * H)),
        rng.standard_normal((H, k * H)),
        rng.standard_normal(k * H),
    )
    forward = lstm.lstm_forward if module is lstm else gru.gru_forward
    out = forward(x, h0, Wx, Wh, b)
    h, cache = out[0], out[-1]
    values = {
        "x": _steps(x),
        "h": {0: h0, **_steps(h)},
        **_blocks("W_{x", Wx, letters),
        **_blocks("W_{h", Wh, letters),
        **_blocks("b_{", b, letters),
    }
    for g, gate in _blocks("", cache.gates, letters).items():
        values[g.rstrip("}")] = _steps(gate)
    return values, cache


@_check("eq-lstm")
def check_lstm(latex):
    """Every gate, the candidate, c_t and h_t as displayed equal ``lstm_forward``'s."""
    values, cache = _gated(lstm, ["i", "f", "o", "c"], seed=3)
    values["c~"] = values.pop("c")  # the g block is the candidate cell value
    values["c"] = {0: np.zeros((N, H)), **_steps(cache.c)}  # c_0 = 0, as lstm_forward starts
    count = _compare_all(_per_gate(relations(latex)), Env(values), _each_step())
    return f"{count} comparisons with lstm_forward at t = 1..{T}"


@_check("eq-gru")
def check_gru(latex):
    """Both gates, the candidate and h_t as displayed equal ``gru_forward``'s."""
    values, _cache = _gated(gru, ["z", "q", "~h"], seed=4)
    values["h~"] = values.pop("~h")  # the n block is the candidate state
    count = _compare_all(_per_gate(relations(latex)), Env(values), _each_step())
    return f"{count} comparisons with gru_forward at t = 1..{T}"


@_check("eq-forget-path")
def check_forget_path(latex):
    """The product of diag(f_t) equals ``lstm.cell_path_gradient`` (one unit, k = 0..T-1)."""
    rng = np.random.default_rng(5)
    Wx, Wh, b = rng.standard_normal((1, 4)), rng.standard_normal((1, 4)), rng.standard_normal(4)
    _, cache = lstm.lstm_forward(rng.standard_normal((1, T, 1)), np.zeros((1, 1)), Wx, Wh, b)
    path = lstm.cell_path_gradient(cache)
    f = _steps(cache.gates[..., 1:2])
    env = Env({"f": f, "dc/dc|cellpath": lambda t, s: path[t - s]}, {"T": T})
    count = _compare_or_bound(latex, env, [{"k": k} for k in range(1, T)])
    return f"{count} comparisons with lstm.cell_path_gradient, k = 1..{T - 1}"


@_check("eq-clip")
def check_clip(latex):
    """Both cases, on a gradient inside and one outside the threshold, equal ``clip_grad_norm``."""
    rng = np.random.default_rng(6)
    count = 0
    for scale in (0.1, 10.0):
        g = scale * rng.standard_normal(7)
        clipped, _ = optim.clip_grad_norm({"g": g}, max_norm=1.5)
        ((rel,),) = [(r,) for r in relations(latex)]
        _close(evaluate(rel.sides[1], Env({"g": g, "theta": 1.5})), clipped["g"], f"{rel}")
        count += 1
    return f"both cases equal optim.clip_grad_norm ({count} gradients)"


@_check("eq-ema")
def check_ema(latex):
    """The displayed update, run from h_1 = h0, equals ``ar.latent_states``."""
    rng = np.random.default_rng(7)
    x, lam = rng.standard_normal(T + 1), 0.7
    h = ar.latent_states(x, lam, h0=0.3)  # h[t] is h_{t+1}; x[t] is x_{t+1}
    env = Env({"x": _steps(x), "h": _steps(h), "x^": _steps(h), "lambda": lam})
    count = _compare_all(latex, env, [{"t": t} for t in range(2, T + 2)])
    return f"{count} comparisons with ar.latent_states at t = 2..{T + 1}"


@_check("eq-perplexity")
def check_perplexity(latex):
    """e^L for the loss of uniform logits equals ``lm.uniform_perplexity`` (V = 7)."""
    V = 7
    loss, _ = layers.temporal_softmax_loss(np.zeros((2, 3, V)), np.zeros((2, 3), dtype=int))
    count = _compare_all(latex, Env({"L": loss, "PPL": lm.uniform_perplexity(V)}), [{}])
    return f"{count} comparison with lm.uniform_perplexity (V = {V})"


@_check("eq-acf")
def check_acf(latex):
    """r_k with the displayed mean equals ``data.autocorrelation`` for k = 0..5."""
    _, x = data.sine_with_noise(T=40, seed=8)
    r = data.autocorrelation(x, 5)
    env = Env({"x": _steps(x), "r": dict(enumerate(r))}, {"T": len(x)})
    count = _compare_all(latex, env, [{"k": k} for k in range(6)])
    return f"{count} comparisons with data.autocorrelation (T = {len(x)}, k = 0..5)"


@_check("eq-normal")
def check_normal(latex):
    """X^T X beta-hat = X^T y: ``ar.fit_ar``'s coefficients, ``data.make_windows``'s design."""
    _, x = data.sine_with_noise(T=60, seed=9)
    tau = 3
    X, y = data.make_windows(x, tau)
    X = np.hstack([X, np.ones((len(X), 1))])  # the intercept column, as eq-design writes it
    model = ar.fit_ar(x, tau)
    beta = np.append(model.coef, model.c)
    count = _compare_all(latex, Env({"X": X, "y": y, "beta^": beta}), [{}])
    return f"{count} comparison: fit_ar's coefficients solve the displayed normal equations"
