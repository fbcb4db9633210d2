r"""Checks of chapter 2's autoregressive equations against ``rnn_core.ar`` and ``rnn_core.data``.

Each display is evaluated by :mod:`rnnbook.ledger.evaluate`, ellipses included
(``\phi_1 x_{t-1} + \dots + \phi_\tau x_{t-\tau}``, the rows and columns of the
design matrix), on the series and the fitted models the chapter uses, and
compared with what the code computes to 1e-10.
"""

import numpy as np

from rnn_core import ar, data
from rnnbook.ledger.evaluate import Env, evaluate, parse_name
from rnnbook.ledger.latex import relations
from rnnbook.ledger.sympy_form import LedgerError
from rnnbook.ledger.vector import TOLERANCE, _close

__all__ = ["CHECKS"]

CHECKS = {}
TAU = 4  #: the chapter's order


def _register(*labels):
    def register(function):
        CHECKS.update(dict.fromkeys(labels, function))
        return function

    return register


def _series(x):
    """x_1, x_2, ... as a sequence for the evaluator (``x[t - 1]`` is x_t)."""
    return {t: x[t - 1] for t in range(1, len(x) + 1)}


def _phi(model):
    """phi_1..phi_tau (``model.coef``) and phi_0 (``model.c``) as a sequence."""
    return {0: model.c, **{j: a for j, a in enumerate(model.coef, start=1)}}


def _chapter_fit(T=1000, n_train=600):
    """The chapter's noisy sine (seed 0) and its AR(4) fitted on the first 600 values."""
    _, x = data.sine_with_noise(T=T, freq=0.01, sigma=0.2, seed=0)
    return x, ar.fit_ar(x[:n_train], TAU)


@_register("eq-ar")
def check_ar(latex):
    """With eps_t = 0, x_t as displayed is ar.rollout; with the residuals, predict_one_step's."""
    x, model = _chapter_fit()
    past, steps = x[:600], 40
    rolled = np.concatenate([past, ar.rollout(model, past, steps)])  # x_601.. predicted
    residual = x[TAU:] - ar.predict_one_step(model, x)  # eps_t of the fitted model, t > tau
    cases = [  # (series, noise, steps t checked)
        (rolled, dict.fromkeys(range(601, 601 + steps), 0.0), range(601, 601 + steps)),
        (x, dict(zip(range(TAU + 1, len(x) + 1), residual)), range(TAU + 1, 201)),
    ]
    ((rel,),) = [relations(latex)]
    for series, noise, span in cases:
        values = {"x": _series(series), "phi": _phi(model), "varepsilon": noise}
        got = [evaluate(rel.sides[1], Env(values, {"t": t, "tau": TAU})) for t in span]
        _close(got, series[span.start - 1 : span.stop - 1], f"{rel}, t = {span.start}..")
    return f"with eps_t = 0 it is ar.rollout ({steps} steps); with the residuals, the series"


@_register("eq-design")
def check_design(latex):
    """X and y as displayed are make_windows' (with ones), and X beta is predict_one_step."""
    x, model = _chapter_fit(T=24, n_train=24)
    env = Env({"x": _series(x), "phi": _phi(model)}, {"tau": TAU, "T": len(x)})
    found = {parse_name(rel.sides[0]).key(env)[0]: rel for rel in relations(latex)}
    X, y, beta = (np.asarray(evaluate(found[n].sides[1], env)) for n in ("X", "y", "beta"))
    features, labels = data.make_windows(x, TAU)
    _close(X, np.column_stack([features, np.ones(len(labels))]), f"{found['X']}: make_windows")
    _close(y[:, 0], labels, f"{found['y']}: make_windows' labels")
    gram, rhs = ar.normal_equations(x, TAU)
    _close(X.T @ X, gram, "X^T X: ar.normal_equations")
    _close(X.T @ y[:, 0], rhs, "X^T y: ar.normal_equations")
    _close(X @ beta[:, 0], ar.predict_one_step(model, x), f"{found['beta']}: predict_one_step")
    return f"X ({X.shape[0]} x {X.shape[1]}), y and beta as the code builds and uses them"


@_register("eq-sine")
def check_sine(latex):
    """x_t = sin(0.01 t) + eps_t, eps drawn as displayed with seed 0, is the chapter's series."""
    t, x = data.sine_with_noise(T=1000, freq=0.01, sigma=0.2, seed=0)
    series, noise, steps = relations(latex)
    items = [item.strip() for item in steps.sides[1].split(",")]
    if len(items) < 3 or items[-2] not in (r"\dots", r"\ldots"):
        raise LedgerError(f"row {steps.row}: expected a range 'a, \\dots, b', read {steps}")
    first, last = (evaluate(item, Env({})) for item in (items[0], items[-1]))
    span = np.arange(round(first), round(last) + 1)
    _close(t, span, f"{steps}: sine_with_noise's time steps")

    def normal(mean, variance):  # a draw of the displayed distribution, as the code seeds it
        return np.random.default_rng(0).normal(mean, np.sqrt(variance), size=len(span))

    if noise.signs != (r"\sim",):
        raise LedgerError(f"row {noise.row}: expected a distribution, read {noise}")
    eps = evaluate(noise.sides[1], Env({"Ncal": normal}))
    env = Env({"varepsilon": _series(eps)})
    got = [evaluate(series.sides[1], env.at(t=int(k))) for k in span]
    _close(got, x, f"{series}, t = {first:.0f}..{last:.0f}")
    return f"equals sine_with_noise(T=1000, freq=0.01, sigma=0.2, seed=0) at all {len(span)} steps"


def _polynomial(side, env, degree):
    """Coefficients of the displayed polynomial in xi (highest first), read at degree + 1 points."""
    points = np.arange(degree + 1, dtype=float)
    values = [_at(side, env, p) for p in points]
    coefficients = np.linalg.solve(np.vander(points), values)
    probe = 0.5 + 0.3j  # a point off the grid: the side must be this polynomial there too
    if abs(_at(side, env, probe) - np.polyval(coefficients, probe)) > TOLERANCE:
        raise LedgerError(f"{side} is not a polynomial of degree {degree} in xi")
    return coefficients


def _at(side, env, xi):
    return complex(evaluate(side, Env({**env.values, "xi": xi}, env.bound)))


@_register("eq-char-poly")
def check_char_poly(latex):
    """The displayed polynomial's roots xi_i give ar.rollout's deviations as sum_i B_i xi_i^t."""
    x, model = _chapter_fit()
    env = Env({"phi": _phi(model)}, {"tau": TAU})
    ((rel,),) = [relations(latex)]
    if rel.sides[1] != "0":
        raise LedgerError(f"{rel}: expected a polynomial = 0")
    roots = np.roots(_polynomial(rel.sides[0], env, TAU))
    level = model.c / (1.0 - model.coef.sum())  # the rollout's fixed point
    deviation = ar.rollout(model, x[:600], 60) - level  # Delta_t, t = 1..60
    powers = roots[None, :] ** np.arange(1, 61)[:, None]  # (60, tau): xi_i^t
    weights = np.linalg.solve(powers[:TAU], deviation[:TAU])  # B_i from the first tau steps
    _close((powers @ weights).real, deviation, f"{rel}: the rollout as sum_i B_i xi_i^t")
    return f"its {TAU} roots reproduce the rollout's 60 deviations from its level"


class _Forecast(dict):
    """x-hat_{s+j} for one start s: each value from the one displayed row that defines it."""

    def __init__(self, rows, env, s):
        super().__init__()
        self.rows, self.env, self.s = rows, env.at(s=s), s

    def _row(self, index):
        matches = []
        for lhs, rhs, condition in self.rows:
            j = index - self.s
            env = self.env.at(j=j)
            (at,) = parse_name(lhs).key(env)[1]
            if at == index and (condition is None or _holds(condition, env)):
                matches.append((rhs, env))
        if len(matches) != 1:
            why = "is not defined" if not matches else "is defined twice"
            raise LedgerError(f"x^_(s+{index - self.s}) {why} by the display")
        return matches[0]

    def __contains__(self, index):
        return dict.__contains__(self, index) or index > self.s

    def __getitem__(self, index):
        if not dict.__contains__(self, index):
            rhs, env = self._row(index)
            self[index] = evaluate(rhs, Env({**env.values, "x^": self}, env.bound))
        return dict.__getitem__(self, index)


def _holds(condition, env):
    a, b = (evaluate(side, env) for side in condition.sides)
    return {r"\ge": a >= b, r"\le": a <= b}[condition.signs[0]]


def _forecast_rows(latex):
    """(lhs, rhs, condition) per row; ``\\quad \\text{for } j \\ge 5`` is its row's condition."""
    rows = []
    for rel in relations(latex):
        if rel.signs in ((r"\ge",), (r"\le",)):
            lhs, rhs, _ = rows.pop()
            rows.append((lhs, rhs, rel))
        else:
            rows.append((rel.sides[0], rel.sides[1], None))
    return rows


@_register("eq-k-step")
def check_k_step(latex):
    """x-hat_{s+k}, run from the true values up to x_s, equals ar.forecast_k_step for k = 1..8."""
    x, model = _chapter_fit()
    x = x[:40]
    rows, count = _forecast_rows(latex), 0
    env = Env({"x": _series(x), "Phi": lambda *u: float(model.coef @ u + model.c)})
    code = {k: ar.forecast_k_step(model, x, k) for k in range(1, 9)}
    for s in range(TAU, len(x)):  # the last true value x_s; code[k][s - TAU] is x^_(s+k)
        forecast = _Forecast(rows, env, s)
        for k in [k for k in code if s - TAU < len(code[k])]:
            _close(forecast[s + k], code[k][s - TAU], f"x^_(s+{k}) at s = {s}: forecast_k_step")
            count += 1
    return f"{count} forecasts, k = 1..8, equal ar.forecast_k_step"
